import request from 'supertest';
import { GrantLevel, ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { AccessGrant } from '../../src/modules/access/entities/access-grant.entity.js';
import { KnowledgeEntryVisibility } from '../../src/modules/knowledge/knowledge.enums.js';
import { createBot } from '../factories/bot.factory.js';
import {
  createCollection,
  createCollectionGrant,
  createEntry,
  linkCollection,
} from '../factories/knowledge.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

const API = '/api/v1';

describe('knowledge collections (knowledge.md §1)', () => {
  let ctx: TestApp;
  let owner: TestUser;
  let stranger: TestUser;
  let moderator: TestUser;
  beforeAll(async () => {
    ctx = await createTestApp();
    owner = await createUser(ctx);
    stranger = await createUser(ctx);
    moderator = await createUser(ctx, { role: UserRole.Moderator });
  });
  afterAll(() => ctx?.close());

  const http = () => request(ctx.http);

  describe('create / read / update / delete', () => {
    it('creates a private collection with defaults', async () => {
      const res = await http()
        .post(`${API}/knowledge-collections`)
        .auth(owner.token, { type: 'bearer' })
        .send({ name: '  Elvaran Empire ', tags: ['Fantasy', 'fantasy', ' Elves '] })
        .expect(201);
      expect(res.body).toMatchObject({
        name: 'Elvaran Empire',
        visibility: 'private',
        category: 'lore',
        allow_collaboration: true,
        allow_fork: true,
        language: 'en',
        difficulty_level: 'intermediate',
        tags: ['fantasy', 'elves'],
        entry_count: 0,
        my_access: 'owner',
        has_share_password: false,
      });
      expect(res.body).not.toHaveProperty('share_password_hash');
    });

    it('401 without a token, 400 on bad bodies and unknown fields', async () => {
      await http().post(`${API}/knowledge-collections`).send({ name: 'x' }).expect(401);
      const bad = await http()
        .post(`${API}/knowledge-collections`)
        .auth(owner.token, { type: 'bearer' })
        .send({ name: '', bogus: 1, tags: Array.from({ length: 21 }, (_, i) => `t${i}`) })
        .expect(400);
      const fields = bad.body.errors.map((e: { field: string }) => e.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'bogus', 'tags']));
      await http()
        .post(`${API}/knowledge-collections`)
        .auth(owner.token, { type: 'bearer' })
        .send({ name: 'x', language: 'not a tag!' })
        .expect(400);
    });

    it('a public visibility on create or PATCH → 403 PUBLICATION_REQUIRED (acceptance 2)', async () => {
      await http()
        .post(`${API}/knowledge-collections`)
        .auth(owner.token, { type: 'bearer' })
        .send({ name: 'x', visibility: 'public' })
        .expect(403)
        .expect(({ body }) => expect(body.code).toBe('PUBLICATION_REQUIRED'));
      const c = await createCollection(ctx, { ownerId: owner.user.id });
      await http()
        .patch(`${API}/knowledge-collections/${c.id}`)
        .auth(owner.token, { type: 'bearer' })
        .send({ visibility: 'public' })
        .expect(403)
        .expect(({ body }) => expect(body.code).toBe('PUBLICATION_REQUIRED'));
    });

    it('404 for strangers and anonymous on private, 400 on a bad id', async () => {
      const c = await createCollection(ctx, { ownerId: owner.user.id });
      await http().get(`${API}/knowledge-collections/${c.id}`).auth(stranger.token, { type: 'bearer' }).expect(404);
      await http().get(`${API}/knowledge-collections/${c.id}`).expect(404);
      await http().get(`${API}/knowledge-collections/not-a-uuid`).expect(400);
      await http()
        .patch(`${API}/knowledge-collections/${c.id}`)
        .auth(stranger.token, { type: 'bearer' })
        .send({ name: 'mine now' })
        .expect(404);
      await http().delete(`${API}/knowledge-collections/${c.id}`).auth(stranger.token, { type: 'bearer' }).expect(404);
      await http().delete(`${API}/knowledge-collections/${c.id}`).expect(401);
      await http().patch(`${API}/knowledge-collections/${c.id}`).send({ name: 'x' }).expect(401);
    });

    it('viewer: 200 read, 403 on PATCH; editor: content fields yes, owner-only fields 403 naming the field', async () => {
      const c = await createCollection(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Shared });
      const viewer = await createUser(ctx);
      const editor = await createUser(ctx);
      await createCollectionGrant(ctx, { collection: c, granteeId: viewer.user.id });
      await createCollectionGrant(ctx, { collection: c, granteeId: editor.user.id, level: GrantLevel.Edit });
      const read = await http()
        .get(`${API}/knowledge-collections/${c.id}`)
        .auth(viewer.token, { type: 'bearer' })
        .expect(200);
      expect(read.body.my_access).toBe('view');
      expect(read.body.share_expires_at).toBeNull();
      expect(read.body.curator_notes).toBeNull();
      await http()
        .patch(`${API}/knowledge-collections/${c.id}`)
        .auth(viewer.token, { type: 'bearer' })
        .send({ name: 'viewer rename' })
        .expect(403);
      await http()
        .patch(`${API}/knowledge-collections/${c.id}`)
        .auth(editor.token, { type: 'bearer' })
        .send({ name: 'Edited', description: 'new', tags: ['a'] })
        .expect(200)
        .expect(({ body }) => expect(body).toMatchObject({ name: 'Edited', my_access: 'edit' }));
      const forbidden = await http()
        .patch(`${API}/knowledge-collections/${c.id}`)
        .auth(editor.token, { type: 'bearer' })
        .send({ allow_fork: false })
        .expect(403);
      expect(forbidden.body.errors).toEqual([expect.objectContaining({ field: 'allow_fork' })]);
      await http().delete(`${API}/knowledge-collections/${c.id}`).auth(editor.token, { type: 'bearer' }).expect(403);
    });

    it('a private collection suspends grants (bots.md §3.1)', async () => {
      const c = await createCollection(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Private });
      const viewer = await createUser(ctx);
      await createCollectionGrant(ctx, { collection: c, granteeId: viewer.user.id });
      await http().get(`${API}/knowledge-collections/${c.id}`).auth(viewer.token, { type: 'bearer' }).expect(404);
    });

    it('deleting deletes entries, links and grants; the bot keeps its other links (acceptance 3)', async () => {
      const c = await createCollection(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Shared });
      const other = await createCollection(ctx, { ownerId: owner.user.id });
      const entry = await createEntry(ctx, { collectionId: c.id });
      const bot = await createBot(ctx, { ownerId: owner.user.id });
      await linkCollection(ctx, { botId: bot.id, collectionId: c.id });
      await linkCollection(ctx, { botId: bot.id, collectionId: other.id });
      const viewer = await createUser(ctx);
      await createCollectionGrant(ctx, { collection: c, granteeId: viewer.user.id });

      await http().delete(`${API}/knowledge-collections/${c.id}`).auth(owner.token, { type: 'bearer' }).expect(204);
      await http().get(`${API}/knowledge-entries/${entry.id}`).auth(owner.token, { type: 'bearer' }).expect(404);
      const [{ n: entries }] = await ctx.ds.query(
        `SELECT count(*)::int AS n FROM knowledge_entries WHERE collection_id = $1`,
        [c.id],
      );
      const [{ n: links }] = await ctx.ds.query(
        `SELECT count(*)::int AS n FROM bot_knowledge_collections WHERE collection_id = $1`,
        [c.id],
      );
      const grants = await ctx.ds.getRepository(AccessGrant).countBy({ knowledgeCollectionId: c.id });
      expect([entries, links, grants]).toEqual([0, 0, 0]);
      const remaining = await http()
        .get(`${API}/bots/${bot.id}/knowledge-collections`)
        .auth(owner.token, { type: 'bearer' })
        .expect(200);
      expect(remaining.body.items.map((l: { collection_id: string }) => l.collection_id)).toEqual([other.id]);
      await http()
        .post(`${API}/bots/${bot.id}/knowledge-activation/preview`)
        .auth(owner.token, { type: 'bearer' })
        .send({ messages: [{ role: 'user', text: 'hello' }] })
        .expect(200);
    });
  });

  describe('lists', () => {
    it('scopes: public for anonymous, accessible/mine/shared for users; memory tomes hidden by default', async () => {
      const a = await createUser(ctx);
      const b = await createUser(ctx);
      const mine = await createCollection(ctx, { ownerId: a.user.id, name: 'Mine list' });
      const memories = await createCollection(ctx, { ownerId: a.user.id, category: 'memories' as never });
      const pub = await createCollection(ctx, { ownerId: b.user.id, visibility: ResourceVisibility.Public });
      const shared = await createCollection(ctx, { ownerId: b.user.id, visibility: ResourceVisibility.Shared });
      const hidden = await createCollection(ctx, { ownerId: b.user.id, visibility: ResourceVisibility.Shared });
      await createCollectionGrant(ctx, { collection: shared, granteeId: a.user.id });
      const ids = (res: request.Response) => res.body.items.map((c: { id: string }) => c.id);

      const anon = await http().get(`${API}/knowledge-collections?limit=100`).expect(200);
      expect(ids(anon)).toContain(pub.id);
      expect(ids(anon)).not.toContain(mine.id);

      const acc = await http()
        .get(`${API}/knowledge-collections?limit=100`)
        .auth(a.token, { type: 'bearer' })
        .expect(200);
      expect(ids(acc)).toEqual(expect.arrayContaining([mine.id, pub.id, shared.id]));
      expect(ids(acc)).not.toContain(hidden.id);
      expect(ids(acc)).not.toContain(memories.id);
      const withMem = await http()
        .get(`${API}/knowledge-collections?scope=mine&include_memory_tomes=true`)
        .auth(a.token, { type: 'bearer' })
        .expect(200);
      expect(ids(withMem).sort()).toEqual([mine.id, memories.id].sort());
      const sharedList = await http()
        .get(`${API}/knowledge-collections?scope=shared`)
        .auth(a.token, { type: 'bearer' })
        .expect(200);
      expect(ids(sharedList)).toEqual([shared.id]);
      expect(sharedList.body.items[0].my_access).toBe('view');
      await http().get(`${API}/knowledge-collections?scope=mine`).expect(401);
      await http().get(`${API}/knowledge-collections?scope=nope`).expect(400);
      await http().get(`${API}/knowledge-collections?cursor=%%%`).expect(400);
    });

    it('keyset pagination, search, tags and sorts', async () => {
      const u = await createUser(ctx);
      for (let i = 0; i < 5; i++) {
        await createCollection(ctx, {
          ownerId: u.user.id,
          name: `Paged ${i} dragons`,
          tags: i % 2 ? ['odd'] : ['even'],
        });
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await http()
          .get(`${API}/knowledge-collections?scope=mine&limit=2&sort=name${cursor ? `&cursor=${cursor}` : ''}`)
          .auth(u.token, { type: 'bearer' })
          .expect(200);
        seen.push(...res.body.items.map((c: { name: string }) => c.name));
        cursor = res.body.next_cursor;
      } while (cursor);
      expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => `Paged ${i} dragons`));
      const odd = await http()
        .get(`${API}/knowledge-collections?scope=mine&tags=odd`)
        .auth(u.token, { type: 'bearer' })
        .expect(200);
      expect(odd.body.items).toHaveLength(2);
      const q = await http()
        .get(`${API}/knowledge-collections?scope=mine&q=dragons`)
        .auth(u.token, { type: 'bearer' })
        .expect(200);
      expect(q.body.items).toHaveLength(5);
      for (const sort of ['recent', 'entries', 'forks']) {
        await http()
          .get(`${API}/knowledge-collections?scope=mine&sort=${sort}`)
          .auth(u.token, { type: 'bearer' })
          .expect(200);
      }
    });
  });

  describe('publication (acceptance 2)', () => {
    it('request → approve → listed publicly → unpublish removes it', async () => {
      const c = await createCollection(ctx, { ownerId: owner.user.id });
      const list = () => http().get(`${API}/knowledge-collections?scope=public&limit=100`).expect(200);
      await http()
        .post(`${API}/knowledge-collections/${c.id}/publication-request`)
        .auth(owner.token, { type: 'bearer' })
        .expect(409)
        .expect(({ body }) => expect(body.code).toBe('COLLECTION_EMPTY'));
      await createEntry(ctx, { collectionId: c.id });
      await http().post(`${API}/knowledge-collections/${c.id}/publication-request`).expect(401);
      await http()
        .post(`${API}/knowledge-collections/${c.id}/publication-request`)
        .auth(stranger.token, { type: 'bearer' })
        .expect(404);
      await http()
        .post(`${API}/knowledge-collections/${c.id}/publication-request`)
        .auth(owner.token, { type: 'bearer' })
        .expect(202);
      const queue = await http()
        .get(`${API}/knowledge-collections/publication-requests`)
        .auth(moderator.token, { type: 'bearer' })
        .expect(200);
      expect(queue.body.items.map((x: { id: string }) => x.id)).toContain(c.id);
      await http()
        .get(`${API}/knowledge-collections/publication-requests`)
        .auth(owner.token, { type: 'bearer' })
        .expect(403);

      await http()
        .put(`${API}/knowledge-collections/${c.id}/publication`)
        .auth(owner.token, { type: 'bearer' })
        .send({ approve: true })
        .expect(403);
      await http()
        .put(`${API}/knowledge-collections/${c.id}/publication`)
        .auth(moderator.token, { type: 'bearer' })
        .send({ approve: 'yes' })
        .expect(400);
      const approved = await http()
        .put(`${API}/knowledge-collections/${c.id}/publication`)
        .auth(moderator.token, { type: 'bearer' })
        .send({ approve: true, curator_notes: 'Lovely', feature: true })
        .expect(200);
      expect(approved.body).toMatchObject({
        visibility: 'public',
        is_curated: true,
        is_featured: true,
        publication_requested_at: null,
        curator_notes: 'Lovely',
      });
      expect((await list()).body.items.map((x: { id: string }) => x.id)).toContain(c.id);
      const anon = await http().get(`${API}/knowledge-collections/${c.id}`).expect(200);
      expect(anon.body.curator_notes).toBeNull();
      expect(anon.body.my_access).toBe('public');

      await http()
        .delete(`${API}/knowledge-collections/${c.id}/publication`)
        .auth(stranger.token, { type: 'bearer' })
        .expect(403);
      await http()
        .delete(`${API}/knowledge-collections/${c.id}/publication`)
        .auth(owner.token, { type: 'bearer' })
        .expect(204);
      expect((await list()).body.items.map((x: { id: string }) => x.id)).not.toContain(c.id);
      const after = await http()
        .get(`${API}/knowledge-collections/${c.id}`)
        .auth(owner.token, { type: 'bearer' })
        .expect(200);
      expect(after.body).toMatchObject({ visibility: 'private', is_featured: false });
    });

    it('rejection keeps visibility and needs notes; unverified owners cannot request', async () => {
      const c = await createCollection(ctx, { ownerId: owner.user.id });
      await createEntry(ctx, { collectionId: c.id });
      await http()
        .post(`${API}/knowledge-collections/${c.id}/publication-request`)
        .auth(owner.token, { type: 'bearer' })
        .expect(202);
      await http()
        .put(`${API}/knowledge-collections/${c.id}/publication`)
        .auth(moderator.token, { type: 'bearer' })
        .send({ approve: false })
        .expect(400);
      const rejected = await http()
        .put(`${API}/knowledge-collections/${c.id}/publication`)
        .auth(moderator.token, { type: 'bearer' })
        .send({ approve: false, curator_notes: 'Needs more lore' })
        .expect(200);
      expect(rejected.body).toMatchObject({ visibility: 'private', publication_requested_at: null, is_curated: false });
      await http()
        .put(`${API}/knowledge-collections/${c.id}/publication`)
        .auth(moderator.token, { type: 'bearer' })
        .send({ approve: true })
        .expect(409);

      const unverified = await createUser(ctx, { emailVerifiedAt: null });
      const uc = await createCollection(ctx, { ownerId: unverified.user.id });
      await createEntry(ctx, { collectionId: uc.id });
      await http()
        .post(`${API}/knowledge-collections/${uc.id}/publication-request`)
        .auth(unverified.token, { type: 'bearer' })
        .expect(403)
        .expect(({ body }) => expect(body.code).toBe('EMAIL_NOT_VERIFIED'));
    });

    it('moderation hides a collection from everyone but owner and staff', async () => {
      const c = await createCollection(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
      await http()
        .put(`${API}/knowledge-collections/${c.id}/moderation`)
        .auth(owner.token, { type: 'bearer' })
        .send({ status: 'hidden', reason: 'x' })
        .expect(403);
      await http()
        .put(`${API}/knowledge-collections/${c.id}/moderation`)
        .auth(moderator.token, { type: 'bearer' })
        .send({ status: 'gone' })
        .expect(400);
      await http()
        .put(`${API}/knowledge-collections/${c.id}/moderation`)
        .auth(moderator.token, { type: 'bearer' })
        .send({ status: 'hidden', reason: 'Spam' })
        .expect(200);
      await http().get(`${API}/knowledge-collections/${c.id}`).expect(404);
      const own = await http()
        .get(`${API}/knowledge-collections/${c.id}`)
        .auth(owner.token, { type: 'bearer' })
        .expect(200);
      expect(own.body).toMatchObject({ moderation_status: 'hidden', moderation_reason: 'Spam' });
      await http().put(`${API}/knowledge-collections/${c.id}/moderation`).send({ status: 'visible' }).expect(401);
    });
  });

  describe('share password (acceptance 4)', () => {
    it('wrong → 403, right → 201 and readable; the hash never leaves the API; 5 failures → 429', async () => {
      const c = await createCollection(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Shared });
      const guest = await createUser(ctx);
      await http()
        .put(`${API}/knowledge-collections/${c.id}/share-password`)
        .auth(owner.token, { type: 'bearer' })
        .send({ password: 'short' })
        .expect(400);
      await http()
        .put(`${API}/knowledge-collections/${c.id}/share-password`)
        .auth(guest.token, { type: 'bearer' })
        .send({ password: 'open sesame 123' })
        .expect(404);
      await http()
        .put(`${API}/knowledge-collections/${c.id}/share-password`)
        .send({ password: 'open sesame 123' })
        .expect(401);
      await http()
        .put(`${API}/knowledge-collections/${c.id}/share-password`)
        .auth(owner.token, { type: 'bearer' })
        .send({ password: 'open sesame 123' })
        .expect(204);
      const detail = await http()
        .get(`${API}/knowledge-collections/${c.id}`)
        .auth(owner.token, { type: 'bearer' })
        .expect(200);
      expect(detail.body.has_share_password).toBe(true);
      expect(JSON.stringify(detail.body)).not.toMatch(/open sesame|argon2/);

      await http().post(`${API}/knowledge-collections/${c.id}/redemptions`).send({ password: 'x' }).expect(401);
      await http()
        .post(`${API}/knowledge-collections/${c.id}/redemptions`)
        .auth(guest.token, { type: 'bearer' })
        .send({})
        .expect(400);
      await http()
        .post(`${API}/knowledge-collections/${c.id}/redemptions`)
        .auth(guest.token, { type: 'bearer' })
        .send({ password: 'wrong password' })
        .expect(403)
        .expect(({ body }) => expect(body.code).toBe('SHARE_PASSWORD_INVALID'));
      const ok = await http()
        .post(`${API}/knowledge-collections/${c.id}/redemptions`)
        .auth(guest.token, { type: 'bearer' })
        .send({ password: 'open sesame 123' })
        .expect(201);
      expect(ok.body).toMatchObject({ collection_id: c.id, level: 'view' });
      expect(JSON.stringify(ok.body)).not.toMatch(/open sesame|argon2/);
      const read = await http()
        .get(`${API}/knowledge-collections/${c.id}`)
        .auth(guest.token, { type: 'bearer' })
        .expect(200);
      expect(read.body.my_access).toBe('view');
      const grant = await ctx.ds
        .getRepository(AccessGrant)
        .findOneByOrFail({ knowledgeCollectionId: c.id, granteeId: guest.user.id });
      expect(grant.grantMethod).toBe('share_password');

      const brute = await createUser(ctx);
      for (let i = 0; i < 5; i++) {
        await http()
          .post(`${API}/knowledge-collections/${c.id}/redemptions`)
          .auth(brute.token, { type: 'bearer' })
          .send({ password: `guess ${i}` })
          .expect(403);
      }
      const limited = await http()
        .post(`${API}/knowledge-collections/${c.id}/redemptions`)
        .auth(brute.token, { type: 'bearer' })
        .send({ password: 'open sesame 123' })
        .expect(429);
      expect(limited.headers['retry-after']).toBeDefined();

      await http()
        .delete(`${API}/knowledge-collections/${c.id}/share-password`)
        .auth(owner.token, { type: 'bearer' })
        .expect(204);
      const other = await createUser(ctx);
      await http()
        .post(`${API}/knowledge-collections/${c.id}/redemptions`)
        .auth(other.token, { type: 'bearer' })
        .send({ password: 'open sesame 123' })
        .expect(404);
    });
  });

  describe('fork (acceptance 5)', () => {
    it('a viewer forks only readable entries into a private collection; source fork_count 1; allow_fork=false → 403', async () => {
      const c = await createCollection(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Shared });
      const open = await createEntry(ctx, { collectionId: c.id, content: 'Open lore', insertionOrder: 300, sticky: 2 });
      await createEntry(ctx, {
        collectionId: c.id,
        content: 'Spoiler',
        visibility: KnowledgeEntryVisibility.EditorsOnly,
      });
      const viewer = await createUser(ctx);
      await createCollectionGrant(ctx, { collection: c, granteeId: viewer.user.id });

      await http().post(`${API}/knowledge-collections/${c.id}/forks`).send({}).expect(401);
      await http()
        .post(`${API}/knowledge-collections/${c.id}/forks`)
        .auth(stranger.token, { type: 'bearer' })
        .send({})
        .expect(404);
      await http()
        .post(`${API}/knowledge-collections/${c.id}/forks`)
        .auth(viewer.token, { type: 'bearer' })
        .send({ name: '' })
        .expect(400);
      const fork = await http()
        .post(`${API}/knowledge-collections/${c.id}/forks`)
        .auth(viewer.token, { type: 'bearer' })
        .send({ name: 'My fork' })
        .expect(201);
      expect(fork.body).toMatchObject({
        name: 'My fork',
        visibility: 'private',
        my_access: 'owner',
        forked_from_collection_id: c.id,
        entry_count: 1,
      });
      expect(fork.body.owner.id).toBe(viewer.user.id);
      const entries = await http()
        .get(`${API}/knowledge-collections/${fork.body.id}/entries`)
        .auth(viewer.token, { type: 'bearer' })
        .expect(200);
      expect(entries.body.items.map((e: { content: string }) => e.content)).toEqual(['Open lore']);
      expect(entries.body.items[0]).toMatchObject({ insertion_order: open.insertionOrder, sticky: 2 });
      const source = await http()
        .get(`${API}/knowledge-collections/${c.id}`)
        .auth(owner.token, { type: 'bearer' })
        .expect(200);
      expect(source.body.fork_count).toBe(1);

      await http()
        .patch(`${API}/knowledge-collections/${c.id}`)
        .auth(owner.token, { type: 'bearer' })
        .send({ allow_fork: false })
        .expect(200);
      await http()
        .post(`${API}/knowledge-collections/${c.id}/forks`)
        .auth(viewer.token, { type: 'bearer' })
        .send({})
        .expect(403);
    });
  });
});
