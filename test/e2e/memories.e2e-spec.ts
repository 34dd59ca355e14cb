import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { Sensitivity } from '../../src/modules/chat/chat.enums.js';
import { Memory } from '../../src/modules/memories/entities/memory.entity.js';
import { MemoryOrigin, MemoryType } from '../../src/modules/memories/memories.enums.js';
import { MemoryExtractionTrigger } from '../../src/modules/memories/memory-extraction.trigger.js';
import { MemoryRetrieval } from '../../src/modules/memories/memory-retrieval.service.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/fake-provider.js';
import { createApiKey } from '../factories/api-key.factory.js';
import { createBot } from '../factories/bot.factory.js';
import { createConversation } from '../factories/chat.factory.js';
import { addMessages, chatter, createMemory } from '../factories/memory.factory.js';
import { createPersona } from '../factories/persona.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { readStream } from '../setup/sse.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

/**
 * Memories (chat.md §4): CRUD and access, extraction through the manual endpoint and the threshold trigger with the
 * fake provider answering the JSON shape, idempotency, dedupe, retries, retrieval order, convert-to-knowledge and
 * consolidation. Acceptance checks 1–7.
 */
let ctx: TestApp;
let fake: FakeProvider;

beforeAll(async () => {
  fake = await startFakeProvider();
  ctx = await createTestApp({
    env: { LLM_ALLOW_INSECURE_LOCAL_PROVIDERS: 'true', MEMORY_FIRST_THRESHOLD: '5', MEMORY_THRESHOLD: '20' },
  });
});
afterAll(async () => {
  await ctx?.close();
  await fake?.close();
});
beforeEach(() => fake.reset());

const api = (path: string) => `/api/v1${path}`;
const as = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
const problem = (res: request.Response, status: number, code?: string) => {
  expect({ status: res.status, body: res.body }).toMatchObject({ status, body: code ? { code } : {} });
};
const extraction = (memory: string, importance = 7, summary = 'They talked about the sea.', emotions = ['joy']) =>
  JSON.stringify({ memory, importance, emotions, rolling_summary: summary });
const completions = () => fake.requests.filter((r) => r.path === '/v1/chat/completions');

/** A key of `user` on the fake provider (api-keys.md §6.7), default unless overridden. */
const fakeKey = async (user: TestUser, overrides: Record<string, unknown> = {}) =>
  (
    await createApiKey(ctx, user.token, {
      provider: 'custom',
      base_url: fake.baseUrl,
      secret: fake.apiKey,
      model_preferences: ['fake-model'],
      is_default: true,
      ...overrides,
    })
  ).body;

/** A user with a fake-provider key (default), a private bot of theirs and a conversation with it. */
async function setup(options: { greeting?: string } = {}) {
  const user = await createUser(ctx);
  const key = await fakeKey(user);
  const bot = await createBot(ctx, {
    ownerId: user.user.id,
    ...(options.greeting ? { greeting: options.greeting } : {}),
  });
  const conv = await createConversation(ctx, user.token, { bot_ids: [bot.id] });
  return { user, bot, conv, keyId: key.id };
}

const conversationRow = async (id: string) => {
  const [row] = await ctx.ds.query(
    `SELECT last_summarized_seq, last_message_seq, summary, summary_updated_at, memory_enabled
       FROM conversations WHERE id = $1`,
    [id],
  );
  return {
    ...row,
    last_summarized_seq: Number(row.last_summarized_seq),
    last_message_seq: Number(row.last_message_seq),
  };
};
const memoriesOf = (conversationId: string) =>
  ctx.ds.getRepository(Memory).find({ where: { conversationId }, order: { createdAt: 'ASC' } });

async function extract(user: TestUser, conversationId: string) {
  const res = await request(ctx.http)
    .post(api(`/conversations/${conversationId}/memories/extract`))
    .set(as(user));
  await ctx.jobs.drain();
  return res;
}

