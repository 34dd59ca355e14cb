import request from 'supertest';
import { UserRole } from '../../src/common/auth/actor.js';
import type { Memory } from '../../src/modules/memories/entities/memory.entity.js';
import { createBot } from '../factories/bot.factory.js';
import { createConversation } from '../factories/chat.factory.js';
import { addMessages, createMemory } from '../factories/memory.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import {
  describeAuthorizationMatrix,
  type MatrixEnvBase,
  type MatrixRow,
  statusRows,
} from '../setup/authorization-matrix.js';

/**
 * Walks every operation tagged `memories` in the OpenAPI document generated from the running app (chat.md §4
 * access: owner only; bot creators, moderators and admins get 404, never the memory). The fixture is a memory of
 * the owner from a group chat with the owner's private bot, in which `member` is an active member (the member may
 * see the conversation, so extraction answers them 403). Every request gets a fresh fixture.
 */
const ACTORS = ['anonymous', 'owner', 'stranger', 'member', 'moderator', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
const VARIANTS = ['memory'] as const;
type Variant = (typeof VARIANTS)[number];

interface Fixture {
  memory: Memory;
  botId: string;
  conversationId: string;
}
interface Env extends MatrixEnvBase<ActorName> {
  users: Record<Exclude<ActorName, 'anonymous'>, TestUser>;
}
type Row = MatrixRow<Fixture, Variant, Env>;

const { same, signedIn } = statusRows(ACTORS, VARIANTS);
//                                   anon owner stranger member moderator admin
const OWNER_ONLY = (ok: number) => same([401, ok, 404, 404, 404, 404]);

const TABLE: Record<string, Row> = {
  'GET /api/v1/memories': { expect: same(signedIn(200)) },
  // the linked bot is the owner's private bot: only readers of it may link a memory to it (admins read every bot)
  'POST /api/v1/memories': {
    body: (f) => ({ content: 'A new fact.', bot_ids: [f.botId] }),
    expect: same([401, 201, 404, 404, 404, 201]),
  },
  'POST /api/v1/memories/consolidate': { expect: same(signedIn(202)) },
  'GET /api/v1/memories/{id}': { expect: OWNER_ONLY(200) },
  'PATCH /api/v1/memories/{id}': { body: () => ({ importance: 9 }), expect: OWNER_ONLY(200) },
  'DELETE /api/v1/memories/{id}': { expect: OWNER_ONLY(204) },
  'POST /api/v1/memories/{id}/convert-to-knowledge': { expect: OWNER_ONLY(201) },
  'POST /api/v1/conversations/{id}/memories/extract': {
    params: (f) => ({ id: f.conversationId }),
    expect: same([401, 202, 404, 403, 404, 404]),
  },
};

describeAuthorizationMatrix<ActorName, Variant, Fixture, Env, Row>({
  title: 'memories',
  tags: ['memories'],
  actors: ACTORS,
  variants: VARIANTS,
  table: TABLE,
  fixtures: 'per-request',
  setup: async (ctx) => ({
    users: {
      owner: await createUser(ctx),
      stranger: await createUser(ctx),
      member: await createUser(ctx),
      moderator: await createUser(ctx, { role: UserRole.Moderator }),
      admin: await createUser(ctx, { role: UserRole.Admin }),
    },
  }),
  fixture: async (env) => {
    const { ctx, users } = env;
    const bot = await createBot(ctx, { ownerId: users.owner.user.id });
    const conv = await createConversation(ctx, users.owner.token, { bot_ids: [bot.id] });
    const added = await request(ctx.http)
      .post(`/api/v1/conversations/${conv.id}/participants`)
      .set('Authorization', `Bearer ${users.owner.token}`)
      .send({ user_id: users.member.user.id });
    if (added.status !== 201) throw new Error(`add member: ${added.status} ${JSON.stringify(added.body)}`);
    await addMessages(ctx, conv.id, [{ kind: 'user', userId: users.owner.user.id, content: 'Something new.' }]);
    const memory = await createMemory(
      ctx,
      { userId: users.owner.user.id, conversationId: conv.id, content: 'The owner keeps bees.' },
      { botIds: [bot.id] },
    );
    return { memory, botId: bot.id, conversationId: conv.id };
  },
  params: (f) => ({ id: f.memory.id }),
  check: (res, call) => {
    // a refused caller never sees the memory's text
    if (call.actor !== 'owner' && JSON.stringify(res.body ?? {}).includes('keeps bees')) return 'memory content leaked';
    return undefined;
  },
});
