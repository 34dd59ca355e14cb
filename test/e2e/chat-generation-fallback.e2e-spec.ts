import request from 'supertest';
import { ResourceVisibility } from '../../src/common/access/access.enums.js';
import { startFakeProvider, type FakeProvider } from '../fake-provider/fake-provider.js';
import { createFakeProviderKey } from '../factories/api-key.factory.js';
import { createBot } from '../factories/bot.factory.js';
import { createConversation } from '../factories/chat.factory.js';
import { createUser, type TestUser } from '../factories/user.factory.js';
import { readStream } from '../setup/sse.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

/** Key limits and fallbacks during reply generation: api-keys.md §3, §4, §6.1.4 and §6.8 check 7. */
describe('chat: reply generation with key limits and fallbacks', () => {
  let ctx: TestApp;
  let fakeA: FakeProvider;
  let fakeB: FakeProvider;
  beforeAll(async () => {
    fakeA = await startFakeProvider();
    fakeB = await startFakeProvider({ apiKey: 'test-secret-bbbb5678' });
    ctx = await createTestApp({ env: { LLM_ALLOW_INSECURE_LOCAL_PROVIDERS: 'true' } });
  });
  afterAll(async () => {
    await ctx?.close();
    await fakeA?.close();
    await fakeB?.close();
  });
  beforeEach(() => {
    fakeA.reset();
    fakeB.reset();
  });

  const api = (path: string) => `/api/v1${path}`;
  const as = (u: TestUser) => ({ Authorization: `Bearer ${u.token}` });
  const chats = (f: FakeProvider) => f.requests.filter((r) => r.path === '/v1/chat/completions');

  const key = (u: TestUser, fake: FakeProvider, overrides: Record<string, unknown> = {}) =>
    createFakeProviderKey(ctx, u.token, fake, overrides);

  /** Owner with key A (default, on fakeA) and key B (on fakeB), and a single-bot conversation. */
  async function setup(aOverrides: Record<string, unknown> = {}) {
    const owner = await createUser(ctx);
    const a = await key(owner, fakeA, { is_default: true, ...aOverrides });
    const b = await key(owner, fakeB);
    const bot = await createBot(ctx, { ownerId: owner.user.id, visibility: ResourceVisibility.Public });
    const conv = await createConversation(ctx, owner.token, { bot_ids: [bot.id] });
    return { owner, a, b, conv };
  }
  const setFallbacks = (u: TestUser, id: string, ids: string[]) =>
    request(ctx.http)
      .put(api(`/api-keys/${id}/fallbacks`))
      .set(as(u))
      .send({ fallback_ids: ids })
      .expect(200);
  const send = (u: TestUser, convId: string, body: Record<string, unknown>) =>
    request(ctx.http)
      .post(api(`/conversations/${convId}/messages`))
      .set(as(u))
      .send(body);
  const count = async (convId: string) =>
    (await ctx.ds.query(`SELECT count(*)::int AS n FROM messages WHERE conversation_id = $1`, [convId]))[0].n as number;
  const events = async (keyId: string, type: string) =>
    ctx.ds.query(`SELECT error_code FROM api_key_events WHERE api_key_id = $1 AND event_type = $2`, [keyId, type]);

  it('requests_per_hour=1: the second send → 429 KEY_LIMIT_REACHED with no rows; with a fallback it succeeds', async () => {
    const { owner, a, b, conv } = await setup({ requests_per_hour: 1 });
    const first = await send(owner, conv.id, { content: 'one' }).expect(201);
    const s1 = await readStream(ctx, owner.token, first.body.replies[0].stream_path);
    expect(s1.events.at(-1)!.event).toBe('done');
    const before = await count(conv.id);
    const refused = await send(owner, conv.id, { content: 'two' });
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'KEY_LIMIT_REACHED', limit: 'requests_per_hour' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await count(conv.id)).toBe(before);
    expect(await events(a.id, 'limit_blocked')).toEqual([{ error_code: 'requests_per_hour' }]);

    await setFallbacks(owner, a.id, [b.id]);
    const third = await send(owner, conv.id, { content: 'three' }).expect(201);
    const reply = third.body.replies[0];
    const s3 = await readStream(ctx, owner.token, reply.stream_path);
    expect(s3.events.map((e) => e.event)).toEqual(['start', 'fallback', 'delta', 'delta', 'done']);
    expect(s3.events[0].data.api_key_id).toBe(a.id);
    expect(s3.events[1].data).toEqual({ from_api_key_id: a.id, to_api_key_id: b.id, reason: 'KEY_LIMIT_REACHED' });
    expect(chats(fakeB)).toHaveLength(1);
    expect(chats(fakeA)).toHaveLength(1); // only the first reply
    const msg = (
      await request(ctx.http)
        .get(api(`/messages/${reply.message_id}`))
        .set(as(owner))
        .expect(200)
    ).body;
    expect(msg).toMatchObject({ api_key_id: b.id, generation_status: 'completed', content: 'Hello' });
    const alt = await ctx.ds.query(`SELECT api_key_id FROM message_alternatives WHERE id = $1`, [reply.alternative_id]);
    expect(alt[0].api_key_id).toBe(b.id);
  });

  it('provider 500 on key A before any delta → `fallback` to key B; A records use_failed', async () => {
    const { owner, a, b, conv } = await setup();
    await setFallbacks(owner, a.id, [b.id]);
    fakeA.script({ status: 500 });
    const res = await send(owner, conv.id, { content: 'hello' }).expect(201);
    const reply = res.body.replies[0];
    const stream = await readStream(ctx, owner.token, reply.stream_path);
    expect(stream.events.map((e) => e.event)).toEqual(['start', 'fallback', 'delta', 'delta', 'done']);
    expect(stream.events[1].data).toEqual({ from_api_key_id: a.id, to_api_key_id: b.id, reason: 'UPSTREAM_ERROR' });
    expect(chats(fakeA)).toHaveLength(1);
    expect(chats(fakeB)).toHaveLength(1);
    const msg = (
      await request(ctx.http)
        .get(api(`/messages/${reply.message_id}`))
        .set(as(owner))
        .expect(200)
    ).body;
    expect(msg).toMatchObject({ api_key_id: b.id, generation_status: 'completed', content: 'Hello' });
    expect(await events(a.id, 'use_failed')).toEqual([{ error_code: 'UPSTREAM_ERROR' }]);
    expect(await events(b.id, 'used')).toHaveLength(1);
    expect(await events(b.id, 'fallback_used')).toEqual([{ error_code: 'UPSTREAM_ERROR' }]);
  });

  it('a 401 on key A marks it invalid and falls back; MODEL_NOT_FOUND does not fall back', async () => {
    const { owner, a, b, conv } = await setup();
    await setFallbacks(owner, a.id, [b.id]);
    fakeA.script({ status: 401 });
    const res = await send(owner, conv.id, { content: 'hello' }).expect(201);
    const stream = await readStream(ctx, owner.token, res.body.replies[0].stream_path);
    expect(stream.events[1]).toMatchObject({ event: 'fallback', data: { reason: 'INVALID_KEY' } });
    expect(stream.events.at(-1)!.event).toBe('done');
    const [row] = await ctx.ds.query(`SELECT status FROM api_keys WHERE id = $1`, [a.id]);
    expect(row.status).toBe('invalid');

    // the invalid default key is not usable, so a new send is refused until the owner picks another key
    const other = await send(owner, conv.id, { content: 'again', api_key_id: b.id }).expect(201);
    fakeB.script({ status: 404 });
    const failed = await readStream(ctx, owner.token, other.body.replies[0].stream_path);
    expect(failed.events.map((e) => e.event)).toEqual(['start', 'error']);
    expect(failed.events[1].data).toMatchObject({ code: 'MODEL_NOT_FOUND', retryable: false });
  });
});
