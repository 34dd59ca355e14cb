import { Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobHandlerRegistry } from '../../common/queue/job-handler.registry.js';
import { JobQueue } from '../../common/queue/job-queue.js';
import { WellbeingModule } from '../wellbeing/wellbeing.module.js';
import { AdminAnalyticsController, AnalyticsController } from './analytics.controller.js';
import { AnalyticsPolicy } from './analytics.policy.js';
import { AnalyticsService } from './analytics.service.js';
import { AnalyticsJobRun } from './entities/analytics-job-run.entity.js';
import { BotChatter } from './entities/bot-chatter.entity.js';
import { BotDailyStat } from './entities/bot-daily-stat.entity.js';
import { MemoryDailyStat } from './entities/memory-daily-stat.entity.js';
import { MoodTrendRow } from './entities/mood-trend.entity.js';
import { PersonaDailyStat } from './entities/persona-daily-stat.entity.js';
import { PlatformDailyStat } from './entities/platform-daily-stat.entity.js';
import { UserDailyStat } from './entities/user-daily-stat.entity.js';
import { AnalyticsMaintenanceService } from './jobs/analytics-maintenance.service.js';
import { AnalyticsProcessor } from './jobs/analytics.processor.js';
import { MoodTrendService } from './mood/mood-trend.service.js';
import { RollupService } from './rollups/rollup.service.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const MINUTE_MS = 60_000;

/**
 * analytics.md: daily rollups, mood trends, the `analytics` queue's processor and its schedules, and the owner/admin
 * read endpoints. The event outbox (AnalyticsRecorder) lives in the global AnalyticsRecorderModule.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([
      UserDailyStat,
      BotDailyStat,
      BotChatter,
      PersonaDailyStat,
      MemoryDailyStat,
      PlatformDailyStat,
      MoodTrendRow,
      AnalyticsJobRun,
    ]),
    WellbeingModule,
  ],
  controllers: [AnalyticsController, AdminAnalyticsController],
  providers: [
    RollupService,
    MoodTrendService,
    AnalyticsMaintenanceService,
    AnalyticsProcessor,
    AnalyticsPolicy,
    AnalyticsService,
  ],
  exports: [RollupService, MoodTrendService],
})
export class AnalyticsModule implements OnApplicationBootstrap {
  private readonly logger = new Logger(AnalyticsModule.name);

  constructor(
    registry: JobHandlerRegistry,
    processor: AnalyticsProcessor,
    private readonly jobs: JobQueue,
    private readonly maintenance: AnalyticsMaintenanceService,
  ) {
    registry.register(processor);
  }

  /** Repeatable jobs, keyed by id so several instances do not duplicate them (analytics.md §3.4). */
  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule('analytics.sweep', { windowHours: 2 }, HOUR_MS, 'analytics-sweep', {
      offsetMs: 5 * MINUTE_MS,
    });
    await this.jobs.schedule('analytics.nightly', {}, DAY_MS, 'analytics-nightly', { offsetMs: 30 * MINUTE_MS });
    await this.jobs.schedule('analytics.prune-events', {}, DAY_MS, 'analytics-prune-events', { offsetMs: 2 * HOUR_MS });
    await this.maintenance.bootSweep();
    this.logger.debug({ msg: 'analytics schedules registered', driver: this.jobs.driver });
  }
}
