import request from 'supertest';
import { UserRole } from '../../src/common/auth/actor.js';
import { ActorLoader } from '../../src/common/auth/actor-loader.js';
import { ActorCache } from '../../src/modules/identity/actor-cache.js';
import { AccessTokenService } from '../../src/modules/identity/access-token.service.js';
import { User } from '../../src/modules/identity/entities/user.entity.js';
import { createAdmin, createModerator, createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

/**
 * identity.md §1 "the guard loads the user (short cache)": every change of the cached columns made through this
 * process is visible on the very next request, with the cache warm (no waiting for the TTL).
 */
let ctx: TestApp;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx?.close());

const me = (u: TestUser | string) =>
  request(ctx.http)
    .get('/api/v1/users/me')
    .auth(typeof u === 'string' ? u : u.token, { type: 'bearer' });
const cache = () => ctx.app.get(ActorCache);
const freshToken = async (id: string) =>
  ctx.app.get(AccessTokenService).issue(await ctx.ds.getRepository(User).findOneByOrFail({ id }));

describe('ActorCache (JWT guard)', () => {
  it('serves repeated requests from the cache', async () => {
    const alice = await createUser(ctx);
    await me(alice).expect(200);
    expect(cache().get(alice.user.id)).toMatchObject({ id: alice.user.id, tokenVersion: alice.user.tokenVersion });
  });

  it('suspension and unsuspension apply at once with a warm cache', async () => {
    const alice = await createUser(ctx);
    const mod = await createModerator(ctx);
    await me(alice).expect(200);
    await request(ctx.http)
      .post(`/api/v1/users/${alice.user.id}/suspension`)
      .auth(mod.token, { type: 'bearer' })
      .send({ reason: 'spam' })
      .expect(200);
    expect((await me(alice).expect(403)).body.code).toBe('ACCOUNT_SUSPENDED');
    await request(ctx.http)
      .delete(`/api/v1/users/${alice.user.id}/suspension`)
      .auth(mod.token, { type: 'bearer' })
      .expect(200);
    await me(alice).expect(401); // the suspension bumped token_version
    await me(await freshToken(alice.user.id)).expect(200);
  });

  it('password change, logout-all and role change revoke cached tokens at once', async () => {
    const alice = await createUser(ctx);
    await me(alice).expect(200);
    await request(ctx.http)
      .put('/api/v1/users/me/password')
      .auth(alice.token, { type: 'bearer' })
      .send({ current_password: alice.password, new_password: 'another long password' })
      .expect(204);
    await me(alice).expect(401);

    const token = await freshToken(alice.user.id);
    await me(token).expect(200);
    await request(ctx.http).post('/api/v1/auth/logout-all').auth(token, { type: 'bearer' }).expect(204);
    await me(token).expect(401);

    const admin = await createAdmin(ctx);
    const token2 = await freshToken(alice.user.id);
    await me(token2).expect(200);
    await request(ctx.http)
      .patch(`/api/v1/users/${alice.user.id}/role`)
      .auth(admin.token, { type: 'bearer' })
      .send({ role: 'moderator' })
      .expect(200);
    await me(token2).expect(401);
  });

  it('a deleted account is refused at once', async () => {
    const alice = await createUser(ctx);
    await me(alice).expect(200);
    await request(ctx.http)
      .delete('/api/v1/users/me')
      .auth(alice.token, { type: 'bearer' })
      .send({ password: alice.password })
      .expect(204);
    await me(alice).expect(401);
  });

  it('creating and deleting a creator profile changes the cached role at once', async () => {
    const alice = await createUser(ctx);
    const claims = { sub: alice.user.id, role: alice.user.role, tv: alice.user.tokenVersion };
    await me(alice).expect(200);
    expect((await ctx.app.get(ActorLoader).load(claims)).role).toBe(UserRole.User);
    await request(ctx.http)
      .post('/api/v1/creators')
      .auth(alice.token, { type: 'bearer' })
      .send({ display_name: 'Alice Studio', bio: 'Bots.' })
      .expect(201);
    expect((await ctx.app.get(ActorLoader).load(claims)).role).toBe(UserRole.Creator);
    await request(ctx.http)
      .delete(`/api/v1/creators/${alice.user.username}`)
      .auth(alice.token, { type: 'bearer' })
      .expect(204);
    expect((await ctx.app.get(ActorLoader).load(claims)).role).toBe(UserRole.User);
  });

  it('a username change is carried by the next request', async () => {
    const alice = await createUser(ctx);
    const claims = { sub: alice.user.id, role: alice.user.role, tv: alice.user.tokenVersion };
    await me(alice).expect(200);
    const username = `renamed_${Date.now().toString(36)}`;
    await request(ctx.http)
      .patch('/api/v1/users/me')
      .auth(alice.token, { type: 'bearer' })
      .send({ username })
      .expect(200);
    expect((await ctx.app.get(ActorLoader).load(claims)).username).toBe(username);
  });

  it('a load that raced an invalidation does not store its (possibly stale) row', () => {
    const c = new ActorCache();
    const row = {
      id: '00000000-0000-4000-8000-000000000001',
      role: UserRole.User,
      username: 'x',
      status: 'active' as User['status'],
      suspendedUntil: null,
      tokenVersion: 0,
      emailVerifiedAt: null,
    };
    const generation = c.generation();
    c.invalidate(row.id);
    c.set(row, generation);
    expect(c.get(row.id)).toBeUndefined();
    c.set(row, c.generation());
    expect(c.get(row.id)).toBe(row);
    expect(c.get(row.id, Date.now() + ActorCache.TTL_MS + 1)).toBeUndefined();
  });
});
