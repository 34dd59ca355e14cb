import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AccessResourceType } from '../../common/access/access.enums.js';
import { shareable } from '../../common/access/access-level.js';
import { AccessPolicy } from '../../common/access/access.policy.js';
import type { Actor } from '../../common/auth/actor.js';
import type { Env } from '../../common/config/env.js';
import { NotFoundError, UnprocessableError } from '../../common/errors/app-error.js';
import { JobQueue } from '../../common/queue/job-queue.js';
import { ValidationFailedException } from '../../common/validation/validation-failed.exception.js';
import { Bot } from '../bots/entities/bot.entity.js';
import { Persona } from '../personas/entities/persona.entity.js';
import { localDate } from '../wellbeing/mood-dates.js';
import { AnalyticsPolicy } from './analytics.policy.js';
import type {
  AnalyticsRangeQueryDto,
  BackfillDto,
  Granularity,
  MemoryStatsQueryDto,
  MoodTrendsQueryDto,
  PersonaStatsQueryDto,
} from './dto/analytics-query.dto.js';
import type {
  BackfillAcceptedDto,
  BotCountersDto,
  BotSeriesDto,
  BotTotalsDto,
  CreatorOverviewDto,
  JobRunDto,
  MemorySeriesDto,
  MoodTrendDto,
  MoodTrendsResponseDto,
  PersonaSeriesDto,
  PlatformSeriesDto,
  QueueStatusDto,
  UsageSeriesDto,
} from './dto/analytics-response.dto.js';
import { MoodTrendRow } from './entities/mood-trend.entity.js';
import { MoodTrendService } from './mood/mood-trend.service.js';
import { addDays, daysBetween, oldestRecomputableDay, utcDay } from './rollups/days.js';
import { BOT_COLUMNS, MEMORY_COLUMNS, PERSONA_COLUMNS, PLATFORM_COLUMNS, USER_COLUMNS } from './rollups/rollup-sql.js';
import { buildSeries, type Counters, type DayRow, ratio } from './series.js';

const DEFAULT_RANGE_DAYS = 30;
const MAX_RANGE_DAYS = 366;
const BREAKDOWN_DAYS = 90;

interface Range {
  from: string;
  to: string;
  granularity: Granularity;
}

const invalid = (field: string, message: string) => new ValidationFailedException([{ field, message }]);

