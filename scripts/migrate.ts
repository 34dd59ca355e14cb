import 'reflect-metadata';
import dataSource from '../ormconfig.js';

/** Applies pending migrations to DATABASE_URL (used by the test setup and CI). */
await dataSource.initialize();
const applied = await dataSource.runMigrations({ transaction: 'each' });
console.log(`migrations applied: ${applied.length}`);
await dataSource.destroy();
