import { LlmUpstreamError } from './llm-errors.js';
import type { LlmStreamEvent } from './llm.types.js';
import { type SseEvent, SseEventTooLargeError, SseParser } from './sse-parser.js';
import { ThinkSplitter } from './think-splitter.js';

/**
 * Turns the bytes of an OpenAI-compatible chat-completions stream into LlmStreamEvents (api-keys.md §6.4). Pure
 * and incremental: feed chunks as they arrive, in any split.
 *
 * Per JSON chunk: `choices[0].delta.reasoning_content` / `.reasoning` → reasoning; `choices[0].delta.content` →
 * content (a leading `<think>` block → reasoning); the first `choices[0].finish_reason` → one `finish` event;
 * top-level `usage` → `usage` (the last one wins for the caller). `data: [DONE]` ends the stream; input after it is
 * ignored.
 *
 * Failures never throw out of `push`: the events decoded before the failure are returned and `error` is set
 * (partial text is kept by the caller), later input is ignored. An `error` object → UPSTREAM_ERROR with the
 * provider's message passed through `scrub`; a data line that is not a JSON object (or an event over the size cap)
 * → MALFORMED_CHUNK. After `end()`, `truncated` says the stream stopped without `[DONE]` and without a finish reason
 * (the caller fails with STREAM_TRUNCATED).
 */
export class ChatStreamDecoder {
  private readonly sse = new SseParser();
  private readonly think = new ThinkSplitter();
  private finishSeen = false;
  /** `[DONE]` was received. */
  done = false;
  error: LlmUpstreamError | null = null;

  constructor(private readonly scrub: (text: string) => string = (text) => text) {}

  push(chunk: Uint8Array | string): LlmStreamEvent[] {
    if (this.done || this.error) return [];
    return this.run(() => this.sse.push(chunk));
  }

  /** End of input: returns what was held back (last line, partial `<think>` tag). */
  end(): LlmStreamEvent[] {
    if (this.done || this.error) return [];
    const out = this.run(() => this.sse.end());
    if (!this.done && !this.error) out.push(...this.think.flush());
    return out;
  }

  /** The input ended without `[DONE]` and without any finish reason. */
  get truncated(): boolean {
    return !this.done && !this.error && !this.finishSeen;
  }

  private run(parse: () => SseEvent[]): LlmStreamEvent[] {
    const out: LlmStreamEvent[] = [];
    let events: SseEvent[];
    try {
      events = parse();
    } catch (err) {
      if (!(err instanceof SseEventTooLargeError)) throw err;
      this.error = new LlmUpstreamError('MALFORMED_CHUNK', 'The provider sent an oversized stream event.');
      return out;
    }
    for (const event of events) {
      this.event(event.data, out);
      if (this.done || this.error) break;
    }
    return out;
  }

  private event(data: string, out: LlmStreamEvent[]): void {
    if (data.trim() === '[DONE]') {
      out.push(...this.think.flush());
      this.done = true;
      return;
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      chunk = undefined;
    }
    if (!isObject(chunk)) {
      this.error = new LlmUpstreamError('MALFORMED_CHUNK', 'The provider sent a malformed stream chunk.');
      return;
    }
    if (chunk.error !== undefined && chunk.error !== null) {
      this.error = new LlmUpstreamError('UPSTREAM_ERROR', this.scrub(providerMessage(chunk.error)));
      return;
    }
    const choice = Array.isArray(chunk.choices) && isObject(chunk.choices[0]) ? chunk.choices[0] : null;
    const delta = choice && isObject(choice.delta) ? choice.delta : null;
    if (delta) {
      const reasoning = str(delta.reasoning_content) ?? str(delta.reasoning);
      if (reasoning) out.push({ type: 'reasoning', text: reasoning });
      const content = str(delta.content);
      if (content) for (const part of this.think.push(content)) out.push(part);
    }
    const finish = choice ? str(choice.finish_reason) : null;
    if (finish && !this.finishSeen) {
      out.push(...this.think.flush());
      this.finishSeen = true;
      out.push({ type: 'finish', reason: finish });
    }
    const usage = parseUsage(chunk.usage);
    if (usage) out.push({ type: 'usage', ...usage });
  }
}

/** OpenAI-style `usage` → token counts; null when absent or not numeric. */
export function parseUsage(raw: unknown): { inputTokens: number; outputTokens: number; totalTokens: number } | null {
  if (!isObject(raw)) return null;
  const input = num(raw.prompt_tokens);
  const output = num(raw.completion_tokens);
  if (input === null || output === null) return null;
  return { inputTokens: input, outputTokens: output, totalTokens: num(raw.total_tokens) ?? input + output };
}

/** The message of an OpenAI-style error (`{error: {message}}`, `{error: "text"}`), unscrubbed. */
export function providerMessage(error: unknown): string {
  if (typeof error === 'string') return error;
  if (isObject(error) && typeof error.message === 'string') return error.message;
  return 'The provider reported an error.';
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : null;
}
