import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { GrantLevel, ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { AccessGrant } from '../../src/modules/access/entities/access-grant.entity.js';
import { Bot } from '../../src/modules/bots/entities/bot.entity.js';
import { UserStatus } from '../../src/modules/identity/entities/user.entity.js';
import { createBot, createGrant } from '../factories/bot.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

describe('access grants (bots.md §3)', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx?.close());

  const api = () => request(ctx.http);
  const bearer = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const grant = (by: TestUser, bot: { id: string }, grantee: TestUser, extra: Record<string, unknown> = {}) =>
    api()
      .post('/api/v1/access-grants')
      .set(bearer(by))
      .send({ resource_type: 'bot', resource_id: bot.id, grantee_username: grantee.user.username, ...extra });
  const grantsOf = (bot: { id: string }) => ctx.ds.getRepository(AccessGrant).countBy({ botId: bot.id });

  it('1. nobody grants themselves access to someone else’s bot (404 private, 403 public; no row)', async () => {
    const [a, c] = [await createUser(ctx), await createUser(ctx)];
    const priv = await createBot(ctx, { ownerId: a.user.id });
    const pub = await createBot(ctx, { ownerId: a.user.id, visibility: ResourceVisibility.Public });
    await grant(c, priv, c)
      .expect(404)
      .expect(({ body }) => expect(body.code).toBe('BOT_NOT_FOUND'));
    await grant(c, pub, c)
      .expect(403)
      .expect(({ body }) => expect(body.code).toBe('GRANT_FORBIDDEN'));
    expect(await grantsOf(priv)).toBe(0);
    expect(await grantsOf(pub)).toBe(0);
  });

  it('2. edit needs allow_collaboration (409); max_collaborators is enforced (409 COLLABORATOR_LIMIT)', async () => {
    const [a, b, d] = [await createUser(ctx), await createUser(ctx), await createUser(ctx)];
    const bot = await createBot(ctx, { ownerId: a.user.id, visibility: ResourceVisibility.Shared });
    await grant(a, bot, b, { level: 'edit' })
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('COLLABORATION_DISABLED'));
    await ctx.ds.getRepository(Bot).update({ id: bot.id }, { allowCollaboration: true, maxCollaborators: 1 });
    await grant(a, bot, b, { level: 'edit' }).expect(201);
    await grant(a, bot, d, { level: 'edit' })
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('COLLABORATOR_LIMIT'));
    await grant(a, bot, d, { level: 'view' }).expect(201); // view grants do not count
  });

  it('3. an expiring grant: readable, then 404 after expiry, listed as expired', async () => {
    const [a, b] = [await createUser(ctx), await createUser(ctx)];
    const bot = await createBot(ctx, { ownerId: a.user.id });
    const res = await grant(a, bot, b, { expires_at: new Date(Date.now() + 1000).toISOString() }).expect(201);
    expect(res.body).toMatchObject({ level: 'view', status: 'active', grant_method: 'direct_share' });
    expect(res.body.grantee).toMatchObject({ id: b.user.id, username: b.user.username });
    // granting on a private bot made it shared
    expect((await ctx.ds.getRepository(Bot).findOneByOrFail({ id: bot.id })).visibility).toBe('shared');
    await api().get(`/api/v1/bots/${bot.id}`).set(bearer(b)).expect(200);
    await new Promise((r) => setTimeout(r, 1100));
    await api().get(`/api/v1/bots/${bot.id}`).set(bearer(b)).expect(404);
    const list = await api()
      .get(`/api/v1/access-grants?resource_type=bot&resource_id=${bot.id}`)
      .set(bearer(a))
      .expect(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({ id: res.body.id, status: 'expired' });
  });

  it('4. managers grant view/edit but not manage, and cannot revoke another manager', async () => {
    const [a, m1, m2, v] = [await createUser(ctx), await createUser(ctx), await createUser(ctx), await createUser(ctx)];
    const bot = await createBot(ctx, {
      ownerId: a.user.id,
      visibility: ResourceVisibility.Shared,
      allowCollaboration: true,
    });
    await grant(a, bot, m1, { level: 'manage' }).expect(201);
    const other = await grant(a, bot, m2, { level: 'manage' }).expect(201);
    await grant(m1, bot, v, { level: 'view' }).expect(201);
    const e = await createUser(ctx);
    await grant(m1, bot, e, { level: 'edit' }).expect(201);
    await grant(m1, bot, await createUser(ctx), { level: 'manage' }).expect(403);
    await grant(m1, bot, m2, { level: 'view' }).expect(403); // cannot touch a manage grant
    await api().delete(`/api/v1/access-grants/${other.body.id}`).set(bearer(m1)).send({}).expect(403);
    await api().patch(`/api/v1/access-grants/${other.body.id}`).set(bearer(m1)).send({ level: 'view' }).expect(403);
    // managers list grants; editors and viewers do not
    await api().get(`/api/v1/access-grants?resource_type=bot&resource_id=${bot.id}`).set(bearer(m1)).expect(200);
    await api().get(`/api/v1/access-grants?resource_type=bot&resource_id=${bot.id}`).set(bearer(v)).expect(403);
    await api()
      .get(`/api/v1/access-grants?resource_type=bot&resource_id=${bot.id}`)
      .set(bearer(await createUser(ctx)))
      .expect(404);
  });

  it('5. re-posting the same grantee updates the existing row (200, same id)', async () => {
    const [a, b] = [await createUser(ctx), await createUser(ctx)];
    const bot = await createBot(ctx, {
      ownerId: a.user.id,
      visibility: ResourceVisibility.Shared,
      allowCollaboration: true,
    });
    const first = await grant(a, bot, b).expect(201);
    const second = await grant(a, bot, b, { level: 'edit', reason: 'co-author' }).expect(200);
    expect(second.body).toMatchObject({ id: first.body.id, level: 'edit', reason: 'co-author' });
    expect(await grantsOf(bot)).toBe(1);
    // also for an expired (unrevoked) grant
    await ctx.ds.getRepository(AccessGrant).update({ id: first.body.id }, { expiresAt: new Date(Date.now() - 1000) });
    const refreshed = await grant(a, bot, b).expect(200);
    expect(refreshed.body).toMatchObject({ id: first.body.id, status: 'active', expires_at: null });
  });

  it('6. deleting the bot removes its grants', async () => {
    const [a, b] = [await createUser(ctx), await createUser(ctx)];
    const bot = await createBot(ctx, { ownerId: a.user.id });
    await grant(a, bot, b).expect(201);
    await api().delete(`/api/v1/bots/${bot.id}`).set(bearer(a)).expect(204);
    expect(await grantsOf(bot)).toBe(0);
  });

  it('7. the grantee leaves: 204, then 404 on the bot; a revoked grant is never reactivated', async () => {
    const [a, b] = [await createUser(ctx), await createUser(ctx)];
    const bot = await createBot(ctx, { ownerId: a.user.id, visibility: ResourceVisibility.Shared });
    const g = await grant(a, bot, b).expect(201);
    await api().delete(`/api/v1/access-grants/${g.body.id}`).set(bearer(b)).send({ reason: 'bye' }).expect(204);
    await api().get(`/api/v1/bots/${bot.id}`).set(bearer(b)).expect(404);
    await api().delete(`/api/v1/access-grants/${g.body.id}`).set(bearer(b)).send({}).expect(204);
    await api().patch(`/api/v1/access-grants/${g.body.id}`).set(bearer(a)).send({ level: 'edit' }).expect(409);
    const again = await grant(a, bot, b).expect(201);
    expect(again.body.id).not.toBe(g.body.id);
    const all = await api()
      .get(`/api/v1/access-grants?resource_type=bot&resource_id=${bot.id}&include_inactive=true`)
      .set(bearer(a))
      .expect(200);
    const byId = Object.fromEntries(all.body.items.map((i: { id: string; status: string }) => [i.id, i]));
    expect(byId[g.body.id]).toMatchObject({ status: 'revoked', revoke_reason: 'bye' });
    expect(byId[again.body.id]).toMatchObject({ status: 'active' });
    const activeOnly = await api()
      .get(`/api/v1/access-grants?resource_type=bot&resource_id=${bot.id}`)
      .set(bearer(a))
      .expect(200);
    expect(activeOnly.body.items.map((i: { id: string }) => i.id)).toEqual([again.body.id]);
  });

  it('PATCH changes level/expiry; lowering takes effect on the next request', async () => {
    const [a, b] = [await createUser(ctx), await createUser(ctx)];
    const bot = await createBot(ctx, {
      ownerId: a.user.id,
      visibility: ResourceVisibility.Shared,
      allowCollaboration: true,
    });
    const g = await grant(a, bot, b, { level: 'edit' }).expect(201);
    await api().patch(`/api/v1/bots/${bot.id}`).set(bearer(b)).send({ name: 'Edited' }).expect(200);
    const lowered = await api()
      .patch(`/api/v1/access-grants/${g.body.id}`)
      .set(bearer(a))
      .send({ level: 'view', note: 'read only now' })
      .expect(200);
    expect(lowered.body).toMatchObject({ level: 'view', note: 'read only now' });
    await api().patch(`/api/v1/bots/${bot.id}`).set(bearer(b)).send({ name: 'Again' }).expect(403);
    const future = new Date(Date.now() + 3600_000).toISOString();
    const dated = await api()
      .patch(`/api/v1/access-grants/${g.body.id}`)
      .set(bearer(a))
      .send({ expires_at: future })
      .expect(200);
    expect(new Date(dated.body.expires_at).toISOString()).toBe(future);
    await api().patch(`/api/v1/access-grants/${g.body.id}`).set(bearer(a)).send({ expires_at: null }).expect(200);
    await api().patch(`/api/v1/access-grants/${g.body.id}`).set(bearer(b)).send({ level: 'edit' }).expect(403);
    await api()
      .patch(`/api/v1/access-grants/${g.body.id}`)
      .set(bearer(await createUser(ctx)))
      .send({ level: 'edit' })
      .expect(404);
  });

  it('suspension: private suspends, share_expires_at stops all grants; statuses show it', async () => {
    const [a, b] = [await createUser(ctx), await createUser(ctx)];
    const bot = await createBot(ctx, { ownerId: a.user.id, visibility: ResourceVisibility.Shared });
    await grant(a, bot, b).expect(201);
    await api().patch(`/api/v1/bots/${bot.id}`).set(bearer(a)).send({ visibility: 'private' }).expect(200);
    const list = await api()
      .get(`/api/v1/access-grants?resource_type=bot&resource_id=${bot.id}`)
      .set(bearer(a))
      .expect(200);
    expect(list.body.items[0].status).toBe('suspended');
    expect((await api().get('/api/v1/access-grants/received').set(bearer(b)).expect(200)).body.items).toEqual([]);
    await api().patch(`/api/v1/bots/${bot.id}`).set(bearer(a)).send({ visibility: 'shared' }).expect(200);
    const received = await api().get('/api/v1/access-grants/received?resource_type=bot').set(bearer(b)).expect(200);
    expect(received.body.items).toHaveLength(1);
    expect(received.body.items[0].resource).toMatchObject({ id: bot.id, type: 'bot', name: bot.name, slug: bot.slug });
    expect(received.body.items[0].resource.owner.username).toBe(a.user.username);
    await api()
      .patch(`/api/v1/bots/${bot.id}`)
      .set(bearer(a))
      .send({ share_expires_at: new Date(Date.now() - 1000).toISOString() })
      .expect(200);
    await api().get(`/api/v1/bots/${bot.id}`).set(bearer(b)).expect(404);
  });

  it('grantee rules: must exist, be active, not be the owner or the caller', async () => {
    const [a, b] = [await createUser(ctx), await createUser(ctx)];
    const bot = await createBot(ctx, { ownerId: a.user.id, visibility: ResourceVisibility.Shared });
    await api()
      .post('/api/v1/access-grants')
      .set(bearer(a))
      .send({ resource_type: 'bot', resource_id: bot.id, grantee_username: 'no_such_user_zz' })
      .expect(404)
      .expect(({ body }) => expect(body.code).toBe('USER_NOT_FOUND'));
    await grant(a, bot, a).expect(400);
    const suspended = await createUser(ctx, { status: UserStatus.Suspended });
    await grant(a, bot, suspended).expect(409);
    // an admin may grant on anyone's bot, but not to the owner
    const admin = await createUser(ctx, { role: UserRole.Admin });
    await grant(admin, bot, b).expect(201);
    await grant(admin, bot, a).expect(400);
    // a moderator's reading is not a right to share
    const mod = await createUser(ctx, { role: UserRole.Moderator });
    await grant(mod, bot, await createUser(ctx)).expect(403);
  });

  it('caps active grants per resource at 100', async () => {
    const a = await createUser(ctx);
    const bot = await createBot(ctx, { ownerId: a.user.id, visibility: ResourceVisibility.Shared });
    const users = await Promise.all(Array.from({ length: 100 }, () => createUser(ctx)));
    for (const u of users) await createGrant(ctx, { bot, granteeId: u.user.id, level: GrantLevel.View });
    await grant(a, bot, await createUser(ctx))
      .expect(409)
      .expect(({ body }) => expect(body.code).toBe('GRANT_LIMIT'));
  });

  it('rejects bad input (400), missing tokens (401), unknown ids (404)', async () => {
    const [a, b] = [await createUser(ctx), await createUser(ctx)];
    const bot = await createBot(ctx, { ownerId: a.user.id, visibility: ResourceVisibility.Shared });
    const base = { resource_type: 'bot', resource_id: bot.id, grantee_username: b.user.username };
    const bad: Record<string, unknown>[] = [
      {},
      { ...base, resource_type: 'conversation' },
      { ...base, resource_id: 'nope' },
      { ...base, resource_id: 42 },
      { ...base, grantee_username: '' },
      { ...base, grantee_username: 'x'.repeat(31) },
      { ...base, grantee_username: 'bad name!' },
      { ...base, level: 'owner' },
      { ...base, expires_at: 'soon' },
      { ...base, expires_at: new Date(Date.now() - 60_000).toISOString() },
      { ...base, reason: 'x'.repeat(501) },
      { ...base, note: 'x'.repeat(1001) },
      { ...base, grant_method: 'system' },
      { ...base, grantee_id: b.user.id },
    ];
    for (const body of bad) {
      const res = await api().post('/api/v1/access-grants').set(bearer(a)).send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    await api()
      .post('/api/v1/access-grants')
      .set(bearer(a))
      .send({ ...base, resource_id: randomUUID() })
      .expect(404);
    await api()
      .post('/api/v1/access-grants')
      .set(bearer(a))
      .send({ ...base, resource_type: 'knowledge_collection', resource_id: randomUUID() })
      .expect(404);
    const g = await grant(a, bot, b).expect(201);
    for (const body of [{ level: 'god' }, { expires_at: 'x' }, { note: 5 }, { grantee_id: a.user.id }]) {
      const res = await api().patch(`/api/v1/access-grants/${g.body.id}`).set(bearer(a)).send(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    await api()
      .delete(`/api/v1/access-grants/${g.body.id}`)
      .set(bearer(a))
      .send({ reason: 'x'.repeat(501) })
      .expect(400);
    await api().delete(`/api/v1/access-grants/${g.body.id}`).set(bearer(a)).send({ extra: 1 }).expect(400);
    await api().patch('/api/v1/access-grants/not-a-uuid').set(bearer(a)).send({}).expect(400);
    await api().patch(`/api/v1/access-grants/${randomUUID()}`).set(bearer(a)).send({}).expect(404);
    await api().delete(`/api/v1/access-grants/${randomUUID()}`).set(bearer(a)).send({}).expect(404);
    for (const q of [
      '',
      'resource_type=bot',
      `resource_type=bot&resource_id=x`,
      `resource_type=zzz&resource_id=${bot.id}`,
      `resource_type=bot&resource_id=${bot.id}&include_inactive=maybe`,
      `resource_type=bot&resource_id=${bot.id}&limit=500`,
    ]) {
      const res = await api().get(`/api/v1/access-grants?${q}`).set(bearer(a));
      expect({ q, status: res.status }).toEqual({ q, status: 400 });
    }
    await api().get('/api/v1/access-grants/received?resource_type=zzz').set(bearer(a)).expect(400);
    await api().get(`/api/v1/access-grants?resource_type=bot&resource_id=${bot.id}`).expect(401);
    await api().get('/api/v1/access-grants/received').expect(401);
    await api().post('/api/v1/access-grants').send(base).expect(401);
    await api().patch(`/api/v1/access-grants/${g.body.id}`).send({}).expect(401);
    await api().delete(`/api/v1/access-grants/${g.body.id}`).expect(401);
    // a stranger neither sees nor revokes someone else's grant
    const stranger = await createUser(ctx);
    await api().delete(`/api/v1/access-grants/${g.body.id}`).set(bearer(stranger)).send({}).expect(404);
  });

  it('records use of a grant at most once a minute', async () => {
    const [a, b] = [await createUser(ctx), await createUser(ctx)];
    const bot = await createBot(ctx, { ownerId: a.user.id, visibility: ResourceVisibility.Shared });
    const g = await grant(a, bot, b).expect(201);
    await api().get(`/api/v1/bots/${bot.id}`).set(bearer(b)).expect(200);
    await api().get(`/api/v1/bots/${bot.id}`).set(bearer(b)).expect(200);
    const row = await ctx.ds.getRepository(AccessGrant).findOneByOrFail({ id: g.body.id });
    expect(row.useCount).toBe(1);
    expect(row.lastUsedAt).toBeTruthy();
  });
});
