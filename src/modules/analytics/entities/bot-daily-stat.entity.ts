import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { Bot } from '../../bots/entities/bot.entity.js';

/** A bot's audience per UTC day, for its creator (analytics.md §2.2). Counts only, never who. */
@Entity('bot_daily_stats')
@Check(
  'ck_bot_daily_stats_counters',
  'views >= 0 AND unique_viewers >= 0 AND likes >= 0 AND unlikes >= 0 AND favorites >= 0 AND unfavorites >= 0 AND ' +
    'conversations_started >= 0 AND user_messages >= 0 AND unique_chatters >= 0 AND new_chatters >= 0 AND ' +
    'replies >= 0 AND reply_failures >= 0 AND tokens_out >= 0 AND latency_ms_sum >= 0 AND latency_count >= 0 AND ' +
    'memories_created >= 0',
)
export class BotDailyStat {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_bot_daily_stats' }) botId!: string;
  @ManyToOne('Bot', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_bot_daily_stats_bot' })
  bot?: Relation<Bot>;
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_bot_daily_stats' }) day!: string;
  @Column({ type: 'integer', default: 0 }) views!: number;
  @Column({ type: 'integer', default: 0 }) uniqueViewers!: number;
  @Column({ type: 'integer', default: 0 }) likes!: number;
  @Column({ type: 'integer', default: 0 }) unlikes!: number;
  @Column({ type: 'integer', default: 0 }) favorites!: number;
  @Column({ type: 'integer', default: 0 }) unfavorites!: number;
  @Column({ type: 'integer', default: 0 }) conversationsStarted!: number;
  @Column({ type: 'integer', default: 0 }) userMessages!: number;
  @Column({ type: 'integer', default: 0 }) uniqueChatters!: number;
  @Column({ type: 'integer', default: 0 }) newChatters!: number;
  @Column({ type: 'integer', default: 0 }) replies!: number;
  @Column({ type: 'integer', default: 0 }) replyFailures!: number;
  @Column({ type: 'bigint', default: 0 }) tokensOut!: string;
  @Column({ type: 'bigint', default: 0 }) latencyMsSum!: string;
  @Column({ type: 'integer', default: 0 }) latencyCount!: number;
  @Column({ type: 'integer', default: 0 }) memoriesCreated!: number;
  @Column({ type: 'timestamptz', default: () => 'now()' }) computedAt!: Date;
}
