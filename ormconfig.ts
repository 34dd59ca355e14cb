import 'reflect-metadata';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './src/common/database/data-source-options.js';

/**
 * The data source the TypeORM CLI uses (migration:generate / run / revert). It needs a real server:
 * DATABASE_URL, or the local default below. MIGRATION_MODULES=identity,media,bots limits the entities the
 * generator compares (useful while several modules change at once).
 */
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/botcafe_dev';
const modules = process.env.MIGRATION_MODULES;
const root = dirname(fileURLToPath(import.meta.url));
const options = buildDataSourceOptions(url, 2);

export default new DataSource(
  modules
    ? {
        ...options,
        entities: modules.split(',').map((m) => join(root, 'src', 'modules', m.trim(), '**', 'entities', '*.entity.ts')),
      }
    : options,
);
