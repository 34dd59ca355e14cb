import request from 'supertest';
import { UserRole } from '../../src/common/auth/actor.js';
import { User } from '../../src/modules/identity/entities/user.entity.js';
import { CrisisResource } from '../../src/modules/wellbeing/crisis/entities/crisis-resource.entity.js';
import { CrisisVerification } from '../../src/modules/wellbeing/crisis/entities/crisis.enums.js';
import { SelfModerationSettings } from '../../src/modules/wellbeing/self-moderation/entities/self-moderation-settings.entity.js';
import { WellbeingInterventionKind } from '../../src/modules/wellbeing/self-moderation/entities/self-moderation.enums.js';
import { WellbeingIntervention } from '../../src/modules/wellbeing/self-moderation/entities/wellbeing-intervention.entity.js';
import { WellbeingUsageDay } from '../../src/modules/wellbeing/self-moderation/entities/wellbeing-usage-day.entity.js';
import { InterventionsService } from '../../src/modules/wellbeing/self-moderation/interventions.service.js';
import { addDays, localDay } from '../../src/modules/wellbeing/self-moderation/usage-time.js';
import { WellbeingClock } from '../../src/modules/wellbeing/self-moderation/wellbeing-clock.js';
import { createCrisisResource } from '../factories/crisis.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

const BASE = '/api/v1/wellbeing';
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

let ctx: TestApp;
/** The clock self-moderation reasons with; null = real time. */
let fakeNow: Date | null = null;
beforeAll(async () => {
  ctx = await createTestApp();
  const clock = ctx.app.get(WellbeingClock);
  jest.spyOn(clock, 'now').mockImplementation(() => fakeNow ?? new Date());
});
afterEach(() => {
  fakeNow = null;
});
afterAll(() => ctx?.close());

const get = (who: TestUser, path: string) =>
  request(ctx.http).get(`${BASE}${path}`).auth(who.token, { type: 'bearer' });
const put = (who: TestUser, body: object) =>
  request(ctx.http).put(`${BASE}/settings`).auth(who.token, { type: 'bearer' }).send(body);
const heartbeat = (who: TestUser) =>
  request(ctx.http).post(`${BASE}/heartbeat`).auth(who.token, { type: 'bearer' }).send();
const checkIn = (who: TestUser, body: object) =>
  request(ctx.http).post(`${BASE}/check-in`).auth(who.token, { type: 'bearer' }).send(body);
const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);
const usageRows = (userId: string) =>
  ctx.ds.getRepository(WellbeingUsageDay).find({ where: { userId }, order: { usageDate: 'ASC' } });

