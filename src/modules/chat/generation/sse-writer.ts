import type { ServerResponse } from 'node:http';

/** Response headers of a generation stream (api-keys.md §6.2). */
export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

export const SSE_PING_MS = 15_000;

/**
 * Writes the SSE contract of api-keys.md §6.5 to a raw response: `event:`, an increasing integer `id:` and one JSON
 * `data:` line per event, and a `: ping` comment every 15 s. Writing after the client went away is a no-op: the
 * generation behind it keeps running and persists its result.
 */
export class SseWriter {
  private nextId = 1;
  private closed = false;
  private readonly ping: NodeJS.Timeout;

  constructor(
    private readonly res: ServerResponse,
    pingMs = SSE_PING_MS,
  ) {
    res.on('close', () => this.stop());
    this.ping = setInterval(() => this.raw(': ping\n\n'), pingMs);
    this.ping.unref();
  }

  /** False once the client disconnected or the stream was ended. */
  get open(): boolean {
    return !this.closed && !this.res.destroyed && this.res.writable;
  }

  send(event: string, data: unknown): void {
    this.raw(`event: ${event}\nid: ${this.nextId++}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    if (this.open) this.res.end();
    this.stop();
  }

  private raw(text: string): void {
    if (!this.open) return;
    try {
      this.res.write(text);
    } catch {
      this.stop();
    }
  }

  private stop(): void {
    this.closed = true;
    clearInterval(this.ping);
  }
}
