import { performance } from 'node:perf_hooks';
import { type SseEvent, SseParser } from '../../src/modules/api-keys/llm/sse-parser.js';
import { type FakeProvider, startFakeProvider } from '../../test/fake-provider/fake-provider.js';
import type { Measurement, RunContext, Scenario } from '../lib/scenario.js';

/** The fake provider's bearer: an `openai`-format secret, so the key passes the provider's format check. */
const SECRET = 'sk-bench-fake-provider-000000000001';
/** Parallel conversations (one seeded user each); 1 = pure latency, no queueing behind other streams. */
const WORKERS = Math.max(1, Number(process.env.BENCH_STREAM_CONNECTIONS ?? 1));
/** Turns per conversation before a fresh one is started, so the prompt's history stays about the same size. */
const TURNS_PER_CONVERSATION = 20;

let fake: FakeProvider | undefined;

interface StreamTiming {
  /** Request start → response head. */
  headMs: number;
  /** Request start → first body bytes (the first SSE event). */
  firstChunkMs: number;
  /** Request start → first event that carries content (`delta` from the app, a content chunk from the provider). */
  firstContentMs: number;
  /** Request start → end of the stream. */
  totalMs: number;
  /** The stream ended with the app's `done` event (or the provider's [DONE]). */
  ok: boolean;
  /** Why not: the HTTP status or the data of an `error` event. */
  failure?: string;
}

/** Opens an SSE response and times its head, first bytes, first content event and end. */
async function timeStream(
  url: string,
  init: RequestInit,
  isContent: (e: SseEvent) => boolean,
  isDone: (e: SseEvent) => boolean,
): Promise<StreamTiming> {
  const started = performance.now();
  const res = await fetch(url, init);
  const headMs = performance.now() - started;
  if (!res.ok || !res.body) {
    const failure = `HTTP ${res.status} ${(await res.text()).slice(0, 200)}`;
    return { headMs, firstChunkMs: NaN, firstContentMs: NaN, totalMs: performance.now() - started, ok: false, failure };
  }
  const parser = new SseParser();
  let firstChunkMs = NaN;
  let firstContentMs = NaN;
  let ok = false;
  let failure: string | undefined;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    const now = performance.now() - started;
    if (Number.isNaN(firstChunkMs)) firstChunkMs = now;
    for (const event of parser.push(chunk)) {
      if (Number.isNaN(firstContentMs) && isContent(event)) firstContentMs = now;
      if (isDone(event)) ok = true;
      if (event.event === 'error') failure ??= event.data.slice(0, 200);
    }
  }
  for (const event of parser.end()) if (isDone(event)) ok = true;
  return {
    headMs,
    firstChunkMs,
    firstContentMs,
    totalMs: performance.now() - started,
    ok: ok && !Number.isNaN(firstContentMs),
    failure,
  };
}

