import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { type Actor } from '../../common/auth/actor.js';
import type { Env } from '../../common/config/env.js';
import {
  InvalidError,
  NotFoundError,
  PayloadTooLargeError,
  TooManyRequestsError,
  UnsupportedMediaTypeError,
} from '../../common/errors/app-error.js';
import { keysetPage, mapPage, type Page } from '../../common/pagination/page.js';
import { JobQueue } from '../../common/queue/job-queue.js';
import { ValidationFailedException } from '../../common/validation/validation-failed.exception.js';
import type { ListMediaDto } from './dto/list-media.dto.js';
import { type MediaResponseDto, toMediaResponse } from './dto/media-response.dto.js';
import type { UpdateMediaDto } from './dto/update-media.dto.js';
import { UploadMediaDto } from './dto/upload-media.dto.js';
import { Media, MediaKind } from './entities/media.entity.js';
import { MediaCitationRegistry } from './media-citation.registry.js';
import {
  dimensionsInRange,
  imageDimensions,
  MAX_IMAGE_DIMENSION,
  maxBytesFor,
  MIN_IMAGE_DIMENSION,
  sanitizeFilename,
  sniffMediaType,
} from './media-sniffer.js';
import { MediaPolicy, NO_CITATIONS } from './media.policy.js';
import type { ParsedUpload } from './multipart-upload.js';
import { StorageDriver } from './storage/storage-driver.js';

const HOUR_MS = 3600_000;
/** Storage keys per purge job; account deletion can free thousands of files. */
const PURGE_BATCH = 500;

export interface MediaContent {
  media: Media;
  stream: Readable;
  size: number;
  /** Attached to a message: never cached publicly, whatever its kind. */
  isPrivate: boolean;
}

@Injectable()
export class MediaService {
  private readonly logger = new Logger(MediaService.name);

  constructor(
    @InjectRepository(Media) private readonly mediaRepo: Repository<Media>,
    private readonly dataSource: DataSource,
    private readonly storage: StorageDriver,
    private readonly jobs: JobQueue,
    private readonly policy: MediaPolicy,
    private readonly citations: MediaCitationRegistry,
    private readonly config: ConfigService<Env, true>,
  ) {}

