import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../../common/config/env.js';
import { LlmProvider } from '../api-keys.enums.js';
import { parseBaseUrlOverrides, PROVIDERS } from '../providers.js';
import { ConnectTimeoutError, guardedOpen, type SsrfGuardOptions, UnsafeUrlError } from '../ssrf-guard.js';
import { scrubProviderText, upstreamBaseUrl, upstreamHeaders } from '../upstream.js';
import { ChatStreamDecoder, isObject as isRecord, parseUsage, providerMessage } from './chat-stream-decoder.js';
import { errorCodeForStatus, LlmUpstreamError } from './llm-errors.js';
import type { LlmCallRequest, LlmCompletion, LlmStreamEvent } from './llm.types.js';
import { ThinkSplitter } from './think-splitter.js';

export type { LlmCallRequest, LlmChatMessage, LlmCompletion, LlmStreamEvent, LlmUsage } from './llm.types.js';
export { LlmUpstreamError } from './llm-errors.js';

/** Timeouts of one upstream call (api-keys.md §6.4). */
export interface LlmTimeouts {
  /** TCP connection established. */
  connectMs: number;
  /** Request start → first byte of the response (LLM_FIRST_BYTE_TIMEOUT_MS). */
  firstByteMs: number;
  /** Longest silence between two body chunks. */
  idleMs: number;
  /** Whole call, body included. */
  totalMs: number;
}

const ERROR_BODY_MAX = 64 * 1024;
const COMPLETION_BODY_MAX = 4 * 1024 * 1024;

type StopReason = 'cancelled' | 'connect' | 'first_byte' | 'idle' | 'total';

/**
 * OpenAI-compatible chat-completions client (api-keys.md §6.4): every provider, streamed (`stream`) or not
 * (`complete`, used by memory extraction). Custom base URLs go through the SSRF guard on every call (address check,
 * connection pinned to the checked address); registry and operator-overridden URLs skip the address check. Redirects
 * are never followed. Errors are LlmUpstreamError with the §6.4 codes; the secret never appears in them.
 */
@Injectable()
export class LlmClient {
  private readonly logger = new Logger(LlmClient.name);
  private readonly guard: SsrfGuardOptions;
  private readonly overrides: Partial<Record<LlmProvider, string>>;
  private readonly tagSalt: string;
  private readonly publicBaseUrl: string;
  /** Per-call limits; connect, idle and total are fixed by the spec (tests may shorten them on an instance). */
  readonly timeouts: LlmTimeouts;

  constructor(config: ConfigService<Env, true>) {
    this.guard = { allowInsecureLocal: config.get('LLM_ALLOW_INSECURE_LOCAL_PROVIDERS', { infer: true }) };
    this.overrides = parseBaseUrlOverrides(config.get('LLM_BASE_URL_OVERRIDES', { infer: true }));
    const salt = config.get('LLM_USER_TAG_SALT', { infer: true });
    this.tagSalt =
      salt ??
      createHash('sha256')
        .update(`llm-user-tag:${config.get('JWT_SECRET', { infer: true })}`)
        .digest('hex');
    this.publicBaseUrl = config.get('PUBLIC_BASE_URL', { infer: true });
    this.timeouts = {
      connectMs: 10_000,
      firstByteMs: config.get('LLM_FIRST_BYTE_TIMEOUT_MS', { infer: true }),
      idleMs: 60_000,
      totalMs: 600_000,
    };
  }

  /** The `user` field: first 32 hex chars of SHA-256(server salt + user id). */
  userTag(userId: string): string {
    return createHash('sha256').update(this.tagSalt).update(userId).digest('hex').slice(0, 32);
  }

