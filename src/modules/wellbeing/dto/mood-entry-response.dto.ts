import { ApiProperty } from '@nestjs/swagger';
import type { MoodEntry } from '../entities/mood-entry.entity.js';
import { MoodEmotion, MoodLabel, MoodSource } from '../entities/mood.enums.js';

/** One of your mood entries (owner-only). */
export class MoodEntryResponseDto {
  /** Entry id. */
  id!: string;
  /** The owner: always you. */
  user_id!: string;
  /** When the mood was felt. */
  recorded_at!: Date;
  /** Local date of recorded_at (YYYY-MM-DD). */
  entry_date!: string;
  @ApiProperty({ enum: MoodLabel, enumName: 'MoodLabel' }) mood!: MoodLabel;
  /** Valence 1–5. */
  score!: number;
  /** 1–5 or null. */
  intensity!: number | null;
  /** 1–5 or null. */
  energy!: number | null;
  @ApiProperty({ enum: MoodEmotion, enumName: 'MoodEmotion', isArray: true }) emotions!: MoodEmotion[];
  /** Lower-case tags. */
  triggers!: string[];
  /** Private note. */
  note!: string | null;
  @ApiProperty({ enum: MoodSource, enumName: 'MoodSource' }) source!: MoodSource;
  /** Created. */
  created_at!: Date;
  /** Last changed. */
  updated_at!: Date;
}

export class MoodEntryPageDto {
  /** Newest first. */
  items!: MoodEntryResponseDto[];
  /** Cursor of the next page, or null. */
  next_cursor!: string | null;
}

export class MoodTodayDto {
  /** The local date used as today (YYYY-MM-DD). */
  entry_date!: string;
  /** Today's entries, newest first. */
  items!: MoodEntryResponseDto[];
  /** True while there is no entry today (check-ins are on unless self-moderation settings turn them off). */
  checkin_due!: boolean;
}

export function toMoodEntryResponse(e: MoodEntry): MoodEntryResponseDto {
  return {
    id: e.id,
    user_id: e.userId,
    recorded_at: e.recordedAt,
    entry_date: e.entryDate,
    mood: e.mood,
    score: e.score,
    intensity: e.intensity,
    energy: e.energy,
    emotions: e.emotions,
    triggers: e.triggers,
    note: e.note,
    source: e.source,
    created_at: e.createdAt,
    updated_at: e.updatedAt,
  };
}
