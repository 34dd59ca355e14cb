import 'reflect-metadata';
import { loadEnv } from '../common/config/env.js';

/**
 * `npm run api-keys:reencrypt` (after `npm run build`; or `node --import tsx src/cli/reencrypt-api-keys.ts`):
 * master-key rotation for stored provider keys (api-keys.md §2.1). Set the new key as KEY_ENCRYPTION_MASTER_KEY /
 * KEY_ENCRYPTION_KEY_ID, move the old one into KEY_ENCRYPTION_PREVIOUS_KEYS (`kid:base64`), then run this: every row
 * not under the active kid is re-encrypted (one row per transaction, audited). Prints the per-kid counts; exits 1 if
 * any row could not be decrypted. Idempotent.
 */
async function main(): Promise<void> {
  process.env.APP_ROLE = 'api';
  delete process.env.ADMIN_EMAIL;
  delete process.env.ADMIN_PASSWORD;
  process.env.LOG_LEVEL ??= 'warn';
  loadEnv();
  const { NestFactory } = await import('@nestjs/core');
  const { AppModule } = await import('../app.module.js');
  const { ApiKeyReEncryptService } = await import('../modules/api-keys/api-key-reencrypt.service.js');
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error', 'warn'] });
  try {
    const service = app.get(ApiKeyReEncryptService);
    const result = await service.run(`cli-${Date.now()}`);
    const status = await service.status();
    console.log(
      JSON.stringify({
        re_encrypted: result.reEncrypted,
        failed: result.failed,
        active_key_id: status.active_key_id,
        keys: status.keys,
      }),
    );
    if (result.failed > 0) process.exitCode = 1;
  } finally {
    await app.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
