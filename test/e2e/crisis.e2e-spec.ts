import request from 'supertest';
import { UserRole } from '../../src/common/auth/actor.js';
import { CrisisDetector } from '../../src/modules/wellbeing/crisis/crisis-detector.js';
import { CrisisVerification } from '../../src/modules/wellbeing/crisis/entities/crisis.enums.js';
import { createCrisisKeyword, createCrisisResource } from '../factories/crisis.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

const RES = '/api/v1/wellbeing/crisis-resources';
const KW = '/api/v1/wellbeing/crisis-keywords';
const MISSING = '00000000-0000-4000-8000-000000000000';

let ctx: TestApp;
let user: TestUser;
let mod: TestUser;
let admin: TestUser;

beforeAll(async () => {
  ctx = await createTestApp();
  user = await createUser(ctx);
  mod = await createUser(ctx, { role: UserRole.Moderator });
  admin = await createUser(ctx, { role: UserRole.Admin });
});
afterAll(() => ctx?.close());

const validResource = () => ({
  title: 'Samaritans',
  description: 'Round-the-clock listening service.',
  resource_type: 'hotline',
  resource_category: 'suicide_prevention',
  phone_number: '116 123',
  website_url: 'https://www.samaritans.org',
  languages: ['en'],
  is_24_7: true,
  regions: [{ country_code: 'GB' }],
});

