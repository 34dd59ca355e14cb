import { Injectable, Logger, Optional } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { AnalyticsEventType } from '../../analytics/entities/analytics.enums.js';
import { AnalyticsRecorder } from '../../analytics/recorder/analytics-recorder.service.js';
import { DeliveryStatus, GenerationStatus } from '../chat.enums.js';
import { MessageAlternative } from '../entities/message-alternative.entity.js';
import { Message } from '../entities/message.entity.js';
import { GenerationRegistry } from '../generation/generation.registry.js';
import { mirrorAlternative, previousCompletedAlternative } from '../message-alternatives.service.js';

export const ABANDONED = 'ABANDONED';
/** chat.md §3.4: `queued` older than 10 min, `streaming` without progress for 5 min. */
export const QUEUED_STALE_SECONDS = 600;
export const STREAMING_STALE_SECONDS = 300;
const BATCH = 100;
const MAX_BATCHES = 20;
const OPEN = [GenerationStatus.Queued, GenerationStatus.Streaming];

/**
 * Open generations whose worker is gone. Progress = the later of the message's and its active alternative's
 * updated_at (streaming flushes bump both). The database clock decides, so app clocks do not matter. The first
 * condition (`m.updated_at` older than the shorter limit) lets the partial index ix_messages_generation_open
 * narrow the scan. Locked rows are skipped: whoever holds them is alive.
 */
const STALE_SQL = `
  SELECT m.id FROM messages m
    LEFT JOIN message_alternatives a ON a.id = m.active_alternative_id
   WHERE m.generation_status IN ('queued', 'streaming')
     AND m.updated_at < now() - make_interval(secs => $1)
     AND GREATEST(m.updated_at, coalesce(a.updated_at, m.updated_at)) < now() - make_interval(
           secs => CASE WHEN m.generation_status = 'queued' THEN $2 ELSE $1 END)
   ORDER BY m.updated_at
   LIMIT ${BATCH}
     FOR UPDATE OF m SKIP LOCKED`;

/**
 * `chat.sweep-stale` (every minute): a stale message and its active alternative become `failed` with
 * error_code ABANDONED (finish_reason `error`), partial text kept; a regeneration that produced nothing reverts
 * the message to the alternative active before it (else the newest completed one), as a failed generation does.
 * Records `reply_failed` under the generation's own idempotency key, so a run that ends later adds no second one.
 * Idempotent: a swept row is no longer open.
 */
@Injectable()
export class StaleGenerationSweeper {
  private readonly logger = new Logger(StaleGenerationSweeper.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly analytics: AnalyticsRecorder,
    @Optional() private readonly registry?: GenerationRegistry,
  ) {}

  async sweep(): Promise<number> {
    let swept = 0;
    for (let i = 0; i < MAX_BATCHES; i++) {
      const n = await this.dataSource.transaction(async (em) => {
        const rows: { id: string }[] = await em.query(STALE_SQL, [STREAMING_STALE_SECONDS, QUEUED_STALE_SECONDS]);
        for (const { id } of rows) await this.abandon(em, id);
        return rows.length;
      });
      swept += n;
      if (n < BATCH) break;
    }
    if (swept) this.logger.warn({ msg: 'abandoned generations swept', count: swept });
    return swept;
  }

  /** One locked, stale message. */
  private async abandon(em: EntityManager, messageId: string): Promise<void> {
    const msg = await em.findOneByOrFail(Message, { id: messageId });
    const alt = msg.activeAlternativeId
      ? await em.findOne(MessageAlternative, { where: { id: msg.activeAlternativeId } })
      : null;
    const failed = { generationStatus: GenerationStatus.Failed, errorCode: ABANDONED, finishReason: 'error' };
    if (alt && OPEN.includes(alt.generationStatus)) {
      await em.update(MessageAlternative, { id: alt.id }, failed);
      await this.analytics.record(em, {
        type: AnalyticsEventType.ReplyFailed,
        idempotencyKey: `reply_fail:${alt.id}`,
        actorUserId: alt.requestedByUserId ?? msg.requestedByUserId,
        conversationId: msg.conversationId,
        botId: msg.botId,
        properties: { error_code: ABANDONED },
      });
    }
    // a stalled run in this process stops its upstream request; its final write then finds nothing open
    this.registry?.get(msg.id)?.controller.abort();
    const text = alt ? alt.content : msg.content;
    // the alternative active before the regeneration is known to the process that queued it only
    const revertTo =
      text === ''
        ? await previousCompletedAlternative(em, msg.id, alt ? this.registry?.takePrevious(alt.id) : undefined)
        : null;
    if (revertTo) {
      await mirrorAlternative(em, msg.id, revertTo);
      return;
    }
    await em.update(
      Message,
      { id: msg.id },
      {
        ...failed,
        content: text,
        ...(alt ? { reasoningContent: alt.reasoningContent } : {}),
        deliveryStatus: DeliveryStatus.Failed,
      },
    );
  }
}
