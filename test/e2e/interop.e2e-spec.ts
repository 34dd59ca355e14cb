import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';
import * as pngText from 'png-chunk-text';
import request from 'supertest';
import { GrantLevel, ResourceVisibility } from '../../src/common/access/access.enums.js';
import { BotDefinitionVisibility } from '../../src/modules/bots/entities/bot.enums.js';
import { Bot } from '../../src/modules/bots/entities/bot.entity.js';
import { KnowledgeEntryVisibility } from '../../src/modules/knowledge/knowledge.enums.js';
import { createBot, createGrant } from '../factories/bot.factory.js';
import { createCollection, createEntry, linkCollection } from '../factories/knowledge.factory.js';
import { createUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

type Obj = Record<string, any>;

let ctx: TestApp;
beforeAll(async () => {
  ctx = await createTestApp();
});
afterAll(() => ctx?.close());

const FIXTURES = join(__dirname, '..', 'fixtures', 'cards');
const fixture = (name: string): Obj => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8'));

/** A valid greyscale PNG of the given size. */
function makePng(width = 64, height = 64): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  const row = Buffer.alloc(width + 1, 0x80);
  row[0] = 0;
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.from(
    encodeChunks([
      { name: 'IHDR', data: new Uint8Array(ihdr) },
      { name: 'IDAT', data: new Uint8Array(deflateSync(raw)) },
      { name: 'IEND', data: new Uint8Array(0) },
    ]),
  );
}

const b64 = (card: unknown) => Buffer.from(JSON.stringify(card), 'utf8').toString('base64');

/** A PNG carrying the given text chunks (keyword → text) before IEND. */
function pngWith(
  texts: { keyword: string; text: string; type?: 'tEXt' | 'zTXt' | 'iTXt' }[],
  base = makePng(),
): Buffer {
  const chunks = extractChunks(base);
  const end = chunks.findIndex((c) => c.name === 'IEND');
  const extra = texts.map(({ keyword, text, type = 'tEXt' }) => {
    if (type === 'tEXt') return pngText.encode(keyword, text);
    if (type === 'zTXt') {
      const data = Buffer.concat([
        Buffer.from(keyword, 'latin1'),
        Buffer.from([0, 0]),
        deflateSync(Buffer.from(text, 'latin1')),
      ]);
      return { name: 'zTXt', data: new Uint8Array(data) };
    }
    const data = Buffer.concat([
      Buffer.from(keyword, 'latin1'),
      Buffer.from([0, 1, 0]),
      Buffer.from([0]), // empty language tag
      Buffer.from([0]), // empty translated keyword
      deflateSync(Buffer.from(text, 'utf8')),
    ]);
    return { name: 'iTXt', data: new Uint8Array(data) };
  });
  chunks.splice(end, 0, ...extra);
  return Buffer.from(encodeChunks(chunks));
}

function v2Card(data: Obj = {}): Obj {
  return {
    spec: 'chara_card_v2',
    spec_version: '2.0',
    data: {
      name: 'Test Card',
      description: 'A card made in a test.',
      personality: 'Curious.',
      scenario: 'A library at night.',
      first_mes: 'Hello there.',
      mes_example: '<START>\n{{user}}: Hi\n{{char}}: Hello!',
      creator_notes: '',
      system_prompt: '',
      post_history_instructions: '',
      alternate_greetings: [],
      tags: [],
      creator: '',
      character_version: '',
      extensions: {},
      ...data,
    },
  };
}

function bookEntry(i: number, extra: Obj = {}): Obj {
  return {
    keys: [`key${i}`, `alias${i}`],
    secondary_keys: [],
    content: `Lore entry number ${i}.`,
    extensions: {
      position: 4,
      depth: 2,
      role: 1,
      selectiveLogic: 1,
      probability: 70,
      useProbability: true,
      group: 'g',
    },
    enabled: true,
    insertion_order: 100 + i,
    case_sensitive: false,
    comment: `Entry ${i}`,
    constant: false,
    ...extra,
  };
}

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const parts: Buffer[] = [];
  res.on('data', (c: Buffer) => parts.push(c));
  res.on('end', () => cb(null, Buffer.concat(parts)));
};

