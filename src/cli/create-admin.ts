import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { NestFactory } from '@nestjs/core';
import { loadEnv } from '../common/config/env.js';

/**
 * `npm run admin:create -- --email x --password y`: creates an admin account, or promotes the existing account
 * with that email (its password is left unchanged). Boots an application context (no HTTP server, no workers).
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, password: { type: 'string' } },
    strict: true,
  });
  if (!values.email) throw new Error('usage: npm run admin:create -- --email <address> [--password <password>]');
  // Only the API role: BullMQ workers must not start in a one-off command.
  process.env.APP_ROLE = 'api';
  // The admin bootstrap must not create a different account from ADMIN_EMAIL while this command runs.
  delete process.env.ADMIN_EMAIL;
  delete process.env.ADMIN_PASSWORD;
  process.env.LOG_LEVEL ??= 'warn';
  loadEnv();
  const { AppModule } = await import('../app.module.js');
  const { AdminAccountService } = await import('../modules/identity/admin-account.service.js');
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    const result = await app.get(AdminAccountService).createOrPromote(values.email, values.password);
    console.log(JSON.stringify({ user_id: result.userId, outcome: result.outcome }));
  } finally {
    await app.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
