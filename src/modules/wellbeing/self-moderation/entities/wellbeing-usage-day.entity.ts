import { Check, Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { UpdateDateColumn } from 'typeorm';
import type { User } from '../../../identity/entities/user.entity.js';

/**
 * Exact per-local-day usage counters that enforcement reads (wellbeing.md §2.2). Written synchronously in the request
 * with `INSERT … ON CONFLICT (user_id, usage_date) DO UPDATE … RETURNING`, never by the analytics pipeline. The
 * primary key (user_id, usage_date) is the upsert target and serves the per-user date ranges; kept 400 days.
 */
@Entity('wellbeing_usage_days')
@Check('ck_wellbeing_usage_active', 'active_seconds >= 0')
@Check('ck_wellbeing_usage_messages', 'messages_sent >= 0')
@Check('ck_wellbeing_usage_late_night', 'late_night_seconds >= 0')
@Check('ck_wellbeing_usage_sessions', 'sessions_started >= 0')
export class WellbeingUsageDay {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_wellbeing_usage_days' }) userId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_wellbeing_usage_days_user' })
  user?: Relation<User>;
  /** Local date ('YYYY-MM-DD') in the settings' time zone. */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_wellbeing_usage_days' }) usageDate!: string;
  @Column({ type: 'integer', default: 0 }) activeSeconds!: number;
  @Column({ type: 'integer', default: 0 }) messagesSent!: number;
  @Column({ type: 'smallint', default: 0 }) sessionsStarted!: number;
  @Column({ type: 'integer', default: 0 }) lateNightSeconds!: number;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) firstActivityAt!: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) lastActivityAt!: Date | null;
  /** active_seconds reached the daily limit at some point that day. */
  @Column({ type: 'boolean', default: false }) overDailyLimit!: boolean;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt!: Date;
}