  /**
   * Checks an upload, stores its bytes, then inserts the row; if the insert fails (quota lost to a concurrent
   * upload, database error) the stored object is removed again.
   */
  async upload(actor: Actor, upload: ParsedUpload): Promise<MediaResponseDto> {
    const fields = plainToInstance(UploadMediaDto, upload.fields);
    const fieldErrors = await validate(fields, { whitelist: true, forbidNonWhitelisted: true });
    if (fieldErrors.length) throw ValidationFailedException.fromValidationErrors(fieldErrors);
    const file = upload.file;
    if (!file) throw new ValidationFailedException([{ field: 'file', message: 'file is required' }]);
    if (file.bytes.length === 0) throw new ValidationFailedException([{ field: 'file', message: 'file is empty' }]);

    const sniffed = await sniffMediaType(file.bytes, { filename: file.filename, mimeType: file.clientMimeType });
    if (!sniffed.ok) {
      throw new UnsupportedMediaTypeError(
        'UNSUPPORTED_MEDIA_TYPE',
        sniffed.reason === 'svg'
          ? 'SVG files are not accepted.'
          : 'Accepted types: JPEG, PNG, GIF, WebP images; PDF, plain text, Markdown and DOCX documents.',
      );
    }
    const maxBytes = maxBytesFor(sniffed.kind);
    if (file.bytes.length > maxBytes) {
      throw new PayloadTooLargeError(
        'FILE_TOO_LARGE',
        `${sniffed.kind === MediaKind.Image ? 'Images' : 'Documents'} may be at most ${maxBytes / 1024 / 1024} MiB.`,
      );
    }
    let dims: { width: number; height: number } | null = null;
    if (sniffed.kind === MediaKind.Image) {
      if (!fields.alt_text) {
        throw new ValidationFailedException([{ field: 'alt_text', message: 'alt_text is required for images' }]);
      }
      dims = imageDimensions(file.bytes);
      if (!dims) {
        throw new InvalidError('INVALID_IMAGE', 'The image cannot be decoded.', [
          { field: 'file', message: 'the image is corrupt or truncated' },
        ]);
      }
      if (!dimensionsInRange(dims)) {
        throw new InvalidError(
          'IMAGE_DIMENSIONS_OUT_OF_RANGE',
          `Width and height must each be ${MIN_IMAGE_DIMENSION}–${MAX_IMAGE_DIMENSION} px (got ${dims.width}×${dims.height}).`,
          [{ field: 'file', message: `width and height must be ${MIN_IMAGE_DIMENSION}–${MAX_IMAGE_DIMENSION} px` }],
        );
      }
    }

    await this.assertUploadRate(actor.id);
    const size = file.bytes.length;
    await this.assertQuota(this.dataSource.manager, actor.id, size); // early answer, before writing any bytes

    const storageKey = `${actor.id}/${randomUUID()}.${sniffed.extension}`;
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    await this.storage.put(storageKey, file.bytes, sniffed.mimeType);
    try {
      const media = await this.dataSource.transaction(async (em) => {
        // Serialise one user's uploads so two concurrent ones cannot both fit the same remaining quota.
        await em.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`media-quota-${actor.id}`]);
        await this.assertQuota(em, actor.id, size);
        const row = em.create(Media, {
          ownerId: actor.id,
          kind: sniffed.kind,
          mimeType: sniffed.mimeType,
          sizeBytes: size,
          width: dims?.width ?? null,
          height: dims?.height ?? null,
          originalFilename: sanitizeFilename(file.filename, sniffed.extension),
          storageKey,
          sha256,
          altText: fields.alt_text ?? null,
        });
        return em.save(row);
      });
      this.logger.log({ msg: 'media uploaded', mediaId: media.id, ownerId: actor.id, kind: media.kind, size });
      return toMediaResponse(media, { includePrivate: true });
    } catch (err) {
      await this.storage
        .delete(storageKey)
        .catch((cleanupErr: unknown) =>
          this.logger.error({ msg: 'could not remove the object of a failed upload', storageKey, err: cleanupErr }),
        );
      throw err;
    }
  }

  /** Own files, or (moderator, admin) another user's via `owner_id`; newest first. */
  async list(actor: Actor, query: ListMediaDto): Promise<Page<MediaResponseDto>> {
    const { ownerId, excludeAttachments } = this.policy.listOwner(actor, query.owner_id);
    const qb = this.mediaRepo.createQueryBuilder('m').where('m.owner_id = :ownerId', { ownerId });
    if (query.kind) qb.andWhere('m.kind = :kind', { kind: query.kind });
    if (excludeAttachments) for (const sql of this.citations.excludeAttachmentsSql('m')) qb.andWhere(sql);
    const page = await keysetPage(
      qb,
      [
        { expr: 'm.created_at', direction: 'DESC', value: (m) => m.createdAt.toISOString(), cast: 'timestamptz' },
        { expr: 'm.id', direction: 'DESC', value: (m) => m.id, cast: 'uuid' },
      ],
      query,
    );
    return mapPage(page, (m) => toMediaResponse(m, { includePrivate: m.ownerId === actor.id }));
  }

  async get(actor: Actor | undefined, id: string): Promise<MediaResponseDto> {
    const media = await this.loadReadable(actor, id);
    return toMediaResponse(media, {
      includePrivate: this.policy.can(actor, 'see_private_fields', media, NO_CITATIONS),
    });
  }

  /** The bytes of a file the caller may read. */
  async content(actor: Actor | undefined, id: string): Promise<MediaContent> {
    const media = await this.loadReadable(actor, id);
    const object = await this.storage.get(media.storageKey);
    if (!object) {
      this.logger.error({ msg: 'media object missing from storage', mediaId: media.id });
      throw new NotFoundError('MEDIA_NOT_FOUND');
    }
    const { isAttachment } = await this.citations.factsFor(actor, media.id);
    return { media, stream: object.stream, size: object.size, isPrivate: isAttachment };
  }

  /** Changes alt_text (owner, admin). */
  async update(actor: Actor, id: string, dto: UpdateMediaDto): Promise<MediaResponseDto> {
    const media = await this.dataSource.transaction(async (em) => {
      const row = await em.findOne(Media, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new NotFoundError('MEDIA_NOT_FOUND');
      this.policy.assert(actor, 'update', row, await this.citationFacts(actor, row, em));
      row.altText = dto.alt_text;
      return em.save(row);
    });
    return toMediaResponse(media, { includePrivate: media.ownerId === actor.id });
  }

  /**
   * Deletes the row (owner, moderator, admin); references elsewhere become null through their FKs (SET NULL), and
   * the stored object is removed after commit by the `media.purge` job.
   */
  async remove(actor: Actor, id: string): Promise<void> {
    const storageKey = await this.dataSource.transaction(async (em) => {
      const row = await em.findOne(Media, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new NotFoundError('MEDIA_NOT_FOUND');
      this.policy.assert(actor, 'delete', row, await this.citationFacts(actor, row, em));
      await em.delete(Media, { id: row.id });
      return row.storageKey;
    });
    this.logger.log({ msg: 'media deleted', mediaId: id, by: actor.id });
    await this.jobs.enqueue('media.purge', { storage_keys: [storageKey] }, { jobId: `media-purge-${id}` });
  }

  /**
   * For other modules: may the acting user point an image field (avatar, picture, banner, icon) at this media?
   * Allowed: null/undefined (clearing), the id the field already holds (a collaborator keeps the existing picture),
   * or an image the actor owns. Anything else → 400 MEDIA_NOT_USABLE on `field`, the same answer whether the id
   * does not exist or belongs to someone else. Pass `manager` to run inside the caller's transaction.
   */
  async assertUsableImage(
    actorId: string,
    mediaId: string | null | undefined,
    currentlyReferencedId?: string | null,
    options: { field?: string; manager?: EntityManager } = {},
  ): Promise<void> {
    if (mediaId === null || mediaId === undefined) return;
    if (currentlyReferencedId && mediaId === currentlyReferencedId) return;
    const field = options.field ?? 'avatar_media_id';
    const manager = options.manager ?? this.dataSource.manager;
    const media = await manager.findOne(Media, {
      where: { id: mediaId },
      select: { id: true, ownerId: true, kind: true },
    });
    if (!media || media.ownerId !== actorId) {
      throw new InvalidError('MEDIA_NOT_USABLE', 'Reference one of your own uploaded images.', [
        { field, message: `${field} must be an image you uploaded` },
      ]);
    }
    if (media.kind !== MediaKind.Image) {
      throw new InvalidError('MEDIA_NOT_USABLE', 'This field needs an image, not a document.', [
        { field, message: `${field} must be an image` },
      ]);
    }
  }

  /** For account deletion: the storage keys of a user's files, read inside the deleting transaction. */
  async storageKeysOfOwner(ownerId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    const rows = await manager.find(Media, { where: { ownerId }, select: { id: true, storageKey: true } });
    return rows.map((r) => r.storageKey);
  }

  /** Enqueues `media.purge` for objects whose rows are gone; call after the deleting transaction committed. */
  async purgeAfterCommit(storageKeys: string[], jobIdPrefix?: string): Promise<void> {
    for (let i = 0; i < storageKeys.length; i += PURGE_BATCH) {
      const batch = storageKeys.slice(i, i + PURGE_BATCH);
      await this.jobs.enqueue(
        'media.purge',
        { storage_keys: batch },
        jobIdPrefix ? { jobId: `${jobIdPrefix}-${i / PURGE_BATCH}` } : {},
      );
    }
  }

  private async loadReadable(actor: Actor | undefined, id: string): Promise<Media> {
    const media = await this.mediaRepo.findOneBy({ id });
    if (!media) throw new NotFoundError('MEDIA_NOT_FOUND');
    this.policy.assert(actor, 'read', media, await this.citationFacts(actor, media));
    return media;
  }

  private async citationFacts(actor: Actor | undefined, media: Media, manager?: EntityManager) {
    return this.policy.needsCitationFacts(actor, media)
      ? this.citations.factsFor(actor, media.id, manager)
      : NO_CITATIONS;
  }

  private async assertQuota(manager: EntityManager, ownerId: string, incoming: number): Promise<void> {
    const quota = this.config.get('MEDIA_QUOTA_BYTES', { infer: true });
    const [{ used }] = (await manager.query(
      'SELECT COALESCE(SUM(size_bytes), 0)::bigint AS used FROM media WHERE owner_id = $1',
      [ownerId],
    )) as { used: string }[];
    if (Number(used) + incoming > quota) {
      throw new PayloadTooLargeError(
        'QUOTA_EXCEEDED',
        `This upload would exceed your storage quota of ${quota} bytes (${Number(used)} used).`,
      );
    }
  }

  /** 30 uploads per rolling hour per user (MEDIA_UPLOADS_PER_HOUR), counted from the user's rows. */
  private async assertUploadRate(ownerId: string): Promise<void> {
    if (!this.config.get('RATE_LIMIT_ENABLED', { infer: true })) return;
    const limit = this.config.get('MEDIA_UPLOADS_PER_HOUR', { infer: true });
    const since = new Date(Date.now() - HOUR_MS);
    const recent = await this.mediaRepo
      .createQueryBuilder('m')
      .select('m.created_at', 'created_at')
      .where('m.owner_id = :ownerId AND m.created_at > :since', { ownerId, since })
      .orderBy('m.created_at', 'DESC')
      .limit(limit)
      .getRawMany<{ created_at: Date }>();
    if (recent.length >= limit) {
      const oldest = new Date(recent[recent.length - 1].created_at).getTime();
      throw new TooManyRequestsError(
        'UPLOAD_RATE_LIMITED',
        Math.max(1, (oldest + HOUR_MS - Date.now()) / 1000),
        `At most ${limit} uploads per hour.`,
      );
    }
  }
}
