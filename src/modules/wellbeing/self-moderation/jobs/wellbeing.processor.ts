import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JobProcessor, QueueJob } from '../../../../common/queue/job-processor.js';
import { parseAsOf } from '../../crisis/jobs/crisis.processor.js';
import { USAGE_RETENTION_DAYS } from '../self-moderation.service.js';
import { addDays } from '../usage-time.js';

const PRUNE_BATCH = 10_000;

/**
 * The `wellbeing` queue. `wellbeing.usage-prune` deletes wellbeing_usage_days rows older than 400 days (§2.2), in
 * batches; deleting what is already gone is a no-op, so retries and second runs change nothing.
 */
@Injectable()
export class WellbeingProcessor implements JobProcessor<'wellbeing'> {
  readonly queue = 'wellbeing' as const;
  private readonly logger = new Logger(WellbeingProcessor.name);

  constructor(private readonly dataSource: DataSource) {}

  async handle(job: QueueJob<'wellbeing'>): Promise<void> {
    switch (job.name) {
      case 'wellbeing.usage-prune': {
        const deleted = await this.pruneUsage(parseAsOf(job.payload.as_of), job.payload.retention_days);
        this.logger.log({ msg: 'wellbeing usage pruned', deleted });
        return;
      }
      default: {
        const unknown: never = job.name;
        throw new Error(`Unhandled wellbeing job ${String(unknown)}`);
      }
    }
  }

  /** Deletes usage days before (UTC date of asOf − retention); returns the number of rows removed. */
  async pruneUsage(asOf: Date, retentionDays = USAGE_RETENTION_DAYS): Promise<number> {
    const cutoff = addDays(asOf.toISOString().slice(0, 10), -retentionDays);
    let total = 0;
    for (;;) {
      const result = (await this.dataSource.query(
        `DELETE FROM wellbeing_usage_days WHERE ctid IN (
           SELECT ctid FROM wellbeing_usage_days WHERE usage_date < CAST($1 AS date) LIMIT $2)`,
        [cutoff, PRUNE_BATCH],
      )) as [unknown, number];
      total += result[1] ?? 0;
      if ((result[1] ?? 0) < PRUNE_BATCH) return total;
    }
  }
}
