import request from 'supertest';
import { UserRole } from '../../src/common/auth/actor.js';
import { AdminAccountService } from '../../src/modules/identity/admin-account.service.js';
import { User } from '../../src/modules/identity/entities/user.entity.js';
import { createUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

const ADMIN_EMAIL = 'boot-admin@example.test';
const ADMIN_PASSWORD = 'bootstrap admin password';

/** This file's app runs with rate limiting on and the ADMIN_* bootstrap variables set. */
describe('identity: rate limits and admin bootstrap', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await createTestApp({
      env: { RATE_LIMIT_ENABLED: 'true', ADMIN_EMAIL: ADMIN_EMAIL.toUpperCase(), ADMIN_PASSWORD },
    });
  });
  afterAll(() => ctx?.close());

  describe('rate limits', () => {
    it('login: the 11th attempt within a minute from one IP gets 429 with Retry-After', async () => {
      const { user, password } = await createUser(ctx);
      for (let i = 0; i < 10; i += 1) {
        await request(ctx.http)
          .post('/api/v1/auth/login')
          .send({ email: `nobody${i}@example.test`, password: 'x' });
      }
      const res = await request(ctx.http).post('/api/v1/auth/login').send({ email: user.email, password }).expect(429);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.body.code).toBe('RATE_LIMITED');
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(60);
    });

    it('forgot-password: 3 per hour per address; another address still works', async () => {
      const email = 'limited@example.test';
      for (let i = 0; i < 3; i += 1) {
        await request(ctx.http).post('/api/v1/auth/password/forgot').send({ email }).expect(202);
      }
      const res = await request(ctx.http).post('/api/v1/auth/password/forgot').send({ email }).expect(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      await request(ctx.http).post('/api/v1/auth/password/forgot').send({ email: 'other@example.test' }).expect(202);
    });

    it('register: the 6th sign-up within an hour from one IP gets 429', async () => {
      for (let i = 0; i < 5; i += 1) {
        await request(ctx.http)
          .post('/api/v1/auth/register')
          .send({ email: `rl-${i}-${Date.now()}@example.test`, password: 'a long enough password' })
          .expect(201);
      }
      await request(ctx.http)
        .post('/api/v1/auth/register')
        .send({ email: `rl-6-${Date.now()}@example.test`, password: 'a long enough password' })
        .expect(429);
    });
  });

  describe('admin bootstrap', () => {
    it('creates the ADMIN_EMAIL account as admin on start', async () => {
      const admins = await ctx.ds.getRepository(User).findBy({ role: UserRole.Admin });
      expect(admins).toHaveLength(1);
      expect(admins[0]).toMatchObject({ email: ADMIN_EMAIL, role: UserRole.Admin });
      expect(admins[0].emailVerifiedAt).not.toBeNull();
      expect(admins[0].passwordHash).toMatch(/^\$argon2id\$/);
    });

    it('runs again without creating a second admin', async () => {
      await ctx.app.get(AdminAccountService).onApplicationBootstrap();
      expect(await ctx.ds.getRepository(User).countBy({ role: UserRole.Admin })).toBe(1);
    });

    it('createOrPromote (the admin:create CLI) promotes an existing account and creates a missing one', async () => {
      const service = ctx.app.get(AdminAccountService);
      const { user } = await createUser(ctx);
      expect(await service.createOrPromote(user.email.toUpperCase())).toEqual({
        userId: user.id,
        outcome: 'promoted',
      });
      const promoted = await ctx.ds.getRepository(User).findOneByOrFail({ id: user.id });
      expect(promoted.role).toBe(UserRole.Admin);
      expect(promoted.tokenVersion).toBe(user.tokenVersion + 1);
      expect((await service.createOrPromote(user.email)).outcome).toBe('unchanged');
      const created = await service.createOrPromote('cli-admin@example.test', 'cli admin password');
      expect(created.outcome).toBe('created');
      await expect(service.createOrPromote('cli-2@example.test', 'short')).rejects.toThrow(/password/);
      await expect(service.createOrPromote('not-an-email', 'cli admin password')).rejects.toThrow(/email/);
    });
  });
});
