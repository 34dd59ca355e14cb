import '@fastify/multipart';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentUser, Public } from '../../common/auth/decorators.js';
import { ListMediaDto } from './dto/list-media.dto.js';
import { MediaPageDto, MediaResponseDto } from './dto/media-response.dto.js';
import { UpdateMediaDto } from './dto/update-media.dto.js';
import { UploadMediaDto } from './dto/upload-media.dto.js';
import { MediaKind } from './entities/media.entity.js';
import { MediaService } from './media.service.js';
import { readMultipartUpload } from './multipart-upload.js';

const IMAGE_CACHE = 'public, max-age=31536000, immutable';
const PRIVATE_CACHE = 'private, no-cache';

@ApiTags('media')
@Controller('media')
export class MediaController {
  constructor(private readonly media: MediaService) {}

  /**
   * Upload a file (multipart/form-data: `file`, `alt_text`). The type is sniffed from the bytes: images (JPEG, PNG,
   * GIF, WebP; ≤ 5 MiB, 50–6000 px, alt_text required) and documents (PDF, text, Markdown, DOCX; ≤ 10 MiB).
   * 415 for any other type (SVG included), 413 FILE_TOO_LARGE / QUOTA_EXCEEDED, 429 after 30 uploads an hour.
   */
  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadMediaDto })
  async upload(@CurrentUser() actor: Actor, @Req() request: FastifyRequest): Promise<MediaResponseDto> {
    return this.media.upload(actor, await readMultipartUpload(request));
  }

  /** List own files, newest first; moderators may pass `owner_id` to list another user's. */
  @Get()
  @ApiOkResponse({ type: MediaPageDto })
  list(@CurrentUser() actor: Actor, @Query() query: ListMediaDto): Promise<MediaPageDto> {
    return this.media.list(actor, query);
  }

  /** A file's metadata. Images are readable by anyone with the id; documents by owner, moderators and admins. */
  @Public()
  @Get(':id')
  get(@CurrentUser() actor: Actor | undefined, @Param('id', ParseUUIDPipe) id: string): Promise<MediaResponseDto> {
    return this.media.get(actor, id);
  }

  /** A file's bytes, with the stored type, `nosniff`, and `attachment` disposition for documents. */
  @Public()
  @Get(':id/content')
  @ApiProduces('application/octet-stream')
  @ApiOkResponse({ description: 'The bytes.', schema: { type: 'string', format: 'binary' } })
  async content(
    @CurrentUser() actor: Actor | undefined,
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { media, stream, size, isPrivate } = await this.media.content(actor, id);
    const isImage = media.kind === MediaKind.Image;
    reply.header('Content-Type', media.mimeType);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Content-Disposition', contentDisposition(isImage ? 'inline' : 'attachment', media.originalFilename));
    reply.header('Cache-Control', isImage && !isPrivate ? IMAGE_CACHE : PRIVATE_CACHE);
    // Public images may be embedded by the web client on another origin; helmet's default would block that.
    if (isImage && !isPrivate) reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
    return new StreamableFile(stream, { length: size });
  }

  /** Change a file's alt_text (owner, admin). */
  @Patch(':id')
  update(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateMediaDto,
  ): Promise<MediaResponseDto> {
    return this.media.update(actor, id, dto);
  }

  /** Delete a file (owner, moderator, admin); pictures that used it become null. */
  @Delete(':id')
  @HttpCode(204)
  remove(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.media.remove(actor, id);
  }
}

/** RFC 6266 header with an ASCII fallback name and the UTF-8 original. */
export function contentDisposition(type: 'inline' | 'attachment', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${type}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
