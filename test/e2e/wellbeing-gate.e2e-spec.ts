import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Actor } from '../../src/common/auth/actor.js';
import { AppError } from '../../src/common/errors/app-error.js';
import { CrisisDetector } from '../../src/modules/wellbeing/crisis/crisis-detector.js';
import { CrisisCategory, CrisisSeverity } from '../../src/modules/wellbeing/crisis/entities/crisis.enums.js';
import { WellbeingUsageDay } from '../../src/modules/wellbeing/self-moderation/entities/wellbeing-usage-day.entity.js';
import { WellbeingIntervention } from '../../src/modules/wellbeing/self-moderation/entities/wellbeing-intervention.entity.js';
import { WellbeingClock } from '../../src/modules/wellbeing/self-moderation/wellbeing-clock.js';
import { WellbeingGate } from '../../src/modules/wellbeing/self-moderation/wellbeing-gate.service.js';
import { createCrisisKeyword, createCrisisResource } from '../factories/crisis.factory.js';
import { createMoodEntry } from '../factories/mood.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

/**
 * WellbeingGate at the service level (wellbeing.md §3), called as chat calls it: inside a transaction, before anything
 * is inserted. The HTTP contract through POST /conversations/:id/messages is in wellbeing-enforcement.e2e-spec.ts.
 */

const MIN = 60_000;
const HIGH_PHRASE = 'i want to disappear forever';
const ELEVATED_PHRASE = 'nobody would notice me';

let ctx: TestApp;
let fakeNow: Date | null = null;
beforeAll(async () => {
  ctx = await createTestApp();
  jest.spyOn(ctx.app.get(WellbeingClock), 'now').mockImplementation(() => fakeNow ?? new Date());
  await createCrisisKeyword(ctx, { phrase: HIGH_PHRASE, severity: CrisisSeverity.High });
  await createCrisisKeyword(ctx, {
    phrase: ELEVATED_PHRASE,
    severity: CrisisSeverity.Elevated,
    category: CrisisCategory.MentalHealth,
  });
  ctx.app.get(CrisisDetector).invalidate();
  await createCrisisResource(ctx, { title: 'GB line', isWorldwide: false }, ['GB']);
  await createCrisisResource(ctx, { title: 'GB emergency', isWorldwide: false, isEmergency: true }, ['GB']);
  await createCrisisResource(ctx, { title: 'World line', isWorldwide: true });
  await createCrisisResource(ctx, { title: 'US line', isWorldwide: false }, ['US']);
});
afterEach(() => {
  fakeNow = null;
});
afterAll(() => ctx?.close());

const actorOf = (u: TestUser): Actor => ({
  id: u.user.id,
  role: u.user.role,
  username: u.user.username,
  emailVerified: true,
});
const settings = (who: TestUser, body: object) =>
  request(ctx.http).put('/api/v1/wellbeing/settings').auth(who.token, { type: 'bearer' }).send(body).expect(200);

interface GateResult {
  status: number;
  headers: Record<string, string>;
  body: Record<string, any>;
}

/** One gated request in its own transaction: 201/202 with the outcome, or the AppError as the filter would send it. */
async function gate(
  who: TestUser,
  opts: { text?: string | null; action?: 'send' | 'regenerate'; conversationId?: string } = {},
): Promise<GateResult> {
  const action = opts.action ?? 'send';
  try {
    const out = await ctx.ds.transaction((em) =>
      ctx.app.get(WellbeingGate).evaluate(em, actorOf(who), {
        action,
        text: opts.text === undefined ? 'hello there' : opts.text,
        conversationId: opts.conversationId ?? randomUUID(),
        requestId: randomUUID(),
      }),
    );
    return {
      status: action === 'send' ? 201 : 202,
      headers: lower(out.headers),
      body: out.wellbeing ? { wellbeing: out.wellbeing } : {},
    };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return {
      status: err.status,
      headers: lower(err.headers),
      body: { code: err.code, detail: err.message, ...err.extra },
    };
  }
}
const lower = (h: Record<string, string>) =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
const usage = async (userId: string) =>
  ctx.ds.getRepository(WellbeingUsageDay).find({ where: { userId }, order: { usageDate: 'ASC' } });

