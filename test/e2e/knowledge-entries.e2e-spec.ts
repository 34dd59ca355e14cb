import request from 'supertest';
import { GrantLevel, ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
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

describe('knowledge entries (knowledge.md §2, §3.2)', () => {
  let ctx: TestApp;
  let owner: TestUser;
  let stranger: TestUser;
  beforeAll(async () => {
    ctx = await createTestApp();
    owner = await createUser(ctx);
    stranger = await createUser(ctx);
  });
  afterAll(() => ctx?.close());
  const http = () => request(ctx.http);

  const newCollection = (visibility = ResourceVisibility.Shared) =>
    createCollection(ctx, { ownerId: owner.user.id, visibility });

  it('defaults: an entry without activation fields gets the documented defaults (acceptance 2.6.2)', async () => {
    const c = await newCollection();
    const res = await http()
      .post(`${API}/knowledge-collections/${c.id}/entries`)
      .auth(owner.token, { type: 'bearer' })
      .send({ content: 'The Elvaran Empire spans three continents.' })
      .expect(201);
    expect(res.body).toMatchObject({
      activation_mode: 'vector',
      vector_threshold: 0.4,
      max_vector_results: 5,
      position: 'before_character',
      insertion_order: 100,
      scan_depth: 2,
      max_tokens: 1000,
      keyword_logic: 'and_any',
      probability: 100,
      depth_role: 'system',
      group_weight: 100,
      match_user_messages: true,
      match_bot_messages: true,
      visibility: 'inherit',
      origin: 'authored',
      token_cost: 11,
      word_count: 6,
      author_id: owner.user.id,
      bot_filters: [],
      persona_filters: [],
    });
    expect(res.body.content_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('validation (acceptance 2.6.1): keyword without keys, bad regex naming the key, threshold 1.5 → 400', async () => {
    const c = await newCollection();
    const post = (body: object) =>
      http().post(`${API}/knowledge-collections/${c.id}/entries`).auth(owner.token, { type: 'bearer' }).send(body);
    const noKeys = await post({ content: 'x', activation_mode: 'keyword' }).expect(400);
    expect(noKeys.body.errors).toEqual([expect.objectContaining({ field: 'primary_keys' })]);
    const regex = await post({
      content: 'x',
      activation_mode: 'keyword',
      use_regex: true,
      primary_keys: ['ok', '('],
    }).expect(400);
    expect(regex.body.errors).toEqual([
      expect.objectContaining({ field: 'primary_keys[1]', message: expect.stringContaining('"("') }),
    ]);
    await post({ content: 'x', activation_mode: 'keyword', use_regex: true, primary_keys: ['(a)\\1'] }).expect(400);
    const threshold = await post({ content: 'x', vector_threshold: 1.5 }).expect(400);
    expect(threshold.body.errors[0].field).toBe('vector_threshold');
    await post({ content: '' }).expect(400);
    await post({ content: 'x', extra_field: 1 }).expect(400);
    await post({ content: 'x', scan_depth: 21 }).expect(400);
    await post({ content: 'x', type: 'url' }).expect(400);
    await post({ content: 'x', type: 'url', source_url: 'ftp://x' }).expect(400);
    await post({ content: 'x', type: 'url', source_url: 'https://example.com/lore' }).expect(201);
    await post({ content: 'x', bot_filters: [{ bot_id: 'nope', mode: 'allow' }] }).expect(400);
    const unknownBot = await post({
      content: 'x',
      bot_filters: [{ bot_id: '00000000-0000-4000-8000-000000000000', mode: 'allow' }],
    }).expect(400);
    expect(unknownBot.body.errors[0].field).toBe('bot_filters[0].bot_id');
    const persona = await post({
      content: 'x',
      persona_filters: [{ persona_id: '00000000-0000-4000-8000-000000000000', mode: 'allow' }],
    }).expect(400);
    expect(persona.body.errors[0].field).toBe('persona_filters[0].persona_id');
    // PATCH validates the merged state too
    const e = await post({ content: 'x', activation_mode: 'keyword', primary_keys: ['a'] }).expect(201);
    await http()
      .patch(`${API}/knowledge-entries/${e.body.id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({ use_regex: true, primary_keys: ['[z-a]'] })
      .expect(400);
    await http()
      .patch(`${API}/knowledge-entries/${e.body.id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({ primary_keys: [] })
      .expect(400);
  });

  it('embedding: only content changes re-queue it; the job runs it to skipped (acceptance 2.6.3)', async () => {
    const c = await newCollection();
    const created = await http()
      .post(`${API}/knowledge-collections/${c.id}/entries`)
      .auth(owner.token, { type: 'bearer' })
      .send({ content: 'First version' })
      .expect(201);
    expect(created.body.embedding_status).toBe('pending');
    await ctx.jobs.drain();
    const id = created.body.id;
    const afterJob = await http()
      .get(`${API}/knowledge-entries/${id}`)
      .auth(owner.token, { type: 'bearer' })
      .expect(200);
    expect(afterJob.body.embedding_status).toBe('skipped');
    const order = await http()
      .patch(`${API}/knowledge-entries/${id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({ insertion_order: 500 })
      .expect(200);
    expect(order.body).toMatchObject({ insertion_order: 500, embedding_status: 'skipped' });
    const changed = await http()
      .patch(`${API}/knowledge-entries/${id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({ content: 'Second version, longer' })
      .expect(200);
    expect(changed.body.embedding_status).toBe('pending');
    expect(changed.body.content_hash).not.toBe(created.body.content_hash);
    await ctx.jobs.drain();
    const done = await http().get(`${API}/knowledge-entries/${id}`).auth(owner.token, { type: 'bearer' }).expect(200);
    expect(done.body.embedding_status).toBe('skipped');
    await http().post(`${API}/knowledge-entries/${id}/embedding`).auth(owner.token, { type: 'bearer' }).expect(202);
    await http().post(`${API}/knowledge-entries/${id}/embedding`).expect(401);
    await http().post(`${API}/knowledge-entries/${id}/embedding`).auth(stranger.token, { type: 'bearer' }).expect(404);
    await ctx.jobs.drain();
  });

  it('viewer vs editor (acceptance 1.6 and 2.6.4): viewer 403 on create, editor 201 and entry_count +1; editors_only hidden', async () => {
    const c = await newCollection();
    const viewer = await createUser(ctx);
    const editor = await createUser(ctx);
    await createCollectionGrant(ctx, { collection: c, granteeId: viewer.user.id });
    await createCollectionGrant(ctx, { collection: c, granteeId: editor.user.id, level: GrantLevel.Edit });
    const body = {
      content: 'A spoiler: the queen is a dragon.',
      visibility: 'editors_only',
      activation_mode: 'constant',
    };
    await http().post(`${API}/knowledge-collections/${c.id}/entries`).send(body).expect(401);
    await http()
      .post(`${API}/knowledge-collections/${c.id}/entries`)
      .auth(stranger.token, { type: 'bearer' })
      .send(body)
      .expect(404);
    await http()
      .post(`${API}/knowledge-collections/${c.id}/entries`)
      .auth(viewer.token, { type: 'bearer' })
      .send(body)
      .expect(403);
    const hidden = await http()
      .post(`${API}/knowledge-collections/${c.id}/entries`)
      .auth(editor.token, { type: 'bearer' })
      .send(body)
      .expect(201);
    const open = await createEntry(ctx, { collectionId: c.id, content: 'Open lore' });
    const detail = await http()
      .get(`${API}/knowledge-collections/${c.id}`)
      .auth(owner.token, { type: 'bearer' })
      .expect(200);
    expect(detail.body.entry_count).toBe(2);
    expect(detail.body.total_words).toBeGreaterThan(0);

    const viewerList = await http()
      .get(`${API}/knowledge-collections/${c.id}/entries`)
      .auth(viewer.token, { type: 'bearer' })
      .expect(200);
    expect(viewerList.body.items.map((e: { id: string }) => e.id)).toEqual([open.id]);
    await http().get(`${API}/knowledge-entries/${hidden.body.id}`).auth(viewer.token, { type: 'bearer' }).expect(404);
    await http().get(`${API}/knowledge-entries/${open.id}`).auth(viewer.token, { type: 'bearer' }).expect(200);
    const editorList = await http()
      .get(`${API}/knowledge-collections/${c.id}/entries`)
      .auth(editor.token, { type: 'bearer' })
      .expect(200);
    expect(editorList.body.items).toHaveLength(2);
    await http()
      .patch(`${API}/knowledge-entries/${open.id}`)
      .auth(viewer.token, { type: 'bearer' })
      .send({ title: 'x' })
      .expect(403);
    await http().delete(`${API}/knowledge-entries/${open.id}`).auth(viewer.token, { type: 'bearer' }).expect(403);

    // a moderator reads everything, including editors_only, but cannot write
    const mod = await createUser(ctx, { role: UserRole.Moderator });
    await http().get(`${API}/knowledge-entries/${hidden.body.id}`).auth(mod.token, { type: 'bearer' }).expect(200);
    await http()
      .patch(`${API}/knowledge-entries/${open.id}`)
      .auth(mod.token, { type: 'bearer' })
      .send({ title: 'x' })
      .expect(403);

    // the editors_only entry still appears in an activation preview run by the owner
    const bot = await createBot(ctx, { ownerId: owner.user.id });
    await linkCollection(ctx, { botId: bot.id, collectionId: c.id });
    const preview = await http()
      .post(`${API}/bots/${bot.id}/knowledge-activation/preview`)
      .auth(owner.token, { type: 'bearer' })
      .send({ messages: [{ role: 'user', text: 'hi' }] })
      .expect(200);
    expect(preview.body.included.map((e: { entry_id: string }) => e.entry_id)).toContain(hidden.body.id);
  });

  it('stranger 404 on entries of a private collection (acceptance 1.1); anonymous reads public entries', async () => {
    const c = await newCollection(ResourceVisibility.Private);
    const e = await createEntry(ctx, { collectionId: c.id });
    await http().get(`${API}/knowledge-entries/${e.id}`).auth(stranger.token, { type: 'bearer' }).expect(404);
    await http().get(`${API}/knowledge-entries/${e.id}`).expect(404);
    await http().get(`${API}/knowledge-collections/${c.id}/entries`).expect(404);
    await http()
      .patch(`${API}/knowledge-entries/${e.id}`)
      .auth(stranger.token, { type: 'bearer' })
      .send({ title: 'x' })
      .expect(404);
    await http().delete(`${API}/knowledge-entries/${e.id}`).auth(stranger.token, { type: 'bearer' }).expect(404);
    await http().patch(`${API}/knowledge-entries/${e.id}`).send({ title: 'x' }).expect(401);
    await http().delete(`${API}/knowledge-entries/${e.id}`).expect(401);
    await http().get(`${API}/knowledge-entries/not-a-uuid`).expect(400);
    await http()
      .patch(`${API}/knowledge-entries/${e.id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({ nope: 1 })
      .expect(400);

    const pub = await newCollection(ResourceVisibility.Public);
    const pe = await createEntry(ctx, { collectionId: pub.id });
    await createEntry(ctx, { collectionId: pub.id, visibility: KnowledgeEntryVisibility.EditorsOnly });
    const anon = await http().get(`${API}/knowledge-collections/${pub.id}/entries`).expect(200);
    expect(anon.body.items.map((x: { id: string }) => x.id)).toEqual([pe.id]);
    await http().get(`${API}/knowledge-entries/${pe.id}`).expect(200);
  });

  it('lists: keyset pages by order, filters by q/tag/mode, sorts', async () => {
    const c = await newCollection();
    for (let i = 0; i < 5; i++) {
      await createEntry(ctx, {
        collectionId: c.id,
        insertionOrder: i * 10,
        content: `Dragon lore ${i}`,
        tags: i < 2 ? ['rare'] : [],
      });
    }
    await createEntry(ctx, {
      collectionId: c.id,
      activationMode: 'constant' as never,
      primaryKeys: [],
      content: 'Always',
    });
    const orders: number[] = [];
    let cursor: string | null = null;
    do {
      const res: request.Response = await http()
        .get(
          `${API}/knowledge-collections/${c.id}/entries?limit=2&activation_mode=keyword${cursor ? `&cursor=${cursor}` : ''}`,
        )
        .auth(owner.token, { type: 'bearer' })
        .expect(200);
      orders.push(...res.body.items.map((e: { insertion_order: number }) => e.insertion_order));
      cursor = res.body.next_cursor;
    } while (cursor);
    expect(orders).toEqual([40, 30, 20, 10, 0]);
    const tag = await http()
      .get(`${API}/knowledge-collections/${c.id}/entries?tag=rare`)
      .auth(owner.token, { type: 'bearer' })
      .expect(200);
    expect(tag.body.items).toHaveLength(2);
    const q = await http()
      .get(`${API}/knowledge-collections/${c.id}/entries?q=always`)
      .auth(owner.token, { type: 'bearer' })
      .expect(200);
    expect(q.body.items).toHaveLength(1);
    for (const sort of ['recent', 'title']) {
      const all = await http()
        .get(`${API}/knowledge-collections/${c.id}/entries?sort=${sort}&limit=4`)
        .auth(owner.token, { type: 'bearer' })
        .expect(200);
      expect(all.body.items).toHaveLength(4);
      await http()
        .get(`${API}/knowledge-collections/${c.id}/entries?sort=${sort}&limit=4&cursor=${all.body.next_cursor}`)
        .auth(owner.token, { type: 'bearer' })
        .expect(200);
    }
    await http().get(`${API}/knowledge-collections/${c.id}/entries?sort=bad`).expect(400);
    await http()
      .get(`${API}/knowledge-collections/${c.id}/entries?cursor=abc`)
      .auth(owner.token, { type: 'bearer' })
      .expect(400);
  });

  it('moving an entry needs edit on both collections and moves the counters; delete decrements', async () => {
    const a = await newCollection();
    const b = await newCollection();
    const foreign = await createCollection(ctx, { ownerId: stranger.user.id, visibility: ResourceVisibility.Shared });
    await createCollectionGrant(ctx, { collection: foreign, granteeId: owner.user.id });
    const e = await http()
      .post(`${API}/knowledge-collections/${a.id}/entries`)
      .auth(owner.token, { type: 'bearer' })
      .send({ content: 'one two three', activation_mode: 'constant' })
      .expect(201);
    await http()
      .patch(`${API}/knowledge-entries/${e.body.id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({ collection_id: foreign.id })
      .expect(403);
    await http()
      .patch(`${API}/knowledge-entries/${e.body.id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({ collection_id: b.id })
      .expect(200)
      .expect(({ body }) => expect(body.collection_id).toBe(b.id));
    const counts = async (id: string) =>
      (await http().get(`${API}/knowledge-collections/${id}`).auth(owner.token, { type: 'bearer' }).expect(200)).body;
    expect((await counts(a.id)).entry_count).toBe(0);
    expect(await counts(b.id)).toMatchObject({ entry_count: 1, total_words: 3, total_chars: 13 });
    await http().delete(`${API}/knowledge-entries/${e.body.id}`).auth(owner.token, { type: 'bearer' }).expect(204);
    expect(await counts(b.id)).toMatchObject({ entry_count: 0, total_words: 0, total_chars: 0 });
    await http().get(`${API}/knowledge-entries/${e.body.id}`).auth(owner.token, { type: 'bearer' }).expect(404);
  });

  it('bot filters are replaced as a whole and shown on the detail', async () => {
    const c = await newCollection();
    const bot = await createBot(ctx, { ownerId: owner.user.id });
    const e = await http()
      .post(`${API}/knowledge-collections/${c.id}/entries`)
      .auth(owner.token, { type: 'bearer' })
      .send({ content: 'x', filter_by_bots: true, bot_filters: [{ bot_id: bot.id, mode: 'exclude' }] })
      .expect(201);
    expect(e.body.bot_filters).toEqual([{ bot_id: bot.id, mode: 'exclude' }]);
    const cleared = await http()
      .patch(`${API}/knowledge-entries/${e.body.id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({ bot_filters: [] })
      .expect(200);
    expect(cleared.body.bot_filters).toEqual([]);
    // a bot the editor cannot read may not be named
    const foreignBot = await createBot(ctx, { ownerId: stranger.user.id });
    await http()
      .patch(`${API}/knowledge-entries/${e.body.id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({ bot_filters: [{ bot_id: foreignBot.id, mode: 'allow' }] })
      .expect(400);
  });
});
