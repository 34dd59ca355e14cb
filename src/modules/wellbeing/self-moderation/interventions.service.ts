import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { WellbeingInterventionKind } from './entities/self-moderation.enums.js';
import { SelfModerationSettings } from './entities/self-moderation-settings.entity.js';
import { WellbeingIntervention } from './entities/wellbeing-intervention.entity.js';
import type { WellbeingInterventionNoticeDto } from './dto/wellbeing-notice.dto.js';
import { addDays, localDay } from './usage-time.js';
import { WellbeingClock } from './wellbeing-clock.js';

export interface RecordInterventionInput {
  userId: string;
  type: WellbeingInterventionKind | `${WellbeingInterventionKind}`;
  /** Local date (YYYY-MM-DD) the alert is filed under; default: today in the settings' time zone. */
  localDate?: string;
  /** Numbers only (change_7d, used_minutes…); never text. */
  details?: Record<string, unknown>;
}

/** mood_decline fires at most once per 7 days (§2.3). */
const MOOD_DECLINE_WINDOW_DAYS = 7;

/**
 * Interventions (wellbeing.md §2.3): inserted with ON CONFLICT DO NOTHING on `ux_wellbeing_interv_day`, so a trigger
 * that fires again changes nothing; delivered once inside an API answer (delivered_at), acknowledged by a check-in.
 */
@Injectable()
export class InterventionsService {
  constructor(private readonly clock: WellbeingClock) {}

  /**
   * For other modules (analytics' mood trend raises `mood_decline`): inserts the intervention inside `em`'s
   * transaction when the user's settings are active and the kind's notify flag is on. mood_decline is skipped when
   * one exists in the last 7 days. Returns the new row, or null when nothing was inserted.
   */
  async record(em: EntityManager, input: RecordInterventionInput): Promise<WellbeingIntervention | null> {
    const settings = await em.findOneBy(SelfModerationSettings, { userId: input.userId });
    if (!settings?.isActive) return null;
    const kind = input.type as WellbeingInterventionKind;
    if (!notifyFlagOn(settings, kind)) return null;
    const date = input.localDate ?? localDay(this.clock.now(), settings.timezone);
    if (kind === WellbeingInterventionKind.MoodDecline) {
      const recent = await em
        .createQueryBuilder(WellbeingIntervention, 'i')
        .where('i.user_id = :userId AND i.kind = :kind', { userId: input.userId, kind })
        .andWhere('i.local_date > CAST(:since AS date)', { since: addDays(date, -MOOD_DECLINE_WINDOW_DAYS) })
        .getExists();
      if (recent) return null;
    }
    return this.insert(em, input.userId, kind, date, input.details ?? {});
  }

  /** Inserts unless (user, kind, local_date) exists; returns the new row or null. */
  async insert(
    em: EntityManager,
    userId: string,
    kind: WellbeingInterventionKind,
    localDate: string,
    details: Record<string, unknown>,
  ): Promise<WellbeingIntervention | null> {
    const rows = (await em.query(
      `INSERT INTO wellbeing_interventions (user_id, kind, local_date, details)
       VALUES ($1, $2, CAST($3 AS date), $4::jsonb)
       ON CONFLICT (user_id, kind, local_date) DO NOTHING
       RETURNING id`,
      [userId, kind, localDate, JSON.stringify(details)],
    )) as { id: string }[];
    return rows[0] ? em.create(WellbeingIntervention, { id: rows[0].id, userId, kind, localDate, details }) : null;
  }

  /** Marks the user's undelivered interventions delivered (in `em`'s transaction) and returns them, oldest first. */
  async deliverPending(em: EntityManager, userId: string, now: Date): Promise<WellbeingInterventionNoticeDto[]> {
    const rows = (await em.query(
      `UPDATE wellbeing_interventions SET delivered_at = $2, updated_at = now()
        WHERE user_id = $1 AND delivered_at IS NULL
        RETURNING id, kind, to_char(local_date, 'YYYY-MM-DD') AS local_date, details, created_at`,
      [userId, now],
    )) as [Record<string, unknown>[], number] | Record<string, unknown>[];
    const list = (Array.isArray(rows[0]) ? rows[0] : rows) as {
      id: string;
      kind: WellbeingInterventionKind;
      local_date: string;
      details: Record<string, unknown>;
      created_at: Date;
    }[];
    return list
      .sort((a, b) => new Date(a.created_at).getTime() - new Date(b.created_at).getTime() || (a.id < b.id ? -1 : 1))
      .map((r) => ({ id: r.id, kind: r.kind, local_date: r.local_date, details: r.details ?? {} }));
  }
}

/** The settings flag that gates each kind (overuse_streak is switched off by overuse_streak_days = 0). */
export function notifyFlagOn(s: SelfModerationSettings, kind: WellbeingInterventionKind): boolean {
  switch (kind) {
    case WellbeingInterventionKind.DailyLimitExceeded:
    case WellbeingInterventionKind.WeeklyLimitExceeded:
      return s.notifyDailyExceeded;
    case WellbeingInterventionKind.LateNightUsage:
      return s.notifyLateNight;
    case WellbeingInterventionKind.OveruseStreak:
      return s.overuseStreakDays > 0;
    case WellbeingInterventionKind.MoodDecline:
      return s.notifyMoodDecline;
  }
}
