import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

declare module 'fastify' {
  interface FastifyRequest {
    correlationId: string;
  }
}

const SAFE_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Fastify's request id: the caller's x-correlation-id when it is safe to echo, else a new uuid. */
export function correlationIdFor(req: IncomingMessage): string {
  const header = req.headers['x-correlation-id'];
  const value = Array.isArray(header) ? header[0] : header;
  const id = value && SAFE_ID.test(value) ? value : randomUUID();
  (req as IncomingMessage & { id?: string }).id = id;
  return id;
}