/** Polls until `check` passes (BullMQ retries wait out their backoff in the delayed set, which drain() skips). */
async function eventually(check: () => Promise<void> | void, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await ctx.jobs.drain();
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('extraction (acceptance 1, 2, 6)', () => {
  it('#1: the manual endpoint extracts one memory with range, bot link, importance; watermark and summary move', async () => {
    const { user, bot, conv, keyId } = await setup();
    const persona = await createPersona(ctx, { ownerId: user.user.id });
    await addMessages(ctx, conv.id, chatter(5, { userId: user.user.id, botId: bot.id, personaId: persona.id }));
    fake.script({ text: extraction('The user grew up in a lighthouse on the northern coast.', 8) });

    const res = await extract(user, conv.id);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ job_id: `mem-${conv.id}-5`, conversation_id: conv.id, from_seq: 1, to_seq: 5 });

    const list = await request(ctx.http)
      .get(api(`/memories?conversation_id=${conv.id}`))
      .set(as(user));
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      conversation_id: conv.id,
      origin: MemoryOrigin.Extracted,
      type: MemoryType.ShortTerm,
      content: 'The user grew up in a lighthouse on the northern coast.',
      importance: 8,
      emotional_context: 'joy',
      source_from_seq: 1,
      source_to_seq: 5,
      bot_ids: [bot.id],
      persona_ids: [persona.id],
    });
    const after = await conversationRow(conv.id);
    expect(after.last_summarized_seq).toBe(5);
    expect(after.summary).toBe('They talked about the sea.');
    expect(after.summary_updated_at).not.toBeNull();

    // one non-streaming call with the owner's key and model; the transcript holds the range
    expect(completions()).toHaveLength(1);
    const call = completions()[0];
    expect(call.headers.authorization).toBe(`Bearer ${fake.apiKey}`);
    const body = call.body as { stream?: boolean; model: string; messages: { role: string; content: string }[] };
    expect(body.stream).toBeFalsy();
    expect(body.model).toBe('fake-model');
    expect(body.messages.map((m) => m.content).join('\n')).toContain('user line x 4');

    // audit purpose memory_extraction, analytics memory_created per linked bot
    const events = await ctx.ds.query(
      `SELECT event_type, purpose, conversation_id FROM api_key_events WHERE api_key_id = $1 AND event_type = 'used'`,
      [keyId],
    );
    expect(events).toEqual([{ event_type: 'used', purpose: 'memory_extraction', conversation_id: conv.id }]);
    const analytics = await ctx.ds.query(
      `SELECT bot_id, memory_id FROM analytics_events WHERE event_type = 'memory_created' AND conversation_id = $1`,
      [conv.id],
    );
    expect(analytics).toEqual([{ bot_id: bot.id, memory_id: list.body.items[0].id }]);

    // nothing new since → 409
    problem(await extract(user, conv.id), 409, 'NO_NEW_MESSAGES');
  });

  it('#1: the threshold trigger enqueues at 5 new messages first, then every 20', async () => {
    const { user, bot, conv } = await setup();
    const trigger = ctx.app.get(MemoryExtractionTrigger);
    fake.script({ text: extraction('The user collects antique compasses from flea markets.') });

    await addMessages(ctx, conv.id, chatter(4, { userId: user.user.id, botId: bot.id }));
    await trigger.afterGeneration(conv.id);
    await ctx.jobs.drain();
    expect(completions()).toHaveLength(0);
    expect(await memoriesOf(conv.id)).toHaveLength(0);

    await addMessages(ctx, conv.id, chatter(1, { userId: user.user.id, botId: bot.id }, 'y'));
    await trigger.afterGeneration(conv.id);
    await ctx.jobs.drain();
    const first = await memoriesOf(conv.id);
    expect(first).toHaveLength(1);
    expect(first[0].sourceToSeq).toBe(5);
    expect((await conversationRow(conv.id)).last_summarized_seq).toBe(5);

    fake.script({ text: extraction('The user is training for a marathon in the autumn.') });
    await addMessages(ctx, conv.id, chatter(19, { userId: user.user.id, botId: bot.id }, 'z'));
    await trigger.afterGeneration(conv.id);
    await ctx.jobs.drain();
    expect(await memoriesOf(conv.id)).toHaveLength(1);

    await addMessages(ctx, conv.id, chatter(1, { userId: user.user.id, botId: bot.id }, 'w'));
    await trigger.afterGeneration(conv.id);
    await ctx.jobs.drain();
    const second = await memoriesOf(conv.id);
    expect(second).toHaveLength(2);
    expect(second[1]).toMatchObject({ sourceFromSeq: 6, sourceToSeq: 25 });
  });

  it('#2: running the same extraction job twice leaves one memory for the range', async () => {
    const { user, bot, conv } = await setup();
    await addMessages(ctx, conv.id, chatter(6, { userId: user.user.id, botId: bot.id }));
    fake.script({ text: extraction('The user has a grey cat called Pixel.') });
    expect((await extract(user, conv.id)).status).toBe(202);
    await ctx.jobs.enqueue('memory.extract', { conversation_id: conv.id, to_seq: 6, force: true });
    await ctx.jobs.drain();
    expect(await memoriesOf(conv.id)).toHaveLength(1);
    expect(completions()).toHaveLength(1); // the second run saw the watermark and did nothing

    // even if the watermark were lost, the unique range index keeps a single extracted memory for (conversation, 6)
    await ctx.ds.query(`UPDATE conversations SET last_summarized_seq = 0 WHERE id = $1`, [conv.id]);
    fake.script({ text: extraction('Quantum chromodynamics lectures bore everyone completely.') });
    await ctx.jobs.enqueue('memory.extract', { conversation_id: conv.id, to_seq: 6, force: true });
    await ctx.jobs.drain();
    const rows = await memoriesOf(conv.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].content).toBe('The user has a grey cat called Pixel.');
    expect((await conversationRow(conv.id)).last_summarized_seq).toBe(6);
  });

  it('#6: memory_enabled=false → the trigger queues nothing; the manual endpoint still works', async () => {
    const { user, bot, conv } = await setup();
    const patch = await request(ctx.http)
      .patch(api(`/conversations/${conv.id}`))
      .set(as(user))
      .send({
        memory_enabled: false,
      });
    expect(patch.status).toBe(200);
    await addMessages(ctx, conv.id, chatter(8, { userId: user.user.id, botId: bot.id }));
    fake.script({ text: extraction('The user speaks fluent Portuguese.') });
    await ctx.app.get(MemoryExtractionTrigger).afterGeneration(conv.id);
    await ctx.jobs.drain();
    expect(completions()).toHaveLength(0);
    expect(await memoriesOf(conv.id)).toHaveLength(0);

    expect((await extract(user, conv.id)).status).toBe(202);
    expect(await memoriesOf(conv.id)).toHaveLength(1);
    expect((await conversationRow(conv.id)).last_summarized_seq).toBe(8);
  });

  it('a group chat with a human member is never extracted automatically', async () => {
    const { user, bot, conv } = await setup();
    const friend = await createUser(ctx);
    const add = await request(ctx.http)
      .post(api(`/conversations/${conv.id}/participants`))
      .set(as(user))
      .send({ user_id: friend.user.id });
    expect(add.status).toBe(201);
    await addMessages(ctx, conv.id, chatter(6, { userId: user.user.id, botId: bot.id }));
    await ctx.app.get(MemoryExtractionTrigger).afterGeneration(conv.id);
    await ctx.jobs.drain();
    expect(completions()).toHaveLength(0);
    // the member may read the conversation but not extract (403); strangers and admins get 404
    problem(await extract(friend, conv.id), 403, 'CONVERSATION_FORBIDDEN');
    problem(await extract(await createUser(ctx), conv.id), 404, 'CONVERSATION_NOT_FOUND');
    problem(await extract(await createUser(ctx, { role: UserRole.Admin }), conv.id), 404, 'CONVERSATION_NOT_FOUND');
    problem(await request(ctx.http).post(api(`/conversations/${conv.id}/memories/extract`)), 401);
  });

  it('skips confidential, system, failed and placeholder rows', async () => {
    const { user, bot, conv } = await setup();
    await addMessages(ctx, conv.id, [
      { kind: 'user', userId: user.user.id, content: 'visible opener' },
      { kind: 'user', userId: user.user.id, content: 'SECRET-DIARY', sensitivity: Sensitivity.Confidential },
      { kind: 'system', content: 'SYSTEM-NOTICE' },
      {
        kind: 'bot',
        botId: bot.id,
        userId: user.user.id,
        content: 'FAILED-REPLY',
        generationStatus: 'failed' as never,
      },
      { kind: 'bot', botId: bot.id, userId: user.user.id, content: '', generationStatus: 'queued' as never },
      { kind: 'bot', botId: bot.id, userId: user.user.id, content: 'visible answer' },
    ]);
    fake.script({ text: extraction('The user opened up about something.') });
    expect((await extract(user, conv.id)).status).toBe(202);
    const sent = JSON.stringify(completions()[0].body);
    expect(sent).toContain('visible opener');
    expect(sent).toContain('visible answer');
    for (const hidden of ['SECRET-DIARY', 'SYSTEM-NOTICE', 'FAILED-REPLY']) expect(sent).not.toContain(hidden);
  });

  it('dedupe: a near-duplicate of a recent memory is skipped, but the watermark and summary still move', async () => {
    const { user, bot, conv } = await setup();
    await addMessages(ctx, conv.id, chatter(5, { userId: user.user.id, botId: bot.id }));
    fake.script({ text: extraction('The user loves sailing small boats on the lake every summer.') });
    await extract(user, conv.id);
    await addMessages(ctx, conv.id, chatter(3, { userId: user.user.id, botId: bot.id }, 'again'));
    fake.script({
      text: extraction('The user loves sailing small boats on the lake each summer.', 6, 'Sailing talk, again.'),
    });
    expect((await extract(user, conv.id)).status).toBe(202);
    expect(await memoriesOf(conv.id)).toHaveLength(1);
    const row = await conversationRow(conv.id);
    expect(row.last_summarized_seq).toBe(8);
    expect(row.summary).toBe('Sailing talk, again.');
  });

  it('unparseable JSON is retried 3 times, then given up without moving the watermark', async () => {
    const { user, bot, conv } = await setup();
    await addMessages(ctx, conv.id, chatter(5, { userId: user.user.id, botId: bot.id }));
    fake.script({ text: 'Sure! Here is what I remember: the user likes tea.' });
    expect((await extract(user, conv.id)).status).toBe(202);
    await eventually(() => expect(completions()).toHaveLength(3));
    await new Promise((r) => setTimeout(r, 300));
    await ctx.jobs.drain();
    expect(completions()).toHaveLength(3);
    expect(await memoriesOf(conv.id)).toHaveLength(0);
    expect((await conversationRow(conv.id)).last_summarized_seq).toBe(0);
  }, 30_000);

  it('an empty "memory" stores nothing but still advances the watermark and summary', async () => {
    const { user, bot, conv } = await setup();
    await addMessages(ctx, conv.id, chatter(5, { userId: user.user.id, botId: bot.id }));
    fake.script({ text: '```json\n' + extraction('', 1, 'Small talk only.') + '\n```' });
    await extract(user, conv.id);
    expect(await memoriesOf(conv.id)).toHaveLength(0);
    expect(await conversationRow(conv.id)).toMatchObject({ last_summarized_seq: 5, summary: 'Small talk only.' });
  });
});

