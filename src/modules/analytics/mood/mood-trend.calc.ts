import { MoodTrend } from '../entities/analytics.enums.js';
import { addDays } from '../rollups/days.js';

/** One local day of a user's mood journal: the mean of that day's scores. */
export interface MoodDay {
  date: string;
  meanScore: number;
}

/** An entry of the last 30 local days, for the most frequent label and emotions. */
export interface MoodEntrySample {
  date: string;
  mood: string;
  emotions: string[];
  recordedAt: Date;
}

export interface MoodTrendFigures {
  asOfDate: string;
  avg7d: number | null;
  avgPrev7d: number | null;
  change7d: number | null;
  daysLogged7d: number;
  avg30d: number | null;
  avgPrev30d: number | null;
  change30d: number | null;
  daysLogged30d: number;
  trend7d: MoodTrend;
  trend30d: MoodTrend;
  currentStreak: number;
  longestStreak: number;
  lastEntryDate: string | null;
  topMood30d: string | null;
  topEmotions30d: string[];
}

/** A change of at least this much (either way) is a trend (analytics.md §2.6). */
export const TREND_THRESHOLD = 0.5;
const STREAK_HORIZON_DAYS = 730;

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Mean of the daily means over the days today−to..today−from (days without entries are skipped). */
function windowStats(byDate: Map<string, number>, today: string, from: number, to: number) {
  let sum = 0;
  let days = 0;
  for (let i = from; i <= to; i++) {
    const mean = byDate.get(addDays(today, -i));
    if (mean === undefined) continue;
    sum += mean;
    days += 1;
  }
  return { avg: days ? sum / days : null, days };
}

function trendOf(change: number | null): MoodTrend {
  if (change === null) return MoodTrend.InsufficientData;
  if (change >= TREND_THRESHOLD) return MoodTrend.Improving;
  if (change <= -TREND_THRESHOLD) return MoodTrend.Declining;
  return MoodTrend.Stable;
}

function compare(byDate: Map<string, number>, today: string, span: number, minDays: number) {
  const current = windowStats(byDate, today, 0, span - 1);
  const previous = windowStats(byDate, today, span, 2 * span - 1);
  const enough = current.days >= minDays && previous.days >= minDays;
  const change = enough ? round2(current.avg! - previous.avg!) : null;
  return {
    avg: current.avg === null ? null : round2(current.avg),
    prev: previous.avg === null ? null : round2(previous.avg),
    change,
    days: current.days,
    trend: trendOf(change),
  };
}

/** Most frequent values first; ties go to the most recent use. */
function ranked(values: { value: string; at: number }[]): string[] {
  const stats = new Map<string, { n: number; last: number }>();
  for (const { value, at } of values) {
    const s = stats.get(value) ?? { n: 0, last: 0 };
    s.n += 1;
    s.last = Math.max(s.last, at);
    stats.set(value, s);
  }
  return [...stats.entries()]
    .sort(([a, x], [b, y]) => y.n - x.n || y.last - x.last || (a < b ? -1 : 1))
    .map(([value]) => value);
}

/**
 * The mood_trends row of analytics.md §2.6, from the user's journal in local days. `days` are the logged days of
 * (at least) the last 730 days up to `today`; `recent` the entries of the last 30 days.
 */
export function computeMoodTrend(today: string, days: MoodDay[], recent: MoodEntrySample[]): MoodTrendFigures {
  const byDate = new Map(days.filter((d) => d.date <= today).map((d) => [d.date, d.meanScore]));
  const week = compare(byDate, today, 7, 3);
  const month = compare(byDate, today, 30, 8);

  const logged = (d: string) => byDate.has(d);
  let currentStreak = 0;
  for (let d = logged(today) ? today : addDays(today, -1); logged(d); d = addDays(d, -1)) currentStreak += 1;

  const horizon = addDays(today, -(STREAK_HORIZON_DAYS - 1));
  const sorted = [...byDate.keys()].filter((d) => d >= horizon).sort();
  let longestStreak = 0;
  let run = 0;
  let previous: string | null = null;
  for (const d of sorted) {
    run = previous !== null && addDays(previous, 1) === d ? run + 1 : 1;
    longestStreak = Math.max(longestStreak, run);
    previous = d;
  }

  const since = addDays(today, -29);
  const window = recent.filter((e) => e.date >= since && e.date <= today);
  return {
    asOfDate: today,
    avg7d: week.avg,
    avgPrev7d: week.prev,
    change7d: week.change,
    daysLogged7d: week.days,
    avg30d: month.avg,
    avgPrev30d: month.prev,
    change30d: month.change,
    daysLogged30d: month.days,
    trend7d: week.trend,
    trend30d: month.trend,
    currentStreak,
    longestStreak: Math.max(longestStreak, currentStreak),
    lastEntryDate: sorted.length ? sorted[sorted.length - 1] : null,
    topMood30d: ranked(window.map((e) => ({ value: e.mood, at: e.recordedAt.getTime() })))[0] ?? null,
    topEmotions30d: ranked(
      window.flatMap((e) => e.emotions.map((value) => ({ value, at: e.recordedAt.getTime() }))),
    ).slice(0, 3),
  };
}
