import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import type { Env } from '../../common/config/env.js';
import { JobHandlerRegistry } from '../../common/queue/job-handler.registry.js';
import { Media } from './entities/media.entity.js';
import { MediaProcessor } from './jobs/media.processor.js';
import { MediaCitationRegistry } from './media-citation.registry.js';
import { MediaController } from './media.controller.js';
import { MediaPolicy } from './media.policy.js';
import { MediaService } from './media.service.js';
import { LocalDiskStorage } from './storage/local-disk.storage.js';
import { StorageDriver } from './storage/storage-driver.js';

@Module({
  imports: [TypeOrmModule.forFeature([Media])],
  controllers: [MediaController],
  providers: [
    MediaService,
    MediaPolicy,
    MediaCitationRegistry,
    MediaProcessor,
    {
      provide: StorageDriver,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) =>
        new LocalDiskStorage(config.get('MEDIA_DIR') ?? join(config.get('DATA_DIR'), 'media')),
    },
  ],
  exports: [MediaService, MediaCitationRegistry],
})
export class MediaModule {
  constructor(registry: JobHandlerRegistry, processor: MediaProcessor) {
    registry.register(processor);
  }
}
