import { type SseEvent, SseEventTooLargeError, SseParser } from './sse-parser.js';

const enc = new TextEncoder();

function parseAll(chunks: Array<Uint8Array | string>): SseEvent[] {
  const parser = new SseParser();
  const out = chunks.flatMap((c) => parser.push(c));
  return [...out, ...parser.end()];
}

/** Every way of cutting `bytes` into two pieces, plus one byte at a time. */
function splits(bytes: Uint8Array): Uint8Array[][] {
  const ways: Uint8Array[][] = [];
  for (let i = 0; i <= bytes.length; i++) ways.push([bytes.slice(0, i), bytes.slice(i)]);
  ways.push(Array.from(bytes, (b) => Uint8Array.of(b)));
  return ways;
}

describe('SseParser', () => {
  it('splits events on blank lines and joins data lines', () => {
    expect(parseAll(['data: a\ndata: b\n\ndata: c\n\n'])).toEqual([
      { event: null, data: 'a\nb' },
      { event: null, data: 'c' },
    ]);
  });

  it('ignores comments, event/id/retry lines and events without data', () => {
    expect(parseAll([': keep-alive\n\nevent: message\nid: 7\nretry: 10\ndata: x\n\n: ping\n\nevent: empty\n\n'])).toEqual(
      [{ event: 'message', data: 'x' }],
    );
  });

  it('removes exactly one space after the colon and accepts a bare field', () => {
    expect(parseAll(['data:no-space\n\ndata:  two\n\ndata\n\n'])).toEqual([
      { event: null, data: 'no-space' },
      { event: null, data: ' two' },
      { event: null, data: '' },
    ]);
  });

  it('accepts CRLF and CR line endings, also when a CRLF is split across chunks', () => {
    expect(parseAll(['data: a\r\n\r\ndata: b\r\rdata: c\r', '\n\r', '\n'])).toEqual([
      { event: null, data: 'a' },
      { event: null, data: 'b' },
      { event: null, data: 'c' },
    ]);
  });

  it('dispatches a final event that lacks the trailing blank line at end of input', () => {
    expect(parseAll(['data: a\n\ndata: last'])).toEqual([
      { event: null, data: 'a' },
      { event: null, data: 'last' },
    ]);
  });

  it('decodes multi-byte UTF-8 split at every byte boundary', () => {
    const text = 'data: {"c":"héllo wörld 世界 🎉"}\n\ndata: ✓ \u00e9\r\n\r\n: комментарий\n\ndata: [DONE]\n\n';
    const expected = parseAll([text]);
    expect(expected.map((e) => e.data)).toEqual(['{"c":"héllo wörld 世界 🎉"}', '✓ é', '[DONE]']);
    for (const chunks of splits(enc.encode(text))) expect(parseAll(chunks)).toEqual(expected);
  });

  it('replaces invalid UTF-8 instead of throwing', () => {
    expect(parseAll([Uint8Array.of(...enc.encode('data: '), 0xff, 0x0a, 0x0a)])).toEqual([
      { event: null, data: '\ufffd' },
    ]);
  });

  it('caps the size of one event', () => {
    const parser = new SseParser(100);
    expect(() => parser.push(`data: ${'x'.repeat(200)}`)).toThrow(SseEventTooLargeError);
    const lines = new SseParser(100);
    expect(() => {
      for (let i = 0; i < 20; i++) lines.push('data: 0123456789\n');
    }).toThrow(SseEventTooLargeError);
  });
});
