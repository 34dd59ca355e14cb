import { Injectable, Logger } from '@nestjs/common';
import type { JobProcessor, QueueJob } from '../../../common/queue/job-processor.js';
import { BotsService } from '../bots.service.js';

/** The one processor of queue `bots` (README decision 9). */
@Injectable()
export class BotsProcessor implements JobProcessor<'bots'> {
  readonly queue = 'bots' as const;
  private readonly logger = new Logger(BotsProcessor.name);

  constructor(private readonly bots: BotsService) {}

  async handle(job: QueueJob<'bots'>): Promise<void> {
    switch (job.name) {
      case 'bots.flush-views': {
        const views = await this.bots.flushViews();
        if (views) this.logger.log({ msg: 'bot views flushed', views });
        return;
      }
      case 'bots.reconcile-counters':
        await this.bots.reconcileCounters();
        return;
      default: {
        const unreachable: never = job;
        throw new Error(`Unknown bots job ${(unreachable as { name: string }).name}`);
      }
    }
  }
}
