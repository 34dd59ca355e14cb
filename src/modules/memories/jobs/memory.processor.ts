import { Injectable, Logger } from '@nestjs/common';
import type { JobProcessor, QueueJob } from '../../../common/queue/job-processor.js';
import { MemoryConsolidationService } from '../memory-consolidation.service.js';
import { MemoryExtractionService } from '../memory-extraction.service.js';

/** The `memory` queue: extraction after generations (or on request) and consolidation (chat.md §4). */
@Injectable()
export class MemoryProcessor implements JobProcessor<'memory'> {
  readonly queue = 'memory' as const;
  private readonly logger = new Logger(MemoryProcessor.name);

  constructor(
    private readonly extraction: MemoryExtractionService,
    private readonly consolidation: MemoryConsolidationService,
  ) {}

  async handle(job: QueueJob<'memory'>): Promise<void> {
    switch (job.name) {
      case 'memory.extract': {
        const { conversation_id: conversationId, to_seq: toSeq, force } = job.payload;
        const outcome = await this.extraction.extract(conversationId, toSeq, force ?? false);
        this.logger.log({ msg: 'memory extraction', conversationId, toSeq, outcome });
        return;
      }
      case 'memory.consolidate':
        await this.consolidation.consolidate(job.payload.user_id, job.payload.bot_id ?? null);
        return;
    }
  }
}
