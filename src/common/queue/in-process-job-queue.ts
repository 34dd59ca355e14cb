import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { UnrecoverableError } from 'bullmq';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { type FailedJobInfo, JobQueue, nextScheduledRun, type QueueCounts } from './job-queue.js';
import {
  assertJobId,
  type EnqueueOptions,
  type JobName,
  type JobPayloads,
  QUEUE_NAMES,
  queueOf,
  queuePolicy,
  type ScheduleTiming,
} from './jobs.js';

const KEPT_FAILURES = 50;

interface PendingJob {
  name: JobName;
  payload: unknown;
  jobId?: string;
  attemptsLeft: number;
  attempt: number;
  backoffMs: number;
}

/**
 * Runs jobs in this process, after the producer's transaction committed (producers enqueue after commit; the job
 * starts on a later tick). Honours dedupe ids while a job is waiting or running, retries with exponential backoff.
 */
@Injectable()
export class InProcessJobQueue extends JobQueue implements OnApplicationShutdown {
  readonly driver = 'in-process' as const;
  private readonly logger = new Logger(InProcessJobQueue.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly activeIds = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly intervals = new Map<string, NodeJS.Timeout>();
  private readonly counts = new Map<string, { waiting: number; active: number; delayed: number; failed: number }>();
  private readonly failures: FailedJobInfo[] = [];
  private closed = false;

  constructor(private readonly registry: JobHandlerRegistry) {
    super();
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayloads[N], options: EnqueueOptions = {}): Promise<void> {
    if (options.jobId) {
      assertJobId(options.jobId);
      if (this.activeIds.has(options.jobId)) return;
      this.activeIds.add(options.jobId);
    }
    const policy = queuePolicy(queueOf(name));
    const job: PendingJob = {
      name,
      payload,
      jobId: options.jobId,
      attemptsLeft: options.attempts ?? policy.attempts,
      attempt: 0,
      backoffMs: policy.backoffMs,
    };
    this.dispatch(job, options.delayMs ?? 0);
  }

  async schedule<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    everyMs: number,
    schedulerId: string,
    timing: ScheduleTiming = {},
  ): Promise<void> {
    assertJobId(schedulerId);
    if (this.closed) return;
    const previous = this.intervals.get(schedulerId);
    if (previous) {
      clearInterval(previous);
      clearTimeout(previous);
    }
    const fire = () => void this.enqueue(name, payload, { jobId: schedulerId });
    // unref: a schedule never keeps the process (or a test run) alive on its own.
    const every = () => {
      const timer = setInterval(fire, everyMs);
      timer.unref();
      this.intervals.set(schedulerId, timer);
    };
    if (timing.offsetMs === undefined) return every();
    const now = Date.now();
    const first = setTimeout(
      () => {
        if (this.closed) return;
        fire();
        every();
      },
      nextScheduledRun(now, everyMs, timing.offsetMs) - now,
    );
    first.unref();
    this.intervals.set(schedulerId, first);
  }

  async stats(recentFailures = 10): Promise<{ queues: QueueCounts[]; failures: FailedJobInfo[] }> {
    return {
      queues: QUEUE_NAMES.map((queue) => ({ queue, ...this.countsOf(queue) })),
      failures: this.failures.slice(0, recentFailures),
    };
  }

  private countsOf(queue: string) {
    let c = this.counts.get(queue);
    if (!c) this.counts.set(queue, (c = { waiting: 0, active: 0, delayed: 0, failed: 0 }));
    return c;
  }

  private dispatch(job: PendingJob, delayMs: number): void {
    if (this.closed) return;
    const counts = this.countsOf(queueOf(job.name));
    if (delayMs > 0) {
      counts.delayed += 1;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        counts.delayed -= 1;
        this.dispatch(job, 0);
      }, delayMs);
      timer.unref();
      this.timers.add(timer);
      return;
    }
    counts.waiting += 1;
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      counts.waiting -= 1;
      counts.active += 1;
      try {
        await this.execute(job);
      } finally {
        counts.active -= 1;
      }
    });
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private async execute(job: PendingJob): Promise<void> {
    job.attempt += 1;
    try {
      await this.registry.run(job.name, job.payload as never);
      if (job.jobId) this.activeIds.delete(job.jobId);
    } catch (err) {
      // A bad payload can never succeed: fail at once, as BullMQ does.
      job.attemptsLeft = err instanceof UnrecoverableError ? 0 : job.attemptsLeft - 1;
      if (job.attemptsLeft > 0 && !this.closed) {
        const backoff = job.backoffMs * 2 ** (job.attempt - 1);
        this.logger.warn({
          msg: 'job failed, retrying',
          job: job.name,
          jobId: job.jobId,
          attempt: job.attempt,
          backoff,
          err,
        });
        // Retries run without waiting for the backoff when someone drains the queue (tests), else after it.
        this.dispatch(job, this.draining ? 0 : backoff);
      } else {
        if (job.jobId) this.activeIds.delete(job.jobId);
        this.countsOf(queueOf(job.name)).failed += 1;
        this.failures.unshift({
          queue: queueOf(job.name),
          name: job.name,
          jobId: job.jobId ?? null,
          attempts: job.attempt,
          error: err instanceof Error ? err.message : String(err),
          failedAt: new Date(),
        });
        this.failures.length = Math.min(this.failures.length, KEPT_FAILURES);
        this.logger.error({
          msg: 'job failed permanently',
          job: job.name,
          jobId: job.jobId,
          attempts: job.attempt,
          err,
        });
      }
    }
  }

  private draining = false;

  async drain(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    this.draining = true;
    try {
      while (this.inFlight.size > 0) {
        if (Date.now() > deadline) throw new Error('Timed out draining the in-process job queue');
        await Promise.allSettled([...this.inFlight]);
      }
    } finally {
      this.draining = false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    for (const timer of this.intervals.values()) clearInterval(timer);
    this.intervals.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}
