import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner } from 'typeorm';
import { AnalyticsEventType, MAX_EVENT_PROPERTIES_BYTES } from '../entities/analytics.enums.js';
import { RollupScheduler } from './rollup-scheduler.js';
import { type RollupTarget, rollupTargetsOf, targetKey } from './rollup-targets.js';

/** One event as a producer records it (analytics.md §1; dimension keys as the event table lists them). */
export interface AnalyticsEventInput {
  type: AnalyticsEventType | `${AnalyticsEventType}`;
  /** Exactly as analytics.md §1 lists it; a retried producer inserts nothing new. */
  idempotencyKey: string;
  actorUserId?: string | null;
  /** Defaults to actorUserId, else `system`. */
  actorKey?: string;
  botId?: string | null;
  conversationId?: string | null;
  personaId?: string | null;
  memoryId?: string | null;
  messageId?: string | null;
  tokensIn?: number | null;
  tokensOut?: number | null;
  latencyMs?: number | null;
  /** Per-type extras only (provider, model, error_code, reason, category, severity, country); ≤ 2 KB. */
  properties?: Record<string, unknown>;
  /** Defaults to the database clock. */
  occurredAt?: Date;
}

/**
 * The transactional outbox of analytics (analytics.md §3.1): the event is inserted inside the producer's transaction,
 * so it exists exactly when the domain change committed; the rollup jobs it triggers are scheduled after commit.
 */
@Injectable()
export class AnalyticsRecorder implements OnModuleInit {
  private readonly logger = new Logger(AnalyticsRecorder.name);
  /** Targets touched inside a still-open transaction, keyed by its query runner. */
  private readonly pending = new WeakMap<QueryRunner, Map<string, RollupTarget>>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly scheduler: RollupScheduler,
  ) {}

  onModuleInit(): void {
    const subscriber: EntitySubscriberInterface = {
      afterTransactionCommit: ({ queryRunner }) => this.afterCommit(queryRunner),
      afterTransactionRollback: ({ queryRunner }) => {
        // A rolled-back savepoint may have held events, but scheduling a recompute too many is harmless.
        if (!queryRunner.isTransactionActive) this.pending.delete(queryRunner);
      },
    };
    this.dataSource.subscribers.push(subscriber);
  }

  async record(em: EntityManager, event: AnalyticsEventInput): Promise<void> {
    const properties = JSON.stringify(event.properties ?? {});
    if (Buffer.byteLength(properties) > MAX_EVENT_PROPERTIES_BYTES) {
      throw new Error(`analytics event properties exceed ${MAX_EVENT_PROPERTIES_BYTES} bytes (${event.type})`);
    }
    const actorUserId = event.actorUserId ?? null;
    const rows: { day: string }[] = await em.query(
      `INSERT INTO analytics_events (event_type, occurred_at, idempotency_key, actor_user_id, actor_key, bot_id,
         conversation_id, persona_id, memory_id, message_id, tokens_in, tokens_out, latency_ms, properties)
       VALUES ($1, coalesce($2::timestamptz, now()), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14::jsonb)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day`,
      [
        event.type,
        event.occurredAt ?? null,
        event.idempotencyKey,
        actorUserId,
        event.actorKey ?? actorUserId ?? 'system',
        event.botId ?? null,
        event.conversationId ?? null,
        event.personaId ?? null,
        event.memoryId ?? null,
        event.messageId ?? null,
        event.tokensIn ?? null,
        event.tokensOut ?? null,
        event.latencyMs ?? null,
        properties,
      ],
    );
    if (!rows.length) return; // already recorded: nothing new to roll up
    const targets = rollupTargetsOf({
      eventType: event.type,
      day: rows[0].day,
      actorUserId,
      botId: event.botId ?? null,
      personaId: event.personaId ?? null,
    });
    const runner = em.queryRunner;
    if (runner?.isTransactionActive) {
      let collected = this.pending.get(runner);
      if (!collected) this.pending.set(runner, (collected = new Map()));
      for (const t of targets) collected.set(targetKey(t), t);
    } else {
      await this.scheduleSafely(targets);
    }
  }

  private async afterCommit(runner: QueryRunner): Promise<void> {
    if (runner.isTransactionActive) return; // a savepoint was released; the outer transaction is still open
    const collected = this.pending.get(runner);
    if (!collected) return;
    this.pending.delete(runner);
    await this.scheduleSafely([...collected.values()]);
  }

  /** Never throws: the producer's change is committed; the hourly sweep repairs a missed schedule. */
  private async scheduleSafely(targets: RollupTarget[]): Promise<void> {
    try {
      await this.scheduler.schedule(targets);
    } catch (err) {
      this.logger.warn({ msg: 'scheduling analytics rollups failed; the sweep will catch up', err });
    }
  }
}