/** Resolves from/to/granularity: default the last 30 days; from ≤ to; at most 366 days. */
export function resolveRange(query: AnalyticsRangeQueryDto, today = utcDay(new Date())): Range {
  const to = query.to ?? today;
  const from = query.from ?? addDays(to, -(DEFAULT_RANGE_DAYS - 1));
  if (from > to) throw invalid('from', 'from must not be after to');
  if (addDays(from, MAX_RANGE_DAYS - 1) < to) throw invalid('to', `the range spans at most ${MAX_RANGE_DAYS} days`);
  return { from, to, granularity: query.granularity ?? 'day' };
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Read endpoints of analytics.md §4: rollups only, never raw events (except the persona per-bot breakdown). */
@Injectable()
export class AnalyticsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly policy: AnalyticsPolicy,
    private readonly access: AccessPolicy,
    private readonly moodTrends: MoodTrendService,
    private readonly jobs: JobQueue,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async myUsage(actor: Actor, query: AnalyticsRangeQueryDto): Promise<UsageSeriesDto> {
    const range = resolveRange(query);
    const rows = await this.dailyRows('user_daily_stats', USER_COLUMNS, 'user_id = $1', [actor.id], range);
    return { ...range, ...buildSeries(rows, USER_COLUMNS, range.from, range.to, range.granularity) };
  }

  async myMemory(actor: Actor, query: MemoryStatsQueryDto): Promise<MemorySeriesDto> {
    const range = resolveRange(query);
    const botId = query.bot_id ?? null;
    const rows = await this.dailyRows(
      'memory_daily_stats',
      MEMORY_COLUMNS,
      'user_id = $1 AND ($2::uuid IS NULL OR bot_id = $2)',
      [actor.id, botId],
      range,
    );
    const [live] = (await this.dataSource.query(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE m.type = 'short_term')::int AS short_term,
              count(*) FILTER (WHERE m.type = 'long_term')::int AS long_term,
              count(*) FILTER (WHERE m.type = 'consolidated')::int AS consolidated,
              count(*) FILTER (WHERE m.superseded_by_id IS NOT NULL)::int AS superseded
         FROM memories m
        WHERE m.user_id = $1
          AND ($2::uuid IS NULL OR EXISTS (SELECT 1 FROM memory_bots mb WHERE mb.memory_id = m.id AND mb.bot_id = $2))`,
      [actor.id, botId],
    )) as MemorySeriesDto['current'][];
    return {
      ...range,
      bot_id: botId,
      ...buildSeries(rows, MEMORY_COLUMNS, range.from, range.to, range.granularity),
      current: live,
    };
  }

  async myMoodTrends(actor: Actor, query: MoodTrendsQueryDto): Promise<MoodTrendsResponseDto> {
    const days = query.days ?? 30;
    const [settings] = (await this.dataSource.query(
      `SELECT timezone FROM self_moderation_settings WHERE user_id = $1`,
      [actor.id],
    )) as { timezone: string }[];
    const today = localDate(new Date(), settings?.timezone ?? 'UTC');
    const [stored] = (await this.dataSource.query(
      `SELECT to_char(as_of_date, 'YYYY-MM-DD') AS as_of_date FROM mood_trends WHERE user_id = $1`,
      [actor.id],
    )) as { as_of_date: string }[];
    // Recomputed on the spot when missing or computed before the caller's local today.
    const row =
      stored && stored.as_of_date >= today
        ? await this.dataSource.getRepository(MoodTrendRow).findOneByOrFail({ userId: actor.id })
        : await this.moodTrends.recompute(actor.id);
    if (!row) throw new NotFoundError('USER_NOT_FOUND');
    const from = addDays(today, -(days - 1));
    const daily = (await this.dataSource.query(
      `SELECT to_char(entry_date, 'YYYY-MM-DD') AS date, avg(score)::float8 AS mean, count(*)::int AS entries
         FROM mood_entries WHERE user_id = $1 AND entry_date BETWEEN $2::date AND $3::date GROUP BY entry_date`,
      [actor.id, from, today],
    )) as { date: string; mean: number; entries: number }[];
    const byDate = new Map(daily.map((d) => [d.date, d]));
    return {
      trend: toMoodTrend(row),
      daily: daysBetween(from, today).map((date) => {
        const d = byDate.get(date);
        return { date, mean_score: d ? Math.round(d.mean * 100) / 100 : null, entries: d?.entries ?? 0 };
      }),
    };
  }

  async persona(actor: Actor, id: string, query: PersonaStatsQueryDto): Promise<PersonaSeriesDto> {
    const range = resolveRange(query);
    const persona = await this.dataSource
      .getRepository(Persona)
      .findOne({ where: { id }, select: { id: true, ownerId: true } });
    this.policy.assertPersonaStats(actor, persona);
    const rows = await this.dailyRows('persona_daily_stats', PERSONA_COLUMNS, 'persona_id = $1', [id], range);
    const out: PersonaSeriesDto = {
      ...range,
      persona_id: id,
      ...buildSeries(rows, PERSONA_COLUMNS, range.from, range.to, range.granularity),
    };
    if (query.by === 'bot') {
      const since = [range.from, addDays(range.to, -(BREAKDOWN_DAYS - 1))].sort()[1];
      out.by_bot = (await this.dataSource.query(
        `SELECT bot_id, count(*) FILTER (WHERE event_type = 'message_sent')::int AS messages_sent,
                count(*) FILTER (WHERE event_type = 'reply_generated')::int AS replies_received,
                count(DISTINCT conversation_id)::int AS conversations
           FROM analytics_events
          WHERE persona_id = $1 AND bot_id IS NOT NULL AND occurred_at >= $2 AND occurred_at < $3
          GROUP BY bot_id ORDER BY messages_sent DESC, bot_id`,
        [id, `${since}T00:00:00Z`, `${addDays(range.to, 1)}T00:00:00Z`],
      )) as PersonaSeriesDto['by_bot'];
    }
    return out;
  }

  async bot(actor: Actor, id: string, query: AnalyticsRangeQueryDto): Promise<BotSeriesDto> {
    const range = resolveRange(query);
    const bot = await this.dataSource.getRepository(Bot).findOneBy({ id });
    if (!bot) throw new NotFoundError('BOT_NOT_FOUND');
    this.policy.assertBotStats(await this.access.levelFor(actor, shareable(AccessResourceType.Bot, bot)));
    const rows = await this.dailyRows('bot_daily_stats', BOT_COLUMNS, 'bot_id = $1', [id], range);
    const { series, totals } = buildSeries(rows, BOT_COLUMNS, range.from, range.to, range.granularity);
    return {
      ...range,
      bot_id: id,
      series: series.map((p) => ({ ...p, avg_latency_ms: avgLatency(p) })),
      totals: botTotals(totals),
    };
  }

  async creatorOverview(actor: Actor, query: AnalyticsRangeQueryDto): Promise<CreatorOverviewDto> {
    const { from, to } = resolveRange(query);
    const sums = BOT_COLUMNS.map((c) => `coalesce(sum(s.${c}), 0)::bigint AS ${c}`).join(', ');
    const [[counts], [totals], top] = await Promise.all([
      this.dataSource.query(`SELECT count(*)::int AS n FROM bots WHERE owner_id = $1`, [actor.id]),
      this.dataSource.query(
        `SELECT ${sums} FROM bot_daily_stats s JOIN bots b ON b.id = s.bot_id
          WHERE b.owner_id = $1 AND s.day BETWEEN $2::date AND $3::date`,
        [actor.id, from, to],
      ),
      this.dataSource.query(
        `SELECT b.id AS bot_id, b.name, sum(s.user_messages)::int AS user_messages,
                sum(s.unique_chatters)::int AS unique_chatters, sum(s.views)::int AS views
           FROM bot_daily_stats s JOIN bots b ON b.id = s.bot_id
          WHERE b.owner_id = $1 AND s.day BETWEEN $2::date AND $3::date
          GROUP BY b.id, b.name ORDER BY user_messages DESC, b.id LIMIT 10`,
        [actor.id, from, to],
      ),
    ]);
    const counters = Object.fromEntries(BOT_COLUMNS.map((c) => [c, Number(totals[c])])) as unknown as BotCountersDto;
    return { from, to, bot_count: counts.n, totals: botTotals(counters), top_bots: top };
  }

  async platform(query: AnalyticsRangeQueryDto): Promise<PlatformSeriesDto> {
    const range = resolveRange(query);
    const rows = await this.dailyRows('platform_daily_stats', PLATFORM_COLUMNS, 'TRUE', [], range);
    return { ...range, ...buildSeries(rows, PLATFORM_COLUMNS, range.from, range.to, range.granularity) };
  }

  /** 202: one backfill job (it fans out per day and key). Days before the retention cutoff → 422. */
  async backfill(dto: BackfillDto): Promise<BackfillAcceptedDto> {
    const today = utcDay(new Date());
    if (dto.from > dto.to) throw invalid('from', 'from must not be after to');
    if (dto.to > today) throw invalid('to', 'to must not be in the future');
    if (addDays(dto.from, MAX_RANGE_DAYS - 1) < dto.to)
      throw invalid('to', `the range spans at most ${MAX_RANGE_DAYS} days`);
    const oldest = oldestRecomputableDay(
      new Date(),
      this.config.get('ANALYTICS_EVENT_RETENTION_DAYS', { infer: true }),
    );
    if (dto.from < oldest) {
      throw new UnprocessableError(
        'ANALYTICS_RANGE_TOO_OLD',
        `Events before ${oldest} are pruned; rollups are final.`,
        [{ field: 'from', message: `from must be on or after ${oldest}` }],
      );
    }
    const jobId = `bf-${dto.scope}-${dto.from}-${dto.to}`;
    await this.jobs.enqueue('analytics.backfill', { scope: dto.scope, from: dto.from, to: dto.to }, { jobId });
    return { job_ids: [jobId] };
  }

  async queueStatus(): Promise<QueueStatusDto> {
    const { queues, failures } = await this.jobs.stats(20);
    const runs = (await this.dataSource.query(
      `SELECT job_name, started_at, finished_at, succeeded, duration_ms FROM analytics_job_runs ORDER BY job_name`,
    )) as {
      job_name: string;
      started_at: Date;
      finished_at: Date | null;
      succeeded: boolean | null;
      duration_ms: number | null;
    }[];
    const toRun = (r: (typeof runs)[number]): JobRunDto => ({
      job_name: r.job_name,
      started_at: new Date(r.started_at).toISOString(),
      finished_at: r.finished_at ? new Date(r.finished_at).toISOString() : null,
      succeeded: r.succeeded,
      duration_ms: r.duration_ms,
    });
    const nightly = runs.find((r) => r.job_name === 'analytics.nightly');
    return {
      driver: this.jobs.driver,
      queues,
      last_nightly_run: nightly ? toRun(nightly) : null,
      scheduled_runs: runs.map(toRun),
      recent_failures: failures.map((f) => ({
        queue: f.queue,
        name: f.name,
        job_id: f.jobId,
        attempts: f.attempts,
        error: f.error,
        failed_at: f.failedAt.toISOString(),
      })),
    };
  }

  /** Rows of one rollup table over the range; `where` uses $1.. for `params`, the range follows. */
  private dailyRows<C extends string>(
    table: string,
    counters: readonly C[],
    where: string,
    params: unknown[],
    range: Range,
  ): Promise<DayRow<C>[]> {
    const n = params.length;
    return this.dataSource.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, ${counters.map((c) => `sum(${c})::bigint AS ${c}`).join(', ')}
         FROM ${table} WHERE ${where} AND day BETWEEN $${n + 1}::date AND $${n + 2}::date GROUP BY day`,
      [...params, range.from, range.to],
    );
  }
}

