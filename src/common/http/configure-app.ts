import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import { type INestApplication, RequestMethod } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { Env } from '../config/env.js';
import { ProblemDetailsFilter } from '../errors/problem-details.filter.js';
import { buildOpenApiDocument, mountSwagger } from '../openapi/openapi.js';
import { LARGE_BODY_ROUTES } from './large-body-routes.js';
import { createValidationPipe } from '../validation/validation.pipe.js';

export const API_PREFIX = 'api/v1';
/** Upload cap; the media service applies the per-kind limits below it. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** Routes live under /api/v1; the probes stay at the root. Also used when generating openapi.json. */
export function applyGlobalPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health/live', method: RequestMethod.GET },
      { path: 'health/ready', method: RequestMethod.GET },
    ],
  });
}

/** Everything main.ts and the e2e tests share, so tests exercise the same HTTP stack users get. */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const config = app.get(ConfigService<Env, true>);
  app.useLogger(app.get(Logger));
  applyGlobalPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  const origins = config.get('CORS_ORIGINS');
  app.enableCors({
    origin: origins.length ? origins : false,
    credentials: true,
    exposedHeaders: ['x-correlation-id', 'retry-after', 'x-wellbeing-warning'],
  });
  await app.register(helmet as never, {
    // Swagger UI needs inline scripts and styles; the API itself serves JSON only.
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  await app.register(multipart as never, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, fieldSize: 4096 },
  });
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    const limit = LARGE_BODY_ROUTES[route.url];
    if (limit) route.bodyLimit = limit;
  });
  fastify.addHook('onSend', async (request, reply) => {
    reply.header('x-correlation-id', request.id);
  });
  fastify.decorateRequest('correlationId', {
    getter(this: { id: string }) {
      return this.id;
    },
  });
  mountSwagger(app, buildOpenApiDocument(app));
}
