import { buildSeries, periodStart, ratio } from './series.js';

describe('analytics series (analytics.md §4)', () => {
  it('fills missing days with zeros and totals the range', () => {
    const out = buildSeries(
      [
        { day: '2026-03-02', a: 2, b: '5' },
        { day: '2026-03-04', a: 1, b: 0 },
      ],
      ['a', 'b'] as const,
      '2026-03-01',
      '2026-03-04',
      'day',
    );
    expect(out.series).toEqual([
      { period_start: '2026-03-01', a: 0, b: 0 },
      { period_start: '2026-03-02', a: 2, b: 5 },
      { period_start: '2026-03-03', a: 0, b: 0 },
      { period_start: '2026-03-04', a: 1, b: 0 },
    ]);
    expect(out.totals).toEqual({ a: 3, b: 5 });
  });

  it('groups by ISO week (Monday) and by month', () => {
    expect(periodStart('2026-03-01', 'week')).toBe('2026-02-23'); // a Sunday
    expect(periodStart('2026-03-02', 'week')).toBe('2026-03-02'); // a Monday
    expect(periodStart('2026-03-31', 'month')).toBe('2026-03-01');
    const weeks = buildSeries(
      [
        { day: '2026-03-01', a: 1 },
        { day: '2026-03-02', a: 2 },
        { day: '2026-03-08', a: 3 },
        { day: '2026-03-09', a: 4 },
      ],
      ['a'] as const,
      '2026-03-01',
      '2026-03-09',
      'week',
    );
    expect(weeks.series).toEqual([
      { period_start: '2026-02-23', a: 1 },
      { period_start: '2026-03-02', a: 5 },
      { period_start: '2026-03-09', a: 4 },
    ]);
    const months = buildSeries([{ day: '2026-04-01', a: 7 }], ['a'] as const, '2026-03-30', '2026-04-02', 'month');
    expect(months.series).toEqual([
      { period_start: '2026-03-01', a: 0 },
      { period_start: '2026-04-01', a: 7 },
    ]);
  });

  it('ratio is null without a denominator', () => {
    expect(ratio(1, 3)).toBe(0.3333);
    expect(ratio(1, 0)).toBeNull();
  });
});
