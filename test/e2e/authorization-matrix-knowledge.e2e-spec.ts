import request from 'supertest';
import { GrantLevel, ResourceVisibility } from '../../src/common/access/access.enums.js';
import type { Bot } from '../../src/modules/bots/entities/bot.entity.js';
import type { KnowledgeCollection } from '../../src/modules/knowledge/entities/knowledge-collection.entity.js';
import type { KnowledgeEntry } from '../../src/modules/knowledge/entities/knowledge-entry.entity.js';
import { KnowledgeActivationMode, KnowledgeEntryVisibility } from '../../src/modules/knowledge/knowledge.enums.js';
import { createBot, createGrant } from '../factories/bot.factory.js';
import { createConversation } from '../factories/chat.factory.js';
import {
  createCollection,
  createCollectionGrant,
  createEntry,
  linkCollection,
} from '../factories/knowledge.factory.js';
import type { TestUser } from '../factories/user.factory.js';
import {
  createActorUsers,
  describeAuthorizationMatrix,
  type MatrixEnvBase,
  type MatrixRow,
  statusRows,
} from '../setup/authorization-matrix.js';

/**
 * Walks every operation tagged `knowledge` in the OpenAPI document generated from the running app and checks each
 * actor against a private, a shared and a public collection (knowledge.md §1 access table, §2.3, §3.1, §4.3;
 * levels per bots.md §3.4). An operation without a row fails.
 *
 * Fixture per visibility: a collection (allow_fork and allow_collaboration on) owned by `owner` with an `inherit`
 * and an `editors_only` entry (both vector mode, so re-embedding is possible), view/edit/manage grants for
 * viewer/editor/manager, a bot of the same owner, visibility and grants for the bot ↔ collection operations, and
 * the owner's conversation with that bot (activation log).
 * Fixtures are reused across requests; a row marked `mutates` gets a fresh fixture after each 2xx, and a row with
 * `setup` starts on a fresh fixture (and leaves it dirty).
 */
const TAG = 'knowledge';
const ACTORS = ['anonymous', 'owner', 'stranger', 'viewer', 'editor', 'manager', 'moderator', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];
const VISIBILITIES = ['private', 'shared', 'public'] as const;
type Vis = (typeof VISIBILITIES)[number];
const SHARE_PASSWORD = 'open sesame 123';

interface Fixture {
  collection: KnowledgeCollection;
  entry: KnowledgeEntry;
  hiddenEntry: KnowledgeEntry;
  bot: Bot;
  /** The owner's conversation with `bot`. */
  conversationId: string;
}

interface Env extends MatrixEnvBase<ActorName> {
  users: Record<Exclude<ActorName, 'anonymous'>, TestUser>;
}

/** Path parameters default to id → collection id, collectionId → collection id. */
type Row = MatrixRow<Fixture, Vis, Env>;

const { all, same, signedIn } = statusRows(ACTORS, VISIBILITIES);

//                                  anon owner stranger viewer editor manager moderator admin
const READ: Record<Vis, number[]> = {
  private: [404, 200, 404, 404, 404, 404, 200, 200],
  shared: [404, 200, 404, 200, 200, 200, 200, 200],
  public: all(200),
};
/** Editor rights on the collection (or, for the bot routes, on the bot). */
const EDIT = (ok: number): Record<Vis, number[]> => ({
  private: [401, ok, 404, 404, 404, 404, 403, ok],
  shared: [401, ok, 404, 403, ok, ok, 403, ok],
  public: [401, ok, 403, 403, ok, ok, 403, ok],
});
const OWNER = (ok: number): Record<Vis, number[]> => ({
  private: [401, ok, 404, 404, 404, 404, 403, ok],
  shared: [401, ok, 404, 403, 403, 403, 403, ok],
  public: [401, ok, 403, 403, 403, 403, 403, ok],
});
/** Moderator and admin only; readers get 403, others 404 (the collection is loaded before the staff check). */
const CURATE = (ok: number): Record<Vis, number[]> => ({
  private: [401, 403, 404, 404, 404, 404, ok, ok],
  shared: [401, 403, 404, 403, 403, 403, ok, ok],
  public: [401, 403, 403, 403, 403, 403, ok, ok],
});
/**
 * An `editors_only` entry: readers below edit get 404. Moderators read every entry (knowledge.md §1/§2.3), also on a
 * public collection where their access level is `public`, but may not change it.
 */
