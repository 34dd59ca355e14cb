import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DataSource, type EntityManager, In } from 'typeorm';
import { AnalyticsEventType } from '../../analytics/entities/analytics.enums.js';
import { AnalyticsRecorder } from '../../analytics/recorder/analytics-recorder.service.js';
import { MemoryExtractionTrigger } from '../../memories/memory-extraction.trigger.js';
import { MemoryRetrieval } from '../../memories/memory-retrieval.service.js';
import { ApiKeyUsageService, type UsageReservation } from '../../api-keys/api-key-usage.service.js';
import { ApiKeyEventType, type ApiKeyUsePurpose, type LlmProvider } from '../../api-keys/api-keys.enums.js';
import { ApiKeyAudit } from '../../api-keys/api-key-audit.js';
import { computeCost } from '../../api-keys/usage-windows.js';
import { estimateTokens } from '../../knowledge/activation/activation-engine.js';
import { DeliveryStatus, GenerationStatus, TokenCountSource } from '../chat.enums.js';
import { Conversation } from '../entities/conversation.entity.js';
import { MessageAlternative } from '../entities/message-alternative.entity.js';
import { Message } from '../entities/message.entity.js';
import { mirrorAlternative } from '../message-alternatives.service.js';
import { GenerationRegistry } from './generation.registry.js';

const OPEN = [GenerationStatus.Queued, GenerationStatus.Streaming];
const FINISH_REASONS = new Set(['stop', 'length', 'content_filter', 'cancelled', 'error']);

/** Provider finish reasons fitted into the stored set (stop, length, content_filter, cancelled, error). */
export function normalizeFinishReason(reason: string | null): string | null {
  if (reason === null) return null;
  if (FINISH_REASONS.has(reason)) return reason;
  if (reason === 'max_tokens') return 'length';
  return 'stop';
}

/** The generation a final state belongs to. */
export interface GenerationTarget {
  messageId: string;
  alternativeId: string;
  conversationId: string;
  seq: number;
  botId: string | null;
  requesterUserId: string;
}

/** The key that made (or would have made) the upstream call. */
export interface UsedKey {
  id: string;
  provider: LlmProvider;
  inputPricePerMtokUsd: number | null;
  outputPricePerMtokUsd: number | null;
}

/** Everything the end-of-generation transaction writes (api-keys.md §6.6). */
export interface GenerationOutcome {
  status: GenerationStatus.Completed | GenerationStatus.Failed | GenerationStatus.Cancelled;
  content: string;
  reasoning: string | null;
  finishReason: string | null;
  errorCode: string | null;
  key: UsedKey | null;
  model: string | null;
  /** Provider usage when reported, else null (then the prompt estimate and chars/4 of the output are stored). */
  usage: { inputTokens: number; outputTokens: number } | null;
  promptEstimate: number;
  processingTimeMs: number | null;
  firstTokenMs: number | null;
  /**
   * The key attempt behind the outcome. `called`: the request reached the provider and is recorded as a `used` /
   * `use_failed` event with counters; otherwise its reservation is given back.
   */
  upstream?: {
    purpose: ApiKeyUsePurpose;
    reservation?: UsageReservation;
    called: boolean;
    httpStatus: number | null;
    latencyMs: number;
  };
  /** Memories injected into the prompt (use_count and memory_recalled). */
  memoryIds: string[];
  personaId: string | null;
}

/** Token and cost figures of an outcome, as stored and sent in `done`. */
export interface OutcomeFigures {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  source: TokenCountSource;
  cost: number | null;
}

export function outcomeFigures(o: GenerationOutcome): OutcomeFigures {
  const inputTokens = o.usage ? o.usage.inputTokens : o.promptEstimate;
  const outputTokens = o.usage ? o.usage.outputTokens : estimateTokens(o.content);
  return {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    source: o.usage ? TokenCountSource.Provider : TokenCountSource.Estimated,
    cost: o.key
      ? computeCost(inputTokens, outputTokens, o.key.inputPricePerMtokUsd, o.key.outputPricePerMtokUsd)
      : null,
  };
}

/**
 * Writes a generation's progress and its final state (chat.md §3.4 Completion, api-keys.md §6.6): buffered
 * content flushes while streaming, then one transaction with the alternative, the mirrored message fields, the
 * delivered user messages, the conversation counters, the key's usage and audit event and the analytics events.
 */
@Injectable()
export class GenerationPersistence {
  private readonly logger = new Logger(GenerationPersistence.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly usage: ApiKeyUsageService,
    private readonly audit: ApiKeyAudit,
    private readonly analytics: AnalyticsRecorder,
    private readonly registry: GenerationRegistry,
    private readonly memories: MemoryRetrieval,
    private readonly extraction: MemoryExtractionTrigger,
  ) {}

