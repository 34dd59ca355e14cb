/**
 * Incremental Server-Sent Events parser (the subset of the WHATWG event-stream format an OpenAI-compatible
 * provider uses). Bytes go in as they arrive; complete events come out. UTF-8 is decoded with a streaming decoder,
 * so a multi-byte character split across two network chunks is decoded once both halves are there.
 *
 * Lines end with LF, CRLF or CR (a CR at the end of a chunk waits for the next one, which may start with its LF).
 * A blank line ends an event; `data:` lines are joined with "\n" (one leading space after the colon is removed);
 * lines starting with `:` are comments; `event:`, `id:`, `retry:` and unknown fields are ignored (`event` is kept
 * on the result for information). An event without data lines is not emitted.
 */
export interface SseEvent {
  event: string | null;
  data: string;
}

export class SseEventTooLargeError extends Error {
  constructor(limit: number) {
    super(`An upstream event exceeded ${limit} characters.`);
    this.name = 'SseEventTooLargeError';
  }
}

export class SseParser {
  private readonly decoder = new TextDecoder('utf-8');
  /** Text received but not yet split into lines. */
  private pending = '';
  private dataLines: string[] = [];
  private dataSize = 0;
  private eventName: string | null = null;

  /** `maxEventChars` caps one event (data lines plus the unfinished line): a never-ending line cannot eat memory. */
  constructor(private readonly maxEventChars = 1024 * 1024) {}

  /** Feeds bytes (or already decoded text); returns the events completed by them. */
  push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.consume(text, false);
  }

  /**
   * End of input: flushes the decoder and the last line. An event not terminated by a blank line is dispatched
   * too (servers often close right after the final `data:` line).
   */
  end(): SseEvent[] {
    const events = this.consume(this.decoder.decode(), true);
    const last = this.dispatch();
    if (last) events.push(last);
    return events;
  }

  private consume(text: string, final: boolean): SseEvent[] {
    this.pending += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (;;) {
      const lf = this.pending.indexOf('\n', start);
      const cr = this.pending.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A CR as the last character may be the first half of a CRLF split across chunks.
        if (cr === this.pending.length - 1 && !final) break;
        end = cr;
        next = this.pending[cr + 1] === '\n' ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else break;
      const event = this.line(this.pending.slice(start, end));
      if (event) events.push(event);
      start = next;
    }
    this.pending = this.pending.slice(start);
    if (final && this.pending) {
      const event = this.line(this.pending);
      if (event) events.push(event);
      this.pending = '';
    }
    if (this.pending.length + this.dataSize > this.maxEventChars) throw new SseEventTooLargeError(this.maxEventChars);
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      this.dataLines.push(value);
      this.dataSize += value.length + 1;
      if (this.dataSize > this.maxEventChars) throw new SseEventTooLargeError(this.maxEventChars);
    } else if (field === 'event') this.eventName = value;
    return null;
  }

  private dispatch(): SseEvent | null {
    const event = this.dataLines.length ? { event: this.eventName, data: this.dataLines.join('\n') } : null;
    this.dataLines = [];
    this.dataSize = 0;
    this.eventName = null;
    return event;
  }
}
