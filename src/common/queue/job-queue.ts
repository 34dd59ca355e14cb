import type { EnqueueOptions, JobName, JobPayloads, ScheduleTiming } from './jobs.js';

/** Counts of one queue, for operators (GET /admin/analytics/queue). */
export interface QueueCounts {
  queue: string;
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/** A job that failed for good (attempts exhausted or unrecoverable). */
export interface FailedJobInfo {
  queue: string;
  name: string;
  jobId: string | null;
  attempts: number;
  error: string;
  failedAt: Date;
}

/** What producers call. Two drivers: BullMQ on Redis (REDIS_URL set) or in-process (the embedded default). */
export abstract class JobQueue {
  abstract readonly driver: 'redis' | 'in-process';
  abstract enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options?: EnqueueOptions): Promise<void>;
  /**
   * Repeats `name` every `everyMs` milliseconds (first run one interval from now, or at the next `timing.offsetMs`
   * past a multiple of `everyMs` since the epoch, UTC: hourly at :05 is every 1 h, offset 5 min), under the
   * deterministic `schedulerId` (no ':'). Calling it again with the same id replaces the schedule instead of adding a
   * second one, so every process may call it at boot. A run is skipped while the previous one with that id is waiting.
   */
  abstract schedule<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    everyMs: number,
    schedulerId: string,
    timing?: ScheduleTiming,
  ): Promise<void>;
  /** Resolves when no job is waiting or running (delayed jobs excepted). For tests and the CLI. */
  abstract drain(timeoutMs?: number): Promise<void>;
  /** Per-queue counts and the most recent permanent failures (newest first). */
  abstract stats(recentFailures?: number): Promise<{ queues: QueueCounts[]; failures: FailedJobInfo[] }>;
}

/** The first run of a schedule with an offset: the next instant ≡ offsetMs (mod everyMs) after `now`. */
export function nextScheduledRun(now: number, everyMs: number, offsetMs: number): number {
  const base = Math.floor((now - offsetMs) / everyMs) * everyMs + offsetMs;
  return base > now ? base : base + everyMs;
}
