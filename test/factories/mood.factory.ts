import { MoodEntry } from '../../src/modules/wellbeing/entities/mood-entry.entity.js';
import { MoodLabel, MoodSource } from '../../src/modules/wellbeing/entities/mood.enums.js';
import { DEFAULT_MOOD_SCORE, localDate } from '../../src/modules/wellbeing/mood-dates.js';
import type { TestApp } from '../setup/test-app.js';

/** An in-memory mood entry (nothing saved); entry_date follows recorded_at in UTC unless given. */
export function buildMoodEntry(overrides: Partial<MoodEntry> & { userId: string }): MoodEntry {
  const recordedAt = overrides.recordedAt ?? new Date();
  const mood = overrides.mood ?? MoodLabel.Neutral;
  return Object.assign(new MoodEntry(), {
    recordedAt,
    entryDate: localDate(recordedAt, 'UTC'),
    mood,
    score: DEFAULT_MOOD_SCORE[mood],
    intensity: null,
    energy: null,
    emotions: [],
    triggers: [],
    note: null,
    source: MoodSource.Manual,
    ...overrides,
  });
}

/** Saves a mood entry directly (bypasses the daily cap: use it to fill a day). */
export async function createMoodEntry(
  ctx: TestApp,
  overrides: Partial<MoodEntry> & { userId: string },
): Promise<MoodEntry> {
  return ctx.ds.getRepository(MoodEntry).save(buildMoodEntry(overrides));
}
