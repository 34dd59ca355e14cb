import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsOptional, IsString, Length } from 'class-validator';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * The multipart form of an upload. The service validates the text fields with this class (unknown fields are
 * refused); `file` is read from the stream and documented here for the OpenAPI schema only.
 */
export class UploadMediaDto {
  /** The file (images: JPEG, PNG, GIF, WebP ≤ 5 MiB; documents: PDF, text, Markdown, DOCX ≤ 10 MiB). */
  @ApiProperty({ type: 'string', format: 'binary' })
  @IsOptional()
  file?: unknown;
  /** Accessibility text, 1–500 characters; required for images. */
  @Transform(trim) @IsOptional() @IsString() @Length(1, 500) alt_text?: string;
}
