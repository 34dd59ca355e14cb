import { localDate } from '../mood-dates.js';

/**
 * Pure local-time arithmetic for self-moderation (wellbeing.md §2–§3): local days, ISO weeks starting Monday, quiet
 * hours that may wrap midnight, and the reset instants of every limit. No I/O; dates are 'YYYY-MM-DD' strings.
 */

const DAY_MS = 86_400_000;

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Wall-clock fields of an instant in a time zone. */
export function localParts(at: Date, timeZone: string): LocalParts {
  const parts = formatter(timeZone).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour') % 24,
    minute: get('minute'),
    second: get('second'),
  };
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The local calendar date of an instant. */
export const localDay = localDate;

/** UTC offset of the zone at an instant, in minutes (Europe/Berlin in summer: +120). */
export function offsetMinutes(at: Date, timeZone: string): number {
  const p = localParts(at, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant at which the local wall clock shows `date` `hour`:00 (the first one after a DST gap or overlap). */
export function zonedInstant(date: string, hour: number, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d, hour, 0, 0);
  // Two refinement rounds settle the offset, also across a transition.
  let guess = wall - offsetMinutes(new Date(wall), timeZone) * 60_000;
  guess = wall - offsetMinutes(new Date(guess), timeZone) * 60_000;
  return new Date(guess);
}

/** `date` plus `days` calendar days. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d) + days * DAY_MS).toISOString().slice(0, 10);
}

/** ISO weekday of a date: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

/** The Monday of the ISO week containing `date`. */
export function weekStart(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

/** ISO 8601 with the zone's offset, seconds precision: `2025-06-02T00:00:00+02:00`. */
export function formatLocal(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  const off = offsetMinutes(at, timeZone);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return (
    `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** Local "HH:MM" of an instant. */
export function localHourMinute(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** Next local midnight after `at`. */
export function nextLocalMidnight(at: Date, timeZone: string): Date {
  return zonedInstant(addDays(localDay(at, timeZone), 1), 0, timeZone);
}

/** Next Monday 00:00 local after `at`. */
export function nextLocalMonday(at: Date, timeZone: string): Date {
  return zonedInstant(addDays(weekStart(localDay(at, timeZone)), 7), 0, timeZone);
}

/** True when local hour `hour` lies in [start, end), wrapping midnight when start > end. */
export function hourInQuiet(hour: number, start: number, end: number): boolean {
  if (start === end) return false;
  return start < end ? hour >= start && hour < end : hour >= start || hour < end;
}

/** The local hours covered by [start, end). */
export function quietHourSet(start: number, end: number): Set<number> {
  const set = new Set<number>();
  for (let h = 0; h < 24; h += 1) if (hourInQuiet(h, start, end)) set.add(h);
  return set;
}

export function inQuietHours(at: Date, timeZone: string, start: number, end: number): boolean {
  return hourInQuiet(localParts(at, timeZone).hour, start, end);
}

/** The next instant the local clock shows `end`:00 (the end of the current quiet period). */
export function quietHoursEnd(at: Date, timeZone: string, end: number): Date {
  const today = localDay(at, timeZone);
  const candidate = zonedInstant(today, end, timeZone);
  return candidate.getTime() > at.getTime() ? candidate : zonedInstant(addDays(today, 1), end, timeZone);
}

/**
 * The local date a night is filed under: the evening's date. With quiet hours 22–8, 23:30 on the 1st and 02:00 on
 * the 2nd are both the night of the 1st.
 */
export function nightOf(at: Date, timeZone: string, start: number, end: number): string {
  const today = localDay(at, timeZone);
  const hour = localParts(at, timeZone).hour;
  return start > end && hour < end ? addDays(today, -1) : today;
}

/** Whole seconds from `now` until `then` (at least 1). */
export function secondsUntil(now: Date, then: Date): number {
  return Math.max(1, Math.ceil((then.getTime() - now.getTime()) / 1000));
}
