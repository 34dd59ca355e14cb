import type { ConfigService } from '@nestjs/config';
import type { Env } from '../../../common/config/env.js';
import type { JobQueue } from '../../../common/queue/job-queue.js';
import { RollupScheduler } from './rollup-scheduler.js';
import { rollupTargetsOf } from './rollup-targets.js';

const U = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const P = '33333333-3333-4333-8333-333333333333';

function scheduler(debounceSeconds: number) {
  const calls: { name: string; payload: unknown; options?: { jobId?: string; delayMs?: number } }[] = [];
  const jobs = {
    enqueue: async (name: string, payload: unknown, options?: object) => void calls.push({ name, payload, options }),
  };
  const config = { get: () => debounceSeconds };
  return { calls, s: new RollupScheduler(jobs as unknown as JobQueue, config as unknown as ConfigService<Env, true>) };
}

describe('rollup targets and job ids (analytics.md §3.2)', () => {
  it('an event feeds platform, actor, bot, persona and (memory/mood events) memory or mood targets', () => {
    const kinds = (eventType: string, dims: object = {}) =>
      rollupTargetsOf({
        eventType: eventType as never,
        day: '2026-03-01',
        actorUserId: U,
        botId: B,
        personaId: P,
        ...dims,
      }).map((t) => t.kind);
    expect(kinds('message_sent')).toEqual(['platform-day', 'user-day', 'bot-day', 'persona-day']);
    expect(kinds('memory_recalled', { personaId: null })).toEqual([
      'platform-day',
      'user-day',
      'bot-day',
      'memory-day',
    ]);
    expect(kinds('mood_logged', { botId: null, personaId: null })).toEqual(['platform-day', 'user-day', 'mood-trend']);
    expect(kinds('crisis_notice_shown', { actorUserId: null, botId: null, personaId: null })).toEqual(['platform-day']);
  });

  it('job ids carry the bucket (no colon) and run 5 s after the bucket ends', async () => {
    const { s, calls } = scheduler(60);
    const now = Date.UTC(2026, 2, 1, 10, 0, 30); // 30 s into a minute bucket
    await s.schedule(
      [
        { kind: 'bot-day', botId: B, day: '2026-03-01' },
        { kind: 'platform-day', day: '2026-03-01' },
        { kind: 'mood-trend', userId: U },
        { kind: 'memory-day', userId: U, botId: B, day: '2026-03-01' },
      ],
      now,
    );
    const minute = Math.floor(now / 60_000);
    expect(calls.map((c) => [c.name, c.options?.jobId, c.options?.delayMs])).toEqual([
      ['analytics.bot-day', `bd-${B}-2026-03-01-${minute}`, 35_000],
      ['analytics.platform-day', `plat-2026-03-01-${Math.floor(now / 600_000)}`, 575_000],
      ['analytics.mood-trend', `mt-${U}-${Math.floor(now / 30_000)}`, 35_000],
      ['analytics.memory-day', `md-${U}-${B}-2026-03-01-${minute}`, 35_000],
    ]);
    for (const c of calls) expect(c.options?.jobId).not.toContain(':');
    expect(calls[0].payload).toEqual({ botId: B, day: '2026-03-01' });
  });

  it('debounce 0: one immediate job per commit, never merged', async () => {
    const { s, calls } = scheduler(0);
    await s.schedule([{ kind: 'user-day', userId: U, day: '2026-03-01' }]);
    expect(calls).toEqual([
      { name: 'analytics.user-day', payload: { userId: U, day: '2026-03-01' }, options: undefined },
    ]);
  });
});
