// Builds the OpenAPI document from the COMPILED app (dist/) and writes it to the file named by argv[2].
// Plain JavaScript run by plain `node` on purpose: under tsx, CommonJS packages that require() NestJS
// (@nestjs/throttler) get a second copy of @nestjs/core, and dependency injection then fails to match Reflector.
// NestFactory's preview mode builds the module graph and the routes without instantiating any provider, so no
// database or Redis is needed. Used by scripts/write-openapi.ts.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

const out = process.argv[2];
if (!out) throw new Error('usage: node scripts/openapi-document.mjs <output file>');
const dist = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'dist', 'src');
const load = (file) => import(pathToFileURL(join(dist, file)).href);

const { AppModule } = await load('app.module.js');
const { applyGlobalPrefix } = await load('common/http/configure-app.js');
const { buildOpenApiDocument } = await load('common/openapi/openapi.js');

const app = await NestFactory.create(AppModule, new FastifyAdapter({ logger: false }), {
  preview: true,
  abortOnError: false,
  logger: false,
});
// The same prefix rules configureApp applies; CI's smoke test also compares the result with the document a really
// booted app serves at /docs/openapi.json.
applyGlobalPrefix(app);
writeFileSync(out, `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`);
process.exit(0);