describe('CRUD and access (acceptance 3, 4)', () => {
  let owner: TestUser;
  let stranger: TestUser;
  let admin: TestUser;
  let botId: string;
  beforeAll(async () => {
    owner = await createUser(ctx);
    stranger = await createUser(ctx);
    admin = await createUser(ctx, { role: UserRole.Admin });
    botId = (await createBot(ctx, { ownerId: owner.user.id })).id;
  });

  it("POST creates a manual memory; GET/PATCH/DELETE are the owner's only", async () => {
    const persona = await createPersona(ctx, { ownerId: owner.user.id });
    const created = await request(ctx.http)
      .post(api('/memories'))
      .set(as(owner))
      .send({ content: '  Likes green tea.  ', bot_ids: [botId], persona_ids: [persona.id], importance: 4 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      content: 'Likes green tea.',
      origin: 'manual',
      type: 'short_term',
      importance: 4,
      token_count: 4,
      bot_ids: [botId],
      persona_ids: [persona.id],
      conversation_id: null,
    });
    const id = created.body.id as string;
    expect(created.body).not.toHaveProperty('search_vector');
    const events = await ctx.ds.query(
      `SELECT bot_id, actor_user_id FROM analytics_events WHERE event_type = 'memory_created' AND memory_id = $1`,
      [id],
    );
    expect(events).toEqual([{ bot_id: botId, actor_user_id: owner.user.id }]);

    for (const other of [stranger, admin]) {
      problem(
        await request(ctx.http)
          .get(api(`/memories/${id}`))
          .set(as(other)),
        404,
        'MEMORY_NOT_FOUND',
      );
      problem(
        await request(ctx.http)
          .patch(api(`/memories/${id}`))
          .set(as(other))
          .send({ importance: 9 }),
        404,
      );
      problem(
        await request(ctx.http)
          .delete(api(`/memories/${id}`))
          .set(as(other)),
        404,
      );
      problem(
        await request(ctx.http)
          .post(api(`/memories/${id}/convert-to-knowledge`))
          .set(as(other))
          .send({}),
        404,
      );
      const list = await request(ctx.http).get(api('/memories')).set(as(other));
      expect(list.status).toBe(200);
      expect(list.body.items.map((m: { id: string }) => m.id)).not.toContain(id);
    }
    problem(await request(ctx.http).get(api(`/memories/${id}`)), 401);

    // content/importance edits make it long_term unless type is given
    const edited = await request(ctx.http)
      .patch(api(`/memories/${id}`))
      .set(as(owner))
      .send({ importance: 6 });
    expect(edited.body).toMatchObject({ importance: 6, type: 'long_term' });
    const explicit = await request(ctx.http)
      .patch(api(`/memories/${id}`))
      .set(as(owner))
      .send({ content: 'Likes green and jasmine tea.', type: 'short_term' });
    expect(explicit.body).toMatchObject({
      content: 'Likes green and jasmine tea.',
      type: 'short_term',
      token_count: 7,
    });
    const relinked = await request(ctx.http)
      .patch(api(`/memories/${id}`))
      .set(as(owner))
      .send({ persona_ids: [] });
    expect(relinked.body).toMatchObject({ persona_ids: [], bot_ids: [botId], type: 'short_term' });

    expect(
      (
        await request(ctx.http)
          .delete(api(`/memories/${id}`))
          .set(as(owner))
      ).status,
    ).toBe(204);
    problem(
      await request(ctx.http)
        .get(api(`/memories/${id}`))
        .set(as(owner)),
      404,
    );
  });

  it('#4: importance 11, empty content, too long content, unknown fields → 400', async () => {
    const post = (body: Record<string, unknown>) => request(ctx.http).post(api('/memories')).set(as(owner)).send(body);
    for (const body of [
      { content: 'x', bot_ids: [botId], importance: 11 },
      { content: 'x', bot_ids: [botId], importance: 0 },
      { content: '', bot_ids: [botId] },
      { content: '   ', bot_ids: [botId] },
      { content: 'x'.repeat(4001), bot_ids: [botId] },
      { content: 'x', bot_ids: [] },
      { content: 'x', bot_ids: ['not-a-uuid'] },
      { content: 'x', bot_ids: [botId], type: 'consolidated' },
      { content: 'x', bot_ids: [botId], origin: 'extracted' },
    ]) {
      const res = await post(body);
      problem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    const memory = await createMemory(ctx, { userId: owner.user.id }, { botIds: [botId] });
    problem(
      await request(ctx.http)
        .patch(api(`/memories/${memory.id}`))
        .set(as(owner))
        .send({ importance: 11 }),
      400,
      'VALIDATION_FAILED',
    );
    for (const body of [{ content: null }, { bot_ids: null }, { content: '' }, { id: memory.id }]) {
      problem(
        await request(ctx.http)
          .patch(api(`/memories/${memory.id}`))
          .set(as(owner))
          .send(body),
        400,
        'VALIDATION_FAILED',
      );
    }
    problem(await request(ctx.http).get(api('/memories?min_importance=11')).set(as(owner)), 400);
    problem(await request(ctx.http).get(api('/memories?cursor=garbage')).set(as(owner)), 400, 'INVALID_CURSOR');
  });

  it("links: bots must be readable, personas and conversations the caller's own (404)", async () => {
    const othersPrivate = await createBot(ctx, { ownerId: stranger.user.id });
    const othersPublic = await createBot(ctx, { ownerId: stranger.user.id, visibility: ResourceVisibility.Public });
    const othersPersona = await createPersona(ctx, { ownerId: stranger.user.id });
    const othersConv = await createConversation(ctx, stranger.token, { bot_ids: [othersPublic.id] });
    const post = (body: Record<string, unknown>) =>
      request(ctx.http)
        .post(api('/memories'))
        .set(as(owner))
        .send({ content: 'A fact.', ...body });
    problem(await post({ bot_ids: [othersPrivate.id] }), 404, 'BOT_NOT_FOUND');
    problem(await post({ bot_ids: [botId, othersPersona.id] }), 404, 'BOT_NOT_FOUND');
    problem(await post({ bot_ids: [botId], persona_ids: [othersPersona.id] }), 404, 'PERSONA_NOT_FOUND');
    problem(await post({ bot_ids: [botId], conversation_id: othersConv.id }), 404, 'CONVERSATION_NOT_FOUND');
    expect((await post({ bot_ids: [othersPublic.id] })).status).toBe(201);
    const memory = await createMemory(ctx, { userId: owner.user.id }, { botIds: [botId] });
    problem(
      await request(ctx.http)
        .patch(api(`/memories/${memory.id}`))
        .set(as(owner))
        .send({ bot_ids: [othersPrivate.id] }),
      404,
      'BOT_NOT_FOUND',
    );
  });

  it('GET /memories filters and pages with a keyset cursor', async () => {
    const me = await createUser(ctx);
    const botA = await createBot(ctx, { ownerId: me.user.id });
    const botB = await createBot(ctx, { ownerId: me.user.id });
    const persona = await createPersona(ctx, { ownerId: me.user.id });
    const conv = await createConversation(ctx, me.token, { bot_ids: [botA.id] });
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const m = await createMemory(
        ctx,
        {
          userId: me.user.id,
          content: i === 7 ? 'The user is running a bakery in Lisbon.' : `Plain fact number ${i}.`,
          importance: (i % 10) + 1,
          type: i % 3 === 0 ? MemoryType.LongTerm : MemoryType.ShortTerm,
          conversationId: i < 5 ? conv.id : null,
          emotionalContext: i === 9 ? 'nostalgia' : null,
        },
        { botIds: [i % 2 ? botA.id : botB.id], personaIds: i === 3 ? [persona.id] : [] },
      );
      ids.push(m.id);
    }
    const get = async (q: string) => {
      const res = await request(ctx.http)
        .get(api(`/memories?${q}`))
        .set(as(me));
      expect(res.status).toBe(200);
      return res.body as { items: { id: string; importance: number }[]; next_cursor: string | null };
    };
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((m) => m.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await get(`bot_id=${botA.id}&limit=100`)).items).toHaveLength(12);
    expect((await get(`persona_id=${persona.id}`)).items.map((m) => m.id)).toEqual([ids[3]]);
    expect((await get(`conversation_id=${conv.id}`)).items).toHaveLength(5);
    expect((await get('type=long_term&limit=100')).items).toHaveLength(9);
    expect((await get('min_importance=9&limit=100')).items.every((m) => m.importance >= 9)).toBe(true);
    expect((await get('q=runs%20bakeries')).items.map((m) => m.id)).toEqual([ids[7]]);
    expect((await get('q=nostalgia')).items.map((m) => m.id)).toEqual([ids[9]]);
  });

  it('deleting a conversation unlinks its memories; purge_memories=true removes them', async () => {
    const me = await createUser(ctx);
    const bot = await createBot(ctx, { ownerId: me.user.id });
    const keep = await createConversation(ctx, me.token, { bot_ids: [bot.id] });
    const purge = await createConversation(ctx, me.token, { bot_ids: [bot.id] });
    const kept = await createMemory(ctx, { userId: me.user.id, conversationId: keep.id }, { botIds: [bot.id] });
    const gone = await createMemory(ctx, { userId: me.user.id, conversationId: purge.id }, { botIds: [bot.id] });
    expect(
      (
        await request(ctx.http)
          .delete(api(`/conversations/${keep.id}`))
          .set(as(me))
      ).status,
    ).toBe(204);
    const after = await request(ctx.http)
      .get(api(`/memories/${kept.id}`))
      .set(as(me));
    expect(after.body).toMatchObject({ id: kept.id, conversation_id: null });
    const del = await request(ctx.http)
      .delete(api(`/conversations/${purge.id}?purge_memories=true`))
      .set(as(me));
    expect(del.status).toBe(204);
    problem(
      await request(ctx.http)
        .get(api(`/memories/${gone.id}`))
        .set(as(me)),
      404,
    );
  });
});

