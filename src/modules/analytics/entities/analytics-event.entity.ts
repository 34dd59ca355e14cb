import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { ANALYTICS_EVENT_TYPE_ENUM, AnalyticsEventType } from './analytics.enums.js';

/**
 * Append-only log of measurable domain events (analytics.md §1), the only input of the rollups. No foreign keys:
 * a cascade would rewrite millions of rows; `analytics.forget-user` anonymizes instead. Never holds message text,
 * mood scores or notes, IP addresses or user agents.
 */
@Entity('analytics_events')
@Index('ux_analytics_events_idem', ['idempotencyKey'], { unique: true })
@Index('ix_analytics_events_recorded', ['recordedAt'])
@Index('ix_analytics_events_type_time', ['eventType', 'occurredAt'])
@Index('ix_analytics_events_bot', ['botId', 'occurredAt'], { where: 'bot_id IS NOT NULL' })
@Index('ix_analytics_events_actor', ['actorUserId', 'occurredAt'], { where: 'actor_user_id IS NOT NULL' })
@Index('ix_analytics_events_persona', ['personaId', 'occurredAt'], { where: 'persona_id IS NOT NULL' })
@Check('ck_analytics_events_tokens_in', 'tokens_in >= 0')
@Check('ck_analytics_events_tokens_out', 'tokens_out >= 0')
@Check('ck_analytics_events_latency', 'latency_ms >= 0')
// The recorder enforces 2 KB on the compact JSON; jsonb's text form adds spaces, so the database backstop is looser.
@Check(
  'ck_analytics_events_properties',
  `jsonb_typeof(properties) = 'object' AND octet_length(properties::text) <= 4096`,
)
export class AnalyticsEvent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_analytics_events' }) id!: string;
  @Column({ type: 'enum', enum: AnalyticsEventType, enumName: ANALYTICS_EVENT_TYPE_ENUM })
  eventType!: AnalyticsEventType;
  /** Server clock only; decides the rollup day (UTC). */
  @Column({ type: 'timestamptz', default: () => 'now()' }) occurredAt!: Date;
  /** Insert time: the sweep's watermark. */
  @Column({ type: 'timestamptz', default: () => 'now()' }) recordedAt!: Date;
  @Column({ type: 'varchar', length: 200 }) idempotencyKey!: string;
  @Column({ type: 'uuid', nullable: true }) actorUserId!: string | null;
  /** User id as text, `anon:` + 32 hex characters for anonymous viewers, `system`, or `deleted`. */
  @Column({ type: 'varchar', length: 80 }) actorKey!: string;
  @Column({ type: 'uuid', nullable: true }) botId!: string | null;
  @Column({ type: 'uuid', nullable: true }) conversationId!: string | null;
  @Column({ type: 'uuid', nullable: true }) personaId!: string | null;
  @Column({ type: 'uuid', nullable: true }) memoryId!: string | null;
  @Column({ type: 'uuid', nullable: true }) messageId!: string | null;
  @Column({ type: 'integer', nullable: true }) tokensIn!: number | null;
  @Column({ type: 'integer', nullable: true }) tokensOut!: number | null;
  @Column({ type: 'integer', nullable: true }) latencyMs!: number | null;
  /** Per-type extras only (provider, model, error_code, reason, category, severity, country); ≤ 2 KB. */
  @Column({ type: 'jsonb', default: () => `'{}'` }) properties!: Record<string, unknown>;
}
