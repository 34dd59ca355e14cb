import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../../common/config/env.js';
import { JobQueue } from '../../../common/queue/job-queue.js';
import type { JobName, JobPayloads } from '../../../common/queue/jobs.js';
import { type RollupTarget, targetKey } from './rollup-targets.js';

type RollupJob = {
  [N in JobName]: N extends
    `analytics.${'user' | 'bot' | 'persona' | 'memory' | 'platform'}-day` | 'analytics.mood-trend'
    ? { name: N; payload: JobPayloads[N] }
    : never;
}[JobName];

/** Runs this long after its bucket ends, so every event of the bucket has committed (analytics.md §3.2). */
const AFTER_BUCKET_MS = 5_000;
const PLATFORM_BUCKET_MS = 600_000;
const MOOD_BUCKET_MS = 30_000;

/** The job that recomputes a target. */
export function rollupJob(t: RollupTarget): RollupJob {
  switch (t.kind) {
    case 'user-day':
      return { name: 'analytics.user-day', payload: { userId: t.userId, day: t.day } };
    case 'bot-day':
      return { name: 'analytics.bot-day', payload: { botId: t.botId, day: t.day } };
    case 'persona-day':
      return { name: 'analytics.persona-day', payload: { personaId: t.personaId, day: t.day } };
    case 'memory-day':
      return { name: 'analytics.memory-day', payload: { userId: t.userId, botId: t.botId, day: t.day } };
    case 'platform-day':
      return { name: 'analytics.platform-day', payload: { day: t.day } };
    case 'mood-trend':
      return { name: 'analytics.mood-trend', payload: { userId: t.userId } };
  }
}

/**
 * Turns touched rollup targets into debounced, de-duplicated jobs on the `analytics` queue (analytics.md §3.2): the
 * job id is the target plus a time bucket (`bd-<bot>-<day>-<bucket>`), so adding it again while it waits does nothing,
 * and an event arriving while the bucket's job runs gets the next bucket's job. Callers log scheduling failures and
 * carry on: the hourly sweep repairs the gap (§3.1).
 */
@Injectable()
export class RollupScheduler {
  constructor(
    private readonly jobs: JobQueue,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async schedule(targets: RollupTarget[], now = Date.now()): Promise<void> {
    const debounceMs = this.config.get('ANALYTICS_DEBOUNCE_SECONDS', { infer: true }) * 1000;
    for (const target of targets) {
      const job = rollupJob(target);
      if (debounceMs === 0) {
        // No debounce (tests): one job per commit, never merged with one that may already be running.
        await this.jobs.enqueue(job.name, job.payload as never);
        continue;
      }
      const bucketMs =
        target.kind === 'platform-day'
          ? PLATFORM_BUCKET_MS
          : target.kind === 'mood-trend'
            ? MOOD_BUCKET_MS
            : debounceMs;
      const bucket = Math.floor(now / bucketMs);
      await this.jobs.enqueue(job.name, job.payload as never, {
        jobId: `${targetKey(target)}-${bucket}`,
        delayMs: (bucket + 1) * bucketMs + AFTER_BUCKET_MS - now,
      });
    }
  }

  /** Immediate jobs under a fixed suffix (backfill, nightly fan-out): a second request while they wait adds nothing. */
  async scheduleNow(targets: RollupTarget[], suffix: string): Promise<string[]> {
    const ids: string[] = [];
    for (const target of targets) {
      const job = rollupJob(target);
      const jobId = `${targetKey(target)}-${suffix}`;
      await this.jobs.enqueue(job.name, job.payload as never, { jobId });
      ids.push(jobId);
    }
    return ids;
  }
}
