import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from './src/common/database/data-source-options.js';

/**
 * The data source the TypeORM CLI uses (migration:generate / run / revert). It needs a real server:
 * DATABASE_URL, or the local default below.
 */
const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/botcafe_dev';

export default new DataSource(buildDataSourceOptions(url, 2));
