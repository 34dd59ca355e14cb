import { Injectable, Logger } from '@nestjs/common';
import type { JobProcessor, QueueJob } from '../../../common/queue/job-processor.js';
import { CreatorsRepository } from '../creators.repository.js';
import { ProgramApplicationsService } from '../programs/program-applications.service.js';

/** The `creators` queue (README decision 9). Both jobs write totals / final states, so retries are harmless. */
@Injectable()
export class CreatorsProcessor implements JobProcessor<'creators'> {
  readonly queue = 'creators' as const;
  private readonly logger = new Logger(CreatorsProcessor.name);

  constructor(
    private readonly applications: ProgramApplicationsService,
    private readonly repo: CreatorsRepository,
  ) {}

  async handle(job: QueueJob<'creators'>): Promise<void> {
    switch (job.name) {
      case 'creators.expire-memberships': {
        const asOf = job.payload.as_of ? new Date(job.payload.as_of) : new Date();
        await this.applications.expireMemberships(Number.isNaN(asOf.getTime()) ? new Date() : asOf);
        return;
      }
      case 'creators.refresh-stats': {
        const updated = await this.repo.refreshStats(job.payload.creator_profile_ids);
        this.logger.debug({ msg: 'creator stats refreshed', updated });
        return;
      }
      default: {
        const unknown: never = job;
        throw new Error(`Unhandled creators job ${(unknown as { name: string }).name}`);
      }
    }
  }
}