describe('retrieval for prompts (acceptance 3, 5)', () => {
  it('#5: at most 5, same conversation first, then importance; never superseded or below 3; persona rule', async () => {
    const { user, bot, conv } = await setup();
    const other = await createConversation(ctx, user.token, { bot_ids: [bot.id] });
    const personaP = await createPersona(ctx, { ownerId: user.user.id });
    const personaQ = await createPersona(ctx, { ownerId: user.user.id });
    const mk = (content: string, importance: number, conversationId: string | null, personaIds: string[] = []) =>
      createMemory(
        ctx,
        { userId: user.user.id, content, importance, conversationId },
        { botIds: [bot.id], personaIds },
      );
    const same3 = await mk('Same conversation, modest.', 3, conv.id);
    const same6 = await mk('Same conversation, middling.', 6, conv.id);
    const low = await mk('Same conversation but trivial.', 2, conv.id);
    const superseded = await mk('Old fact that was merged.', 10, conv.id);
    const merged = await mk('Merged fact.', 4, null);
    await ctx.ds.getRepository(Memory).update({ id: superseded.id }, { supersededById: merged.id });
    const cross10 = await mk('Cross conversation, essential.', 10, other.id);
    const cross9p = await mk('Cross conversation, persona P.', 9, other.id, [personaP.id]);
    const cross9q = await mk('Cross conversation, persona Q.', 9, other.id, [personaQ.id]);
    const cross8 = await mk('Cross conversation, important.', 8, null);
    // another bot, other conversation: not a candidate
    const otherBot = await createBot(ctx, { ownerId: user.user.id });
    const unrelated = await createMemory(ctx, { userId: user.user.id, importance: 10 }, { botIds: [otherBot.id] });

    const retrieval = ctx.app.get(MemoryRetrieval);
    const input = {
      userId: user.user.id,
      conversationId: conv.id,
      botId: bot.id,
      personaId: null as string | null,
      queryText: 'hello',
      budgetTokens: 1000,
    };
    const noPersona = await retrieval.retrieve(ctx.ds.manager, input);
    // equal importance and rank: the newer first
    expect(noPersona.map((m) => m.id)).toEqual([same6.id, same3.id, cross10.id, cross9q.id, cross9p.id]);
    const ids = noPersona.map((m) => m.id);
    for (const excluded of [low.id, superseded.id, unrelated.id]) expect(ids).not.toContain(excluded);

    const asP = await retrieval.retrieve(ctx.ds.manager, { ...input, personaId: personaP.id });
    expect(asP.map((m) => m.id)).toEqual([same6.id, same3.id, cross10.id, cross9p.id, cross8.id]);

    // the budget drops the least important first
    const tight = await retrieval.retrieve(ctx.ds.manager, { ...input, budgetTokens: 20 });
    expect(tight.map((m) => m.importance)).toEqual(expect.arrayContaining([10]));
    expect(tight.reduce((s, m) => s + m.tokenCount, 0)).toBeLessThanOrEqual(20);
    expect(tight.map((m) => m.id)).not.toContain(same3.id);

    // #3: another user's retrieval never includes these memories, even for the same bot and conversation id
    const stranger = await createUser(ctx);
    expect(await retrieval.retrieve(ctx.ds.manager, { ...input, userId: stranger.user.id })).toEqual([]);

    await retrieval.markUsed(ctx.ds.manager, [same6.id, same6.id]);
    const used = await ctx.ds.getRepository(Memory).findOneByOrFail({ id: same6.id });
    expect(used.useCount).toBe(1);
    expect(used.lastUsedAt).not.toBeNull();
  });

  it('#5: the prompt preview carries at most 5 memories, same-conversation ones first', async () => {
    const { user, bot, conv } = await setup();
    const other = await createConversation(ctx, user.token, { bot_ids: [bot.id] });
    await addMessages(ctx, conv.id, [{ kind: 'user', userId: user.user.id, content: 'Tell me about boats.' }]);
    const same = await createMemory(
      ctx,
      { userId: user.user.id, conversationId: conv.id, importance: 3, content: 'SAME-CONV fact.' },
      { botIds: [bot.id] },
    );
    for (let i = 0; i < 6; i++) {
      await createMemory(
        ctx,
        { userId: user.user.id, conversationId: other.id, importance: 9, content: `CROSS-${i} fact.` },
        { botIds: [bot.id] },
      );
    }
    const low = await createMemory(
      ctx,
      { userId: user.user.id, conversationId: conv.id, importance: 2, content: 'LOW fact.' },
      { botIds: [bot.id] },
    );
    const res = await request(ctx.http)
      .get(api(`/conversations/${conv.id}/prompt-preview`))
      .set(as(user));
    expect(res.status).toBe(200);
    expect(res.body.memory_ids.length).toBeLessThanOrEqual(5);
    expect(res.body.memory_ids[0]).toBe(same.id);
    expect(res.body.memory_ids).not.toContain(low.id);
    const system = res.body.messages[0].content as string;
    expect(system.indexOf('SAME-CONV')).toBeGreaterThan(-1);
    expect(system).not.toContain('LOW fact');

    // #3: the stranger's preview of their own chat with the same bot never shows these memories
    const stranger = await createUser(ctx);
    await fakeKey(stranger, { is_default: false });
    await ctx.ds.query(`UPDATE bots SET visibility = 'public', published_at = now() WHERE id = $1`, [bot.id]);
    const theirs = await createConversation(ctx, stranger.token, { bot_ids: [bot.id] });
    await addMessages(ctx, theirs.id, [{ kind: 'user', userId: stranger.user.id, content: 'Tell me about boats.' }]);
    const preview = await request(ctx.http)
      .get(api(`/conversations/${theirs.id}/prompt-preview`))
      .set(as(stranger));
    expect(preview.status).toBe(200);
    expect(preview.body.memory_ids).toEqual([]);
    expect(JSON.stringify(preview.body.messages)).not.toContain('CROSS-');
  });
});

