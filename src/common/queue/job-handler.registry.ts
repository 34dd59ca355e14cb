import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { JobProcessor } from './job-processor.js';
import { type JobName, type JobPayloads, QUEUE_NAMES, queueOf, type QueueName } from './jobs.js';

/** Processors register here when their module starts; boot fails if a queue has no processor or two. */
@Injectable()
export class JobHandlerRegistry implements OnApplicationBootstrap {
  private readonly processors = new Map<QueueName, JobProcessor>();

  register(processor: JobProcessor): void {
    if (this.processors.has(processor.queue)) {
      throw new Error(`Queue "${processor.queue}" already has a processor.`);
    }
    this.processors.set(processor.queue, processor);
  }

  onApplicationBootstrap(): void {
    const missing = QUEUE_NAMES.filter((q) => !this.processors.has(q));
    if (missing.length) throw new Error(`No job processor registered for queue(s): ${missing.join(', ')}`);
  }

  async run<N extends JobName>(name: N, payload: JobPayloads[N]): Promise<void> {
    const processor = this.processors.get(queueOf(name));
    if (!processor) throw new Error(`No processor for job ${name}`);
    await processor.handle({ name, payload } as never);
  }
}
