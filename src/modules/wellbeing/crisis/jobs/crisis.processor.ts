import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { JobProcessor, QueueJob } from '../../../../common/queue/job-processor.js';

/** §4.4: verified resources not re-verified for this long become needs_update… */
export const VERIFICATION_STALE_DAYS = 180;
/** …and needs_update resources whose last verification is older than this become expired. */
export const VERIFICATION_EXPIRED_DAYS = 365;

/**
 * The `crisis` queue (README decision 9). `crisis.verification-expiry` ages verifications: verified → needs_update
 * after 180 days, needs_update → expired after 365 days (both measured from verified_at, or created_at for a resource
 * never verified). Plain conditional updates: a second run changes nothing.
 */
@Injectable()
export class CrisisProcessor implements JobProcessor<'crisis'> {
  readonly queue = 'crisis' as const;
  private readonly logger = new Logger(CrisisProcessor.name);

  constructor(private readonly dataSource: DataSource) {}

  async handle(job: QueueJob<'crisis'>): Promise<void> {
    switch (job.name) {
      case 'crisis.verification-expiry': {
        const asOf = parseAsOf(job.payload.as_of);
        const result = await this.expireVerifications(asOf);
        this.logger.log({ msg: 'crisis verifications aged', ...result });
        return;
      }
      default: {
        const unknown: never = job.name;
        throw new Error(`Unhandled crisis job ${String(unknown)}`);
      }
    }
  }

  async expireVerifications(asOf: Date): Promise<{ needsUpdate: number; expired: number }> {
    return this.dataSource.transaction(async (em) => {
      const stale = (await em.query(
        `UPDATE crisis_resources SET verification_status = 'needs_update', updated_at = now()
          WHERE verification_status = 'verified'
            AND COALESCE(verified_at, created_at) < $1::timestamptz - make_interval(days => $2::int)`,
        [asOf, VERIFICATION_STALE_DAYS],
      )) as [unknown, number];
      const expired = (await em.query(
        `UPDATE crisis_resources SET verification_status = 'expired', updated_at = now()
          WHERE verification_status = 'needs_update'
            AND COALESCE(verified_at, created_at) < $1::timestamptz - make_interval(days => $2::int)`,
        [asOf, VERIFICATION_EXPIRED_DAYS],
      )) as [unknown, number];
      return { needsUpdate: stale[1] ?? 0, expired: expired[1] ?? 0 };
    });
  }
}

/** `as_of` of a maintenance payload (ISO 8601), else now. */
export function parseAsOf(value: string | undefined): Date {
  const asOf = value ? new Date(value) : new Date();
  return Number.isNaN(asOf.getTime()) ? new Date() : asOf;
}
