import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '../../../../common/queue/job-queue.js';

const ONE_DAY = 24 * 3_600_000;

/**
 * Repeats the nightly wellbeing jobs (analytics.md §3.2 table: `crisis.verification-expiry`,
 * `wellbeing.usage-prune`) through JobQueue.schedule under fixed scheduler ids, so every process may register them.
 * JobQueue.schedule repeats by interval (every 24 h from boot), not at a wall-clock time; both jobs are idempotent,
 * so the hour they run at does not change their result.
 */
@Injectable()
export class WellbeingScheduler implements OnApplicationBootstrap {
  constructor(private readonly jobs: JobQueue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule('crisis.verification-expiry', {}, ONE_DAY, 'crisis-verification-expiry');
    await this.jobs.schedule('wellbeing.usage-prune', {}, ONE_DAY, 'wellbeing-usage-prune');
  }
}
