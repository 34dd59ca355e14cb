import { randomBytes } from 'node:crypto';
import {
  AccessResourceType,
  GrantLevel,
  GrantMethod,
  ResourceVisibility,
} from '../../src/common/access/access.enums.js';
import { AccessGrant } from '../../src/modules/access/entities/access-grant.entity.js';
import { Bot } from '../../src/modules/bots/entities/bot.entity.js';
import type { TestApp } from '../setup/test-app.js';

let counter = 0;

/** An in-memory bot with a unique slug; nothing is saved. `ownerId` is required to save it. */
export function buildBot(overrides: Partial<Bot> = {}): Bot {
  counter += 1;
  const tag = `${Date.now().toString(36)}${counter}${randomBytes(2).toString('hex')}`;
  return Object.assign(new Bot(), {
    name: `Bot ${tag}`,
    slug: `bot-${tag}`,
    systemPrompt: `You are bot ${tag}.`,
    description: `A test bot ${tag}.`,
    visibility: ResourceVisibility.Private,
    ...overrides,
  });
}

/** Saves a bot; public bots get published_at unless given. */
export async function createBot(ctx: TestApp, overrides: Partial<Bot> & { ownerId: string }): Promise<Bot> {
  const bot = buildBot(overrides);
  if (bot.visibility === ResourceVisibility.Public && !bot.publishedAt) bot.publishedAt = new Date();
  const saved = await ctx.ds.getRepository(Bot).save(bot);
  return ctx.ds.getRepository(Bot).findOneByOrFail({ id: saved.id });
}

/** Saves a grant directly (bypassing the API's rules), e.g. to set up a test's starting state. */
export async function createGrant(
  ctx: TestApp,
  input: {
    bot: Bot;
    granteeId: string;
    level?: GrantLevel;
    expiresAt?: Date | null;
    revokedAt?: Date | null;
    grantedById?: string | null;
  },
): Promise<AccessGrant> {
  const repo = ctx.ds.getRepository(AccessGrant);
  const saved = await repo.save(
    repo.create({
      resourceType: AccessResourceType.Bot,
      botId: input.bot.id,
      granteeId: input.granteeId,
      level: input.level ?? GrantLevel.View,
      grantMethod: GrantMethod.DirectShare,
      grantedById: input.grantedById ?? input.bot.ownerId,
      expiresAt: input.expiresAt ?? null,
      revokedAt: input.revokedAt ?? null,
    }),
  );
  return repo.findOneByOrFail({ id: saved.id });
}
