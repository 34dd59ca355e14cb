import 'reflect-metadata';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/common/database/data-source-options.js';

/**
 * Entity/migration drift check (CI): migrates an EMPTY throwaway database with every migration in src/migrations,
 * then asks TypeORM's schema builder what it would still change to match the entities. Any SQL means an entity
 * change without its migration (or a migration the entities do not describe): the SQL is printed and the check fails.
 *
 * Server: MIGRATION_SERVER_URL, else DATABASE_URL's server, else postgres://postgres@127.0.0.1:5432/postgres.
 * The throwaway database is named botcafe_test_migcheck_<random> and dropped afterwards.
 */
// TypeORM's schema builder overlaps queries on one pg client; pg 8 warns about it on every run. Noise here.
process.noDeprecation = true;
// Piped into `head`, a closed stdout must not kill the script before it drops its database.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

const server =
  process.env.MIGRATION_SERVER_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `botcafe_test_migcheck_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
if (!name.includes('test')) throw new Error('the drift check only ever creates databases named *test*');

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(server, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

await admin(`CREATE DATABASE "${name}"`);
let exitCode = 0;
const ds = new DataSource(buildDataSourceOptions(withDatabase(server, name), 2));
try {
  await ds.initialize();
  const applied = await ds.runMigrations({ transaction: 'each' });
  console.log(`applied ${applied.length} migration(s) to an empty database (${name})`);
  const log = await ds.driver.createSchemaBuilder().log();
  const up = log.upQueries.map((q) => q.query.trim());
  if (up.length) {
    exitCode = 1;
    console.error(`\nDRIFT: the entities differ from the migrations; the schema builder would still run:\n`);
    for (const sql of up) console.error(`  ${sql};`);
    if (up.some((sql) => sql.includes('typeorm_metadata'))) {
      console.error(
        '\nHint: typeorm_metadata statements mean a generated column whose expression TypeORM cannot find for THIS ' +
          "database: a generated migration stores the generator's database name there (see " +
          "scripts/new-migration.sh, which rewrites it to current_database()), or the entity's asExpression " +
          'differs from the one the migration recorded.',
      );
    }
    console.error(
      '\nGenerate a migration for the change (scripts/new-migration.sh <Name>), read its SQL and commit it with the entity.',
    );
  } else {
    console.log(`no drift: ${ds.entityMetadatas.length} entities match the migrated schema`);
  }
} catch (err) {
  exitCode = 1;
  console.error('migration check failed:', err instanceof Error ? err.message : err);
} finally {
  if (ds.isInitialized) await ds.destroy();
  await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}
process.exit(exitCode);
