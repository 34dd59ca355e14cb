import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { utcDay } from '../../src/modules/analytics/rollups/days.js';
import { RollupService } from '../../src/modules/analytics/rollups/rollup.service.js';
import request from 'supertest';
import { createBot } from '../factories/bot.factory.js';
import { createConversation, postMessage } from '../factories/chat.factory.js';
import { createUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

/**
 * analytics.md §5 AC6 and AC7 with real debounce and retry timing (no drain shortcuts): the app as deployed, on the
 * in-process driver without REDIS_URL or on BullMQ with it. Debounce 2 s keeps the file short; the analytics queue's
 * retry policy is the production one (5 attempts, backoff 10 s, 20 s, …).
 */
// Booting the app can take over a minute on a loaded machine.
jest.setTimeout(180_000);

const DEBOUNCE_S = 2;
let ctx: TestApp;
beforeAll(async () => {
  ctx = await createTestApp({ env: { ANALYTICS_DEBOUNCE_SECONDS: String(DEBOUNCE_S) } });
});
afterAll(() => ctx?.close());

const today = () => utcDay(new Date());

async function waitFor<T>(what: () => Promise<T | undefined>, timeoutMs: number): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const value = await what();
    if (value !== undefined) return { value, ms: Date.now() - started };
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('analytics pipeline timing (analytics.md §3.4, §3.5)', () => {
  it('AC6: the app boots, the queue endpoint names the driver, and a message’s rollup shows within debounce + 10 s', async () => {
    const admin = await createUser(ctx, { role: UserRole.Admin });
    const queue = await request(ctx.http)
      .get('/api/v1/admin/analytics/queue')
      .auth(admin.token, { type: 'bearer' })
      .expect(200);
    expect(queue.body.driver).toBe(process.env.REDIS_URL ? 'redis' : 'in-process');

    const owner = await createUser(ctx);
    const chatter = await createUser(ctx);
    const bot = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
    const conv = await createConversation(ctx, chatter.token, { bot_ids: [bot.id] });
    await postMessage(ctx, chatter.token, conv.id, { content: 'timed hello' });
    const { value, ms } = await waitFor(
      async () => {
        const res = await request(ctx.http)
          .get(`/api/v1/analytics/bots/${bot.id}?from=${today()}&to=${today()}`)
          .auth(owner.token, { type: 'bearer' })
          .expect(200);
        return res.body.series[0].user_messages === 1 ? res.body.series[0] : undefined;
      },
      (DEBOUNCE_S + 10) * 1000,
    );
    expect(value).toMatchObject({ user_messages: 1, unique_chatters: 1, new_chatters: 1 });
    expect(ms).toBeLessThanOrEqual((DEBOUNCE_S + 10) * 1000);
  }, 120_000);

  it('AC7: a rollup that throws on its first two attempts is retried with growing delays and succeeds on the third', async () => {
    const owner = await createUser(ctx);
    const chatter = await createUser(ctx);
    const bot = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
    const conv = await createConversation(ctx, chatter.token, { bot_ids: [bot.id] });
    await postMessage(ctx, chatter.token, conv.id, { content: 'retry me' });
    // let the message's own debounced bot-day job finish first, so only the job below touches this bot
    await waitFor(
      async () => {
        const [row] = await ctx.ds.query(`SELECT 1 FROM bot_daily_stats WHERE bot_id = $1`, [bot.id]);
        return row;
      },
      (DEBOUNCE_S + 10) * 1000,
    );
    await ctx.ds.query(`DELETE FROM bot_daily_stats WHERE bot_id = $1`, [bot.id]);

    const rollups = ctx.app.get(RollupService);
    const original = rollups.botDay.bind(rollups);
    const attempts: number[] = [];
    const spy = jest.spyOn(rollups, 'botDay').mockImplementation(async (botId, day) => {
      if (botId !== bot.id) return original(botId, day);
      attempts.push(Date.now());
      if (attempts.length <= 2) throw new Error(`simulated failure ${attempts.length}`);
      return original(botId, day);
    });
    try {
      await ctx.jobs.enqueue('analytics.bot-day', { botId: bot.id, day: today() });
      await waitFor(async () => (attempts.length >= 3 ? true : undefined), 60_000);
      const { value } = await waitFor(async () => {
        const [row] = await ctx.ds.query(`SELECT user_messages FROM bot_daily_stats WHERE bot_id = $1`, [bot.id]);
        return row;
      }, 5_000);
      expect(value.user_messages).toBe(1);
      const delays = [attempts[1] - attempts[0], attempts[2] - attempts[1]];
      expect(delays[0]).toBeGreaterThanOrEqual(9_000);
      expect(delays[1]).toBeGreaterThanOrEqual(19_000);
      expect(delays[1]).toBeGreaterThan(delays[0]);
      expect(attempts).toHaveLength(3);
    } finally {
      spy.mockRestore();
    }
  }, 150_000);
});
