import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import {
  MOOD_EMOTION_ENUM,
  MOOD_LABEL_ENUM,
  MOOD_SOURCE_ENUM,
  MoodEmotion,
  MoodLabel,
  MoodSource,
} from './mood.enums.js';

/**
 * A user's self-reported mood check-in (wellbeing.md §1). Owner-only health data: never logged, never shown to staff.
 * The spec's index (user_id, entry_date DESC, recorded_at DESC) is declared ascending with `id` appended: a btree
 * scanned backwards serves the newest-first keyset order, and the daily-cap count uses its (user_id, entry_date) prefix.
 */
@Entity('mood_entries')
@Index('ix_mood_entries_user_date', ['userId', 'entryDate', 'recordedAt', 'id'])
@Check('ck_mood_entries_score', 'score BETWEEN 1 AND 5')
@Check('ck_mood_entries_intensity', 'intensity BETWEEN 1 AND 5')
@Check('ck_mood_entries_energy', 'energy BETWEEN 1 AND 5')
@Check('ck_mood_entries_emotions', 'cardinality(emotions) <= 8')
@Check('ck_mood_entries_triggers', 'cardinality(triggers) <= 10')
@Check('ck_mood_entries_note', 'char_length(note) <= 2000')
export class MoodEntry extends TimestampedEntity {
  /** Always the caller (from the token). */
  @Column({ type: 'uuid' }) userId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_mood_entries_user' })
  user?: Relation<User>;

  /** When the mood was felt; back-dating up to 30 days. Millisecond precision keeps keyset cursors exact. */
  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' }) recordedAt!: Date;
  /** Local date of recorded_at (server-computed), as 'YYYY-MM-DD'. */
  @Column({ type: 'date' }) entryDate!: string;
  @Column({ type: 'enum', enum: MoodLabel, enumName: MOOD_LABEL_ENUM }) mood!: MoodLabel;
  /** Valence 1..5 used for averages; defaults from the mood. */
  @Column({ type: 'smallint' }) score!: number;
  @Column({ type: 'smallint', nullable: true }) intensity!: number | null;
  @Column({ type: 'smallint', nullable: true }) energy!: number | null;
  @Column({ type: 'enum', enum: MoodEmotion, enumName: MOOD_EMOTION_ENUM, array: true, default: () => `'{}'` })
  emotions!: MoodEmotion[];
  @Column({ type: 'text', array: true, default: () => `'{}'` }) triggers!: string[];
  /** Private to the owner. */
  @Column({ type: 'text', nullable: true }) note!: string | null;
  @Column({ type: 'enum', enum: MoodSource, enumName: MOOD_SOURCE_ENUM, default: MoodSource.Manual })
  source!: MoodSource;
}
