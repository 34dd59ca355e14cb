import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { GrantLevel, ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { AnalyticsRecorder } from '../../src/modules/analytics/recorder/analytics-recorder.service.js';
import { addDays, utcDay } from '../../src/modules/analytics/rollups/days.js';
import { RollupService } from '../../src/modules/analytics/rollups/rollup.service.js';
import { createBot, createGrant } from '../factories/bot.factory.js';
import { createConversation, postMessage } from '../factories/chat.factory.js';
import { createPersona } from '../factories/persona.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

/**
 * analytics.md §5 end to end. Rollups run through the real queue driver (in-process, or BullMQ with REDIS_URL) with
 * ANALYTICS_DEBOUNCE_SECONDS=0: every commit enqueues its rollup jobs at once and `ctx.jobs.drain()` waits for them
 * (instead of JOBS_MODE=sync, which this code base does not have).
 */
// Booting the app can take over a minute on a loaded machine.
jest.setTimeout(180_000);

let ctx: TestApp;
let rollups: RollupService;
let recorder: AnalyticsRecorder;
beforeAll(async () => {
  ctx = await createTestApp({ env: { ANALYTICS_DEBOUNCE_SECONDS: '0' } });
  rollups = ctx.app.get(RollupService);
  recorder = ctx.app.get(AnalyticsRecorder);
});
afterAll(() => ctx?.close());

const today = () => utcDay(new Date());
const settle = () => ctx.jobs.drain(60_000);
const call = (method: 'get' | 'post' | 'put' | 'delete' | 'patch', path: string, who?: TestUser) => {
  const req = request(ctx.http)[method](`/api/v1${path}`);
  return who ? req.auth(who.token, { type: 'bearer' }) : req;
};
const todayOf = (body: { series: Record<string, unknown>[] }) => body.series[body.series.length - 1];

/** Rows of a rollup table without computed_at, in a stable order. */
async function rollupRows(table: string, where = 'TRUE', params: unknown[] = []): Promise<Record<string, unknown>[]> {
  const rows = (await ctx.ds.query(`SELECT * FROM ${table} WHERE ${where}`, params)) as Record<string, unknown>[];
  return rows
    .map(({ computed_at: _c, ...rest }) => JSON.parse(JSON.stringify(rest)) as Record<string, unknown>)
    .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

async function chattingFixture(messages = 3) {
  const creator = await createUser(ctx);
  const chatter = await createUser(ctx);
  const bot = await createBot(ctx, { ownerId: creator.user.id, visibility: ResourceVisibility.Public });
  const conv = await createConversation(ctx, chatter.token, { bot_ids: [bot.id] });
  for (let i = 0; i < messages; i++) await postMessage(ctx, chatter.token, conv.id, { content: `hello number ${i}` });
  await settle();
  return { creator, chatter, bot, conv };
}

describe('analytics: rollups from events (analytics.md §5)', () => {
  it('AC1: 3 messages from A to bot X → bot stats 3 / 1 chatter / 1 new chatter; A usage messages_sent 3', async () => {
    const { creator, chatter, bot } = await chattingFixture(3);
    const botStats = await call('get', `/analytics/bots/${bot.id}?from=${today()}&to=${today()}`, creator).expect(200);
    expect(todayOf(botStats.body)).toMatchObject({
      period_start: today(),
      user_messages: 3,
      unique_chatters: 1,
      new_chatters: 1,
      conversations_started: 1,
    });
    expect(botStats.body.totals).toMatchObject({ user_messages: 3, return_rate: 0 });
    const usage = await call('get', '/analytics/me/usage', chatter).expect(200);
    expect(usage.body.series).toHaveLength(30);
    expect(todayOf(usage.body)).toMatchObject({ messages_sent: 3, conversations_started: 1, bots_chatted: 1 });
    expect(usage.body.totals.messages_sent).toBe(3);
  });

  it('AC2: the bot-day job run twice more, or twice in parallel, leaves every counter unchanged', async () => {
    const { bot } = await chattingFixture(2);
    const before = await rollupRows('bot_daily_stats', 'bot_id = $1', [bot.id]);
    const chattersBefore = await rollupRows('bot_chatters', 'bot_id = $1', [bot.id]);
    expect(before).toHaveLength(1);
    await rollups.botDay(bot.id, today());
    await rollups.botDay(bot.id, today());
    await Promise.all([rollups.botDay(bot.id, today()), rollups.botDay(bot.id, today())]);
    for (let i = 0; i < 2; i++) await ctx.jobs.enqueue('analytics.bot-day', { botId: bot.id, day: today() });
    await settle();
    expect(await rollupRows('bot_daily_stats', 'bot_id = $1', [bot.id])).toEqual(before);
    expect(await rollupRows('bot_chatters', 'bot_id = $1', [bot.id])).toEqual(chattersBefore);
  });

  it('AC3: an event recorded twice under one idempotency key is stored once and counted once', async () => {
    const { creator, chatter, bot, conv } = await chattingFixture(1);
    const messageId = randomUUID();
    for (let i = 0; i < 2; i++) {
      await ctx.ds.transaction((em) =>
        recorder.record(em, {
          type: 'message_sent',
          idempotencyKey: `msg:${messageId}`,
          actorUserId: chatter.user.id,
          conversationId: conv.id,
          messageId,
          botId: bot.id,
        }),
      );
    }
    await settle();
    const [{ n }] = await ctx.ds.query(`SELECT count(*)::int AS n FROM analytics_events WHERE idempotency_key = $1`, [
      `msg:${messageId}`,
    ]);
    expect(n).toBe(1);
    const stats = await call('get', `/analytics/bots/${bot.id}?from=${today()}&to=${today()}`, creator).expect(200);
    expect(todayOf(stats.body).user_messages).toBe(2);
  });

  it('AC11: like then unlike the same day → likes 1, unlikes 1; liking again without a flip adds no event', async () => {
    const owner = await createUser(ctx);
    const fan = await createUser(ctx);
    const bot = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
    await call('put', `/bots/${bot.id}/like`, fan).expect(200);
    await call('put', `/bots/${bot.id}/like`, fan).expect(200); // no flip
    await call('delete', `/bots/${bot.id}/like`, fan).expect(200);
    await call('delete', `/bots/${bot.id}/like`, fan).expect(200); // no flip
    await call('put', `/bots/${bot.id}/favorite`, fan).expect(200);
    await settle();
    const stats = await call('get', `/analytics/bots/${bot.id}?from=${today()}&to=${today()}`, owner).expect(200);
    expect(todayOf(stats.body)).toMatchObject({ likes: 1, unlikes: 1, favorites: 1, unfavorites: 0 });
    expect(stats.body.totals.like_net).toBe(0);
    const events = await ctx.ds.query(
      `SELECT event_type FROM analytics_events WHERE bot_id = $1 ORDER BY occurred_at`,
      [bot.id],
    );
    expect(events.map((e: { event_type: string }) => e.event_type)).toEqual([
      'bot_liked',
      'bot_unliked',
      'bot_favorited',
    ]);
  });

  it('bot_viewed: owner views excluded, one view per viewer per 10 minutes, anonymous viewers hashed', async () => {
    const owner = await createUser(ctx);
    const viewer = await createUser(ctx);
    const bot = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
    await call('get', `/bots/${bot.id}`, owner).expect(200);
    await call('get', `/bots/${bot.id}`, viewer).expect(200);
    await call('get', `/bots/${bot.id}`, viewer).expect(200);
    await call('get', `/bots/${bot.id}`).set('user-agent', 'analytics-test-agent').expect(200);
    await settle();
    const stats = await call('get', `/analytics/bots/${bot.id}?from=${today()}&to=${today()}`, owner).expect(200);
    expect(todayOf(stats.body)).toMatchObject({ views: 2, unique_viewers: 2 });
    const keys = (await ctx.ds.query(
      `SELECT actor_key FROM analytics_events WHERE bot_id = $1 AND event_type = 'bot_viewed'`,
      [bot.id],
    )) as { actor_key: string }[];
    const actorKeys = keys.map((k) => k.actor_key);
    expect(actorKeys).toHaveLength(2);
    expect(actorKeys).toContain(viewer.user.id);
    expect(actorKeys.filter((k) => k !== viewer.user.id)).toEqual([expect.stringMatching(/^anon:[0-9a-f]{32}$/)]);
  });

  it('producers: registration, bot creation, conversation start/archive/delete, persona start', async () => {
    const email = `analytics-${randomUUID().slice(0, 8)}@example.test`;
    const reg = await request(ctx.http)
      .post('/api/v1/auth/register')
      .send({ email, password: 'correct horse battery staple' })
      .expect(201);
    const user: TestUser = { user: reg.body.user, token: reg.body.access_token, password: '' };
    const created = await call('post', '/bots', user)
      .send({ name: 'Counted', system_prompt: 'Be counted.' })
      .expect(201);
    const persona = await createPersona(ctx, { ownerId: user.user.id });
    const conv = await createConversation(ctx, user.token, { bot_ids: [created.body.id], persona_id: persona.id });
    await call('patch', `/conversations/${conv.id}`, user).send({ status: 'archived' }).expect(200);
    const second = await createConversation(ctx, user.token, { bot_ids: [created.body.id] });
    await call('delete', `/conversations/${second.id}`, user).expect(204);
    await settle();
    const types = (
      await ctx.ds.query(`SELECT event_type FROM analytics_events WHERE actor_user_id = $1`, [user.user.id])
    ).map((e: { event_type: string }) => e.event_type);
    expect(types.sort()).toEqual(
      [
        'user_registered',
        'bot_created',
        'conversation_started',
        'persona_used',
        'conversation_ended',
        'conversation_started',
        'conversation_ended',
      ].sort(),
    );
    const usage = await call('get', `/analytics/me/usage?from=${today()}&to=${today()}`, user).expect(200);
    expect(usage.body.totals).toMatchObject({ bots_created: 1, conversations_started: 2, conversations_ended: 2 });
    const personaStats = await call('get', `/analytics/personas/${persona.id}?by=bot`, user).expect(200);
    expect(personaStats.body.totals).toMatchObject({ starts: 1, conversations: 1, bots_chatted: 1 });
    expect(personaStats.body.by_bot).toEqual([
      { bot_id: created.body.id, messages_sent: 0, replies_received: 0, conversations: 1 },
    ]);
    const [platform] = await ctx.ds.query(`SELECT new_users, bots_created FROM platform_daily_stats WHERE day = $1`, [
      today(),
    ]);
    expect(platform.new_users).toBeGreaterThanOrEqual(1);
    expect(platform.bots_created).toBeGreaterThanOrEqual(1);
  });

  it('AC8: deleting bot X removes its rollups and chatters; past platform days are unchanged; its late job is a no-op', async () => {
    const { creator, bot, chatter } = await chattingFixture(1);
    const yesterday = addDays(today(), -1);
    await ctx.ds.transaction((em) =>
      recorder.record(em, {
        type: 'message_sent',
        idempotencyKey: `msg:${randomUUID()}`,
        actorUserId: chatter.user.id,
        botId: bot.id,
        occurredAt: new Date(`${yesterday}T12:00:00Z`),
      }),
    );
    await settle();
    const platformBefore = await rollupRows('platform_daily_stats', 'day = $1', [yesterday]);
    expect(await rollupRows('bot_daily_stats', 'bot_id = $1', [bot.id])).toHaveLength(2);
    expect(await rollupRows('bot_chatters', 'bot_id = $1', [bot.id])).toHaveLength(1);
    await call('delete', `/bots/${bot.id}`, creator).expect(204);
    expect(await rollupRows('bot_daily_stats', 'bot_id = $1', [bot.id])).toEqual([]);
    expect(await rollupRows('bot_chatters', 'bot_id = $1', [bot.id])).toEqual([]);
    await ctx.jobs.enqueue('analytics.bot-day', { botId: bot.id, day: today() });
    await ctx.jobs.enqueue('analytics.platform-day', { day: yesterday });
    await settle();
    expect(await rollupRows('bot_daily_stats', 'bot_id = $1', [bot.id])).toEqual([]);
    expect(await rollupRows('platform_daily_stats', 'day = $1', [yesterday])).toEqual(platformBefore);
  });

  it('AC9: a backfill recomputes rows identical to the incremental ones; a range past retention → 422', async () => {
    const admin = await createUser(ctx, { role: UserRole.Admin });
    const { bot, chatter } = await chattingFixture(2);
    const tables = ['user_daily_stats', 'bot_daily_stats', 'platform_daily_stats'] as const;
    const snapshot = async () => ({
      user: await rollupRows('user_daily_stats', 'user_id = $1', [chatter.user.id]),
      bot: await rollupRows('bot_daily_stats', 'bot_id = $1', [bot.id]),
      platform: await rollupRows('platform_daily_stats', 'day = $1', [today()]),
    });
    const incremental = await snapshot();
    expect(incremental.user).toHaveLength(1);
    for (const table of tables) await ctx.ds.query(`DELETE FROM ${table} WHERE day = $1`, [today()]);
    const res = await call('post', '/admin/analytics/backfill', admin)
      .send({ scope: 'all', from: addDays(today(), -1), to: today() })
      .expect(202);
    expect(res.body.job_ids).toEqual([`bf-all-${addDays(today(), -1)}-${today()}`]);
    await settle();
    // platform totals include other tests' events, which are recomputed too: compare this test's rows exactly
    const after = await snapshot();
    expect(after.user).toEqual(incremental.user);
    expect(after.bot).toEqual(incremental.bot);
    expect(after.platform).toHaveLength(1);
    const old = await call('post', '/admin/analytics/backfill', admin)
      .send({ scope: 'bot', from: addDays(today(), -120), to: addDays(today(), -100) })
      .expect(422);
    expect(old.body.code).toBe('ANALYTICS_RANGE_TOO_OLD');
    await call('post', '/admin/analytics/backfill', admin)
      .send({ scope: 'everything', from: today(), to: today(), extra: 1 })
      .expect(400);
    await call('post', '/admin/analytics/backfill', admin)
      .send({ scope: 'all', from: today(), to: addDays(today(), -1) })
      .expect(400);
    await call('post', '/admin/analytics/backfill', chatter)
      .send({ scope: 'all', from: today(), to: today() })
      .expect(403);
  });

  it('days older than the retention period are never recomputed', async () => {
    const user = await createUser(ctx);
    const old = addDays(today(), -91);
    await ctx.ds.transaction((em) =>
      recorder.record(em, {
        type: 'mood_logged',
        idempotencyKey: `old-${randomUUID()}`,
        actorUserId: user.user.id,
        occurredAt: new Date(`${old}T10:00:00Z`),
      }),
    );
    await settle();
    expect(await rollups.userDay(user.user.id, old)).toBe(false);
    expect(await rollupRows('user_daily_stats', 'user_id = $1', [user.user.id])).toEqual([]);
  });
});

describe('analytics: mood trends (AC5)', () => {
  const mood = (who: TestUser, score: number, daysAgo: number, note?: string) =>
    call('post', '/wellbeing/moods', who)
      .send({
        mood: score >= 4 ? 'happy' : 'sad',
        score,
        recorded_at: new Date(Date.now() - daysAgo * 86_400_000).toISOString(),
        ...(note ? { note } : {}),
      })
      .expect(201);

  it('4, 4, 2 on three consecutive days → 3.33, streak 3, insufficient data; then a drop → declining + one intervention', async () => {
    const me = await createUser(ctx);
    await call('put', '/wellbeing/settings', me).send({ notify_mood_decline: true }).expect(200);
    await mood(me, 4, 2, 'zebra-private-note');
    await mood(me, 4, 1);
    await mood(me, 2, 0);
    await settle();
    const first = await call('get', '/analytics/me/mood-trends?days=7', me).expect(200);
    expect(first.body.trend).toMatchObject({
      as_of_date: today(),
      avg_7d: 3.33,
      days_logged_7d: 3,
      current_streak: 3,
      trend_7d: 'insufficient_data',
      change_7d: null,
      last_entry_date: today(),
      top_mood_30d: 'happy',
    });
    expect(first.body.daily).toHaveLength(7);
    expect(first.body.daily[6]).toEqual({ date: today(), mean_score: 2, entries: 1 });
    expect(first.body.daily[0]).toEqual({ date: addDays(today(), -6), mean_score: null, entries: 0 });

    for (const daysAgo of [7, 8, 9]) await mood(me, 5, daysAgo);
    await settle();
    const [row] = await ctx.ds.query(`SELECT trend_7d, change_7d, avg_prev_7d FROM mood_trends WHERE user_id = $1`, [
      me.user.id,
    ]);
    expect(row).toEqual({ trend_7d: 'declining', change_7d: '-1.67', avg_prev_7d: '5.00' });
    const interventions = await ctx.ds.query(
      `SELECT kind FROM wellbeing_interventions WHERE user_id = $1 AND kind = 'mood_decline'`,
      [me.user.id],
    );
    expect(interventions).toHaveLength(1);
    // recomputing again (still declining) raises no second one
    await ctx.jobs.enqueue('analytics.mood-trend', { userId: me.user.id });
    await settle();
    expect(
      await ctx.ds.query(`SELECT 1 FROM wellbeing_interventions WHERE user_id = $1 AND kind = 'mood_decline'`, [
        me.user.id,
      ]),
    ).toHaveLength(1);

    // AC10 + log privacy: mood events carry the actor only; no score or note in events or logs
    const events = (await ctx.ds.query(`SELECT * FROM analytics_events WHERE actor_user_id = $1`, [
      me.user.id,
    ])) as Record<string, unknown>[];
    expect(events.map((e) => e.event_type).every((t) => t === 'mood_logged')).toBe(true);
    for (const e of events) {
      expect(e).toMatchObject({ bot_id: null, conversation_id: null, persona_id: null, properties: {} });
    }
    const logs = ctx.logs().join('\n');
    expect(logs).not.toContain('zebra-private-note');
    expect(logs).not.toMatch(/"(score|avg_7d|change_7d|mood)"\s*:/);
  });

  it('mood_updated / mood_deleted are recorded for the actor only', async () => {
    const me = await createUser(ctx);
    const created = await mood(me, 3, 0);
    await call('patch', `/wellbeing/moods/${created.body.id}`, me).send({ score: 4 }).expect(200);
    await call('delete', `/wellbeing/moods/${created.body.id}`, me).expect(204);
    await settle();
    const types = (
      await ctx.ds.query(`SELECT event_type FROM analytics_events WHERE actor_user_id = $1`, [me.user.id])
    ).map((e: { event_type: string }) => e.event_type);
    expect(types.sort()).toEqual(['mood_deleted', 'mood_logged', 'mood_updated']);
    const [usage] = await ctx.ds.query(`SELECT mood_entries FROM user_daily_stats WHERE user_id = $1`, [me.user.id]);
    expect(usage.mood_entries).toBe(1);
  });
});

describe('analytics: access (AC4) and endpoints (§4)', () => {
  it('AC4: non-owner of a public bot → 403; private → 404; manage grant and admin → 200; view grant → 403', async () => {
    const owner = await createUser(ctx);
    const stranger = await createUser(ctx);
    const manager = await createUser(ctx);
    const viewer = await createUser(ctx);
    const admin = await createUser(ctx, { role: UserRole.Admin });
    const pub = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
    const priv = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Private });
    const shared = await createBot(ctx, {
      ownerId: owner.user.id,
      visibility: ResourceVisibility.Shared,
      allowCollaboration: true,
    });
    await createGrant(ctx, { bot: shared, granteeId: manager.user.id, level: GrantLevel.Manage });
    await createGrant(ctx, { bot: shared, granteeId: viewer.user.id, level: GrantLevel.View });
    const forbidden = await call('get', `/analytics/bots/${pub.id}`, stranger).expect(403);
    expect(forbidden.body.code).toBe('ANALYTICS_FORBIDDEN');
    expect((await call('get', `/analytics/bots/${priv.id}`, stranger).expect(404)).body.code).toBe('BOT_NOT_FOUND');
    await call('get', `/analytics/bots/${randomUUID()}`, stranger).expect(404);
    await call('get', `/analytics/bots/${shared.id}`, manager).expect(200);
    await call('get', `/analytics/bots/${shared.id}`, viewer).expect(403);
    await call('get', `/analytics/bots/${priv.id}`, admin).expect(200);
    await call('get', `/analytics/bots/not-a-uuid`, owner).expect(400);
    await call('get', `/analytics/bots/${pub.id}`).expect(401);
  });

  it('AC4: nobody reads another user’s usage, memory or mood: the routes take no user id', async () => {
    const { chatter } = await chattingFixture(2);
    const admin = await createUser(ctx, { role: UserRole.Admin });
    for (const path of ['/analytics/me/usage', '/analytics/me/memory', '/analytics/me/mood-trends']) {
      await call('get', `${path}?user_id=${chatter.user.id}`, admin).expect(400);
    }
    const adminUsage = await call('get', '/analytics/me/usage', admin).expect(200);
    expect(adminUsage.body.totals.messages_sent).toBe(0);
    const persona = await createPersona(ctx, { ownerId: chatter.user.id });
    await call('get', `/analytics/personas/${persona.id}`, admin).expect(200);
    const other = await createUser(ctx);
    expect((await call('get', `/analytics/personas/${persona.id}`, other).expect(404)).body.code).toBe(
      'PERSONA_NOT_FOUND',
    );
  });

  it('series: from/to/granularity, missing days as zeros, bad ranges → 400', async () => {
    const { chatter } = await chattingFixture(1);
    const from = addDays(today(), -2);
    const days = await call('get', `/analytics/me/usage?from=${from}&to=${today()}`, chatter).expect(200);
    expect(days.body).toMatchObject({ from, to: today(), granularity: 'day' });
    expect(
      days.body.series.map((p: { period_start: string; messages_sent: number }) => [p.period_start, p.messages_sent]),
    ).toEqual([
      [from, 0],
      [addDays(today(), -1), 0],
      [today(), 1],
    ]);
    const months = await call(
      'get',
      `/analytics/me/usage?from=${addDays(today(), -40)}&to=${today()}&granularity=month`,
      chatter,
    ).expect(200);
    expect(months.body.series.length).toBeGreaterThanOrEqual(2);
    expect(months.body.totals.messages_sent).toBe(1);
    const weeks = await call('get', `/analytics/me/usage?granularity=week`, chatter).expect(200);
    for (const p of weeks.body.series) expect(new Date(`${p.period_start}T00:00:00Z`).getUTCDay()).toBe(1);
    for (const q of [
      `from=${today()}&to=${from}`,
      `from=2024-01-01&to=2025-06-01`,
      'granularity=year',
      'from=2026-02-30',
      'x=1',
    ]) {
      const res = await call('get', `/analytics/me/usage?${q}`, chatter).expect(400);
      expect(res.body.errors?.length).toBeGreaterThan(0);
    }
    await call('get', '/analytics/me/mood-trends?days=91', chatter).expect(400);
    await call('get', '/analytics/me/usage').expect(401);
  });

  it('memory series with live totals; creator overview over owned bots', async () => {
    const { chatter, creator, bot } = await chattingFixture(2);
    const memory = await call('get', `/analytics/me/memory?bot_id=${bot.id}`, chatter).expect(200);
    expect(memory.body).toMatchObject({ bot_id: bot.id, totals: { memories_created: 0, recalls: 0 } });
    expect(memory.body.current).toMatchObject({ total: 0, superseded: 0 });
    const overview = await call('get', '/analytics/creator/overview', creator).expect(200);
    expect(overview.body).toMatchObject({ bot_count: 1, totals: { user_messages: 2, unique_chatters: 1 } });
    expect(overview.body.top_bots).toEqual([
      { bot_id: bot.id, name: bot.name, user_messages: 2, unique_chatters: 1, views: 0 },
    ]);
  });

  it('admin: platform totals and the queue status with the driver', async () => {
    const admin = await createUser(ctx, { role: UserRole.Admin });
    const user = await createUser(ctx);
    const platform = await call('get', `/admin/analytics/platform?from=${today()}&to=${today()}`, admin).expect(200);
    expect(platform.body.series).toHaveLength(1);
    await call('get', '/admin/analytics/platform', user).expect(403);
    await ctx.jobs.enqueue('analytics.nightly', { day: today() });
    await settle();
    const queue = await call('get', '/admin/analytics/queue', admin).expect(200);
    expect(queue.body.driver).toBe(process.env.REDIS_URL ? 'redis' : 'in-process');
    expect(queue.body.queues.map((q: { queue: string }) => q.queue)).toContain('analytics');
    expect(queue.body.last_nightly_run).toMatchObject({ job_name: 'analytics.nightly', succeeded: true });
    await call('get', '/admin/analytics/queue', user).expect(403);
  });
});