function importFile(token: string, bytes: Buffer, filename = 'card.png', query = '') {
  return request(ctx.http)
    .post(`/api/v1/bots/import${query}`)
    .auth(token, { type: 'bearer' })
    .attach('file', bytes, filename);
}

function importJson(token: string, card: unknown, query = '') {
  return request(ctx.http)
    .post(`/api/v1/bots/import${query}`)
    .auth(token, { type: 'bearer' })
    .send(card as object);
}

function exportCard(token: string, id: string, query: string) {
  return request(ctx.http).get(`/api/v1/bots/${id}/card?${query}`).auth(token, { type: 'bearer' });
}

async function counts(ownerId: string): Promise<{ bots: number; collections: number }> {
  const [row] = await ctx.ds.query(
    `SELECT (SELECT count(*)::int FROM bots WHERE owner_id = $1) AS bots,
            (SELECT count(*)::int FROM knowledge_collections WHERE owner_id = $1) AS collections`,
    [ownerId],
  );
  return row;
}

const ACTIVATION_COLUMNS = [
  'title',
  'content',
  'activation_mode',
  'primary_keys',
  'secondary_keys',
  'keyword_logic',
  'case_sensitive',
  'match_whole_words',
  'use_regex',
  'scan_depth',
  'probability',
  'use_probability',
  'position',
  'depth',
  'depth_role',
  'insertion_order',
  'sticky',
  'cooldown',
  'delay',
  'inclusion_group',
  'group_weight',
  'group_prioritize',
  'exclude_recursion',
  'prevent_recursion',
  'delay_until_recursion',
  'ignore_budget',
];

async function loreOf(botId: string): Promise<Obj[]> {
  return ctx.ds.query(
    `SELECT ${ACTIVATION_COLUMNS.join(', ')} FROM knowledge_entries e
       JOIN bot_knowledge_collections l ON l.collection_id = e.collection_id
      WHERE l.bot_id = $1 ORDER BY e.insertion_order DESC, e.content`,
    [botId],
  );
}

const BOT_FIELDS = [
  'name',
  'description',
  'system_prompt',
  'greeting',
  'alternate_greetings',
  'speech_examples',
  'tags',
];
const pick = (o: Obj, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));

