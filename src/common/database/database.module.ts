import { Global, Logger, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { Env } from '../config/env.js';
import { buildDataSourceOptions, migrationGlobs } from './data-source-options.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

const logger = new Logger('Database');
/** Marks "no DATABASE_URL": the factory starts the embedded PostgreSQL in DATA_DIR. */
const EMBEDDED_PREFIX = 'embedded:';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => ({
        ...buildDataSourceOptions(
          config.get('DATABASE_URL') ?? `${EMBEDDED_PREFIX}${config.get('DATA_DIR')}`,
          config.get('DATABASE_POOL_SIZE'),
        ),
        entities: [],
        migrations: config.get('DATABASE_MIGRATE_ON_START') ? migrationGlobs : [],
        autoLoadEntities: true,
        retryAttempts: 3,
        retryDelay: 1000,
        // the data source factory below applies the migrations after connecting
        migrationsRun: false,
      }),
      dataSourceFactory: async (options) => {
        const opts = options as DataSourceOptions & { url: string };
        let stopEmbedded: (() => Promise<void>) | undefined;
        let finalOptions: DataSourceOptions = opts;
        if (opts.url.startsWith(EMBEDDED_PREFIX)) {
          const started = Date.now();
          const dataDir = join(opts.url.slice(EMBEDDED_PREFIX.length), 'pg');
          const embedded = await startEmbeddedPostgres(dataDir);
          stopEmbedded = embedded.stop;
          // PGlite has one session: a larger pool interleaves transactions (see README, "Embedded database").
          finalOptions = { ...opts, url: embedded.url, poolSize: 1 } as DataSourceOptions;
          logger.log({ msg: 'embedded PostgreSQL ready', dataDir, ms: Date.now() - started });
        }
        const dataSource = new DataSource(finalOptions);
        try {
          await dataSource.initialize();
          if (opts.migrations && (opts.migrations as unknown[]).length) {
            const applied = await dataSource.runMigrations({ transaction: 'each' });
            if (applied.length) logger.log({ msg: 'migrations applied', count: applied.length });
          }
        } catch (err) {
          if (dataSource.isInitialized) await dataSource.destroy();
          await stopEmbedded?.();
          throw err;
        }
        if (stopEmbedded) {
          const destroy = dataSource.destroy.bind(dataSource);
          dataSource.destroy = async () => {
            await destroy();
            await stopEmbedded!();
          };
        }
        return dataSource;
      },
    }),
  ],
})
export class DatabaseModule {}
