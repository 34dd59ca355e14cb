import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { JobQueue } from '../../../common/queue/job-queue.js';

const TEN_MINUTES = 10 * 60_000;
const ONE_DAY = 24 * 3_600_000;

/**
 * Repeats the creators jobs (creators.md §1.5, §3.6): `creators.refresh-stats` every 10 minutes and
 * `creators.expire-memberships` daily, through JobQueue.schedule (a BullMQ job scheduler on Redis, an unref'd
 * interval in-process). Scheduler ids are fixed, so every process may register them at boot.
 */
@Injectable()
export class CreatorsScheduler implements OnApplicationBootstrap {
  constructor(private readonly jobs: JobQueue) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule('creators.refresh-stats', {}, TEN_MINUTES, 'creators-refresh-stats');
    await this.jobs.schedule('creators.expire-memberships', {}, ONE_DAY, 'creators-expire-memberships');
  }
}