describe('settings (wellbeing.md §2.1, §2.3)', () => {
  it('401 without a token on every self-moderation route', async () => {
    await request(ctx.http).get(`${BASE}/settings`).expect(401);
    await request(ctx.http).put(`${BASE}/settings`).send({}).expect(401);
    await request(ctx.http).delete(`${BASE}/settings/pending`).expect(401);
    await request(ctx.http).get(`${BASE}/status`).expect(401);
    await request(ctx.http).get(`${BASE}/usage`).expect(401);
    await request(ctx.http).post(`${BASE}/heartbeat`).expect(401);
    await request(ctx.http).post(`${BASE}/check-in`).send({}).expect(401);
    await request(ctx.http).get(`${BASE}/interventions`).expect(401);
  });

  it('without a row: defaults with is_configured false; status says is_configured false; nothing is counted', async () => {
    const me = await createUser(ctx);
    const res = await get(me, '/settings').expect(200);
    expect(res.body).toMatchObject({
      is_configured: false,
      is_active: true,
      timezone: 'UTC',
      enforcement: 'warn',
      warn_at_percent: 80,
      daily_minutes_limit: null,
      break_interval_minutes: 25,
      quiet_hours_start: 22,
      quiet_hours_end: 8,
      overuse_streak_days: 2,
      crisis_notices: 'all',
      pending_changes: null,
      pending_fields: [],
    });
    const status = await get(me, '/status').expect(200);
    expect(status.body).toMatchObject({ is_configured: false, limits: [], interventions: [], healthy_day_streak: 0 });
    const hb = await heartbeat(me).expect(204);
    expect(Object.keys(hb.headers).filter((h) => h.startsWith('x-wellbeing'))).toEqual([]);
    expect(await usageRows(me.user.id)).toEqual([]);
    expect(await ctx.ds.getRepository(SelfModerationSettings).countBy({ userId: me.user.id })).toBe(0);
  });

  it('PUT creates the row (omitted fields take defaults) and replaces it', async () => {
    const me = await createUser(ctx);
    const created = await put(me, {
      timezone: 'Europe/Berlin',
      daily_messages_limit: 100,
      quiet_hours_enabled: true,
      support_country: 'US',
      support_subdivision: 'US-CA',
      support_language: 'en-US',
    }).expect(200);
    expect(created.body).toMatchObject({
      is_configured: true,
      timezone: 'Europe/Berlin',
      daily_messages_limit: 100,
      quiet_hours_enabled: true,
      support_subdivision: 'US-CA',
      enforcement: 'warn',
    });
    const replaced = await put(me, { daily_minutes_limit: 60 }).expect(200);
    expect(replaced.body).toMatchObject({
      timezone: 'UTC',
      daily_messages_limit: null,
      daily_minutes_limit: 60,
      quiet_hours_enabled: false,
    });
    expect(await ctx.ds.getRepository(SelfModerationSettings).countBy({ userId: me.user.id })).toBe(1);
  });

  it('400 with the failing fields: ranges, enums, zones, nulls, start = end, subdivision, unknown fields', async () => {
    const me = await createUser(ctx);
    const bad = await put(me, {
      daily_minutes_limit: 10,
      weekly_minutes_limit: 4000,
      daily_messages_limit: 5,
      session_minutes_limit: 5,
      warn_at_percent: 40,
      break_interval_minutes: 5,
      quiet_hours_start: 24,
      overuse_streak_days: 8,
      enforcement: 'lock',
      timezone: 'Mars/Olympus',
      support_country: 'gb',
      is_active: null,
    }).expect(400);
    expect(fields(bad.body)).toEqual(
      expect.arrayContaining([
        'daily_minutes_limit',
        'weekly_minutes_limit',
        'daily_messages_limit',
        'session_minutes_limit',
        'warn_at_percent',
        'break_interval_minutes',
        'quiet_hours_start',
        'overuse_streak_days',
        'enforcement',
        'timezone',
        'support_country',
        'is_active',
      ]),
    );
    const same = await put(me, { quiet_hours_start: 8, quiet_hours_end: 8 }).expect(400);
    expect(fields(same.body)).toContain('quiet_hours_end');
    const sub = await put(me, { support_country: 'GB', support_subdivision: 'US-CA' }).expect(400);
    expect(fields(sub.body)).toContain('support_subdivision');
    await put(me, { user_id: me.user.id }).expect(400);
    await put(me, { session_started_at: new Date().toISOString() }).expect(400);
    expect(await ctx.ds.getRepository(SelfModerationSettings).countBy({ userId: me.user.id })).toBe(0);
  });

  it('AC5: in block mode raising a limit waits 24 h (pending), tightening applies at once; due changes apply lazily', async () => {
    const me = await createUser(ctx);
    const t0 = new Date();
    fakeNow = t0;
    await put(me, { enforcement: 'block', daily_messages_limit: 50 }).expect(200);
    const raised = await put(me, { enforcement: 'block', daily_messages_limit: 100 }).expect(200);
    expect(raised.body).toMatchObject({
      daily_messages_limit: 50,
      pending_fields: ['daily_messages_limit'],
      pending_changes: { daily_messages_limit: 100 },
    });
    expect(new Date(raised.body.pending_apply_at).getTime()).toBe(t0.getTime() + DAY);

    // Tightening another limit in the same PUT applies at once, the loosening stays pending with its time.
    fakeNow = new Date(t0.getTime() + HOUR);
    const mixed = await put(me, { enforcement: 'block', daily_messages_limit: 100, daily_minutes_limit: 120 }).expect(
      200,
    );
    expect(mixed.body).toMatchObject({ daily_minutes_limit: 120, daily_messages_limit: 50 });
    expect(new Date(mixed.body.pending_apply_at).getTime()).toBe(t0.getTime() + DAY);

    // Switching to warn and deactivating are loosening too.
    const warn = await put(me, {
      enforcement: 'warn',
      is_active: false,
      daily_messages_limit: 50,
      daily_minutes_limit: 120,
    });
    expect(warn.body).toMatchObject({ enforcement: 'block', is_active: true });
    expect(warn.body.pending_fields.sort()).toEqual(['enforcement', 'is_active']);

    // Tightening: lower the limit → at once, and no pending left.
    const tight = await put(me, { enforcement: 'block', daily_messages_limit: 20, daily_minutes_limit: 120 }).expect(
      200,
    );
    expect(tight.body).toMatchObject({ daily_messages_limit: 20, pending_changes: null, pending_apply_at: null });

    // A raise, then 24 h later: applied at the next read.
    fakeNow = new Date(t0.getTime() + 2 * HOUR);
    await put(me, { enforcement: 'block', daily_messages_limit: 40, daily_minutes_limit: 120 }).expect(200);
    fakeNow = new Date(t0.getTime() + 2 * HOUR + DAY - MIN);
    expect((await get(me, '/settings').expect(200)).body.daily_messages_limit).toBe(20);
    fakeNow = new Date(t0.getTime() + 2 * HOUR + DAY);
    const applied = await get(me, '/settings').expect(200);
    expect(applied.body).toMatchObject({ daily_messages_limit: 40, pending_changes: null, pending_fields: [] });
    const row = await ctx.ds.getRepository(SelfModerationSettings).findOneByOrFail({ userId: me.user.id });
    expect(row).toMatchObject({ dailyMessagesLimit: 40, pendingChanges: null, pendingApplyAt: null });
  });

  it('DELETE /settings/pending cancels a waiting loosening; in warn mode every change applies at once', async () => {
    const me = await createUser(ctx);
    await put(me, { enforcement: 'block', quiet_hours_enabled: true }).expect(200);
    const narrowed = await put(me, { enforcement: 'block', quiet_hours_enabled: true, quiet_hours_start: 23 });
    expect(narrowed.body.pending_fields.sort()).toEqual([
      'quiet_hours_enabled',
      'quiet_hours_end',
      'quiet_hours_start',
    ]);
    const widened = await put(me, {
      enforcement: 'block',
      quiet_hours_enabled: true,
      quiet_hours_start: 21,
      quiet_hours_end: 9,
    }).expect(200);
    expect(widened.body).toMatchObject({ quiet_hours_start: 21, quiet_hours_end: 9, pending_fields: [] });
    await put(me, { enforcement: 'block', quiet_hours_enabled: false }).expect(200);
    await request(ctx.http).delete(`${BASE}/settings/pending`).auth(me.token, { type: 'bearer' }).expect(204);
    const after = await get(me, '/settings').expect(200);
    expect(after.body).toMatchObject({ quiet_hours_enabled: true, pending_changes: null });
    await request(ctx.http).delete(`${BASE}/settings/pending`).auth(me.token, { type: 'bearer' }).expect(204);

    const soft = await createUser(ctx);
    await put(soft, { daily_messages_limit: 10 }).expect(200);
    const raised = await put(soft, { daily_messages_limit: 5000, warn_at_percent: 100 }).expect(200);
    expect(raised.body).toMatchObject({ daily_messages_limit: 5000, warn_at_percent: 100, pending_fields: [] });
  });

  it('staff have no access to anyone’s settings: an admin reads only their own defaults', async () => {
    const me = await createUser(ctx);
    await put(me, { daily_minutes_limit: 30 }).expect(200);
    const admin = await createUser(ctx, { role: UserRole.Admin });
    const res = await get(admin, '/settings').expect(200);
    expect(res.body).toMatchObject({ is_configured: false, daily_minutes_limit: null });
    const status = await get(admin, '/status').expect(200);
    expect(status.body.is_configured).toBe(false);
    expect((await get(admin, '/interventions').expect(200)).body.items).toEqual([]);
  });
});