describe('convert to knowledge (acceptance 7)', () => {
  it("another user's collection → 404; own → 201; again → 409 ALREADY_CONVERTED", async () => {
    const owner = await createUser(ctx);
    const other = await createUser(ctx);
    const bot = await createBot(ctx, { ownerId: owner.user.id });
    const memory = await createMemory(
      ctx,
      { userId: owner.user.id, content: 'The user fears deep water.' },
      {
        botIds: [bot.id],
      },
    );
    const mkCollection = async (u: TestUser, extra: Record<string, unknown> = {}) => {
      const res = await request(ctx.http)
        .post(api('/knowledge-collections'))
        .set(as(u))
        .send({ name: `Tome ${randomBytes(2).toString('hex')}`, ...extra });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const theirs = await mkCollection(other, { visibility: 'shared' });
    const mine = await mkCollection(owner);
    const convert = (body: Record<string, unknown>, user = owner, id = memory.id) =>
      request(ctx.http)
        .post(api(`/memories/${id}/convert-to-knowledge`))
        .set(as(user))
        .send(body);

    problem(await convert({ knowledge_collection_id: theirs }), 404, 'KNOWLEDGE_COLLECTION_NOT_FOUND');
    const ok = await convert({ knowledge_collection_id: mine, title: 'Deep water' });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ knowledge_collection_id: mine, memory: { type: 'long_term' } });
    expect(ok.body.memory.knowledge_entry_id).toBe(ok.body.knowledge_entry_id);
    expect(ok.body.memory.converted_at).not.toBeNull();
    const entry = await request(ctx.http)
      .get(api(`/knowledge-entries/${ok.body.knowledge_entry_id}`))
      .set(as(owner));
    expect(entry.status).toBe(200);
    expect(entry.body).toMatchObject({ type: 'text', origin: 'memory', content: 'The user fears deep water.' });
    problem(await convert({ knowledge_collection_id: mine }), 409, 'ALREADY_CONVERTED');
    problem(await convert({}), 409, 'ALREADY_CONVERTED');

    // without a collection: the caller's `memories` collection is created once and reused
    const second = await createMemory(ctx, { userId: owner.user.id, content: 'Second fact.' }, { botIds: [bot.id] });
    const third = await createMemory(ctx, { userId: owner.user.id, content: 'Third fact.' }, { botIds: [bot.id] });
    const a = await convert({}, owner, second.id);
    const b = await convert({}, owner, third.id);
    expect(a.status).toBe(201);
    expect(b.body.knowledge_collection_id).toBe(a.body.knowledge_collection_id);
    const [tome] = await ctx.ds.query(
      `SELECT category, owner_id, entry_count FROM knowledge_collections WHERE id = $1`,
      [a.body.knowledge_collection_id],
    );
    expect(tome).toEqual({ category: 'memories', owner_id: owner.user.id, entry_count: 2 });
    problem(await convert({}, other, third.id), 404, 'MEMORY_NOT_FOUND');
    problem(await convert({ knowledge_collection_id: 'nope' }), 400, 'VALIDATION_FAILED');
  });
});

