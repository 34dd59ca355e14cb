import request from 'supertest';
import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import { ACTIVATION_FIELDS } from '../../src/modules/knowledge/entry-fields.js';
import { KnowledgeEntry } from '../../src/modules/knowledge/entities/knowledge-entry.entity.js';
import { KnowledgeEntryVisibility } from '../../src/modules/knowledge/knowledge.enums.js';
import { createCollection, createCollectionGrant, createEntry } from '../factories/knowledge.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

const API = '/api/v1';

describe('world book import / export (knowledge.md §5)', () => {
  let ctx: TestApp;
  let owner: TestUser;
  beforeAll(async () => {
    ctx = await createTestApp();
    owner = await createUser(ctx);
  });
  afterAll(() => ctx?.close());
  const http = () => request(ctx.http);
  const importBook = (body: object, token = owner.token) =>
    http().post(`${API}/knowledge-collections/imports/worldbook`).auth(token, { type: 'bearer' }).send(body);

  it('imports with the corrected mapping: selectiveLogic 1 → not_all, disabled kept, comment → title', async () => {
    const res = await importBook({
      worldbook: {
        name: 'Elvaran book',
        entries: {
          '0': {
            uid: 0,
            key: ['dragon'],
            keysecondary: ['red'],
            selectiveLogic: 1,
            content: 'Dragons are red.',
            comment: 'Dragons',
            position: 2,
          },
          '1': { uid: 1, key: ['elf'], content: 'Elves.', disable: true },
          '2': { uid: 2, key: [], content: '' },
        },
      },
    }).expect(201);
    expect(res.body).toMatchObject({
      imported: 2,
      skipped: 1,
      collection: { name: 'Elvaran book', visibility: 'private', entry_count: 2 },
    });
    expect(res.body.warnings.join(' ')).toMatch(/system_bottom/);
    const entries = await http()
      .get(`${API}/knowledge-collections/${res.body.collection.id}/entries?sort=title`)
      .auth(owner.token, { type: 'bearer' })
      .expect(200);
    const dragon = entries.body.items.find((e: { title: string }) => e.title === 'Dragons');
    expect(dragon).toMatchObject({
      keyword_logic: 'not_all',
      position: 'system_bottom',
      origin: 'imported',
      primary_keys: ['dragon'],
    });
    expect(entries.body.items.find((e: { content: string }) => e.content === 'Elves.').activation_mode).toBe(
      'disabled',
    );
  });

  it('bad input → 422 with per-field errors; wrong shapes → 400; never 500', async () => {
    const bad = await importBook({
      worldbook: { entries: { a: { content: 'x', key: ['k'], order: 'high', position: 99 } } },
    }).expect(422);
    expect(bad.body.code).toBe('INVALID_WORLDBOOK');
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual([
      'worldbook.entries.a.order',
      'worldbook.entries.a.position',
    ]);
    await importBook({ worldbook: { entries: 'nope' } }).expect(422);
    const regex = await importBook({ worldbook: { entries: { a: { content: 'x', key: ['/(/'] } } } }).expect(422);
    expect(regex.body.errors[0].field).toBe('worldbook.entries.a.key[0]');
    await importBook({ worldbook: 'text' }).expect(400);
    await importBook({}).expect(400);
    await importBook({ worldbook: {}, extra: 1 }).expect(400);
    await http().post(`${API}/knowledge-collections/imports/worldbook`).send({ worldbook: {} }).expect(401);
    const proto = await http()
      .post(`${API}/knowledge-collections/imports/worldbook`)
      .auth(owner.token, { type: 'bearer' })
      .set('content-type', 'application/json')
      .send('{"worldbook":{"entries":{"a":{"content":"x","key":["k"],"__proto__":{"admin":true}}}}}');
    expect([201, 400]).toContain(proto.status);
  });

  it('export → re-import gives entries with equal activation fields', async () => {
    const c = await createCollection(ctx, { ownerId: owner.user.id });
    await http()
      .post(`${API}/knowledge-collections/${c.id}/entries`)
      .auth(owner.token, { type: 'bearer' })
      .send({
        content: 'Full entry',
        title: 'Full',
        activation_mode: 'hybrid',
        primary_keys: ['/elv(a|i)ra/i'],
        secondary_keys: ['queen'],
        keyword_logic: 'not_any',
        use_regex: true,
        scan_depth: 7,
        match_user_messages: false,
        match_system_prompt: true,
        match_persona_description: true,
        vector_threshold: 0.65,
        max_vector_results: 9,
        use_probability: true,
        probability: 33,
        position: 'at_depth',
        depth: 4,
        depth_role: 'assistant',
        insertion_order: 777,
        sticky: 3,
        cooldown: 2,
        delay: 5,
        inclusion_group: 'weather',
        group_weight: 12,
        group_prioritize: true,
        exclude_recursion: true,
        prevent_recursion: true,
        delay_until_recursion: true,
        ignore_budget: true,
        max_tokens: 321,
      })
      .expect(201);
    await http()
      .post(`${API}/knowledge-collections/${c.id}/entries`)
      .auth(owner.token, { type: 'bearer' })
      .send({ content: 'Top', activation_mode: 'constant', position: 'system_top' })
      .expect(201);
    await http()
      .post(`${API}/knowledge-collections/${c.id}/entries`)
      .auth(owner.token, { type: 'bearer' })
      .send({ content: 'Plain keyword', activation_mode: 'keyword', primary_keys: ['a', 'b'] })
      .expect(201);
    const exported = await http()
      .get(`${API}/knowledge-collections/${c.id}/exports/worldbook`)
      .auth(owner.token, { type: 'bearer' })
      .expect(200);
    expect(Object.keys(exported.body.entries)).toHaveLength(3);
    expect(exported.body.warnings.length).toBeGreaterThan(0);
    const reimported = await importBook({ worldbook: exported.body }).expect(201);
    const load = (collectionId: string) =>
      ctx.ds
        .getRepository(KnowledgeEntry)
        .find({ where: { collectionId }, order: { insertionOrder: 'DESC', content: 'ASC' } });
    const pick = (e: KnowledgeEntry) => ({
      content: e.content,
      title: e.title,
      ...Object.fromEntries(
        ACTIVATION_FIELDS.map((f) => [f, f === 'vectorThreshold' ? Math.round(e[f] * 1000) : e[f]]),
      ),
    });
    expect((await load(reimported.body.collection.id)).map(pick)).toEqual((await load(c.id)).map(pick));
  });

  it('export access: editors; viewers only with allow_fork (and never editors_only entries); strangers 404', async () => {
    const c = await createCollection(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Shared });
    await createEntry(ctx, { collectionId: c.id, content: 'Open' });
    await createEntry(ctx, { collectionId: c.id, content: 'Secret', visibility: KnowledgeEntryVisibility.EditorsOnly });
    const viewer = await createUser(ctx);
    const stranger = await createUser(ctx);
    await createCollectionGrant(ctx, { collection: c, granteeId: viewer.user.id });
    const url = `${API}/knowledge-collections/${c.id}/exports/worldbook`;
    const asViewer = await http().get(url).auth(viewer.token, { type: 'bearer' }).expect(200);
    expect(Object.values(asViewer.body.entries).map((e) => (e as { content: string }).content)).toEqual(['Open']);
    await http().get(url).auth(stranger.token, { type: 'bearer' }).expect(404);
    await http().get(url).expect(404);
    await http()
      .patch(`${API}/knowledge-collections/${c.id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({ allow_fork: false })
      .expect(200);
    await http().get(url).auth(viewer.token, { type: 'bearer' }).expect(403);
    const asOwner = await http().get(url).auth(owner.token, { type: 'bearer' }).expect(200);
    expect(Object.keys(asOwner.body.entries)).toHaveLength(2);
    await http().get(`${API}/knowledge-collections/not-a-uuid/exports/worldbook`).expect(400);
  });

  const bigBook = (bytes: number) => {
    const entries: Record<string, object> = {};
    const content = 'lore '.repeat(2000);
    for (let i = 0; i * content.length < bytes; i++) entries[String(i)] = { uid: i, key: [`k${i}`], content };
    return { worldbook: { name: 'Big book', entries } };
  };

  it('accepts a 2 MB world book although other routes stop at the 1 MB default', async () => {
    const body = bigBook(2 * 1024 * 1024);
    expect(JSON.stringify(body).length).toBeGreaterThan(2 * 1024 * 1024);
    const res = await request(ctx.http)
      .post('/api/v1/knowledge-collections/imports/worldbook')
      .auth(owner.token, { type: 'bearer' })
      .send(body);
    expect(res.status).not.toBe(413);
    expect(res.status).toBeLessThan(500);
    const other = await request(ctx.http)
      .post('/api/v1/knowledge-collections')
      .auth(owner.token, { type: 'bearer' })
      .send({ name: 'x'.repeat(2 * 1024 * 1024) })
      .expect(413);
    expect(other.headers['content-type']).toMatch(/problem\+json/);
  });
});