describe('heartbeats and usage counting (§3.1, AC7)', () => {
  it('AC7: six heartbeats 60 s apart → 360 s; after a 12-min gap a new session starts; ≤ 1 per 30 s', async () => {
    const me = await createUser(ctx);
    await put(me, { timezone: 'UTC' }).expect(200);
    const t0 = new Date(Date.UTC(2026, 0, 7, 12, 0, 0)); // a Wednesday, 12:00 UTC
    for (let i = 0; i < 6; i += 1) {
      fakeNow = new Date(t0.getTime() + i * MIN);
      await heartbeat(me).expect(204);
    }
    let [day] = await usageRows(me.user.id);
    expect(day).toMatchObject({ usageDate: '2026-01-07', activeSeconds: 360, sessionsStarted: 1, messagesSent: 0 });

    fakeNow = new Date(t0.getTime() + 5 * MIN + 20_000);
    const tooSoon = await heartbeat(me).expect(429);
    expect(tooSoon.body.code).toBe('WELLBEING_HEARTBEAT_TOO_FREQUENT');
    expect(Number(tooSoon.headers['retry-after'])).toBeGreaterThanOrEqual(1);

    fakeNow = new Date(t0.getTime() + 5 * MIN + 12 * MIN);
    await heartbeat(me).expect(204);
    [day] = await usageRows(me.user.id);
    expect(day).toMatchObject({ activeSeconds: 420, sessionsStarted: 2 });
    const settings = await ctx.ds.getRepository(SelfModerationSettings).findOneByOrFail({ userId: me.user.id });
    expect(settings.sessionStartedAt?.getTime()).toBe(fakeNow.getTime());

    const usage = await get(me, '/usage').query({ from: '2026-01-01', to: '2026-01-31' }).expect(200);
    expect(usage.body).toMatchObject({
      timezone: 'UTC',
      items: [{ usage_date: '2026-01-07', active_seconds: 420, active_minutes: 7, sessions_started: 2 }],
    });
    await get(me, '/usage').query({ from: '2026-02-01', to: '2026-01-01' }).expect(400);
    await get(me, '/usage').query({ from: '2024-01-01', to: '2026-01-01' }).expect(400);
  });

  it('a session crossing local midnight credits the new day; counters use the user’s local day', async () => {
    const me = await createUser(ctx);
    await put(me, { timezone: 'Asia/Tokyo' }).expect(200); // UTC+9
    const beforeMidnight = new Date(Date.UTC(2026, 0, 7, 14, 59, 0)); // 23:59 Tokyo
    fakeNow = beforeMidnight;
    await heartbeat(me).expect(204);
    fakeNow = new Date(beforeMidnight.getTime() + 2 * MIN); // 00:01 on the 8th
    await heartbeat(me).expect(204);
    const rows = await usageRows(me.user.id);
    expect(rows.map((r) => [r.usageDate, r.activeSeconds])).toEqual([
      ['2026-01-07', 60],
      ['2026-01-08', 120],
    ]);
  });

  it('changing settings never resets counters; an inactive row counts nothing', async () => {
    const me = await createUser(ctx);
    await put(me, {}).expect(200);
    fakeNow = new Date(Date.UTC(2026, 0, 7, 10));
    await heartbeat(me).expect(204);
    await put(me, { daily_minutes_limit: 30 }).expect(200);
    expect((await usageRows(me.user.id))[0].activeSeconds).toBe(60);
    await put(me, { is_active: false }).expect(200);
    fakeNow = new Date(Date.UTC(2026, 0, 7, 10, 5));
    await heartbeat(me).expect(204);
    expect((await usageRows(me.user.id))[0].activeSeconds).toBe(60);
  });
});

