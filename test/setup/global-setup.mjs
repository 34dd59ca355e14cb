// Plain JavaScript: Jest loads global setup outside its ESM module graph.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';

const TEMPLATE_ENV = 'BOTCAFE_TEST_TEMPLATE_DB';
const SNAPSHOT_ENV = 'BOTCAFE_TEST_SNAPSHOT';

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function adminQuery(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function tsxRun(script, args, env) {
  execFileSync(process.execPath, ['--import', 'tsx', script, ...args], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Migrates once per run. On PostgreSQL (DATABASE_URL set): a template database each test file clones with
 * CREATE DATABASE … TEMPLATE. Embedded: a migrated PGlite data folder each file restores.
 */
export async function setup() {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `botcafe_test_tpl_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    await adminQuery(url, `CREATE DATABASE "${template}"`);
    tsxRun('scripts/migrate.ts', [], { ...process.env, DATABASE_URL: withDatabase(url, template) });
    process.env[TEMPLATE_ENV] = template;
  } else {
    const file = join(mkdtempSync(join(tmpdir(), 'botcafe-test-')), 'snapshot.tar');
    tsxRun('scripts/make-embedded-snapshot.ts', [file], process.env);
    process.env[SNAPSHOT_ENV] = file;
  }
}

export async function teardown() {
  const template = process.env[TEMPLATE_ENV];
  if (template && process.env.DATABASE_URL) {
    await adminQuery(process.env.DATABASE_URL, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
  }
  const snapshot = process.env[SNAPSHOT_ENV];
  if (snapshot) rmSync(dirname(snapshot), { recursive: true, force: true });
}

export default setup;
