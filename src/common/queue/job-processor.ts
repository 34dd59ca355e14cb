import type { JobName, JobPayloads, QueueName } from './jobs.js';

/** A job of queue Q as a discriminated union, so `switch (job.name)` narrows `job.payload`. */
export type QueueJob<Q extends QueueName> = {
  [N in JobName]: N extends `${Q}.${string}` ? { name: N; payload: JobPayloads[N] } : never;
}[JobName];

/** One per queue, in the owning module; `handle` switches exhaustively over the queue's job names. */
export interface JobProcessor<Q extends QueueName = QueueName> {
  readonly queue: Q;
  handle(job: QueueJob<Q>): Promise<void>;
}
