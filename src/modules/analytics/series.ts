import type { Granularity } from './dto/analytics-query.dto.js';
import { addDays, daysBetween } from './rollups/days.js';

export type Counters<C extends string> = Record<C, number>;
export type DayRow<C extends string> = { day: string } & Partial<Record<C, number | string>>;

/** The start of the period a day belongs to: itself, the Monday of its ISO week, or the 1st of its month. */
export function periodStart(day: string, granularity: Granularity): string {
  if (granularity === 'day') return day;
  if (granularity === 'month') return `${day.slice(0, 7)}-01`;
  const weekday = (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  return addDays(day, -weekday);
}

export function zeros<C extends string>(counters: readonly C[]): Counters<C> {
  return Object.fromEntries(counters.map((c) => [c, 0])) as Counters<C>;
}

/**
 * Sums daily rollup rows into day / week / month periods over from..to (analytics.md §4). Days without a row count
 * as zeros, so every period of the range appears. bigint columns arrive as strings and are summed as numbers.
 */
export function buildSeries<C extends string>(
  rows: DayRow<C>[],
  counters: readonly C[],
  from: string,
  to: string,
  granularity: Granularity,
): { series: ({ period_start: string } & Counters<C>)[]; totals: Counters<C> } {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const periods = new Map<string, { period_start: string } & Counters<C>>();
  const totals = zeros(counters);
  for (const day of daysBetween(from, to)) {
    const start = periodStart(day, granularity);
    let point = periods.get(start);
    if (!point) periods.set(start, (point = { period_start: start, ...zeros(counters) }));
    const row = byDay.get(day);
    if (!row) continue;
    for (const c of counters) {
      const v = Number(row[c] ?? 0);
      (point as Counters<C>)[c] += v;
      totals[c] += v;
    }
  }
  return { series: [...periods.values()], totals };
}

/** a / b, or null when b is 0; rounded to 4 decimals. */
export function ratio(a: number, b: number): number | null {
  return b ? Math.round((a / b) * 10_000) / 10_000 : null;
}