describe('POST /bots/import and GET /bots/{id}/card (interop.md §5)', () => {
  it('§5.1 keeps an unknown extensions.depth_prompt key through V2 JSON import → V2 JSON export', async () => {
    const { user, token } = await createUser(ctx);
    const card = fixture('v2-card.json');
    const res = await importFile(token, Buffer.from(JSON.stringify(card)), 'mira.json').expect(201);
    expect(res.body.format).toBe('v2');
    const bot = res.body.bot;
    expect(bot.name).toBe('Captain Mira');
    expect(bot.sharing.visibility).toBe('private');
    expect(bot.creator.id ?? user.id).toBeDefined();
    expect(bot.greeting).toBe(card.data.first_mes);
    expect(bot.alternate_greetings).toEqual(card.data.alternate_greetings);
    expect(bot.tags).toEqual(['fantasy', 'airship']);
    expect(bot.speech_examples).toHaveLength(2);
    expect(bot.system_prompt).toContain('Personality: Dry humour');
    expect(bot.system_prompt).toContain('Scenario: {{user}} stows away');
    expect(bot).not.toHaveProperty('import_metadata');
    const [owner] = await ctx.ds.query(`SELECT owner_id FROM bots WHERE id = $1`, [bot.id]);
    expect(owner.owner_id).toBe(user.id);

    const out = await exportCard(token, bot.id, 'format=v2&container=json').expect(200);
    expect(out.body.spec).toBe('chara_card_v2');
    expect(out.body.data.extensions.depth_prompt).toEqual(card.data.extensions.depth_prompt);
    expect(out.body.data.extensions).toEqual(card.data.extensions);
    for (const key of [
      'name',
      'description',
      'personality',
      'scenario',
      'first_mes',
      'mes_example',
      'system_prompt',
      'creator_notes',
      'post_history_instructions',
      'alternate_greetings',
      'tags',
      'creator',
      'character_version',
    ]) {
      expect([key, out.body.data[key]]).toEqual([key, card.data[key]]);
    }
    const entry = out.body.data.character_book.entries[0];
    expect(entry).toMatchObject({ keys: ['Kestrel', 'airship'], name: 'The ship', priority: 10, id: 0 });
    expect(entry.content).toBe(card.data.character_book.entries[0].content);
  });

  it('the hand-made V3 fixture keeps every V3 field through import → V3 JSON export (JSON body)', async () => {
    const { token } = await createUser(ctx);
    const card = fixture('v3-card.json');
    const res = await importJson(token, card).expect(201);
    expect(res.body.format).toBe('v3');
    expect(res.body.bot.system_prompt).toBe('You are {{char}}. {{original}}');
    const out = await exportCard(token, res.body.bot.id, 'format=v3').expect(200);
    expect(out.body).toEqual(card);
  });

  it('§5.2 reads ccv3 over chara; a V3 PNG export re-imports to equal bot fields and lore activation fields', async () => {
    const { token } = await createUser(ctx);
    const v3 = {
      spec: 'chara_card_v3',
      spec_version: '3.0',
      data: {
        ...v2Card({ name: 'Nova', tags: ['Sci-Fi'], alternate_greetings: ['Alt one', 'Alt two'] }).data,
        group_only_greetings: [],
        nickname: 'Nov',
        character_book: {
          name: 'Nova lore',
          entries: [
            bookEntry(1),
            bookEntry(2, { constant: true, extensions: { position: 1, sticky: 3, cooldown: 2, group_weight: 50 } }),
            bookEntry(3, { enabled: false }),
          ],
        },
      },
    };
    const v2 = v2Card({ name: 'Old V2 name' });
    const png = pngWith([
      { keyword: 'chara', text: b64(v2) },
      { keyword: 'ccv3', text: b64(v3) },
    ]);
    const first = await importFile(token, png).expect(201);
    expect(first.body.format).toBe('v3');
    expect(first.body.bot.name).toBe('Nova');
    expect(first.body.bot.picture_url).toBeTruthy();

    const exported = await exportCard(token, first.body.bot.id, 'format=v3&container=png')
      .buffer(true)
      .parse(binary)
      .expect(200)
      .expect('content-type', /image\/png/);
    const chunks = extractChunks(exported.body as Buffer)
      .filter((c) => c.name === 'tEXt')
      .map((c) => pngText.decode(c.data));
    expect(chunks.map((c) => c.keyword).sort()).toEqual(['ccv3', 'chara']);
    const embedded = JSON.parse(Buffer.from(chunks.find((c) => c.keyword === 'ccv3')!.text, 'base64').toString());
    expect(embedded.data.nickname).toBe('Nov');

    const second = await importFile(token, exported.body as Buffer).expect(201);
    expect(pick(second.body.bot, BOT_FIELDS)).toEqual(pick(first.body.bot, BOT_FIELDS));
    const [a, b] = [await loreOf(first.body.bot.id), await loreOf(second.body.bot.id)];
    expect(a).toHaveLength(3);
    expect(b).toEqual(a);
    expect(a.find((e) => e.title === 'Entry 1')).toMatchObject({
      position: 'at_depth',
      depth: 2,
      depth_role: 'user',
      keyword_logic: 'not_all',
      probability: 70,
      use_probability: true,
      inclusion_group: 'g',
    });
    expect(a.find((e) => e.title === 'Entry 2')).toMatchObject({ activation_mode: 'constant', sticky: 3 });
    expect(a.find((e) => e.title === 'Entry 3')).toMatchObject({ activation_mode: 'disabled' });
  });

  it('§5.3 a character_book of 3 entries creates a private collection with 3 entries linked to the new bot', async () => {
    const { user, token } = await createUser(ctx);
    const card = v2Card({ character_book: { name: 'Three', entries: [bookEntry(1), bookEntry(2), bookEntry(3)] } });
    const res = await importJson(token, card).expect(201);
    const collectionId = res.body.knowledge_collection_id;
    expect(collectionId).toBeTruthy();
    const [c] = await ctx.ds.query(
      `SELECT owner_id, visibility, entry_count, name FROM knowledge_collections WHERE id = $1`,
      [collectionId],
    );
    expect(c).toMatchObject({ owner_id: user.id, visibility: 'private', entry_count: 3, name: 'Three' });
    const [{ n }] = await ctx.ds.query(`SELECT count(*)::int AS n FROM knowledge_entries WHERE collection_id = $1`, [
      collectionId,
    ]);
    expect(n).toBe(3);
    const links = await request(ctx.http)
      .get(`/api/v1/bots/${res.body.bot.id}/knowledge-collections`)
      .auth(token, { type: 'bearer' })
      .expect(200);
    expect(JSON.stringify(links.body)).toContain(collectionId);
  });

  it('§5.4 viewer without allow_copying → 403; stranger on a private bot → 404; editor and copying viewer → 200', async () => {
    const owner = await createUser(ctx);
    const viewer = await createUser(ctx);
    const editor = await createUser(ctx);
    const stranger = await createUser(ctx);
    const bot = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Shared });
    await createGrant(ctx, { bot, granteeId: viewer.user.id, level: GrantLevel.View });
    await ctx.ds.getRepository(Bot).update(bot.id, { allowCollaboration: true });
    await createGrant(ctx, { bot, granteeId: editor.user.id, level: GrantLevel.Edit });

    await exportCard(viewer.token, bot.id, 'format=v2')
      .expect(403)
      .expect(({ body }) => expect(body.code).toBe('BOT_FORBIDDEN'));
    await exportCard(editor.token, bot.id, 'format=v2').expect(200);
    const privateBot = await createBot(ctx, { ownerId: owner.user.id });
    await exportCard(stranger.token, privateBot.id, 'format=v2')
      .expect(404)
      .expect(({ body }) => expect(body.code).toBe('BOT_NOT_FOUND'));

    // a viewer of a copyable bot gets the card, but only the lore they can read
    await ctx.ds.getRepository(Bot).update(bot.id, {
      allowCopying: true,
      definitionVisibility: BotDefinitionVisibility.Viewers,
    });
    const shared = await createCollection(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
    await createEntry(ctx, { collectionId: shared.id, content: 'Visible lore.' });
    await createEntry(ctx, {
      collectionId: shared.id,
      content: 'Spoiler lore.',
      visibility: KnowledgeEntryVisibility.EditorsOnly,
    });
    const secret = await createCollection(ctx, { ownerId: owner.user.id });
    await createEntry(ctx, { collectionId: secret.id, content: 'Secret lore.' });
    await linkCollection(ctx, { botId: bot.id, collectionId: shared.id });
    await linkCollection(ctx, { botId: bot.id, collectionId: secret.id });

    const asViewer = await exportCard(viewer.token, bot.id, 'format=v3').expect(200);
    const viewerLore = asViewer.body.data.character_book.entries.map((e: Obj) => e.content);
    expect(viewerLore).toEqual(['Visible lore.']);
    expect(asViewer.body.data.system_prompt).toBe(bot.systemPrompt);
    const asOwner = await exportCard(owner.token, bot.id, 'format=v3').expect(200);
    expect(asOwner.body.data.character_book.entries.map((e: Obj) => e.content).sort()).toEqual([
      'Secret lore.',
      'Spoiler lore.',
      'Visible lore.',
    ]);
  });

  it('§5.5 a PNG with a broken chunk → 422 naming the chunk; a 20 MB upload → 413; nothing is created', async () => {
    const { user, token } = await createUser(ctx);
    const png = pngWith([{ keyword: 'chara', text: b64(v2Card()) }]);
    const broken = Buffer.from(png);
    const textAt = broken.indexOf(Buffer.from('tEXt'));
    broken[textAt + 10] ^= 0xff; // corrupt the tEXt data, its CRC no longer matches
    const res = await importFile(token, broken).expect(422);
    expect(res.body.errors[0].field).toContain('tEXt');

    const big = Buffer.concat([makePng(), Buffer.alloc(20 * 1024 * 1024, 1)]);
    await importFile(token, big)
      .expect(413)
      .expect(({ body }) => expect(body.code).toBe('FILE_TOO_LARGE'));
    expect(await counts(user.id)).toEqual({ bots: 0, collections: 0 });
  });

  describe('bad input (interop.md §4)', () => {
    let token: string;
    let userId: string;
    beforeAll(async () => {
      const u = await createUser(ctx);
      token = u.token;
      userId = u.user.id;
    });
    afterAll(async () => expect(await counts(userId)).toEqual({ bots: 0, collections: 0 }));

    const expect422 = async (res: request.Test, field: string | RegExp) => {
      const { body } = await res.expect(422);
      expect(body.code).toBe('INVALID_CARD');
      expect(body.errors.map((e: Obj) => e.field)).toContainEqual(
        typeof field === 'string' ? field : expect.stringMatching(field),
      );
    };

    it('a card without a name → 422 on data.name', async () => {
      await expect422(importJson(token, v2Card({ name: '  ' })), 'data.name');
    });

    it('strings over the bot limits and a 10 MB text field → 422 naming the field', async () => {
      await expect422(importJson(token, v2Card({ description: 'x'.repeat(5001) })), 'data.description');
      const huge = Buffer.from(JSON.stringify(v2Card({ first_mes: 'y'.repeat(9_900_000) })));
      await expect422(importFile(token, huge, 'card.json'), 'data.first_mes');
    });

    it('a PNG without a card chunk, bad base64, bad JSON, a truncated PNG and a non-PNG → 422', async () => {
      await expect422(importFile(token, makePng()), 'file');
      await expect422(importFile(token, pngWith([{ keyword: 'chara', text: '!!not base64!!' }])), /chara/);
      await expect422(
        importFile(token, pngWith([{ keyword: 'chara', text: Buffer.from('{"spec": ').toString('base64') }])),
        /chara/,
      );
      const png = pngWith([{ keyword: 'chara', text: b64(v2Card()) }]);
      await expect422(importFile(token, png.subarray(0, png.length - 30)), /file\.chunks/);
      await expect422(importFile(token, Buffer.from('GIF89a not a card'), 'card.gif'), 'file');
      await expect422(importFile(token, Buffer.from('{"spec": "chara_card_v2", '), 'card.json'), 'file');
    });

    it('JSON nested deeper than 64 → 422; more than 2,000 lore entries → 422; bad entry keys name the entry', async () => {
      let deep: Obj = {};
      const root = deep;
      for (let i = 0; i < 70; i += 1) deep = deep.x = {};
      await expect422(importFile(token, Buffer.from(JSON.stringify(v2Card({ extensions: root }))), 'c.json'), 'file');
      const many = Array.from({ length: 2001 }, (_, i) => bookEntry(i));
      await expect422(
        importFile(token, Buffer.from(JSON.stringify(v2Card({ character_book: { entries: many } }))), 'c.json'),
        'data.character_book.entries',
      );
      const bad = v2Card({
        character_book: { entries: [bookEntry(0), bookEntry(1), bookEntry(2), { ...bookEntry(3), keys: 5 }] },
      });
      await expect422(importJson(token, bad), 'data.character_book.entries[3].keys');
    });

    it('an unknown spec, an image over 4096 px → 422', async () => {
      await expect422(importJson(token, { spec: 'chara_card_v9', data: {} }), 'spec');
      const wide = pngWith([{ keyword: 'chara', text: b64(v2Card()) }], makePng(4097, 1));
      await expect422(importFile(token, wide), 'file');
    });
  });

  it('reads zTXt and iTXt chunks, V1 cards, and ignores __proto__ keys', async () => {
    const { token } = await createUser(ctx);
    const z = await importFile(
      token,
      pngWith([{ keyword: 'chara', text: b64(v2Card({ name: 'Zed' })), type: 'zTXt' }]),
    );
    expect(z.status).toBe(201);
    expect(z.body.bot.name).toBe('Zed');
    const i = await importFile(
      token,
      pngWith([
        {
          keyword: 'ccv3',
          text: b64({ ...v2Card({ name: 'Ita' }), spec: 'chara_card_v3', spec_version: '3.0' }),
          type: 'iTXt',
        },
      ]),
    );
    expect(i.status).toBe(201);
    expect(i.body.bot.name).toBe('Ita');

    const v1 = await importJson(token, {
      name: 'Legacy',
      description: 'Old',
      personality: 'p',
      scenario: 's',
      first_mes: 'hi',
      mes_example: '',
    }).expect(201);
    expect(v1.body.format).toBe('v1');
    expect(v1.body.bot.system_prompt).toBe('Personality: p\n\nScenario: s');

    const text = `{"spec":"chara_card_v2","spec_version":"2.0","__proto__":{"polluted":true},"data":{"name":"Proto","extensions":{"__proto__":{"admin":true},"ok":1}}}`;
    const p = await importFile(token, Buffer.from(text), 'proto.json').expect(201);
    expect(({} as Obj).polluted).toBeUndefined();
    const out = await exportCard(token, p.body.bot.id, 'format=v2').expect(200);
    expect(out.body.data.extensions).toEqual({ ok: 1 });
    expect(Object.keys(out.body)).not.toContain('__proto__');
  });

  it('dry_run=true maps the card, answers 200 and saves nothing; overflowing greetings and tags are warnings', async () => {
    const { user, token } = await createUser(ctx);
    const card = v2Card({
      alternate_greetings: Array.from({ length: 22 }, (_, i) => `Greeting ${i}`),
      tags: Array.from({ length: 25 }, (_, i) => `Tag${i}`),
      character_book: { entries: [bookEntry(1)] },
    });
    const res = await importJson(token, card, '?dry_run=true').expect(200);
    expect(res.body.preview.alternate_greetings).toHaveLength(19);
    expect(res.body.preview.tags).toHaveLength(20);
    expect(res.body.preview.lore_entries).toBe(1);
    expect(res.body.warnings.join(' ')).toMatch(/alternate_greetings/);
    expect(res.body.warnings.join(' ')).toMatch(/tags/);
    expect(await counts(user.id)).toEqual({ bots: 0, collections: 0 });

    // saved, the overflow still comes back on export
    const saved = await importJson(token, card).expect(201);
    const out = await exportCard(token, saved.body.bot.id, 'format=v2').expect(200);
    expect(out.body.data.alternate_greetings).toEqual(card.data.alternate_greetings);
    expect(out.body.data.tags).toEqual(card.data.tags);
  });

  it('401 without a token, 400 for bad query values or an unknown parameter, 404 for a missing bot, 415 for other bodies', async () => {
    const { token } = await createUser(ctx);
    await request(ctx.http).post('/api/v1/bots/import').send(v2Card()).expect(401);
    await request(ctx.http).get(`/api/v1/bots/${crypto.randomUUID()}/card`).expect(401);
    await exportCard(token, crypto.randomUUID(), 'format=v4').expect(400);
    await exportCard(token, crypto.randomUUID(), 'container=gif').expect(400);
    await importJson(token, v2Card(), '?foo=1').expect(400);
    await request(ctx.http).get('/api/v1/bots/not-a-uuid/card').auth(token, { type: 'bearer' }).expect(400);
    await exportCard(token, crypto.randomUUID(), 'format=v2').expect(404);
    await request(ctx.http)
      .post('/api/v1/bots/import')
      .auth(token, { type: 'bearer' })
      .set('content-type', 'text/plain')
      .send('hello')
      .expect(415);
  });
});
