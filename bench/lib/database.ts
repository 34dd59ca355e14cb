import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../../src/common/database/data-source-options.js';
import { startEmbeddedPostgres } from '../../src/common/database/embedded-postgres.js';
import type { Queryable } from './scenario.js';

/** BENCH_PG_DATABASE: another name, so two runs on one server do not drop each other's database. */
export const BENCH_DATABASE = process.env.BENCH_PG_DATABASE ?? 'botcafe_bench';
if (!/^[a-z][a-z0-9_]{0,62}$/.test(BENCH_DATABASE) || !BENCH_DATABASE.includes('bench')) {
  throw new Error('BENCH_PG_DATABASE must be a lower-case identifier containing "bench"');
}

export interface BenchDatabase {
  mode: 'postgres' | 'embedded';
  /** Where the data lives, for the report. */
  where: string;
  /** Open while seeding; closed by closeSeeding(). */
  db: Queryable;
  /** The URL the floor server may use (postgres mode only: the embedded database belongs to the app process). */
  floorUrl?: string;
  /** Environment for the app process. */
  appEnv: Record<string, string>;
  closeSeeding(): Promise<void>;
  dispose(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** PGlite's socket server takes one connection at a time and frees the slot a moment after the previous close. */
async function connectWhenFree(url: string): Promise<pg.Client> {
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return client;
    } catch (err) {
      await client.end().catch(() => undefined);
      if (attempt >= 50) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function migrate(url: string, poolSize: number): Promise<number> {
  const ds = new DataSource(buildDataSourceOptions(url, poolSize));
  await ds.initialize();
  try {
    return (await ds.runMigrations({ transaction: 'each' })).length;
  } finally {
    await ds.destroy();
  }
}

/**
 * BENCH_DB=postgres | embedded | auto (default). auto uses the local PostgreSQL when it answers (BENCH_PG_URL, default
 * postgres://postgres@127.0.0.1:5432/postgres): the database botcafe_bench is dropped, created and migrated on every
 * run, so every run starts from the same rows. Otherwise the embedded PGlite: migrated and seeded in a temporary
 * DATA_DIR by this process, which then lets go of it (lock file) so the app opens it exactly as `npm start` would.
 */
export async function openBenchDatabase(): Promise<BenchDatabase> {
  const wanted = process.env.BENCH_DB ?? 'auto';
  const server = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const usePostgres = wanted === 'postgres' || (wanted === 'auto' && (await reachable(server)));
  if (wanted === 'postgres' && !(await reachable(server))) throw new Error(`PostgreSQL at ${server} does not answer`);

  if (usePostgres) {
    const admin = new pg.Client({ connectionString: server });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${BENCH_DATABASE}`);
    await admin.end();
    const url = withDatabase(server, BENCH_DATABASE);
    await migrate(url, 2);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    return {
      mode: 'postgres',
      where: url.replace(/\/\/[^@]*@/, '//'),
      db: client,
      floorUrl: url,
      appEnv: {
        DATABASE_URL: url,
        DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE ?? '10',
        DATABASE_MIGRATE_ON_START: 'false',
      },
      closeSeeding: () => client.end(),
      // the database stays for inspection; the next run recreates it
      dispose: async () => undefined,
    };
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'botcafe-bench-'));
  const embedded = await startEmbeddedPostgres(join(dataDir, 'pg'));
  await migrate(embedded.url, 1);
  const client = await connectWhenFree(embedded.url);
  return {
    mode: 'embedded',
    where: `PGlite in ${dataDir}`,
    db: client,
    appEnv: { DATA_DIR: dataDir, DATABASE_MIGRATE_ON_START: 'true' },
    async closeSeeding() {
      await client.end();
      await embedded.stop();
    },
    dispose: async () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