describe('crisis resources: §4.5 check 12 and access (§4.4)', () => {
  it('anonymous list hides pending resources and staff fields; a user POST is 403, a moderator POST 201', async () => {
    await request(ctx.http).post(RES).auth(user.token, { type: 'bearer' }).send(validResource()).expect(403);
    const created = await request(ctx.http)
      .post(RES)
      .auth(mod.token, { type: 'bearer' })
      .send(validResource())
      .expect(201);
    expect(created.body).toMatchObject({
      verification_status: 'pending',
      verified_at: null,
      created_by_id: mod.user.id,
    });
    const id = created.body.id as string;

    const anon = await request(ctx.http).get(RES).query({ limit: 100 }).expect(200);
    expect(anon.body.items.map((r: { id: string }) => r.id)).not.toContain(id);
    await request(ctx.http).get(`${RES}/${id}`).expect(404);
    await request(ctx.http).get(`${RES}/${id}`).auth(user.token, { type: 'bearer' }).expect(404);
    const staffView = await request(ctx.http).get(`${RES}/${id}`).auth(mod.token, { type: 'bearer' }).expect(200);
    expect(staffView.body).toHaveProperty('verification_notes');

    await request(ctx.http)
      .post(`${RES}/${id}/verify`)
      .auth(mod.token, { type: 'bearer' })
      .send({ status: 'verified', notes: 'called them on 2026-11-20' })
      .expect(200)
      .expect(({ body }) => {
        expect(body.verification_status).toBe('verified');
        expect(body.verified_at).not.toBeNull();
        expect(body.verified_by_id).toBe(mod.user.id);
      });
    const pub = await request(ctx.http).get(`${RES}/${id}`).expect(200);
    expect(pub.body).toMatchObject({
      id,
      stale: false,
      open_now: true,
      regions: [{ country_code: 'GB', subdivision_code: null }],
    });
    for (const hidden of ['verification_notes', 'verified_by_id', 'created_by_id', 'updated_by_id']) {
      expect(pub.body).not.toHaveProperty(hidden);
    }
    expect(JSON.stringify(pub.body)).not.toContain('called them');
    const list = await request(ctx.http).get(RES).query({ country: 'GB', limit: 100 }).expect(200);
    const listed = list.body.items.find((r: { id: string }) => r.id === id);
    expect(listed).toBeDefined();
    expect(listed).not.toHaveProperty('verification_notes');

    // Editing a phone number without verify: true hides the resource again.
    await request(ctx.http)
      .patch(`${RES}/${id}`)
      .auth(mod.token, { type: 'bearer' })
      .send({ phone_number: '116 124' })
      .expect(200)
      .expect(({ body }) => expect(body.verification_status).toBe('pending'));
    await request(ctx.http).get(`${RES}/${id}`).expect(404);
    const after = await request(ctx.http).get(RES).query({ limit: 100 }).expect(200);
    expect(after.body.items.map((r: { id: string }) => r.id)).not.toContain(id);

    // With verify: true the same kind of edit keeps it visible.
    await request(ctx.http)
      .post(`${RES}/${id}/verify`)
      .auth(mod.token, { type: 'bearer' })
      .send({ status: 'verified' })
      .expect(200);
    await request(ctx.http)
      .patch(`${RES}/${id}`)
      .auth(mod.token, { type: 'bearer' })
      .send({ phone_number: '116 125', verify: true })
      .expect(200)
      .expect(({ body }) => expect(body.verification_status).toBe('verified'));
    // A non-contact edit leaves it verified.
    await request(ctx.http)
      .patch(`${RES}/${id}`)
      .auth(mod.token, { type: 'bearer' })
      .send({ description: 'Free, confidential.' })
      .expect(200)
      .expect(({ body }) => expect(body.verification_status).toBe('verified'));
    await request(ctx.http).get(`${RES}/${id}`).expect(200);
  });

  it('a region change without verify hides a verified resource', async () => {
    const r = await createCrisisResource(ctx, { isWorldwide: false }, ['GB']);
    await request(ctx.http)
      .patch(`${RES}/${r.id}`)
      .auth(admin.token, { type: 'bearer' })
      .send({ regions: [{ country_code: 'IE' }] })
      .expect(200)
      .expect(({ body }) => expect(body.verification_status).toBe('pending'));
  });

  it('needs_update resources are shown stale; deactivated ones are hidden', async () => {
    const stale = await createCrisisResource(ctx, { verificationStatus: CrisisVerification.NeedsUpdate });
    await request(ctx.http)
      .get(`${RES}/${stale.id}`)
      .expect(200)
      .expect(({ body }) => expect(body.stale).toBe(true));
    const r = await createCrisisResource(ctx);
    await request(ctx.http)
      .patch(`${RES}/${r.id}`)
      .auth(mod.token, { type: 'bearer' })
      .send({ is_active: false })
      .expect(200);
    await request(ctx.http).get(`${RES}/${r.id}`).expect(404);
  });

  it('orders emergency first, then region, then verified, and filters by country, lang and category', async () => {
    const tag = 'ZZ';
    const national = await createCrisisResource(ctx, { isWorldwide: false, displayOrder: 1, languages: ['xx'] }, [tag]);
    const stale = await createCrisisResource(
      ctx,
      { isWorldwide: false, languages: ['xx'], verificationStatus: CrisisVerification.NeedsUpdate },
      [tag],
    );
    const emergency = await createCrisisResource(
      ctx,
      { isWorldwide: false, isEmergency: true, languages: ['xx'], displayOrder: 9 },
      [tag],
    );
    const sub = await createCrisisResource(ctx, { isWorldwide: false, languages: ['xx'], displayOrder: 5 }, [
      `${tag}-AB`,
    ]);
    const world = await createCrisisResource(ctx, { languages: ['xx'] });
    await createCrisisResource(ctx, { isWorldwide: false, languages: ['xx'] }, ['YY']);
    const res = await request(ctx.http)
      .get(RES)
      .query({ country: tag, subdivision: `${tag}-AB`, lang: 'xx' })
      .expect(200);
    expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([
      emergency.id,
      sub.id,
      national.id,
      stale.id,
      world.id,
    ]);

    // keyset pages walk the same order
    const first = await request(ctx.http).get(RES).query({ country: tag, lang: 'xx', limit: 2 }).expect(200);
    expect(first.body.items).toHaveLength(2);
    const second = await request(ctx.http)
      .get(RES)
      .query({ country: tag, lang: 'xx', limit: 2, cursor: first.body.next_cursor })
      .expect(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[1].id);
    const cat = await request(ctx.http).get(RES).query({ lang: 'xx', category: 'youth' }).expect(200);
    expect(cat.body.items).toEqual([]);
  });

  it('open_now filter uses the hours in the resource time zone', async () => {
    const closed = await request(ctx.http)
      .post(RES)
      .auth(mod.token, { type: 'bearer' })
      .send({ ...validResource(), languages: ['qq'], is_24_7: false, hours: [], verify: undefined })
      .expect(201);
    await request(ctx.http)
      .post(`${RES}/${closed.body.id}/verify`)
      .auth(mod.token, { type: 'bearer' })
      .send({ status: 'verified' })
      .expect(200);
    const open = await createCrisisResource(ctx, { languages: ['qq'], isWorldwide: false }, ['GB']);
    const res = await request(ctx.http).get(RES).query({ lang: 'qq', open_now: 'true' }).expect(200);
    expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([open.id]);
  });

  it('for-me resolves region and language from Accept-Language', async () => {
    await request(ctx.http).get(`${RES}/for-me`).expect(401);
    const gb = await createCrisisResource(ctx, { isWorldwide: false, languages: ['en'] }, ['GB']);
    const res = await request(ctx.http)
      .get(`${RES}/for-me`)
      .set('Accept-Language', 'en-GB,en;q=0.8')
      .query({ limit: 100 })
      .auth(user.token, { type: 'bearer' })
      .expect(200);
    expect(res.body).toMatchObject({ region_used: 'GB', language_used: 'en' });
    expect(res.body.items.map((r: { id: string }) => r.id)).toContain(gb.id);
  });

  it('rejects bad input with 400 and never 500', async () => {
    const auth = { type: 'bearer' } as const;
    await request(ctx.http)
      .post(RES)
      .auth(mod.token, auth)
      .send({ ...validResource(), extra: 1 })
      .expect(400);
    await request(ctx.http)
      .post(RES)
      .auth(mod.token, auth)
      .send({ ...validResource(), website_url: 'http://x.org' })
      .expect(400);
    await request(ctx.http)
      .post(RES)
      .auth(mod.token, auth)
      .send({ ...validResource(), phone_number: 'call me' })
      .expect(400);
    await request(ctx.http)
      .post(RES)
      .auth(mod.token, auth)
      .send({ ...validResource(), languages: [] })
      .expect(400);
    await request(ctx.http)
      .post(RES)
      .auth(mod.token, auth)
      .send({ ...validResource(), timezone: 'Mars/Base' })
      .expect(400);
    const noContact = { ...validResource(), phone_number: undefined, website_url: undefined };
    await request(ctx.http)
      .post(RES)
      .auth(mod.token, auth)
      .send(noContact)
      .expect(400)
      .expect(({ body }) => expect(body.code).toBe('VALIDATION_FAILED'));
    await request(ctx.http)
      .post(RES)
      .auth(mod.token, auth)
      .send({ ...validResource(), regions: [{ country_code: 'GB', subdivision_code: 'US-CA' }] })
      .expect(400);
    await request(ctx.http)
      .post(RES)
      .auth(mod.token, auth)
      .send({ ...validResource(), regions: [{ country_code: 'GB' }, { country_code: 'GB' }] })
      .expect(400);
    await request(ctx.http)
      .post(RES)
      .auth(mod.token, auth)
      .send({ ...validResource(), hours: [{ iso_weekday: 8, opens_at: '09:00', closes_at: '17:00' }] })
      .expect(400);
    const r = await createCrisisResource(ctx);
    await request(ctx.http).patch(`${RES}/${r.id}`).auth(mod.token, auth).send({ title: null }).expect(400);
    await request(ctx.http).patch(`${RES}/${r.id}`).auth(mod.token, auth).send({ phone_number: null }).expect(400); // no contact left
    await request(ctx.http).patch(`${RES}/${r.id}`).auth(mod.token, auth).send({ bogus: true }).expect(400);
    await request(ctx.http).post(`${RES}/${r.id}/verify`).auth(mod.token, auth).send({ status: 'expired' }).expect(400);
    await request(ctx.http).post(`${RES}/${r.id}/verify`).auth(mod.token, auth).send({}).expect(400);
    await request(ctx.http).get(`${RES}/not-a-uuid`).expect(400);
    await request(ctx.http).get(RES).query({ cursor: 'garbage' }).expect(400);
    await request(ctx.http).get(RES).query({ subdivision: 'US-CA' }).expect(400);
    await request(ctx.http).get(RES).query({ category: 'nope' }).expect(400);
  });

  it('401 without a token on staff and user routes', async () => {
    const r = await createCrisisResource(ctx);
    await request(ctx.http).post(RES).send(validResource()).expect(401);
    await request(ctx.http).patch(`${RES}/${r.id}`).send({ title: 'x' }).expect(401);
    await request(ctx.http).post(`${RES}/${r.id}/verify`).send({ status: 'verified' }).expect(401);
    await request(ctx.http).delete(`${RES}/${r.id}`).expect(401);
  });

  it('403 for users (update, verify) and moderators (hard delete); 404 for unknown or hidden ids', async () => {
    const auth = { type: 'bearer' } as const;
    const r = await createCrisisResource(ctx);
    const hidden = await createCrisisResource(ctx, { verificationStatus: CrisisVerification.Pending });
    await request(ctx.http).patch(`${RES}/${r.id}`).auth(user.token, auth).send({ title: 'x' }).expect(403);
    await request(ctx.http)
      .post(`${RES}/${r.id}/verify`)
      .auth(user.token, auth)
      .send({ status: 'verified' })
      .expect(403);
    await request(ctx.http).delete(`${RES}/${r.id}`).auth(user.token, auth).expect(403);
    await request(ctx.http).delete(`${RES}/${r.id}`).auth(mod.token, auth).expect(403);
    await request(ctx.http).patch(`${RES}/${hidden.id}`).auth(user.token, auth).send({ title: 'x' }).expect(404);
    await request(ctx.http).delete(`${RES}/${hidden.id}`).auth(user.token, auth).expect(404);
    await request(ctx.http).get(`${RES}/${MISSING}`).auth(mod.token, auth).expect(404);
    await request(ctx.http).patch(`${RES}/${MISSING}`).auth(mod.token, auth).send({ title: 'x' }).expect(404);
    await request(ctx.http)
      .post(`${RES}/${MISSING}/verify`)
      .auth(mod.token, auth)
      .send({ status: 'verified' })
      .expect(404);
    await request(ctx.http).delete(`${RES}/${MISSING}`).auth(admin.token, auth).expect(404);
    await request(ctx.http).delete(`${RES}/${r.id}`).auth(admin.token, auth).expect(204);
    await request(ctx.http).get(`${RES}/${r.id}`).auth(admin.token, auth).expect(404);
  });
});

