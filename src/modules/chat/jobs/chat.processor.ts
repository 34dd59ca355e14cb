import { Injectable, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { JobHandlerRegistry } from '../../../common/queue/job-handler.registry.js';
import { JobQueue } from '../../../common/queue/job-queue.js';
import type { JobProcessor, QueueJob } from '../../../common/queue/job-processor.js';
import { ChatCountersService } from './chat-counters.service.js';
import { StaleGenerationSweeper } from './stale-generation-sweeper.service.js';

const ONE_MINUTE = 60_000;
const ONE_DAY = 24 * 3_600_000;

/**
 * The one processor of queue `chat` (README decision 9). It registers itself and, at boot, the repeatable jobs
 * under fixed scheduler ids (so every process may): `chat.sweep-stale` every minute, `chat.repair-counters` daily.
 * Both recompute final states, so retries are harmless.
 */
@Injectable()
export class ChatProcessor implements JobProcessor<'chat'>, OnModuleInit, OnApplicationBootstrap {
  readonly queue = 'chat' as const;

  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly jobs: JobQueue,
    private readonly sweeper: StaleGenerationSweeper,
    private readonly counters: ChatCountersService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule('chat.sweep-stale', {}, ONE_MINUTE, 'chat-sweep-stale');
    await this.jobs.schedule('chat.repair-counters', {}, ONE_DAY, 'chat-repair-counters');
  }

  async handle(job: QueueJob<'chat'>): Promise<void> {
    switch (job.name) {
      case 'chat.sweep-stale':
        await this.sweeper.sweep();
        return;
      case 'chat.repair-counters':
        await this.counters.repair();
        return;
      default: {
        const unreachable: never = job;
        throw new Error(`Unknown chat job ${(unreachable as { name: string }).name}`);
      }
    }
  }
}