const HIDDEN_ENTRY_READ: Record<Vis, number[]> = {
  private: [404, 200, 404, 404, 404, 404, 200, 200],
  shared: [404, 200, 404, 404, 200, 200, 200, 200],
  public: [404, 200, 404, 404, 200, 200, 200, 200],
};
const HIDDEN_ENTRY_EDIT = (ok: number): Record<Vis, number[]> => ({
  private: [401, ok, 404, 404, 404, 404, 403, ok],
  shared: [401, ok, 404, 404, ok, ok, 403, ok],
  public: [401, ok, 404, 404, ok, ok, 403, ok],
});
const entryId = (f: Fixture) => ({ id: f.entry.id });
const hiddenEntryId = (f: Fixture) => ({ id: f.hiddenEntry.id });
const botId = (f: Fixture) => ({ id: f.bot.id, collectionId: f.collection.id });

const TABLE: Record<string, Row | Row[]> = {
  'GET /api/v1/knowledge-collections': { expect: same(all(200)) },
  'POST /api/v1/knowledge-collections': { expect: same(signedIn(201)), body: () => ({ name: 'New tome' }) },
  'GET /api/v1/knowledge-collections/publication-requests': {
    expect: same([401, 403, 403, 403, 403, 403, 200, 200]),
  },
  'POST /api/v1/knowledge-collections/imports/worldbook': {
    expect: same(signedIn(201)),
    body: () => ({ worldbook: { entries: { '0': { uid: 0, key: ['dragon'], content: 'Dragons.' } } } }),
  },
  'GET /api/v1/knowledge-collections/{id}': { expect: READ },
  'PATCH /api/v1/knowledge-collections/{id}': [
    { label: 'content fields', body: () => ({ name: 'Renamed', tags: ['lore'] }), expect: EDIT(200) },
    { label: 'owner settings', body: () => ({ allow_fork: false }), expect: OWNER(200), mutates: true },
  ],
  'DELETE /api/v1/knowledge-collections/{id}': { expect: OWNER(204), mutates: true },
  // allow_fork is on: any reader with a real grant or public access may fork; a moderator's read access is no grant
  'POST /api/v1/knowledge-collections/{id}/forks': {
    body: () => ({}),
    expect: {
      private: [401, 201, 404, 404, 404, 404, 403, 201],
      shared: [401, 201, 404, 201, 201, 201, 403, 201],
      public: [401, 201, 201, 201, 201, 201, 201, 201],
    },
  },
  // a public collection cannot be requested again (409 ALREADY_PUBLIC) — the check comes after the access check
  'POST /api/v1/knowledge-collections/{id}/publication-request': {
    expect: {
      private: [401, 202, 404, 404, 404, 404, 403, 202],
      shared: [401, 202, 404, 403, 403, 403, 403, 202],
      public: [401, 409, 403, 403, 403, 403, 403, 409],
    },
  },
  'PUT /api/v1/knowledge-collections/{id}/publication': {
    setup: async (f, { ctx }) => {
      await ctx.ds.query(`UPDATE knowledge_collections SET publication_requested_at = now() WHERE id = $1`, [
        f.collection.id,
      ]);
    },
    body: () => ({ approve: true, curator_notes: 'Fine lore.' }),
    expect: CURATE(200),
    mutates: true,
  },
  'DELETE /api/v1/knowledge-collections/{id}/publication': {
    expect: {
      private: [401, 204, 404, 404, 404, 404, 204, 204],
      shared: [401, 204, 404, 403, 403, 403, 204, 204],
      public: [401, 204, 403, 403, 403, 403, 204, 204],
    },
    mutates: true,
  },
  'PUT /api/v1/knowledge-collections/{id}/moderation': {
    body: () => ({ status: 'hidden', reason: 'rule 3' }),
    expect: CURATE(200),
    mutates: true,
  },
  'PUT /api/v1/knowledge-collections/{id}/share-password': {
    body: () => ({ password: SHARE_PASSWORD }),
    expect: OWNER(204),
  },
  'DELETE /api/v1/knowledge-collections/{id}/share-password': { expect: OWNER(204) },
  // With the right password: a private collection is not redeemable at all (404, even for its owner and admins);
  // on a shared/public one every signed-in non-owner gets (or refreshes) a view grant; the owner gets 409.
  'POST /api/v1/knowledge-collections/{id}/redemptions': {
    setup: async (f, { ctx, users }) => {
      await request(ctx.http)
        .put(`/api/v1/knowledge-collections/${f.collection.id}/share-password`)
        .auth(users.owner.token, { type: 'bearer' })
        .send({ password: SHARE_PASSWORD })
        .expect(204);
    },
    body: () => ({ password: SHARE_PASSWORD }),
    expect: {
      private: [401, 404, 404, 404, 404, 404, 404, 404],
      shared: [401, 409, 201, 201, 201, 201, 201, 201],
      // a public collection needs no password (knowledge.md §1.5)
      public: [401, 409, 409, 409, 409, 409, 409, 409],
    },
    mutates: true,
  },
  // editors, or readers with a real grant / public access when allow_fork (on here), anonymous included when public
  'GET /api/v1/knowledge-collections/{id}/exports/worldbook': {
    expect: {
      private: [404, 200, 404, 404, 404, 404, 403, 200],
      shared: [404, 200, 404, 200, 200, 200, 403, 200],
      public: all(200),
    },
  },
  'GET /api/v1/knowledge-collections/{id}/entries': { expect: READ },
  'POST /api/v1/knowledge-collections/{id}/entries': { body: () => ({ content: 'More lore.' }), expect: EDIT(201) },
  'GET /api/v1/knowledge-entries/{id}': [
    { label: 'inherit entry', params: entryId, expect: READ },
    { label: 'editors_only entry', params: hiddenEntryId, expect: HIDDEN_ENTRY_READ },
  ],
  'PATCH /api/v1/knowledge-entries/{id}': [
    { label: 'inherit entry', params: entryId, body: () => ({ insertion_order: 7 }), expect: EDIT(200) },
    {
      label: 'editors_only entry',
      params: hiddenEntryId,
      body: () => ({ insertion_order: 7 }),
      expect: HIDDEN_ENTRY_EDIT(200),
    },
  ],
  'DELETE /api/v1/knowledge-entries/{id}': [
    { label: 'inherit entry', params: entryId, expect: EDIT(204), mutates: true },
    { label: 'editors_only entry', params: hiddenEntryId, expect: HIDDEN_ENTRY_EDIT(204), mutates: true },
  ],
  'POST /api/v1/knowledge-entries/{id}/embedding': [
    { label: 'inherit entry', params: entryId, expect: EDIT(202) },
    { label: 'editors_only entry', params: hiddenEntryId, expect: HIDDEN_ENTRY_EDIT(202) },
  ],
  // bot routes: the fixture bot has the collection's owner, visibility and grants, so bot levels equal collection ones
  'GET /api/v1/bots/{id}/knowledge-collections': { params: botId, expect: READ },
  'PUT /api/v1/bots/{id}/knowledge-collections/{collectionId}': {
    params: botId,
    body: () => ({}),
    expect: EDIT(201),
    mutates: true,
  },
  'DELETE /api/v1/bots/{id}/knowledge-collections/{collectionId}': {
    params: botId,
    setup: async (f, { ctx }) => linkCollection(ctx, { botId: f.bot.id, collectionId: f.collection.id }),
    expect: EDIT(204),
    mutates: true,
  },
  'POST /api/v1/bots/{id}/knowledge-activation/preview': {
    params: botId,
    body: () => ({ messages: [{ role: 'user', text: 'tell me about dragons' }] }),
    expect: EDIT(200),
  },
  // the activation log of the owner's conversation with the fixture bot: the conversation owner only (knowledge.md
  // §4.2); grantees of the bot or the collection, moderators and admins get 404
  'GET /api/v1/conversations/{id}/knowledge-activations': {
    params: (f) => ({ id: f.conversationId }),
    expect: same([401, 200, 404, 404, 404, 404, 404, 404]),
  },
};

