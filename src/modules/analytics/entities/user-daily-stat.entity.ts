import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { User } from '../../identity/entities/user.entity.js';

/** UsageAnalytics: one user's activity per UTC day (analytics.md §2.1). Written only by the rollup job. */
@Entity('user_daily_stats')
@Check(
  'ck_user_daily_stats_counters',
  'messages_sent >= 0 AND replies_received >= 0 AND reply_failures >= 0 AND conversations_started >= 0 AND ' +
    'conversations_ended >= 0 AND bots_chatted >= 0 AND tokens_in >= 0 AND tokens_out >= 0 AND ' +
    'memories_created >= 0 AND mood_entries >= 0 AND bots_created >= 0',
)
export class UserDailyStat {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_user_daily_stats' }) userId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_user_daily_stats_user' })
  user?: Relation<User>;
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_user_daily_stats' }) day!: string;
  @Column({ type: 'integer', default: 0 }) messagesSent!: number;
  @Column({ type: 'integer', default: 0 }) repliesReceived!: number;
  @Column({ type: 'integer', default: 0 }) replyFailures!: number;
  @Column({ type: 'integer', default: 0 }) conversationsStarted!: number;
  @Column({ type: 'integer', default: 0 }) conversationsEnded!: number;
  @Column({ type: 'integer', default: 0 }) botsChatted!: number;
  @Column({ type: 'bigint', default: 0 }) tokensIn!: string;
  @Column({ type: 'bigint', default: 0 }) tokensOut!: string;
  @Column({ type: 'integer', default: 0 }) memoriesCreated!: number;
  @Column({ type: 'integer', default: 0 }) moodEntries!: number;
  @Column({ type: 'integer', default: 0 }) botsCreated!: number;
  @Column({ type: 'timestamptz', default: () => 'now()' }) computedAt!: Date;
}
