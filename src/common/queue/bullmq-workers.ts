import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap, type Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../config/env.js';
import type { Job } from 'bullmq';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { type JobName, type QueueName, queuePolicy } from './jobs.js';

/** One @nestjs/bullmq worker per queue; each hands its jobs to the queue's processor through the registry. */
export function workerHostFor(queue: QueueName): Type<WorkerHost> {
  const policy = queuePolicy(queue);
  // an explicit `lockDuration: undefined` would override BullMQ's default and break its scripts
  const lock = policy.lockDurationMs ? { lockDuration: policy.lockDurationMs } : {};
  @Processor(queue, { concurrency: policy.concurrency, ...lock })
  class QueueWorkerHost extends WorkerHost implements OnApplicationBootstrap {
    private readonly logger = new Logger(`${queue}-worker`);
    constructor(
      private readonly registry: JobHandlerRegistry,
      private readonly config: ConfigService<Env, true>,
    ) {
      super();
    }
    onApplicationBootstrap(): void {
      if (policy.concurrencyEnv) this.worker.concurrency = this.config.get(policy.concurrencyEnv, { infer: true });
    }
    async process(job: Job): Promise<void> {
      const started = Date.now();
      await this.registry.run(job.name as JobName, job.data as never);
      this.logger.debug({ msg: 'job done', job: job.name, jobId: job.id, ms: Date.now() - started });
    }
  }
  Object.defineProperty(QueueWorkerHost, 'name', {
    value: `${queue[0].toUpperCase()}${queue.slice(1)}QueueWorkerHost`,
  });
  return QueueWorkerHost;
}
