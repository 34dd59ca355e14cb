import type { FastifyServerOptions } from 'fastify';
import { correlationIdFor } from './correlation-id.js';

export function fastifyOptions(bodyLimit: number): FastifyServerOptions {
  return {
    bodyLimit,
    genReqId: correlationIdFor,
    trustProxy: 'loopback',
    // Nest + pino log requests; Fastify's own logger stays off.
    logger: false,
  };
}
