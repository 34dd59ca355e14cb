import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../../common/auth/actor.js';
import type { Env } from '../../../common/config/env.js';
import { AppError } from '../../../common/errors/app-error.js';
import type { CrisisNotice } from '../crisis/crisis-detector.js';
import { type CrisisScanInput, CrisisNoticesService } from '../crisis/crisis-notices.service.js';
import type {
  WellbeingInterventionNoticeDto,
  WellbeingNoticeDto,
  WellbeingPrompt,
  WellbeingWarningDto,
} from './dto/wellbeing-notice.dto.js';
import { WellbeingEnforcement, WellbeingInterventionKind } from './entities/self-moderation.enums.js';
import { SelfModerationSettings } from './entities/self-moderation-settings.entity.js';
import { InterventionsService } from './interventions.service.js';
import { creditActivity, evaluateLimits, type GateAction, headerItem, type LimitState } from './limit-states.js';
import { SettingsStore } from './settings-store.js';
import {
  formatLocal,
  inQuietHours,
  localDay,
  localHourMinute,
  nightOf,
  secondsUntil,
  weekStart,
} from './usage-time.js';
import { WellbeingClock } from './wellbeing-clock.js';

export interface GateInput {
  action: 'send' | 'regenerate';
  /** The text the user wrote (send); null for a regenerate. Scanned for crisis keywords, never stored or logged. */
  text: string | null;
  conversationId: string;
  /** The request's correlation id. */
  requestId: string;
  /** The request's Accept-Language header (crisis notice locale when the settings name none). */
  acceptLanguage?: string | null;
}

/** The `wellbeing` object of a send/regenerate answer (wellbeing.md §3.3). */
export type WellbeingNotice = WellbeingNoticeDto;

export interface GateOutcome {
  /** `X-Wellbeing-Warning` (items joined by ", ") and `X-Wellbeing-Notice`; empty when there is nothing to say. */
  headers: Record<string, string>;
  /** Null when empty: leave the field out of the answer. */
  wellbeing: WellbeingNotice | null;
}

export const WELLBEING_LIMIT_REACHED = 'WELLBEING_LIMIT_REACHED';
export const WELLBEING_QUIET_HOURS = 'WELLBEING_QUIET_HOURS';

const LIMIT_WORDS: Record<string, string> = {
  session_minutes: 'session time limit',
  daily_minutes: 'daily time limit',
  daily_messages: 'daily message limit',
  weekly_minutes: 'weekly time limit',
};

interface Counted {
  warnings: WellbeingWarningDto[];
  prompts: WellbeingPrompt[];
  interventions: WellbeingInterventionNoticeDto[];
  headers: Record<string, string>;
}

interface UsageRow {
  active_seconds: number;
  messages_sent: number;
  first_activity_at: Date | null;
}

/**
 * The self-moderation gate of the chat API (wellbeing.md §3). Chat calls `evaluate` in send and regenerate inside its
 * own transaction, before anything is inserted:
 *
 * 1. due pending settings changes are applied; 2. the user's text is scanned for crisis keywords (every user, with or
 * without settings; never a block); 3. each configured limit is evaluated with this request included; 4. in block
 * mode a reached limit throws a 429 AppError (WELLBEING_LIMIT_REACHED / WELLBEING_QUIET_HOURS) carrying the reset time
 * and the crisis notice, and nothing is counted; 5. usage is counted exactly in the caller's transaction
 * (`INSERT … ON CONFLICT DO UPDATE … RETURNING`, the message increment conditional in block mode); 6. interventions
 * are raised and undelivered ones ride on the answer.
 *
 * For message edits chat calls `scanEdit` (crisis notice only). Nothing here logs: self-moderation and crisis data
 * stay out of log lines.
 */
@Injectable()
export class WellbeingGate {
  /** The idle gap G (WELLBEING_IDLE_GAP_MINUTES) in milliseconds. */
  readonly gapMs: number;

  constructor(
    private readonly store: SettingsStore,
    private readonly interventions: InterventionsService,
    private readonly crisis: CrisisNoticesService,
    private readonly clock: WellbeingClock,
    config: ConfigService<Env, true>,
  ) {
    this.gapMs = config.get('WELLBEING_IDLE_GAP_MINUTES', { infer: true }) * 60_000;
  }

  async evaluate(em: EntityManager, actor: Actor, input: GateInput): Promise<GateOutcome> {
    const now = this.clock.now();
    const settings = await this.store.load(em, actor.id, now, true);
    const scan = this.scanInput(settings, input);
    const notice = await this.crisis.scan(em, scan);
    if (!settings?.isActive) return this.finish(em, notice, scan, null);
    return this.finish(em, notice, scan, await this.account(em, settings, input.action, now, notice, scan));
  }

