import request from 'supertest';
import { AuthorKind } from '../../src/modules/chat/chat.enums.js';
import { Message } from '../../src/modules/chat/entities/message.entity.js';
import { CrisisDetector } from '../../src/modules/wellbeing/crisis/crisis-detector.js';
import { CrisisSeverity } from '../../src/modules/wellbeing/crisis/entities/crisis.enums.js';
import { WellbeingUsageDay } from '../../src/modules/wellbeing/self-moderation/entities/wellbeing-usage-day.entity.js';
import { WellbeingClock } from '../../src/modules/wellbeing/self-moderation/wellbeing-clock.js';
import { createApiKey } from '../factories/api-key.factory.js';
import { createBot } from '../factories/bot.factory.js';
import { seedBotReply } from '../factories/bot-reply.factory.js';
import { createConversation } from '../factories/chat.factory.js';
import { createCrisisKeyword, createCrisisResource } from '../factories/crisis.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

/**
 * The enforcement contract in the chat API (wellbeing.md §3, acceptance checks §4.5): the gate as chat mounts it on
 * POST /conversations/:id/messages (sent with respond: 'none', so no provider is involved).
 */

const MIN = 60_000;
const PHRASE = 'i cannot go on like this anymore';

let ctx: TestApp;
let fakeNow: Date | null = null;
beforeAll(async () => {
  ctx = await createTestApp();
  jest.spyOn(ctx.app.get(WellbeingClock), 'now').mockImplementation(() => fakeNow ?? new Date());
  await createCrisisKeyword(ctx, { phrase: PHRASE, severity: CrisisSeverity.High });
  ctx.app.get(CrisisDetector).invalidate();
  await createCrisisResource(ctx, { title: 'GB local line', isWorldwide: false }, ['GB']);
  await createCrisisResource(ctx, { title: 'GB emergency line', isWorldwide: false, isEmergency: true }, ['GB']);
  await createCrisisResource(ctx, { title: 'Worldwide line', isWorldwide: true });
  await createCrisisResource(ctx, { title: 'DE line', isWorldwide: false }, ['DE']);
});
afterEach(() => {
  fakeNow = null;
});
afterAll(() => ctx?.close());

async function chatter(): Promise<{ me: TestUser; convId: string }> {
  const me = await createUser(ctx);
  const bot = await createBot(ctx, { ownerId: me.user.id });
  const conv = await createConversation(ctx, me.token, { bot_ids: [bot.id] });
  return { me, convId: conv.id };
}
const send = (who: TestUser, convId: string, content = 'hello') =>
  request(ctx.http)
    .post(`/api/v1/conversations/${convId}/messages`)
    .auth(who.token, { type: 'bearer' })
    .send({ content, respond: 'none' });
const settings = (who: TestUser, body: object) =>
  request(ctx.http).put('/api/v1/wellbeing/settings').auth(who.token, { type: 'bearer' }).send(body);
const userMessages = (convId: string) =>
  ctx.ds.getRepository(Message).countBy({ conversationId: convId, authorKind: AuthorKind.User });
const usageToday = async (userId: string) =>
  (await ctx.ds.getRepository(WellbeingUsageDay).find({ where: { userId }, order: { usageDate: 'DESC' } }))[0];

