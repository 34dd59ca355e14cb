import type { EnqueueOptions, JobName, JobPayloads } from './jobs.js';

/** What producers call. Two drivers: BullMQ on Redis (REDIS_URL set) or in-process (the embedded default). */
export abstract class JobQueue {
  abstract enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options?: EnqueueOptions): Promise<void>;
  /**
   * Repeats `name` every `everyMs` milliseconds (first run one interval from now), under the deterministic
   * `schedulerId` (no ':'). Calling it again with the same id replaces the schedule instead of adding a second one,
   * so every process may call it at boot. A run is skipped while the previous one with that id is still waiting.
   */
  abstract schedule<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    everyMs: number,
    schedulerId: string,
  ): Promise<void>;
  /** Resolves when no job is waiting or running (delayed jobs excepted). For tests and the CLI. */
  abstract drain(timeoutMs?: number): Promise<void>;
}