  /** The crisis scan of an edited message (chat.md §3.4): the notice only, no counting, never a block. */
  async scanEdit(em: EntityManager, actor: Actor, input: Omit<GateInput, 'action'>): Promise<GateOutcome> {
    const settings = await em.findOneBy(SelfModerationSettings, { userId: actor.id });
    const scan = this.scanInput(settings, input);
    const notice = await this.crisis.scan(em, scan);
    return this.finish(em, notice, scan, null);
  }

  /**
   * POST /wellbeing/heartbeat: credits active time like an accepted request (no message). While a hard limit is
   * reached nothing is credited and last_activity_at stays, so the session can still end with a break. Answers the
   * X-Wellbeing-Warning header only.
   */
  async heartbeat(em: EntityManager, settings: SelfModerationSettings, now: Date): Promise<Record<string, string>> {
    const result = await this.account(em, settings, 'heartbeat', now, null, null);
    return result.headers;
  }

  private scanInput(settings: SelfModerationSettings | null, input: Omit<GateInput, 'action'>): CrisisScanInput {
    return {
      text: input.text,
      conversationId: input.conversationId,
      requestId: input.requestId,
      acceptLanguage: input.acceptLanguage ?? null,
      supportCountry: settings?.supportCountry ?? null,
      supportSubdivision: settings?.supportSubdivision ?? null,
      supportLanguage: settings?.supportLanguage ?? null,
      noticeLevel: settings?.crisisNotices ?? 'all',
    };
  }