describe('consolidation', () => {
  it('merges ≥ 3 similar short-term memories; long_term ones are never consolidated', async () => {
    const me = await createUser(ctx);
    const bot = await createBot(ctx, { ownerId: me.user.id });
    const otherBot = await createBot(ctx, { ownerId: me.user.id });
    const persona = await createPersona(ctx, { ownerId: me.user.id });
    const a = await createMemory(
      ctx,
      {
        userId: me.user.id,
        content: 'The user plays chess online every evening.',
        importance: 4,
        emotionalContext: 'joy',
      },
      { botIds: [bot.id] },
    );
    const b = await createMemory(
      ctx,
      { userId: me.user.id, content: 'The user plays chess online with friends.', importance: 7 },
      { botIds: [bot.id], personaIds: [persona.id] },
    );
    const c = await createMemory(
      ctx,
      {
        userId: me.user.id,
        content: 'Chess online every evening relaxes the user.',
        importance: 5,
        emotionalContext: 'calm',
      },
      { botIds: [otherBot.id] },
    );
    const longTerm = await createMemory(
      ctx,
      { userId: me.user.id, content: 'The user plays chess online every evening.', type: MemoryType.LongTerm },
      { botIds: [bot.id] },
    );
    const unrelated = await createMemory(
      ctx,
      { userId: me.user.id, content: 'Allergic to peanuts.' },
      { botIds: [bot.id] },
    );

    const res = await request(ctx.http).post(api('/memories/consolidate')).set(as(me)).send({});
    expect(res.status).toBe(202);
    expect(res.body.job_id).toBe(`mem-consolidate-${me.user.id}-all`);
    await ctx.jobs.drain();

    const rows = await ctx.ds.getRepository(Memory).find({ where: { userId: me.user.id } });
    const consolidated = rows.filter((m) => m.type === MemoryType.Consolidated);
    expect(consolidated).toHaveLength(1);
    expect(consolidated[0]).toMatchObject({ origin: MemoryOrigin.Consolidated, importance: 7 });
    expect(consolidated[0].emotionalContext).toBe('joy, calm');
    const byId = new Map(rows.map((m) => [m.id, m]));
    for (const src of [a, b, c]) expect(byId.get(src.id)!.supersededById).toBe(consolidated[0].id);
    expect(byId.get(longTerm.id)!.supersededById).toBeNull();
    expect(byId.get(unrelated.id)!.supersededById).toBeNull();
    const detail = await request(ctx.http)
      .get(api(`/memories/${consolidated[0].id}`))
      .set(as(me));
    expect(detail.body.bot_ids.sort()).toEqual([bot.id, otherBot.id].sort());
    expect(detail.body.persona_ids).toEqual([persona.id]);

    // a second run finds nothing new to merge
    await request(ctx.http).post(api('/memories/consolidate')).set(as(me)).send({ bot_id: bot.id });
    await ctx.jobs.drain();
    expect(await ctx.ds.getRepository(Memory).countBy({ userId: me.user.id, type: MemoryType.Consolidated })).toBe(1);
    problem(await request(ctx.http).post(api('/memories/consolidate')).set(as(me)).send({ bot_id: 'x' }), 400);
    problem(await request(ctx.http).post(api('/memories/consolidate')).send({}), 401);
  });
});

