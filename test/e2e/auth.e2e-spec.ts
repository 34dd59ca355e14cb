import request from 'supertest';
import { User, UserStatus } from '../../src/modules/identity/entities/user.entity.js';
import { RefreshToken } from '../../src/modules/identity/entities/refresh-token.entity.js';
import { LogMailTransport, MailTransport } from '../../src/modules/identity/mail/mail-transport.js';
import { createUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

const PASSWORD = 'a long enough password';
let seq = 0;
const freshEmail = () => `auth-${Date.now().toString(36)}-${(seq += 1)}@example.test`;

describe('identity: auth', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx?.close());

  const outbox = () => ctx.app.get(MailTransport) as LogMailTransport;
  const register = (body: Record<string, unknown>) => request(ctx.http).post('/api/v1/auth/register').send(body);
  const login = (email: string, password: string) =>
    request(ctx.http).post('/api/v1/auth/login').send({ email, password });
  const refresh = (token: string) => request(ctx.http).post('/api/v1/auth/refresh').send({ refresh_token: token });
  const me = (token: string) => request(ctx.http).get('/api/v1/users/me').auth(token, { type: 'bearer' });

  async function mailFor(email: string, template: string) {
    await ctx.jobs.drain();
    const message = outbox().last(email, template as never);
    expect(message).toBeDefined();
    return message!;
  }

  describe('POST /auth/register', () => {
    it('creates the account and signs in (acceptance 1)', async () => {
      const email = freshEmail();
      const res = await register({
        email,
        password: PASSWORD,
        username: `reg_${seq}`,
        display_name: '  Mira  ',
      }).expect(201);
      expect(res.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
      expect(res.body.access_token).toEqual(expect.any(String));
      expect(res.body.refresh_token).toEqual(expect.any(String));
      expect(res.body.user).toMatchObject({
        email,
        username: `reg_${seq}`,
        display_name: 'Mira',
        role: 'user',
        status: 'active',
        email_verified: false,
      });
      const raw = JSON.stringify(res.body);
      for (const hidden of ['password_hash', 'passwordHash', 'token_version', 'failed_login_count', 'locked_until']) {
        expect(raw).not.toContain(hidden);
      }
      await me(res.body.access_token).expect(200);
      await refresh(res.body.refresh_token).expect(200);
    });

    it('refuses the same email in another case with 409 (acceptance 1)', async () => {
      const email = freshEmail();
      await register({ email, password: PASSWORD }).expect(201);
      const res = await register({ email: email.toUpperCase(), password: PASSWORD }).expect(409);
      expect(res.body.code).toBe('EMAIL_TAKEN');
    });

    it('stores the email lower-case and generates a username from the local part', async () => {
      const res = await register({ email: 'Jane.Doe+x@Example.TEST', password: PASSWORD }).expect(201);
      expect(res.body.user.email).toBe('jane.doe+x@example.test');
      expect(res.body.user.username).toMatch(/^jane_doe_x\d{4}$/);
    });

    it('refuses a taken username with 409', async () => {
      const username = `taken_${Date.now().toString(36)}`;
      await register({ email: freshEmail(), password: PASSWORD, username }).expect(201);
      const res = await register({ email: freshEmail(), password: PASSWORD, username: username.toUpperCase() });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('USERNAME_TAKEN');
    });

    it('accepts accepted_document_ids (uuids) and refuses other shapes', async () => {
      await register({
        email: freshEmail(),
        password: PASSWORD,
        accepted_document_ids: ['7d1f8b4e-3d0a-4b8c-9f4e-2a1b3c4d5e6f'],
      }).expect(201);
      const res = await register({ email: freshEmail(), password: PASSWORD, accepted_document_ids: ['nope'] });
      expect(res.status).toBe(400);
    });

    it.each([
      ['a reserved username (acceptance 7)', { username: 'explore' }, 'username'],
      ['a reserved username in capitals', { username: 'Admin' }, 'username'],
      ['a malformed username', { username: '_x' }, 'username'],
      ['a short password', { password: 'short' }, 'password'],
      ['a password of 129 characters', { password: 'x'.repeat(129) }, 'password'],
      ['a bad email', { email: 'not-an-email' }, 'email'],
      ['an unknown field', { role: 'admin' }, 'role'],
    ])('answers 400 for %s', async (_label, override, field) => {
      const res = await register({ email: freshEmail(), password: PASSWORD, ...override }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('refuses a password equal to the email', async () => {
      const email = freshEmail();
      const res = await register({ email, password: email.toUpperCase() }).expect(400);
      expect(res.body.errors[0].field).toBe('password');
    });

    it('queues a verification mail and a welcome mail; the link verifies the address once', async () => {
      const email = freshEmail();
      const res = await register({ email, password: PASSWORD }).expect(201);
      const verification = await mailFor(email, 'email_verification');
      await mailFor(email, 'welcome');
      expect(verification.link).toContain(encodeURIComponent(verification.token!));
      await request(ctx.http).post('/api/v1/auth/email/verify').send({ token: verification.token }).expect(204);
      const after = await me(res.body.access_token).expect(200);
      expect(after.body.email_verified).toBe(true);
      const again = await request(ctx.http).post('/api/v1/auth/email/verify').send({ token: verification.token });
      expect(again.status).toBe(400);
      expect(again.body.code).toBe('INVALID_TOKEN');
    });
  });

  describe('POST /auth/login', () => {
    it('signs in and records the time', async () => {
      const { user, password } = await createUser(ctx);
      const res = await login(user.email, password).expect(200);
      expect(res.body.user.id).toBe(user.id);
      expect(res.body.user.last_login_at).toEqual(expect.any(String));
      await me(res.body.access_token).expect(200);
    });

    it('accepts the email in any case', async () => {
      const { user, password } = await createUser(ctx);
      await login(user.email.toUpperCase(), password).expect(200);
    });

    it('answers unknown email and wrong password with the same 401 body (acceptance 2)', async () => {
      const { user } = await createUser(ctx);
      const wrong = await login(user.email, 'not the password at all').expect(401);
      const unknown = await login(freshEmail(), 'not the password at all').expect(401);
      const strip = (b: Record<string, unknown>) => ({ ...b, correlation_id: undefined });
      expect(strip(wrong.body)).toEqual(strip(unknown.body));
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    });

    it('locks after 5 failures: the 6th attempt fails even with the right password, then works after locked_until (acceptance 2)', async () => {
      const { user, password } = await createUser(ctx);
      for (let i = 0; i < 5; i += 1) await login(user.email, 'wrong password!!').expect(401);
      const locked = await login(user.email, password).expect(401);
      expect(locked.body.code).toBe('INVALID_CREDENTIALS');
      const row = await ctx.ds.getRepository(User).findOneByOrFail({ id: user.id });
      expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + 9 * 60_000);
      await ctx.ds.getRepository(User).update({ id: user.id }, { lockedUntil: new Date(Date.now() - 1000) });
      await login(user.email, password).expect(200);
      const reset = await ctx.ds.getRepository(User).findOneByOrFail({ id: user.id });
      expect(reset.failedLoginCount).toBe(0);
      expect(reset.lockedUntil).toBeNull();
    });

    it('a success resets the failure counter', async () => {
      const { user, password } = await createUser(ctx);
      for (let i = 0; i < 4; i += 1) await login(user.email, 'wrong password!!').expect(401);
      await login(user.email, password).expect(200);
      for (let i = 0; i < 4; i += 1) await login(user.email, 'wrong password!!').expect(401);
      await login(user.email, password).expect(200);
    });

    it('refuses a suspended account with 403 ACCOUNT_SUSPENDED', async () => {
      const { user, password } = await createUser(ctx, { status: UserStatus.Suspended });
      const res = await login(user.email, password).expect(403);
      expect(res.body.code).toBe('ACCOUNT_SUSPENDED');
    });

    it('answers 400 for a missing password or an unknown field', async () => {
      await request(ctx.http).post('/api/v1/auth/login').send({ email: 'x@example.test' }).expect(400);
      await request(ctx.http)
        .post('/api/v1/auth/login')
        .send({ email: 'x@example.test', password: 'x', remember: true })
        .expect(400);
    });
  });

  describe('POST /auth/refresh', () => {
    it('rotates; a reused token fails and kills the token issued by the first use (acceptance 3)', async () => {
      const { user, password } = await createUser(ctx);
      const first = (await login(user.email, password).expect(200)).body;
      const second = (await refresh(first.refresh_token).expect(200)).body;
      expect(second.refresh_token).not.toBe(first.refresh_token);
      await me(second.access_token).expect(200);
      const reuse = await refresh(first.refresh_token).expect(401);
      expect(reuse.body.code).toBe('INVALID_REFRESH_TOKEN');
      await refresh(second.refresh_token).expect(401);
    });

    it('revokes only the reused family, not other sessions', async () => {
      const { user, password } = await createUser(ctx);
      const a = (await login(user.email, password)).body;
      const b = (await login(user.email, password)).body;
      await refresh(a.refresh_token).expect(200);
      await refresh(a.refresh_token).expect(401);
      await refresh(b.refresh_token).expect(200);
    });

    it('stores only the SHA-256 of the token', async () => {
      const { user, password } = await createUser(ctx);
      const { refresh_token } = (await login(user.email, password)).body;
      const rows = await ctx.ds.getRepository(RefreshToken).findBy({ userId: user.id });
      expect(rows).toHaveLength(1);
      expect(rows[0].tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[0].tokenHash).not.toContain(refresh_token);
      expect(rows[0].expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    });

    it('refuses expired, unknown and malformed tokens', async () => {
      const { user, password } = await createUser(ctx);
      const { refresh_token } = (await login(user.email, password)).body;
      await ctx.ds.getRepository(RefreshToken).update({ userId: user.id }, { expiresAt: new Date(Date.now() - 1) });
      await refresh(refresh_token).expect(401);
      await refresh('made-up-token').expect(401);
      await request(ctx.http).post('/api/v1/auth/refresh').send({}).expect(400);
      await request(ctx.http).post('/api/v1/auth/refresh').send({ refresh_token: 'x', extra: 1 }).expect(400);
    });
  });

  describe('POST /auth/logout and /auth/logout-all', () => {
    it('logout ends the session of the presented token only', async () => {
      const { user, password } = await createUser(ctx);
      const a = (await login(user.email, password)).body;
      const b = (await login(user.email, password)).body;
      const rotated = (await refresh(a.refresh_token)).body;
      await request(ctx.http)
        .post('/api/v1/auth/logout')
        .auth(a.access_token, { type: 'bearer' })
        .send({ refresh_token: rotated.refresh_token })
        .expect(204);
      await refresh(rotated.refresh_token).expect(401);
      await refresh(b.refresh_token).expect(200);
    });

    it('logout cannot end another person’s session', async () => {
      const alice = await createUser(ctx);
      const bob = await createUser(ctx);
      const bobSession = (await login(bob.user.email, bob.password)).body;
      await request(ctx.http)
        .post('/api/v1/auth/logout')
        .auth(alice.token, { type: 'bearer' })
        .send({ refresh_token: bobSession.refresh_token })
        .expect(204);
      await refresh(bobSession.refresh_token).expect(200);
    });

    it('logout-all ends every session and invalidates access tokens', async () => {
      const { user, password } = await createUser(ctx);
      const a = (await login(user.email, password)).body;
      const b = (await login(user.email, password)).body;
      await request(ctx.http).post('/api/v1/auth/logout-all').auth(a.access_token, { type: 'bearer' }).expect(204);
      await refresh(a.refresh_token).expect(401);
      await refresh(b.refresh_token).expect(401);
      const stale = await me(b.access_token).expect(401);
      expect(stale.body.code).toBe('TOKEN_REVOKED');
      await login(user.email, password).expect(200);
    });

    it('both need a token (401) and logout needs a body (400)', async () => {
      await request(ctx.http).post('/api/v1/auth/logout').send({ refresh_token: 'x' }).expect(401);
      await request(ctx.http).post('/api/v1/auth/logout-all').expect(401);
      const { token } = await createUser(ctx);
      await request(ctx.http).post('/api/v1/auth/logout').auth(token, { type: 'bearer' }).send({}).expect(400);
    });
  });

  describe('password reset', () => {
    it('answers 202 for unknown emails and sends nothing (acceptance 4)', async () => {
      const email = freshEmail();
      await request(ctx.http).post('/api/v1/auth/password/forgot').send({ email }).expect(202);
      await ctx.jobs.drain();
      expect(outbox().last(email)).toBeUndefined();
    });

    it('after a reset, old refresh tokens and the old access token fail (acceptance 4)', async () => {
      const { user, password } = await createUser(ctx);
      const session = (await login(user.email, password)).body;
      await request(ctx.http).post('/api/v1/auth/password/forgot').send({ email: user.email }).expect(202);
      const mail = await mailFor(user.email, 'password_reset');
      const newPassword = 'a brand new password';
      await request(ctx.http)
        .post('/api/v1/auth/password/reset')
        .send({ token: mail.token, new_password: newPassword })
        .expect(204);
      await refresh(session.refresh_token).expect(401);
      await me(session.access_token).expect(401);
      await login(user.email, password).expect(401);
      await login(user.email, newPassword).expect(200);
      const reuse = await request(ctx.http)
        .post('/api/v1/auth/password/reset')
        .send({ token: mail.token, new_password: 'yet another password' });
      expect(reuse.status).toBe(400);
      expect(reuse.body.code).toBe('INVALID_TOKEN');
    });

    it('a newer reset token invalidates the older one', async () => {
      const { user } = await createUser(ctx);
      await request(ctx.http).post('/api/v1/auth/password/forgot').send({ email: user.email }).expect(202);
      const older = await mailFor(user.email, 'password_reset');
      await request(ctx.http).post('/api/v1/auth/password/forgot').send({ email: user.email }).expect(202);
      const newer = await mailFor(user.email, 'password_reset');
      expect(newer.token).not.toBe(older.token);
      await request(ctx.http)
        .post('/api/v1/auth/password/reset')
        .send({ token: older.token, new_password: 'a brand new password' })
        .expect(400);
      await request(ctx.http)
        .post('/api/v1/auth/password/reset')
        .send({ token: newer.token, new_password: 'a brand new password' })
        .expect(204);
    });

    it('refuses bad bodies (400) and unknown tokens (400 INVALID_TOKEN)', async () => {
      await request(ctx.http).post('/api/v1/auth/password/forgot').send({ email: 'nope' }).expect(400);
      await request(ctx.http).post('/api/v1/auth/password/forgot').send({}).expect(400);
      await request(ctx.http)
        .post('/api/v1/auth/password/reset')
        .send({ token: 'whatever', new_password: 'short' })
        .expect(400);
      const res = await request(ctx.http)
        .post('/api/v1/auth/password/reset')
        .send({ token: 'whatever', new_password: 'long enough password' })
        .expect(400);
      expect(res.body.code).toBe('INVALID_TOKEN');
    });

    it('refuses a new password equal to the email', async () => {
      const { user } = await createUser(ctx);
      await request(ctx.http).post('/api/v1/auth/password/forgot').send({ email: user.email }).expect(202);
      const mail = await mailFor(user.email, 'password_reset');
      const res = await request(ctx.http)
        .post('/api/v1/auth/password/reset')
        .send({ token: mail.token, new_password: user.email })
        .expect(400);
      expect(res.body.errors[0].field).toBe('new_password');
    });
  });

  describe('email verification', () => {
    it('resends a verification link; the older link stops working', async () => {
      const email = freshEmail();
      const { access_token } = (await register({ email, password: PASSWORD }).expect(201)).body;
      const first = await mailFor(email, 'email_verification');
      await request(ctx.http)
        .post('/api/v1/auth/email/verification')
        .auth(access_token, { type: 'bearer' })
        .expect(202);
      const second = await mailFor(email, 'email_verification');
      expect(second.token).not.toBe(first.token);
      await request(ctx.http).post('/api/v1/auth/email/verify').send({ token: first.token }).expect(400);
      await request(ctx.http).post('/api/v1/auth/email/verify').send({ token: second.token }).expect(204);
    });

    it('resend needs a token (401); verify needs a body (400)', async () => {
      await request(ctx.http).post('/api/v1/auth/email/verification').expect(401);
      await request(ctx.http).post('/api/v1/auth/email/verify').send({}).expect(400);
      await request(ctx.http).post('/api/v1/auth/email/verify').send({ token: 'x', more: 1 }).expect(400);
    });
  });

  describe('secrets never reach the logs', () => {
    it('register, login, refresh and password change log no password or token', async () => {
      const email = freshEmail();
      const password = 'log-probe password 1';
      const newPassword = 'log-probe password 2';
      const reg = (await register({ email, password }).expect(201)).body;
      const signIn = (await login(email, password).expect(200)).body;
      const rotated = (await refresh(signIn.refresh_token).expect(200)).body;
      await request(ctx.http)
        .put('/api/v1/users/me/password')
        .auth(rotated.access_token, { type: 'bearer' })
        .send({ current_password: password, new_password: newPassword })
        .expect(204);
      await request(ctx.http).post('/api/v1/auth/password/forgot').send({ email }).expect(202);
      await ctx.jobs.drain();
      const reset = outbox().last(email, 'password_reset')!;
      const verification = outbox().last(email, 'email_verification')!;
      const logs = ctx.logs().join('\n');
      expect(logs).toContain('/api/v1/auth/login'); // the capture works
      const secrets = [
        password,
        newPassword,
        reg.access_token,
        reg.refresh_token,
        signIn.access_token,
        signIn.refresh_token,
        rotated.access_token,
        rotated.refresh_token,
        reset.token!,
        verification.token!,
      ];
      for (const secret of secrets) expect(logs).not.toContain(secret);
      expect(logs).not.toContain(email); // the log mail transport logs the user id, not the address
    });
  });
});
