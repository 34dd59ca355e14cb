import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import type { Actor } from '../../../common/auth/actor.js';
import { TooManyRequestsError } from '../../../common/errors/app-error.js';
import { type KeysetColumn, keysetPage, mapPage, type Page } from '../../../common/pagination/page.js';
import { ValidationFailedException } from '../../../common/validation/validation-failed.exception.js';
import type { CheckInDto, CheckInResponseDto } from './dto/check-in.dto.js';
import type { PutSelfModerationSettingsDto, SelfModerationSettingsResponseDto } from './dto/settings.dto.js';
import type {
  ListInterventionsDto,
  WellbeingInterventionResponseDto,
  WellbeingLimitStatusDto,
  WellbeingStatusDto,
  WellbeingUsageDto,
  WellbeingUsageQueryDto,
} from './dto/status.dto.js';
import { WellbeingEnforcement } from './entities/self-moderation.enums.js';
import { SelfModerationSettings } from './entities/self-moderation-settings.entity.js';
import { WellbeingIntervention } from './entities/wellbeing-intervention.entity.js';
import { evaluateLimits, quietRange } from './limit-states.js';
import { SelfModerationPolicy } from './self-moderation.policy.js';
import {
  applyEditable,
  DEFAULT_SETTINGS,
  EDITABLE_FIELDS,
  editableOf,
  type EditableSettings,
  looseningFields,
} from './settings-fields.js';
import { SettingsStore } from './settings-store.js';
import { addDays, formatLocal, localDay, localHourMinute, weekStart } from './usage-time.js';
import { WellbeingClock } from './wellbeing-clock.js';
import { WellbeingGate } from './wellbeing-gate.service.js';

/** §2.3: loosening a hard limit waits this long. */
export const LOOSENING_DELAY_MS = 24 * 3_600_000;
/** §2 heartbeat: at most one per 30 s. */
export const HEARTBEAT_MIN_INTERVAL_MS = 30_000;
/** Usage rows are kept this many days (§2.2); the read endpoint spans at most this range. */
export const USAGE_RETENTION_DAYS = 400;

/**
 * Self-moderation settings, status, usage, heartbeats, check-ins and the intervention history (wellbeing.md §2).
 * Owner-only: every query is bound to the caller's own user id, so staff see only their own data, and another user's
 * intervention is "not found". Nothing here logs: self-moderation data stays out of log lines.
 */