  /**
   * Saves the partial text of a streaming generation (at least every 2 s) and bumps the message's updated_at, which
   * the stale sweeper reads as progress. False when the generation is no longer `streaming` (cancelled or swept
   * elsewhere): the caller then stops.
   */
  async flush(t: GenerationTarget, content: string, reasoning: string | null): Promise<boolean> {
    const res = await this.ds
      .createQueryBuilder()
      .update(MessageAlternative)
      .set({ content, reasoningContent: reasoning })
      .where('id = :id AND generation_status = :s', { id: t.alternativeId, s: GenerationStatus.Streaming })
      .execute();
    if (!res.affected) return false;
    await this.ds
      .createQueryBuilder()
      .update(Message)
      .set({ content, reasoningContent: reasoning })
      .where('id = :id AND active_alternative_id = :alt', { id: t.messageId, alt: t.alternativeId })
      .execute();
    return true;
  }

  /** Points a queued/streaming alternative (and its message) at another key and model (a fallback). */
  /** Moves the generation to a fallback key and audits the switch on that key as `fallback_used` (api-keys.md §4). */
  async switchKey(
    t: GenerationTarget,
    key: UsedKey,
    model: string,
    from: { reason: string; purpose: ApiKeyUsePurpose },
  ): Promise<void> {
    await this.ds.transaction(async (em) => {
      await this.audit.record(em, key.id, {
        eventType: ApiKeyEventType.FallbackUsed,
        purpose: from.purpose,
        model,
        conversationId: t.conversationId,
        messageId: t.messageId,
        errorCode: from.reason,
        actorUserId: t.requesterUserId,
      });
      await em.update(MessageAlternative, { id: t.alternativeId }, { apiKeyId: key.id, provider: key.provider, model });
      await em
        .createQueryBuilder()
        .update(Message)
        .set({ apiKeyId: key.id, provider: key.provider, model })
        .where('id = :id AND active_alternative_id = :alt', { id: t.messageId, alt: t.alternativeId })
        .execute();
    });
  }

  /** An upstream attempt that failed before a fallback: its own counters and `use_failed` event. */
  async recordFailedAttempt(
    keyId: string,
    t: GenerationTarget,
    a: {
      purpose: ApiKeyUsePurpose;
      reservation?: UsageReservation;
      model: string;
      httpStatus: number | null;
      latencyMs: number;
      errorCode: string;
      invalidate: boolean;
    },
  ): Promise<void> {
    await this.ds.transaction(async (em) => {
      await this.usage.recordUse(em, {
        apiKeyId: keyId,
        reservation: a.reservation,
        ok: false,
        purpose: a.purpose,
        model: a.model,
        conversationId: t.conversationId,
        messageId: t.messageId,
        httpStatus: a.httpStatus,
        inputTokens: 0,
        outputTokens: 0,
        latencyMs: a.latencyMs,
        errorCode: a.errorCode,
      });
      // the provider rejected the key (401/403): it stays unusable until its secret is replaced (api-keys.md §2.4)
      if (a.invalidate)
        await em.query(`UPDATE api_keys SET status = 'invalid' WHERE id = $1 AND status = 'active'`, [keyId]);
    });
  }

