import { randomBytes } from 'node:crypto';
import { UserRole } from '../../src/common/auth/actor.js';
import { AccessTokenService } from '../../src/modules/identity/access-token.service.js';
import { User } from '../../src/modules/identity/entities/user.entity.js';
import { PasswordHasher } from '../../src/modules/identity/password-hasher.js';
import type { TestApp } from '../setup/test-app.js';

export interface TestUser {
  user: User;
  /** A valid access token for this user. */
  token: string;
  password: string;
}

let counter = 0;

/** An in-memory user with unique email and username; nothing is saved. */
export function buildUser(overrides: Partial<User> = {}): User {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}${randomBytes(2).toString('hex')}`;
  return Object.assign(new User(), {
    email: `user-${tag}@example.test`,
    username: `user_${tag}`.slice(0, 30),
    role: UserRole.User,
    emailVerifiedAt: new Date(),
    ...overrides,
  });
}

/** Saves a user (argon2-hashed password) and mints an access token the API accepts. */
export async function createUser(
  ctx: TestApp,
  overrides: Partial<User> & { password?: string } = {},
): Promise<TestUser> {
  const { password = 'correct horse battery staple', ...fields } = overrides;
  const user = buildUser(fields);
  user.passwordHash = await ctx.app.get(PasswordHasher).hash(password);
  const saved = await ctx.ds.getRepository(User).save(user);
  return { user: saved, token: ctx.app.get(AccessTokenService).issue(saved), password };
}

export const createAdmin = (ctx: TestApp) => createUser(ctx, { role: UserRole.Admin });
export const createModerator = (ctx: TestApp) => createUser(ctx, { role: UserRole.Moderator });
