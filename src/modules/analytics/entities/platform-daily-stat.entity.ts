import { Check, Column, Entity, PrimaryColumn } from 'typeorm';

/** Admin totals per UTC day, computed from events so deletions do not rewrite history (analytics.md §2.5). */
@Entity('platform_daily_stats')
@Check(
  'ck_platform_daily_stats_counters',
  'new_users >= 0 AND active_users >= 0 AND messages_sent >= 0 AND replies >= 0 AND reply_failures >= 0 AND ' +
    'tokens_in >= 0 AND tokens_out >= 0 AND conversations_started >= 0 AND bots_created >= 0 AND bot_views >= 0 AND ' +
    'likes >= 0 AND mood_entries >= 0 AND memories_created >= 0 AND crisis_notices >= 0',
)
export class PlatformDailyStat {
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_platform_daily_stats' }) day!: string;
  @Column({ type: 'integer', default: 0 }) newUsers!: number;
  @Column({ type: 'integer', default: 0 }) activeUsers!: number;
  @Column({ type: 'integer', default: 0 }) messagesSent!: number;
  @Column({ type: 'integer', default: 0 }) replies!: number;
  @Column({ type: 'integer', default: 0 }) replyFailures!: number;
  @Column({ type: 'bigint', default: 0 }) tokensIn!: string;
  @Column({ type: 'bigint', default: 0 }) tokensOut!: string;
  @Column({ type: 'integer', default: 0 }) conversationsStarted!: number;
  @Column({ type: 'integer', default: 0 }) botsCreated!: number;
  @Column({ type: 'integer', default: 0 }) botViews!: number;
  @Column({ type: 'integer', default: 0 }) likes!: number;
  @Column({ type: 'integer', default: 0 }) moodEntries!: number;
  @Column({ type: 'integer', default: 0 }) memoriesCreated!: number;
  @Column({ type: 'integer', default: 0 }) crisisNotices!: number;
  @Column({ type: 'timestamptz', default: () => 'now()' }) computedAt!: Date;
}
