import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '../src/common/database/data-source-options.js';
import { startEmbeddedPostgres } from '../src/common/database/embedded-postgres.js';

/** Migrates a fresh in-memory PGlite and writes its data folder as a tarball: each e2e file starts from a copy. */
const target = process.argv[2];
if (!target) throw new Error('usage: make-embedded-snapshot <file>');
const pg = await startEmbeddedPostgres('memory://');
const ds = new DataSource(buildDataSourceOptions(pg.url, 1));
await ds.initialize();
await ds.runMigrations({ transaction: 'each' });
await ds.destroy();
const dump = await pg.dump();
writeFileSync(target, Buffer.from(await dump.arrayBuffer()));
await pg.stop();
