import request from 'supertest';
import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/fake-provider.js';
import { buildApiKeyBody, createApiKey } from '../factories/api-key.factory.js';
import { createBot } from '../factories/bot.factory.js';
import { createConversation } from '../factories/chat.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import {
  createActorUsers,
  describeAuthorizationMatrix,
  type MatrixEnvBase,
  type MatrixRow,
  statusRows,
} from '../setup/authorization-matrix.js';

/**
 * Walks every operation tagged `api-keys` (keys, fallbacks, usage, audit, the provider registry and the admin
 * routes) in the OpenAPI document generated from the running app (api-keys.md §2.3, §5): the owner manages the
 * key, everyone else gets 404 for it, admins see metadata through /admin/api-keys only and never a secret. Two
 * generation entry points run with the key's id as well (§2.3 "use for generation: only for the owner's own
 * requests"): every actor posts into, and previews, a conversation of their own naming the owner's key.
 *
 * Fixture per variant (`active`, or `suspended` by an admin): a fresh owner with a custom key on the fake provider
 * (so verification succeeds) and a second key (fallback target), and the owner's conversation with a public bot.
 * Fixtures are reused; a row marked `mutates` gets a fresh one after each 2xx. No response ever carries the secret
 * or a secret-like field.
 */
const TAG = 'api-keys';
const ACTORS = ['anonymous', 'owner', 'stranger', 'moderator', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
const VARIANTS = ['active', 'suspended'] as const;
type Variant = (typeof VARIANTS)[number];

interface Fixture {
  owner: TestUser;
  keyId: string;
  secret: string;
  otherKeyId: string;
  /** Each signed-in actor's own conversation with the public bot. */
  conversations: Record<Exclude<ActorName, 'anonymous'>, string>;
}

interface Env extends MatrixEnvBase<ActorName> {
  users: Record<Exclude<ActorName, 'anonymous' | 'owner'>, TestUser>;
  botId: string;
  /** Conversations of the shared actors (the owner's is per fixture). */
  conversations: Record<Exclude<ActorName, 'anonymous' | 'owner'>, string>;
}

type Row = MatrixRow<Fixture, Variant, Env, ActorName>;

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake?.close());

const { same, signedIn } = statusRows(ACTORS, VARIANTS);
//                                     anon owner stranger moderator admin
const OWNER = (ok: number) => same([401, ok, 404, 404, 404]);
const ADMIN = (active: number, suspended: number = active) => ({
  active: [401, 403, 403, 403, active],
  suspended: [401, 403, 403, 403, suspended],
});
/** The conversation the actor itself owns (anonymous: the owner's, refused before it is read). */
const ownConversation = (f: Fixture, actor: ActorName) => ({
  id: f.conversations[actor === 'anonymous' ? 'owner' : actor],
});
/** A refusal to use the owner's key must be about the key, never a side door through the conversation. */
const keyNotFound = (res: request.Response, { actor }: { actor: string }) =>
  ['stranger', 'moderator', 'admin'].includes(actor) && res.body?.code !== 'API_KEY_NOT_FOUND'
    ? `expected API_KEY_NOT_FOUND, got ${res.body?.code}`
    : undefined;