  /**
   * Streams one reply. Yields content/reasoning deltas in order, one `finish`, and `usage` when the provider sends
   * it. Throws LlmUpstreamError: before the first event for HTTP errors, timeouts and connection failures; later
   * for an in-stream error object, a malformed chunk, an idle/total timeout, cancellation, or STREAM_TRUNCATED (EOF
   * without `[DONE]` and without a finish reason). Breaking out of the loop aborts the upstream request.
   */
  async *stream(req: LlmCallRequest): AsyncGenerator<LlmStreamEvent> {
    const call = new CallControl(this.timeouts, req.signal);
    try {
      const res = await this.open(req, true, call);
      if (isJson(res)) {
        // A provider that ignored `stream: true` (or a proxy answering with JSON): read it as one completion.
        const completion = await this.readCompletion(res, req, call);
        if (completion.content) yield { type: 'content', text: completion.content };
        if (completion.finishReason) yield { type: 'finish', reason: completion.finishReason };
        if (completion.usage) yield { type: 'usage', ...completion.usage };
        return;
      }
      const decoder = new ChatStreamDecoder((text) => scrubProviderText(text, req.secret));
      try {
        for await (const chunk of res as AsyncIterable<Buffer>) {
          call.touch();
          yield* decoder.push(chunk);
          if (decoder.error) throw decoder.error;
          if (decoder.done) return;
        }
      } catch (err) {
        if (err instanceof LlmUpstreamError || call.stopped) throw err;
        // The connection broke mid-body: treated as the end of the stream (truncated unless a finish was seen).
      }
      if (call.stopped) throw call.error();
      yield* decoder.end();
      if (decoder.error) throw decoder.error;
      if (decoder.truncated)
        throw new LlmUpstreamError('STREAM_TRUNCATED', 'The provider closed the stream before finishing the reply.');
    } catch (err) {
      throw this.fail(err, req, call);
    } finally {
      call.dispose();
    }
  }

  /** One non-streamed completion (memory extraction). A leading `<think>` block is removed from the content. */
  async complete(req: LlmCallRequest): Promise<LlmCompletion> {
    const call = new CallControl(this.timeouts, req.signal);
    try {
      return await this.readCompletion(await this.open(req, false, call), req, call);
    } catch (err) {
      throw this.fail(err, req, call);
    } finally {
      call.dispose();
    }
  }

  /** Sends the request; resolves with a 2xx response, throws the mapped error for any other status. */
  private async open(req: LlmCallRequest, stream: boolean, call: CallControl): Promise<IncomingMessage> {
    const { key } = req;
    const info = PROVIDERS[key.provider];
    const { url, userSupplied } = upstreamBaseUrl(key, this.overrides);
    const body = {
      model: req.model,
      messages: req.messages.map((m) =>
        m.name && info.supportsNameField
          ? { role: m.role, content: m.content, name: m.name }
          : { role: m.role, content: m.content },
      ),
      ...(stream
        ? { stream: true, ...(info.supportsStreamOptions ? { stream_options: { include_usage: true } } : {}) }
        : {}),
      temperature: req.temperature,
      max_tokens: req.maxTokens,
      user: req.userTag,
    };
    const providerHeaders: Record<string, string> =
      key.provider === LlmProvider.OpenRouter ? { 'http-referer': this.publicBaseUrl, 'x-title': 'BotCafe' } : {};
    const res = await guardedOpen(
      `${url}/chat/completions`,
      {
        method: 'POST',
        headers: {
          ...upstreamHeaders(key, req.secret, stream ? 'text/event-stream' : 'application/json', providerHeaders),
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
        operatorConfigured: !userSupplied,
        connectTimeoutMs: this.timeouts.connectMs,
        signal: call.signal,
      },
      this.guard,
    );
    call.headReceived(res);
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return res;
    const raw = await readBody(res, ERROR_BODY_MAX, call);
    const text = scrubProviderText(errorText(raw), req.secret);
    const retryAfter = Number(res.headers['retry-after']);
    throw new LlmUpstreamError(errorCodeForStatus(status, text), text || `The provider answered HTTP ${status}.`, {
      status,
      ...(Number.isFinite(retryAfter) && retryAfter >= 0 ? { retryAfterSeconds: retryAfter } : {}),
    });
  }

  private async readCompletion(res: IncomingMessage, req: LlmCallRequest, call: CallControl): Promise<LlmCompletion> {
    const raw = await readBody(res, COMPLETION_BODY_MAX, call);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new LlmUpstreamError('MALFORMED_CHUNK', 'The provider sent a malformed completion.');
    }
    if (!isRecord(parsed)) throw new LlmUpstreamError('MALFORMED_CHUNK', 'The provider sent a malformed completion.');
    if (parsed.error !== undefined && parsed.error !== null)
      throw new LlmUpstreamError('UPSTREAM_ERROR', scrubProviderText(providerMessage(parsed.error), req.secret));
    const choice = Array.isArray(parsed.choices) && isRecord(parsed.choices[0]) ? parsed.choices[0] : {};
    const message = isRecord(choice.message) ? choice.message : {};
    const splitter = new ThinkSplitter();
    const parts = typeof message.content === 'string' ? [...splitter.push(message.content), ...splitter.flush()] : [];
    return {
      content: parts
        .filter((p) => p.type === 'content')
        .map((p) => p.text)
        .join(''),
      finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : null,
      usage: parseUsage(parsed.usage),
    };
  }

