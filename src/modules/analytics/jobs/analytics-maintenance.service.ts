import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Env } from '../../../common/config/env.js';
import { JobQueue } from '../../../common/queue/job-queue.js';
import type { JobPayloads } from '../../../common/queue/jobs.js';
import { RollupScheduler } from '../recorder/rollup-scheduler.js';
import { type RollupTarget, rollupTargetsOf, targetKey } from '../recorder/rollup-targets.js';
import { addDays, daysBetween, utcDay } from '../rollups/days.js';
import { ROLLUP_DIMENSIONS, type RollupDimension, RollupService } from '../rollups/rollup.service.js';

export const PRUNE_BATCH = 10_000;
export type BackfillScope = RollupDimension | 'all';

/** The analytics jobs that are not a single rollup row: sweep, nightly, backfill, prune, forget-user (§3.2). */
@Injectable()
export class AnalyticsMaintenanceService {
  private readonly logger = new Logger(AnalyticsMaintenanceService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly rollups: RollupService,
    private readonly scheduler: RollupScheduler,
    private readonly jobs: JobQueue,
    private readonly config: ConfigService<Env, true>,
  ) {}

  /** Schedules the rollups of every (dimension, key, day) touched by events recorded in the last windowHours. */
  async sweep(windowHours: number): Promise<number> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT event_type AS "eventType", to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
              actor_user_id AS "actorUserId", bot_id AS "botId", persona_id AS "personaId"
         FROM analytics_events WHERE recorded_at >= now() - make_interval(hours => $1)`,
      [windowHours],
    )) as Parameters<typeof rollupTargetsOf>[0][];
    const targets = new Map<string, RollupTarget>();
    for (const row of rows) {
      if (!this.rollups.isRecomputable(row.day)) continue;
      for (const t of rollupTargetsOf(row)) targets.set(targetKey(t), t);
    }
    await this.scheduler.schedule([...targets.values()]);
    return targets.size;
  }

  /**
   * Recomputes every dimension for `day` (default yesterday) and the day before, whole days at a time, and refreshes
   * the mood trends of users with entries in the last 60 days.
   */
  async nightly(day?: string): Promise<{ days: string[]; moodUsers: number }> {
    const last = day ?? addDays(utcDay(new Date()), -1);
    const days = [addDays(last, -1), last];
    for (const d of days) for (const dimension of ROLLUP_DIMENSIONS) await this.rollups.recomputeDay(dimension, d);
    const users = (await this.dataSource.query(
      `SELECT DISTINCT user_id FROM mood_entries WHERE entry_date >= current_date - 60`,
    )) as { user_id: string }[];
    await this.scheduler.scheduleNow(
      users.map((u) => ({ kind: 'mood-trend', userId: u.user_id })),
      `nightly${last.replaceAll('-', '')}`,
    );
    return { days, moodUsers: users.length };
  }

  /** One job per day and key of the range (keys from that day's events, or the given ids). */
  async backfill(payload: JobPayloads['analytics.backfill']): Promise<string[]> {
    const dimensions = payload.scope === 'all' ? ROLLUP_DIMENSIONS : [payload.scope];
    const targets: RollupTarget[] = [];
    for (const day of daysBetween(payload.from, payload.to)) {
      if (!this.rollups.isRecomputable(day)) continue;
      for (const dimension of dimensions) targets.push(...(await this.keysOf(dimension, day, payload.ids)));
    }
    return this.scheduler.scheduleNow(
      targets,
      `bf${payload.from.replaceAll('-', '')}${payload.to.replaceAll('-', '')}`,
    );
  }

  private async keysOf(dimension: RollupDimension, day: string, ids?: string[]): Promise<RollupTarget[]> {
    if (dimension === 'platform') return [{ kind: 'platform-day', day }];
    const column = { user: 'actor_user_id', bot: 'bot_id', persona: 'persona_id', memory: 'actor_user_id' }[dimension];
    const memoryOnly =
      dimension === 'memory' ? `AND event_type IN ('memory_created', 'memory_recalled') AND bot_id IS NOT NULL` : '';
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT ${column} AS key, ${dimension === 'memory' ? 'bot_id' : 'NULL::uuid'} AS bot_id
         FROM analytics_events
        WHERE occurred_at >= $1 AND occurred_at < $2 AND ${column} IS NOT NULL ${memoryOnly}
          AND ($3::uuid[] IS NULL OR ${column} = ANY($3::uuid[]))`,
      [`${day}T00:00:00Z`, `${addDays(day, 1)}T00:00:00Z`, ids?.length ? ids : null],
    )) as { key: string; bot_id: string | null }[];
    return rows.map((r): RollupTarget => {
      switch (dimension) {
        case 'user':
          return { kind: 'user-day', userId: r.key, day };
        case 'bot':
          return { kind: 'bot-day', botId: r.key, day };
        case 'persona':
          return { kind: 'persona-day', personaId: r.key, day };
        case 'memory':
          return { kind: 'memory-day', userId: r.key, botId: r.bot_id!, day };
      }
    });
  }

  /**
   * Deletes events that occurred before the retention cutoff (a UTC midnight; never later), in batches, so every day a
   * rollup may still recompute keeps all its events; drops view salts older than 48 h. (`event_type = ANY(all)` lets
   * the (event_type, occurred_at) index serve the scan.)
   */
  async pruneEvents(before?: string): Promise<number> {
    const retention = this.config.get('ANALYTICS_EVENT_RETENTION_DAYS', { infer: true });
    const cutoff = new Date(`${addDays(utcDay(new Date()), -retention)}T00:00:00Z`);
    const until = before && new Date(before) < cutoff ? new Date(before) : cutoff;
    let deleted = 0;
    for (;;) {
      const [, count] = (await this.dataSource.query(
        `DELETE FROM analytics_events WHERE id IN (
           SELECT id FROM analytics_events
            WHERE event_type = ANY(enum_range(NULL::analytics_event_type)) AND occurred_at < $1 LIMIT ${PRUNE_BATCH})`,
        [until],
      )) as [unknown, number];
      deleted += count;
      if (count < PRUNE_BATCH) break;
    }
    await this.dataSource.query(`DELETE FROM analytics_view_salts WHERE day < $1::date`, [
      addDays(utcDay(new Date()), -1),
    ]);
    return deleted;
  }

  /** Anonymizes a deleted user's events: actor_user_id null, actor_key `deleted` (analytics.md §1). */
  async forgetUser(userId: string): Promise<number> {
    let updated = 0;
    for (;;) {
      const [, count] = (await this.dataSource.query(
        `UPDATE analytics_events SET actor_user_id = NULL, actor_key = 'deleted' WHERE id IN (
           SELECT id FROM analytics_events WHERE actor_user_id = $1 OR actor_key = $1::text LIMIT ${PRUNE_BATCH})`,
        [userId],
      )) as [unknown, number];
      updated += count;
      if (count < PRUNE_BATCH) break;
    }
    return updated;
  }

  /** Records the start and end of a scheduled run (GET /admin/analytics/queue shows the last nightly run). */
  async tracked<T>(jobName: string, run: () => Promise<T>): Promise<T> {
    const started = new Date();
    await this.dataSource.query(
      `INSERT INTO analytics_job_runs (job_name, started_at, finished_at, succeeded, duration_ms)
       VALUES ($1, $2, NULL, NULL, NULL)
       ON CONFLICT (job_name) DO UPDATE SET started_at = $2, finished_at = NULL, succeeded = NULL, duration_ms = NULL`,
      [jobName, started],
    );
    const finish = (succeeded: boolean, details: unknown) =>
      this.dataSource.query(
        `UPDATE analytics_job_runs SET finished_at = now(), succeeded = $2, duration_ms = $3, details = $4::jsonb
          WHERE job_name = $1`,
        [jobName, succeeded, Date.now() - started.getTime(), JSON.stringify(details ?? {})],
      );
    try {
      const result = await run();
      await finish(true, typeof result === 'object' ? result : { count: result });
      return result;
    } catch (err) {
      await finish(false, {});
      throw err;
    }
  }

  /** The in-process driver keeps no jobs over a restart: catch up on the last 26 hours at boot (§3.5). */
  async bootSweep(): Promise<void> {
    if (this.jobs.driver !== 'in-process') return;
    await this.jobs.enqueue('analytics.sweep', { windowHours: 26 }, { jobId: 'analytics-boot-sweep' });
  }
}
