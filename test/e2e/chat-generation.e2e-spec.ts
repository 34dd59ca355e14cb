import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/fake-provider.js';
import { createFakeProviderKey } from '../factories/api-key.factory.js';
import { createBot } from '../factories/bot.factory.js';
import { createConversation, postMessage } from '../factories/chat.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { readStream, type SseEvent } from '../setup/sse.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

/**
 * Reply generation against the fake provider: chat.md §3.4, §3.7 checks 3–6, 9, 10; api-keys.md §6.1, §6.2, §6.5,
 * §6.6 and §6.8 checks 5, 6, 8, 11.
 */
describe('chat: reply generation', () => {
  let ctx: TestApp;
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeProvider();
    ctx = await createTestApp({ env: { LLM_ALLOW_INSECURE_LOCAL_PROVIDERS: 'true' } });
  });
  afterAll(async () => {
    await ctx?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  const api = (path: string) => `/api/v1${path}`;
  const as = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const problem = (res: request.Response | { status: number; body: any }, status: number, code?: string) =>
    expect({ status: res.status, body: res.body }).toMatchObject({ status, body: code ? { code } : {} });
  const names = (events: SseEvent[]) => events.map((e) => e.event);

  const customKey = (u: TestUser, overrides: Record<string, unknown> = {}) =>
    createFakeProviderKey(ctx, u.token, fake, overrides);

  /** An owner with a key and a single-bot conversation (no greeting). */
  async function setup(keyOverrides: Record<string, unknown> = {}) {
    const owner = await createUser(ctx);
    const key = await customKey(owner, keyOverrides);
    const bot = await createBot(ctx, {
      ownerId: owner.user.id,
      visibility: ResourceVisibility.Public,
      name: `Mira${randomBytes(2).toString('hex')}`,
      systemPrompt: 'You are Mira, a ship captain.',
    });
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    return { owner, key, bot, conv };
  }

  const send = (u: TestUser, convId: string, body: Record<string, unknown>) =>
    request(ctx.http)
      .post(api(`/conversations/${convId}/messages`))
      .set(as(u))
      .send(body);
  const getMessage = async (u: TestUser, id: string) =>
    (
      await request(ctx.http)
        .get(api(`/messages/${id}`))
        .set(as(u))
        .expect(200)
    ).body;
  // streamed calls only: memory extraction after an earlier test's reply may call the provider (not streamed) at any time
  const chatRequests = () =>
    fake.requests.filter((r) => r.path === '/v1/chat/completions' && (r.body as { stream?: boolean }).stream === true);
  const lastPrompt = () => (chatRequests().at(-1)!.body as { messages: { role: string; content: string }[] }).messages;

  describe('send → stream → completion (chat.md §3.7 check 3; api-keys.md §6.8 checks 6, 11)', () => {
    it('queues one reply, streams start/delta/done and stores tokens, cost, usage and events', async () => {
      const { owner, key, bot, conv } = await setup({ input_price_per_mtok_usd: 1, output_price_per_mtok_usd: 2 });
      const res = await send(owner, conv.id, { content: 'Ahoy, captain!' }).expect(201);
      expect(res.body.replies).toHaveLength(1);
      const reply = res.body.replies[0];
      expect(reply).toMatchObject({ bot_id: bot.id, stream_path: `/messages/${reply.message_id}/stream` });
      expect(chatRequests()).toHaveLength(0); // nothing is generated before the stream is opened
      const queued = await getMessage(owner, reply.message_id);
      expect(queued).toMatchObject({
        generation_status: 'queued',
        content: '',
        is_ai_generated: true,
        delivery_status: 'sent',
        active_alternative_id: reply.alternative_id,
        api_key_id: key.id,
        model: 'fake-model',
      });

      const stream = await readStream(ctx, owner.token, reply.stream_path);
      expect(stream.status).toBe(200);
      expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
      expect(stream.headers['cache-control']).toBe('no-cache, no-transform');
      expect(stream.headers['x-accel-buffering']).toBe('no');
      const kinds = names(stream.events);
      expect(kinds[0]).toBe('start');
      expect(kinds.at(-1)).toBe('done');
      expect(kinds.filter((k) => k === 'delta').length).toBeGreaterThanOrEqual(1);
      const ids = stream.events.map((e) => e.id!);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(new Set(ids).size).toBe(ids.length);
      expect(stream.events[0].data).toEqual({
        message_id: reply.message_id,
        alternative_id: reply.alternative_id,
        bot_id: bot.id,
        provider: 'custom',
        model: 'fake-model',
        api_key_id: key.id,
      });
      const deltas = stream.events.filter((e) => e.event === 'delta').map((e) => e.data.content as string);
      const done = stream.events.at(-1)!.data;
      expect(done).toMatchObject({
        message_id: reply.message_id,
        alternative_id: reply.alternative_id,
        finish_reason: 'stop',
        usage: { input_tokens: 42, output_tokens: 7, total_tokens: 49, token_count_source: 'provider' },
        cost_estimate: 0.000056,
      });
      expect(done.processing_time_ms).toEqual(expect.any(Number));

      const upstream = chatRequests();
      expect(upstream).toHaveLength(1);
      expect(upstream[0].headers.authorization).toBe(`Bearer ${fake.apiKey}`);
      expect(upstream[0].body).toMatchObject({ stream: true, model: 'fake-model' });
      const prompt = lastPrompt();
      expect(prompt.filter((m) => m.role === 'system')).toHaveLength(1);
      expect(prompt.at(-1)).toMatchObject({ role: 'user', content: 'Ahoy, captain!' });

      const msg = await getMessage(owner, reply.message_id);
      expect(msg).toMatchObject({
        content: deltas.join(''),
        generation_status: 'completed',
        delivery_status: 'delivered',
        input_tokens: 42,
        output_tokens: 7,
        total_tokens: 49,
        token_count_source: 'provider',
        finish_reason: 'stop',
        cost_estimate: 0.000056,
        api_key_id: key.id,
      });
      expect(msg.content).toBe('Hello');
      expect(msg.first_token_ms).toEqual(expect.any(Number));
      expect((await getMessage(owner, res.body.message.id)).delivery_status).toBe('delivered');
      const c = (
        await request(ctx.http)
          .get(api(`/conversations/${conv.id}`))
          .set(as(owner))
          .expect(200)
      ).body;
      expect(c.total_tokens).toBe(49);

      // api-keys.md §6.8 check 6: counters, monthly row, one `used` event
      const k = (
        await request(ctx.http)
          .get(api(`/api-keys/${key.id}`))
          .set(as(owner))
          .expect(200)
      ).body;
      expect(k).toMatchObject({ total_requests: 1, total_input_tokens: 42, total_output_tokens: 7 });
      const [monthly] = await ctx.ds.query(
        `SELECT requests, input_tokens, output_tokens, cost_usd FROM api_key_usage_monthly WHERE api_key_id = $1`,
        [key.id],
      );
      expect(monthly).toMatchObject({ requests: 1 });
      expect(Number(monthly.input_tokens)).toBe(42);
      expect(Number(monthly.output_tokens)).toBe(7);
      expect(Number(monthly.cost_usd)).toBeCloseTo(0.000056, 6);
      const used = await ctx.ds.query(
        `SELECT conversation_id, message_id, latency_ms, input_tokens, output_tokens, purpose FROM api_key_events
          WHERE api_key_id = $1 AND event_type = 'used'`,
        [key.id],
      );
      expect(used).toHaveLength(1);
      expect(used[0]).toMatchObject({
        conversation_id: conv.id,
        message_id: reply.message_id,
        input_tokens: 42,
        output_tokens: 7,
        purpose: 'chat',
      });
      expect(used[0].latency_ms).toEqual(expect.any(Number));
      const analytics = await ctx.ds.query(
        `SELECT event_type, idempotency_key FROM analytics_events WHERE conversation_id = $1 ORDER BY event_type`,
        [conv.id],
      );
      expect(analytics.map((a: { idempotency_key: string }) => a.idempotency_key)).toEqual(
        expect.arrayContaining([`msg:${res.body.message.id}`, `reply:${reply.alternative_id}`]),
      );
    });

    it('replays a completed message: start, one delta with the full text, done', async () => {
      const { owner, conv } = await setup();
      const res = await send(owner, conv.id, { content: 'Hi' }).expect(201);
      const path = res.body.replies[0].stream_path;
      await readStream(ctx, owner.token, path);
      const replay = await readStream(ctx, owner.token, path);
      expect(names(replay.events)).toEqual(['start', 'delta', 'done']);
      expect(replay.events[1].data).toEqual({ content: 'Hello' });
      expect(replay.events[2].data.usage).toMatchObject({ input_tokens: 42, output_tokens: 7 });
      expect(chatRequests()).toHaveLength(1);
    });

    it('a client that disconnects mid-stream does not stop the generation: the reply is stored', async () => {
      const { owner, conv } = await setup();
      fake.script({ deltas: ['one ', 'two ', 'three ', 'four'], chunkDelayMs: 150 });
      const res = await send(owner, conv.id, { content: 'Count for me' }).expect(201);
      const id = res.body.replies[0].message_id;
      const partial = await readStream(ctx, owner.token, res.body.replies[0].stream_path, {
        until: (e) => e.event === 'delta',
      });
      expect(names(partial.events)).toContain('delta');
      expect(names(partial.events)).not.toContain('done');
      let msg = await getMessage(owner, id);
      for (let i = 0; i < 50 && msg.generation_status !== 'completed'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        msg = await getMessage(owner, id);
      }
      expect(msg).toMatchObject({ generation_status: 'completed', content: 'one two three four' });
    });
  });

  describe('failures (chat.md §3.7 check 9; api-keys.md §6.8 check 8)', () => {
    it('provider 500 → SSE error UPSTREAM_ERROR, message failed, user message stays sent; failed replay', async () => {
      const { owner, conv, key } = await setup();
      fake.script({ status: 500 });
      const res = await send(owner, conv.id, { content: 'Are you there?' }).expect(201);
      const stream = await readStream(ctx, owner.token, res.body.replies[0].stream_path);
      expect(names(stream.events)).toEqual(['start', 'error']);
      expect(stream.events[1].data).toMatchObject({ code: 'UPSTREAM_ERROR', retryable: true });
      const msg = await getMessage(owner, res.body.replies[0].message_id);
      expect(msg).toMatchObject({
        generation_status: 'failed',
        delivery_status: 'failed',
        error_code: 'UPSTREAM_ERROR',
      });
      expect((await getMessage(owner, res.body.message.id)).delivery_status).toBe('sent');
      const failed = await ctx.ds.query(
        `SELECT error_code FROM api_key_events WHERE api_key_id = $1 AND event_type = 'use_failed'`,
        [key.id],
      );
      expect(failed).toEqual([{ error_code: 'UPSTREAM_ERROR' }]);
      const replay = await readStream(ctx, owner.token, res.body.replies[0].stream_path);
      expect(names(replay.events)).toEqual(['start', 'error']);
      expect(replay.events[1].data.code).toBe('UPSTREAM_ERROR');
    });

    it('a malformed upstream chunk → error event and failed message; the server keeps serving', async () => {
      const { owner, conv } = await setup();
      fake.script({ malformedChunk: true });
      const res = await send(owner, conv.id, { content: 'Break it' }).expect(201);
      const stream = await readStream(ctx, owner.token, res.body.replies[0].stream_path);
      expect(names(stream.events)).toEqual(['start', 'error']);
      expect(stream.events[1].data.code).toEqual(expect.any(String));
      const msg = await getMessage(owner, res.body.replies[0].message_id);
      expect(msg.generation_status).toBe('failed');
      fake.script({});
      const again = await send(owner, conv.id, { content: 'Again' }).expect(201);
      const ok = await readStream(ctx, owner.token, again.body.replies[0].stream_path);
      expect(names(ok.events).at(-1)).toBe('done');
    });

    it('provider 401 → key invalid, next send 409 API_KEY_NOT_USABLE; PUT secret → active again', async () => {
      const { owner, conv, key } = await setup();
      fake.script({ status: 401 });
      const res = await send(owner, conv.id, { content: 'Hello?' }).expect(201);
      const stream = await readStream(ctx, owner.token, res.body.replies[0].stream_path);
      expect(stream.events.at(-1)).toMatchObject({ event: 'error', data: { code: 'INVALID_KEY' } });
      const k = (
        await request(ctx.http)
          .get(api(`/api-keys/${key.id}`))
          .set(as(owner))
          .expect(200)
      ).body;
      expect(k.status).toBe('invalid');
      const before = await ctx.ds.query(`SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1`, [
        conv.id,
      ]);
      const refused = await send(owner, conv.id, { content: 'Hello again' });
      problem(refused, 409, 'API_KEY_NOT_USABLE');
      const after = await ctx.ds.query(`SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1`, [conv.id]);
      expect(after[0].n).toBe(before[0].n);
      fake.script({});
      const replaced = await request(ctx.http)
        .put(api(`/api-keys/${key.id}/secret`))
        .set(as(owner))
        .send({ secret: fake.apiKey })
        .expect(200);
      expect(replaced.body.status).toBe('active');
      await send(owner, conv.id, { content: 'Back?' }).expect(201);
    });

    it('a send without any key → 422 NO_API_KEY and no rows; respond=none needs no key', async () => {
      const owner = await createUser(ctx);
      const bot = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
      const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
      problem(await send(owner, conv.id, { content: 'Anyone?' }), 422, 'NO_API_KEY');
      const [row] = await ctx.ds.query(
        `SELECT (SELECT count(*)::int FROM messages WHERE conversation_id = $1) AS n, message_count, last_message_seq
           FROM conversations WHERE id = $1`,
        [conv.id],
      );
      expect(row).toEqual({ n: 0, message_count: 0, last_message_seq: '0' });
      const quiet = await send(owner, conv.id, { content: 'Just a note', respond: 'none' }).expect(201);
      expect(quiet.body.replies).toEqual([]);
    });
  });

  describe('regenerate and cancel (chat.md §3.7 checks 4, 5, 10)', () => {
    it('regenerate adds alternative #1 (active); switching back to #0 restores the text; tokens add up', async () => {
      const { owner, conv } = await setup();
      const res = await send(owner, conv.id, { content: 'Tell me a joke' }).expect(201);
      const id = res.body.replies[0].message_id;
      await readStream(ctx, owner.token, res.body.replies[0].stream_path);
      fake.script({ deltas: ['Another ', 'one'] });
      const regen = await request(ctx.http)
        .post(api(`/messages/${id}/regenerate`))
        .set(as(owner))
        .send({})
        .expect(202);
      expect(regen.body).toMatchObject({ message_id: id, stream_path: `/messages/${id}/stream` });
      const queued = await getMessage(owner, id);
      expect(queued).toMatchObject({
        generation_status: 'queued',
        content: '',
        alternative_count: 2,
        active_alternative_id: regen.body.alternative_id,
      });
      const stream = await readStream(ctx, owner.token, regen.body.stream_path);
      expect(names(stream.events).at(-1)).toBe('done');
      const msg = await getMessage(owner, id);
      expect(msg).toMatchObject({
        content: 'Another one',
        alternative_count: 2,
        active_alternative_id: regen.body.alternative_id,
      });
      const c = (
        await request(ctx.http)
          .get(api(`/conversations/${conv.id}`))
          .set(as(owner))
          .expect(200)
      ).body;
      expect(c.total_tokens).toBe(98);
      const alts = (
        await request(ctx.http)
          .get(api(`/messages/${id}/alternatives`))
          .set(as(owner))
          .expect(200)
      ).body;
      const first = alts.find((a: { position: number }) => a.position === 0);
      await request(ctx.http)
        .put(api(`/messages/${id}/active-alternative`))
        .set(as(owner))
        .send({ alternative_id: first.id })
        .expect(200);
      expect((await getMessage(owner, id)).content).toBe('Hello');
      const purposes = await ctx.ds.query(
        `SELECT purpose FROM api_key_events WHERE message_id = $1 AND event_type = 'used' ORDER BY created_at`,
        [id],
      );
      expect(purposes.map((p: { purpose: string }) => p.purpose)).toEqual(['chat', 'regenerate']);
    });

    it('regenerating the reply at seq 3 of 10 sends only messages with seq < 3', async () => {
      const { owner, conv } = await setup();
      await postMessage(ctx, owner.token, conv.id, { content: 'first words' });
      const res = await send(owner, conv.id, { content: 'second words' }).expect(201);
      const id = res.body.replies[0].message_id;
      await readStream(ctx, owner.token, res.body.replies[0].stream_path);
      for (let i = 4; i <= 10; i++) await postMessage(ctx, owner.token, conv.id, { content: `later words ${i}` });
      expect((await getMessage(owner, id)).seq).toBe(3);
      fake.reset();
      const regen = await request(ctx.http)
        .post(api(`/messages/${id}/regenerate`))
        .set(as(owner))
        .send({})
        .expect(202);
      await readStream(ctx, owner.token, regen.body.stream_path);
      const prompt = lastPrompt();
      const history = prompt.filter((m) => m.role !== 'system').map((m) => m.content);
      expect(history).toEqual(['first words', 'second words']);
      expect(JSON.stringify(prompt)).not.toContain('later words');
    });

    it('cancel mid-stream → cancelled, finish_reason cancelled, partial text kept', async () => {
      const { owner, conv } = await setup();
      fake.script({ deltas: ['Once ', 'upon ', 'a ', 'time ', 'there ', 'was'], chunkDelayMs: 250 });
      const res = await send(owner, conv.id, { content: 'A long story please' }).expect(201);
      const id = res.body.replies[0].message_id;
      let cancelled: Promise<request.Response> | null = null;
      const stream = await readStream(ctx, owner.token, res.body.replies[0].stream_path, {
        onEvent: (e) => {
          if (e.event === 'delta' && !cancelled) {
            // supertest starts a request only when it is awaited: start it now
            cancelled = request(ctx.http)
              .post(api(`/messages/${id}/cancel`))
              .set(as(owner))
              .send()
              .then((r) => r);
          }
        },
      });
      const cancel = await cancelled!;
      expect(cancel.status).toBe(200);
      expect(cancel.body).toMatchObject({ generation_status: 'cancelled', finish_reason: 'cancelled' });
      expect(stream.events.at(-1)).toMatchObject({ event: 'error', data: { code: 'CANCELLED' } });
      const msg = await getMessage(owner, id);
      expect(msg).toMatchObject({ generation_status: 'cancelled', finish_reason: 'cancelled' });
      expect(msg.content.length).toBeGreaterThan(0);
      expect('Once upon a time there was'.startsWith(msg.content)).toBe(true);
      expect(msg.content).not.toBe('Once upon a time there was');
      problem(
        await request(ctx.http)
          .post(api(`/messages/${id}/cancel`))
          .set(as(owner))
          .send(),
        409,
        'NO_OPEN_GENERATION',
      );
    });

    it('a failed regeneration with no output reverts to the previous completed alternative', async () => {
      const { owner, conv } = await setup();
      const res = await send(owner, conv.id, { content: 'Say hi' }).expect(201);
      const id = res.body.replies[0].message_id;
      await readStream(ctx, owner.token, res.body.replies[0].stream_path);
      fake.script({ status: 500 });
      const regen = await request(ctx.http)
        .post(api(`/messages/${id}/regenerate`))
        .set(as(owner))
        .send({})
        .expect(202);
      const stream = await readStream(ctx, owner.token, regen.body.stream_path);
      expect(stream.events.at(-1)!.event).toBe('error');
      const msg = await getMessage(owner, id);
      expect(msg).toMatchObject({ content: 'Hello', generation_status: 'completed', alternative_count: 2 });
      expect(msg.active_alternative_id).toBe(res.body.replies[0].alternative_id);
      const alts = (
        await request(ctx.http)
          .get(api(`/messages/${id}/alternatives`))
          .set(as(owner))
          .expect(200)
      ).body;
      expect(alts.map((a: { generation_status: string }) => a.generation_status)).toEqual(['completed', 'failed']);
    });

    it('regenerate: 422 NOT_REGENERATABLE, 409 ALTERNATIVE_LIMIT and GENERATION_IN_PROGRESS, 404/403/401', async () => {
      const { owner, conv } = await setup();
      const stranger = await createUser(ctx);
      const res = await send(owner, conv.id, { content: 'Yo' }).expect(201);
      const id = res.body.replies[0].message_id;
      const regen = (u: TestUser | null, mid = id, body: object = {}) => {
        const r = request(ctx.http).post(api(`/messages/${mid}/regenerate`));
        return (u ? r.set(as(u)) : r).send(body);
      };
      problem(await regen(owner), 409, 'GENERATION_IN_PROGRESS');
      problem(await regen(owner, res.body.message.id), 422, 'NOT_REGENERATABLE');
      problem(await regen(stranger), 404, 'MESSAGE_NOT_FOUND');
      problem(await regen(null), 401);
      problem(await regen(owner, id, { model: 'x', extra: true }), 400, 'VALIDATION_FAILED');
      await readStream(ctx, owner.token, res.body.replies[0].stream_path);
      await ctx.ds.query(`UPDATE messages SET alternative_count = 20 WHERE id = $1`, [id]);
      problem(await regen(owner), 409, 'ALTERNATIVE_LIMIT');
    });
  });

  describe('pre-stream checks (api-keys.md §6.2)', () => {
    it('answers problem+json before any SSE header', async () => {
      const { owner, conv } = await setup();
      const stranger = await createUser(ctx);
      const res = await send(owner, conv.id, { content: 'ping' }).expect(201);
      const path = res.body.replies[0].stream_path;
      const noAuth = await readStream(ctx, null, path);
      expect(noAuth.status).toBe(401);
      const strange = await readStream(ctx, stranger.token, path);
      problem(strange, 404, 'MESSAGE_NOT_FOUND');
      expect(strange.headers['content-type']).toMatch(/^application\/problem\+json/);
      const userMsg = await readStream(ctx, owner.token, `/messages/${res.body.message.id}/stream`);
      problem(userMsg, 422, 'NOT_STREAMABLE');
      await request(ctx.http)
        .patch(api(`/conversations/${conv.id}`))
        .set(as(owner))
        .send({ status: 'archived' })
        .expect(200);
      problem(await readStream(ctx, owner.token, path), 409, 'CONVERSATION_ARCHIVED');
      await request(ctx.http)
        .patch(api(`/conversations/${conv.id}`))
        .set(as(owner))
        .send({ status: 'active' })
        .expect(200);
      // a stream already running → 409 GENERATION_IN_PROGRESS
      fake.script({ deltas: ['slow ', 'reply'], chunkDelayMs: 300 });
      let second: Promise<Awaited<ReturnType<typeof readStream>>> | null = null;
      const first = await readStream(ctx, owner.token, path, {
        onEvent: (e) => {
          if (e.event === 'start' && !second) second = readStream(ctx, owner.token, path);
        },
      });
      expect(names(first.events).at(-1)).toBe('done');
      problem(await second!, 409, 'GENERATION_IN_PROGRESS');
      expect(chatRequests()).toHaveLength(1);
    });

    it('a bot removed from the conversation → 409 BOT_UNAVAILABLE', async () => {
      const { owner, conv, bot } = await setup();
      const res = await send(owner, conv.id, { content: 'ping' }).expect(201);
      await ctx.ds.query(
        `UPDATE conversation_participants SET is_active = false WHERE conversation_id = $1 AND bot_id = $2`,
        [conv.id, bot.id],
      );
      problem(await readStream(ctx, owner.token, res.body.replies[0].stream_path), 409, 'BOT_UNAVAILABLE');
      problem(await send(owner, conv.id, { content: 'x', bot_ids: [bot.id] }), 422, 'INVALID_REPLY_BOTS');
    });

    it('multi_bot respond=all: the second stream waits for the first, then sees its reply (chat.md §3.7 check 6)', async () => {
      const owner = await createUser(ctx);
      await customKey(owner);
      const b1 = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public, name: 'Alpha' });
      const b2 = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public, name: 'Beta' });
      const conv = await createConversation(ctx, owner.token, { bot_ids: [b1.id, b2.id] });
      const auto = await send(owner, conv.id, { content: 'Only the primary', respond: 'auto' }).expect(201);
      expect(auto.body.replies.map((r: { bot_id: string }) => r.bot_id)).toEqual([b1.id]);
      await readStream(ctx, owner.token, auto.body.replies[0].stream_path);
      const res = await send(owner, conv.id, { content: 'Both of you', respond: 'all' }).expect(201);
      expect(res.body.replies.map((r: { bot_id: string }) => r.bot_id)).toEqual([b1.id, b2.id]);
      problem(await readStream(ctx, owner.token, res.body.replies[1].stream_path), 409, 'PREVIOUS_REPLY_PENDING');
      fake.script({ deltas: ['I am Alpha'] });
      await readStream(ctx, owner.token, res.body.replies[0].stream_path);
      fake.script({ deltas: ['I am Beta'] });
      const second = await readStream(ctx, owner.token, res.body.replies[1].stream_path);
      expect(names(second.events).at(-1)).toBe('done');
      const prompt = lastPrompt();
      expect(prompt.some((m) => m.role === 'user' && m.content === '[Alpha]: I am Alpha')).toBe(true);
      const explicit = await send(owner, conv.id, { content: 'Just Beta', bot_ids: [b2.id] }).expect(201);
      expect(explicit.body.replies.map((r: { bot_id: string }) => r.bot_id)).toEqual([b2.id]);
    });
  });

  describe('keys (api-keys.md §6.1, §6.8 checks 3, 5)', () => {
    it("another user's api_key_id → 404 API_KEY_NOT_FOUND, nothing stored", async () => {
      const { owner, conv } = await setup();
      const other = await createUser(ctx);
      const theirs = await customKey(other);
      problem(await send(owner, conv.id, { content: 'x', api_key_id: theirs.id }), 404, 'API_KEY_NOT_FOUND');
      problem(
        await send(owner, conv.id, { content: 'x', respond: 'none', api_key_id: theirs.id }),
        404,
        'API_KEY_NOT_FOUND',
      );
      const [row] = await ctx.ds.query(`SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1`, [conv.id]);
      expect(row.n).toBe(0);
    });

    it('the request model wins over the key preference; a custom key without a model → 422 MODEL_REQUIRED', async () => {
      const { owner, conv } = await setup();
      const res = await send(owner, conv.id, { content: 'x', model: 'other-model' }).expect(201);
      await readStream(ctx, owner.token, res.body.replies[0].stream_path);
      expect(chatRequests().at(-1)!.body).toMatchObject({ model: 'other-model' });
      await ctx.ds.query(`UPDATE api_keys SET model_preferences = '{}' WHERE user_id = $1`, [owner.user.id]);
      problem(await send(owner, conv.id, { content: 'y' }), 422, 'MODEL_REQUIRED');
    });

    it('context_window_tokens=1024 with a long history: newest messages only, within budget (check 5)', async () => {
      const { owner, conv, key } = await setup({ context_window_tokens: 1024 });
      await request(ctx.http)
        .patch(api(`/conversations/${conv.id}`))
        .set(as(owner))
        .send({ max_output_tokens: 200 })
        .expect(200);
      for (let i = 1; i <= 30; i++) {
        await postMessage(ctx, owner.token, conv.id, { content: `message number ${i} ${'lorem ipsum '.repeat(20)}` });
      }
      const res = await send(owner, conv.id, { content: 'the newest question', api_key_id: key.id }).expect(201);
      await readStream(ctx, owner.token, res.body.replies[0].stream_path);
      const prompt = lastPrompt();
      const estimate = prompt.reduce((n, m) => n + Math.ceil(m.content.length / 4) + 4, 3);
      const budget = 1024 - 200 - Math.ceil(0.05 * 1024);
      expect(estimate).toBeLessThanOrEqual(budget);
      expect(prompt.at(-1)).toMatchObject({ role: 'user', content: 'the newest question' });
      expect(JSON.stringify(prompt)).not.toContain('message number 1 ');
      expect(JSON.stringify(prompt)).toContain('message number 30 ');
    });
  });
});