describe('wellbeing enforcement in the chat API: send and regenerate (wellbeing.md §4.5)', () => {
  it('AC1: a user without settings sends 500 messages: no 429, no X-Wellbeing-* headers; status is_configured false', async () => {
    const { me, convId } = await chatter();
    for (let i = 0; i < 500; i += 1) {
      const res = await send(me, convId, `message ${i}`);
      expect(res.status).toBe(201);
      expect(Object.keys(res.headers).filter((h) => h.startsWith('x-wellbeing'))).toEqual([]);
      expect(res.body).not.toHaveProperty('wellbeing');
    }
    const status = await request(ctx.http).get('/api/v1/wellbeing/status').auth(me.token, { type: 'bearer' });
    expect(status.body.is_configured).toBe(false);
    expect(await ctx.ds.getRepository(WellbeingUsageDay).countBy({ userId: me.user.id })).toBe(0);
  }, 120_000);

  it('AC2: soft mode, limit 10, warn 80 → 8–9 approaching (header + field); 10, 11, … succeed with reached', async () => {
    const { me, convId } = await chatter();
    await settings(me, { daily_messages_limit: 10, warn_at_percent: 80, mood_checkins_enabled: false }).expect(200);
    for (let i = 1; i <= 12; i += 1) {
      const res = await send(me, convId).expect(201);
      const header = res.headers['x-wellbeing-warning'] as string | undefined;
      if (i < 8) {
        expect(header).toBeUndefined();
        expect(res.body).not.toHaveProperty('wellbeing');
      } else {
        const state = i < 10 ? 'approaching' : 'reached';
        expect(header).toMatch(new RegExp(`^daily_messages; state=${state}; used=${i}; limit=10; resets=`));
        expect(res.body.wellbeing.warnings[0]).toMatchObject({ limit: 'daily_messages', state, used: i });
      }
    }
    expect(await userMessages(convId)).toBe(12);
  });

  it('AC3: hard mode, limit 10 → message 11 is 429 WELLBEING_LIMIT_REACHED, Retry-After to local midnight; not stored, not counted', async () => {
    const { me, convId } = await chatter();
    await settings(me, { enforcement: 'block', daily_messages_limit: 10, timezone: 'Europe/Berlin' }).expect(200);
    fakeNow = new Date(Date.UTC(2026, 5, 1, 20, 0, 0)); // 22:00 in Berlin (UTC+2) → midnight in 2 h
    for (let i = 0; i < 10; i += 1) await send(me, convId).expect(201);
    const res = await send(me, convId, 'one more').expect(429);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body).toMatchObject({
      status: 429,
      code: 'WELLBEING_LIMIT_REACHED',
      limit: 'daily_messages',
      used: 10,
      limit_value: 10,
      resets_at: '2026-06-02T00:00:00+02:00',
      timezone: 'Europe/Berlin',
    });
    expect(res.body.detail).toMatch(/00:00/);
    expect(Number(res.headers['retry-after'])).toBe(2 * 3600);
    expect(res.headers['x-wellbeing-limit']).toBe(
      'daily_messages; used=10; limit=10; resets=2026-06-02T00:00:00+02:00',
    );
    expect(await userMessages(convId)).toBe(10);
    const list = await request(ctx.http)
      .get(`/api/v1/conversations/${convId}/messages`)
      .auth(me.token, { type: 'bearer' })
      .expect(200);
    expect(list.body.items.map((m: { content: string }) => m.content)).not.toContain('one more');
    expect((await usageToday(me.user.id)).messagesSent).toBe(10);
  });

  it('AC4: hard mode, 10 parallel requests with 1 message left → exactly one succeeds', async () => {
    const { me, convId } = await chatter();
    await settings(me, { enforcement: 'block', daily_messages_limit: 10 }).expect(200);
    for (let i = 0; i < 9; i += 1) await send(me, convId).expect(201);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => send(me, convId, `race ${i}`)));
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(429)]);
    expect(await userMessages(convId)).toBe(10);
    expect((await usageToday(me.user.id)).messagesSent).toBe(10);
  });

  it('N = 15 concurrent sends against a limit of K = 10 → exactly 10 accepted', async () => {
    const { me, convId } = await chatter();
    await settings(me, { enforcement: 'block', daily_messages_limit: 10 }).expect(200);
    const results = await Promise.all(Array.from({ length: 15 }, (_, i) => send(me, convId, `burst ${i}`)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 429)).toHaveLength(5);
    expect(await userMessages(convId)).toBe(10);
  });

  it('AC5: raising the limit is pending for 24 h and the next send is still 429; tightening applies at once', async () => {
    const { me, convId } = await chatter();
    const t0 = new Date(Date.UTC(2026, 5, 3, 9, 0, 0));
    fakeNow = t0;
    await settings(me, { enforcement: 'block', daily_messages_limit: 10 }).expect(200);
    for (let i = 0; i < 10; i += 1) await send(me, convId).expect(201);
    const raised = await settings(me, { enforcement: 'block', daily_messages_limit: 20 }).expect(200);
    expect(raised.body).toMatchObject({ daily_messages_limit: 10, pending_fields: ['daily_messages_limit'] });
    expect(new Date(raised.body.pending_apply_at).getTime()).toBe(t0.getTime() + 24 * 60 * MIN);
    const refused = await send(me, convId).expect(429);
    expect(refused.body).toMatchObject({ code: 'WELLBEING_LIMIT_REACHED', pending_apply_at: expect.any(String) });

    const other = await chatter();
    await settings(other.me, { enforcement: 'block', daily_messages_limit: 50 }).expect(200);
    for (let i = 0; i < 10; i += 1) await send(other.me, other.convId).expect(201);
    const tightened = await settings(other.me, { enforcement: 'block', daily_messages_limit: 10 }).expect(200);
    expect(tightened.body).toMatchObject({ daily_messages_limit: 10, pending_fields: [] });
    await send(other.me, other.convId).expect(429);
  });

  it('AC6: hard mode with quiet hours covering now → 429 WELLBEING_QUIET_HOURS, Retry-After to the end hour', async () => {
    const { me, convId } = await chatter();
    await settings(me, {
      enforcement: 'block',
      timezone: 'Asia/Tokyo',
      quiet_hours_enabled: true,
      quiet_hours_start: 22,
      quiet_hours_end: 6,
    }).expect(200);
    fakeNow = new Date(Date.UTC(2026, 5, 3, 14, 0, 0)); // 23:00 in Tokyo (UTC+9)
    const res = await send(me, convId).expect(429);
    expect(res.body).toMatchObject({
      code: 'WELLBEING_QUIET_HOURS',
      limit: 'quiet_hours',
      resets_at: '2026-06-04T06:00:00+09:00',
      timezone: 'Asia/Tokyo',
    });
    expect(Number(res.headers['retry-after'])).toBe(7 * 3600);
    expect(await userMessages(convId)).toBe(0);
  });

  it('AC6: soft mode inside quiet hours → prompt quiet_hours plus one late_night_usage intervention', async () => {
    const { me, convId } = await chatter();
    await settings(me, {
      timezone: 'America/Los_Angeles',
      quiet_hours_enabled: true,
      quiet_hours_start: 23,
      quiet_hours_end: 7,
      mood_checkins_enabled: false,
    }).expect(200);
    fakeNow = new Date(Date.UTC(2026, 5, 3, 8, 30, 0)); // 01:30 in Los Angeles (UTC−7)
    const first = await send(me, convId).expect(201);
    expect(first.body.wellbeing.prompts).toContain('quiet_hours');
    expect(first.body.wellbeing.interventions).toEqual([
      expect.objectContaining({ kind: 'late_night_usage', local_date: '2026-06-02' }),
    ]);
    fakeNow = new Date(fakeNow.getTime() + MIN);
    const second = await send(me, convId).expect(201);
    expect(second.body.wellbeing.prompts).toContain('quiet_hours');
    expect(second.body.wellbeing.interventions).toEqual([]);
    const history = await request(ctx.http)
      .get('/api/v1/wellbeing/interventions')
      .auth(me.token, { type: 'bearer' })
      .expect(200);
    expect(history.body.items.map((i: { kind: string }) => i.kind)).toEqual(['late_night_usage']);
  });

  it('AC8: break interval 25 → the first answer after 25 active minutes carries break_reminder, the next does not', async () => {
    const { me, convId } = await chatter();
    await settings(me, { break_interval_minutes: 25, mood_checkins_enabled: false }).expect(200);
    const t0 = new Date(Date.UTC(2026, 5, 4, 10, 0, 0));
    const prompts: string[][] = [];
    for (let m = 0; m <= 30; m += 5) {
      fakeNow = new Date(t0.getTime() + m * MIN);
      const res = await send(me, convId).expect(201);
      prompts.push(res.body.wellbeing?.prompts ?? []);
    }
    expect(prompts).toEqual([[], [], [], [], [], ['break_reminder'], []]);
  });

  it('AC9: a high phrase → 201 (not blocked) with X-Wellbeing-Notice; GB or worldwide resources, emergency first', async () => {
    const { me, convId } = await chatter();
    await settings(me, { support_country: 'GB' }).expect(200);
    const res = await send(me, convId, `Some days ${PHRASE}...`).expect(201);
    expect(res.headers['x-wellbeing-notice']).toBe('crisis_support');
    const notice = res.body.wellbeing.notice;
    expect(notice).toMatchObject({ kind: 'crisis_support', severity: 'high', region_used: 'GB' });
    const titles = notice.resources.map((r: { title: string }) => r.title);
    expect(titles[0]).toBe('GB emergency line');
    expect(titles).toEqual(expect.arrayContaining(['GB local line', 'Worldwide line']));
    expect(titles).not.toContain('DE line');
    expect(res.body.message.content).toContain(PHRASE); // the message itself is stored as usual

    // AC10: the same phrase again within 30 min in the same conversation → no second notice
    const again = await send(me, convId, PHRASE).expect(201);
    expect(again.headers['x-wellbeing-notice']).toBeUndefined();
    expect(again.body.wellbeing?.notice ?? null).toBeNull();
  });

  it('an edit that adds a crisis phrase answers the notice too (the edit is never blocked)', async () => {
    const { me, convId } = await chatter();
    await settings(me, { support_country: 'GB' }).expect(200);
    const sent = await send(me, convId, 'an ordinary day').expect(201);
    expect(sent.headers['x-wellbeing-notice']).toBeUndefined();
    const edited = await request(ctx.http)
      .patch(`/api/v1/messages/${sent.body.message.id}`)
      .auth(me.token, { type: 'bearer' })
      .send({ content: `Actually ${PHRASE}` })
      .expect(200);
    expect(edited.headers['x-wellbeing-notice']).toBe('crisis_support');
    expect(edited.body.content).toBe(`Actually ${PHRASE}`);
    expect(edited.body.wellbeing.notice).toMatchObject({ kind: 'crisis_support', region_used: 'GB' });
    const plain = await request(ctx.http)
      .patch(`/api/v1/messages/${sent.body.message.id}`)
      .auth(me.token, { type: 'bearer' })
      .send({ content: 'never mind' })
      .expect(200);
    expect(plain.body.wellbeing).toBeUndefined();
  });

  it('AC9: without settings, Accept-Language chooses the region', async () => {
    const { me, convId } = await chatter();
    const res = await send(me, convId, PHRASE).set('Accept-Language', 'en-GB').expect(201);
    expect(res.headers['x-wellbeing-notice']).toBe('crisis_support');
    expect(res.body.wellbeing).toMatchObject({ warnings: [], prompts: [], notice: { region_used: 'GB' } });
  });

  it('AC11: a hard-limited user sending a crisis phrase → the 429 body still contains wellbeing.notice with resources', async () => {
    const { me, convId } = await chatter();
    await settings(me, { enforcement: 'block', daily_messages_limit: 10, support_country: 'GB' }).expect(200);
    for (let i = 0; i < 10; i += 1) await send(me, convId).expect(201);
    const res = await send(me, convId, PHRASE).expect(429);
    expect(res.body.code).toBe('WELLBEING_LIMIT_REACHED');
    expect(res.headers['x-wellbeing-notice']).toBe('crisis_support');
    expect(res.body.wellbeing.notice).toMatchObject({ kind: 'crisis_support', severity: 'high' });
    expect(res.body.wellbeing.notice.resources.length).toBeGreaterThan(0);
    expect(await userMessages(convId)).toBe(10);
  });

  it('regenerate (POST /messages/:id/regenerate) passes the gate: counts time, not messages; 429 while a hard limit is reached', async () => {
    const me = await createUser(ctx);
    const bot = await createBot(ctx, { ownerId: me.user.id });
    const conv = await createConversation(ctx, me.token, { bot_ids: [bot.id] });
    const keyId = (await createApiKey(ctx, me.token)).body.id;
    // two replies: the first regeneration leaves its alternative open (queued), which blocks another on that message
    const seed = () =>
      seedBotReply(ctx, {
        conversationId: conv.id,
        botId: bot.id,
        requestedByUserId: me.user.id,
        alternatives: [{ content: 'An answer', apiKeyId: keyId, finishReason: 'stop' }],
      });
    const [first, second] = [await seed(), await seed()];
    const regenerate = (id: string) =>
      request(ctx.http)
        .post(`/api/v1/messages/${id}/regenerate`)
        .auth(me.token, { type: 'bearer' })
        .send({ api_key_id: keyId, model: 'gpt-4o-mini' });

    await settings(me, { daily_messages_limit: 10, mood_checkins_enabled: false }).expect(200);
    for (let i = 0; i < 10; i += 1) await send(me, conv.id).expect(201);
    const soft = await regenerate(first.message.id).expect(202);
    expect(soft.headers['x-wellbeing-warning']).toMatch(/^daily_messages; state=reached; used=10; limit=10/);
    expect(soft.body.wellbeing.warnings[0]).toMatchObject({ limit: 'daily_messages', state: 'reached', used: 10 });
    expect((await usageToday(me.user.id)).messagesSent).toBe(10);

    await settings(me, { enforcement: 'block', daily_messages_limit: 10 }).expect(200);
    const hard = await regenerate(second.message.id).expect(429);
    expect(hard.body).toMatchObject({ code: 'WELLBEING_LIMIT_REACHED', limit: 'daily_messages' });
  });

  it('logs carry neither the message text nor self-moderation data', async () => {
    const { me, convId } = await chatter();
    await settings(me, { enforcement: 'block', daily_messages_limit: 10, timezone: 'Pacific/Chatham' }).expect(200);
    const before = ctx.logs().length;
    for (let i = 0; i < 11; i += 1) await send(me, convId, `${PHRASE} #${i}`);
    const logs = ctx.logs().slice(before).join('\n');
    expect(logs).toContain('/messages');
    for (const text of [PHRASE, 'Pacific/Chatham', 'WELLBEING_LIMIT_REACHED', 'daily_messages']) {
      expect(logs).not.toContain(text);
    }
  });
});
