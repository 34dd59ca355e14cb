import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { InterventionsService } from '../../wellbeing/self-moderation/interventions.service.js';
import { localDate } from '../../wellbeing/mood-dates.js';
import { MoodTrend } from '../entities/analytics.enums.js';
import { MoodTrendRow } from '../entities/mood-trend.entity.js';
import { addDays } from '../rollups/days.js';
import { computeMoodTrend, type MoodTrendFigures } from './mood-trend.calc.js';

/**
 * Recomputes a user's mood_trends row from mood_entries in their local days (analytics.md §2.6) and raises a
 * mood_decline intervention when the 7-day trend turns declining. Scores and notes never reach a log line.
 */
@Injectable()
export class MoodTrendService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly interventions: InterventionsService,
  ) {}

  /** Returns the stored row, or null when the user is gone (the job then does nothing). */
  async recompute(userId: string, now = new Date()): Promise<MoodTrendRow | null> {
    return this.dataSource.transaction(async (em) => {
      await em.query(`SELECT pg_advisory_xact_lock(hashtext('mood_trends' || $1))`, [userId]);
      const [user] = await em.query(`SELECT id FROM users WHERE id = $1 FOR KEY SHARE`, [userId]);
      if (!user) return null;
      const [settings] = (await em.query(`SELECT timezone FROM self_moderation_settings WHERE user_id = $1`, [
        userId,
      ])) as { timezone: string }[];
      const today = localDate(now, settings?.timezone ?? 'UTC');
      const figures = await this.figures(em, userId, today);
      const [previous] = (await em.query(`SELECT trend_7d FROM mood_trends WHERE user_id = $1`, [userId])) as {
        trend_7d: MoodTrend;
      }[];
      await this.upsert(em, userId, figures);
      if (figures.trend7d === MoodTrend.Declining && previous?.trend_7d !== MoodTrend.Declining) {
        // no log line here: who has a declining mood is wellbeing data and stays out of the logs
        await this.interventions.record(em, {
          userId,
          type: 'mood_decline',
          localDate: today,
          details: { change_7d: figures.change7d },
        });
      }
      return em.findOneByOrFail(MoodTrendRow, { userId });
    });
  }

  private async figures(em: EntityManager, userId: string, today: string): Promise<MoodTrendFigures> {
    const days = (await em.query(
      `SELECT to_char(entry_date, 'YYYY-MM-DD') AS date, avg(score)::float8 AS mean
         FROM mood_entries WHERE user_id = $1 AND entry_date > $2::date AND entry_date <= $3::date
        GROUP BY entry_date`,
      [userId, addDays(today, -730), today],
    )) as { date: string; mean: number }[];
    const recent = (await em.query(
      `SELECT to_char(entry_date, 'YYYY-MM-DD') AS date, mood, emotions::text[] AS emotions, recorded_at
         FROM mood_entries WHERE user_id = $1 AND entry_date >= $2::date AND entry_date <= $3::date`,
      [userId, addDays(today, -29), today],
    )) as { date: string; mood: string; emotions: string[]; recorded_at: Date }[];
    return computeMoodTrend(
      today,
      days.map((d) => ({ date: d.date, meanScore: Number(d.mean) })),
      recent.map((e) => ({
        date: e.date,
        mood: e.mood,
        emotions: e.emotions ?? [],
        recordedAt: new Date(e.recorded_at),
      })),
    );
  }

  private async upsert(em: EntityManager, userId: string, f: MoodTrendFigures): Promise<void> {
    await em.query(
      `INSERT INTO mood_trends (user_id, as_of_date, avg_7d, avg_prev_7d, change_7d, days_logged_7d, avg_30d,
         avg_prev_30d, change_30d, days_logged_30d, trend_7d, trend_30d, current_streak, longest_streak,
         last_entry_date, top_mood_30d, top_emotions_30d, computed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::mood_emotion[], now())
       ON CONFLICT (user_id) DO UPDATE SET as_of_date = EXCLUDED.as_of_date, avg_7d = EXCLUDED.avg_7d,
         avg_prev_7d = EXCLUDED.avg_prev_7d, change_7d = EXCLUDED.change_7d, days_logged_7d = EXCLUDED.days_logged_7d,
         avg_30d = EXCLUDED.avg_30d, avg_prev_30d = EXCLUDED.avg_prev_30d, change_30d = EXCLUDED.change_30d,
         days_logged_30d = EXCLUDED.days_logged_30d, trend_7d = EXCLUDED.trend_7d, trend_30d = EXCLUDED.trend_30d,
         current_streak = EXCLUDED.current_streak, longest_streak = EXCLUDED.longest_streak,
         last_entry_date = EXCLUDED.last_entry_date, top_mood_30d = EXCLUDED.top_mood_30d,
         top_emotions_30d = EXCLUDED.top_emotions_30d, computed_at = EXCLUDED.computed_at`,
      [
        userId,
        f.asOfDate,
        f.avg7d,
        f.avgPrev7d,
        f.change7d,
        f.daysLogged7d,
        f.avg30d,
        f.avgPrev30d,
        f.change30d,
        f.daysLogged30d,
        f.trend7d,
        f.trend30d,
        f.currentStreak,
        f.longestStreak,
        f.lastEntryDate,
        f.topMood30d,
        f.topEmotions30d,
      ],
    );
  }
}