  /** Steps 3–6 for an active settings row (`settings` is locked by the caller's transaction). */
  private async account(
    em: EntityManager,
    settings: SelfModerationSettings,
    action: GateAction,
    now: Date,
    notice: CrisisNotice | null,
    scan: CrisisScanInput | null,
  ): Promise<Counted> {
    const tz = settings.timezone;
    const today = localDay(now, tz);
    const monday = weekStart(today);
    const [todayRow] = (await em.query(
      `SELECT active_seconds, messages_sent, first_activity_at FROM wellbeing_usage_days
        WHERE user_id = $1 AND usage_date = CAST($2 AS date)`,
      [settings.userId, today],
    )) as UsageRow[];
    const [{ week }] = (await em.query(
      `SELECT COALESCE(SUM(active_seconds), 0)::int AS week FROM wellbeing_usage_days
        WHERE user_id = $1 AND usage_date >= CAST($2 AS date) AND usage_date <= CAST($3 AS date)`,
      [settings.userId, monday, today],
    )) as { week: number }[];
    const usage = {
      todaySeconds: todayRow?.active_seconds ?? 0,
      todayMessages: todayRow?.messages_sent ?? 0,
      weekSeconds: week,
    };
    const activity = creditActivity(settings.lastActivityAt, settings.sessionStartedAt, now, this.gapMs);
    const limits = evaluateLimits(settings, usage, activity, action, now, this.gapMs);
    const refusing = limits.find((l) => l.refuses);
    if (refusing) {
      if (action === 'heartbeat') {
        return { warnings: [], prompts: [], interventions: [], headers: this.warningHeaders(limits, tz) };
      }
      throw this.refusal(em, settings, refusing, now, notice, scan);
    }

    // Step 5: count. In block mode the message increment only succeeds below the limit (concurrent sends serialise on
    // the settings row lock; the condition is the second guard).
    const quiet = settings.quietHoursEnabled && inQuietHours(now, tz, settings.quietHoursStart, settings.quietHoursEnd);
    const messageCap =
      settings.enforcement === WellbeingEnforcement.Block && action === 'send' ? settings.dailyMessagesLimit : null;
    const dailyLimitSeconds = settings.dailyMinutesLimit !== null ? settings.dailyMinutesLimit * 60 : null;
    const counted = (await em.query(
      `INSERT INTO wellbeing_usage_days AS u
         (user_id, usage_date, active_seconds, messages_sent, sessions_started, late_night_seconds,
          first_activity_at, last_activity_at, over_daily_limit)
       VALUES ($1, CAST($2 AS date), $3::int, $4::int, $5::smallint, $6::int, $7::timestamptz, $7::timestamptz,
               COALESCE($3::int >= $8::int, false))
       ON CONFLICT ON CONSTRAINT pk_wellbeing_usage_days DO UPDATE SET
         active_seconds = u.active_seconds + EXCLUDED.active_seconds,
         messages_sent = u.messages_sent + EXCLUDED.messages_sent,
         sessions_started = u.sessions_started + EXCLUDED.sessions_started,
         late_night_seconds = u.late_night_seconds + EXCLUDED.late_night_seconds,
         first_activity_at = COALESCE(u.first_activity_at, EXCLUDED.first_activity_at),
         last_activity_at = GREATEST(u.last_activity_at, EXCLUDED.last_activity_at),
         over_daily_limit = u.over_daily_limit OR COALESCE(u.active_seconds + EXCLUDED.active_seconds >= $8::int, false),
         updated_at = now()
       WHERE $9::int IS NULL OR u.messages_sent < $9::int
       RETURNING active_seconds, messages_sent`,
      [
        settings.userId,
        today,
        activity.credit,
        action === 'send' ? 1 : 0,
        activity.newSession ? 1 : 0,
        quiet ? activity.credit : 0,
        now,
        dailyLimitSeconds,
        messageCap,
      ],
    )) as UsageRow[];
    if (!counted.length) {
      const messages = limits.find((l) => l.limit === 'daily_messages')!;
      throw this.refusal(em, settings, { ...messages, usedBefore: messages.limitValue }, now, notice, scan);
    }

    // Session and break timer (a new session resets both).
    const prompts: WellbeingPrompt[] = [];
    if (activity.newSession) {
      settings.sessionStartedAt = now;
      settings.lastBreakReminderAt = null;
    }
    settings.lastActivityAt = now;
    if (action !== 'heartbeat') {
      const since = Math.max(settings.sessionStartedAt!.getTime(), settings.lastBreakReminderAt?.getTime() ?? 0);
      if (settings.breakRemindersEnabled && now.getTime() - since >= settings.breakIntervalMinutes * 60_000) {
        prompts.push(settings.mindfulnessBreaks ? 'mindful_break' : 'break_reminder');
        settings.lastBreakReminderAt = now;
      }
      if (
        action === 'send' &&
        settings.moodCheckinsEnabled &&
        usage.todayMessages === 0 &&
        (!settings.lastCheckinAt || localDay(settings.lastCheckinAt, tz) !== today) &&
        !(await this.hasMoodEntry(em, settings.userId, today))
      ) {
        prompts.push('mood_checkin');
      }
      if (quiet && settings.enforcement === WellbeingEnforcement.Warn) prompts.push('quiet_hours');
    }
    await em.update(
      SelfModerationSettings,
      { id: settings.id },
      {
        sessionStartedAt: settings.sessionStartedAt,
        lastActivityAt: settings.lastActivityAt,
        lastBreakReminderAt: settings.lastBreakReminderAt,
      },
    );

    await this.raiseInterventions(em, settings, limits, now, today, monday, quiet, !todayRow?.first_activity_at);
    const interventions =
      action === 'heartbeat' ? [] : await this.interventions.deliverPending(em, settings.userId, now);
    const warnings: WellbeingWarningDto[] = limits
      .filter((l) => l.limit !== 'quiet_hours' && l.state !== 'ok')
      .map((l) => ({
        limit: l.limit as WellbeingWarningDto['limit'],
        state: l.state as WellbeingWarningDto['state'],
        used: l.used as number,
        limit_value: l.limitValue as number,
        unit: l.unit as WellbeingWarningDto['unit'],
        resets_at: formatLocal(l.resetsAt, tz),
      }));
    return { warnings, prompts, interventions, headers: this.warningHeaders(limits, tz) };
  }

  /** Step 6: each trigger only with its notify flag on; the unique (user, kind, local_date) makes repeats no-ops. */
  private async raiseInterventions(
    em: EntityManager,
    s: SelfModerationSettings,
    limits: LimitState[],
    now: Date,
    today: string,
    monday: string,
    quiet: boolean,
    firstActivityToday: boolean,
  ): Promise<void> {
    const reached = (name: string) => limits.find((l) => l.limit === name && l.state === 'reached');
    if (s.notifyDailyExceeded) {
      const daily = reached('daily_minutes') ?? reached('daily_messages');
      if (daily) {
        await this.interventions.insert(
          em,
          s.userId,
          WellbeingInterventionKind.DailyLimitExceeded,
          today,
          details(daily),
        );
      }
      const weekly = reached('weekly_minutes');
      if (weekly) {
        await this.interventions.insert(
          em,
          s.userId,
          WellbeingInterventionKind.WeeklyLimitExceeded,
          monday,
          details(weekly),
        );
      }
    }
    if (quiet && s.notifyLateNight) {
      await this.interventions.insert(
        em,
        s.userId,
        WellbeingInterventionKind.LateNightUsage,
        nightOf(now, s.timezone, s.quietHoursStart, s.quietHoursEnd),
        {
          quiet_hours_start: s.quietHoursStart,
          quiet_hours_end: s.quietHoursEnd,
          local_time: localHourMinute(now, s.timezone),
        },
      );
    }
    if (firstActivityToday && s.overuseStreakDays > 0) {
      const days = (await em.query(
        `SELECT over_daily_limit FROM wellbeing_usage_days
          WHERE user_id = $1 AND usage_date < CAST($2 AS date) AND active_seconds > 0
          ORDER BY usage_date DESC LIMIT $3`,
        [s.userId, today, s.overuseStreakDays],
      )) as { over_daily_limit: boolean }[];
      if (days.length === s.overuseStreakDays && days.every((d) => d.over_daily_limit)) {
        await this.interventions.insert(em, s.userId, WellbeingInterventionKind.OveruseStreak, today, {
          streak_days: s.overuseStreakDays,
          limit_minutes: s.dailyMinutesLimit,
        });
      }
    }
  }

