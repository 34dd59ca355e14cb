import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { JobQueue } from './job-queue.js';
import {
  assertJobId,
  DEFAULT_ATTEMPTS,
  DEFAULT_BACKOFF_MS,
  type EnqueueOptions,
  type JobName,
  type JobPayloads,
} from './jobs.js';

interface PendingJob {
  name: JobName;
  payload: unknown;
  jobId?: string;
  attemptsLeft: number;
  attempt: number;
}

/**
 * Runs jobs in this process, after the producer's transaction committed (producers enqueue after commit; the job
 * starts on a later tick). Honours dedupe ids while a job is waiting or running, retries with exponential backoff.
 */
@Injectable()
export class InProcessJobQueue extends JobQueue implements OnApplicationShutdown {
  private readonly logger = new Logger(InProcessJobQueue.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly activeIds = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly intervals = new Map<string, NodeJS.Timeout>();
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
    const job: PendingJob = {
      name,
      payload,
      jobId: options.jobId,
      attemptsLeft: options.attempts ?? DEFAULT_ATTEMPTS,
      attempt: 0,
    };
    this.dispatch(job, options.delayMs ?? 0);
  }

  async schedule<N extends JobName>(
    name: N,
    payload: JobPayloads[N],
    everyMs: number,
    schedulerId: string,
  ): Promise<void> {
    assertJobId(schedulerId);
    if (this.closed) return;
    const previous = this.intervals.get(schedulerId);
    if (previous) clearInterval(previous);
    // unref: a schedule never keeps the process (or a test run) alive on its own.
    const timer = setInterval(() => void this.enqueue(name, payload, { jobId: schedulerId }), everyMs);
    timer.unref();
    this.intervals.set(schedulerId, timer);
  }

  private dispatch(job: PendingJob, delayMs: number): void {
    if (this.closed) return;
    if (delayMs > 0) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.dispatch(job, 0);
      }, delayMs);
      timer.unref();
      this.timers.add(timer);
      return;
    }
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.execute(job));
    this.inFlight.add(run);
    void run.finally(() => this.inFlight.delete(run));
  }

  private async execute(job: PendingJob): Promise<void> {
    job.attempt += 1;
    try {
      await this.registry.run(job.name, job.payload as never);
      if (job.jobId) this.activeIds.delete(job.jobId);
    } catch (err) {
      job.attemptsLeft -= 1;
      if (job.attemptsLeft > 0 && !this.closed) {
        const backoff = DEFAULT_BACKOFF_MS * 2 ** (job.attempt - 1);
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
