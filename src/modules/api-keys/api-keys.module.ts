import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Env } from '../../common/config/env.js';
import { JobHandlerRegistry } from '../../common/queue/job-handler.registry.js';
import { JobQueue } from '../../common/queue/job-queue.js';
import { AdminApiKeysController } from './admin-api-keys.controller.js';
import { ApiKeyAudit } from './api-key-audit.js';
import { ApiKeyPolicy } from './api-key.policy.js';
import { ApiKeyReEncryptService } from './api-key-reencrypt.service.js';
import { ApiKeySecretService } from './api-key-secret.service.js';
import { ApiKeyUsageService } from './api-key-usage.service.js';
import { ApiKeysController } from './api-keys.controller.js';
import { ApiKeysService } from './api-keys.service.js';
import { ApiKey } from './entities/api-key.entity.js';
import { ApiKeyEvent } from './entities/api-key-event.entity.js';
import { ApiKeyFallback } from './entities/api-key-fallback.entity.js';
import { ApiKeyUsageMonthly } from './entities/api-key-usage-monthly.entity.js';
import { ApiKeyUsageWindow } from './entities/api-key-usage-window.entity.js';
import { ApiKeysProcessor } from './jobs/api-keys.processor.js';
import { LlmClient } from './llm/llm-client.service.js';
import { LlmProvidersController } from './llm-providers.controller.js';
import { SecretCipher } from './secret-cipher.js';

const ONE_DAY = 24 * 3_600_000;

@Module({
  imports: [TypeOrmModule.forFeature([ApiKey, ApiKeyFallback, ApiKeyEvent, ApiKeyUsageMonthly, ApiKeyUsageWindow])],
  controllers: [LlmProvidersController, ApiKeysController, AdminApiKeysController],
  providers: [
    {
      provide: SecretCipher,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) =>
        new SecretCipher({
          NODE_ENV: config.get('NODE_ENV', { infer: true }),
          KEY_ENCRYPTION_MASTER_KEY: config.get('KEY_ENCRYPTION_MASTER_KEY', { infer: true }),
          KEY_ENCRYPTION_KEY_ID: config.get('KEY_ENCRYPTION_KEY_ID', { infer: true }),
          KEY_ENCRYPTION_PREVIOUS_KEYS: config.get('KEY_ENCRYPTION_PREVIOUS_KEYS', { infer: true }),
          API_KEY_FINGERPRINT_SECRET: config.get('API_KEY_FINGERPRINT_SECRET', { infer: true }),
        }),
    },
    ApiKeyPolicy,
    ApiKeyAudit,
    ApiKeySecretService,
    ApiKeyUsageService,
    ApiKeysService,
    ApiKeyReEncryptService,
    ApiKeysProcessor,
    LlmClient,
  ],
  exports: [ApiKeysService, ApiKeySecretService, ApiKeyUsageService, ApiKeyReEncryptService, ApiKeyAudit, LlmClient],
})
export class ApiKeysModule implements OnApplicationBootstrap {
  constructor(
    registry: JobHandlerRegistry,
    processor: ApiKeysProcessor,
    private readonly jobs: JobQueue,
  ) {
    registry.register(processor);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.jobs.schedule('api-keys.prune', {}, ONE_DAY, 'api-keys-prune');
  }
}