  private async hasMoodEntry(em: EntityManager, userId: string, today: string): Promise<boolean> {
    const rows = (await em.query(
      'SELECT 1 FROM mood_entries WHERE user_id = $1 AND entry_date = CAST($2 AS date) LIMIT 1',
      [userId, today],
    )) as unknown[];
    return rows.length > 0;
  }

  private warningHeaders(limits: LimitState[], tz: string): Record<string, string> {
    const items = limits
      .filter((l) => l.limit !== 'quiet_hours' && l.state !== 'ok')
      .map((l) => headerItem(l, tz, { refused: false }));
    return items.length ? { 'X-Wellbeing-Warning': items.join(', ') } : {};
  }

  /** §3.4: 429 problem with Retry-After, X-Wellbeing-Limit, the local reset time and the crisis notice if any. */
  private refusal(
    em: EntityManager,
    s: SelfModerationSettings,
    l: LimitState,
    now: Date,
    notice: CrisisNotice | null,
    scan: CrisisScanInput | null,
  ): AppError {
    const tz = s.timezone;
    const resets = formatLocal(l.resetsAt, tz);
    const localReset = `${localHourMinute(l.resetsAt, tz)}${localDay(l.resetsAt, tz) !== localDay(now, tz) ? ` on ${localDay(l.resetsAt, tz)}` : ''}`;
    const quiet = l.limit === 'quiet_hours';
    const detail = quiet
      ? `Your quiet hours (${l.limitValue}) have started. Chat opens again at ${localReset} (${tz}).`
      : `You have reached your ${LIMIT_WORDS[l.limit]} (${l.usedBefore} of ${l.limitValue} ${l.unit}). It resets at ${localReset} (${tz}).`;
    const headers: Record<string, string> = {
      'Retry-After': String(secondsUntil(now, l.resetsAt)),
      'X-Wellbeing-Limit': quiet
        ? `quiet_hours; used=${l.usedBefore}; limit=${l.limitValue}; resets=${resets}`
        : headerItem(l, tz, { refused: true }),
    };
    if (notice) {
      headers['X-Wellbeing-Notice'] = 'crisis_support';
      if (scan) this.crisis.recordShownLater(em, notice, scan);
    }
    const extra: Record<string, unknown> = {
      limit: l.limit,
      used: l.usedBefore,
      limit_value: l.limitValue,
      resets_at: resets,
      timezone: tz,
    };
    if (s.pendingApplyAt) extra.pending_apply_at = formatLocal(s.pendingApplyAt, tz);
    if (notice) extra.wellbeing = { notice };
    return new AppError(429, quiet ? WELLBEING_QUIET_HOURS : WELLBEING_LIMIT_REACHED, detail, extra, headers);
  }

  private async finish(
    em: EntityManager,
    notice: CrisisNotice | null,
    scan: CrisisScanInput,
    counted: Counted | null,
  ): Promise<GateOutcome> {
    const headers: Record<string, string> = { ...counted?.headers };
    if (notice) {
      headers['X-Wellbeing-Notice'] = 'crisis_support';
      await this.crisis.record(em, notice, scan);
    }
    const warnings = counted?.warnings ?? [];
    const prompts = counted?.prompts ?? [];
    const interventions = counted?.interventions ?? [];
    const empty = !warnings.length && !prompts.length && !interventions.length && !notice;
    return { headers, wellbeing: empty ? null : { warnings, prompts, interventions, notice } };
  }
}

function details(l: LimitState): Record<string, unknown> {
  return l.unit === 'messages'
    ? { limit: l.limit, used_messages: l.used, limit_messages: l.limitValue }
    : { limit: l.limit, used_minutes: l.used, limit_minutes: l.limitValue };
}
