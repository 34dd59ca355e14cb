import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { JobsOptions, Queue, RepeatOptions } from 'bullmq';
import { type FailedJobInfo, JobQueue, type QueueCounts } from './job-queue.js';
import {
  assertJobId,
  type EnqueueOptions,
  type JobName,
  type JobPayloads,
  QUEUE_NAMES,
  queueOf,
  type QueueName,
  queuePolicy,
  type ScheduleTiming,
} from './jobs.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Retry and retention options of a queue's jobs (its QueuePolicy). */
function jobOptions(queue: QueueName, attempts?: number): JobsOptions {
  const policy = queuePolicy(queue);
  return {
    attempts: attempts ?? policy.attempts,
    backoff: { type: 'exponential', delay: policy.backoffMs },
    removeOnComplete: true,
    removeOnFail: policy.removeOnFailAgeSeconds ? { age: policy.removeOnFailAgeSeconds } : false,
  };
}

/** Hourly and daily schedules with an offset become UTC cron patterns (":05 every hour", "00:30 every day"). */
export function repeatOptions(everyMs: number, timing: ScheduleTiming = {}): RepeatOptions {
  const offset = timing.offsetMs;
  if (offset === undefined) return { every: everyMs };
  const minute = Math.floor((offset % HOUR_MS) / 60_000);
  if (everyMs === HOUR_MS) return { pattern: `${minute} * * * *`, tz: 'UTC' };
  if (everyMs === DAY_MS) return { pattern: `${minute} ${Math.floor(offset / HOUR_MS)} * * *`, tz: 'UTC' };
  throw new Error('A schedule offset needs an hourly or daily interval');
}

/** Producer side on Redis: the queues registered by @nestjs/bullmq. Workers run in the worker role. */
@Injectable()
export class BullmqJobQueue extends JobQueue implements OnApplicationShutdown {
  readonly driver = 'redis' as const;

  constructor(private readonly moduleRef: ModuleRef) {
    super();
  }

  private queue(name: QueueName): Queue {
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<void> {
    if (options.jobId) assertJobId(options.jobId);
    await this.queue(queueOf(name)).add(name, payload, {
      jobId: options.jobId,
      delay: options.delayMs,
      ...jobOptions(queueOf(name), options.attempts),
    });
  }

  async schedule<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    everyMs: number,
    schedulerId: string,
    timing?: ScheduleTiming,
  ): Promise<void> {
    assertJobId(schedulerId);
    // A job scheduler is stored in Redis under its id: upserting from every process keeps exactly one schedule.
    await this.queue(queueOf(name)).upsertJobScheduler(schedulerId, repeatOptions(everyMs, timing), {
      name,
      data: payload,
      opts: jobOptions(queueOf(name)),
    });
  }

  async stats(recentFailures = 10): Promise<{ queues: QueueCounts[]; failures: FailedJobInfo[] }> {
    const queues: QueueCounts[] = [];
    const failures: FailedJobInfo[] = [];
    for (const name of QUEUE_NAMES) {
      const queue = this.queue(name);
      const c = await queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed');
      queues.push({
        queue: name,
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        active: c.active ?? 0,
        delayed: c.delayed ?? 0,
        failed: c.failed ?? 0,
      });
      for (const job of await queue.getFailed(0, recentFailures - 1)) {
        failures.push({
          queue: name,
          name: job.name,
          jobId: job.id ?? null,
          attempts: job.attemptsMade,
          error: job.failedReason,
          failedAt: new Date(job.finishedOn ?? job.timestamp),
        });
      }
    }
    failures.sort((a, b) => b.failedAt.getTime() - a.failedAt.getTime());
    return { queues, failures: failures.slice(0, recentFailures) };
  }

  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await Promise.all(
        QUEUE_NAMES.map((q) => this.queue(q).getJobCounts('waiting', 'active', 'prioritized', 'waiting-children')),
      );
      const busy = counts.reduce((sum, c) => sum + Object.values(c).reduce((a, b) => a + b, 0), 0);
      if (busy === 0) return;
      if (Date.now() > deadline) throw new Error(`Timed out draining BullMQ queues (${busy} jobs left)`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // @nestjs/bullmq closes the queues it registered.
  }
}