describe('status, interventions and check-ins (§2.3)', () => {
  it('soft daily limit: heartbeats raise daily_limit_exceeded once; status shows it; check-in acknowledges', async () => {
    const me = await createUser(ctx);
    await put(me, { daily_minutes_limit: 15, warn_at_percent: 50 }).expect(200);
    const t0 = new Date(Date.UTC(2026, 0, 14, 9, 0, 0));
    let last: request.Response | undefined;
    for (let i = 0; i <= 16; i += 1) {
      fakeNow = new Date(t0.getTime() + i * MIN);
      last = await heartbeat(me).expect(204);
    }
    expect(last!.headers['x-wellbeing-warning']).toBe(
      'daily_minutes; state=reached; used=17; limit=15; resets=2026-01-15T00:00:00+00:00',
    );
    const status = await get(me, '/status').expect(200);
    expect(status.body).toMatchObject({
      is_configured: true,
      local_date: '2026-01-14',
      limits: [
        {
          limit: 'daily_minutes',
          state: 'reached',
          used: 17,
          limit_value: 15,
          remaining: 0,
          resets_at: '2026-01-15T00:00:00+00:00',
        },
      ],
      session: { active: true, length_minutes: 16 },
      interventions: [{ kind: 'daily_limit_exceeded', local_date: '2026-01-14' }],
    });
    const list = await get(me, '/interventions').expect(200);
    expect(list.body.items).toHaveLength(1);
    const id = list.body.items[0].id as string;
    expect(list.body.items[0]).toMatchObject({
      kind: 'daily_limit_exceeded',
      details: { used_minutes: 15, limit_minutes: 15 },
      delivered_at: null,
      acknowledged_at: null,
    });

    const stranger = await createUser(ctx);
    await checkIn(stranger, { acknowledge: [id] }).expect(404);
    const admin = await createUser(ctx, { role: UserRole.Admin });
    await checkIn(admin, { acknowledge: [id] }).expect(404);
    await checkIn(me, { acknowledge: ['not-a-uuid'] }).expect(400);
    await checkIn(me, { acknowledge: [id], extra: 1 }).expect(400);

    fakeNow = new Date(t0.getTime() + 20 * MIN);
    const ok = await checkIn(me, { acknowledge: [id], break_taken: true }).expect(200);
    expect(ok.body).toMatchObject({ acknowledged: [id] });
    expect(new Date(ok.body.last_checkin_at).getTime()).toBe(fakeNow.getTime());
    const row = await ctx.ds.getRepository(WellbeingIntervention).findOneByOrFail({ id });
    expect(row.acknowledgedAt?.getTime()).toBe(fakeNow.getTime());
    const list2 = await get(me, '/interventions').query({ from: '2026-01-14', to: '2026-01-14' }).expect(200);
    expect(list2.body.items[0].acknowledged_at).not.toBeNull();
    expect((await get(me, '/interventions').query({ from: '2026-01-15' }).expect(200)).body.items).toEqual([]);
  });

  it('healthy_day_streak counts past active days not over the limit; idle days neither break nor extend it', async () => {
    const me = await createUser(ctx);
    await put(me, { daily_minutes_limit: 60 }).expect(200);
    const today = localDay(new Date(), 'UTC');
    const repo = ctx.ds.getRepository(WellbeingUsageDay);
    const day = (offset: number, over: boolean, active = 600) =>
      repo.save(
        repo.create({
          userId: me.user.id,
          usageDate: addDays(today, offset),
          activeSeconds: active,
          overDailyLimit: over,
        }),
      );
    await day(-6, false);
    await day(-5, true);
    await day(-4, false);
    await day(-3, false, 0); // a row without activity
    await day(-2, false);
    // -1: no row at all
    const status = await get(me, '/status').expect(200);
    expect(status.body.healthy_day_streak).toBe(2);
  });

  it('InterventionsService.record (mood_decline): needs active settings + notify flag, at most once per 7 days', async () => {
    const svc = ctx.app.get(InterventionsService);
    const me = await createUser(ctx);
    const record = (localDate: string) =>
      ctx.ds.transaction((em) =>
        svc.record(em, {
          userId: me.user.id,
          type: WellbeingInterventionKind.MoodDecline,
          localDate,
          details: { change_7d: -0.8 },
        }),
      );
    expect(await record('2026-02-01')).toBeNull(); // no settings
    await put(me, { notify_mood_decline: false }).expect(200);
    expect(await record('2026-02-01')).toBeNull();
    await put(me, {}).expect(200);
    expect(await record('2026-02-01')).toMatchObject({ kind: 'mood_decline', localDate: '2026-02-01' });
    expect(await record('2026-02-05')).toBeNull();
    expect(await record('2026-02-08')).not.toBeNull();
    const list = await get(me, '/interventions').expect(200);
    expect(list.body.items.map((i: { local_date: string }) => i.local_date)).toEqual(['2026-02-08', '2026-02-01']);
  });

  it('deleting the user removes settings, usage and interventions', async () => {
    const me = await createUser(ctx);
    await put(me, { daily_minutes_limit: 15 }).expect(200);
    await heartbeat(me).expect(204);
    await ctx.ds.getRepository(User).delete({ id: me.user.id });
    expect(await ctx.ds.getRepository(SelfModerationSettings).countBy({ userId: me.user.id })).toBe(0);
    expect(await usageRows(me.user.id)).toEqual([]);
  });
});

