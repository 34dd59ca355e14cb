import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { JobHandlerRegistry } from '../../common/queue/job-handler.registry.js';
import type { JobProcessor, QueueJob } from '../../common/queue/job-processor.js';
import { Media } from './entities/media.entity.js';

class MediaProcessorPlaceholder implements JobProcessor<'media'> {
  readonly queue = 'media' as const;
  async handle(_job: QueueJob<'media'>): Promise<void> {}
}

@Module({ imports: [TypeOrmModule.forFeature([Media])] })
export class MediaModule {
  constructor(registry: JobHandlerRegistry) {
    registry.register(new MediaProcessorPlaceholder());
    registry.register({ queue: 'mail', handle: async () => {} });
  }
}
