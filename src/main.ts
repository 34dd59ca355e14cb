import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { loadEnv } from './common/config/env.js';
import { closeOnSignals } from './common/lifecycle/graceful-shutdown.js';
import { configureApp } from './common/http/configure-app.js';
import { fastifyOptions } from './common/http/fastify-options.js';

async function bootstrap(): Promise<void> {
  const env = loadEnv();
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    new FastifyAdapter(fastifyOptions(env.BODY_LIMIT_BYTES)),
    {
      bufferLogs: true,
    },
  );
  await configureApp(app);
  closeOnSignals(app, 'api');
  await app.listen(env.PORT, env.HOST);
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
