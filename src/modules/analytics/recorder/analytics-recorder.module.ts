import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AnalyticsEvent } from '../entities/analytics-event.entity.js';
import { AnonymousViewerKey } from './anonymous-viewer-key.service.js';
import { AnalyticsRecorder } from './analytics-recorder.service.js';
import { RollupScheduler } from './rollup-scheduler.js';

/**
 * The analytics outbox, global so that any producer can inject AnalyticsRecorder without importing AnalyticsModule
 * (no import cycles). It depends only on TypeORM and the global JobQueue.
 */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AnalyticsEvent])],
  providers: [AnalyticsRecorder, RollupScheduler, AnonymousViewerKey],
  exports: [AnalyticsRecorder, RollupScheduler, AnonymousViewerKey],
})
export class AnalyticsRecorderModule {}
