import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { type Media, MediaKind } from '../entities/media.entity.js';
import { mediaContentUrl } from '../media-url.js';

/** A file's metadata. `sha256` and `storage_key` are present for the owner only. */
export class MediaResponseDto {
  /** Media id. */
  @ApiProperty({ format: 'uuid' }) id!: string;
  /** The uploader. */
  @ApiProperty({ format: 'uuid' }) owner_id!: string;
  /** image or document, derived from the sniffed type. */
  @ApiProperty({ enum: MediaKind, enumName: 'MediaKind' }) kind!: MediaKind;
  /** Type detected from the file's bytes (never the client's claim). @example "image/png" */
  mime_type!: string;
  /** Size in bytes. */
  size_bytes!: number;
  /** Pixel width (images), else null. */
  width!: number | null;
  /** Pixel height (images), else null. */
  height!: number | null;
  /** The client's file name, without path parts or control characters. */
  original_filename!: string;
  /** Accessibility text (required for images). */
  alt_text!: string | null;
  /** Path of the bytes (GET). @example "/api/v1/media/7f0c…/content" */
  url!: string;
  /** Hex SHA-256 of the bytes; owner only. */
  @ApiPropertyOptional() sha256?: string;
  /** Opaque storage key; owner only. */
  @ApiPropertyOptional() storage_key?: string;
  /** Upload time. */
  created_at!: Date;
  /** Last metadata change. */
  updated_at!: Date;
}

export function toMediaResponse(media: Media, options: { includePrivate: boolean }): MediaResponseDto {
  const dto: MediaResponseDto = {
    id: media.id,
    owner_id: media.ownerId,
    kind: media.kind,
    mime_type: media.mimeType,
    size_bytes: media.sizeBytes,
    width: media.width,
    height: media.height,
    original_filename: media.originalFilename,
    alt_text: media.altText,
    url: mediaContentUrl(media.id),
    created_at: media.createdAt,
    updated_at: media.updatedAt,
  };
  if (options.includePrivate) {
    dto.sha256 = media.sha256;
    dto.storage_key = media.storageKey;
  }
  return dto;
}

/** One page of files. */
export class MediaPageDto {
  /** The files of this page. */
  items!: MediaResponseDto[];
  /** Cursor of the next page, or null on the last one. */
  next_cursor!: string | null;
}
