import { MoodLabel } from './entities/mood.enums.js';

/** wellbeing.md §1: at most this many entries per user and local day. */
export const MOOD_DAILY_CAP = 24;
/** Back-dating window and clock-skew allowance for recorded_at. */
export const MOOD_MAX_BACKDATE_MS = 30 * 24 * 60 * 60 * 1000;
export const MOOD_MAX_FUTURE_MS = 5 * 60 * 1000;

/** Default valence per label (wellbeing.md §1). */
export const DEFAULT_MOOD_SCORE: Record<MoodLabel, number> = {
  very_happy: 5,
  happy: 4,
  excited: 4,
  content: 4,
  neutral: 3,
  anxious: 2,
  frustrated: 2,
  sad: 2,
  angry: 2,
  very_sad: 1,
};

/** True for a time zone name the runtime knows (IANA, e.g. "Europe/Berlin", or "UTC"). */
export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The local calendar date ('YYYY-MM-DD') of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Seconds from `now` until the local day after `date` begins in `timeZone` (at least 1; a day for past dates). */
export function secondsUntilNextLocalDay(now: Date, date: string, timeZone: string): number {
  if (localDate(now, timeZone) > date) return 86_400; // a past day never resets; suggest tomorrow
  // Walk forward in 15-minute steps from now (≤ 2 days) until the local date passes `date`; exact enough for a hint.
  const step = 15 * 60 * 1000;
  for (let t = now.getTime(); t <= now.getTime() + 2 * 86_400_000; t += step) {
    if (localDate(new Date(t), timeZone) > date) return Math.max(1, Math.ceil((t - now.getTime()) / 1000));
  }
  return 86_400;
}

/** Why recorded_at is refused, or null when it is inside [now − 30 days, now + 5 min]. */
export function recordedAtProblem(recordedAt: Date, now: Date): string | null {
  if (recordedAt.getTime() < now.getTime() - MOOD_MAX_BACKDATE_MS) {
    return 'recorded_at must not be more than 30 days in the past';
  }
  if (recordedAt.getTime() > now.getTime() + MOOD_MAX_FUTURE_MS) {
    return 'recorded_at must not be more than 5 minutes in the future';
  }
  return null;
}