const TABLE: Record<string, Row | Row[]> = {
  'GET /api/v1/llm/providers': { expect: same(signedIn(200)) },
  // own keys only: the check below sees that nobody else's list shows the owner's key
  'GET /api/v1/api-keys': {
    expect: same(signedIn(200)),
    check: (res, { actor, fixture }) => {
      if (res.status !== 200) return undefined;
      const shown = (res.body.items as { id: string }[]).some((k) => k.id === fixture.keyId);
      return shown !== (actor === 'owner') ? `key ${shown ? 'shown to' : 'missing for'} ${actor}` : undefined;
    },
  },
  // always for oneself (admins included); a fresh secret each time (fingerprints are unique per user)
  'POST /api/v1/api-keys': { body: () => buildApiKeyBody(), expect: same(signedIn(201)) },
  'GET /api/v1/api-keys/{id}': { expect: OWNER(200) },
  'PATCH /api/v1/api-keys/{id}': [
    // a suspended key keeps its configuration editable (only its status is the admin's)
    { label: 'config', body: () => ({ nickname: 'Renamed' }), expect: OWNER(200) },
    // only an admin lifts a suspension: the owner may not re-enable the key (403)
    {
      label: 'status',
      body: () => ({ status: 'active' }),
      expect: { active: [401, 200, 404, 404, 404], suspended: [401, 403, 404, 404, 404] },
    },
  ],
  'PUT /api/v1/api-keys/{id}/secret': {
    body: () => ({ secret: String(buildApiKeyBody().secret) }),
    expect: OWNER(200),
    mutates: true,
  },
  'POST /api/v1/api-keys/{id}/verify': { expect: OWNER(200) },
  'GET /api/v1/api-keys/{id}/fallbacks': { expect: OWNER(200) },
  'PUT /api/v1/api-keys/{id}/fallbacks': { body: (f) => ({ fallback_ids: [f.otherKeyId] }), expect: OWNER(200) },
  'GET /api/v1/api-keys/{id}/usage': { expect: OWNER(200) },
  'GET /api/v1/api-keys/{id}/events': { expect: OWNER(200) },
  'DELETE /api/v1/api-keys/{id}': { expect: OWNER(204), mutates: true },
  // ---------------------------------------------------------------- admin (@Roles(admin): everyone else 403)
  'GET /api/v1/admin/api-keys': {
    query: (f) => `user_id=${f.owner.user.id}`,
    expect: ADMIN(200),
    check: (res, { actor, fixture }) =>
      actor === 'admin' && !(res.body.items as { id: string }[]).some((k) => k.id === fixture.keyId)
        ? 'admin list misses the key metadata'
        : undefined,
  },
  'GET /api/v1/admin/api-keys/encryption-status': { expect: ADMIN(200) },
  'POST /api/v1/admin/api-keys/re-encrypt': { expect: ADMIN(202) },
  'POST /api/v1/admin/api-keys/{id}/suspend': {
    body: () => ({ reason: 'abuse report' }),
    expect: ADMIN(200, 409),
    mutates: true,
  },
  'POST /api/v1/admin/api-keys/{id}/unsuspend': { body: () => ({}), expect: ADMIN(409, 200), mutates: true },
  // ---------------------------------------------------------------- generation with the owner's key
  // the owner's send queues a reply on the key (a suspended key is not usable: 409); anyone else naming it → 404
  'POST /api/v1/conversations/{id}/messages': {
    params: ownConversation,
    body: (f) => ({ content: 'hello', api_key_id: f.keyId }),
    expect: { active: [401, 201, 404, 404, 404], suspended: [401, 409, 404, 404, 404] },
    check: keyNotFound,
  },
  'GET /api/v1/conversations/{id}/prompt-preview': {
    params: ownConversation,
    query: (f) => `api_key_id=${f.keyId}`,
    expect: { active: [401, 200, 404, 404, 404], suspended: [401, 409, 404, 404, 404] },
    check: keyNotFound,
  },
};

/** Fields that would carry key material (`secret_hint`, `secret_prefix`, `secret_rotated_at` are metadata). */
const secretFields = (value: unknown, path = ''): string[] => {
  if (Array.isArray(value)) return value.flatMap((v, i) => secretFields(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [
    ...(k === 'secret' || /ciphertext|auth_tag|fingerprint|_iv$/i.test(k) ? [`${path}.${k}`] : []),
    ...secretFields(v, `${path}.${k}`),
  ]);
};

describeAuthorizationMatrix<ActorName, Variant, Fixture, Env, Row>({
  title: 'api-keys',
  tags: [TAG],
  extraOperations: ['POST /api/v1/conversations/{id}/messages', 'GET /api/v1/conversations/{id}/prompt-preview'],
  actors: ACTORS,
  variants: VARIANTS,
  table: TABLE,
  app: () => ({ env: { LLM_ALLOW_INSECURE_LOCAL_PROVIDERS: 'true' } }),
  setup: async (ctx) => {
    const users = await createActorUsers(ctx, ['stranger', 'moderator', 'admin'] as const);
    const creator = await createUser(ctx, { role: UserRole.Creator });
    const bot = await createBot(ctx, { ownerId: creator.user.id, visibility: ResourceVisibility.Public });
    const conversations = {
      stranger: (await createConversation(ctx, users.stranger.token, { bot_ids: [bot.id] })).id,
      moderator: (await createConversation(ctx, users.moderator.token, { bot_ids: [bot.id] })).id,
      admin: (await createConversation(ctx, users.admin.token, { bot_ids: [bot.id] })).id,
    };
    return { users, botId: bot.id, conversations };
  },
  fixtures: 'reuse',
  fixture: async (env, variant) => {
    const { ctx } = env;
    const owner = await createUser(ctx);
    const key = await createApiKey(ctx, owner.token, {
      provider: 'custom',
      base_url: fake.baseUrl,
      model_preferences: ['fake-model'],
      secret: fake.apiKey,
    });
    const other = await createApiKey(ctx, owner.token);
    if (variant === 'suspended') {
      await request(ctx.http)
        .post(`/api/v1/admin/api-keys/${key.body.id}/suspend`)
        .set('Authorization', `Bearer ${env.users.admin.token}`)
        .send({ reason: 'fixture' })
        .expect(200);
    }
    const conversation = await createConversation(ctx, owner.token, { bot_ids: [env.botId] });
    return {
      owner,
      keyId: key.body.id,
      secret: key.secret,
      otherKeyId: other.body.id,
      conversations: { ...env.conversations, owner: conversation.id },
    };
  },
  params: (f) => ({ id: f.keyId }),
  caller: ({ users }, actor, f) =>
    actor === 'anonymous' ? undefined : actor === 'owner' ? f.owner.token : users[actor].token,
  check: (res, { fixture }) => {
    if (res.text.includes(fixture.secret)) return 'response carries the secret';
    const fields = res.headers['content-type']?.includes('json') ? secretFields(res.body) : [];
    return fields.length ? `secret-like fields: ${fields.join(', ')}` : undefined;
  },
});
