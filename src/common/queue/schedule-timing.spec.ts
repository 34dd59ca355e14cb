import { repeatOptions } from './bullmq-job-queue.js';
import { nextScheduledRun } from './job-queue.js';
import { queuePolicy } from './jobs.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('schedule timing and queue policies', () => {
  it('next run at an offset past the interval (UTC): hourly at :05, daily at 00:30', () => {
    const now = Date.UTC(2026, 2, 1, 10, 7);
    expect(new Date(nextScheduledRun(now, HOUR, 5 * 60_000)).toISOString()).toBe('2026-03-01T11:05:00.000Z');
    expect(new Date(nextScheduledRun(Date.UTC(2026, 2, 1, 10, 4), HOUR, 5 * 60_000)).toISOString()).toBe(
      '2026-03-01T10:05:00.000Z',
    );
    expect(new Date(nextScheduledRun(now, DAY, 30 * 60_000)).toISOString()).toBe('2026-03-02T00:30:00.000Z');
  });

  it('BullMQ: offsets become UTC cron patterns, plain intervals stay `every`', () => {
    expect(repeatOptions(HOUR, { offsetMs: 5 * 60_000 })).toEqual({ pattern: '5 * * * *', tz: 'UTC' });
    expect(repeatOptions(DAY, { offsetMs: 2 * HOUR })).toEqual({ pattern: '0 2 * * *', tz: 'UTC' });
    expect(repeatOptions(DAY, { offsetMs: 30 * 60_000 })).toEqual({ pattern: '30 0 * * *', tz: 'UTC' });
    expect(repeatOptions(60_000)).toEqual({ every: 60_000 });
    expect(() => repeatOptions(60_000, { offsetMs: 1 })).toThrow();
  });

  it('the analytics queue retries 5 times from 10 s; other queues keep the defaults', () => {
    expect(queuePolicy('analytics')).toMatchObject({ attempts: 5, backoffMs: 10_000, removeOnFailAgeSeconds: 604_800 });
    expect(queuePolicy('bots')).toEqual({ attempts: 3, backoffMs: 1000, concurrency: 2 });
  });
});
