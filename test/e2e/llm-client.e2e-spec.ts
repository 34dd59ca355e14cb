import { createHash } from 'node:crypto';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { LlmProvider } from '../../src/modules/api-keys/api-keys.enums.js';
import { ApiKeyUsePurpose } from '../../src/modules/api-keys/api-keys.enums.js';
import { ApiKeySecretService } from '../../src/modules/api-keys/api-key-secret.service.js';
import { ApiKey } from '../../src/modules/api-keys/entities/api-key.entity.js';
import {
  type LlmCallRequest,
  LlmClient,
  type LlmStreamEvent,
  LlmUpstreamError,
} from '../../src/modules/api-keys/llm/llm-client.service.js';
import { FAKE_API_KEY, type FakeProvider, startFakeProvider } from '../fake-provider/fake-provider.js';
import { createApiKey } from '../factories/api-key.factory.js';
import { createUser } from '../factories/user.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';

/**
 * The OpenAI-compatible client (api-keys.md §6.4) against the fake provider (§6.7) on 127.0.0.1: streaming,
 * non-streamed completion, error mapping, timeouts, truncation, malformed chunks, <think> routing, cancellation and
 * what the provider receives.
 */
const FIRST_BYTE_MS = 300;
let ctx: TestApp;
let fake: FakeProvider;
let client: LlmClient;

beforeAll(async () => {
  fake = await startFakeProvider();
  ctx = await createTestApp({
    env: {
      LLM_ALLOW_INSECURE_LOCAL_PROVIDERS: 'true',
      LLM_FIRST_BYTE_TIMEOUT_MS: String(FIRST_BYTE_MS),
      LLM_USER_TAG_SALT: 'test-salt-0123456789',
      LLM_BASE_URL_OVERRIDES: JSON.stringify({ openrouter: fake.baseUrl }),
    },
  });
  client = ctx.app.get(LlmClient);
});

afterAll(async () => {
  await ctx?.close();
  await fake?.close();
});

beforeEach(() => fake.reset());

function customKey(overrides: Partial<ApiKey> = {}): ApiKey {
  return Object.assign(new ApiKey(), {
    id: '00000000-0000-4000-8000-000000000001',
    userId: '00000000-0000-4000-8000-000000000002',
    provider: LlmProvider.Custom,
    baseUrl: fake.baseUrl,
    extraHeaders: { 'X-Team': 'blue', Authorization: 'Bearer evil' },
    openaiOrganization: null,
    openaiProject: null,
    ...overrides,
  });
}

function call(overrides: Partial<LlmCallRequest> = {}): LlmCallRequest {
  return {
    key: customKey(),
    secret: FAKE_API_KEY,
    model: 'fake-model',
    messages: [
      { role: 'system', content: 'You are Mira.' },
      { role: 'user', content: 'Hi', name: 'Alex' },
    ],
    temperature: 0.7,
    maxTokens: 256,
    userTag: client.userTag('user-1'),
    ...overrides,
  };
}

async function collect(req: LlmCallRequest): Promise<{ events: LlmStreamEvent[]; error: LlmUpstreamError | null }> {
  const events: LlmStreamEvent[] = [];
  try {
    for await (const event of client.stream(req)) events.push(event);
    return { events, error: null };
  } catch (err) {
    if (!(err instanceof LlmUpstreamError)) throw err;
    return { events, error: err };
  }
}

const text = (events: LlmStreamEvent[], type: 'content' | 'reasoning') =>
  events
    .filter((e): e is Extract<LlmStreamEvent, { type: typeof type }> => e.type === type)
    .map((e) => e.text)
    .join('');

