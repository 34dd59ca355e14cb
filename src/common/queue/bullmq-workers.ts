import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type Type } from '@nestjs/common';
import type { Job } from 'bullmq';
import { JobHandlerRegistry } from './job-handler.registry.js';
import type { JobName, QueueName } from './jobs.js';

/** One @nestjs/bullmq worker per queue; each hands its jobs to the queue's processor through the registry. */
export function workerHostFor(queue: QueueName): Type<WorkerHost> {
  @Processor(queue, { concurrency: 2 })
  class QueueWorkerHost extends WorkerHost {
    private readonly logger = new Logger(`${queue}-worker`);
    constructor(private readonly registry: JobHandlerRegistry) {
      super();
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