  /** Maps anything thrown during a call to an LlmUpstreamError and logs it (ids and codes only, never text). */
  private fail(err: unknown, req: LlmCallRequest, call: CallControl): LlmUpstreamError {
    let error: LlmUpstreamError;
    if (err instanceof LlmUpstreamError) error = err;
    else if (call.stopped) error = call.error();
    else if (err instanceof ConnectTimeoutError)
      error = new LlmUpstreamError('TIMEOUT', 'The connection to the provider timed out.');
    else if (err instanceof UnsafeUrlError)
      error =
        err.reason === 'redirect'
          ? new LlmUpstreamError('UPSTREAM_ERROR', err.message)
          : new LlmUpstreamError('INVALID_BASE_URL', err.message);
    else error = new LlmUpstreamError('NETWORK_ERROR', 'The provider could not be reached.');
    const context = { keyId: req.key.id, provider: req.key.provider, code: error.code, status: error.status };
    if (error.code === 'CANCELLED') this.logger.debug('LLM call cancelled', context);
    else this.logger.warn('LLM call failed', context);
    return error;
  }
}

/**
 * Timers and cancellation of one call: one internal AbortController fired by the caller's signal or by a timeout;
 * `stopped` then says why, and `error()` gives the LlmUpstreamError for it.
 */
class CallControl {
  private readonly controller = new AbortController();
  private reason: StopReason | null = null;
  private readonly timers = new Map<'first_byte' | 'idle' | 'total', NodeJS.Timeout>();
  private response: IncomingMessage | null = null;
  private readonly onExternalAbort = () => this.stop('cancelled');

  constructor(
    private readonly timeouts: LlmTimeouts,
    private readonly external?: AbortSignal,
  ) {
    if (external?.aborted) this.stop('cancelled');
    else external?.addEventListener('abort', this.onExternalAbort, { once: true });
    this.arm('first_byte', timeouts.firstByteMs);
    this.arm('total', timeouts.totalMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get stopped(): boolean {
    return this.reason !== null;
  }

  /** The response head arrived: the first-byte limit is met, the idle limit starts. */
  headReceived(res: IncomingMessage): void {
    this.response = res;
    this.clear('first_byte');
    this.arm('idle', this.timeouts.idleMs);
  }

  /** A body chunk arrived. */
  touch(): void {
    this.arm('idle', this.timeouts.idleMs);
  }

  error(): LlmUpstreamError {
    if (this.reason === 'cancelled') return new LlmUpstreamError('CANCELLED', 'The generation was cancelled.');
    const what =
      this.reason === 'first_byte'
        ? 'start answering'
        : this.reason === 'idle'
          ? 'send the next part of its answer'
          : 'finish its answer';
    return new LlmUpstreamError('TIMEOUT', `The provider did not ${what} in time.`);
  }

  dispose(): void {
    for (const name of [...this.timers.keys()]) this.clear(name);
    this.external?.removeEventListener('abort', this.onExternalAbort);
    // Ends the upstream request when the consumer stopped early (no-op after a complete read).
    if (this.response && !this.response.complete) this.response.destroy();
  }

  private stop(reason: StopReason): void {
    if (this.reason) return;
    this.reason = reason;
    this.controller.abort();
    this.response?.destroy();
  }

  private arm(name: 'first_byte' | 'idle' | 'total', ms: number): void {
    this.clear(name);
    const timer = setTimeout(() => this.stop(name), ms);
    timer.unref();
    this.timers.set(name, timer);
  }

  private clear(name: 'first_byte' | 'idle' | 'total'): void {
    const timer = this.timers.get(name);
    if (timer) clearTimeout(timer);
    this.timers.delete(name);
  }
}

async function readBody(res: IncomingMessage, max: number, call: CallControl): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    call.touch();
    if (size < max) chunks.push(chunk.subarray(0, max - size));
    size += chunk.length;
  }
  if (call.stopped) throw call.error();
  return Buffer.concat(chunks).toString('utf8');
}

/** Provider error text: `error.message` of an OpenAI-style body, else the raw body. */
function errorText(raw: string): string {
  try {
    const parsed: unknown = JSON.parse(raw);
    if (isRecord(parsed) && parsed.error !== undefined) return providerMessage(parsed.error);
    if (isRecord(parsed) && typeof parsed.message === 'string') return parsed.message;
  } catch {
    /* not JSON */
  }
  return raw.trim();
}

function isJson(res: IncomingMessage): boolean {
  return /application\/json/i.test(res.headers['content-type'] ?? '');
}