describe('crisis keywords (§4.2, staff only)', () => {
  const auth = { type: 'bearer' } as const;

  it('staff create (normalized), list, read, update and delete; duplicates are 409', async () => {
    const created = await request(ctx.http)
      .post(KW)
      .auth(mod.token, auth)
      .send({ phrase: '  Je  VEUX   Mourir ', language: 'fr', category: 'suicide_prevention', severity: 'high' })
      .expect(201);
    expect(created.body).toMatchObject({ phrase: 'je veux mourir', language: 'fr', severity: 'high', is_active: true });
    await request(ctx.http)
      .post(KW)
      .auth(admin.token, auth)
      .send({ phrase: 'JE VEUX MOURIR', language: 'fr', category: 'mental_health' })
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('CRISIS_KEYWORD_EXISTS'));
    const list = await request(ctx.http).get(KW).query({ language: 'fr' }).auth(mod.token, auth).expect(200);
    expect(list.body.items.map((k: { id: string }) => k.id)).toContain(created.body.id);
    await request(ctx.http).get(`${KW}/${created.body.id}`).auth(mod.token, auth).expect(200);
    await request(ctx.http)
      .patch(`${KW}/${created.body.id}`)
      .auth(mod.token, auth)
      .send({ is_active: false })
      .expect(200)
      .expect(({ body }) => expect(body.is_active).toBe(false));
    await request(ctx.http).delete(`${KW}/${created.body.id}`).auth(mod.token, auth).expect(204);
    await request(ctx.http).get(`${KW}/${created.body.id}`).auth(mod.token, auth).expect(404);
  });

  it('401 / 403 / 400 / 404 per route', async () => {
    const k = await createCrisisKeyword(ctx);
    await request(ctx.http).get(KW).expect(401);
    await request(ctx.http).get(`${KW}/${k.id}`).expect(401);
    await request(ctx.http).post(KW).send({ phrase: 'x', language: 'en', category: 'general' }).expect(401);
    await request(ctx.http).patch(`${KW}/${k.id}`).send({ severity: 'high' }).expect(401);
    await request(ctx.http).delete(`${KW}/${k.id}`).expect(401);
    await request(ctx.http).get(KW).auth(user.token, auth).expect(403);
    await request(ctx.http).get(`${KW}/${k.id}`).auth(user.token, auth).expect(403);
    await request(ctx.http)
      .post(KW)
      .auth(user.token, auth)
      .send({ phrase: 'x', language: 'en', category: 'general' })
      .expect(403);
    await request(ctx.http).patch(`${KW}/${k.id}`).auth(user.token, auth).send({ severity: 'high' }).expect(403);
    await request(ctx.http).delete(`${KW}/${k.id}`).auth(user.token, auth).expect(403);
    await request(ctx.http)
      .post(KW)
      .auth(mod.token, auth)
      .send({ phrase: 'x', language: 'en', category: 'nope' })
      .expect(400);
    await request(ctx.http)
      .post(KW)
      .auth(mod.token, auth)
      .send({ phrase: '   ', language: 'en', category: 'general' })
      .expect(400);
    await request(ctx.http)
      .post(KW)
      .auth(mod.token, auth)
      .send({ phrase: 'x', language: 'en', category: 'general', x: 1 })
      .expect(400);
    await request(ctx.http).patch(`${KW}/${k.id}`).auth(mod.token, auth).send({ phrase: null }).expect(400);
    await request(ctx.http).get(KW).query({ cursor: 'bad' }).auth(mod.token, auth).expect(400);
    await request(ctx.http).get(`${KW}/${MISSING}`).auth(mod.token, auth).expect(404);
    await request(ctx.http).patch(`${KW}/${MISSING}`).auth(mod.token, auth).send({ severity: 'high' }).expect(404);
    await request(ctx.http).delete(`${KW}/${MISSING}`).auth(mod.token, auth).expect(404);
  });
});

