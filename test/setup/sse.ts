import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestApp } from './test-app.js';

/** One server-sent event as the client sees it. */
export interface SseEvent {
  event: string;
  id: number | null;
  data: any;
}

export interface SseResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  events: SseEvent[];
  /** Comment lines (`: ping`). */
  comments: string[];
  /** The raw body (a problem+json document when the status is not 200). */
  text: string;
  /** Parsed JSON body of a non-SSE answer. */
  body: any;
}

/** Parses an SSE body: blank-line separated blocks of `event:`, `id:`, `data:` lines and `:` comments. */
export function parseSse(text: string): { events: SseEvent[]; comments: string[] } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  for (const block of text.split(/\r?\n\r?\n/)) {
    if (!block.trim()) continue;
    let event = 'message';
    let id: number | null = null;
    const data: string[] = [];
    let sawField = false;
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) {
        comments.push(line.slice(1).trim());
        continue;
      }
      sawField = true;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'id') id = Number(value);
      else if (field === 'data') data.push(value);
    }
    if (!sawField) continue;
    const raw = data.join('\n');
    let parsed: unknown = raw;
    try {
      parsed = JSON.parse(raw);
    } catch {
      /* keep the text */
    }
    events.push({ event, id, data: parsed });
  }
  return { events, comments };
}

async function baseUrl(ctx: TestApp): Promise<string> {
  const server = ctx.http as unknown as import('node:http').Server;
  if (!server.address()) await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

/**
 * GET /api/v1{path} with a bearer and reads the answer as it arrives. `until` is called after each event; when it
 * returns true the client disconnects (the server must keep generating). Resolves when the stream ends or the
 * client left.
 */
export async function readStream(
  ctx: TestApp,
  token: string | null,
  path: string,
  options: { until?: (event: SseEvent, all: SseEvent[]) => boolean | void; onEvent?: (event: SseEvent) => void } = {},
): Promise<SseResult> {
  const url = `${await baseUrl(ctx)}/api/v1${path}`;
  return new Promise<SseResult>((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: 'GET', headers: token ? { authorization: `Bearer ${token}` } : {} },
      (res) => {
        let text = '';
        let seen = 0;
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          const { events, comments } = parseSse(text);
          let body: unknown = null;
          if (res.statusCode !== 200) {
            try {
              body = JSON.parse(text);
            } catch {
              body = text;
            }
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, events, comments, text, body });
        };
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (res.statusCode !== 200) return;
          const { events } = parseSse(text.slice(0, text.lastIndexOf('\n\n') + 2));
          for (; seen < events.length; seen++) {
            options.onEvent?.(events[seen]);
            if (options.until?.(events[seen], events)) {
              text = text.slice(0, text.lastIndexOf('\n\n') + 2);
              req.destroy();
              finish();
              return;
            }
          }
        });
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', () => finish());
      },
    );
    req.on('error', (err) => reject(err));
    req.end();
  });
}
