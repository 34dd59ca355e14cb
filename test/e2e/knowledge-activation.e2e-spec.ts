import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { GrantLevel, ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { AccessGrant } from '../../src/modules/access/entities/access-grant.entity.js';
import { KnowledgeActivationService } from '../../src/modules/knowledge/activation/knowledge-activation.service.js';
import { KnowledgeActivationLog } from '../../src/modules/knowledge/entities/knowledge-activation-log.entity.js';
import { createBot, createGrant } from '../factories/bot.factory.js';
import { createConversation } from '../factories/chat.factory.js';
import { createPersona } from '../factories/persona.factory.js';
import { createCollection, createCollectionGrant, linkCollection } from '../factories/knowledge.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

const API = '/api/v1';

describe('knowledge links and activation (knowledge.md §3, §4)', () => {
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

  /** A bot of the owner linked to a fresh collection of the owner. */
  async function setup() {
    const bot = await createBot(ctx, { ownerId: owner.user.id, name: 'Mira' });
    const c = await createCollection(ctx, { ownerId: owner.user.id });
    await linkCollection(ctx, { botId: bot.id, collectionId: c.id });
    return { bot, c };
  }
  const addEntry = async (collectionId: string, body: object) =>
    (
      await http()
        .post(`${API}/knowledge-collections/${collectionId}/entries`)
        .auth(owner.token, { type: 'bearer' })
        .send({ activation_mode: 'keyword', ...body })
        .expect(201)
    ).body as { id: string };
  const preview = (botId: string, body: object, token = owner.token) =>
    http().post(`${API}/bots/${botId}/knowledge-activation/preview`).auth(token, { type: 'bearer' }).send(body);
  const say = (text: string) => [{ role: 'user' as const, text }];
  const included = (res: request.Response) => res.body.included.map((e: { entry_id: string }) => e.entry_id);
  const reason = (res: request.Response, id: string) =>
    res.body.excluded.find((e: { entry_id: string }) => e.entry_id === id)?.reason;

  it('4.4.1 keyword: case-insensitive by default, case_sensitive, match_whole_words', async () => {
    const { bot, c } = await setup();
    const e = await addEntry(c.id, {
      content: "Elvara is the capital of {{char}}'s homeland, says {{user}}.",
      primary_keys: ['Elvara'],
    });
    const res = await preview(bot.id, { messages: say('tell me about elvara') }).expect(200);
    expect(included(res)).toEqual([e.id]);
    expect(res.body.included[0]).toMatchObject({
      method: 'keyword',
      matched_keywords: ['Elvara'],
      position: 'before_character',
    });
    expect(res.body.included[0].content).toBe(`Elvara is the capital of Mira's homeland, says ${owner.user.username}.`);
    expect(res.body.positions.before_character.map((x: { entry_id: string }) => x.entry_id)).toEqual([e.id]);

    await http()
      .patch(`${API}/knowledge-entries/${e.id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({ case_sensitive: true })
      .expect(200);
    expect(included(await preview(bot.id, { messages: say('tell me about elvara') }).expect(200))).toEqual([]);
    await http()
      .patch(`${API}/knowledge-entries/${e.id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({ case_sensitive: false, match_whole_words: true })
      .expect(200);
    expect(included(await preview(bot.id, { messages: say('the Elvaran empire') }).expect(200))).toEqual([]);
    expect(included(await preview(bot.id, { messages: say('Elvara!') }).expect(200))).toEqual([e.id]);
  });

  it('4.4.2 secondary logic and_all / not_any', async () => {
    const { bot, c } = await setup();
    const e = await addEntry(c.id, {
      content: 'Dragons',
      primary_keys: ['dragon'],
      secondary_keys: ['red'],
      keyword_logic: 'and_all',
    });
    expect(included(await preview(bot.id, { messages: say('a dragon') }).expect(200))).toEqual([]);
    expect(included(await preview(bot.id, { messages: say('a red dragon') }).expect(200))).toEqual([e.id]);
    await http()
      .patch(`${API}/knowledge-entries/${e.id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({ keyword_logic: 'not_any' })
      .expect(200);
    expect(included(await preview(bot.id, { messages: say('a dragon') }).expect(200))).toEqual([e.id]);
    expect(included(await preview(bot.id, { messages: say('a red dragon') }).expect(200))).toEqual([]);
  });

  it('regex keys run on RE2 in a request', async () => {
    const { bot, c } = await setup();
    const e = await addEntry(c.id, { content: 'x', primary_keys: ['/elv(a|i)ra/i'], use_regex: true });
    expect(included(await preview(bot.id, { messages: say('ELVIRA') }).expect(200))).toEqual([e.id]);
  });

  it('4.4.3 budget: constant ignore_budget with budget 1; two 600-token entries with budget 1000', async () => {
    const { bot, c } = await setup();
    const constant = await addEntry(c.id, {
      content: 'Always here.',
      activation_mode: 'constant',
      ignore_budget: true,
    });
    const low = await addEntry(c.id, { content: 'l'.repeat(2400), primary_keys: ['lore'], insertion_order: 10 });
    const high = await addEntry(c.id, { content: 'h'.repeat(2400), primary_keys: ['lore'], insertion_order: 20 });
    const tiny = await preview(bot.id, { messages: say('nothing'), budget_tokens: 1 }).expect(200);
    expect(included(tiny)).toEqual([constant.id]);
    const res = await preview(bot.id, { messages: say('lore please'), budget_tokens: 1000 }).expect(200);
    expect(included(res)).toEqual(expect.arrayContaining([high.id, constant.id]));
    expect(included(res)).not.toContain(low.id);
    expect(reason(res, low.id)).toBe('budget_exceeded');
    expect(res.body.budget_tokens).toBe(1000);
  });

  it('default budget is min(window × 20 %, 2000)', async () => {
    const { bot } = await setup();
    const res = await preview(bot.id, { messages: say('x') }).expect(200);
    expect(res.body.budget_tokens).toBe(1638);
  });

  it('4.4.4 delay 3: excluded delay_not_met at seq 2, included at 3', async () => {
    const { bot, c } = await setup();
    const e = await addEntry(c.id, { content: 'Late lore', activation_mode: 'constant', delay: 3 });
    expect(reason(await preview(bot.id, { messages: say('x'), message_seq: 2 }).expect(200), e.id)).toBe(
      'delay_not_met',
    );
    expect(included(await preview(bot.id, { messages: say('x'), message_seq: 3 }).expect(200))).toEqual([e.id]);
  });

  it('4.4.5 sticky 2 in a conversation: keyword at 5, sticky at 6 and 7, gone at 8', async () => {
    const { bot, c } = await setup();
    const e = await addEntry(c.id, { content: 'Sticky lore', primary_keys: ['elvara'], sticky: 2 });
    const service = ctx.app.get(KnowledgeActivationService);
    const conversationId = (await createConversation(ctx, owner.token, { bot_ids: [bot.id] })).id;
    const run = (seq: number, text: string) =>
      service.activate({ bot_id: bot.id, conversation_id: conversationId, message_seq: seq, messages: say(text) });
    const at5 = await run(5, 'tell me about Elvara');
    expect(at5.included.map((h) => [h.entry.id, h.method])).toEqual([[e.id, 'keyword']]);
    for (const seq of [6, 7]) {
      const r = await run(seq, 'something else');
      expect(r.included.map((h) => [h.entry.id, h.method])).toEqual([[e.id, 'sticky']]);
    }
    expect((await run(8, 'something else')).included).toEqual([]);
    const rows = await ctx.ds
      .getRepository(KnowledgeActivationLog)
      .find({ where: { conversationId }, order: { messageSeq: 'ASC' } });
    expect(rows.map((r) => [Number(r.messageSeq), r.method, r.wasIncluded])).toEqual([
      [5, 'keyword', true],
      [6, 'sticky', true],
      [7, 'sticky', true],
    ]);
    const entry = await http()
      .get(`${API}/knowledge-entries/${e.id}`)
      .auth(owner.token, { type: 'bearer' })
      .expect(200);
    expect(entry.body.activation_count).toBe(3);
    expect(entry.body.last_activated_at).not.toBeNull();
    // the conversation owner reads the log; anyone else gets 404
    const logs = await http()
      .get(`${API}/conversations/${conversationId}/knowledge-activations`)
      .auth(owner.token, { type: 'bearer' })
      .expect(200);
    expect(logs.body.map((l: { message_seq: number }) => l.message_seq)).toEqual([7, 6, 5]);
    await http()
      .get(`${API}/conversations/${conversationId}/knowledge-activations`)
      .auth(stranger.token, { type: 'bearer' })
      .expect(404);
    // the log belongs to its conversation (fk_kal_conversation, ON DELETE CASCADE)
    await http().delete(`${API}/conversations/${conversationId}`).auth(owner.token, { type: 'bearer' }).expect(204);
    expect(await ctx.ds.getRepository(KnowledgeActivationLog).countBy({ conversationId })).toBe(0);
  });

  it('persona filters: only your own personas; an allow filter activates for that persona in the preview', async () => {
    const { bot, c } = await setup();
    const mine = await createPersona(ctx, { ownerId: owner.user.id });
    const theirs = await createPersona(ctx, { ownerId: stranger.user.id, isPublic: true });
    const refused = await http()
      .post(`${API}/knowledge-collections/${c.id}/entries`)
      .auth(owner.token, { type: 'bearer' })
      .send({
        content: 'Only for Ash',
        activation_mode: 'constant',
        filter_by_personas: true,
        persona_filters: [{ persona_id: theirs.id, mode: 'allow' }],
      })
      .expect(400);
    expect(refused.body.errors[0].field).toBe('persona_filters[0].persona_id');
    const e = await addEntry(c.id, {
      content: 'Only for Ash',
      activation_mode: 'constant',
      filter_by_personas: true,
      persona_filters: [{ persona_id: mine.id, mode: 'allow' }],
    });
    expect(included(await preview(bot.id, { messages: say('hi'), persona_id: mine.id }).expect(200))).toEqual([e.id]);
    expect(reason(await preview(bot.id, { messages: say('hi') }).expect(200), e.id)).toBe('filter_excluded');
    // previewing as somebody else's persona: 404, as for one that does not exist
    await preview(bot.id, { messages: say('hi'), persona_id: theirs.id }).expect(404);
  });

  it('4.4.6 bot filter exclude for X: activates for Y, not for X', async () => {
    const c = await createCollection(ctx, { ownerId: owner.user.id });
    const x = await createBot(ctx, { ownerId: owner.user.id });
    const y = await createBot(ctx, { ownerId: owner.user.id });
    await linkCollection(ctx, { botId: x.id, collectionId: c.id });
    await linkCollection(ctx, { botId: y.id, collectionId: c.id });
    const e = await addEntry(c.id, {
      content: 'Not for X',
      activation_mode: 'constant',
      filter_by_bots: true,
      bot_filters: [{ bot_id: x.id, mode: 'exclude' }],
    });
    expect(included(await preview(y.id, { messages: say('hi') }).expect(200))).toEqual([e.id]);
    const forX = await preview(x.id, { messages: say('hi') }).expect(200);
    expect(included(forX)).toEqual([]);
    expect(reason(forX, e.id)).toBe('filter_excluded');
  });

  it("4.4.7 revoking the bot owner's grant stops the linked lore (link shown inactive)", async () => {
    const lender = await createUser(ctx);
    const c = await createCollection(ctx, { ownerId: lender.user.id, visibility: ResourceVisibility.Shared });
    const grant = await createCollectionGrant(ctx, { collection: c, granteeId: owner.user.id });
    const bot = await createBot(ctx, { ownerId: owner.user.id });
    await http()
      .put(`${API}/bots/${bot.id}/knowledge-collections/${c.id}`)
      .auth(owner.token, { type: 'bearer' })
      .send({})
      .expect(201)
      .expect(({ body }) => expect(body).toMatchObject({ enabled: true, active: true }));
    await http()
      .post(`${API}/knowledge-collections/${c.id}/entries`)
      .auth(lender.token, { type: 'bearer' })
      .send({ content: 'Borrowed lore', activation_mode: 'constant' })
      .expect(201);
    const before = await preview(bot.id, { messages: say('hi') }).expect(200);
    expect(before.body.included).toHaveLength(1);
    await ctx.ds.getRepository(AccessGrant).update({ id: grant.id }, { revokedAt: new Date() });
    const after = await preview(bot.id, { messages: say('hi') }).expect(200);
    expect(after.body.included).toEqual([]);
    expect(after.body.links).toEqual([{ collection_id: c.id, enabled: true, active: false, hidden: true }]);
    const list = await http()
      .get(`${API}/bots/${bot.id}/knowledge-collections`)
      .auth(owner.token, { type: 'bearer' })
      .expect(200);
    expect(list.body).toMatchObject({ items: [], other_count: 1 });
  });

  it('4.4.8 group with group_prioritize: the higher insertion_order wins, the other is group_lost', async () => {
    const { bot, c } = await setup();
    const low = await addEntry(c.id, {
      content: 'Low',
      activation_mode: 'constant',
      inclusion_group: 'weather',
      insertion_order: 10,
      group_prioritize: true,
    });
    const high = await addEntry(c.id, {
      content: 'High',
      activation_mode: 'constant',
      inclusion_group: 'weather',
      insertion_order: 90,
    });
    const res = await preview(bot.id, { messages: say('x') }).expect(200);
    expect(included(res)).toEqual([high.id]);
    expect(reason(res, low.id)).toBe('group_lost');
  });

  it("recursion: an activated entry's content triggers another", async () => {
    const { bot, c } = await setup();
    const a = await addEntry(c.id, { content: 'The queen rides a wyvern.', primary_keys: ['queen'] });
    const b = await addEntry(c.id, { content: 'Wyverns breathe frost.', primary_keys: ['wyvern'] });
    const res = await preview(bot.id, { messages: say('who is the queen?') }).expect(200);
    expect(res.body.included.map((e: { entry_id: string; method: string }) => [e.entry_id, e.method]).sort()).toEqual(
      [
        [a.id, 'keyword'],
        [b.id, 'recursion'],
      ].sort(),
    );
    expect(res.body.recursion_passes).toBeGreaterThanOrEqual(1);
  });

  it('preview: entries of collections the caller cannot read come back hidden; access rules per route', async () => {
    const lender = await createUser(ctx);
    const c = await createCollection(ctx, { ownerId: lender.user.id, visibility: ResourceVisibility.Shared });
    await createCollectionGrant(ctx, { collection: c, granteeId: owner.user.id });
    const bot = await createBot(ctx, { ownerId: owner.user.id });
    await linkCollection(ctx, { botId: bot.id, collectionId: c.id });
    await http()
      .post(`${API}/knowledge-collections/${c.id}/entries`)
      .auth(lender.token, { type: 'bearer' })
      .send({ content: 'Lender lore', activation_mode: 'constant' })
      .expect(201);
    const editor = await createUser(ctx);
    await createGrant(ctx, { bot, granteeId: editor.user.id, level: GrantLevel.Edit });
    await ctx.ds.query(`UPDATE bots SET visibility = 'shared', allow_collaboration = true WHERE id = $1`, [bot.id]);
    const res = await preview(bot.id, { messages: say('hi') }, editor.token).expect(200);
    expect(res.body.included).toEqual([{ hidden: true }]);

    const viewer = await createUser(ctx);
    await createGrant(ctx, { bot, granteeId: viewer.user.id, level: GrantLevel.View });
    await preview(bot.id, { messages: say('hi') }, viewer.token).expect(403);
    await preview(bot.id, { messages: say('hi') }, stranger.token).expect(404);
    await http().post(`${API}/bots/${bot.id}/knowledge-activation/preview`).send({ messages: [] }).expect(401);
    await preview(bot.id, { messages: [{ role: 'narrator', text: 'x' }] }).expect(400);
    await preview(bot.id, { messages: say('x'), extra: 1 }).expect(400);
    await preview(randomUUID(), { messages: say('x') }).expect(404);
    await preview(bot.id, { messages: say('x'), persona_id: randomUUID() }).expect(404);
  });

  describe('links §3.1', () => {
    it('PUT creates (201) then updates (200); DELETE 204; rules and limits', async () => {
      const bot = await createBot(ctx, { ownerId: owner.user.id });
      const c = await createCollection(ctx, { ownerId: owner.user.id });
      const url = `${API}/bots/${bot.id}/knowledge-collections/${c.id}`;
      await http().put(url).send({}).expect(401);
      await http().put(url).auth(owner.token, { type: 'bearer' }).send({ enabled: 'no' }).expect(400);
      await http().put(url).auth(stranger.token, { type: 'bearer' }).send({}).expect(404);
      await http().put(url).auth(owner.token, { type: 'bearer' }).send({}).expect(201);
      await http()
        .put(url)
        .auth(owner.token, { type: 'bearer' })
        .send({ enabled: false })
        .expect(200)
        .expect(({ body }) => expect(body).toMatchObject({ enabled: false, active: false }));
      const list = await http()
        .get(`${API}/bots/${bot.id}/knowledge-collections`)
        .auth(owner.token, { type: 'bearer' })
        .expect(200);
      expect(list.body.items).toEqual([
        expect.objectContaining({ collection_id: c.id, enabled: false, active: false }),
      ]);
      await http()
        .get(`${API}/bots/${bot.id}/knowledge-collections`)
        .auth(stranger.token, { type: 'bearer' })
        .expect(404);
      await http().delete(url).auth(stranger.token, { type: 'bearer' }).expect(404);
      await http().delete(url).expect(401);
      await http().delete(url).auth(owner.token, { type: 'bearer' }).expect(204);
      await http().delete(url).auth(owner.token, { type: 'bearer' }).expect(404);

      // a collection the caller cannot read → 404; a bot viewer cannot link → 403
      const foreign = await createCollection(ctx, { ownerId: stranger.user.id });
      await http()
        .put(`${API}/bots/${bot.id}/knowledge-collections/${foreign.id}`)
        .auth(owner.token, { type: 'bearer' })
        .send({})
        .expect(404);
      const viewer = await createUser(ctx);
      await ctx.ds.query(`UPDATE bots SET visibility = 'shared' WHERE id = $1`, [bot.id]);
      await createGrant(ctx, { bot, granteeId: viewer.user.id });
      await http().put(url).auth(viewer.token, { type: 'bearer' }).send({}).expect(403);

      // a public bot's reader sees only the links they can read, plus a count
      await ctx.ds.query(`UPDATE bots SET visibility = 'public' WHERE id = $1`, [bot.id]);
      await http().put(url).auth(owner.token, { type: 'bearer' }).send({}).expect(201);
      const anon = await http().get(`${API}/bots/${bot.id}/knowledge-collections`).expect(200);
      expect(anon.body).toEqual({ items: [], other_count: 1 });
    });

    it('409 OWNER_CANNOT_READ_COLLECTION when an editor links a collection the bot owner cannot read', async () => {
      const bot = await createBot(ctx, {
        ownerId: owner.user.id,
        visibility: ResourceVisibility.Shared,
        allowCollaboration: true,
      });
      const editor = await createUser(ctx);
      await createGrant(ctx, { bot, granteeId: editor.user.id, level: GrantLevel.Edit });
      const editorsOwn = await createCollection(ctx, { ownerId: editor.user.id });
      await http()
        .put(`${API}/bots/${bot.id}/knowledge-collections/${editorsOwn.id}`)
        .auth(editor.token, { type: 'bearer' })
        .send({})
        .expect(409)
        .expect(({ body }) => expect(body.code).toBe('OWNER_CANNOT_READ_COLLECTION'));
    });

    it('a moderator may read a private collection but may not link it (decision 16)', async () => {
      const mod = await createUser(ctx, { role: UserRole.Moderator });
      const bot = await createBot(ctx, { ownerId: mod.user.id });
      const c = await createCollection(ctx, { ownerId: owner.user.id });
      await http().get(`${API}/knowledge-collections/${c.id}`).auth(mod.token, { type: 'bearer' }).expect(200);
      await http()
        .put(`${API}/bots/${bot.id}/knowledge-collections/${c.id}`)
        .auth(mod.token, { type: 'bearer' })
        .send({})
        .expect(403);
    });

    it('at most 20 links per bot', async () => {
      const bot = await createBot(ctx, { ownerId: owner.user.id });
      for (let i = 0; i < 20; i++) {
        const c = await createCollection(ctx, { ownerId: owner.user.id });
        await linkCollection(ctx, { botId: bot.id, collectionId: c.id });
      }
      const extra = await createCollection(ctx, { ownerId: owner.user.id });
      await http()
        .put(`${API}/bots/${bot.id}/knowledge-collections/${extra.id}`)
        .auth(owner.token, { type: 'bearer' })
        .send({})
        .expect(409)
        .expect(({ body }) => expect(body.code).toBe('LINK_LIMIT'));
    });
  });

  it("activation log route: 401 anonymous, 400 bad id, 404 for a conversation that is not the caller's", async () => {
    await http().get(`${API}/conversations/${randomUUID()}/knowledge-activations`).expect(401);
    await http()
      .get(`${API}/conversations/nope/knowledge-activations`)
      .auth(owner.token, { type: 'bearer' })
      .expect(400);
    await http()
      .get(`${API}/conversations/${randomUUID()}/knowledge-activations`)
      .auth(owner.token, { type: 'bearer' })
      .expect(404);
    await http()
      .get(`${API}/conversations/${randomUUID()}/knowledge-activations?message_seq=x`)
      .auth(owner.token, { type: 'bearer' })
      .expect(400);
  });
});
