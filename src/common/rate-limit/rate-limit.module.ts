import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { Env } from '../config/env.js';
import { RedisThrottlerStorage } from './redis-throttler.storage.js';

/**
 * A default per-IP budget on every route; sensitive routes tighten it with @Throttle. Counters live in Redis when
 * REDIS_URL is set (shared by all API processes), else in memory.
 */
@Module({
  imports: [
    ThrottlerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) => ({
        throttlers: [{ name: 'default', ttl: 60_000, limit: config.get('RATE_LIMIT_PER_MINUTE') }],
        skipIf: () => !config.get('RATE_LIMIT_ENABLED'),
        storage: config.get('REDIS_URL')
          ? new RedisThrottlerStorage(config.get('REDIS_URL'), config.get('REDIS_PREFIX'))
          : undefined,
      }),
    }),
  ],
  providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
})
export class RateLimitModule {}
