import { Injectable, Logger } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import type { JobProcessor, QueueJob } from '../../../common/queue/job-processor.js';
import { MoodTrendService } from '../mood/mood-trend.service.js';
import { isDay } from '../rollups/days.js';
import { ROLLUP_DIMENSIONS, RollupService } from '../rollups/rollup.service.js';
import { AnalyticsMaintenanceService } from './analytics-maintenance.service.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A payload that can never succeed fails at once instead of being retried (analytics.md §3.4). */
function bad(job: { name: string }, field: string): never {
  throw new UnrecoverableError(`${job.name}: invalid ${field}`);
}
const uuid = (job: { name: string }, field: string, v: unknown): string =>
  typeof v === 'string' && UUID.test(v) ? v : bad(job, field);
const day = (job: { name: string }, v: unknown): string => (isDay(v) ? v : bad(job, 'day'));

/** The one processor of queue `analytics` (README decision 9). */
@Injectable()
export class AnalyticsProcessor implements JobProcessor<'analytics'> {
  readonly queue = 'analytics' as const;
  private readonly logger = new Logger(AnalyticsProcessor.name);

  constructor(
    private readonly rollups: RollupService,
    private readonly moodTrends: MoodTrendService,
    private readonly maintenance: AnalyticsMaintenanceService,
  ) {}

  async handle(job: QueueJob<'analytics'>): Promise<void> {
    switch (job.name) {
      case 'analytics.user-day':
        await this.rollups.userDay(uuid(job, 'userId', job.payload.userId), day(job, job.payload.day));
        return;
      case 'analytics.bot-day':
        await this.rollups.botDay(uuid(job, 'botId', job.payload.botId), day(job, job.payload.day));
        return;
      case 'analytics.persona-day':
        await this.rollups.personaDay(uuid(job, 'personaId', job.payload.personaId), day(job, job.payload.day));
        return;
      case 'analytics.memory-day':
        await this.rollups.memoryDay(
          uuid(job, 'userId', job.payload.userId),
          uuid(job, 'botId', job.payload.botId),
          day(job, job.payload.day),
        );
        return;
      case 'analytics.platform-day':
        await this.rollups.platformDay(day(job, job.payload.day));
        return;
      case 'analytics.mood-trend':
        await this.moodTrends.recompute(uuid(job, 'userId', job.payload.userId));
        return;
      case 'analytics.sweep': {
        const hours = job.payload.windowHours;
        if (!Number.isInteger(hours) || hours < 1 || hours > 24 * 90) bad(job, 'windowHours');
        const scheduled = await this.maintenance.tracked(job.name, () => this.maintenance.sweep(hours));
        this.logger.log({ msg: 'analytics sweep', windowHours: hours, scheduled });
        return;
      }
      case 'analytics.nightly': {
        const target = job.payload.day === undefined ? undefined : day(job, job.payload.day);
        const result = await this.maintenance.tracked(job.name, () => this.maintenance.nightly(target));
        this.logger.log({ msg: 'analytics nightly run', ...result });
        return;
      }
      case 'analytics.backfill': {
        const { scope, from, to, ids } = job.payload;
        if (scope !== 'all' && !ROLLUP_DIMENSIONS.includes(scope)) bad(job, 'scope');
        if (day(job, from) > day(job, to)) bad(job, 'range');
        if (ids !== undefined && (!Array.isArray(ids) || ids.some((id) => !UUID.test(id)))) bad(job, 'ids');
        const jobs = await this.maintenance.tracked(job.name, () => this.maintenance.backfill(job.payload));
        this.logger.log({ msg: 'analytics backfill fanned out', scope, from, to, jobs: jobs.length });
        return;
      }
      case 'analytics.prune-events': {
        const before = job.payload.before;
        if (before !== undefined && Number.isNaN(Date.parse(before))) bad(job, 'before');
        const deleted = await this.maintenance.tracked(job.name, () => this.maintenance.pruneEvents(before));
        this.logger.log({ msg: 'analytics events pruned', deleted });
        return;
      }
      case 'analytics.forget-user': {
        const updated = await this.maintenance.forgetUser(uuid(job, 'userId', job.payload.userId));
        this.logger.log({ msg: 'analytics events anonymized', userId: job.payload.userId, updated });
        return;
      }
      default: {
        const unreachable: never = job;
        throw new Error(`Unknown analytics job ${(unreachable as { name: string }).name}`);
      }
    }
  }
}
