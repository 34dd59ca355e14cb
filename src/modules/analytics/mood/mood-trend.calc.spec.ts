import { MoodTrend } from '../entities/analytics.enums.js';
import { addDays } from '../rollups/days.js';
import { computeMoodTrend, type MoodDay } from './mood-trend.calc.js';

const TODAY = '2026-03-15';
const day = (offset: number, meanScore: number): MoodDay => ({ date: addDays(TODAY, -offset), meanScore });

describe('computeMoodTrend (analytics.md §2.6)', () => {
  it('AC5: scores 4, 4, 2 on three consecutive days → avg_7d 3.33, streak 3, insufficient data', () => {
    const t = computeMoodTrend(TODAY, [day(2, 4), day(1, 4), day(0, 2)], []);
    expect(t).toMatchObject({
      avg7d: 3.33,
      avgPrev7d: null,
      change7d: null,
      daysLogged7d: 3,
      trend7d: MoodTrend.InsufficientData,
      currentStreak: 3,
      longestStreak: 3,
      lastEntryDate: TODAY,
    });
  });

  it('declining when both 7-day windows have ≥ 3 logged days and the mean drops by ≥ 0.5', () => {
    const t = computeMoodTrend(TODAY, [day(9, 4), day(8, 4), day(7, 5), day(2, 3), day(1, 3), day(0, 4)], []);
    expect(t.avgPrev7d).toBe(4.33);
    expect(t.avg7d).toBe(3.33);
    expect(t.change7d).toBe(-1);
    expect(t.trend7d).toBe(MoodTrend.Declining);
    expect(t.trend30d).toBe(MoodTrend.InsufficientData);
  });

  it('improving, stable and the 30-day windows with ≥ 8 logged days each', () => {
    const rising = [0, 1, 2, 3, 4, 5, 6, 7]
      .map((i) => day(i, 4))
      .concat([30, 31, 32, 33, 34, 35, 36, 37].map((i) => day(i, 3)));
    const t = computeMoodTrend(TODAY, rising, []);
    expect(t).toMatchObject({ change30d: 1, trend30d: MoodTrend.Improving, daysLogged30d: 8 });
    const flat = computeMoodTrend(
      TODAY,
      [0, 1, 2, 7, 8, 9].map((i) => day(i, 3)),
      [],
    );
    expect(flat.trend7d).toBe(MoodTrend.Stable);
  });

  it('the current streak ends yesterday when nothing is logged today; longest streak over 730 days', () => {
    const t = computeMoodTrend(TODAY, [day(1, 3), day(2, 3), day(10, 3), day(11, 3), day(12, 3), day(13, 3)], []);
    expect(t.currentStreak).toBe(2);
    expect(t.longestStreak).toBe(4);
    expect(computeMoodTrend(TODAY, [day(2, 3)], []).currentStreak).toBe(0);
    expect(computeMoodTrend(TODAY, [day(800, 3), day(801, 3)], []).longestStreak).toBe(0);
  });

  it('top mood: most frequent, ties to the most recent; top 3 emotions', () => {
    const at = (d: number) => new Date(Date.parse(`${addDays(TODAY, -d)}T12:00:00Z`));
    const t = computeMoodTrend(
      TODAY,
      [day(0, 3)],
      [
        { date: addDays(TODAY, -3), mood: 'sad', emotions: ['lonely', 'tired'], recordedAt: at(3) },
        { date: addDays(TODAY, -1), mood: 'happy', emotions: ['tired'], recordedAt: at(1) },
        { date: addDays(TODAY, -40), mood: 'angry', emotions: ['angry'], recordedAt: at(40) },
        { date: TODAY, mood: 'calm', emotions: ['grateful', 'tired', 'lonely', 'hopeful'], recordedAt: at(0) },
      ],
    );
    expect(t.topMood30d).toBe('calm');
    expect(t.topEmotions30d).toEqual(['tired', 'lonely', 'grateful']);
  });
});