  /**
   * The end-of-generation transaction. Only an alternative that is still queued/streaming changes (a concurrent
   * cancel or sweep wins); the upstream use is recorded either way. A regeneration that ends failed or cancelled
   * with no text reverts its message to the alternative that was active before it.
   */
  async finish(t: GenerationTarget, o: GenerationOutcome): Promise<void> {
    const f = outcomeFigures(o);
    const finishReason =
      o.status === GenerationStatus.Cancelled
        ? 'cancelled'
        : o.status === GenerationStatus.Failed
          ? 'error'
          : (normalizeFinishReason(o.finishReason) ?? 'stop');
    const completed = o.status === GenerationStatus.Completed;
    await this.ds.transaction(async (em) => {
      // lock order as everywhere in chat: conversation row, then the message
      await em.query(`SELECT 1 FROM conversations WHERE id = $1 FOR UPDATE`, [t.conversationId]);
      const msg = await em.findOne(Message, { where: { id: t.messageId }, lock: { mode: 'pessimistic_write' } });
      const fields = {
        content: o.content,
        reasoningContent: o.reasoning || null,
        inputTokens: f.inputTokens,
        outputTokens: f.outputTokens,
        totalTokens: f.totalTokens,
        tokenCountSource: f.source,
        costEstimate: f.cost === null ? null : f.cost.toFixed(6),
        processingTimeMs: o.processingTimeMs,
        firstTokenMs: o.firstTokenMs,
        finishReason,
        generationStatus: o.status,
        errorCode: completed ? null : o.errorCode,
        ...(o.key ? { apiKeyId: o.key.id, provider: o.key.provider } : {}),
        ...(o.model ? { model: o.model } : {}),
      };
      const changed = msg
        ? await em
            .createQueryBuilder()
            .update(MessageAlternative)
            .set(fields)
            .where('id = :id AND generation_status IN (:...open)', { id: t.alternativeId, open: OPEN })
            .execute()
        : { affected: 0 };
      if (msg && changed.affected) {
        const previous = this.registry.takePrevious(t.alternativeId);
        const revertTo = !completed && o.content === '' ? await this.previousCompleted(em, t, previous) : null;
        if (revertTo) {
          await mirrorAlternative(em, t.messageId, revertTo);
        } else if (msg.activeAlternativeId === t.alternativeId) {
          const delivered = completed || (o.status === GenerationStatus.Cancelled && o.content !== '');
          await em.update(
            Message,
            { id: t.messageId },
            { ...fields, deliveryStatus: delivered ? DeliveryStatus.Delivered : DeliveryStatus.Failed },
          );
        }
        if (completed) {
          await em
            .createQueryBuilder()
            .update(Message)
            .set({ deliveryStatus: DeliveryStatus.Delivered })
            .where(`conversation_id = :c AND seq < :s AND author_kind = 'user' AND delivery_status = 'sent'`, {
              c: t.conversationId,
              s: t.seq,
            })
            .execute();
          await em
            .createQueryBuilder()
            .update(Conversation)
            .set({ totalTokens: () => `total_tokens + ${Number(f.totalTokens)}`, lastActivityAt: () => 'now()' })
            .where({ id: t.conversationId })
            .execute();
        }
        await this.recordAnalytics(em, t, o, f);
      }
      if (o.upstream?.called && o.key) {
        await this.usage.recordUse(em, {
          apiKeyId: o.key.id,
          reservation: o.upstream.reservation,
          ok: o.status !== GenerationStatus.Failed,
          purpose: o.upstream.purpose,
          model: o.model,
          conversationId: t.conversationId,
          messageId: t.messageId,
          httpStatus: o.upstream.httpStatus,
          inputTokens: f.inputTokens,
          outputTokens: f.outputTokens,
          latencyMs: o.upstream.latencyMs,
          costUsd: f.cost,
          errorCode: o.status === GenerationStatus.Failed ? o.errorCode : null,
        });
      }
    });
    // outside the transaction: release opens its own (the embedded database has one connection)
    if (o.upstream && !o.upstream.called && o.upstream.reservation) await this.usage.release(o.upstream.reservation);
    if (completed) await this.extraction.afterGeneration(t.conversationId);
  }

  /** The alternative to show again after an empty failed regeneration: the one active before, else the newest completed. */
  private async previousCompleted(
    em: EntityManager,
    t: GenerationTarget,
    previousId: string | undefined,
  ): Promise<MessageAlternative | null> {
    if (previousId) {
      const prev = await em.findOne(MessageAlternative, {
        where: { id: previousId, messageId: t.messageId, generationStatus: GenerationStatus.Completed },
      });
      if (prev) return prev;
    }
    return em.findOne(MessageAlternative, {
      where: { messageId: t.messageId, generationStatus: In([GenerationStatus.Completed]) },
      order: { position: 'DESC' },
    });
  }

  private async recordAnalytics(
    em: EntityManager,
    t: GenerationTarget,
    o: GenerationOutcome,
    f: OutcomeFigures,
  ): Promise<void> {
    if (o.status === GenerationStatus.Completed) {
      await this.analytics.record(em, {
        type: AnalyticsEventType.ReplyGenerated,
        idempotencyKey: `reply:${t.alternativeId}`,
        actorUserId: t.requesterUserId,
        conversationId: t.conversationId,
        messageId: t.messageId,
        botId: t.botId,
        personaId: o.personaId,
        tokensIn: f.inputTokens,
        tokensOut: f.outputTokens,
        latencyMs: o.processingTimeMs,
        properties: { provider: o.key?.provider ?? null, model: o.model },
      });
    } else if (o.status === GenerationStatus.Failed) {
      await this.analytics.record(em, {
        type: AnalyticsEventType.ReplyFailed,
        idempotencyKey: `reply_fail:${t.alternativeId}`,
        actorUserId: t.requesterUserId,
        conversationId: t.conversationId,
        botId: t.botId,
        properties: { error_code: o.errorCode },
      });
    }
    if (!o.upstream?.called) return;
    await this.memories.markUsed(em, o.memoryIds);
    for (const memoryId of o.memoryIds) {
      await this.analytics.record(em, {
        type: AnalyticsEventType.MemoryRecalled,
        idempotencyKey: `mem_use:${t.alternativeId}:${memoryId}`,
        actorUserId: t.requesterUserId,
        memoryId,
        botId: t.botId,
        conversationId: t.conversationId,
        messageId: t.messageId,
      });
    }
  }

  /** Logs and swallows: used where a failure must not escape a detached generation. */
  warn(msg: string, err: unknown, ctx: Record<string, unknown>): void {
    this.logger.warn({ msg, err, ...ctx });
  }
}