describe('CrisisDetector against the database (§4.5 check 9, notice part)', () => {
  it('a high phrase gives a notice with GB or worldwide resources, emergency first; keyword edits apply at once', async () => {
    const lang = 'vv';
    const phrase = `end it all ${Date.now()}`;
    const create = await request(ctx.http)
      .post(KW)
      .auth(mod.token, { type: 'bearer' })
      .send({ phrase, language: lang, category: 'suicide_prevention', severity: 'high' })
      .expect(201);
    const gb = await createCrisisResource(ctx, { isWorldwide: false, languages: [lang] }, ['GB']);
    const emergency = await createCrisisResource(ctx, { isWorldwide: false, isEmergency: true, languages: [lang] }, [
      'GB',
    ]);
    const world = await createCrisisResource(ctx, { languages: [lang] });
    const us = await createCrisisResource(ctx, { isWorldwide: false, languages: [lang] }, ['US']);
    await createCrisisResource(
      ctx,
      { isWorldwide: false, languages: [lang], verificationStatus: CrisisVerification.Pending },
      ['GB'],
    );

    const detector = ctx.app.get(CrisisDetector);
    const notice = await detector.detect(`honestly I want to ${phrase.toUpperCase()}!`, {
      supportCountry: 'GB',
      supportLanguage: lang,
    });
    expect(notice).toMatchObject({ kind: 'crisis_support', severity: 'high', region_used: 'GB', language_used: lang });
    const ids = notice!.resources.map((r) => r.id);
    expect(ids).toEqual([emergency.id, gb.id, world.id]);
    expect(ids).not.toContain(us.id);
    expect(notice!.more_url).toContain('country=GB');

    expect(await detector.detect(`${phrase}x`, { supportCountry: 'GB' })).toBeNull();
    await request(ctx.http)
      .patch(`${KW}/${create.body.id}`)
      .auth(mod.token, { type: 'bearer' })
      .send({ is_active: false })
      .expect(200);
    expect(await detector.detect(phrase, { supportCountry: 'GB' })).toBeNull();
    expect(ctx.logs().join('\n')).not.toContain(phrase);
  });
});

describe('seeded keywords (§4.2: a reviewed list ships for en)', () => {
  it('a seeded high phrase produces a high suicide_prevention notice; staff see the seed list', async () => {
    const list = await request(ctx.http)
      .get(KW)
      .query({ language: 'en', limit: 100 })
      .auth(mod.token, { type: 'bearer' })
      .expect(200);
    expect(list.body.items.map((k: { phrase: string }) => k.phrase)).toContain('kill myself');
    const notice = await ctx.app.get(CrisisDetector).detect('Sometimes I think I should just Kill Myself.', {
      acceptLanguage: 'en-GB',
    });
    expect(notice).toMatchObject({
      severity: 'high',
      category: 'suicide_prevention',
      region_used: 'GB',
      language_used: 'en',
    });
    expect(notice!.message).toMatch(/emergency services/);
    expect(await ctx.app.get(CrisisDetector).detect('the skill myself-taught', {})).toBeNull();
  });
});
