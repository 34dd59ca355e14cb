import { randomBytes } from 'node:crypto';
import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import type { Bot } from '../../src/modules/bots/entities/bot.entity.js';
import { CreatorProfile } from '../../src/modules/creators/entities/creator-profile.entity.js';
import { CreatorProgram } from '../../src/modules/creators/entities/creator-program.entity.js';
import {
  CreatorProgramStatus,
  CreatorProgramType,
  ProgramApplicationMethod,
} from '../../src/modules/creators/entities/creator.enums.js';
import type { User } from '../../src/modules/identity/entities/user.entity.js';
import type { TestApp } from '../setup/test-app.js';
import { createBot } from './bot.factory.js';
import { createUser, type TestUser } from './user.factory.js';

let counter = 0;
const tag = () => `${Date.now().toString(36)}${++counter}${randomBytes(2).toString('hex')}`;

/** An in-memory profile for `userId`; nothing is saved. */
export function buildCreatorProfile(userId: string, overrides: Partial<CreatorProfile> = {}): CreatorProfile {
  return Object.assign(new CreatorProfile(), {
    userId,
    displayName: `Creator ${tag()}`,
    bio: 'I make bots.',
    specialties: [],
    languages: [],
    tags: [],
    ...overrides,
  });
}

export interface TestCreator extends TestUser {
  profile: CreatorProfile;
}

/** A user with role creator and a saved profile (bypassing the API). */
export async function createCreator(
  ctx: TestApp,
  overrides: { user?: Partial<User>; profile?: Partial<CreatorProfile> } = {},
): Promise<TestCreator> {
  const u = await createUser(ctx, { role: UserRole.Creator, ...overrides.user });
  const repo = ctx.ds.getRepository(CreatorProfile);
  const saved = await repo.save(buildCreatorProfile(u.user.id, overrides.profile));
  return { ...u, profile: await repo.findOneByOrFail({ id: saved.id }) };
}

/** A public bot of the user; public_bot_count +1 as the bots service does (bots.md §1.5). */
export async function createPublicBot(ctx: TestApp, ownerId: string, overrides: Partial<Bot> = {}): Promise<Bot> {
  const bot = await createBot(ctx, { ownerId, visibility: ResourceVisibility.Public, ...overrides });
  await ctx.ds.query(`UPDATE creator_profiles SET public_bot_count = public_bot_count + 1 WHERE user_id = $1`, [
    ownerId,
  ]);
  return bot;
}

/** An active programme (saved directly) with permissive defaults: no portfolio, no minimum bots. */
export async function createProgram(ctx: TestApp, overrides: Partial<CreatorProgram> = {}): Promise<CreatorProgram> {
  const t = tag();
  const repo = ctx.ds.getRepository(CreatorProgram);
  const saved = await repo.save(
    repo.create({
      name: `Program ${t}`,
      slug: `program-${t}`.toLowerCase(),
      programType: CreatorProgramType.Mentorship,
      status: CreatorProgramStatus.Active,
      shortDescription: 'Short',
      description: 'Long description',
      minBotCount: 0,
      portfolioReview: false,
      applicationMethod: ProgramApplicationMethod.Form,
      ...overrides,
    }),
  );
  return repo.findOneByOrFail({ id: saved.id });
}
