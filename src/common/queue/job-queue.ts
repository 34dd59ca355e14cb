import type { EnqueueOptions, JobName, JobPayloads } from './jobs.js';

/** What producers call. Two drivers: BullMQ on Redis (REDIS_URL set) or in-process (the embedded default). */
export abstract class JobQueue {
  abstract enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options?: EnqueueOptions): Promise<void>;
  /** Resolves when no job is waiting or running (delayed jobs excepted). For tests and the CLI. */
  abstract drain(timeoutMs?: number): Promise<void>;
}
