import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What a test can script for the next requests (api-keys.md §6.7). Every field is optional. */
export interface FakeScript {
  /** Answer every request with this HTTP status (401, 429, 500 …) and an OpenAI-style error body. */
  status?: number;
  /** Retry-After seconds sent with a 429. */
  retryAfterSeconds?: number;
  /** Milliseconds before the first byte. */
  delayMs?: number;
  /** Milliseconds between stream chunks. */
  chunkDelayMs?: number;
  /** Content deltas of a streamed answer (default "Hel", "lo"). */
  deltas?: string[];
  /** Full text of a non-streamed answer (default: the deltas joined). */
  text?: string;
  /** Prefix the content with a `<think>…</think>` block split across chunks. */
  thinkPrefix?: string;
  /** End the stream after the content, before the finish chunk and `[DONE]`. */
  cutBeforeDone?: boolean;
  /** Emit a malformed (non-JSON) data line before the content. */
  malformedChunk?: boolean;
  /** Emit an `error` object chunk in the stream instead of content. */
  streamError?: string;
  /** Usage reported at the end (default 42 / 7 / 49); null = no usage chunk. */
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
  /** Model ids of GET /v1/models (default ["fake-model"]). */
  models?: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface FakeProvider {
  /** Base URL to store on a custom key: http://127.0.0.1:<port>/v1 */
  baseUrl: string;
  port: number;
  /** The bearer the server accepts. */
  apiKey: string;
  requests: RecordedRequest[];
  /** Replace the script (persists until the next call). */
  script(s: FakeScript): void;
  reset(): void;
  close(): Promise<void>;
}

const DEFAULT_USAGE = { prompt_tokens: 42, completion_tokens: 7, total_tokens: 49 };
export const FAKE_API_KEY = 'test-secret-abcd1234';

const sleep = (ms = 0) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/**
 * A small OpenAI-compatible server on 127.0.0.1 (api-keys.md §6.7): POST /v1/chat/completions (stream and not),
 * GET /v1/models (200 if the bearer matches, else 401); records every request's headers and JSON body.
 */
export async function startFakeProvider(options: { apiKey?: string; port?: number } = {}): Promise<FakeProvider> {
  const apiKey = options.apiKey ?? FAKE_API_KEY;
  let current: FakeScript = {};
  const requests: RecordedRequest[] = [];

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown = raw || null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        /* keep raw */
      }
      const path = (req.url ?? '/').split('?')[0];
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body });
      void handle(req.method ?? 'GET', path, req.headers, body, res).catch(() => res.destroy());
    });
  });

  async function handle(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    body: unknown,
    res: ServerResponse,
  ): Promise<void> {
    const s = current;
    await sleep(s.delayMs);
    const authorized = headers.authorization === `Bearer ${apiKey}`;
    if (s.status && s.status >= 400) return sendError(res, s.status, s.retryAfterSeconds);
    if (method === 'GET' && path === '/v1/models') {
      if (!authorized) return sendError(res, 401);
      return sendJson(res, 200, {
        object: 'list',
        data: (s.models ?? ['fake-model']).map((id) => ({ id, object: 'model' })),
      });
    }
    if (method === 'POST' && path === '/v1/chat/completions') {
      if (!authorized) return sendError(res, 401);
      const model = (body as { model?: string } | null)?.model ?? 'fake-model';
      const deltas = [...(s.deltas ?? ['Hel', 'lo'])];
      if (s.thinkPrefix) deltas.unshift('<thi', `nk>${s.thinkPrefix}</th`, 'ink>');
      const usage = s.usage === undefined ? DEFAULT_USAGE : s.usage;
      if (!(body as { stream?: boolean } | null)?.stream) {
        return sendJson(res, 200, {
          id: 'chatcmpl-fake',
          object: 'chat.completion',
          model,
          choices: [
            { index: 0, message: { role: 'assistant', content: s.text ?? deltas.join('') }, finish_reason: 'stop' },
          ],
          ...(usage ? { usage } : {}),
        });
      }
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        connection: 'keep-alive',
      });
      const write = async (line: string) => {
        res.write(`${line}\n\n`);
        await sleep(s.chunkDelayMs);
      };
      await write(': fake-provider');
      if (s.malformedChunk) await write('data: {"choices":[{"index":0,"delta":{"content":');
      if (s.streamError) {
        await write(`data: ${JSON.stringify({ error: { message: s.streamError, type: 'server_error' } })}`);
        res.end();
        return;
      }
      for (const content of deltas) {
        await write(
          `data: ${JSON.stringify({ id: 'chatcmpl-fake', model, choices: [{ index: 0, delta: { content }, finish_reason: null }] })}`,
        );
      }
      if (s.cutBeforeDone) {
        res.end();
        return;
      }
      await write(
        `data: ${JSON.stringify({ id: 'chatcmpl-fake', model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}`,
      );
      if (usage) await write(`data: ${JSON.stringify({ id: 'chatcmpl-fake', model, choices: [], usage })}`);
      await write('data: [DONE]');
      res.end();
      return;
    }
    sendJson(res, 404, { error: { message: `No route ${method} ${path}`, type: 'invalid_request_error' } });
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    port,
    apiKey,
    requests,
    script: (s) => {
      current = s;
    },
    reset: () => {
      current = {};
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
}

function sendError(res: ServerResponse, status: number, retryAfter?: number): void {
  const type =
    status === 401
      ? 'invalid_api_key'
      : status === 429
        ? 'rate_limit_exceeded'
        : status >= 500
          ? 'server_error'
          : 'invalid_request_error';
  if (status === 429) res.setHeader('retry-after', String(retryAfter ?? 1));
  sendJson(res, status, { error: { message: `fake provider ${status}`, type, code: type } });
}
