import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoLogger } from 'nestjs-pino';
import { loadEnv } from './common/config/env.js';
import { closeOnSignals } from './common/lifecycle/graceful-shutdown.js';

/** The BullMQ worker role: no HTTP server, only the queue processors. Needs REDIS_URL. */
async function bootstrap(): Promise<void> {
  process.env.APP_ROLE = 'worker';
  // The API process applies migrations; two processes migrating at once would race.
  process.env.DATABASE_MIGRATE_ON_START ??= 'false';
  const env = loadEnv();
  if (!env.REDIS_URL) {
    throw new Error(
      'start:worker runs BullMQ workers and needs REDIS_URL; without it `npm start` runs jobs in-process.',
    );
  }
  const { WorkerModule } = await import('./worker.module.js');
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(PinoLogger));
  closeOnSignals(app, 'worker');
  await app.init();
  new Logger('Worker').log({ msg: 'worker started' });
}

bootstrap().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
