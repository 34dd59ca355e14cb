import { ChatStreamDecoder } from './chat-stream-decoder.js';
import type { LlmStreamEvent } from './llm.types.js';

const enc = new TextEncoder();
const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'c1', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const USAGE = `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 } })}\n\n`;
const DONE = 'data: [DONE]\n\n';

interface Outcome {
  events: LlmStreamEvent[];
  error: string | null;
  truncated: boolean;
}

/** Runs a whole stream through a decoder and merges adjacent content/reasoning events. */
function decode(pieces: Array<Uint8Array | string>, scrub?: (t: string) => string): Outcome {
  const decoder = new ChatStreamDecoder(scrub);
  const raw = [...pieces.flatMap((p) => decoder.push(p)), ...decoder.end()];
  const events: LlmStreamEvent[] = [];
  for (const e of raw) {
    const last = events[events.length - 1];
    if (last && (e.type === 'content' || e.type === 'reasoning') && last.type === e.type) last.text += e.text;
    else events.push({ ...e });
  }
  return { events, error: decoder.error?.code ?? null, truncated: decoder.truncated };
}

function byteSplits(text: string): Uint8Array[][] {
  const bytes = enc.encode(text);
  const ways: Uint8Array[][] = [Array.from(bytes, (b) => Uint8Array.of(b))];
  for (let i = 0; i <= bytes.length; i++) ways.push([bytes.slice(0, i), bytes.slice(i)]);
  return ways;
}

describe('ChatStreamDecoder', () => {
  const standard = `: OPENROUTER PROCESSING\n\n${chunk({ role: 'assistant', content: 'Hel' })}${chunk({ content: 'lo' })}${chunk({}, 'stop')}${USAGE}${DONE}`;

  it('decodes the standard stream: content, finish, usage, [DONE]', () => {
    expect(decode([standard])).toEqual({
      events: [
        { type: 'content', text: 'Hello' },
        { type: 'finish', reason: 'stop' },
        { type: 'usage', inputTokens: 42, outputTokens: 7, totalTokens: 49 },
      ],
      error: null,
      truncated: false,
    });
  });

  it('gives the same result for every byte split, multi-byte characters and think tags included', () => {
    const text =
      `event: message\n${chunk({ content: '<thi' })}${chunk({ content: 'nk>Überlegung 🤔</th' })}` +
      `${chunk({ content: 'ink>\n' })}${chunk({ content: 'Grüße, 世界 🎉' })}: comment\n\n` +
      `${chunk({}, 'stop')}${USAGE}${DONE}`;
    const expected = {
      events: [
        { type: 'reasoning', text: 'Überlegung 🤔' },
        { type: 'content', text: 'Grüße, 世界 🎉' },
        { type: 'finish', reason: 'stop' },
        { type: 'usage', inputTokens: 42, outputTokens: 7, totalTokens: 49 },
      ],
      error: null,
      truncated: false,
    };
    expect(decode([text])).toEqual(expected);
    for (const pieces of byteSplits(text)) expect(decode(pieces)).toEqual(expected);
  });

  it('reads reasoning_content and reasoning deltas', () => {
    const out = decode([
      chunk({ reasoning_content: 'a' }),
      chunk({ reasoning: 'b' }),
      chunk({ content: 'c' }, 'length'),
      DONE,
    ]);
    expect(out.events).toEqual([
      { type: 'reasoning', text: 'ab' },
      { type: 'content', text: 'c' },
      { type: 'finish', reason: 'length' },
    ]);
  });

  it('reports one finish only, and computes a missing total', () => {
    const usage = `data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 4 } })}\n\n`;
    expect(decode([chunk({ content: 'x' }, 'stop'), usage, DONE]).events).toEqual([
      { type: 'content', text: 'x' },
      { type: 'finish', reason: 'stop' },
      { type: 'usage', inputTokens: 3, outputTokens: 4, totalTokens: 7 },
    ]);
  });

  it('ignores input after [DONE]', () => {
    expect(decode([chunk({ content: 'a' }), DONE, chunk({ content: 'b' }), 'data: {oops\n\n']).events).toEqual([
      { type: 'content', text: 'a' },
    ]);
  });

  it('accepts EOF without [DONE] when a finish reason was seen', () => {
    expect(decode([chunk({ content: 'a' }), chunk({}, 'stop')])).toEqual({
      events: [
        { type: 'content', text: 'a' },
        { type: 'finish', reason: 'stop' },
      ],
      error: null,
      truncated: false,
    });
  });

  it('flags EOF without [DONE] and without a finish as truncated, keeping the partial text', () => {
    expect(decode([chunk({ content: 'Hel' }), chunk({ content: 'lo' })])).toEqual({
      events: [{ type: 'content', text: 'Hello' }],
      error: null,
      truncated: true,
    });
    expect(decode([]).truncated).toBe(true);
  });

  it('releases a held-back partial tag at a truncated end', () => {
    expect(decode([chunk({ content: '<th' })])).toMatchObject({
      events: [{ type: 'content', text: '<th' }],
      truncated: true,
    });
  });

  it('turns a malformed data line into MALFORMED_CHUNK without throwing, keeping earlier events', () => {
    for (const bad of ['data: {"choices":[{"index":0,"delta":{"content":\n\n', 'data: 42\n\n', 'data: [1]\n\n']) {
      expect(decode([chunk({ content: 'ok' }) + bad + chunk({ content: 'later' }), DONE])).toEqual({
        events: [{ type: 'content', text: 'ok' }],
        error: 'MALFORMED_CHUNK',
        truncated: false,
      });
    }
  });

  it('turns an error object into UPSTREAM_ERROR with a scrubbed message', () => {
    const decoder = new ChatStreamDecoder((t) => t.replace('sk-secret', '[redacted]'));
    const events = decoder.push(
      `${chunk({ content: 'a' })}data: ${JSON.stringify({ error: { message: 'bad key sk-secret', code: 500 } })}\n\n`,
    );
    expect(events).toEqual([{ type: 'content', text: 'a' }]);
    expect(decoder.error).toMatchObject({ code: 'UPSTREAM_ERROR', retryable: true, message: 'bad key [redacted]' });
    expect(decoder.push(chunk({ content: 'b' }))).toEqual([]);
    expect(decoder.end()).toEqual([]);
    expect(decode([`data: {"error":"plain text"}\n\n`]).error).toBe('UPSTREAM_ERROR');
  });

  it('skips chunks without choices or delta and non-numeric usage', () => {
    expect(
      decode([
        'data: {"choices":[]}\n\n',
        'data: {"choices":[{"index":0}]}\n\n',
        'data: {"choices":[{"index":0,"delta":{"content":null}}],"usage":null}\n\n',
        'data: {"usage":{"prompt_tokens":"x","completion_tokens":1}}\n\n',
        DONE,
      ]),
    ).toEqual({ events: [], error: null, truncated: false });
  });

  it('fails an oversized event with MALFORMED_CHUNK', () => {
    const decoder = new ChatStreamDecoder();
    decoder.push(`data: "${'x'.repeat(1024 * 1024 + 10)}`);
    expect(decoder.error?.code).toBe('MALFORMED_CHUNK');
  });
});
