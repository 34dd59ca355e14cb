import request from 'supertest';
import { UserRole } from '../../src/common/auth/actor.js';
import { MoodEntry } from '../../src/modules/wellbeing/entities/mood-entry.entity.js';
import { localDate } from '../../src/modules/wellbeing/mood-dates.js';
import { createMoodEntry } from '../factories/mood.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

let ctx: TestApp;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx?.close());

const BASE = '/api/v1/wellbeing/moods';
const DAY = 86_400_000;
const MISSING = '00000000-0000-4000-8000-000000000000';

const post = (who: TestUser, body: object) =>
  request(ctx.http).post(BASE).auth(who.token, { type: 'bearer' }).send(body);
const patch = (who: TestUser, id: string, body: object) =>
  request(ctx.http).patch(`${BASE}/${id}`).auth(who.token, { type: 'bearer' }).send(body);
const get = (who: TestUser, path: string) =>
  request(ctx.http).get(`${BASE}${path}`).auth(who.token, { type: 'bearer' });
const del = (who: TestUser, id: string) =>
  request(ctx.http).delete(`${BASE}/${id}`).auth(who.token, { type: 'bearer' });
const fields = (body: { errors?: { field: string }[] }) => (body.errors ?? []).map((e) => e.field);

describe('mood entries: create (wellbeing.md §1)', () => {
  it('AC1: {mood:"happy"} → 201 with score 4, entry_date today (UTC by default), owner = caller', async () => {
    const me = await createUser(ctx);
    const res = await post(me, { mood: 'happy' }).expect(201);
    expect(res.body).toMatchObject({
      mood: 'happy',
      score: 4,
      user_id: me.user.id,
      entry_date: localDate(new Date(), 'UTC'),
      intensity: null,
      energy: null,
      emotions: [],
      triggers: [],
      note: null,
      source: 'manual',
    });
    expect(Math.abs(new Date(res.body.recorded_at).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('AC1: entry_date is today in the caller’s time zone', async () => {
    const me = await createUser(ctx);
    for (const tz of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kolkata']) {
      const res = await post(me, { mood: 'content', timezone: tz }).expect(201);
      expect(res.body.entry_date).toBe(localDate(new Date(), tz));
    }
  });

  it('stores every field; score may be overridden; triggers are trimmed, lower-cased and de-duplicated', async () => {
    const me = await createUser(ctx);
    const res = await post(me, {
      mood: 'anxious',
      score: 3,
      intensity: 5,
      energy: 1,
      emotions: ['stressed', 'tired', 'stressed'],
      triggers: ['  Work ', 'work', 'SLEEP'],
      note: 'Long day.',
      source: 'checkin_prompt',
    }).expect(201);
    expect(res.body).toMatchObject({
      mood: 'anxious',
      score: 3,
      intensity: 5,
      energy: 1,
      emotions: ['stressed', 'tired'],
      triggers: ['work', 'sleep'],
      note: 'Long day.',
      source: 'checkin_prompt',
    });
    const row = await ctx.ds.getRepository(MoodEntry).findOneByOrFail({ id: res.body.id });
    expect(row.userId).toBe(me.user.id);
  });

  it.each([
    ['very_happy', 5],
    ['excited', 4],
    ['neutral', 3],
    ['angry', 2],
    ['very_sad', 1],
  ])('derives the default score of %s as %i', async (mood, score) => {
    const me = await createUser(ctx);
    await post(me, { mood })
      .expect(201)
      .expect(({ body }) => expect(body.score).toBe(score));
  });

  it('AC2: a user_id in the body → 400 (unknown field)', async () => {
    const [me, other] = [await createUser(ctx), await createUser(ctx)];
    const res = await post(me, { mood: 'happy', user_id: other.user.id }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(fields(res.body)).toContain('user_id');
    expect(await ctx.ds.getRepository(MoodEntry).countBy({ userId: other.user.id })).toBe(0);
  });

  it('AC4: score 6, an unknown emotion, or 9 emotions → 400 with per-field errors', async () => {
    const me = await createUser(ctx);
    const nine = ['joyful', 'grateful', 'calm', 'hopeful', 'proud', 'loved', 'relaxed', 'excited', 'tired'];
    for (const [body, field] of [
      [{ mood: 'happy', score: 6 }, 'score'],
      [{ mood: 'happy', emotions: ['ecstatic'] }, 'emotions'],
      [{ mood: 'happy', emotions: nine }, 'emotions'],
    ] as const) {
      const res = await post(me, body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fields(res.body)).toEqual([field]);
    }
    const all = await post(me, { mood: 'happy', score: 6, emotions: ['ecstatic'] }).expect(400);
    expect(new Set(fields(all.body))).toEqual(new Set(['score', 'emotions']));
  });

  it('400 for every other bad field', async () => {
    const me = await createUser(ctx);
    const cases: [object, string][] = [
      [{}, 'mood'],
      [{ mood: 'elated' }, 'mood'],
      [{ mood: 'happy', score: 0 }, 'score'],
      [{ mood: 'happy', score: 2.5 }, 'score'],
      [{ mood: 'happy', intensity: 6 }, 'intensity'],
      [{ mood: 'happy', energy: 0 }, 'energy'],
      [{ mood: 'happy', triggers: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 'triggers'],
      [{ mood: 'happy', triggers: ['x'.repeat(41)] }, 'triggers'],
      [{ mood: 'happy', triggers: ['   '] }, 'triggers'],
      [{ mood: 'happy', triggers: 'work' }, 'triggers'],
      [{ mood: 'happy', note: 'x'.repeat(2001) }, 'note'],
      [{ mood: 'happy', source: 'import' }, 'source'],
      [{ mood: 'happy', timezone: 'Mars/Olympus' }, 'timezone'],
      [{ mood: 'happy', recorded_at: 'yesterday-ish' }, 'recorded_at'],
      [{ mood: 'happy', recorded_at: new Date(Date.now() + 10 * 60_000).toISOString() }, 'recorded_at'],
    ];
    for (const [body, field] of cases) {
      const res = await post(me, body).expect(400);
      expect(fields(res.body)).toContain(field);
    }
    expect(await ctx.ds.getRepository(MoodEntry).countBy({ userId: me.user.id })).toBe(0);
  });

  it('AC5: recorded_at 40 days ago → 400; 2 days ago → 201 with that local date as entry_date', async () => {
    const me = await createUser(ctx);
    const old = await post(me, { mood: 'sad', recorded_at: new Date(Date.now() - 40 * DAY).toISOString() }).expect(400);
    expect(fields(old.body)).toEqual(['recorded_at']);
    const twoDaysAgo = new Date(Date.now() - 2 * DAY);
    const res = await post(me, { mood: 'sad', recorded_at: twoDaysAgo.toISOString() }).expect(201);
    expect(res.body.entry_date).toBe(localDate(twoDaysAgo, 'UTC'));
    expect(new Date(res.body.recorded_at).toISOString()).toBe(twoDaysAgo.toISOString());
    const tokyo = await post(me, {
      mood: 'sad',
      recorded_at: twoDaysAgo.toISOString(),
      timezone: 'Asia/Tokyo',
    }).expect(201);
    expect(tokyo.body.entry_date).toBe(localDate(twoDaysAgo, 'Asia/Tokyo'));
  });

  it('AC6: the 25th entry on one local day → 429 MOOD_DAILY_CAP; other days are unaffected', async () => {
    const me = await createUser(ctx);
    const day = new Date(Date.now() - 3 * DAY);
    day.setUTCHours(12, 0, 0, 0);
    for (let i = 0; i < 23; i++) {
      await createMoodEntry(ctx, { userId: me.user.id, recordedAt: new Date(day.getTime() - i * 60_000) });
    }
    await post(me, { mood: 'happy', recorded_at: day.toISOString() }).expect(201); // the 24th
    const res = await post(me, { mood: 'happy', recorded_at: new Date(day.getTime() + 3600_000).toISOString() })
      .expect(429)
      .expect('content-type', /application\/problem\+json/);
    expect(res.body.code).toBe('MOOD_DAILY_CAP');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await ctx.ds.getRepository(MoodEntry).countBy({ userId: me.user.id })).toBe(24);
    // another local day (the next one) still accepts entries; and moving one of them into the full day is refused
    const other = await post(me, { mood: 'happy', recorded_at: new Date(day.getTime() + DAY).toISOString() }).expect(
      201,
    );
    await patch(me, other.body.id, { recorded_at: day.toISOString() })
      .expect(429)
      .expect(({ body }) => expect(body.code).toBe('MOOD_DAILY_CAP'));
    // the same instant on another local day (Tokyo is ahead) is not capped
    await post(me, {
      mood: 'happy',
      recorded_at: new Date(day.getTime() + 11 * 3600_000).toISOString(),
      timezone: 'Asia/Tokyo',
    }).expect(201);
  });

  it('401 without a token', async () => {
    await request(ctx.http).post(BASE).send({ mood: 'happy' }).expect(401);
  });

  it('AC6 under concurrency: parallel posts into a day with one slot left → exactly one 201', async () => {
    const me = await createUser(ctx);
    const day = new Date(Date.now() - 6 * DAY);
    day.setUTCHours(12, 0, 0, 0);
    for (let i = 0; i < 23; i++) {
      await createMoodEntry(ctx, { userId: me.user.id, recordedAt: new Date(day.getTime() - i * 60_000) });
    }
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        post(me, { mood: 'happy', recorded_at: new Date(day.getTime() + i * 1000).toISOString() }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 429, 429, 429]);
    expect(await ctx.ds.getRepository(MoodEntry).countBy({ userId: me.user.id })).toBe(24);
  });
});

describe('mood entries: read, edit, delete', () => {
  it('the owner reads, edits and deletes their entry', async () => {
    const me = await createUser(ctx);
    const { body: created } = await post(me, {
      mood: 'happy',
      note: 'first',
      intensity: 2,
      emotions: ['calm'],
    }).expect(201);
    await get(me, `/${created.id}`)
      .expect(200)
      .expect(({ body }) => expect(body).toEqual(created));

    // a new mood without a score re-derives the score; null clears optional fields
    const edited = await patch(me, created.id, { mood: 'very_sad', note: null, intensity: null }).expect(200);
    expect(edited.body).toMatchObject({ mood: 'very_sad', score: 1, note: null, intensity: null, emotions: ['calm'] });
    const scored = await patch(me, created.id, { mood: 'neutral', score: 5, triggers: ['Family'] }).expect(200);
    expect(scored.body).toMatchObject({ mood: 'neutral', score: 5, triggers: ['family'] });
    await patch(me, created.id, { energy: 4 })
      .expect(200)
      .expect(({ body }) => expect(body).toMatchObject({ score: 5, energy: 4 }));

    // a change to recorded_at recomputes entry_date
    const back = new Date(Date.now() - 5 * DAY);
    await patch(me, created.id, { recorded_at: back.toISOString() })
      .expect(200)
      .expect(({ body }) => expect(body.entry_date).toBe(localDate(back, 'UTC')));
    await patch(me, created.id, { recorded_at: back.toISOString(), timezone: 'Pacific/Kiritimati' })
      .expect(200)
      .expect(({ body }) => expect(body.entry_date).toBe(localDate(back, 'Pacific/Kiritimati')));

    await del(me, created.id).expect(204);
    await get(me, `/${created.id}`).expect(404);
    await del(me, created.id).expect(404);
  });

  it('PATCH: 400 for bad or null values and unknown fields; the entry is unchanged', async () => {
    const me = await createUser(ctx);
    const other = await createUser(ctx);
    const { body: created } = await post(me, { mood: 'happy' }).expect(201);
    const cases: [object, string][] = [
      [{ mood: null }, 'mood'],
      [{ score: null }, 'score'],
      [{ recorded_at: null }, 'recorded_at'],
      [{ emotions: null }, 'emotions'],
      [{ score: 6 }, 'score'],
      [{ emotions: ['ecstatic'] }, 'emotions'],
      [{ recorded_at: new Date(Date.now() - 40 * DAY).toISOString() }, 'recorded_at'],
      [{ user_id: other.user.id }, 'user_id'],
      [{ entry_date: '2026-01-01' }, 'entry_date'],
    ];
    for (const [body, field] of cases) {
      const res = await patch(me, created.id, body).expect(400);
      expect(fields(res.body)).toContain(field);
    }
    await get(me, `/${created.id}`)
      .expect(200)
      .expect(({ body }) => expect(body).toEqual(created));
  });

  it('400 for a malformed id, 404 for an unknown one, 401 without a token', async () => {
    const me = await createUser(ctx);
    await get(me, '/not-a-uuid').expect(400);
    await patch(me, 'not-a-uuid', { mood: 'happy' }).expect(400);
    await del(me, 'not-a-uuid').expect(400);
    await get(me, `/${MISSING}`)
      .expect(404)
      .expect(({ body }) => expect(body.code).toBe('MOOD_ENTRY_NOT_FOUND'));
    await patch(me, MISSING, { mood: 'happy' }).expect(404);
    await del(me, MISSING).expect(404);
    await request(ctx.http).get(`${BASE}/${MISSING}`).expect(401);
    await request(ctx.http).patch(`${BASE}/${MISSING}`).send({ mood: 'happy' }).expect(401);
    await request(ctx.http).delete(`${BASE}/${MISSING}`).expect(401);
  });

  it('AC3: another user, a moderator or an admin gets 404 for someone else’s entry (read, edit, delete, lists)', async () => {
    const owner = await createUser(ctx);
    const { body: entry } = await post(owner, { mood: 'sad', note: 'mine alone' }).expect(201);
    const outsiders = [
      await createUser(ctx),
      await createUser(ctx, { role: UserRole.Creator }),
      await createUser(ctx, { role: UserRole.Moderator }),
      await createUser(ctx, { role: UserRole.Admin }),
    ];
    for (const who of outsiders) {
      for (const res of [
        await get(who, `/${entry.id}`),
        await patch(who, entry.id, { mood: 'happy' }),
        await del(who, entry.id),
      ]) {
        expect(res.status).toBe(404);
        expect(res.body.code).toBe('MOOD_ENTRY_NOT_FOUND');
        expect(JSON.stringify(res.body)).not.toContain('mine alone');
      }
      await get(who, '')
        .expect(200)
        .expect(({ body }) => expect(body.items).toEqual([]));
      await get(who, '/today')
        .expect(200)
        .expect(({ body }) => expect(body.items).toEqual([]));
    }
    await get(owner, `/${entry.id}`)
      .expect(200)
      .expect(({ body }) => expect(body).toEqual(entry));
  });
});

describe('mood entries: list and today', () => {
  it('lists own entries newest first with keyset pagination and from/to filters', async () => {
    const me = await createUser(ctx);
    const stranger = await createUser(ctx);
    await createMoodEntry(ctx, { userId: stranger.user.id });
    const ids: string[] = [];
    for (let d = 6; d >= 0; d--) {
      // two entries on day -d (1 and 2 hours before now − d days), oldest first
      for (const h of [2, 1]) {
        const at = new Date(Date.now() - d * DAY - h * 3600_000);
        ids.unshift((await post(me, { mood: 'neutral', recorded_at: at.toISOString() }).expect(201)).body.id);
      }
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await get(me, `?limit=3${cursor ? `&cursor=${cursor}` : ''}`).expect(200);
      expect(res.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...res.body.items.map((i: { id: string }) => i.id));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(ids); // newest first, no gaps, no duplicates, no stranger's entry

    const from = localDate(new Date(Date.now() - 4 * DAY - 2 * 3600_000), 'UTC');
    const to = localDate(new Date(Date.now() - 2 * DAY - 1 * 3600_000), 'UTC');
    const all = await get(me, '?limit=100').expect(200);
    const expected = all.body.items.filter((i: { entry_date: string }) => i.entry_date >= from && i.entry_date <= to);
    expect(expected.length).toBeGreaterThan(0);
    const filtered = await get(me, `?from=${from}&to=${to}&limit=2`).expect(200);
    const rest = await get(me, `?from=${from}&to=${to}&limit=100&cursor=${filtered.body.next_cursor}`).expect(200);
    expect([...filtered.body.items, ...rest.body.items].map((i: { id: string }) => i.id)).toEqual(
      expected.map((i: { id: string }) => i.id),
    );
    await get(me, `?from=${to}&to=${to}`)
      .expect(200)
      .expect(({ body }) => expect(body.items.every((i: { entry_date: string }) => i.entry_date === to)).toBe(true));
  });

  it('list: 400 for a bad cursor, limit or date, and from after to; 401 without a token', async () => {
    const me = await createUser(ctx);
    await get(me, '?cursor=garbage!!')
      .expect(400)
      .expect(({ body }) => expect(body.code).toBe('INVALID_CURSOR'));
    for (const q of ['?limit=0', '?limit=101', '?from=2026-13-01', '?to=yesterday', '?from=2026-05-02&to=2026-05-01']) {
      await get(me, q).expect(400);
    }
    await get(me, '?user_id=x').expect(400);
    await request(ctx.http).get(BASE).expect(401);
  });

  it('today: own entries of the local day and checkin_due', async () => {
    const me = await createUser(ctx);
    const tz = 'Pacific/Kiritimati'; // UTC+14: "today" there is often tomorrow in UTC
    await get(me, `/today?timezone=${tz}`)
      .expect(200)
      .expect(({ body }) =>
        expect(body).toEqual({ entry_date: localDate(new Date(), tz), items: [], checkin_due: true }),
      );
    await createMoodEntry(ctx, { userId: me.user.id, recordedAt: new Date(Date.now() - 2 * DAY) });
    const { body: entry } = await post(me, { mood: 'content', timezone: tz }).expect(201);
    const res = await get(me, `/today?timezone=${tz}`).expect(200);
    expect(res.body.checkin_due).toBe(false);
    expect(res.body.items.map((i: { id: string }) => i.id)).toEqual([entry.id]);
    await get(me, '/today?timezone=Mars/Olympus').expect(400);
    await get(me, '/today?foo=1').expect(400);
    await request(ctx.http).get(`${BASE}/today`).expect(401);
  });
});

describe('mood entries: privacy', () => {
  it('documents the mood routes under the wellbeing tag', async () => {
    const { body } = await request(ctx.http).get('/docs/openapi.json').expect(200);
    for (const path of ['/api/v1/wellbeing/moods', '/api/v1/wellbeing/moods/today', '/api/v1/wellbeing/moods/{id}']) {
      expect(body.paths[path]).toBeDefined();
    }
    expect(body.paths['/api/v1/wellbeing/moods'].post.tags).toEqual(['wellbeing']);
  });

  it('AC7: deleting the user removes their mood entries', async () => {
    const me = await createUser(ctx);
    await post(me, { mood: 'happy' }).expect(201);
    await createMoodEntry(ctx, { userId: me.user.id });
    expect(await ctx.ds.getRepository(MoodEntry).countBy({ userId: me.user.id })).toBe(2);
    await request(ctx.http)
      .delete('/api/v1/users/me')
      .auth(me.token, { type: 'bearer' })
      .send({ password: me.password })
      .expect(204);
    expect(await ctx.ds.getRepository(MoodEntry).countBy({ userId: me.user.id })).toBe(0);
  });

  it('logs none of the mood data written by create and edit', async () => {
    const me = await createUser(ctx);
    const secrets = {
      note: 'Zq7 private note about the lighthouse keeper',
      edited: 'Xv9 second confidential thought',
      trigger: 'kumquat-orchard',
      trigger2: 'tangerine-grove',
    };
    const before = ctx.logs().length;
    const { body } = await post(me, {
      mood: 'very_sad',
      score: 1,
      intensity: 5,
      energy: 2,
      emotions: ['overwhelmed', 'numb'],
      triggers: [secrets.trigger],
      note: secrets.note,
      timezone: 'Asia/Kathmandu',
    }).expect(201);
    await patch(me, body.id, {
      mood: 'frustrated',
      emotions: ['lonely'],
      triggers: [secrets.trigger2],
      note: secrets.edited,
    }).expect(200);
    await get(me, `/${body.id}`).expect(200);
    await get(me, '').expect(200);
    const logs = ctx.logs().slice(before).join('\n');
    expect(logs.length).toBeGreaterThan(0); // the requests were logged …
    for (const text of [
      ...Object.values(secrets),
      'very_sad',
      'frustrated',
      'overwhelmed',
      'numb',
      'lonely',
      'Asia/Kathmandu',
      '"score"',
      '"intensity"',
      '"energy"',
      '"mood"',
      '"note"',
    ]) {
      expect(logs).not.toContain(text); // … but none of what was written
    }
  });
});
