import {
  addDays,
  formatLocal,
  hourInQuiet,
  isoWeekday,
  localDay,
  nextLocalMidnight,
  nextLocalMonday,
  nightOf,
  quietHoursEnd,
  weekStart,
  zonedInstant,
} from './usage-time.js';

describe('usage-time (wellbeing.md §3 local days, weeks, quiet hours)', () => {
  it('computes local days and midnights in the user’s zone', () => {
    const at = new Date('2025-06-01T22:30:00Z'); // 00:30 on 2 June in Berlin (UTC+2)
    expect(localDay(at, 'Europe/Berlin')).toBe('2025-06-02');
    expect(localDay(at, 'UTC')).toBe('2025-06-01');
    expect(nextLocalMidnight(at, 'Europe/Berlin').toISOString()).toBe('2025-06-02T22:00:00.000Z');
    expect(formatLocal(nextLocalMidnight(at, 'Europe/Berlin'), 'Europe/Berlin')).toBe('2025-06-03T00:00:00+02:00');
  });

  it('handles DST transitions when finding a local hour', () => {
    // Berlin springs forward on 2025-03-30 (02:00 → 03:00): midnight of the 31st is 22:00Z on the 30th
    expect(zonedInstant('2025-03-31', 0, 'Europe/Berlin').toISOString()).toBe('2025-03-30T22:00:00.000Z');
    expect(zonedInstant('2025-03-30', 0, 'Europe/Berlin').toISOString()).toBe('2025-03-29T23:00:00.000Z');
    expect(formatLocal(new Date('2025-01-15T12:00:00Z'), 'America/New_York')).toBe('2025-01-15T07:00:00-05:00');
  });

  it('finds ISO weeks starting on Monday', () => {
    expect(isoWeekday('2025-06-01')).toBe(7); // a Sunday
    expect(weekStart('2025-06-01')).toBe('2025-05-26');
    expect(weekStart('2025-06-02')).toBe('2025-06-02');
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(formatLocal(nextLocalMonday(new Date('2025-06-01T12:00:00Z'), 'UTC'), 'UTC')).toBe(
      '2025-06-02T00:00:00+00:00',
    );
  });

  it('quiet hours wrap midnight when start > end', () => {
    expect([21, 22, 23, 0, 7, 8].map((h) => hourInQuiet(h, 22, 8))).toEqual([false, true, true, true, true, false]);
    expect([12, 13, 14].map((h) => hourInQuiet(h, 13, 14))).toEqual([false, true, false]);
    const lateNight = new Date('2025-06-02T01:00:00Z');
    expect(quietHoursEnd(lateNight, 'UTC', 8).toISOString()).toBe('2025-06-02T08:00:00.000Z');
    expect(quietHoursEnd(new Date('2025-06-01T23:00:00Z'), 'UTC', 8).toISOString()).toBe('2025-06-02T08:00:00.000Z');
    expect(nightOf(lateNight, 'UTC', 22, 8)).toBe('2025-06-01');
    expect(nightOf(new Date('2025-06-01T23:00:00Z'), 'UTC', 22, 8)).toBe('2025-06-01');
  });
});
