import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import type { JobProcessor, QueueJob } from '../../../common/queue/job-processor.js';
import { Media } from '../entities/media.entity.js';
import { StorageDriver } from '../storage/storage-driver.js';

/** The `media` queue: removes stored objects whose rows were deleted. Idempotent, so retries are harmless. */
@Injectable()
export class MediaProcessor implements JobProcessor<'media'> {
  readonly queue = 'media' as const;
  private readonly logger = new Logger(MediaProcessor.name);

  constructor(
    private readonly storage: StorageDriver,
    @InjectRepository(Media) private readonly mediaRepo: Repository<Media>,
  ) {}

  async handle(job: QueueJob<'media'>): Promise<void> {
    switch (job.name) {
      case 'media.purge':
        return this.purge(job.payload.storage_keys);
      default: {
        const unhandled: never = job.name;
        throw new Error(`Unhandled media job ${String(unhandled)}`);
      }
    }
  }

  /** Deletes each object unless a row still points at it (a job must never remove live bytes). */
  private async purge(storageKeys: string[]): Promise<void> {
    if (!storageKeys.length) return;
    const live = new Set(
      (
        await this.mediaRepo.find({ where: { storageKey: In(storageKeys) }, select: { id: true, storageKey: true } })
      ).map((m) => m.storageKey),
    );
    let removed = 0;
    for (const key of storageKeys) {
      if (live.has(key)) {
        this.logger.warn({ msg: 'purge skipped an object that still has a media row', storageKey: key });
        continue;
      }
      try {
        await this.storage.delete(key);
        removed += 1;
      } catch (err) {
        if (err instanceof Error && err.message.startsWith('Invalid storage key')) {
          this.logger.error({ msg: 'purge skipped an invalid storage key', storageKey: key });
          continue;
        }
        throw err;
      }
    }
    this.logger.log({ msg: 'media purged', count: removed });
  }
}