describeAuthorizationMatrix<ActorName, Vis, Fixture, Env, Row>({
  title: 'knowledge',
  tags: [TAG],
  actors: ACTORS,
  variants: VISIBILITIES,
  table: TABLE,
  setup: async (ctx) => ({ users: await createActorUsers(ctx, ACTORS) }),
  fixtures: 'reuse',
  fixture: async ({ ctx, users }, vis) => {
    const visibility = vis as ResourceVisibility;
    const ownerId = users.owner.user.id;
    const collection = await createCollection(ctx, { ownerId, visibility, allowCollaboration: true, allowFork: true });
    const entry = await createEntry(ctx, {
      collectionId: collection.id,
      activationMode: KnowledgeActivationMode.Vector,
      primaryKeys: ['dragon'],
    });
    const hiddenEntry = await createEntry(ctx, {
      collectionId: collection.id,
      activationMode: KnowledgeActivationMode.Vector,
      visibility: KnowledgeEntryVisibility.EditorsOnly,
    });
    const bot = await createBot(ctx, { ownerId, visibility, allowCollaboration: true });
    for (const [who, level] of [
      ['viewer', GrantLevel.View],
      ['editor', GrantLevel.Edit],
      ['manager', GrantLevel.Manage],
    ] as const) {
      await createCollectionGrant(ctx, { collection, granteeId: users[who].user.id, level });
      await createGrant(ctx, { bot, granteeId: users[who].user.id, level });
    }
    const conversation = await createConversation(ctx, users.owner.token, { bot_ids: [bot.id] });
    return { collection, entry, hiddenEntry, bot, conversationId: conversation.id };
  },
  params: (f) => ({ id: f.collection.id, collectionId: f.collection.id }),
  timeout: 120_000,
});
