import { InProcessJobQueue } from './in-process-job-queue.js';
import { JobHandlerRegistry } from './job-handler.registry.js';

describe('InProcessJobQueue.schedule', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] }));
  afterEach(() => jest.useRealTimers());

  function setup() {
    const runs: string[] = [];
    const registry = new JobHandlerRegistry();
    registry.register({ queue: 'creators', handle: async (job) => void runs.push(job.name) });
    return { queue: new InProcessJobQueue(registry), runs };
  }

  it('runs the job once per interval, not at once', async () => {
    const { queue, runs } = setup();
    await queue.schedule('creators.expire-memberships', {}, 1000, 'creators-expire-memberships');
    await queue.drain();
    expect(runs).toEqual([]);
    jest.advanceTimersByTime(1000);
    await queue.drain();
    jest.advanceTimersByTime(1000);
    await queue.drain();
    expect(runs).toEqual(['creators.expire-memberships', 'creators.expire-memberships']);
    await queue.onApplicationShutdown();
  });

  it('replaces a schedule registered again under the same id', async () => {
    const { queue, runs } = setup();
    await queue.schedule('creators.expire-memberships', {}, 1000, 'same-id');
    await queue.schedule('creators.expire-memberships', {}, 1000, 'same-id');
    jest.advanceTimersByTime(1000);
    await queue.drain();
    expect(runs).toHaveLength(1);
    await queue.onApplicationShutdown();
  });

  it('stops on shutdown and refuses ids with a colon', async () => {
    const { queue, runs } = setup();
    await expect(queue.schedule('creators.refresh-stats', {}, 1000, 'a:b')).rejects.toThrow(/':'/);
    await queue.schedule('creators.refresh-stats', {}, 1000, 'refresh');
    await queue.onApplicationShutdown();
    jest.advanceTimersByTime(5000);
    expect(runs).toEqual([]);
  });
});
