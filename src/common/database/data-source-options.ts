import type { DataSourceOptions } from 'typeorm';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { SnakeNamingStrategy } from './snake-naming.strategy.js';

const here = dirname(fileURLToPath(import.meta.url));
const srcRoot = join(here, '..', '..');
// The same globs serve the compiled app (.js) and the TypeScript CLI and tests (.ts).
const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';

export const entityGlobs = [join(srcRoot, 'modules', '**', 'entities', `*.entity.${ext}`)];
export const migrationGlobs = [join(srcRoot, 'migrations', `*.${ext}`)];

export function buildDataSourceOptions(url: string, poolSize: number): DataSourceOptions {
  return {
    type: 'postgres',
    // handed over explicitly instead of letting TypeORM load it: same module instance in every runtime
    driver: pg,
    url,
    poolSize,
    entities: entityGlobs,
    migrations: migrationGlobs,
    migrationsTableName: 'typeorm_migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    // Failed queries surface as exceptions (and 500s are logged by the problem filter); TypeORM's console logger
    // would print SQL with parameters, which may hold private text.
    logging: false,
  };
}
