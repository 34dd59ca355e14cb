import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '../../../../common/queue/job-queue.js';

const ONE_HOUR = 3_600_000;
const ONE_DAY = 24 * ONE_HOUR;

/**
 * Repeats the nightly wellbeing jobs (analytics.md §3.2 table: `crisis.verification-expiry`,
 * `wellbeing.usage-prune`) at 01:00 and 01:30 UTC through JobQueue.schedule under fixed scheduler ids, so every
 * process may register them.
 */
@Injectable()
export class WellbeingScheduler implements OnApplicationBootstrap {
  constructor(private readonly jobs: JobQueue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule('crisis.verification-expiry', {}, ONE_DAY, 'crisis-verification-expiry', {
      offsetMs: ONE_HOUR,
    });
    await this.jobs.schedule('wellbeing.usage-prune', {}, ONE_DAY, 'wellbeing-usage-prune', {
      offsetMs: 1.5 * ONE_HOUR,
    });
  }
}
