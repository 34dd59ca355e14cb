import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { JobQueue } from './job-queue.js';
import {
  assertJobId,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  type EnqueueOptions,
  type JobName,
  type JobPayloads,
  QUEUE_NAMES,
  queueOf,
  type QueueName,
} from './jobs.js';

/** Producer side on Redis: the queues registered by @nestjs/bullmq. Workers run in the worker role. */
@Injectable()
export class BullmqJobQueue extends JobQueue implements OnApplicationShutdown {
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
      attempts: options.attempts ?? DEFAULT_ATTEMPTS,
      backoff: { type: 'exponential', delay: DEFAULT_BACKOFF_MS },
      removeOnComplete: true,
      removeOnFail: false,
    });
  }

  async schedule<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    everyMs: number,
    schedulerId: string,
  ): Promise<void> {
    assertJobId(schedulerId);
    // A job scheduler is stored in Redis under its id: upserting from every process keeps exactly one schedule.
    await this.queue(queueOf(name)).upsertJobScheduler(
      schedulerId,
      { every: everyMs },
      {
        name,
        data: payload,
        opts: {
          attempts: DEFAULT_ATTEMPTS,
          backoff: { type: 'exponential', delay: DEFAULT_BACKOFF_MS },
          removeOnComplete: true,
          removeOnFail: false,
        },
      },
    );
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