describe('analytics: housekeeping jobs', () => {
  it('sweep re-schedules the rollups of recent events (repairs a missed schedule)', async () => {
    const { chatter } = await chattingFixture(1);
    await ctx.ds.query(`DELETE FROM user_daily_stats WHERE user_id = $1`, [chatter.user.id]);
    await ctx.jobs.enqueue('analytics.sweep', { windowHours: 1 });
    await settle();
    const [row] = await ctx.ds.query(`SELECT messages_sent FROM user_daily_stats WHERE user_id = $1`, [
      chatter.user.id,
    ]);
    expect(row.messages_sent).toBe(1);
  });

  it('prune-events deletes events before the retention cutoff only', async () => {
    const oldKey = `old-${randomUUID()}`;
    const newKey = `new-${randomUUID()}`;
    await ctx.ds.transaction(async (em) => {
      await recorder.record(em, {
        type: 'bot_created',
        idempotencyKey: oldKey,
        occurredAt: new Date(Date.now() - 95 * 86_400_000),
      });
      await recorder.record(em, {
        type: 'bot_created',
        idempotencyKey: newKey,
        occurredAt: new Date(Date.now() - 80 * 86_400_000),
      });
    });
    await ctx.jobs.enqueue('analytics.prune-events', {});
    await settle();
    const keys = (await ctx.ds.query(`SELECT idempotency_key FROM analytics_events WHERE idempotency_key IN ($1, $2)`, [
      oldKey,
      newKey,
    ])) as { idempotency_key: string }[];
    expect(keys.map((k) => k.idempotency_key)).toEqual([newKey]);
  });

  it('account deletion anonymizes the user’s events (analytics.forget-user)', async () => {
    const { chatter } = await chattingFixture(1);
    await call('delete', '/users/me', chatter).send({ password: chatter.password }).expect(204);
    await settle();
    const [{ n }] = await ctx.ds.query(
      `SELECT count(*)::int AS n FROM analytics_events WHERE actor_user_id = $1 OR actor_key = $2`,
      [chatter.user.id, chatter.user.id],
    );
    expect(n).toBe(0);
  });

  it('AC10: events hold no message text or IP; a crisis notice event has no actor', async () => {
    const { chatter, conv } = await chattingFixture(0);
    await postMessage(ctx, chatter.token, conv.id, { content: 'secret-walrus-text and I want to end my life' });
    await settle();
    await new Promise((r) => setTimeout(r, 200)); // a refused request records its notice after the call stack unwinds
    await settle();
    const events = (await ctx.ds.query(`SELECT * FROM analytics_events`)) as Record<string, unknown>[];
    const text = JSON.stringify(events);
    expect(text).not.toContain('secret-walrus-text');
    expect(text).not.toMatch(/127\.0\.0\.1|::1|::ffff/);
    const crisis = events.filter((e) => e.event_type === 'crisis_notice_shown');
    expect(crisis.length).toBeGreaterThanOrEqual(1);
    for (const e of crisis) {
      expect(e).toMatchObject({ actor_user_id: null, actor_key: 'system', conversation_id: null });
      expect(Object.keys(e.properties as object).sort()).toEqual(['category', 'country', 'severity']);
    }
    expect(ctx.logs().join('\n')).not.toContain('secret-walrus-text');
  });
});
