import { Check, Column, Entity, JoinColumn, OneToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { User } from '../../identity/entities/user.entity.js';
import { MOOD_EMOTION_ENUM, MOOD_LABEL_ENUM, MoodEmotion, MoodLabel } from '../../wellbeing/entities/mood.enums.js';
import { MOOD_TREND_ENUM, MoodTrend } from './analytics.enums.js';

/** One row per user, recomputed from mood_entries in the user's local days (analytics.md §2.6). Owner-only. */
@Entity('mood_trends')
@Check('ck_mood_trends_days', 'days_logged_7d BETWEEN 0 AND 7 AND days_logged_30d BETWEEN 0 AND 30')
@Check('ck_mood_trends_streaks', 'current_streak >= 0 AND longest_streak >= current_streak')
@Check('ck_mood_trends_emotions', 'cardinality(top_emotions_30d) <= 3')
export class MoodTrendRow {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_mood_trends' }) userId!: string;
  @OneToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_mood_trends_user' })
  user?: Relation<User>;
  @Column({ type: 'date' }) asOfDate!: string;
  @Column({ name: 'avg_7d', type: 'numeric', precision: 3, scale: 2, nullable: true }) avg7d!: string | null;
  @Column({ name: 'avg_prev_7d', type: 'numeric', precision: 3, scale: 2, nullable: true }) avgPrev7d!: string | null;
  @Column({ name: 'change_7d', type: 'numeric', precision: 4, scale: 2, nullable: true }) change7d!: string | null;
  @Column({ name: 'days_logged_7d', type: 'smallint', default: 0 }) daysLogged7d!: number;
  @Column({ name: 'avg_30d', type: 'numeric', precision: 3, scale: 2, nullable: true }) avg30d!: string | null;
  @Column({ name: 'avg_prev_30d', type: 'numeric', precision: 3, scale: 2, nullable: true }) avgPrev30d!: string | null;
  @Column({ name: 'change_30d', type: 'numeric', precision: 4, scale: 2, nullable: true }) change30d!: string | null;
  @Column({ name: 'days_logged_30d', type: 'smallint', default: 0 }) daysLogged30d!: number;
  @Column({
    name: 'trend_7d',
    type: 'enum',
    enum: MoodTrend,
    enumName: MOOD_TREND_ENUM,
    default: MoodTrend.InsufficientData,
  })
  trend7d!: MoodTrend;
  @Column({
    name: 'trend_30d',
    type: 'enum',
    enum: MoodTrend,
    enumName: MOOD_TREND_ENUM,
    default: MoodTrend.InsufficientData,
  })
  trend30d!: MoodTrend;
  @Column({ type: 'smallint', default: 0 }) currentStreak!: number;
  @Column({ type: 'smallint', default: 0 }) longestStreak!: number;
  @Column({ type: 'date', nullable: true }) lastEntryDate!: string | null;
  @Column({ name: 'top_mood_30d', type: 'enum', enum: MoodLabel, enumName: MOOD_LABEL_ENUM, nullable: true })
  topMood30d!: MoodLabel | null;
  @Column({
    name: 'top_emotions_30d',
    type: 'enum',
    enum: MoodEmotion,
    enumName: MOOD_EMOTION_ENUM,
    array: true,
    default: () => `'{}'`,
  })
  topEmotions30d!: MoodEmotion[];
  @Column({ type: 'timestamptz', default: () => 'now()' }) computedAt!: Date;
}
