import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../../common/database/timestamped.entity.js';
import type { User } from '../../../identity/entities/user.entity.js';
import {
  CRISIS_NOTICE_LEVEL_ENUM,
  CrisisNoticeLevel,
  WELLBEING_ENFORCEMENT_ENUM,
  WellbeingEnforcement,
} from './self-moderation.enums.js';

/**
 * A user's own limits, healthy-habit preferences and crisis-notice choices (wellbeing.md §2.1); one row per user.
 * Owner-only data: never logged, never shown to staff. Nothing is counted or enforced without an active row.
 */
@Entity('self_moderation_settings')
@Index('ux_self_mod_user', ['userId'], { unique: true })
@Check('ck_self_mod_quiet', 'quiet_hours_start <> quiet_hours_end')
@Check('ck_self_mod_pending', '(pending_changes IS NULL) = (pending_apply_at IS NULL)')
@Check('ck_self_mod_warn_at', 'warn_at_percent BETWEEN 50 AND 100')
@Check('ck_self_mod_daily_minutes', 'daily_minutes_limit BETWEEN 15 AND 480')
@Check('ck_self_mod_weekly_minutes', 'weekly_minutes_limit BETWEEN 60 AND 3360')
@Check('ck_self_mod_daily_messages', 'daily_messages_limit BETWEEN 10 AND 5000')
@Check('ck_self_mod_session_minutes', 'session_minutes_limit BETWEEN 10 AND 480')
@Check('ck_self_mod_break_interval', 'break_interval_minutes BETWEEN 10 AND 60')
@Check('ck_self_mod_quiet_hours', 'quiet_hours_start BETWEEN 0 AND 23 AND quiet_hours_end BETWEEN 0 AND 23')
@Check('ck_self_mod_streak_days', 'overuse_streak_days BETWEEN 0 AND 7')
export class SelfModerationSettings extends TimestampedEntity {
  @Column({ type: 'uuid' }) userId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_self_mod_user' })
  user?: Relation<User>;

  @Column({ type: 'boolean', default: true }) isActive!: boolean;
  /** IANA name; defines the local day, the ISO week (Monday) and quiet hours. */
  @Column({ type: 'text', default: 'UTC' }) timezone!: string;
  @Column({
    type: 'enum',
    enum: WellbeingEnforcement,
    enumName: WELLBEING_ENFORCEMENT_ENUM,
    default: WellbeingEnforcement.Warn,
  })
  enforcement!: WellbeingEnforcement;
  @Column({ type: 'smallint', default: 80 }) warnAtPercent!: number;
  @Column({ type: 'smallint', nullable: true }) dailyMinutesLimit!: number | null;
  @Column({ type: 'smallint', nullable: true }) weeklyMinutesLimit!: number | null;
  @Column({ type: 'smallint', nullable: true }) dailyMessagesLimit!: number | null;
  @Column({ type: 'smallint', nullable: true }) sessionMinutesLimit!: number | null;
  @Column({ type: 'boolean', default: true }) breakRemindersEnabled!: boolean;
  @Column({ type: 'smallint', default: 25 }) breakIntervalMinutes!: number;
  @Column({ type: 'boolean', default: false }) mindfulnessBreaks!: boolean;
  @Column({ type: 'boolean', default: true }) moodCheckinsEnabled!: boolean;
  @Column({ type: 'boolean', default: false }) quietHoursEnabled!: boolean;
  @Column({ type: 'smallint', default: 22 }) quietHoursStart!: number;
  @Column({ type: 'smallint', default: 8 }) quietHoursEnd!: number;
  @Column({ type: 'boolean', default: true }) notifyDailyExceeded!: boolean;
  @Column({ type: 'boolean', default: true }) notifyLateNight!: boolean;
  @Column({ type: 'smallint', default: 2 }) overuseStreakDays!: number;
  @Column({ type: 'boolean', default: true }) notifyMoodDecline!: boolean;
  @Column({
    type: 'enum',
    enum: CrisisNoticeLevel,
    enumName: CRISIS_NOTICE_LEVEL_ENUM,
    default: CrisisNoticeLevel.All,
  })
  crisisNotices!: CrisisNoticeLevel;
  @Column({ type: 'char', length: 2, nullable: true }) supportCountry!: string | null;
  @Column({ type: 'varchar', length: 6, nullable: true }) supportSubdivision!: string | null;
  @Column({ type: 'varchar', length: 12, nullable: true }) supportLanguage!: string | null;

  /** Server-maintained (read-only to everyone). */
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) sessionStartedAt!: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) lastActivityAt!: Date | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) lastBreakReminderAt!: Date | null;
  /** Set by POST /wellbeing/check-in. */
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) lastCheckinAt!: Date | null;
  /** Loosening that waits for pending_apply_at: snake_case editable fields → value. */
  @Column({ type: 'jsonb', nullable: true }) pendingChanges!: Record<string, unknown> | null;
  @Column({ type: 'timestamptz', precision: 3, nullable: true }) pendingApplyAt!: Date | null;
}