describe('LlmClient against the fake provider', () => {
  it('streams "Hel" + "lo", the finish reason and usage 42/7/49', async () => {
    const { events, error } = await collect(call());
    expect(error).toBeNull();
    expect(events).toEqual([
      { type: 'content', text: 'Hel' },
      { type: 'content', text: 'lo' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', inputTokens: 42, outputTokens: 7, totalTokens: 49 },
    ]);
  });

  it('sends bearer, event-stream accept, model, stream options, parameters and the user tag', async () => {
    await collect(call());
    expect(fake.requests).toHaveLength(1);
    const [seen] = fake.requests;
    expect(seen.method).toBe('POST');
    expect(seen.path).toBe('/v1/chat/completions');
    expect(seen.headers.authorization).toBe(`Bearer ${FAKE_API_KEY}`);
    expect(seen.headers.accept).toBe('text/event-stream');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.headers['x-team']).toBe('blue');
    const tag = createHash('sha256').update('test-salt-0123456789user-1').digest('hex').slice(0, 32);
    expect(seen.body).toEqual({
      model: 'fake-model',
      messages: [
        { role: 'system', content: 'You are Mira.' },
        { role: 'user', content: 'Hi', name: 'Alex' },
      ],
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.7,
      max_tokens: 256,
      user: tag,
    });
    expect(client.userTag('user-1')).toBe(tag);
    expect(client.userTag('user-1')).toMatch(/^[0-9a-f]{32}$/);
    expect(client.userTag('user-2')).not.toBe(tag);
  });

  it('completes without streaming (memory extraction) and strips a leading think block', async () => {
    fake.script({ text: '<think>hmm</think>\n{"memories":[]}' });
    const result = await client.complete(call());
    expect(result).toEqual({
      content: '{"memories":[]}',
      finishReason: 'stop',
      usage: { inputTokens: 42, outputTokens: 7, totalTokens: 49 },
    });
    const body = fake.requests[0].body as Record<string, unknown>;
    expect(body.stream).toBeUndefined();
    expect(body.stream_options).toBeUndefined();
    expect(fake.requests[0].headers.accept).toBe('application/json');
  });

  it.each([
    [401, 'INVALID_KEY', false],
    [429, 'RATE_LIMITED', true],
    [500, 'UPSTREAM_ERROR', true],
  ])('maps HTTP %i to %s before any event (stream and complete)', async (status, code, retryable) => {
    fake.script({ status });
    const { events, error } = await collect(call());
    expect(events).toEqual([]);
    expect(error).toMatchObject({ code, retryable, status });
    if (status === 429) expect(error?.retryAfterSeconds).toBe(1);
    await expect(client.complete(call())).rejects.toMatchObject({ code, status });
  });

  it('maps a wrong secret to INVALID_KEY and never puts the secret in the error or the logs', async () => {
    const secret = 'sk-wrong-secret-abcdef123456';
    const { error } = await collect(call({ secret }));
    expect(error?.code).toBe('INVALID_KEY');
    expect(error?.message).not.toContain(secret);
    expect(ctx.logs().join('\n')).not.toContain(secret);
    expect(ctx.logs().join('\n')).not.toContain(FAKE_API_KEY);
  });

  it('fails with TIMEOUT when the first byte takes longer than LLM_FIRST_BYTE_TIMEOUT_MS', async () => {
    fake.script({ delayMs: FIRST_BYTE_MS + 700 });
    const started = Date.now();
    const { events, error } = await collect(call());
    expect(events).toEqual([]);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(Date.now() - started).toBeLessThan(FIRST_BYTE_MS + 500);
    await expect(client.complete(call())).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('fails with TIMEOUT when the stream stalls longer than the idle limit, keeping the text so far', async () => {
    const idle = client.timeouts.idleMs;
    client.timeouts.idleMs = 150;
    try {
      fake.script({ chunkDelayMs: 600 });
      const { events, error } = await collect(call());
      expect(error?.code).toBe('TIMEOUT');
      expect(text(events, 'content')).toBe('');
    } finally {
      client.timeouts.idleMs = idle;
    }
  });

  it('fails with STREAM_TRUNCATED when the stream ends before a finish reason, keeping the partial text', async () => {
    fake.script({ cutBeforeDone: true });
    const { events, error } = await collect(call());
    expect(text(events, 'content')).toBe('Hello');
    expect(error).toMatchObject({ code: 'STREAM_TRUNCATED', retryable: false });
  });

  it('fails with MALFORMED_CHUNK on a data line that is not JSON', async () => {
    fake.script({ malformedChunk: true });
    const { events, error } = await collect(call());
    expect(events).toEqual([]);
    expect(error).toMatchObject({ code: 'MALFORMED_CHUNK' });
  });

  it('fails with UPSTREAM_ERROR on an in-stream error object', async () => {
    fake.script({ streamError: 'overloaded' });
    const { error } = await collect(call());
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', retryable: true, message: 'overloaded' });
  });

  it('routes a <think> prefix split across chunks to reasoning events', async () => {
    fake.script({ thinkPrefix: 'Let me think.' });
    const { events, error } = await collect(call());
    expect(error).toBeNull();
    expect(text(events, 'reasoning')).toBe('Let me think.');
    expect(text(events, 'content')).toBe('Hello');
    expect(events.findIndex((e) => e.type === 'content')).toBeGreaterThan(
      events.findIndex((e) => e.type === 'reasoning'),
    );
  });

  it('stops the request when the signal aborts mid-stream', async () => {
    fake.script({ deltas: Array.from({ length: 20 }, (_, i) => `d${i} `), chunkDelayMs: 100 });
    const controller = new AbortController();
    const started = Date.now();
    const events: LlmStreamEvent[] = [];
    let error: unknown = null;
    try {
      for await (const event of client.stream(call({ signal: controller.signal }))) {
        events.push(event);
        if (events.length === 2) controller.abort();
      }
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ code: 'CANCELLED', retryable: false });
    expect(events.length).toBeLessThan(5);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('stops the request when the signal aborts before the answer starts (and when already aborted)', async () => {
    fake.script({ delayMs: 250 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await expect(client.complete(call({ signal: controller.signal }))).rejects.toMatchObject({ code: 'CANCELLED' });
    const { error } = await collect(call({ signal: AbortSignal.abort() }));
    expect(error?.code).toBe('CANCELLED');
  });

  it('aborts the upstream request when the consumer stops reading', async () => {
    fake.script({ deltas: ['a', 'b', 'c'], chunkDelayMs: 50 });
    for await (const event of client.stream(call())) {
      expect(event).toEqual({ type: 'content', text: 'a' });
      break;
    }
  });

  it('maps a refused connection to NETWORK_ERROR and a private custom URL to INVALID_BASE_URL', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const refused = await collect(call({ key: customKey({ baseUrl: `http://127.0.0.1:${port}/v1` }) }));
    expect(refused.error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
    const blocked = await collect(call({ key: customKey({ baseUrl: 'http://10.0.0.5/v1' }) }));
    expect(blocked.error).toMatchObject({ code: 'INVALID_BASE_URL', retryable: false });
  });

  it('calls a named provider through LLM_BASE_URL_OVERRIDES with its provider headers', async () => {
    const key = customKey({ provider: LlmProvider.OpenRouter, baseUrl: null, extraHeaders: { 'X-Title': 'evil' } });
    const { events } = await collect(call({ key }));
    expect(text(events, 'content')).toBe('Hello');
    expect(fake.requests[0].headers['x-title']).toBe('BotCafe');
    expect(fake.requests[0].headers['http-referer']).toBeDefined();
  });

  it('reads a JSON answer to a stream request, maps a context-length 400 and scrubs the secret from errors', async () => {
    const secret = 'sk-echoed-secret-0123456789';
    let answer: { status: number; body: unknown } = { status: 200, body: {} };
    const server = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () =>
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body)),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const key = customKey({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` });
    try {
      answer = {
        status: 200,
        body: { choices: [{ message: { content: 'Whole answer' }, finish_reason: 'stop' }], usage: null },
      };
      expect((await collect(call({ key, secret }))).events).toEqual([
        { type: 'content', text: 'Whole answer' },
        { type: 'finish', reason: 'stop' },
      ]);
      answer = { status: 400, body: { error: { message: "This model's maximum context length is 8192 tokens" } } };
      expect((await collect(call({ key, secret }))).error).toMatchObject({
        code: 'CONTEXT_LENGTH_EXCEEDED',
        retryable: false,
        status: 400,
      });
      answer = { status: 401, body: { error: { message: `Incorrect API key provided: ${secret}` } } };
      const { error } = await collect(call({ key, secret }));
      expect(error?.code).toBe('INVALID_KEY');
      expect(error?.message).toContain('[redacted]');
      expect(error?.message).not.toContain(secret);
      answer = { status: 200, body: { error: { message: `quota for ${secret}` } } };
      await expect(client.complete(call({ key, secret }))).rejects.toMatchObject({
        code: 'UPSTREAM_ERROR',
        message: 'quota for [redacted]',
      });
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('works with a stored key decrypted through ApiKeySecretService', async () => {
    const owner = await createUser(ctx);
    const { body } = await createApiKey(ctx, owner.token, {
      provider: LlmProvider.Custom,
      base_url: fake.baseUrl,
      secret: FAKE_API_KEY,
      model_preferences: ['fake-model'],
    });
    const events = await ctx.app
      .get(ApiKeySecretService)
      .withSecret(body.id, owner.user.id, ApiKeyUsePurpose.Chat, async (secret, key) => {
        const out: LlmStreamEvent[] = [];
        for await (const event of client.stream(call({ key, secret, userTag: client.userTag(owner.user.id) })))
          out.push(event);
        return out;
      });
    expect(text(events, 'content')).toBe('Hello');
    expect(fake.requests[0].headers.authorization).toBe(`Bearer ${FAKE_API_KEY}`);
    expect((fake.requests[0].body as { user: string }).user).toBe(client.userTag(owner.user.id));
  });
});
