import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Redis } from 'ioredis';
import type { Env } from '../config/env.js';

@Injectable()
export class RedisHealthIndicator implements OnModuleDestroy {
  private readonly client?: Redis;

  constructor(
    config: ConfigService<Env, true>,
    private readonly indicator: HealthIndicatorService,
  ) {
    const url = config.get('REDIS_URL');
    if (url) this.client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  }

  get enabled(): boolean {
    return !!this.client;
  }

  async check(key: string) {
    const session = this.indicator.check(key);
    try {
      if (this.client!.status === 'wait') await this.client!.connect();
      await this.client!.ping();
      return session.up();
    } catch (err) {
      return session.down({ message: (err as Error).message });
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (this.client && this.client.status !== 'wait') await this.client.quit().catch(() => undefined);
  }
}
