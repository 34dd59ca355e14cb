/** UTC calendar days as 'YYYY-MM-DD' (analytics.md: days are UTC except mood trends). */
export const DAY_MS = 86_400_000;

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS));
}

/** Inclusive list of days from..to (empty when from > to). */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export function isDay(value: unknown): value is string {
  return (
    typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && utcDay(new Date(`${value}T00:00:00Z`)) === value
  );
}

/** The oldest day rollups may still be recomputed for: events before it may already be pruned. */
export function oldestRecomputableDay(now: Date, retentionDays: number): string {
  return addDays(utcDay(now), -retentionDays);
}