describe('WellbeingGate.evaluate (wellbeing.md §3)', () => {
  it('AC1: no settings → nothing counted, no headers, no wellbeing object', async () => {
    const me = await createUser(ctx);
    for (let i = 0; i < 30; i += 1) {
      const r = await gate(me);
      expect(r).toEqual({ status: 201, headers: {}, body: {} });
    }
    expect(await usage(me.user.id)).toEqual([]);
  });

  it('AC2: soft mode, limit 10, warn 80 → 8–9 approaching, 10+ reached, all accepted', async () => {
    const me = await createUser(ctx);
    await settings(me, { daily_messages_limit: 10, warn_at_percent: 80, mood_checkins_enabled: false });
    const states: (string | null)[] = [];
    for (let i = 1; i <= 12; i += 1) {
      const r = await gate(me);
      expect(r.status).toBe(201);
      states.push(r.body.wellbeing?.warnings?.[0]?.state ?? null);
      if (i === 8) {
        expect(r.headers['x-wellbeing-warning']).toMatch(
          /^daily_messages; state=approaching; used=8; limit=10; resets=\d{4}-\d\d-\d\dT00:00:00\+00:00$/,
        );
        expect(r.body.wellbeing.warnings[0]).toMatchObject({
          limit: 'daily_messages',
          state: 'approaching',
          used: 8,
          limit_value: 10,
          unit: 'messages',
        });
      }
    }
    expect(states).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      'approaching',
      'approaching',
      'reached',
      'reached',
      'reached',
    ]);
    expect((await usage(me.user.id))[0].messagesSent).toBe(12);
  });

  it('AC3: hard mode, limit 10 → the 11th is 429 WELLBEING_LIMIT_REACHED with Retry-After to local midnight; nothing counted', async () => {
    const me = await createUser(ctx);
    await settings(me, { enforcement: 'block', daily_messages_limit: 10, timezone: 'Asia/Kolkata' });
    fakeNow = new Date(Date.UTC(2026, 2, 10, 12, 0, 0)); // 17:30 in Kolkata → midnight in 6.5 h
    for (let i = 1; i <= 10; i += 1) {
      fakeNow = new Date(fakeNow.getTime() + 1000);
      expect((await gate(me)).status).toBe(201);
    }
    const before = await usage(me.user.id);
    fakeNow = new Date(fakeNow.getTime() + 1000);
    const r = await gate(me);
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({
      code: 'WELLBEING_LIMIT_REACHED',
      limit: 'daily_messages',
      used: 10,
      limit_value: 10,
      resets_at: '2026-03-11T00:00:00+05:30',
      timezone: 'Asia/Kolkata',
    });
    expect(r.body.detail).toContain('00:00');
    expect(Number(r.headers['retry-after'])).toBe(6.5 * 3600 - 11);
    expect(r.headers['x-wellbeing-limit']).toBe('daily_messages; used=10; limit=10; resets=2026-03-11T00:00:00+05:30');
    expect(r.body).not.toHaveProperty('wellbeing');
    expect(await usage(me.user.id)).toEqual(before);
    // regenerations count no message but are refused while the limit is reached
    expect((await gate(me, { action: 'regenerate', text: null })).status).toBe(429);
  });

  it('AC4: 10 concurrent sends with one message left → exactly one accepted, the count ends at the limit', async () => {
    const me = await createUser(ctx);
    await settings(me, { enforcement: 'block', daily_messages_limit: 10 });
    for (let i = 0; i < 9; i += 1) expect((await gate(me)).status).toBe(201);
    const results = await Promise.all(Array.from({ length: 10 }, () => gate(me)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 429)).toHaveLength(9);
    expect((await usage(me.user.id))[0].messagesSent).toBe(10);
  });

  it('N concurrent sends against a limit of K → exactly K accepted', async () => {
    const me = await createUser(ctx);
    await settings(me, { enforcement: 'block', daily_messages_limit: 10 });
    const results = await Promise.all(Array.from({ length: 16 }, () => gate(me)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect((await usage(me.user.id))[0].messagesSent).toBe(10);
  });

  it('AC5: a loosening PUT stays pending, so the next send is still 429 (with pending_apply_at)', async () => {
    const me = await createUser(ctx);
    await settings(me, { enforcement: 'block', daily_messages_limit: 10 });
    for (let i = 0; i < 10; i += 1) await gate(me);
    await settings(me, { enforcement: 'block', daily_messages_limit: 20 });
    const r = await gate(me);
    expect(r.status).toBe(429);
    expect(r.body.pending_apply_at).toEqual(expect.any(String));
  });

  it('time limits: the request that crosses the daily limit goes through, the next one is refused', async () => {
    const me = await createUser(ctx);
    await settings(me, { enforcement: 'block', daily_minutes_limit: 15, break_reminders_enabled: false });
    const t0 = new Date(Date.UTC(2026, 2, 10, 9, 0, 0));
    for (let i = 0; i <= 14; i += 1) {
      fakeNow = new Date(t0.getTime() + i * MIN);
      expect((await gate(me)).status).toBe(201); // 60 + 14 × 60 s = 15 min
    }
    fakeNow = new Date(t0.getTime() + 15 * MIN);
    const r = await gate(me);
    expect(r).toMatchObject({
      status: 429,
      body: { code: 'WELLBEING_LIMIT_REACHED', limit: 'daily_minutes', used: 15 },
    });
    const interventions = await ctx.ds.getRepository(WellbeingIntervention).findBy({ userId: me.user.id });
    expect(interventions.map((i) => i.kind)).toEqual(['daily_limit_exceeded']);
  });

  it('session limit: refused once the session already lasts the limit; Retry-After = last activity + idle gap', async () => {
    const me = await createUser(ctx);
    await settings(me, { enforcement: 'block', session_minutes_limit: 10, mood_checkins_enabled: false });
    const t0 = new Date(Date.UTC(2026, 2, 11, 9, 0, 0));
    for (let m = 0; m <= 10; m += 2) {
      fakeNow = new Date(t0.getTime() + m * MIN);
      expect((await gate(me)).status).toBe(201); // the 10-minute one crosses the limit and goes through
    }
    fakeNow = new Date(t0.getTime() + 11 * MIN);
    const r = await gate(me);
    expect(r).toMatchObject({
      status: 429,
      body: { code: 'WELLBEING_LIMIT_REACHED', limit: 'session_minutes', used: 10 },
    });
    expect(Number(r.headers['retry-after'])).toBe(9 * 60); // 10:00 + 10 min idle gap − 11:00
    const status = await request(ctx.http).get('/api/v1/wellbeing/status').auth(me.token, { type: 'bearer' });
    expect(status.body.limits[0]).toMatchObject({ limit: 'session_minutes', state: 'reached', used: 11 });
    fakeNow = new Date(t0.getTime() + 20 * MIN); // a 10-minute break ends the session
    expect((await gate(me)).status).toBe(201);
  });

  it('AC6: hard mode inside quiet hours → 429 WELLBEING_QUIET_HOURS with Retry-After to the local end hour', async () => {
    const me = await createUser(ctx);
    await settings(me, {
      enforcement: 'block',
      timezone: 'America/New_York',
      quiet_hours_enabled: true,
      quiet_hours_start: 22,
      quiet_hours_end: 7,
    });
    fakeNow = new Date(Date.UTC(2026, 0, 15, 4, 30, 0)); // 23:30 on the 14th in New York (UTC−5)
    const r = await gate(me);
    expect(r.status).toBe(429);
    expect(r.body).toMatchObject({
      code: 'WELLBEING_QUIET_HOURS',
      limit: 'quiet_hours',
      resets_at: '2026-01-15T07:00:00-05:00',
      timezone: 'America/New_York',
    });
    expect(Number(r.headers['retry-after'])).toBe(7.5 * 3600);
    fakeNow = new Date(Date.UTC(2026, 0, 15, 12, 0, 0)); // 07:00 local: open again
    expect((await gate(me)).status).toBe(201);
  });

  it('AC6: soft mode inside quiet hours → prompt quiet_hours and one late_night_usage intervention', async () => {
    const me = await createUser(ctx);
    await settings(me, {
      timezone: 'Australia/Sydney',
      quiet_hours_enabled: true,
      quiet_hours_start: 23,
      quiet_hours_end: 6,
      mood_checkins_enabled: false,
    });
    fakeNow = new Date(Date.UTC(2026, 0, 15, 13, 0, 0)); // 00:00 on the 16th in Sydney (UTC+11)
    const first = await gate(me);
    expect(first.status).toBe(201);
    expect(first.body.wellbeing.prompts).toEqual(['quiet_hours']);
    expect(first.body.wellbeing.interventions).toEqual([
      expect.objectContaining({ kind: 'late_night_usage', local_date: '2026-01-15' }),
    ]);
    fakeNow = new Date(fakeNow.getTime() + MIN);
    const second = await gate(me);
    expect(second.body.wellbeing.prompts).toEqual(['quiet_hours']);
    expect(second.body.wellbeing.interventions).toEqual([]); // delivered once
    const rows = await ctx.ds.getRepository(WellbeingIntervention).findBy({ userId: me.user.id });
    expect(rows).toHaveLength(1);
    expect(rows[0].deliveredAt).not.toBeNull();
    expect((await usage(me.user.id))[0].lateNightSeconds).toBe(120);
  });

  it('AC8: break interval 25 → the first answer after 25 active minutes carries break_reminder, the next does not', async () => {
    const me = await createUser(ctx);
    await settings(me, { break_interval_minutes: 25, mood_checkins_enabled: false });
    const t0 = new Date(Date.UTC(2026, 0, 20, 10, 0, 0));
    const prompts: string[][] = [];
    for (let m = 0; m <= 30; m += 5) {
      fakeNow = new Date(t0.getTime() + m * MIN);
      prompts.push((await gate(me)).body.wellbeing?.prompts ?? []);
    }
    expect(prompts).toEqual([[], [], [], [], [], ['break_reminder'], []]);
    // a gap ≥ 10 min is a break: the timer restarts
    fakeNow = new Date(t0.getTime() + 45 * MIN);
    expect((await gate(me)).body.wellbeing?.prompts ?? []).toEqual([]);
    await settings(me, { break_interval_minutes: 10, mindfulness_breaks: true, mood_checkins_enabled: false });
    fakeNow = new Date(t0.getTime() + 50 * MIN);
    expect((await gate(me)).body.wellbeing?.prompts ?? []).toEqual([]);
    fakeNow = new Date(t0.getTime() + 55 * MIN);
    expect((await gate(me)).body.wellbeing.prompts).toEqual(['mindful_break']);
  });

  it('mood_checkin: at most once per local day, only without a mood entry today', async () => {
    const me = await createUser(ctx);
    await settings(me, {});
    fakeNow = new Date(Date.UTC(2026, 0, 21, 9, 0, 0));
    expect((await gate(me)).body.wellbeing.prompts).toEqual(['mood_checkin']);
    fakeNow = new Date(Date.UTC(2026, 0, 21, 9, 1, 0));
    expect((await gate(me)).body.wellbeing?.prompts ?? []).toEqual([]);
    const other = await createUser(ctx);
    await settings(other, {});
    await createMoodEntry(ctx, { userId: other.user.id, entryDate: '2026-01-21' });
    fakeNow = new Date(Date.UTC(2026, 0, 21, 9, 0, 0));
    expect((await gate(other)).body.wellbeing?.prompts ?? []).toEqual([]);
  });

  it('overuse_streak: first activity of a day after N days over the daily limit', async () => {
    const me = await createUser(ctx);
    await settings(me, { daily_minutes_limit: 15, overuse_streak_days: 2, mood_checkins_enabled: false });
    const repo = ctx.ds.getRepository(WellbeingUsageDay);
    for (const d of ['2026-01-20', '2026-01-21']) {
      await repo.save(repo.create({ userId: me.user.id, usageDate: d, activeSeconds: 3600, overDailyLimit: true }));
    }
    fakeNow = new Date(Date.UTC(2026, 0, 22, 9, 0, 0));
    const r = await gate(me);
    expect(r.body.wellbeing.interventions).toEqual([
      expect.objectContaining({ kind: 'overuse_streak', local_date: '2026-01-22', details: expect.any(Object) }),
    ]);
  });

  it('AC9: a high phrase → accepted with X-Wellbeing-Notice; GB resources or worldwide, emergency first', async () => {
    const me = await createUser(ctx);
    await settings(me, { support_country: 'GB' });
    const r = await gate(me, { text: `Honestly ${HIGH_PHRASE.toUpperCase()}.` });
    expect(r.status).toBe(201);
    expect(r.headers['x-wellbeing-notice']).toBe('crisis_support');
    const notice = r.body.wellbeing.notice;
    expect(notice).toMatchObject({ kind: 'crisis_support', severity: 'high', region_used: 'GB', language_used: 'en' });
    const titles = notice.resources.map((x: { title: string }) => x.title);
    expect(titles[0]).toBe('GB emergency');
    expect(titles).not.toContain('US line');
    expect(titles).toEqual(expect.arrayContaining(['GB line', 'World line']));
    expect(notice.message).toMatch(/emergency services/);
  });

  it('AC9: users without settings get the notice too (Accept-Language picks the region)', async () => {
    const me = await createUser(ctx);
    const out = await ctx.ds.transaction((em) =>
      ctx.app.get(WellbeingGate).evaluate(em, actorOf(me), {
        action: 'send',
        text: HIGH_PHRASE,
        conversationId: randomUUID(),
        requestId: randomUUID(),
        acceptLanguage: 'en-GB,en;q=0.8',
      }),
    );
    expect(out.headers).toEqual({ 'X-Wellbeing-Notice': 'crisis_support' });
    expect(out.wellbeing).toMatchObject({
      warnings: [],
      prompts: [],
      interventions: [],
      notice: { region_used: 'GB' },
    });
  });

  it('AC10: the same category again within 30 min in the same conversation → no second notice', async () => {
    const me = await createUser(ctx);
    const conversationId = randomUUID();
    const t0 = new Date();
    fakeNow = t0;
    expect((await gate(me, { text: HIGH_PHRASE, conversationId })).headers['x-wellbeing-notice']).toBe(
      'crisis_support',
    );
    fakeNow = new Date(t0.getTime() + 29 * MIN);
    const again = await gate(me, { text: HIGH_PHRASE, conversationId });
    expect(again.headers['x-wellbeing-notice']).toBeUndefined();
    expect(again.body.wellbeing?.notice ?? null).toBeNull();
    // another conversation is not in the cooldown
    expect((await gate(me, { text: HIGH_PHRASE })).headers['x-wellbeing-notice']).toBe('crisis_support');
    fakeNow = new Date(t0.getTime() + 31 * MIN);
    expect((await gate(me, { text: HIGH_PHRASE, conversationId })).headers['x-wellbeing-notice']).toBe(
      'crisis_support',
    );
  });

  it('crisis_notices high_only suppresses elevated matches but never high ones', async () => {
    const me = await createUser(ctx);
    await settings(me, { crisis_notices: 'high_only' });
    expect((await gate(me, { text: ELEVATED_PHRASE })).headers['x-wellbeing-notice']).toBeUndefined();
    expect((await gate(me, { text: HIGH_PHRASE })).headers['x-wellbeing-notice']).toBe('crisis_support');
  });

  it('AC11: a hard-limited user sending a crisis phrase → the 429 body still carries wellbeing.notice', async () => {
    const me = await createUser(ctx);
    await settings(me, { enforcement: 'block', daily_messages_limit: 10, support_country: 'GB' });
    for (let i = 0; i < 10; i += 1) await gate(me);
    const r = await gate(me, { text: HIGH_PHRASE });
    expect(r.status).toBe(429);
    expect(r.headers['x-wellbeing-notice']).toBe('crisis_support');
    expect(r.body.wellbeing.notice).toMatchObject({ kind: 'crisis_support', severity: 'high' });
    expect(r.body.wellbeing.notice.resources.length).toBeGreaterThan(0);
  });

  it('crisis_notice_shown is recorded without a user id (also for a refused request)', async () => {
    const me = await createUser(ctx);
    const requestId = randomUUID();
    await ctx.ds.transaction((em) =>
      ctx.app.get(WellbeingGate).evaluate(em, actorOf(me), {
        action: 'send',
        text: HIGH_PHRASE,
        conversationId: randomUUID(),
        requestId,
      }),
    );
    const [event] = (await ctx.ds.query(
      `SELECT actor_user_id, actor_key, properties FROM analytics_events WHERE idempotency_key = $1`,
      [`crisis:${requestId}`],
    )) as { actor_user_id: string | null; actor_key: string; properties: Record<string, unknown> }[];
    expect(event).toEqual({
      actor_user_id: null,
      actor_key: 'system',
      properties: { category: 'suicide_prevention', severity: 'high', country: null },
    });

    const limited = await createUser(ctx);
    await settings(limited, { enforcement: 'block', daily_messages_limit: 10 });
    for (let i = 0; i < 10; i += 1) await gate(limited);
    const refusedId = randomUUID();
    await expect(
      ctx.ds.transaction((em) =>
        ctx.app.get(WellbeingGate).evaluate(em, actorOf(limited), {
          action: 'send',
          text: HIGH_PHRASE,
          conversationId: randomUUID(),
          requestId: refusedId,
        }),
      ),
    ).rejects.toMatchObject({ status: 429 });
    await new Promise((r) => setTimeout(r, 300));
    const refused = (await ctx.ds.query(`SELECT actor_user_id FROM analytics_events WHERE idempotency_key = $1`, [
      `crisis:${refusedId}`,
    ])) as unknown[];
    expect(refused).toEqual([{ actor_user_id: null }]);
  });

  it('scanEdit: the notice only, nothing counted', async () => {
    const me = await createUser(ctx);
    await settings(me, { enforcement: 'block', daily_messages_limit: 10 });
    const out = await ctx.ds.transaction((em) =>
      ctx.app.get(WellbeingGate).scanEdit(em, actorOf(me), {
        text: HIGH_PHRASE,
        conversationId: randomUUID(),
        requestId: randomUUID(),
      }),
    );
    expect(out.headers['X-Wellbeing-Notice']).toBe('crisis_support');
    expect(await usage(me.user.id)).toEqual([]);
  });

  it('logs contain neither the crisis text nor self-moderation numbers', async () => {
    const me = await createUser(ctx);
    await settings(me, { enforcement: 'block', daily_messages_limit: 10, timezone: 'Pacific/Chatham' });
    const before = ctx.logs().length;
    for (let i = 0; i < 11; i += 1) await gate(me, { text: `${HIGH_PHRASE} ${i}` });
    const logs = ctx.logs().slice(before).join('\n');
    for (const text of [HIGH_PHRASE, 'disappear', 'Pacific/Chatham', 'WELLBEING_LIMIT_REACHED', 'suicide_prevention']) {
      expect(logs).not.toContain(text);
    }
  });
});
