import { randomUUID } from 'node:crypto';
import { AnalyticsRecorder } from '../../src/modules/analytics/recorder/analytics-recorder.service.js';
import { createUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

// Booting the app can take over a minute on a loaded machine.
jest.setTimeout(180_000);

let ctx: TestApp;
let recorder: AnalyticsRecorder;
beforeAll(async () => {
  ctx = await createTestApp();
  recorder = ctx.app.get(AnalyticsRecorder);
});
afterAll(() => ctx?.close());

const countByKey = async (key: string): Promise<number> =>
  Number((await ctx.ds.query(`SELECT count(*)::int AS n FROM analytics_events WHERE idempotency_key = $1`, [key]))[0].n);

describe('AnalyticsRecorder (analytics.md §1, §3.1)', () => {
  it('AC3: recording twice with one idempotency key stores one row', async () => {
    const user = await createUser(ctx);
    const key = `user_new:${user.user.id}-dup`;
    for (let i = 0; i < 2; i++) {
      await ctx.ds.transaction((em) =>
        recorder.record(em, { type: 'user_registered', idempotencyKey: key, actorUserId: user.user.id }),
      );
    }
    expect(await countByKey(key)).toBe(1);
    const [row] = await ctx.ds.query(`SELECT actor_key, properties FROM analytics_events WHERE idempotency_key = $1`, [
      key,
    ]);
    expect(row).toEqual({ actor_key: user.user.id, properties: {} });
  });

  it('inserts nothing when the producer transaction rolls back', async () => {
    const key = `bot_new:${randomUUID()}`;
    await expect(
      ctx.ds.transaction(async (em) => {
        await recorder.record(em, { type: 'bot_created', idempotencyKey: key, botId: randomUUID() });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await countByKey(key)).toBe(0);
  });

  it('defaults actor_key to system and refuses properties over 2 KB', async () => {
    const key = `crisis:${randomUUID()}`;
    await ctx.ds.transaction((em) =>
      recorder.record(em, { type: 'crisis_notice_shown', idempotencyKey: key, properties: { category: 'self_harm' } }),
    );
    const [row] = await ctx.ds.query(`SELECT actor_key, actor_user_id FROM analytics_events WHERE idempotency_key = $1`, [
      key,
    ]);
    expect(row).toEqual({ actor_key: 'system', actor_user_id: null });
    await expect(
      ctx.ds.transaction((em) =>
        recorder.record(em, { type: 'bot_created', idempotencyKey: `big-${key}`, properties: { x: 'y'.repeat(2100) } }),
      ),
    ).rejects.toThrow(/exceed/);
  });
});