@Injectable()
export class SelfModerationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: SettingsStore,
    private readonly gate: WellbeingGate,
    private readonly clock: WellbeingClock,
    private readonly policy: SelfModerationPolicy,
  ) {}

  private get gapMs(): number {
    return this.gate.gapMs;
  }

  async getSettings(actor: Actor): Promise<SelfModerationSettingsResponseDto> {
    return this.dataSource.transaction(async (em) => {
      const row = await this.store.load(em, actor.id, this.clock.now(), false);
      return toSettingsResponse(row);
    });
  }

  /**
   * Creates or replaces the row. While the current enforcement is block, loosening fields go to pending_changes with
   * pending_apply_at = now + 24 h (kept when the same loosening is repeated); everything else applies at once.
   */
  async putSettings(actor: Actor, dto: PutSelfModerationSettingsDto): Promise<SelfModerationSettingsResponseDto> {
    const next: EditableSettings = { ...DEFAULT_SETTINGS };
    for (const f of EDITABLE_FIELDS) {
      const value = (dto as Record<string, unknown>)[f];
      if (value !== undefined) (next as unknown as Record<string, unknown>)[f] = value;
    }
    this.checkSettings(next);
    return this.dataSource.transaction(async (em) => {
      const now = this.clock.now();
      let row = await this.store.load(em, actor.id, now, true);
      if (!row) {
        // A racing first PUT of the same user inserts nothing here and then takes the row lock below.
        await em
          .createQueryBuilder()
          .insert()
          .into(SelfModerationSettings)
          .values({ userId: actor.id })
          .orIgnore()
          .execute();
        row = (await this.store.load(em, actor.id, now, true))!;
        applyEditable(row, next);
      } else {
        const current = editableOf(row);
        const loosening =
          row.enforcement === WellbeingEnforcement.Block ? new Set(looseningFields(current, next)) : new Set();
        const immediate: Partial<EditableSettings> = {};
        const pending: Record<string, unknown> = {};
        for (const f of EDITABLE_FIELDS) {
          if (loosening.has(f)) pending[f] = next[f];
          else (immediate as Record<string, unknown>)[f] = next[f];
        }
        applyEditable(row, immediate);
        if (Object.keys(pending).length) {
          const same = row.pendingChanges && sameJson(row.pendingChanges, pending);
          if (!same) row.pendingApplyAt = new Date(now.getTime() + LOOSENING_DELAY_MS);
          row.pendingChanges = pending;
        } else {
          row.pendingChanges = null;
          row.pendingApplyAt = null;
        }
      }
      await em.save(SelfModerationSettings, row);
      return toSettingsResponse(row);
    });
  }

  /** DELETE /wellbeing/settings/pending: drops waiting loosening changes (a no-op when there are none). */
  async cancelPending(actor: Actor): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const row = await this.store.load(em, actor.id, this.clock.now(), true);
      if (!row?.pendingChanges) return;
      await em.update(SelfModerationSettings, { id: row.id }, { pendingChanges: null, pendingApplyAt: null });
    });
  }

  async status(actor: Actor): Promise<WellbeingStatusDto> {
    return this.dataSource.transaction(async (em) => {
      const now = this.clock.now();
      const row = await this.store.load(em, actor.id, now, false);
      const s = row ?? Object.assign(new SelfModerationSettings(), { userId: actor.id });
      if (!row) applyEditable(s, DEFAULT_SETTINGS);
      const tz = s.timezone;
      const today = localDay(now, tz);
      const [usage] = (await em.query(
        `SELECT COALESCE(SUM(active_seconds) FILTER (WHERE usage_date = CAST($2 AS date)), 0)::int AS today_seconds,
                COALESCE(SUM(messages_sent) FILTER (WHERE usage_date = CAST($2 AS date)), 0)::int AS today_messages,
                COALESCE(SUM(active_seconds), 0)::int AS week_seconds
           FROM wellbeing_usage_days
          WHERE user_id = $1 AND usage_date >= CAST($3 AS date) AND usage_date <= CAST($2 AS date)`,
        [actor.id, today, weekStart(today)],
      )) as { today_seconds: number; today_messages: number; week_seconds: number }[];
      const sessionActive = !!s.lastActivityAt && now.getTime() - s.lastActivityAt.getTime() < this.gapMs;
      const limits: WellbeingLimitStatusDto[] = evaluateLimits(
        s,
        { todaySeconds: usage.today_seconds, todayMessages: usage.today_messages, weekSeconds: usage.week_seconds },
        { newSession: !sessionActive, credit: 0, sessionStartedAt: s.sessionStartedAt ?? now },
        'heartbeat',
        now,
        this.gapMs,
      ).map((l) => ({
        limit: l.limit,
        state: l.state,
        used: l.used,
        limit_value: l.limitValue,
        remaining: typeof l.used === 'number' ? Math.max(0, (l.limitValue as number) - l.used) : null,
        unit: l.unit,
        resets_at: formatLocal(l.resetsAt, tz),
      }));
      if (s.quietHoursEnabled && !limits.some((l) => l.limit === 'quiet_hours')) {
        limits.unshift({
          limit: 'quiet_hours',
          state: 'ok',
          used: localHourMinute(now, tz),
          limit_value: quietRange(s.quietHoursStart, s.quietHoursEnd),
          remaining: null,
          unit: 'hours',
          resets_at: null,
        });
      }
      const streakRows = (await em.query(
        `SELECT over_daily_limit FROM wellbeing_usage_days
          WHERE user_id = $1 AND usage_date < CAST($2 AS date) AND active_seconds > 0
          ORDER BY usage_date DESC LIMIT $3`,
        [actor.id, today, USAGE_RETENTION_DAYS],
      )) as { over_daily_limit: boolean }[];
      const broken = streakRows.findIndex((r) => r.over_daily_limit);
      const pendingInterventions = await em.find(WellbeingIntervention, {
        where: { userId: actor.id, deliveredAt: IsNull() },
        order: { createdAt: 'ASC', id: 'ASC' },
        take: 50,
      });
      return {
        is_configured: !!row,
        is_active: s.isActive,
        enforcement: s.enforcement,
        timezone: tz,
        local_date: today,
        limits: row && s.isActive ? limits : [],
        session: {
          active: sessionActive,
          started_at: sessionActive ? s.sessionStartedAt : null,
          length_minutes:
            sessionActive && s.sessionStartedAt
              ? Math.floor((now.getTime() - s.sessionStartedAt.getTime()) / 60_000)
              : 0,
          last_activity_at: s.lastActivityAt ?? null,
        },
        healthy_day_streak: broken < 0 ? streakRows.length : broken,
        interventions: pendingInterventions.map((i) => ({
          id: i.id,
          kind: i.kind,
          local_date: i.localDate,
          details: i.details,
        })),
        pending_apply_at: s.pendingApplyAt ?? null,
      };
    });
  }

  /** POST /wellbeing/heartbeat → the X-Wellbeing-Warning header (empty without active settings). */
  async heartbeat(actor: Actor): Promise<Record<string, string>> {
    return this.dataSource.transaction(async (em) => {
      const now = this.clock.now();
      const row = await this.store.load(em, actor.id, now, true);
      if (!row?.isActive) return {};
      if (row.lastActivityAt && now.getTime() - row.lastActivityAt.getTime() < HEARTBEAT_MIN_INTERVAL_MS) {
        const wait = (HEARTBEAT_MIN_INTERVAL_MS - (now.getTime() - row.lastActivityAt.getTime())) / 1000;
        throw new TooManyRequestsError(
          'WELLBEING_HEARTBEAT_TOO_FREQUENT',
          wait,
          'At most one heartbeat per 30 seconds.',
        );
      }
      return this.gate.heartbeat(em, row, now);
    });
  }

  async checkIn(actor: Actor, dto: CheckInDto): Promise<CheckInResponseDto> {
    const ids = [...new Set(dto.acknowledge ?? [])];
    return this.dataSource.transaction(async (em) => {
      const now = this.clock.now();
      if (ids.length) {
        const rows = await em
          .createQueryBuilder(WellbeingIntervention, 'i')
          .setLock('pessimistic_write')
          .where('i.id IN (:...ids)', { ids })
          .getMany();
        for (const id of ids) {
          this.policy.assertOwn(
            actor,
            rows.find((r) => r.id === id),
          );
        }
        await em
          .createQueryBuilder()
          .update(WellbeingIntervention)
          .set({ acknowledgedAt: now })
          .where('id IN (:...ids) AND acknowledged_at IS NULL', { ids })
          .execute();
      }
      const row = await this.store.load(em, actor.id, now, true);
      if (row) {
        await em.update(
          SelfModerationSettings,
          { id: row.id },
          dto.break_taken ? { lastCheckinAt: now, lastBreakReminderAt: now } : { lastCheckinAt: now },
        );
      }
      return { last_checkin_at: row ? now : null, acknowledged: ids };
    });
  }

  async interventions(actor: Actor, query: ListInterventionsDto): Promise<Page<WellbeingInterventionResponseDto>> {
    checkRange(query.from, query.to);
    const qb = this.dataSource
      .getRepository(WellbeingIntervention)
      .createQueryBuilder('i')
      .where('i.user_id = :userId', { userId: actor.id });
    if (query.from) qb.andWhere('i.local_date >= CAST(:from AS date)', { from: query.from });
    if (query.to) qb.andWhere('i.local_date <= CAST(:to AS date)', { to: query.to });
    const columns: KeysetColumn<WellbeingIntervention>[] = [
      { expr: 'i.local_date', direction: 'DESC', cast: 'date', value: (i) => i.localDate },
      { expr: 'i.created_at', direction: 'DESC', cast: 'timestamptz', value: (i) => i.createdAt.toISOString() },
      { expr: 'i.id', direction: 'DESC', cast: 'uuid', value: (i) => i.id },
    ];
    return mapPage(await keysetPage(qb, columns, query), (i) => ({
      id: i.id,
      kind: i.kind,
      local_date: i.localDate,
      details: i.details,
      delivered_at: i.deliveredAt,
      acknowledged_at: i.acknowledgedAt,
      created_at: i.createdAt,
    }));
  }

  async usage(actor: Actor, query: WellbeingUsageQueryDto): Promise<WellbeingUsageDto> {
    const em: EntityManager = this.dataSource.manager;
    const row = await em.findOneBy(SelfModerationSettings, { userId: actor.id });
    const tz = row?.timezone ?? 'UTC';
    const to = query.to ?? localDay(this.clock.now(), tz);
    const from = query.from ?? addDays(to, -6);
    checkRange(from, to);
    if (addDays(from, USAGE_RETENTION_DAYS) < to) {
      throw new ValidationFailedException([{ field: 'from', message: `at most ${USAGE_RETENTION_DAYS} days` }]);
    }
    const rows = (await em.query(
      `SELECT to_char(usage_date, 'YYYY-MM-DD') AS usage_date, active_seconds, messages_sent, sessions_started,
              late_night_seconds, first_activity_at, last_activity_at, over_daily_limit
         FROM wellbeing_usage_days
        WHERE user_id = $1 AND usage_date BETWEEN CAST($2 AS date) AND CAST($3 AS date)
        ORDER BY usage_date`,
      [actor.id, from, to],
    )) as {
      usage_date: string;
      active_seconds: number;
      messages_sent: number;
      sessions_started: number;
      late_night_seconds: number;
      first_activity_at: Date | null;
      last_activity_at: Date | null;
      over_daily_limit: boolean;
    }[];
    return {
      timezone: tz,
      from,
      to,
      items: rows.map((r) => ({ ...r, active_minutes: Math.floor(r.active_seconds / 60) })),
    };
  }

  private checkSettings(s: EditableSettings): void {
    const errors: { field: string; message: string }[] = [];
    if (s.quiet_hours_start === s.quiet_hours_end) {
      errors.push({ field: 'quiet_hours_end', message: 'quiet_hours_end must differ from quiet_hours_start' });
    }
    if (s.support_subdivision && (!s.support_country || !s.support_subdivision.startsWith(`${s.support_country}-`))) {
      errors.push({ field: 'support_subdivision', message: 'support_subdivision must start with support_country' });
    }
    if (errors.length) throw new ValidationFailedException(errors);
  }
}

export function toSettingsResponse(row: SelfModerationSettings | null): SelfModerationSettingsResponseDto {
  const values = row ? editableOf(row) : DEFAULT_SETTINGS;
  return {
    is_configured: !!row,
    ...values,
    session_started_at: row?.sessionStartedAt ?? null,
    last_activity_at: row?.lastActivityAt ?? null,
    last_break_reminder_at: row?.lastBreakReminderAt ?? null,
    last_checkin_at: row?.lastCheckinAt ?? null,
    pending_changes: row?.pendingChanges ?? null,
    pending_fields: Object.keys(row?.pendingChanges ?? {}),
    pending_apply_at: row?.pendingApplyAt ?? null,
  };
}

function checkRange(from: string | undefined, to: string | undefined): void {
  if (from && to && from > to) {
    throw new ValidationFailedException([{ field: 'to', message: 'to must not be before from' }]);
  }
}

function sameJson(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a).sort();
  return keys.join() === Object.keys(b).sort().join() && keys.every((k) => a[k] === b[k]);
}