describe('through the generation flow (acceptance 1, 5)', () => {
  /** Sends a user message and streams the primary bot's reply to completion. */
  async function turn(user: TestUser, conversationId: string, content: string) {
    const sent = await request(ctx.http)
      .post(api(`/conversations/${conversationId}/messages`))
      .set(as(user))
      .send({ content });
    expect(sent.status).toBe(201);
    const stream = await readStream(ctx, user.token, sent.body.replies[0].stream_path);
    expect(stream.events.at(-1)?.event).toBe('done');
    await ctx.jobs.drain();
  }
  const streamed = () => completions().filter((r) => (r.body as { stream?: boolean }).stream);
  const extractions = () => completions().filter((r) => !(r.body as { stream?: boolean }).stream);

  it("#1: the 5th message's completion extracts a memory; #5: the next prompt carries ≤ 5 memories, own first", async () => {
    const { user, bot, conv } = await setup({ greeting: 'Welcome aboard!' }); // greeting = seq 1
    fake.script({ deltas: ['Aye', '.'], text: extraction('The user dreams of crossing the Atlantic by sail.', 9) });
    await turn(user, conv.id, 'I want to sail one day.'); // seq 2, 3
    expect(extractions()).toHaveLength(0);
    expect(await memoriesOf(conv.id)).toHaveLength(0);
    await turn(user, conv.id, 'Across the Atlantic, ideally.'); // seq 4, 5 → threshold 5 reached
    expect(extractions()).toHaveLength(1);
    const [memory] = await memoriesOf(conv.id);
    expect(memory).toMatchObject({ sourceFromSeq: 1, sourceToSeq: 5, importance: 9, origin: MemoryOrigin.Extracted });
    const detail = await request(ctx.http)
      .get(api(`/memories/${memory.id}`))
      .set(as(user));
    expect(detail.body.bot_ids).toEqual([bot.id]);
    expect(await conversationRow(conv.id)).toMatchObject({
      last_summarized_seq: 5,
      summary: 'They talked about the sea.',
    });

    // six important memories from another conversation with this bot, one superseded and one trivial
    const other = await createConversation(ctx, user.token, { bot_ids: [bot.id] });
    for (let i = 0; i < 6; i++) {
      await createMemory(
        ctx,
        { userId: user.user.id, conversationId: other.id, importance: 9, content: `CROSS-${i} remembered.` },
        { botIds: [bot.id] },
      );
    }
    const low = await createMemory(
      ctx,
      { userId: user.user.id, conversationId: conv.id, importance: 2, content: 'LOW-IMPORTANCE remembered.' },
      { botIds: [bot.id] },
    );
    const gone = await createMemory(
      ctx,
      { userId: user.user.id, conversationId: conv.id, importance: 10, content: 'SUPERSEDED remembered.' },
      { botIds: [bot.id] },
    );
    await ctx.ds.getRepository(Memory).update({ id: gone.id }, { supersededById: memory.id });

    fake.reset();
    fake.script({ deltas: ['Fair winds.'], text: extraction('Unused.') });
    await turn(user, conv.id, 'What do you remember about me?'); // seq 6, 7
    const system = (streamed()[0].body as { messages: { role: string; content: string }[] }).messages[0].content;
    const lines = system.split('\n').filter((l) => /^- \(importance \d+\)/.test(l));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.length).toBeLessThanOrEqual(5);
    expect(lines[0]).toContain('crossing the Atlantic');
    expect(system).not.toContain('LOW-IMPORTANCE');
    expect(system).not.toContain('SUPERSEDED');
    await ctx.jobs.drain();
    const used = await ctx.ds.getRepository(Memory).findOneByOrFail({ id: memory.id });
    expect(used.useCount).toBe(1);
    expect(low.useCount).toBe(0);
  });
});
