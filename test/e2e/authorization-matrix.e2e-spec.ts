import { GrantLevel, ResourceVisibility } from '../../src/common/access/access.enums.js';
import type { AccessGrant } from '../../src/modules/access/entities/access-grant.entity.js';
import type { Bot } from '../../src/modules/bots/entities/bot.entity.js';
import { createBot, createGrant } from '../factories/bot.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import {
  createActorUsers,
  describeAuthorizationMatrix,
  type MatrixEnvBase,
  type MatrixRow,
  statusRows,
} from '../setup/authorization-matrix.js';

/**
 * Walks every operation of the bots and access-grants modules in the OpenAPI document generated from the running
 * app, and checks each actor against a private, a shared and a public bot. An operation without a row fails.
 * Every request gets a fresh fixture (test/setup/authorization-matrix.ts).
 */
const TAGS = ['bots', 'access-grants'];
const ACTORS = ['anonymous', 'owner', 'stranger', 'viewer', 'editor', 'manager', 'moderator', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
const VISIBILITIES = ['private', 'shared', 'public'] as const;
type Vis = (typeof VISIBILITIES)[number];

interface Fixture {
  bot: Bot;
  viewerGrant: AccessGrant;
  owner: TestUser;
  target: TestUser;
}

interface Env extends MatrixEnvBase<ActorName> {
  users: Record<Exclude<ActorName, 'anonymous'>, TestUser>;
  /** A user without any grant, for the grant-creating row. */
  target: TestUser;
}

/** Path parameters default to id → bot id, username → owner, slug → bot slug. */
type Row = MatrixRow<Fixture, Vis, Env>;

const { all, same, signedIn } = statusRows(ACTORS, VISIBILITIES);
//                                  anon owner stranger viewer editor manager moderator admin
const READ: Record<Vis, number[]> = {
  private: [404, 200, 404, 404, 404, 404, 200, 200],
  shared: [404, 200, 404, 200, 200, 200, 200, 200],
  public: all(200),
};
const USE: Record<Vis, number[]> = {
  private: [401, 200, 404, 404, 404, 404, 403, 200],
  shared: [401, 200, 404, 200, 200, 200, 403, 200],
  public: signedIn(200),
};
const STAFF = (moderator: Record<Vis, number>): Record<Vis, number[]> => ({
  private: [401, 403, 403, 403, 403, 403, moderator.private, moderator.private],
  shared: [401, 403, 403, 403, 403, 403, moderator.shared, moderator.shared],
  public: [401, 403, 403, 403, 403, 403, moderator.public, moderator.public],
});
const MANAGE_GRANTS = (ok: number): Record<Vis, number[]> => ({
  private: [401, ok, 404, 404, 404, 404, 403, ok],
  shared: [401, ok, 404, 403, 403, ok, 403, ok],
  public: [401, ok, 403, 403, 403, ok, 403, ok],
});
const grantId = (f: Fixture) => ({ id: f.viewerGrant.id });

const TABLE: Record<string, Row> = {
  'GET /api/v1/bots': { expect: same(all(200)) },
  'GET /api/v1/bots/mine': { expect: same(signedIn(200)) },
  'GET /api/v1/bots/shared-with-me': { expect: same(signedIn(200)) },
  'POST /api/v1/bots': { expect: same(signedIn(201)), body: () => ({ name: 'New', system_prompt: 'x' }) },
  'GET /api/v1/bots/{id}': { expect: READ },
  // interop.md §3: importing a card creates the caller's own private bot
  'POST /api/v1/bots/import': {
    expect: same(signedIn(201)),
    body: () => ({
      spec: 'chara_card_v2',
      spec_version: '2.0',
      data: {
        name: 'Imported',
        description: 'From a card.',
        personality: '',
        scenario: '',
        first_mes: 'Hi',
        mes_example: '',
      },
    }),
  },
  // export needs editor rights, or viewer rights on a bot that allows copying (this fixture does not)
  'GET /api/v1/bots/{id}/card': {
    expect: {
      private: [401, 200, 404, 404, 404, 404, 403, 200],
      shared: [401, 200, 404, 403, 200, 200, 403, 200],
      public: [401, 200, 403, 403, 200, 200, 403, 200],
    },
  },
  'PATCH /api/v1/bots/{id}': {
    body: () => ({ name: 'Renamed' }),
    expect: {
      private: [401, 200, 404, 404, 404, 404, 403, 200],
      shared: [401, 200, 404, 403, 200, 200, 403, 200],
      public: [401, 200, 403, 403, 200, 200, 403, 200],
    },
  },
  'DELETE /api/v1/bots/{id}': {
    expect: {
      private: [401, 204, 404, 404, 404, 404, 403, 204],
      shared: [401, 204, 404, 403, 403, 403, 403, 204],
      public: [401, 204, 403, 403, 403, 403, 403, 204],
    },
  },
  // the fixture bot does not allow copying and hides its definition from viewers: only the owner may copy
  'POST /api/v1/bots/{id}/copies': {
    body: () => ({ kind: 'copy' }),
    expect: {
      private: [401, 201, 404, 404, 404, 404, 403, 403],
      shared: [401, 201, 404, 403, 403, 403, 403, 403],
      public: [401, 201, 403, 403, 403, 403, 403, 403],
    },
  },
  'PUT /api/v1/bots/{id}/like': { expect: USE },
  'DELETE /api/v1/bots/{id}/like': { expect: USE },
  'PUT /api/v1/bots/{id}/favorite': { expect: USE },
  'DELETE /api/v1/bots/{id}/favorite': { expect: USE },
  'GET /api/v1/bots/{id}/interaction': {
    expect: {
      private: [401, 200, 404, 404, 404, 404, 200, 200],
      shared: [401, 200, 404, 200, 200, 200, 200, 200],
      public: signedIn(200),
    },
  },
  'PUT /api/v1/bots/{id}/feature': {
    body: () => ({ reason: 'great' }),
    expect: STAFF({ private: 409, shared: 409, public: 200 }),
  },
  'DELETE /api/v1/bots/{id}/feature': { expect: STAFF({ private: 200, shared: 200, public: 200 }) },
  'PUT /api/v1/bots/{id}/moderation': {
    body: () => ({ status: 'hidden', reason: 'rule 3' }),
    expect: STAFF({ private: 200, shared: 200, public: 200 }),
  },
  'GET /api/v1/creators/{username}/bots': {
    expect: same(all(200)),
    params: (f) => ({ username: f.owner.user.username }),
  },
  'GET /api/v1/creators/{username}/bots/{slug}': {
    expect: READ,
    params: (f) => ({ username: f.owner.user.username, slug: f.bot.slug }),
  },
  'GET /api/v1/access-grants': {
    query: (f) => `resource_type=bot&resource_id=${f.bot.id}`,
    expect: MANAGE_GRANTS(200),
  },
  'GET /api/v1/access-grants/received': { expect: same(signedIn(200)) },
  'POST /api/v1/access-grants': {
    body: (f) => ({ resource_type: 'bot', resource_id: f.bot.id, grantee_username: f.target.user.username }),
    expect: MANAGE_GRANTS(201),
  },
  // target: the viewer's grant. The grantee sees their own grant (403 to change it) and may revoke it (leave).
  'PATCH /api/v1/access-grants/{id}': {
    params: grantId,
    body: () => ({ note: 'checked' }),
    expect: {
      private: [401, 200, 404, 403, 404, 404, 403, 200],
      shared: [401, 200, 404, 403, 403, 200, 403, 200],
      public: [401, 200, 403, 403, 403, 200, 403, 200],
    },
  },
  'DELETE /api/v1/access-grants/{id}': {
    params: grantId,
    expect: {
      private: [401, 204, 404, 204, 404, 404, 403, 204],
      shared: [401, 204, 404, 204, 403, 204, 403, 204],
      public: [401, 204, 403, 204, 403, 204, 403, 204],
    },
  },
};

describeAuthorizationMatrix<ActorName, Vis, Fixture, Env, Row>({
  title: 'bots, access-grants',
  tags: TAGS,
  actors: ACTORS,
  variants: VISIBILITIES,
  table: TABLE,
  app: { env: { BOTS_PER_USER_MAX: '100000' } },
  setup: async (ctx) => ({
    users: await createActorUsers(ctx, ACTORS),
    target: await createUser(ctx),
  }),
  fixtures: 'per-request',
  fixture: async ({ ctx, users, target }, vis) => {
    const bot = await createBot(ctx, {
      ownerId: users.owner.user.id,
      visibility: vis as ResourceVisibility,
      allowCollaboration: true,
    });
    const viewerGrant = await createGrant(ctx, { bot, granteeId: users.viewer.user.id, level: GrantLevel.View });
    await createGrant(ctx, { bot, granteeId: users.editor.user.id, level: GrantLevel.Edit });
    await createGrant(ctx, { bot, granteeId: users.manager.user.id, level: GrantLevel.Manage });
    return { bot, viewerGrant, owner: users.owner, target };
  },
  params: (f) => ({ id: f.bot.id, username: f.owner.user.username, slug: f.bot.slug }),
});
