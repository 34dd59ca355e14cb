import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { AuditOrigin } from './api-key-audit.js';

/** Caller IP and user agent (≤ 300 chars) for lifecycle audit events. */
export const Origin = createParamDecorator((_: unknown, ctx: ExecutionContext): AuditOrigin => {
  const req = ctx.switchToHttp().getRequest<FastifyRequest>();
  const ua = req.headers['user-agent'];
  return { ip: req.ip || null, userAgent: typeof ua === 'string' ? ua.slice(0, 300) : null };
});
