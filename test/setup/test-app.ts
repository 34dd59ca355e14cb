import 'reflect-metadata';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { PassThrough } from 'node:stream';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { configureApp } from '../../src/common/http/configure-app.js';
import { fastifyOptions } from '../../src/common/http/fastify-options.js';
import { logSink } from '../../src/common/logging/logging.module.js';
import { JobQueue } from '../../src/common/queue/job-queue.js';
import { assertTestDatabase, randomSuffix, SNAPSHOT_ENV, TEMPLATE_ENV, withDatabase } from './test-env.js';

export interface TestApp {
  app: NestFastifyApplication;
  /** Pass to supertest: request(ctx.http). */
  http: NestFastifyApplication['getHttpServer'] extends () => infer S ? S : never;
  ds: DataSource;
  jobs: JobQueue;
  /** Every log line the app wrote so far (JSON strings). */
  logs(): string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra environment for this file's app (e.g. RATE_LIMIT_ENABLED=true). */
  env?: Record<string, string>;
}

let appsCreated = 0;

const TEST_ENV_DEFAULTS: Record<string, string> = {
  NODE_ENV: 'test',
  APP_ROLE: 'all',
  DATABASE_MIGRATE_ON_START: 'false',
  RATE_LIMIT_ENABLED: 'false',
  LOG_LEVEL: 'info',
};

/**
 * Boots the real AppModule over a fresh, migrated database of its own: a clone of the template on PostgreSQL, or
 * a restored snapshot on the embedded PGlite. Jobs run on BullMQ when REDIS_URL is set (own key prefix), else
 * in-process.
 */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  if (appsCreated++ > 0) {
    // ConfigModule validates the environment once per module graph, and Jest keeps one graph per test file.
    throw new Error('createTestApp: one app per test file; split the file to test another configuration.');
  }
  const cleanups: Array<() => Promise<void>> = [];
  const envBackup = { ...process.env };
  let databaseUrl: string;
  let poolSize = '5';

  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const template = process.env[TEMPLATE_ENV];
    if (!template) throw new Error('The e2e global setup did not prepare a template database.');
    const name = `botcafe_test_${randomSuffix()}`;
    assertTestDatabase(name);
    await adminQuery(serverUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
    cleanups.push(() => adminQuery(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    databaseUrl = withDatabase(serverUrl, name);
  } else {
    const snapshot = process.env[SNAPSHOT_ENV];
    if (!snapshot) throw new Error('The e2e global setup did not prepare an embedded snapshot.');
    const embedded = await startEmbeddedServer(snapshot);
    cleanups.push(embedded.stop);
    databaseUrl = embedded.url;
    poolSize = '1';
  }

  Object.assign(process.env, TEST_ENV_DEFAULTS, {
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: poolSize,
    REDIS_PREFIX: `botcafe-test-${randomSuffix()}`,
    DATA_DIR: `${process.env.TMPDIR ?? '/tmp'}/botcafe-test-${randomSuffix()}`,
    ...options.env,
  });

  const lines: string[] = [];
  const capture = new PassThrough();
  capture.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
  logSink.stream = capture;

  // Imported only now: ConfigModule reads the environment when the module graph is first loaded.
  let app: NestFastifyApplication | undefined;
  try {
    const { AppModule } = await import('../../src/app.module.js');
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication<NestFastifyApplication>(
      new FastifyAdapter(fastifyOptions(Number(process.env.BODY_LIMIT_BYTES ?? 1024 * 1024))),
      { bufferLogs: true },
    );
    await configureApp(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (err) {
    // A failed boot must not leave the database child process or pool behind (Jest would never exit).
    await app?.close().catch(() => undefined);
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    logSink.stream = undefined;
    process.env = envBackup;
    throw err;
  }

  return {
    app,
    http: app.getHttpServer(),
    ds: app.get(DataSource),
    jobs: app.get(JobQueue),
    logs: () => [...lines],
    async close() {
      await app
        .get(JobQueue)
        .drain()
        .catch(() => undefined);
      await app.close();
      for (const cleanup of cleanups.reverse()) await cleanup();
      logSink.stream = undefined;
      process.env = envBackup;
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** PGlite restored from the migrated snapshot, in a child process (its dynamic imports cannot run inside Jest). */
async function startEmbeddedServer(snapshot: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/embedded-pg-server.ts', snapshot], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const [url] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error('The embedded PostgreSQL test server did not start.');
    }),
  ])) as [string];
  return {
    url,
    async stop() {
      const exited = once(child, 'exit');
      child.stdin!.end();
      await exited;
    },
  };
}
