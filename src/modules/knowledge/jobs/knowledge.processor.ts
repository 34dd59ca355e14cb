import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { JobProcessor, QueueJob } from '../../../common/queue/job-processor.js';
import { EmbeddingBackend } from '../embedding/embedding-backend.js';
import { KnowledgeEntry } from '../entities/knowledge-entry.entity.js';
import { KnowledgeEmbeddingStatus } from '../knowledge.enums.js';

export const ACTIVATION_LOG_RETENTION_DAYS = 90;

/** The `knowledge` queue: entry embedding and activation-log retention. */
@Injectable()
export class KnowledgeProcessor implements JobProcessor<'knowledge'> {
  readonly queue = 'knowledge' as const;
  private readonly logger = new Logger(KnowledgeProcessor.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly backend: EmbeddingBackend,
  ) {}

  async handle(job: QueueJob<'knowledge'>): Promise<void> {
    switch (job.name) {
      case 'knowledge.embed':
        return this.embed(job.payload.entry_id, job.payload.content_hash);
      case 'knowledge.prune-activation-logs': {
        const days = job.payload.retention_days ?? ACTIVATION_LOG_RETENTION_DAYS;
        await this.dataSource.query(
          `DELETE FROM knowledge_activation_logs WHERE created_at < now() - make_interval(days => $1)`,
          [days],
        );
        return;
      }
    }
  }

  /** Reloads the entry; a newer content hash means a newer job will do the work. */
  private async embed(entryId: string, contentHash: string): Promise<void> {
    const repo = this.dataSource.getRepository(KnowledgeEntry);
    const entry = await repo.findOne({
      where: { id: entryId },
      select: { id: true, content: true, title: true, contentHash: true },
    });
    if (!entry || entry.contentHash !== contentHash) return;
    await repo.update({ id: entryId, contentHash }, { embeddingStatus: KnowledgeEmbeddingStatus.Processing });
    try {
      const result = await this.backend.embed(entry);
      await repo.update(
        { id: entryId, contentHash },
        {
          embeddingStatus: result.status,
          chunkCount: result.chunkCount,
          embeddingError: null,
          embeddedAt: result.status === KnowledgeEmbeddingStatus.Ready ? new Date() : null,
        },
      );
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 500);
      this.logger.warn({ entryId, err: message }, 'embedding failed');
      // Marked failed now; a successful retry overwrites it.
      await repo.update(
        { id: entryId, contentHash },
        { embeddingStatus: KnowledgeEmbeddingStatus.Failed, embeddingError: message },
      );
      throw err;
    }
  }
}
