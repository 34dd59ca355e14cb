import { InProcessJobQueue } from './in-process-job-queue.js';
import { JobHandlerRegistry } from './job-handler.registry.js';
import type { QueueJob } from './job-processor.js';

function setup(handler: (job: QueueJob<'media'>) => Promise<void>) {
  const registry = new JobHandlerRegistry();
  registry.register({ queue: 'media', handle: handler });
  registry.register({ queue: 'mail', handle: async () => undefined });
  return new InProcessJobQueue(registry);
}

describe('InProcessJobQueue', () => {
  it('runs a job on a later tick, not inside enqueue', async () => {
    const seen: string[] = [];
    const queue = setup(async (job) => void seen.push(job.payload.storage_keys[0]));
    await queue.enqueue('media.purge', { storage_keys: ['a'] });
    expect(seen).toEqual([]);
    await queue.drain();
    expect(seen).toEqual(['a']);
  });

  it('ignores a job whose dedupe id is still waiting', async () => {
    let runs = 0;
    const queue = setup(async () => void runs++);
    await queue.enqueue('media.purge', { storage_keys: ['a'] }, { jobId: 'purge-1' });
    await queue.enqueue('media.purge', { storage_keys: ['a'] }, { jobId: 'purge-1' });
    await queue.drain();
    expect(runs).toBe(1);
    await queue.enqueue('media.purge', { storage_keys: ['a'] }, { jobId: 'purge-1' });
    await queue.drain();
    expect(runs).toBe(2);
  });

  it('retries a failing job up to its attempts', async () => {
    let runs = 0;
    const queue = setup(async () => {
      runs++;
      if (runs < 3) throw new Error('transient');
    });
    await queue.enqueue('media.purge', { storage_keys: [] }, { attempts: 3 });
    await queue.drain();
    expect(runs).toBe(3);
  });

  it('gives up after the last attempt', async () => {
    let runs = 0;
    const queue = setup(async () => {
      runs++;
      throw new Error('permanent');
    });
    await queue.enqueue('media.purge', { storage_keys: [] }, { attempts: 2 });
    await queue.drain();
    expect(runs).toBe(2);
  });

  it('refuses job ids containing a colon', async () => {
    const queue = setup(async () => undefined);
    await expect(queue.enqueue('media.purge', { storage_keys: [] }, { jobId: 'a:b' })).rejects.toThrow(/':'/);
  });

  it('fails at boot when a queue has no processor', () => {
    const registry = new JobHandlerRegistry();
    registry.register({ queue: 'media', handle: async () => undefined });
    expect(() => registry.onApplicationBootstrap()).toThrow(/mail/);
  });
});
