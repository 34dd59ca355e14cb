import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Env } from '../../common/config/env.js';
import { JobQueue } from '../../common/queue/job-queue.js';

/** Deterministic job id: duplicates of one range collapse (no ':' — BullMQ refuses it). */
export const extractionJobId = (conversationId: string, toSeq: number) => `mem-${conversationId}-${toSeq}`;

interface ConversationState {
  memory_enabled: boolean;
  last_message_seq: string;
  last_summarized_seq: string;
  has_members: boolean;
}

/**
 * Called by the generation service after a completed reply has committed (api-keys.md §6.6): enqueues
 * `memory.extract` when the conversation has memory enabled, no human members, and enough new messages since the
 * watermark — MEMORY_FIRST_THRESHOLD (5) before the first extraction, MEMORY_THRESHOLD (20) afterwards. Never
 * throws: a failed check only costs one memory, never the reply.
 */
@Injectable()
export class MemoryExtractionTrigger {
  private readonly logger = new Logger(MemoryExtractionTrigger.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobQueue,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async afterGeneration(conversationId: string): Promise<void> {
    try {
      const [row] = (await this.dataSource.query(
        `SELECT c.memory_enabled, c.last_message_seq, c.last_summarized_seq,
                EXISTS (SELECT 1 FROM conversation_participants p
                         WHERE p.conversation_id = c.id AND p.participant_kind = 'user' AND p.role = 'member'
                           AND p.is_active) AS has_members
           FROM conversations c WHERE c.id = $1`,
        [conversationId],
      )) as ConversationState[];
      if (!row || !row.memory_enabled || row.has_members) return;
      const last = Number(row.last_message_seq);
      const watermark = Number(row.last_summarized_seq);
      const threshold =
        watermark === 0
          ? this.config.get('MEMORY_FIRST_THRESHOLD', { infer: true })
          : this.config.get('MEMORY_THRESHOLD', { infer: true });
      if (last - watermark < threshold) return;
      await this.enqueue(conversationId, last, false);
    } catch (err) {
      this.logger.warn({ msg: 'memory extraction check failed', conversationId, err });
    }
  }

  /** Queues the extraction of (watermark, toSeq]; `force` runs it even with memory disabled (manual endpoint). */
  async enqueue(conversationId: string, toSeq: number, force: boolean): Promise<string> {
    const jobId = extractionJobId(conversationId, toSeq);
    await this.jobs.enqueue('memory.extract', { conversation_id: conversationId, to_seq: toSeq, force }, { jobId });
    return jobId;
  }
}
