import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { ConditionalModule, ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import type { Env } from '../config/env.js';
import { BullmqJobQueue } from './bullmq-job-queue.js';
import { workerHostFor } from './bullmq-workers.js';
import { InProcessJobQueue } from './in-process-job-queue.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import { JobQueue } from './job-queue.js';
import { QUEUE_NAMES } from './jobs.js';

const usesRedis = (env: NodeJS.ProcessEnv) => !!env.REDIS_URL;
const runsWorkers = (env: NodeJS.ProcessEnv) => usesRedis(env) && (env.APP_ROLE === 'worker' || env.APP_ROLE === 'all');

@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => ({
        connection: { url: config.get('REDIS_URL'), maxRetriesPerRequest: null },
        prefix: config.get('REDIS_PREFIX'),
      }),
    }),
    BullModule.registerQueue(...QUEUE_NAMES.map((name) => ({ name }))),
  ],
  exports: [BullModule],
})
class BullQueuesModule {}

@Module({ imports: [BullQueuesModule], providers: QUEUE_NAMES.map(workerHostFor) })
class BullWorkersModule {}

/** The JobQueue: BullMQ when REDIS_URL is set (workers only in the worker role), else the in-process driver. */
@Global()
@Module({
  imports: [
    ConditionalModule.registerWhen(BullQueuesModule, usesRedis),
    ConditionalModule.registerWhen(BullWorkersModule, runsWorkers),
  ],
  providers: [
    JobHandlerRegistry,
    {
      provide: JobQueue,
      inject: [ConfigService, JobHandlerRegistry, ModuleRef],
      useFactory: (config: ConfigService<Env, true>, registry: JobHandlerRegistry, moduleRef: ModuleRef) =>
        config.get('REDIS_URL') ? new BullmqJobQueue(moduleRef) : new InProcessJobQueue(registry),
    },
  ],
  exports: [JobQueue, JobHandlerRegistry],
})
export class QueueModule {}