function avgLatency(c: Counters<'latency_ms_sum' | 'latency_count'>): number | null {
  return c.latency_count ? Math.round(c.latency_ms_sum / c.latency_count) : null;
}

function botTotals(c: BotCountersDto): BotTotalsDto {
  return {
    ...c,
    like_net: c.likes - c.unlikes,
    return_rate: c.unique_chatters ? ratio(c.unique_chatters - c.new_chatters, c.unique_chatters) : null,
    avg_latency_ms: avgLatency(c),
    failure_rate: ratio(c.reply_failures, c.replies + c.reply_failures),
  };
}

function toMoodTrend(r: MoodTrendRow): MoodTrendDto {
  return {
    as_of_date: r.asOfDate,
    avg_7d: num(r.avg7d),
    avg_prev_7d: num(r.avgPrev7d),
    change_7d: num(r.change7d),
    days_logged_7d: r.daysLogged7d,
    avg_30d: num(r.avg30d),
    avg_prev_30d: num(r.avgPrev30d),
    change_30d: num(r.change30d),
    days_logged_30d: r.daysLogged30d,
    trend_7d: r.trend7d,
    trend_30d: r.trend30d,
    current_streak: r.currentStreak,
    longest_streak: r.longestStreak,
    last_entry_date: r.lastEntryDate,
    top_mood_30d: r.topMood30d,
    top_emotions_30d: r.topEmotions30d,
    computed_at: r.computedAt.toISOString(),
  };
}
