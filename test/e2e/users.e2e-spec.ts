import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { UserRole } from '../../src/common/auth/actor.js';
import { User, UserStatus } from '../../src/modules/identity/entities/user.entity.js';
import { LogMailTransport, MailTransport } from '../../src/modules/identity/mail/mail-transport.js';
import { Media, MediaKind } from '../../src/modules/media/entities/media.entity.js';
import { createAdmin, createModerator, createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

describe('identity: users', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx?.close());

  const api = (path: string) => `/api/v1${path}`;
  const get = (path: string, u?: TestUser) => {
    const r = request(ctx.http).get(api(path));
    return u ? r.auth(u.token, { type: 'bearer' }) : r;
  };
  const send = (method: 'post' | 'put' | 'patch' | 'delete', path: string, u?: TestUser, body?: object) => {
    const r = request(ctx.http)[method](api(path));
    if (u) r.auth(u.token, { type: 'bearer' });
    return body ? r.send(body) : r;
  };

  async function createMedia(ownerId: string, kind = MediaKind.Image): Promise<Media> {
    const image = kind === MediaKind.Image;
    return ctx.ds.getRepository(Media).save(
      Object.assign(new Media(), {
        ownerId,
        kind,
        mimeType: image ? 'image/png' : 'application/pdf',
        sizeBytes: 100,
        width: image ? 64 : null,
        height: image ? 64 : null,
        originalFilename: image ? 'a.png' : 'a.pdf',
        storageKey: `test/${randomUUID()}`,
        sha256: 'a'.repeat(64),
        altText: image ? 'alt' : null,
      }),
    );
  }

  describe('GET /users/me', () => {
    it('returns every non-hidden field in snake_case', async () => {
      const alice = await createUser(ctx, { legacyUserId: 'old-42' });
      const res = await get('/users/me', alice).expect(200);
      expect(res.body).toMatchObject({
        id: alice.user.id,
        email: alice.user.email,
        username: alice.user.username,
        role: 'user',
        status: 'active',
        email_verified: true,
        avatar_url: null,
        mature_content_opt_in: false,
      });
      for (const key of ['suspension_reason', 'last_login_at', 'username_changed_at', 'created_at', 'pronouns']) {
        expect(res.body).toHaveProperty(key);
      }
      for (const hidden of [
        'password_hash',
        'token_version',
        'failed_login_count',
        'locked_until',
        'legacy_user_id',
        'passwordHash',
      ]) {
        expect(res.body).not.toHaveProperty(hidden);
      }
    });

    it('needs a token (401)', async () => {
      await get('/users/me').expect(401);
    });
  });

  describe('PATCH /users/me', () => {
    it('updates profile fields', async () => {
      const alice = await createUser(ctx);
      const res = await send('patch', '/users/me', alice, {
        display_name: ' Alice ',
        nickname: 'Al',
        about_me: 'Likes tea.',
        pronouns: 'they_them',
        mature_content_opt_in: true,
      }).expect(200);
      expect(res.body).toMatchObject({
        display_name: 'Alice',
        nickname: 'Al',
        about_me: 'Likes tea.',
        pronouns: 'they_them',
        custom_pronouns: null,
        mature_content_opt_in: true,
      });
      expect(res.body.mature_content_opt_in_at).toEqual(expect.any(String));
      const off = await send('patch', '/users/me', alice, { mature_content_opt_in: false, display_name: '' });
      expect(off.body).toMatchObject({ mature_content_opt_in: false, display_name: null });
    });

    it('refuses role and other unknown fields with 400 (acceptance 5)', async () => {
      const alice = await createUser(ctx);
      const res = await send('patch', '/users/me', alice, { role: 'admin' }).expect(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);
      await send('patch', '/users/me', alice, { email: 'x@example.test' }).expect(400);
      const row = await ctx.ds.getRepository(User).findOneByOrFail({ id: alice.user.id });
      expect(row.role).toBe(UserRole.User);
    });

    it('requires custom_pronouns iff pronouns is other (acceptance 7)', async () => {
      const alice = await createUser(ctx);
      const missing = await send('patch', '/users/me', alice, { pronouns: 'other' }).expect(400);
      expect(missing.body.errors[0].field).toBe('custom_pronouns');
      await send('patch', '/users/me', alice, { pronouns: 'she_her', custom_pronouns: 'xe/xem' }).expect(400);
      const ok = await send('patch', '/users/me', alice, { pronouns: 'other', custom_pronouns: 'xe/xem' }).expect(200);
      expect(ok.body).toMatchObject({ pronouns: 'other', custom_pronouns: 'xe/xem' });
      const back = await send('patch', '/users/me', alice, { pronouns: 'he_him' }).expect(200);
      expect(back.body).toMatchObject({ pronouns: 'he_him', custom_pronouns: null });
      await send('patch', '/users/me', alice, { pronouns: 'nope' }).expect(400);
      await send('patch', '/users/me', alice, { about_me: 'x'.repeat(2001) }).expect(400);
    });

    it('refuses reserved and malformed usernames (acceptance 7)', async () => {
      const alice = await createUser(ctx);
      const res = await send('patch', '/users/me', alice, { username: 'explore' }).expect(400);
      expect(res.body.errors[0]).toMatchObject({ field: 'username', message: 'username is reserved' });
      await send('patch', '/users/me', alice, { username: 'a' }).expect(400);
      await send('patch', '/users/me', alice, { username: null }).expect(400);
    });

    it('renames once per 30 days and refuses taken handles', async () => {
      const alice = await createUser(ctx);
      const bob = await createUser(ctx);
      const taken = await send('patch', '/users/me', alice, { username: bob.user.username }).expect(409);
      expect(taken.body.code).toBe('USERNAME_TAKEN');
      const name = `alice_${Date.now().toString(36)}`;
      const res = await send('patch', '/users/me', alice, { username: name }).expect(200);
      expect(res.body.username).toBe(name);
      expect(res.body.username_changed_at).toEqual(expect.any(String));
      // the same name again is not a change
      await send('patch', '/users/me', alice, { username: name }).expect(200);
      const soon = await send('patch', '/users/me', alice, { username: `${name}_2` }).expect(409);
      expect(soon.body.code).toBe('USERNAME_CHANGE_TOO_SOON');
      expect(soon.body.next_change_at).toEqual(expect.any(String));
      await ctx.ds
        .getRepository(User)
        .update({ id: alice.user.id }, { usernameChangedAt: new Date(Date.now() - 31 * 86_400_000) });
      await send('patch', '/users/me', alice, { username: `${name}_2` }).expect(200);
    });

    it('accepts only an own image as avatar', async () => {
      const alice = await createUser(ctx);
      const bob = await createUser(ctx);
      const own = await createMedia(alice.user.id);
      const doc = await createMedia(alice.user.id, MediaKind.Document);
      const foreign = await createMedia(bob.user.id);
      const res = await send('patch', '/users/me', alice, { avatar_media_id: own.id }).expect(200);
      expect(res.body.avatar_url).toBe(`/api/v1/media/${own.id}/content`);
      await send('patch', '/users/me', alice, { avatar_media_id: doc.id }).expect(400);
      await send('patch', '/users/me', alice, { avatar_media_id: foreign.id }).expect(400);
      await send('patch', '/users/me', alice, { avatar_media_id: randomUUID() }).expect(400);
      await send('patch', '/users/me', alice, { avatar_media_id: 'nope' }).expect(400);
      const cleared = await send('patch', '/users/me', alice, { avatar_media_id: null }).expect(200);
      expect(cleared.body.avatar_url).toBeNull();
    });

    it('needs a token (401)', async () => {
      await send('patch', '/users/me', undefined, { nickname: 'x' }).expect(401);
    });
  });

  describe('PUT /users/me/password', () => {
    it('changes the password, ends sessions and stale access tokens', async () => {
      const alice = await createUser(ctx);
      const session = (
        await send('post', '/auth/login', undefined, { email: alice.user.email, password: alice.password })
      ).body;
      await send('put', '/users/me/password', alice, {
        current_password: alice.password,
        new_password: 'another fine password',
      }).expect(204);
      await get('/users/me', alice).expect(401);
      await send('post', '/auth/refresh', undefined, { refresh_token: session.refresh_token }).expect(401);
      await send('post', '/auth/login', undefined, {
        email: alice.user.email,
        password: 'another fine password',
      }).expect(200);
    });

    it('403 with a wrong current password, 400 for bad bodies, 401 without a token', async () => {
      const alice = await createUser(ctx);
      const res = await send('put', '/users/me/password', alice, {
        current_password: 'wrong wrong wrong',
        new_password: 'another fine password',
      }).expect(403);
      expect(res.body.code).toBe('WRONG_PASSWORD');
      await send('put', '/users/me/password', alice, {
        current_password: alice.password,
        new_password: 'short',
      }).expect(400);
      await send('put', '/users/me/password', alice, {
        current_password: alice.password,
        new_password: alice.user.email,
      }).expect(400);
      await send('put', '/users/me/password', undefined, {
        current_password: 'x',
        new_password: 'y'.repeat(12),
      }).expect(401);
    });
  });

  describe('PUT /users/me/email', () => {
    it('switches the address only after the mailed link is used', async () => {
      const alice = await createUser(ctx);
      const newEmail = `new-${Date.now().toString(36)}@example.test`;
      await send('put', '/users/me/email', alice, {
        current_password: alice.password,
        new_email: newEmail.toUpperCase(),
      }).expect(202);
      expect((await get('/users/me', alice)).body.email).toBe(alice.user.email);
      await ctx.jobs.drain();
      const mail = (ctx.app.get(MailTransport) as LogMailTransport).last(newEmail, 'email_change');
      expect(mail?.token).toEqual(expect.any(String));
      await send('post', '/auth/email/verify', undefined, { token: mail!.token }).expect(204);
      const after = (await get('/users/me', alice)).body;
      expect(after).toMatchObject({ email: newEmail, email_verified: true });
    });

    it('409 for a taken address, 403 for a wrong password, 400 for bad bodies, 401 without a token', async () => {
      const alice = await createUser(ctx);
      const bob = await createUser(ctx);
      const taken = await send('put', '/users/me/email', alice, {
        current_password: alice.password,
        new_email: bob.user.email,
      }).expect(409);
      expect(taken.body.code).toBe('EMAIL_TAKEN');
      await send('put', '/users/me/email', alice, {
        current_password: 'nope nope',
        new_email: 'z@example.test',
      }).expect(403);
      await send('put', '/users/me/email', alice, { current_password: alice.password, new_email: 'bad' }).expect(400);
      await send('put', '/users/me/email', alice, {
        current_password: alice.password,
        new_email: alice.user.email,
      }).expect(400);
      await send('put', '/users/me/email', undefined, { current_password: 'x', new_email: 'z@example.test' }).expect(
        401,
      );
    });
  });

  describe('DELETE /users/me', () => {
    it('deletes the account and queues the purge of its files after commit', async () => {
      const alice = await createUser(ctx);
      const m1 = await createMedia(alice.user.id);
      const m2 = await createMedia(alice.user.id, MediaKind.Document);
      const enqueue = jest.spyOn(ctx.jobs, 'enqueue');
      try {
        await send('delete', '/users/me', alice, { password: alice.password }).expect(204);
        const purge = enqueue.mock.calls.find(([name]) => name === 'media.purge');
        expect(purge?.[1]).toEqual({ storage_keys: expect.arrayContaining([m1.storageKey, m2.storageKey]) });
      } finally {
        enqueue.mockRestore();
      }
      expect(await ctx.ds.getRepository(User).existsBy({ id: alice.user.id })).toBe(false);
      expect(await ctx.ds.getRepository(Media).existsBy({ ownerId: alice.user.id })).toBe(false);
      await get('/users/me', alice).expect(401);
      await ctx.jobs.drain();
    });

    it('403 with a wrong password, 400 without one, 401 without a token', async () => {
      const alice = await createUser(ctx);
      await send('delete', '/users/me', alice, { password: 'wrong wrong' }).expect(403);
      await send('delete', '/users/me', alice, {}).expect(400);
      await send('delete', '/users/me', undefined, { password: 'x' }).expect(401);
      expect(await ctx.ds.getRepository(User).existsBy({ id: alice.user.id })).toBe(true);
    });
  });

  describe('GET /users/lookup', () => {
    it('gives a plain user only the card (acceptance 8)', async () => {
      const alice = await createUser(ctx);
      const bob = await createUser(ctx, { displayName: 'Bobby' });
      const res = await get(`/users/lookup?username=${bob.user.username.toUpperCase()}`, alice).expect(200);
      expect(res.body).toEqual({
        id: bob.user.id,
        username: bob.user.username,
        display_name: bob.user.username,
        avatar_url: null,
      });
    });

    it('adds email, role and status for moderators, the record for admins', async () => {
      const bob = await createUser(ctx);
      const mod = await createModerator(ctx);
      const admin = await createAdmin(ctx);
      const asMod = (await get(`/users/lookup?username=${bob.user.username}`, mod).expect(200)).body;
      expect(asMod).toMatchObject({ email: bob.user.email, role: 'user', status: 'active' });
      expect(asMod.account).toBeUndefined();
      const asAdmin = (await get(`/users/lookup?username=${bob.user.username}`, admin).expect(200)).body;
      expect(asAdmin.account).toMatchObject({ id: bob.user.id, email: bob.user.email, legacy_user_id: null });
    });

    it('404 for no match, 400 without username, 401 without a token', async () => {
      const alice = await createUser(ctx);
      const res = await get('/users/lookup?username=nobody_here_x', alice).expect(404);
      expect(res.body.code).toBe('USER_NOT_FOUND');
      await get('/users/lookup', alice).expect(400);
      await get('/users/lookup?username=abc').expect(401);
    });
  });

  describe('GET /users (moderator)', () => {
    it('lists newest first with keyset pages, filters and a prefix search', async () => {
      const mod = await createModerator(ctx);
      const tag = `zq${Date.now().toString(36)}`;
      const made: TestUser[] = [];
      for (let i = 0; i < 3; i += 1) made.push(await createUser(ctx, { username: `${tag}_${i}` }));
      await createUser(ctx, { username: `${tag}_s`, status: UserStatus.Suspended });

      const page1 = (await get(`/users?q=${tag.toUpperCase()}&status=active&limit=2`, mod).expect(200)).body;
      expect(page1.items.map((u: { username: string }) => u.username)).toEqual([`${tag}_2`, `${tag}_1`]);
      expect(page1.items[0]).toHaveProperty('email');
      expect(page1.items[0]).not.toHaveProperty('last_login_at');
      expect(page1.next_cursor).toEqual(expect.any(String));
      const page2 = (await get(`/users?q=${tag}&status=active&limit=2&cursor=${page1.next_cursor}`, mod).expect(200))
        .body;
      expect(page2.items.map((u: { username: string }) => u.username)).toEqual([`${tag}_0`]);
      expect(page2.next_cursor).toBeNull();

      const suspended = (await get(`/users?q=${tag}&status=suspended`, mod).expect(200)).body;
      expect(suspended.items.map((u: { username: string }) => u.username)).toEqual([`${tag}_s`]);
      const byEmail = (await get(`/users?q=${encodeURIComponent(made[0].user.email.slice(0, 20))}`, mod)).body;
      expect(byEmail.items.map((u: { id: string }) => u.id)).toContain(made[0].user.id);
      const mods = (await get('/users?role=moderator', mod).expect(200)).body;
      expect(mods.items.every((u: { role: string }) => u.role === 'moderator')).toBe(true);
      // LIKE wildcards are literal
      expect((await get('/users?q=%25', mod).expect(200)).body.items).toEqual([]);
    });

    it('403 for plain users, 400 for bad filters or cursors, 401 without a token', async () => {
      const alice = await createUser(ctx);
      const mod = await createModerator(ctx);
      await get('/users', alice).expect(403);
      await get('/users?role=king', mod).expect(400);
      await get('/users?limit=1000', mod).expect(400);
      const bad = await get('/users?cursor=bogus', mod).expect(400);
      expect(bad.body.code).toBe('INVALID_CURSOR');
      await get('/users').expect(401);
    });
  });

  describe('GET /users/{id}', () => {
    it('gives staff the record (admins also the last sign-in and legacy ids)', async () => {
      const bob = await createUser(ctx, { legacyUserId: `legacy-${Date.now()}` });
      const mod = await createModerator(ctx);
      const admin = await createAdmin(ctx);
      const asMod = (await get(`/users/${bob.user.id}`, mod).expect(200)).body;
      expect(asMod).toMatchObject({ id: bob.user.id, email: bob.user.email });
      expect(asMod).not.toHaveProperty('legacy_user_id');
      const asAdmin = (await get(`/users/${bob.user.id}`, admin).expect(200)).body;
      expect(asAdmin).toMatchObject({ legacy_user_id: bob.user.legacyUserId, last_login_at: null });
      expect(asAdmin).not.toHaveProperty('password_hash');
    });

    it('403 for plain users, 404 for unknown ids, 400 for bad ids, 401 without a token', async () => {
      const alice = await createUser(ctx);
      const mod = await createModerator(ctx);
      await get(`/users/${alice.user.id}`, alice).expect(403);
      await get(`/users/${randomUUID()}`, mod).expect(404);
      await get('/users/not-a-uuid', mod).expect(400);
      await get(`/users/${alice.user.id}`).expect(401);
    });
  });

  describe('suspension', () => {
    it('a suspended user’s valid token gets 403 ACCOUNT_SUSPENDED everywhere (acceptance 6)', async () => {
      const alice = await createUser(ctx);
      const mod = await createModerator(ctx);
      const session = (
        await send('post', '/auth/login', undefined, { email: alice.user.email, password: alice.password })
      ).body;
      const res = await send('post', `/users/${alice.user.id}/suspension`, mod, { reason: 'spam' }).expect(200);
      expect(res.body).toMatchObject({ status: 'suspended', suspended_until: null, suspension_reason: 'spam' });
      const me = await get('/users/me', alice).expect(403);
      expect(me.body).toMatchObject({ code: 'ACCOUNT_SUSPENDED', suspended_until: null });
      await send('patch', '/users/me', alice, { nickname: 'x' }).expect(403);
      await get(`/users/lookup?username=${mod.user.username}`, alice).expect(403);
      await send('post', '/auth/logout-all', alice).expect(403);
      const refreshed = await send('post', '/auth/refresh', undefined, { refresh_token: session.refresh_token });
      expect(refreshed.status).toBe(403);
      expect(refreshed.body.code).toBe('ACCOUNT_SUSPENDED');
      const signIn = await send('post', '/auth/login', undefined, {
        email: alice.user.email,
        password: alice.password,
      });
      expect(signIn.status).toBe(403);
      expect(signIn.body.code).toBe('ACCOUNT_SUSPENDED');

      const lifted = await send('delete', `/users/${alice.user.id}/suspension`, mod).expect(200);
      expect(lifted.body).toMatchObject({ status: 'active', suspension_reason: null });
      // the suspension bumped token_version: tokens from before it stay dead, refresh tokens still work
      await get('/users/me', alice).expect(401);
      const again = await send('post', '/auth/refresh', undefined, { refresh_token: session.refresh_token }).expect(
        200,
      );
      await request(ctx.http).get('/api/v1/users/me').auth(again.body.access_token, { type: 'bearer' }).expect(200);
    });

    it('a suspension with an end in the past no longer applies', async () => {
      const alice = await createUser(ctx);
      const admin = await createAdmin(ctx);
      const until = new Date(Date.now() + 3600_000).toISOString();
      const res = await send('post', `/users/${alice.user.id}/suspension`, admin, { until, reason: 'cool down' });
      expect(res.status).toBe(200);
      expect(res.body.suspended_until).toBe(until);
      await ctx.ds.getRepository(User).update({ id: alice.user.id }, { suspendedUntil: new Date(Date.now() - 1000) });
      const token = await createTokenFor(alice);
      await request(ctx.http).get('/api/v1/users/me').auth(token, { type: 'bearer' }).expect(200);
    });

    it('moderators suspend users and creators only; admins anyone but themselves', async () => {
      const mod = await createModerator(ctx);
      const otherMod = await createModerator(ctx);
      const admin = await createAdmin(ctx);
      const creator = await createUser(ctx, { role: UserRole.Creator });
      await send('post', `/users/${creator.user.id}/suspension`, mod, { reason: 'x' }).expect(200);
      const res = await send('post', `/users/${otherMod.user.id}/suspension`, mod, { reason: 'x' }).expect(403);
      expect(res.body.code).toBe('USER_ACTION_FORBIDDEN');
      await send('post', `/users/${admin.user.id}/suspension`, mod, { reason: 'x' }).expect(403);
      await send('post', `/users/${mod.user.id}/suspension`, mod, { reason: 'x' }).expect(403);
      await send('delete', `/users/${otherMod.user.id}/suspension`, mod).expect(403);
      await send('post', `/users/${otherMod.user.id}/suspension`, admin, { reason: 'x' }).expect(200);
      await send('post', `/users/${admin.user.id}/suspension`, admin, { reason: 'x' }).expect(403);
    });

    it('400 for bad bodies, 403 for plain users, 404 for unknown ids, 401 without a token', async () => {
      const alice = await createUser(ctx);
      const bob = await createUser(ctx);
      const mod = await createModerator(ctx);
      await send('post', `/users/${bob.user.id}/suspension`, mod, {}).expect(400);
      await send('post', `/users/${bob.user.id}/suspension`, mod, { reason: 'x', until: 'tomorrow' }).expect(400);
      await send('post', `/users/${bob.user.id}/suspension`, mod, {
        reason: 'x',
        until: new Date(Date.now() - 60_000).toISOString(),
      }).expect(400);
      await send('post', `/users/${bob.user.id}/suspension`, mod, { reason: 'x'.repeat(501) }).expect(400);
      await send('post', `/users/${bob.user.id}/suspension`, mod, { reason: 'x', extra: true }).expect(400);
      await send('post', `/users/${bob.user.id}/suspension`, alice, { reason: 'x' }).expect(403);
      await send('delete', `/users/${bob.user.id}/suspension`, alice).expect(403);
      await send('post', `/users/${randomUUID()}/suspension`, mod, { reason: 'x' }).expect(404);
      await send('delete', `/users/${randomUUID()}/suspension`, mod).expect(404);
      await send('post', `/users/${bob.user.id}/suspension`, undefined, { reason: 'x' }).expect(401);
      await send('delete', `/users/${bob.user.id}/suspension`).expect(401);
    });
  });

  describe('PATCH /users/{id}/role', () => {
    it('admins change roles; moderators get 403 (acceptance 5)', async () => {
      const bob = await createUser(ctx);
      const mod = await createModerator(ctx);
      const admin = await createAdmin(ctx);
      const res = await send('patch', `/users/${bob.user.id}/role`, admin, { role: 'moderator' }).expect(200);
      expect(res.body.role).toBe('moderator');
      await get('/users/me', bob).expect(401); // token_version bumped: the old role's token is stale
      const denied = await send('patch', `/users/${bob.user.id}/role`, mod, { role: 'admin' }).expect(403);
      expect(denied.body.code).toBe('ROLE_REQUIRED');
    });

    it('the last admin cannot be demoted', async () => {
      // this file's other tests create admins too: demote all but one first
      const admin = await createAdmin(ctx);
      await ctx.ds
        .getRepository(User)
        .createQueryBuilder()
        .update()
        .set({ role: UserRole.User })
        .where('role = :admin AND id <> :id', { admin: UserRole.Admin, id: admin.user.id })
        .execute();
      const res = await send('patch', `/users/${admin.user.id}/role`, admin, { role: 'user' }).expect(409);
      expect(res.body.code).toBe('LAST_ADMIN');
      const del = await send('delete', `/users/${admin.user.id}`, admin).expect(409);
      expect(del.body.code).toBe('LAST_ADMIN');
      const second = await createAdmin(ctx);
      await send('patch', `/users/${admin.user.id}/role`, second, { role: 'user' }).expect(200);
    });

    it('400 for bad roles, 403 for plain users, 404 for unknown ids, 401 without a token', async () => {
      const alice = await createUser(ctx);
      const admin = await createAdmin(ctx);
      await send('patch', `/users/${alice.user.id}/role`, admin, { role: 'king' }).expect(400);
      await send('patch', `/users/${alice.user.id}/role`, admin, {}).expect(400);
      await send('patch', `/users/${alice.user.id}/role`, alice, { role: 'admin' }).expect(403);
      await send('patch', `/users/${randomUUID()}/role`, admin, { role: 'user' }).expect(404);
      await send('patch', `/users/${alice.user.id}/role`, undefined, { role: 'user' }).expect(401);
    });
  });

  describe('DELETE /users/{id}', () => {
    it('admins delete accounts; moderators and users get 403; unknown ids 404; no token 401', async () => {
      const bob = await createUser(ctx);
      const mod = await createModerator(ctx);
      const admin = await createAdmin(ctx);
      await send('delete', `/users/${bob.user.id}`, mod).expect(403);
      await send('delete', `/users/${bob.user.id}`, bob).expect(403);
      await send('delete', `/users/${bob.user.id}`).expect(401);
      await send('delete', '/users/not-a-uuid', admin).expect(400);
      await send('delete', `/users/${bob.user.id}`, admin).expect(204);
      await send('delete', `/users/${bob.user.id}`, admin).expect(404);
      await get(`/users/${bob.user.id}`, admin).expect(404);
    });
  });

  async function createTokenFor(u: TestUser): Promise<string> {
    const { AccessTokenService } = await import('../../src/modules/identity/access-token.service.js');
    const row = await ctx.ds.getRepository(User).findOneByOrFail({ id: u.user.id });
    return ctx.app.get(AccessTokenService).issue(row);
  }
});
