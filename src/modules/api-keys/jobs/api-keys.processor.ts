import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { Env } from '../../../common/config/env.js';
import type { JobProcessor, QueueJob } from '../../../common/queue/job-processor.js';
import { ApiKeyReEncryptService } from '../api-key-reencrypt.service.js';

/** The one processor of queue `api-keys` (README decision 9). */
@Injectable()
export class ApiKeysProcessor implements JobProcessor<'api-keys'> {
  readonly queue = 'api-keys' as const;
  private readonly logger = new Logger(ApiKeysProcessor.name);

  constructor(
    private readonly reEncrypt: ApiKeyReEncryptService,
    @InjectDataSource() private readonly ds: DataSource,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async handle(job: QueueJob<'api-keys'>): Promise<void> {
    switch (job.name) {
      case 'api-keys.re-encrypt':
        await this.reEncrypt.run(job.payload.job_id);
        return;
      case 'api-keys.prune': {
        const days = job.payload.retention_days ?? this.config.get('API_KEY_EVENT_RETENTION_DAYS', { infer: true });
        await this.ds.query(`DELETE FROM api_key_events WHERE created_at < now() - make_interval(days => $1)`, [days]);
        await this.ds.query(`DELETE FROM api_key_usage_windows WHERE window_start < now() - interval '40 days'`);
        this.logger.log({ msg: 'api key events pruned', retentionDays: days });
        return;
      }
      default: {
        const unreachable: never = job;
        throw new Error(`Unknown api-keys job ${(unreachable as { name: string }).name}`);
      }
    }
  }
}