function percentile(values: number[], p: number): number {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const round = (v: number) => Math.round(v * 100) / 100;

async function api<T>(ctx: RunContext, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${ctx.baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : null) as T;
}

interface Worker {
  token: string;
  keyId: string;
  botId: string;
  conversationId: string;
  turns: number;
}

async function setUpWorker(ctx: RunContext, index: number): Promise<Worker> {
  const user = ctx.users[index % ctx.users.length]!;
  const token = await ctx.login(user);
  const key = await api<{ id: string }>(ctx, token, 'POST', '/api-keys', {
    nickname: `bench key ${index}`,
    provider: 'openai',
    secret: SECRET,
  });
  const bot = await api<{ id: string }>(ctx, token, 'POST', '/bots', {
    name: `Bench Companion ${index}`,
    description: 'A friendly companion used by the generation benchmark.',
    system_prompt: 'You are a friendly companion. Answer briefly and stay in character.',
    visibility: 'private',
  });
  const worker: Worker = { token, keyId: key.id, botId: bot.id, conversationId: '', turns: 0 };
  await newConversation(ctx, worker);
  return worker;
}

async function newConversation(ctx: RunContext, w: Worker): Promise<void> {
  const conv = await api<{ id: string }>(ctx, w.token, 'POST', '/conversations', { bot_ids: [w.botId] });
  w.conversationId = conv.id;
  w.turns = 0;
}

/** One turn: send a message (not timed), then open its reply stream (timed). */
async function turn(ctx: RunContext, w: Worker, n: number): Promise<StreamTiming> {
  if (w.turns >= TURNS_PER_CONVERSATION) await newConversation(ctx, w);
  w.turns += 1;
  const sent = await api<{ replies: Array<{ stream_path: string }> }>(
    ctx,
    w.token,
    'POST',
    `/conversations/${w.conversationId}/messages`,
    { content: `Tell me something nice, please (${n}).`, api_key_id: w.keyId },
  );
  const path = sent.replies[0]?.stream_path;
  if (!path) throw new Error('the send returned no reply placeholder');
  return timeStream(
    `${ctx.baseUrl}/api/v1${path}`,
    { headers: { authorization: `Bearer ${w.token}`, accept: 'text/event-stream' } },
    (e) => e.event === 'delta',
    (e) => e.event === 'done',
  );
}

/** The same streamed completion straight from the fake provider: its own time to first chunk. */
function direct(): Promise<StreamTiming> {
  return timeStream(
    `${fake!.baseUrl}/chat/completions`,
    {
      method: 'POST',
      headers: {
        authorization: `Bearer ${SECRET}`,
        'content-type': 'application/json',
        accept: 'text/event-stream',
      },
      body: JSON.stringify({
        model: 'gpt-4.1-mini',
        messages: [
          { role: 'system', content: 'You are a friendly companion.' },
          { role: 'user', content: 'Tell me something nice, please.' },
        ],
        stream: true,
        stream_options: { include_usage: true },
      }),
    },
    (e) => e.data.includes('"content"'),
    (e) => e.data.trim() === '[DONE]',
  );
}

/**
 * Generation overhead: time to the first SSE chunk and the first `delta` of GET /messages/:id/stream against the
 * fake provider with zero delay, minus the provider's own time to its first content chunk (measured directly,
 * interleaved with the app's turns). What remains is the app: pre-stream checks, claim, key decryption, prompt
 * assembly, the upstream request and re-streaming. Each turn first sends a message (untimed) to get a queued reply.
 */
export default {
  name: 'generation.overhead',
  description: `send + GET /api/v1/messages/{id}/stream against a zero-delay fake provider, ${WORKERS} conversation(s) at a time`,
  requires: [
    { method: 'post', path: '/api/v1/auth/login' },
    { method: 'post', path: '/api/v1/api-keys' },
    { method: 'post', path: '/api/v1/bots' },
    { method: 'post', path: '/api/v1/conversations' },
    { method: 'post', path: '/api/v1/conversations/{id}/messages' },
    { method: 'get', path: '/api/v1/messages/{id}/stream' },
  ],
  async prepare() {
    fake = await startFakeProvider({ apiKey: SECRET });
    // The app runs in production mode, where only operator-configured provider URLs may be plain-http loopback.
    return { env: { LLM_BASE_URL_OVERRIDES: JSON.stringify({ openai: fake.baseUrl }) }, stop: () => fake!.close() };
  },
  async measure(ctx, budget): Promise<Measurement> {
    const workers: Worker[] = [];
    for (let i = 0; i < WORKERS; i++) workers.push(await setUpWorker(ctx, i));
    const app: StreamTiming[] = [];
    const provider: StreamTiming[] = [];
    let errors = 0;
    let firstError = '';
    let n = 0;
    const loop = async (seconds: number, record: boolean) => {
      const until = performance.now() + seconds * 1000;
      await Promise.all(
        workers.map(async (w) => {
          while (performance.now() < until) {
            try {
              const p = await direct();
              const a = await turn(ctx, w, n++);
              if (!record) continue;
              provider.push(p);
              if (a.ok) app.push(a);
              else {
                errors += 1;
                firstError ||= a.failure ?? 'stream ended without done';
              }
            } catch (err) {
              if (!record) throw err; // a broken set-up shows in the warm-up
              errors += 1;
              firstError ||= err instanceof Error ? err.message : String(err);
            }
          }
        }),
      );
    };
    if (budget.warmupSec > 0) await loop(budget.warmupSec, false);
    const started = performance.now();
    await loop(budget.durationSec, true);
    const elapsedSec = (performance.now() - started) / 1000;
    if (!app.length) throw new Error(`generation.overhead: no stream completed (${firstError || 'no error text'})`);

    type Field = 'firstChunkMs' | 'firstContentMs' | 'totalMs';
    const pct = (xs: StreamTiming[], field: Field, p: number) =>
      percentile(
        xs.map((x) => x[field]),
        p,
      );
    const metrics: Record<string, number> = {};
    for (const p of [50, 90, 99]) {
      metrics[`app_first_chunk_p${p}`] = round(pct(app, 'firstChunkMs', p));
      metrics[`app_first_delta_p${p}`] = round(pct(app, 'firstContentMs', p));
      metrics[`app_total_p${p}`] = round(pct(app, 'totalMs', p));
      metrics[`provider_first_chunk_p${p}`] = round(pct(provider, 'firstContentMs', p));
      metrics[`overhead_first_delta_p${p}`] = round(pct(app, 'firstContentMs', p) - pct(provider, 'firstContentMs', p));
      metrics[`overhead_first_chunk_p${p}`] = round(pct(app, 'firstChunkMs', p) - pct(provider, 'firstContentMs', p));
    }
    return {
      requests: app.length,
      errors,
      elapsedSec,
      p50: metrics.overhead_first_delta_p50!,
      p99: metrics.overhead_first_delta_p99!,
      metrics,
      summary:
        `${app.length} streams; p50/p99 columns = overhead to the first delta. ` +
        `first SSE chunk p50 ${metrics.app_first_chunk_p50} ms (p99 ${metrics.app_first_chunk_p99}), ` +
        `first delta p50 ${metrics.app_first_delta_p50} ms (p99 ${metrics.app_first_delta_p99}), ` +
        `stream end p50 ${metrics.app_total_p50} ms; provider alone: first chunk p50 ` +
        `${metrics.provider_first_chunk_p50} ms (p99 ${metrics.provider_first_chunk_p99}); overhead ` +
        `(app − provider) first chunk p50 ${metrics.overhead_first_chunk_p50} ms, first delta p50 ` +
        `${metrics.overhead_first_delta_p50} ms / p99 ${metrics.overhead_first_delta_p99} ms` +
        (errors ? `; ${errors} failed turns (first: ${firstError || 'stream without done'})` : ''),
    };
  },
} satisfies Scenario;