describe('crisis resources for me (§4.3 region and language)', () => {
  it('the settings’ support_* fields win over Accept-Language', async () => {
    const gb = await createCrisisResource(ctx, { title: 'For-me GB line', isWorldwide: false }, ['GB-SCT']);
    const me = await createUser(ctx);
    await put(me, { support_country: 'GB', support_subdivision: 'GB-SCT', support_language: 'en' }).expect(200);
    const res = await get(me, '/crisis-resources/for-me').set('Accept-Language', 'de-DE').expect(200);
    expect(res.body).toMatchObject({ region_used: 'GB-SCT', language_used: 'en' });
    expect(res.body.items.map((r: { id: string }) => r.id)).toContain(gb.id);
  });
});

describe('nightly jobs (analytics.md §3.2): idempotent, run twice through the queue', () => {
  it('wellbeing.usage-prune deletes usage days older than 400 days', async () => {
    const me = await createUser(ctx);
    const repo = ctx.ds.getRepository(WellbeingUsageDay);
    const today = new Date().toISOString().slice(0, 10);
    for (const offset of [-401, -400, -399, -1]) {
      await repo.save(repo.create({ userId: me.user.id, usageDate: addDays(today, offset), activeSeconds: 60 }));
    }
    for (let run = 0; run < 2; run += 1) {
      await ctx.jobs.enqueue('wellbeing.usage-prune', {});
      await ctx.jobs.drain();
      expect((await usageRows(me.user.id)).map((r) => r.usageDate)).toEqual([
        addDays(today, -400),
        addDays(today, -399),
        addDays(today, -1),
      ]);
    }
  });

  it('crisis.verification-expiry: verified > 180 days → needs_update; needs_update > 365 days → expired', async () => {
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    const fresh = await createCrisisResource(ctx, { verifiedAt: ago(10) });
    const stale = await createCrisisResource(ctx, { verifiedAt: ago(181) });
    const old = await createCrisisResource(ctx, {
      verificationStatus: CrisisVerification.NeedsUpdate,
      verifiedAt: ago(366),
    });
    const aging = await createCrisisResource(ctx, {
      verificationStatus: CrisisVerification.NeedsUpdate,
      verifiedAt: ago(200),
    });
    const pending = await createCrisisResource(ctx, {
      verificationStatus: CrisisVerification.Pending,
      verifiedAt: null,
    });
    const statusOf = async (r: CrisisResource) =>
      (await ctx.ds.getRepository(CrisisResource).findOneByOrFail({ id: r.id })).verificationStatus;
    for (let run = 0; run < 2; run += 1) {
      await ctx.jobs.enqueue('crisis.verification-expiry', {});
      await ctx.jobs.drain();
      expect(await statusOf(fresh)).toBe('verified');
      expect(await statusOf(stale)).toBe('needs_update');
      expect(await statusOf(old)).toBe('expired');
      expect(await statusOf(aging)).toBe('needs_update');
      expect(await statusOf(pending)).toBe('pending');
    }
    // verified_at is only changed by the verify action
    const row = await ctx.ds.getRepository(CrisisResource).findOneByOrFail({ id: stale.id });
    expect(row.verifiedAt?.getTime()).toBe(stale.verifiedAt?.getTime());
  });
});

describe('privacy: logs carry no self-moderation data', () => {
  it('settings values, time zones and intervention details never reach the log', async () => {
    const me = await createUser(ctx);
    const before = ctx.logs().length;
    await put(me, {
      timezone: 'Pacific/Chatham',
      daily_minutes_limit: 437,
      support_country: 'NZ',
      support_language: 'mi-NZ',
    }).expect(200);
    await heartbeat(me).expect(204);
    await get(me, '/status').expect(200);
    await get(me, '/usage').expect(200);
    await put(me, { daily_minutes_limit: 0 }).expect(400);
    const logs = ctx.logs().slice(before).join('\n');
    expect(logs).toContain('/wellbeing/settings'); // the requests were logged …
    for (const text of ['Pacific/Chatham', 'mi-NZ', 'daily_minutes_limit', 'active_seconds', 'is_configured']) {
      expect(logs).not.toContain(text);
    }
  });
});
