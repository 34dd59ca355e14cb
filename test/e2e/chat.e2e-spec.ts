import request from 'supertest';
import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { Bot } from '../../src/modules/bots/entities/bot.entity.js';
import { Persona } from '../../src/modules/personas/entities/persona.entity.js';
import { createApiKey } from '../factories/api-key.factory.js';
import { createBot } from '../factories/bot.factory.js';
import { createConversation, postMessage } from '../factories/chat.factory.js';
import { createPersona } from '../factories/persona.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

describe('chat: conversations, messages, search', () => {
  let ctx: TestApp;
  beforeAll(async () => {
    ctx = await createTestApp();
  });
  afterAll(() => ctx?.close());

  const api = (path: string) => `/api/v1${path}`;
  const as = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const problem = (res: request.Response, status: number, code?: string) => {
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: code ? { code } : {} });
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  };
  const publicBot = (ownerId: string, overrides: Partial<Bot> = {}) =>
    createBot(ctx, { ownerId, visibility: ResourceVisibility.Public, ...overrides });
  const counters = async (id: string) => {
    const [row] = await ctx.ds.query(
      `SELECT c.message_count, c.last_message_seq, (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS real,
              (SELECT coalesce(max(seq), 0) FROM messages m WHERE m.conversation_id = c.id) AS max_seq
         FROM conversations c WHERE c.id = $1`,
      [id],
    );
    return {
      messageCount: Number(row.message_count),
      real: Number(row.real),
      lastSeq: Number(row.last_message_seq),
      maxSeq: Number(row.max_seq),
    };
  };

  let creator: TestUser;
  beforeAll(async () => {
    creator = await createUser(ctx, { role: UserRole.Creator });
  });

  describe('POST /conversations (chat.md §1.7 #1, #2)', () => {
    it('401 without a token', async () => {
      problem(await request(ctx.http).post(api('/conversations')).send({ bot_ids: [] }), 401);
    });

    it('400 for a bad body or an unknown field', async () => {
      const me = await createUser(ctx);
      problem(
        await request(ctx.http).post(api('/conversations')).set(as(me)).send({ bot_ids: [] }),
        400,
        'VALIDATION_FAILED',
      );
      problem(
        await request(ctx.http)
          .post(api('/conversations'))
          .set(as(me))
          .send({ bot_ids: ['nope'] }),
        400,
        'VALIDATION_FAILED',
      );
      const bot = await publicBot(creator.user.id);
      problem(
        await request(ctx.http)
          .post(api('/conversations'))
          .set(as(me))
          .send({ bot_ids: [bot.id], hacker: 1 }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('one readable bot → single_bot, owner + primary, greeting as seq 1 with macros and alternates', async () => {
      const me = await createUser(ctx, { nickname: 'Neo' });
      const bot = await publicBot(creator.user.id, {
        name: 'Mira',
        greeting: 'Hello {{user}}, I am {{char}}.',
        alternateGreetings: ['Hi {{user}}!', 'Hey there.'],
      });
      const before = (await ctx.ds.getRepository(Bot).findOneByOrFail({ id: bot.id })).conversationCount;
      const res = await request(ctx.http)
        .post(api('/conversations'))
        .set(as(me))
        .send({ bot_ids: [bot.id] })
        .expect(201);
      expect(res.body).toMatchObject({
        conversation_type: 'single_bot',
        status: 'active',
        message_count: 1,
        last_message_seq: 1,
      });
      expect(res.body.participants.map((p: any) => [p.participant_kind, p.role, p.user_id ?? p.bot_id])).toEqual([
        ['user', 'owner', me.user.id],
        ['bot', 'primary', bot.id],
      ]);
      expect(res.body.participant_count).toBe(2);
      const page = await request(ctx.http)
        .get(api(`/conversations/${res.body.id}/messages`))
        .set(as(me))
        .expect(200);
      expect(page.body.items).toHaveLength(1);
      expect(page.body.items[0]).toMatchObject({
        seq: 1,
        author_kind: 'bot',
        bot_id: bot.id,
        is_ai_generated: false,
        content: 'Hello Neo, I am Mira.',
        alternative_count: 3,
        author_name: 'Mira',
      });
      const after = (await ctx.ds.getRepository(Bot).findOneByOrFail({ id: bot.id })).conversationCount;
      expect(after).toBe(before + 1);
    });

    it('the persona name fills {{user}} and the persona usage counter moves', async () => {
      const me = await createUser(ctx);
      const persona = await createPersona(ctx, { ownerId: me.user.id, name: 'Trinity' });
      const bot = await publicBot(creator.user.id, { greeting: 'Welcome, {{user}}.' });
      const res = await request(ctx.http)
        .post(api('/conversations'))
        .set(as(me))
        .send({ bot_ids: [bot.id], persona_id: persona.id, title: '  My chat  ' })
        .expect(201);
      expect(res.body).toMatchObject({ persona_id: persona.id, title: 'My chat' });
      const msgs = await request(ctx.http)
        .get(api(`/conversations/${res.body.id}/messages`))
        .set(as(me))
        .expect(200);
      expect(msgs.body.items[0].content).toBe('Welcome, Trinity.');
      const saved = await ctx.ds.getRepository(Persona).findOneByOrFail({ id: persona.id });
      expect(saved.usageCount).toBe(1);
      expect(saved.lastUsedAt).not.toBeNull();
    });

    it("someone else's persona → 404 PERSONA_NOT_FOUND", async () => {
      const me = await createUser(ctx);
      const other = await createUser(ctx);
      const persona = await createPersona(ctx, { ownerId: other.user.id, isPublic: true });
      const bot = await publicBot(creator.user.id);
      problem(
        await request(ctx.http)
          .post(api('/conversations'))
          .set(as(me))
          .send({ bot_ids: [bot.id], persona_id: persona.id }),
        404,
        'PERSONA_NOT_FOUND',
      );
    });

    it('two bots → multi_bot, primary/secondary in request order; no greeting → no messages', async () => {
      const me = await createUser(ctx);
      const a = await publicBot(creator.user.id);
      const b = await publicBot(creator.user.id);
      const res = await request(ctx.http)
        .post(api('/conversations'))
        .set(as(me))
        .send({ bot_ids: [b.id, a.id] })
        .expect(201);
      expect(res.body.conversation_type).toBe('multi_bot');
      expect(res.body.message_count).toBe(0);
      const bots = res.body.participants.filter((p: any) => p.participant_kind === 'bot');
      expect(bots.map((p: any) => [p.bot_id, p.role])).toEqual([
        [b.id, 'primary'],
        [a.id, 'secondary'],
      ]);
    });

    it('single_bot with two bots → 422 INVALID_CONVERSATION_TYPE', async () => {
      const me = await createUser(ctx);
      const a = await publicBot(creator.user.id);
      const b = await publicBot(creator.user.id);
      problem(
        await request(ctx.http)
          .post(api('/conversations'))
          .set(as(me))
          .send({ bot_ids: [a.id, b.id], conversation_type: 'single_bot' }),
        422,
        'INVALID_CONVERSATION_TYPE',
      );
    });

    it("another user's private bot → 404 BOT_NOT_FOUND and nothing is created", async () => {
      const me = await createUser(ctx);
      const ok = await publicBot(creator.user.id);
      const secret = await createBot(ctx, { ownerId: creator.user.id, visibility: ResourceVisibility.Private });
      const before = await ctx.ds.query(`SELECT count(*)::int AS n FROM conversations WHERE owner_user_id = $1`, [
        me.user.id,
      ]);
      problem(
        await request(ctx.http)
          .post(api('/conversations'))
          .set(as(me))
          .send({ bot_ids: [ok.id, secret.id] }),
        404,
        'BOT_NOT_FOUND',
      );
      const after = await ctx.ds.query(`SELECT count(*)::int AS n FROM conversations WHERE owner_user_id = $1`, [
        me.user.id,
      ]);
      expect(after[0].n).toBe(before[0].n);
      const okRow = await ctx.ds.getRepository(Bot).findOneByOrFail({ id: ok.id });
      expect(okRow.conversationCount).toBe(0);
    });

    it('the owner may chat with their own private bot', async () => {
      const mine = await createBot(ctx, { ownerId: creator.user.id, visibility: ResourceVisibility.Private });
      await request(ctx.http)
        .post(api('/conversations'))
        .set(as(creator))
        .send({ bot_ids: [mine.id] })
        .expect(201);
    });
  });

  describe('GET/PATCH/DELETE /conversations/:id (§1.7 #3, #5, #7, #8)', () => {
    let owner: TestUser;
    let stranger: TestUser;
    let admin: TestUser;
    let conv: { id: string };
    beforeAll(async () => {
      owner = await createUser(ctx);
      stranger = await createUser(ctx);
      admin = await createUser(ctx, { role: UserRole.Admin });
      const bot = await publicBot(creator.user.id, { greeting: 'hi' });
      conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    });

    it('401 without a token on every route', async () => {
      const id = conv.id;
      problem(await request(ctx.http).get(api('/conversations')), 401);
      problem(await request(ctx.http).get(api(`/conversations/${id}`)), 401);
      problem(
        await request(ctx.http)
          .patch(api(`/conversations/${id}`))
          .send({ title: 'x' }),
        401,
      );
      problem(await request(ctx.http).delete(api(`/conversations/${id}`)), 401);
      problem(await request(ctx.http).get(api(`/conversations/${id}/messages`)), 401);
      problem(
        await request(ctx.http)
          .post(api(`/conversations/${id}/messages`))
          .send({ content: 'x' }),
        401,
      );
      problem(await request(ctx.http).get(api(`/conversations/${id}/participants`)), 401);
      problem(
        await request(ctx.http)
          .post(api(`/conversations/${id}/read`))
          .send({ seq: 1 }),
        401,
      );
    });

    it('a stranger gets 404 everywhere and never sees it in a list; admin reads (200) but PATCH → 403', async () => {
      const id = conv.id;
      problem(
        await request(ctx.http)
          .get(api(`/conversations/${id}`))
          .set(as(stranger)),
        404,
        'CONVERSATION_NOT_FOUND',
      );
      problem(
        await request(ctx.http)
          .patch(api(`/conversations/${id}`))
          .set(as(stranger))
          .send({ title: 'x' }),
        404,
      );
      problem(
        await request(ctx.http)
          .delete(api(`/conversations/${id}`))
          .set(as(stranger)),
        404,
      );
      problem(
        await request(ctx.http)
          .get(api(`/conversations/${id}/messages`))
          .set(as(stranger)),
        404,
      );
      problem(
        await request(ctx.http)
          .get(api(`/conversations/${id}/participants`))
          .set(as(stranger)),
        404,
      );
      problem(
        await request(ctx.http)
          .post(api(`/conversations/${id}/messages`))
          .set(as(stranger))
          .send({ content: 'x' }),
        404,
      );
      problem(
        await request(ctx.http)
          .post(api(`/conversations/${id}/read`))
          .set(as(stranger))
          .send({ seq: 1 }),
        404,
      );
      const list = await request(ctx.http).get(api('/conversations?status=all')).set(as(stranger)).expect(200);
      expect(list.body.items.map((c: any) => c.id)).not.toContain(id);

      const read = await request(ctx.http)
        .get(api(`/conversations/${id}`))
        .set(as(admin))
        .expect(200);
      expect(read.body.api_key_id).toBeUndefined();
      problem(
        await request(ctx.http)
          .patch(api(`/conversations/${id}`))
          .set(as(admin))
          .send({ title: 'x' }),
        403,
      );
      problem(
        await request(ctx.http)
          .post(api(`/conversations/${id}/messages`))
          .set(as(admin))
          .send({ content: 'x' }),
        403,
      );
      await request(ctx.http)
        .get(api(`/conversations/${id}/messages`))
        .set(as(admin))
        .expect(200);
    });

    it('owner sees the hidden settings', async () => {
      const res = await request(ctx.http)
        .get(api(`/conversations/${conv.id}`))
        .set(as(owner))
        .expect(200);
      expect(res.body).toMatchObject({ api_key_id: null, model: null, memory_enabled: true, last_summarized_seq: 0 });
    });

    it('400 for a bad id, a bad body and unknown fields', async () => {
      problem(await request(ctx.http).get(api('/conversations/not-a-uuid')).set(as(owner)), 400);
      problem(
        await request(ctx.http)
          .patch(api(`/conversations/${conv.id}`))
          .set(as(owner))
          .send({ temperature: 3 }),
        400,
        'VALIDATION_FAILED',
      );
      problem(
        await request(ctx.http)
          .patch(api(`/conversations/${conv.id}`))
          .set(as(owner))
          .send({ message_count: 0 }),
        400,
        'VALIDATION_FAILED',
      );
      problem(
        await request(ctx.http)
          .patch(api(`/conversations/${conv.id}`))
          .set(as(owner))
          .send({ status: 'gone' }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('PATCH settings; tags lower-cased and distinct; type contradicting participants → 422', async () => {
      const res = await request(ctx.http)
        .patch(api(`/conversations/${conv.id}`))
        .set(as(owner))
        .send({
          title: 'Renamed',
          tags: ['Fun', 'fun', 'Lore'],
          temperature: 1.25,
          max_output_tokens: 500,
          memory_enabled: false,
        })
        .expect(200);
      expect(res.body).toMatchObject({
        title: 'Renamed',
        tags: ['fun', 'lore'],
        temperature: 1.25,
        max_output_tokens: 500,
        memory_enabled: false,
      });
      // one bot and no members: multi_bot is allowed as an explicit choice, group_chat too; single_bot stays fine
      await request(ctx.http)
        .patch(api(`/conversations/${conv.id}`))
        .set(as(owner))
        .send({ conversation_type: 'single_bot' })
        .expect(200);
    });

    it("PATCH api_key_id to another user's key → 404 API_KEY_NOT_FOUND; own key → 200", async () => {
      const other = await createUser(ctx);
      const { body: theirs } = await createApiKey(ctx, other.token);
      problem(
        await request(ctx.http)
          .patch(api(`/conversations/${conv.id}`))
          .set(as(owner))
          .send({ api_key_id: theirs.id }),
        404,
        'API_KEY_NOT_FOUND',
      );
      const { body: mine } = await createApiKey(ctx, owner.token);
      const res = await request(ctx.http)
        .patch(api(`/conversations/${conv.id}`))
        .set(as(owner))
        .send({ api_key_id: mine.id, model: 'gpt-test' })
        .expect(200);
      expect(res.body).toMatchObject({ api_key_id: mine.id, model: 'gpt-test' });
    });

    it('archived → POST message 409 CONVERSATION_ARCHIVED; active again → 201', async () => {
      await request(ctx.http)
        .patch(api(`/conversations/${conv.id}`))
        .set(as(owner))
        .send({ status: 'archived' })
        .expect(200);
      problem(
        await request(ctx.http)
          .post(api(`/conversations/${conv.id}/messages`))
          .set(as(owner))
          .send({ content: 'hello?' }),
        409,
        'CONVERSATION_ARCHIVED',
      );
      await request(ctx.http)
        .patch(api(`/conversations/${conv.id}`))
        .set(as(owner))
        .send({ status: 'active' })
        .expect(200);
      await request(ctx.http)
        .post(api(`/conversations/${conv.id}/messages`))
        .set(as(owner))
        .send({ content: 'hello!', respond: 'none' })
        .expect(201);
    });

    it('DELETE: stranger 404, owner 204, then its messages are 404; admin may delete', async () => {
      const bot = await publicBot(creator.user.id, { greeting: 'hi' });
      const c = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
      const m = await postMessage(ctx, owner.token, c.id, { content: 'to be deleted' });
      problem(
        await request(ctx.http)
          .delete(api(`/conversations/${c.id}`))
          .set(as(stranger)),
        404,
      );
      problem(
        await request(ctx.http)
          .delete(api(`/conversations/${c.id}?purge_memories=maybe`))
          .set(as(owner)),
        400,
      );
      await request(ctx.http)
        .delete(api(`/conversations/${c.id}?purge_memories=true`))
        .set(as(owner))
        .expect(204);
      problem(
        await request(ctx.http)
          .get(api(`/messages/${m.id}`))
          .set(as(owner)),
        404,
        'MESSAGE_NOT_FOUND',
      );
      problem(
        await request(ctx.http)
          .get(api(`/conversations/${c.id}`))
          .set(as(owner)),
        404,
      );
      const c2 = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
      await request(ctx.http)
        .delete(api(`/conversations/${c2.id}`))
        .set(as(admin))
        .expect(204);
    });
  });

  describe('GET /conversations list (§1.7 #4)', () => {
    it('pinned first; posting moves an older one up; archived only with status=archived/all; filters; cursor', async () => {
      const me = await createUser(ctx);
      const bot = await publicBot(creator.user.id);
      const other = await publicBot(creator.user.id);
      const c1 = await createConversation(ctx, me.token, { bot_ids: [bot.id], title: 'Alpha one' });
      const c2 = await createConversation(ctx, me.token, { bot_ids: [bot.id], title: 'Beta two' });
      const c3 = await createConversation(ctx, me.token, { bot_ids: [other.id], title: 'Gamma three' });
      const c4 = await createConversation(ctx, me.token, { bot_ids: [bot.id], title: 'Delta four' });
      const ids = async (q = '') =>
        (
          await request(ctx.http)
            .get(api(`/conversations${q}`))
            .set(as(me))
            .expect(200)
        ).body.items.map((c: any) => c.id);
      expect(await ids()).toEqual([c4.id, c3.id, c2.id, c1.id]);
      await postMessage(ctx, me.token, c1.id, { content: 'bump' });
      expect(await ids()).toEqual([c1.id, c4.id, c3.id, c2.id]);
      await request(ctx.http)
        .patch(api(`/conversations/${c2.id}`))
        .set(as(me))
        .send({ status: 'pinned', tags: ['x'] })
        .expect(200);
      await request(ctx.http)
        .patch(api(`/conversations/${c3.id}`))
        .set(as(me))
        .send({ status: 'archived' })
        .expect(200);
      expect(await ids()).toEqual([c2.id, c1.id, c4.id]);
      expect(await ids('?status=archived')).toEqual([c3.id]);
      expect(await ids('?status=all')).toEqual([c2.id, c1.id, c4.id, c3.id]);
      expect(await ids(`?status=all&bot_id=${other.id}`)).toEqual([c3.id]);
      expect(await ids('?tag=X')).toEqual([c2.id]);
      expect(await ids('?q=delta')).toEqual([c4.id]);
      // keyset cursor through the pinned/unpinned boundary
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: request.Response = await request(ctx.http)
          .get(api(`/conversations?status=all&limit=1${cursor ? `&cursor=${cursor}` : ''}`))
          .set(as(me))
          .expect(200);
        seen.push(...res.body.items.map((c: any) => c.id));
        cursor = res.body.next_cursor;
      } while (cursor);
      expect(seen).toEqual([c2.id, c1.id, c4.id, c3.id]);
      problem(await request(ctx.http).get(api('/conversations?cursor=garbage')).set(as(me)), 400, 'INVALID_CURSOR');
      const forged = Buffer.from(JSON.stringify([false, new Date().toISOString(), 'not-a-uuid'])).toString('base64url');
      problem(
        await request(ctx.http)
          .get(api(`/conversations?cursor=${forged}`))
          .set(as(me)),
        400,
        'INVALID_CURSOR',
      );
      problem(await request(ctx.http).get(api('/conversations?q=%00')).set(as(me)), 400, 'VALIDATION_FAILED');
      problem(await request(ctx.http).get(api('/conversations?status=deleted')).set(as(me)), 400, 'VALIDATION_FAILED');
    });
  });

  describe('messages (§3.7 #1, #7, #8, #11-ish, #12)', () => {
    let owner: TestUser;
    let stranger: TestUser;
    let conv: { id: string };
    beforeAll(async () => {
      owner = await createUser(ctx);
      stranger = await createUser(ctx);
      const bot = await publicBot(creator.user.id);
      conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    });

    it('400: blank text, unknown field, system type, over-long content; 422 image without attachments', async () => {
      const post = (body: object) =>
        request(ctx.http)
          .post(api(`/conversations/${conv.id}/messages`))
          .set(as(owner))
          .send(body);
      problem(await post({ content: '   ' }), 400, 'VALIDATION_FAILED');
      problem(await post({ content: 'x', respond: 'sometimes' }), 400, 'VALIDATION_FAILED');
      problem(await post({ content: 'x', message_type: 'system' }), 400, 'VALIDATION_FAILED');
      problem(await post({ content: 'x'.repeat(32001) }), 400, 'VALIDATION_FAILED');
      problem(await post({}), 400, 'VALIDATION_FAILED');
      problem(await post({ content: 'look', message_type: 'image' }), 422, 'ATTACHMENTS_REQUIRED');
      problem(await post({ content: 'nul \u0000 byte' }), 400, 'VALIDATION_FAILED');
    });

    it('120 messages: newest 50 ascending, older twice → the rest, no gap/dup; newer walks forward', async () => {
      const bot = await publicBot(creator.user.id);
      const c = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
      for (let i = 1; i <= 120; i++) await postMessage(ctx, owner.token, c.id, { content: `message ${i}` });
      const get = (q: string) =>
        request(ctx.http)
          .get(api(`/conversations/${c.id}/messages${q}`))
          .set(as(owner))
          .expect(200);
      const p1 = await get('');
      const seqs = (r: request.Response) => r.body.items.map((m: any) => m.seq);
      expect(seqs(p1)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));
      expect(p1.body.has_more).toBe(true);
      const p2 = await get(`?cursor=${p1.body.next_cursor}`);
      expect(seqs(p2)).toEqual(Array.from({ length: 50 }, (_, i) => 21 + i));
      const p3 = await get(`?cursor=${p2.body.next_cursor}&direction=older`);
      expect(seqs(p3)).toEqual(Array.from({ length: 20 }, (_, i) => 1 + i));
      expect(p3.body).toMatchObject({ has_more: false, next_cursor: null });
      const all = [...seqs(p3), ...seqs(p2), ...seqs(p1)];
      expect(new Set(all).size).toBe(120);
      const fwd = await get(`?cursor=${p2.body.next_cursor}&direction=newer&limit=30`);
      expect(seqs(fwd)).toEqual(Array.from({ length: 30 }, (_, i) => 22 + i));
      expect(fwd.body.has_more).toBe(true);
      const fwd2 = await get(`?cursor=${fwd.body.next_cursor}&direction=newer&limit=100`);
      expect(seqs(fwd2)).toEqual(Array.from({ length: 69 }, (_, i) => 52 + i));
      expect(fwd2.body.has_more).toBe(false);
      problem(
        await request(ctx.http)
          .get(api(`/conversations/${c.id}/messages?cursor=xx`))
          .set(as(owner)),
        400,
        'INVALID_CURSOR',
      );
      problem(
        await request(ctx.http)
          .get(api(`/conversations/${c.id}/messages?limit=101`))
          .set(as(owner)),
        400,
      );
      problem(
        await request(ctx.http)
          .get(api(`/conversations/${c.id}/messages?direction=up`))
          .set(as(owner)),
        400,
      );
      expect(await counters(c.id)).toEqual({ messageCount: 120, real: 120, lastSeq: 120, maxSeq: 120 });
      // posting advanced the poster's own read marker
      const detail = await request(ctx.http)
        .get(api(`/conversations/${c.id}`))
        .set(as(owner))
        .expect(200);
      expect(detail.body.unread_count).toBe(0);
    });

    it('attribution: author_kind user, persona name snapshot, conversation persona switches (owner)', async () => {
      const persona = await createPersona(ctx, { ownerId: owner.user.id, name: 'Morpheus' });
      const m = await postMessage(ctx, owner.token, conv.id, { content: 'as persona', persona_id: persona.id });
      expect(m).toMatchObject({
        author_kind: 'user',
        author_user_id: owner.user.id,
        persona_id: persona.id,
        author_name: 'Morpheus',
        bot_id: null,
        is_ai_generated: false,
        delivery_status: 'sent',
        generation_status: null,
        input_tokens: 0,
        output_tokens: 0,
        total_tokens: 0,
        is_edited: false,
      });
      expect(m.cost_estimate).toBeUndefined();
      const c = await request(ctx.http)
        .get(api(`/conversations/${conv.id}`))
        .set(as(owner))
        .expect(200);
      expect(c.body.persona_id).toBe(persona.id);
      const foreign = await createPersona(ctx, { ownerId: stranger.user.id });
      problem(
        await request(ctx.http)
          .post(api(`/conversations/${conv.id}/messages`))
          .set(as(owner))
          .send({ content: 'x', persona_id: foreign.id }),
        404,
        'PERSONA_NOT_FOUND',
      );
    });

    it('threading: foreign reply target → 422; valid reply depth+1 and parent reply_count+1; deleting the parent nulls the link', async () => {
      const bot = await publicBot(creator.user.id);
      const elsewhere = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
      const foreign = await postMessage(ctx, owner.token, elsewhere.id, { content: 'other conv' });
      problem(
        await request(ctx.http)
          .post(api(`/conversations/${conv.id}/messages`))
          .set(as(owner))
          .send({ content: 'reply', reply_to_message_id: foreign.id }),
        422,
        'INVALID_REPLY_TARGET',
      );
      const parent = await postMessage(ctx, owner.token, conv.id, { content: 'parent' });
      const reply = await postMessage(ctx, owner.token, conv.id, { content: 'child', reply_to_message_id: parent.id });
      expect(reply.thread_depth).toBe(parent.thread_depth + 1);
      const p = await request(ctx.http)
        .get(api(`/messages/${parent.id}`))
        .set(as(owner))
        .expect(200);
      expect(p.body.reply_count).toBe(1);
      await request(ctx.http)
        .delete(api(`/messages/${parent.id}`))
        .set(as(owner))
        .expect(204);
      const r = await request(ctx.http)
        .get(api(`/messages/${reply.id}`))
        .set(as(owner))
        .expect(200);
      expect(r.body).toMatchObject({ reply_to_message_id: null, thread_depth: 1 });
      const k = await counters(conv.id);
      expect(k.messageCount).toBe(k.real);
      expect(k.lastSeq).toBeGreaterThanOrEqual(k.maxSeq);
    });

    it('thread depth is capped at 8 → 422', async () => {
      let parentId: string | undefined;
      for (let d = 0; d <= 8; d++) {
        const m = await postMessage(ctx, owner.token, conv.id, {
          content: `d${d}`,
          ...(parentId ? { reply_to_message_id: parentId } : {}),
        });
        expect(m.thread_depth).toBe(d);
        parentId = m.id;
      }
      problem(
        await request(ctx.http)
          .post(api(`/conversations/${conv.id}/messages`))
          .set(as(owner))
          .send({ content: 'too deep', reply_to_message_id: parentId }),
        422,
        'INVALID_REPLY_TARGET',
      );
    });

    it('edit: is_edited, /edits holds the previous text newest first; stranger 404; admin 403; bad body 400', async () => {
      const m = await postMessage(ctx, owner.token, conv.id, { content: 'first text' });
      const admin = await createUser(ctx, { role: UserRole.Admin });
      const edit = (u: TestUser, body: object, id = m.id) =>
        request(ctx.http)
          .patch(api(`/messages/${id}`))
          .set(as(u))
          .send(body);
      problem(
        await request(ctx.http)
          .patch(api(`/messages/${m.id}`))
          .send({ content: 'x' }),
        401,
      );
      problem(await edit(owner, { content: 'x', seq: 3 }), 400, 'VALIDATION_FAILED');
      problem(await edit(owner, { content: '  ' }), 400, 'VALIDATION_FAILED');
      problem(await edit(stranger, { content: 'hacked' }), 404, 'MESSAGE_NOT_FOUND');
      problem(await edit(admin, { content: 'admin' }), 403, 'MESSAGE_FORBIDDEN');
      problem(await edit(owner, { content: 'x' }, '00000000-0000-4000-8000-000000000000'), 404);
      const r1 = await edit(owner, { content: 'second text', edit_reason: 'typo' }).expect(200);
      expect(r1.body).toMatchObject({ content: 'second text', is_edited: true, edit_count: 1 });
      await edit(owner, { content: 'third text' }).expect(200);
      const hist = await request(ctx.http)
        .get(api(`/messages/${m.id}/edits`))
        .set(as(owner))
        .expect(200);
      expect(hist.body.map((e: any) => e.previous_content)).toEqual(['second text', 'first text']);
      expect(hist.body[1]).toMatchObject({ edit_reason: 'typo', edited_by_user_id: owner.user.id });
      problem(
        await request(ctx.http)
          .get(api(`/messages/${m.id}/edits`))
          .set(as(stranger)),
        404,
      );
      problem(await request(ctx.http).get(api(`/messages/${m.id}/edits`)), 401);
      problem(
        await request(ctx.http)
          .get(api(`/messages/${m.id}`))
          .set(as(stranger)),
        404,
      );
      problem(await request(ctx.http).get(api(`/messages/${m.id}`)), 401);
      problem(await request(ctx.http).get(api('/messages/nope')).set(as(owner)), 400);
    });

    it('owner edits the bot greeting (completed bot message); the active alternative follows', async () => {
      const bot = await publicBot(creator.user.id, { greeting: 'Original greeting' });
      const c = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
      const page = await request(ctx.http)
        .get(api(`/conversations/${c.id}/messages`))
        .set(as(owner))
        .expect(200);
      const greeting = page.body.items[0];
      await request(ctx.http)
        .patch(api(`/messages/${greeting.id}`))
        .set(as(owner))
        .send({ content: 'Edited greeting' })
        .expect(200);
      const [alt] = await ctx.ds.query(`SELECT content FROM message_alternatives WHERE id = $1`, [
        greeting.active_alternative_id,
      ]);
      expect(alt.content).toBe('Edited greeting');
    });

    it('delete: stranger 404, 401 without token; owner deletes; counters exact', async () => {
      const m = await postMessage(ctx, owner.token, conv.id, { content: 'delete me' });
      problem(await request(ctx.http).delete(api(`/messages/${m.id}`)), 401);
      problem(
        await request(ctx.http)
          .delete(api(`/messages/${m.id}`))
          .set(as(stranger)),
        404,
      );
      await request(ctx.http)
        .delete(api(`/messages/${m.id}`))
        .set(as(owner))
        .expect(204);
      problem(
        await request(ctx.http)
          .get(api(`/messages/${m.id}`))
          .set(as(owner)),
        404,
      );
      const k = await counters(conv.id);
      expect(k.messageCount).toBe(k.real);
    });

    it('DELETE ?from_seq=5 removes seq ≥ 5; counters equal real counts; 401/400/403/404', async () => {
      const bot = await publicBot(creator.user.id);
      const c = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
      const admin = await createUser(ctx, { role: UserRole.Admin });
      const msgs: { id: string }[] = [];
      for (let i = 1; i <= 8; i++) msgs.push(await postMessage(ctx, owner.token, c.id, { content: `t${i}` }));
      await postMessage(ctx, owner.token, c.id, { content: 'reply to 2', reply_to_message_id: msgs[1].id });
      const url = api(`/conversations/${c.id}/messages`);
      problem(await request(ctx.http).delete(`${url}?from_seq=5`), 401);
      problem(await request(ctx.http).delete(url).set(as(owner)), 400, 'VALIDATION_FAILED');
      problem(await request(ctx.http).delete(`${url}?from_seq=0`).set(as(owner)), 400, 'VALIDATION_FAILED');
      problem(await request(ctx.http).delete(`${url}?from_seq=5`).set(as(stranger)), 404);
      problem(await request(ctx.http).delete(`${url}?from_seq=5`).set(as(admin)), 403);
      const res = await request(ctx.http).delete(`${url}?from_seq=5`).set(as(owner)).expect(200);
      expect(res.body).toEqual({ deleted: 5 });
      const page = await request(ctx.http).get(url).set(as(owner)).expect(200);
      expect(page.body.items.map((m: any) => m.seq)).toEqual([1, 2, 3, 4]);
      expect(page.body.items[1].reply_count).toBe(0);
      expect(await counters(c.id)).toEqual({ messageCount: 4, real: 4, lastSeq: 9, maxSeq: 4 });
      const next = await postMessage(ctx, owner.token, c.id, { content: 'after rewind' });
      expect(next.seq).toBe(10);
    });

    it('POST /read: monotonic, marks the greeting read; bad body 400', async () => {
      const bot = await publicBot(creator.user.id, { greeting: 'hello' });
      const c = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
      const d0 = await request(ctx.http)
        .get(api(`/conversations/${c.id}`))
        .set(as(owner))
        .expect(200);
      expect(d0.body.unread_count).toBe(1);
      const r = await request(ctx.http)
        .post(api(`/conversations/${c.id}/read`))
        .set(as(owner))
        .send({ seq: 1 })
        .expect(200);
      expect(r.body.unread_count).toBe(0);
      await request(ctx.http)
        .post(api(`/conversations/${c.id}/read`))
        .set(as(owner))
        .send({ seq: 0 })
        .expect(200);
      const page = await request(ctx.http)
        .get(api(`/conversations/${c.id}/messages`))
        .set(as(owner))
        .expect(200);
      expect(page.body.items[0].delivery_status).toBe('read');
      problem(
        await request(ctx.http)
          .post(api(`/conversations/${c.id}/read`))
          .set(as(owner))
          .send({ seq: -1 }),
        400,
      );
    });
  });

  describe('participants (chat.md §2)', () => {
    const parts = (u: TestUser, id: string) =>
      request(ctx.http)
        .get(api(`/conversations/${id}/participants`))
        .set(as(u));
    const add = (u: TestUser, id: string, body: object) =>
      request(ctx.http)
        .post(api(`/conversations/${id}/participants`))
        .set(as(u))
        .send(body);

    it('401/400/404 on the participant routes', async () => {
      const owner = await createUser(ctx);
      const stranger = await createUser(ctx);
      const bot = await publicBot(creator.user.id);
      const c = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
      const url = api(`/conversations/${c.id}/participants`);
      const pid = c.participants[1].id;
      problem(await request(ctx.http).post(url).send({ bot_id: bot.id }), 401);
      problem(await request(ctx.http).patch(`${url}/${pid}`).send({ role: 'primary' }), 401);
      problem(await request(ctx.http).delete(`${url}/${pid}`), 401);
      problem(await add(owner, c.id, {}), 400, 'VALIDATION_FAILED');
      problem(await add(owner, c.id, { bot_id: bot.id, user_id: stranger.user.id }), 400, 'VALIDATION_FAILED');
      problem(await add(owner, c.id, { bot_id: bot.id, extra: 1 }), 400, 'VALIDATION_FAILED');
      problem(await request(ctx.http).patch(`${url}/${pid}`).set(as(owner)).send({ role: 'owner' }), 400);
      problem(await add(stranger, c.id, { bot_id: bot.id }), 404);
      problem(await request(ctx.http).patch(`${url}/${pid}`).set(as(stranger)).send({ is_active: false }), 404);
      problem(await request(ctx.http).delete(`${url}/${pid}`).set(as(stranger)), 404);
      problem(await parts(stranger, c.id), 404);
      problem(await add(owner, c.id, { bot_id: bot.id }), 409, 'ALREADY_PARTICIPANT');
      const secret = await createBot(ctx, { ownerId: stranger.user.id });
      problem(await add(owner, c.id, { bot_id: secret.id }), 404, 'BOT_NOT_FOUND');
      problem(
        await request(ctx.http).delete(`${url}/${c.participants[0].id}`).set(as(owner)),
        403,
        'OWNER_NOT_REMOVABLE',
      );
    });

    it('a second bot turns single_bot into multi_bot; a 9th active bot → 422 PARTICIPANT_LIMIT', async () => {
      const owner = await createUser(ctx);
      const bots = await Promise.all(Array.from({ length: 9 }, () => publicBot(creator.user.id)));
      const c = await createConversation(ctx, owner.token, { bot_ids: [bots[0].id] });
      expect(c.conversation_type).toBe('single_bot');
      const r = await add(owner, c.id, { bot_id: bots[1].id }).expect(201);
      expect(r.body).toMatchObject({ bot_id: bots[1].id, role: 'secondary', is_active: true });
      const after = await request(ctx.http)
        .get(api(`/conversations/${c.id}`))
        .set(as(owner))
        .expect(200);
      expect(after.body).toMatchObject({ conversation_type: 'multi_bot', participant_count: 3 });
      for (let i = 2; i < 8; i++) await add(owner, c.id, { bot_id: bots[i].id }).expect(201);
      problem(await add(owner, c.id, { bot_id: bots[8].id }), 422, 'PARTICIPANT_LIMIT');
      const full = await request(ctx.http)
        .get(api(`/conversations/${c.id}`))
        .set(as(owner))
        .expect(200);
      expect(full.body.participant_count).toBe(9);
    });

    it('deactivating the primary promotes the earliest secondary; exactly one primary; setting primary demotes', async () => {
      const owner = await createUser(ctx);
      const [a, b, c3] = await Promise.all([
        publicBot(creator.user.id),
        publicBot(creator.user.id),
        publicBot(creator.user.id),
      ]);
      const c = await createConversation(ctx, owner.token, { bot_ids: [a.id, b.id] });
      await add(owner, c.id, { bot_id: c3.id }).expect(201);
      const rows = (await parts(owner, c.id).expect(200)).body as any[];
      const pa = rows.find((p) => p.bot_id === a.id);
      await request(ctx.http)
        .patch(api(`/conversations/${c.id}/participants/${pa.id}`))
        .set(as(owner))
        .send({ is_active: false })
        .expect(200);
      const now = (await parts(owner, c.id).expect(200)).body as any[];
      const primaries = now.filter((p) => p.role === 'primary' && p.is_active);
      expect(primaries.map((p) => p.bot_id)).toEqual([b.id]);
      expect(now.find((p) => p.bot_id === a.id)).toMatchObject({ is_active: false });
      expect(now.find((p) => p.bot_id === a.id).left_at).not.toBeNull();
      const pc = now.find((p) => p.bot_id === c3.id);
      await request(ctx.http)
        .patch(api(`/conversations/${c.id}/participants/${pc.id}`))
        .set(as(owner))
        .send({ role: 'primary' })
        .expect(200);
      const last = (await parts(owner, c.id).expect(200)).body as any[];
      expect(last.filter((p) => p.role === 'primary' && p.is_active).map((p) => p.bot_id)).toEqual([c3.id]);
      expect(last.find((p) => p.bot_id === b.id).role).toBe('secondary');
      const detail = await request(ctx.http)
        .get(api(`/conversations/${c.id}`))
        .set(as(owner))
        .expect(200);
      expect(detail.body.participant_count).toBe(3);
    });

    it('members: group_chat; member reads and posts but cannot add bots (403) or edit others (403); after leaving 404', async () => {
      const owner = await createUser(ctx);
      const member = await createUser(ctx);
      const bot = await publicBot(creator.user.id);
      const bot2 = await publicBot(creator.user.id);
      const c = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
      const ownerMsg = await postMessage(ctx, owner.token, c.id, { content: 'owner says hi' });
      const added = await add(owner, c.id, { user_id: member.user.id }).expect(201);
      expect(added.body).toMatchObject({ participant_kind: 'user', role: 'member', user_id: member.user.id });
      const g = await request(ctx.http)
        .get(api(`/conversations/${c.id}`))
        .set(as(member))
        .expect(200);
      expect(g.body.conversation_type).toBe('group_chat');
      expect(g.body.api_key_id).toBeUndefined();
      problem(
        await request(ctx.http)
          .patch(api(`/conversations/${c.id}`))
          .set(as(member))
          .send({ conversation_type: 'multi_bot' }),
        403,
      );
      problem(
        await request(ctx.http)
          .patch(api(`/conversations/${c.id}`))
          .set(as(owner))
          .send({ conversation_type: 'multi_bot' }),
        422,
        'INVALID_CONVERSATION_TYPE',
      );
      const list = await request(ctx.http).get(api('/conversations')).set(as(member)).expect(200);
      expect(list.body.items.map((x: any) => x.id)).toContain(c.id);
      const mm = await postMessage(ctx, member.token, c.id, { content: 'member here' });
      problem(await add(member, c.id, { bot_id: bot2.id }), 403, 'CONVERSATION_FORBIDDEN');
      problem(
        await request(ctx.http)
          .patch(api(`/messages/${ownerMsg.id}`))
          .set(as(member))
          .send({ content: 'mine now' }),
        403,
        'MESSAGE_FORBIDDEN',
      );
      problem(
        await request(ctx.http)
          .delete(api(`/messages/${ownerMsg.id}`))
          .set(as(member)),
        403,
      );
      // the owner may delete any message, but edits only their own
      problem(
        await request(ctx.http)
          .patch(api(`/messages/${mm.id}`))
          .set(as(owner))
          .send({ content: 'owner edit' }),
        403,
      );
      await request(ctx.http)
        .delete(api(`/conversations/${c.id}/participants/${added.body.id}`))
        .set(as(member))
        .expect(204);
      problem(
        await request(ctx.http)
          .get(api(`/conversations/${c.id}`))
          .set(as(member)),
        404,
      );
      problem(
        await request(ctx.http)
          .get(api(`/messages/${mm.id}`))
          .set(as(member)),
        404,
      );
      const search = await request(ctx.http).get(api('/search/messages?q=member')).set(as(member)).expect(200);
      expect(search.body.items).toHaveLength(0);
      const mine = await request(ctx.http)
        .get(api(`/messages/${mm.id}`))
        .set(as(owner))
        .expect(200);
      expect(mine.body.author_name).toBe(member.user.username);
    });

    it('deleting the bot removes its participant row; its past messages keep author_name with bot_id=null', async () => {
      const owner = await createUser(ctx);
      const bot = await publicBot(creator.user.id, { name: 'Ephemeral', greeting: 'hello' });
      const c = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
      await ctx.ds.getRepository(Bot).delete({ id: bot.id });
      const rows = (await parts(owner, c.id).expect(200)).body as any[];
      expect(rows.filter((p) => p.participant_kind === 'bot')).toEqual([]);
      const page = await request(ctx.http)
        .get(api(`/conversations/${c.id}/messages`))
        .set(as(owner))
        .expect(200);
      expect(page.body.items[0]).toMatchObject({ author_name: 'Ephemeral', bot_id: null });
    });
  });

  describe('concurrency (§3.7 #2, §1.7 #6)', () => {
    it('20 concurrent POSTs into one conversation → 20 distinct consecutive seqs', async () => {
      const me = await createUser(ctx);
      const bot = await publicBot(creator.user.id, { greeting: 'g' });
      const c = await createConversation(ctx, me.token, { bot_ids: [bot.id] });
      const res = await Promise.all(
        Array.from({ length: 20 }, (_, i) => postMessage(ctx, me.token, c.id, { content: `c${i}` })),
      );
      expect(res.map((m) => m.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 2));
      expect(await counters(c.id)).toEqual({ messageCount: 21, real: 21, lastSeq: 21, maxSeq: 21 });
    });
    // 1,000 messages into 10 conversations with deletes and a rewind: test/e2e/chat-concurrency.e2e-spec.ts
  });

  describe('GET /search/messages (§5)', () => {
    let a: TestUser;
    let b: TestUser;
    let convA: { id: string };
    let botA: Bot;
    beforeAll(async () => {
      a = await createUser(ctx);
      b = await createUser(ctx);
      botA = await publicBot(creator.user.id, { greeting: 'Beware the dragon of the north, {{user}}.' });
      const botB = await publicBot(creator.user.id);
      convA = await createConversation(ctx, a.token, { bot_ids: [botA.id], title: 'Quest' });
      const convB = await createConversation(ctx, b.token, { bot_ids: [botB.id] });
      await postMessage(ctx, a.token, convA.id, { content: 'I fight the dragon today' });
      await postMessage(ctx, a.token, convA.id, { content: 'She runs every morning' });
      await postMessage(ctx, a.token, convA.id, { content: 'dragon <script>alert(1)</script> & treasure' });
      await postMessage(ctx, b.token, convB.id, { content: 'B also has a dragon' });
    });
    const search = (u: TestUser, q: string) =>
      request(ctx.http)
        .get(api(`/search/messages?${q}`))
        .set(as(u));

    it('401 without a token; 400 for q of 201 chars, a missing q, a bad cursor', async () => {
      problem(await request(ctx.http).get(api('/search/messages?q=dragon')), 401);
      problem(await search(a, `q=${'a'.repeat(201)}`), 400, 'VALIDATION_FAILED');
      problem(await search(a, ''), 400, 'VALIDATION_FAILED');
      problem(await search(a, 'q=dragon&cursor=bad'), 400, 'INVALID_CURSOR');
      problem(await search(a, 'q=dragon&sort=best'), 400, 'VALIDATION_FAILED');
    });

    it("A finds only A's dragons (bot greeting included); q=the → empty", async () => {
      const res = await search(a, 'q=dragon').expect(200);
      expect(res.body.items).toHaveLength(3);
      expect(res.body.items.every((h: any) => h.conversation_id === convA.id)).toBe(true);
      expect(res.body.items.map((h: any) => h.author_kind).sort()).toEqual(['bot', 'user', 'user']);
      expect(res.body.items[0]).toMatchObject({ conversation_title: 'Quest' });
      const none = await search(a, 'q=the').expect(200);
      expect(none.body).toEqual({ items: [], next_cursor: null });
      const bRes = await search(b, 'q=dragon').expect(200);
      expect(bRes.body.items).toHaveLength(1);
    });

    it('stemming: running finds runs; snippet marks the hit and escapes HTML', async () => {
      const res = await search(a, 'q=running').expect(200);
      expect(res.body.items).toHaveLength(1);
      expect(res.body.items[0].snippet).toContain('<mark>runs</mark>');
      const xss = await search(a, 'q=treasure').expect(200);
      expect(xss.body.items[0].snippet).toContain('&lt;script&gt;');
      expect(xss.body.items[0].snippet).not.toContain('<script>');
    });

    it('filters: bot_id, conversation_id, author_kind, from/to; relevance sort ranks', async () => {
      const byBot = await search(a, `q=dragon&bot_id=${botA.id}`).expect(200);
      expect(byBot.body.items).toHaveLength(1);
      expect(byBot.body.items[0].author_kind).toBe('bot');
      const byKind = await search(a, 'q=dragon&author_kind=user').expect(200);
      expect(byKind.body.items).toHaveLength(2);
      const other = await search(a, `q=dragon&conversation_id=00000000-0000-4000-8000-000000000000`).expect(200);
      expect(other.body.items).toHaveLength(0);
      const future = await search(a, `q=dragon&from=${new Date(Date.now() + 3600_000).toISOString()}`).expect(200);
      expect(future.body.items).toHaveLength(0);
      const past = await search(a, `q=dragon&to=${new Date(Date.now() + 3600_000).toISOString()}`).expect(200);
      expect(past.body.items).toHaveLength(3);
      const rel = await search(a, 'q=dragon&sort=relevance').expect(200);
      expect(rel.body.items).toHaveLength(3);
      expect(typeof rel.body.items[0].rank).toBe('number');
    });

    it('a queued bot placeholder is never returned', async () => {
      await ctx.ds.query(
        `INSERT INTO messages (conversation_id, seq, author_kind, author_name, content, generation_status, bot_id)
         VALUES ($1, 9999, 'bot', 'X', 'dragon placeholder', 'queued', $2)`,
        [convA.id, botA.id],
      );
      const res = await search(a, 'q=placeholder').expect(200);
      expect(res.body.items).toHaveLength(0);
      await ctx.ds.query(`DELETE FROM messages WHERE conversation_id = $1 AND seq = 9999`, [convA.id]);
    });

    it('sort=recent over 60 hits → 60 unique results across pages; relevance pages by offset', async () => {
      const u = await createUser(ctx);
      const bot = await publicBot(creator.user.id);
      const c = await createConversation(ctx, u.token, { bot_ids: [bot.id] });
      for (let i = 0; i < 60; i++) await postMessage(ctx, u.token, c.id, { content: `wyvern sighting ${i}` });
      const collect = async (sort: string) => {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const res: request.Response = await search(
            u,
            `q=wyvern&sort=${sort}&limit=25${cursor ? `&cursor=${cursor}` : ''}`,
          ).expect(200);
          seen.push(...res.body.items.map((h: any) => h.message_id));
          cursor = res.body.next_cursor;
        } while (cursor);
        return seen;
      };
      const recent = await collect('recent');
      expect(recent).toHaveLength(60);
      expect(new Set(recent).size).toBe(60);
      const relevance = await collect('relevance');
      expect(new Set(relevance).size).toBe(60);
    });
  });
});
