import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation, UpdateDateColumn } from 'typeorm';
import { type ApiKey, toNumber } from './api-key.entity.js';

/** Monthly usage rollup per key (api-keys.md §4): upserted with ON CONFLICT … DO UPDATE SET x = x + EXCLUDED.x. */
@Entity('api_key_usage_monthly')
@Check(
  'ck_api_key_usage_monthly_nonneg',
  `requests >= 0 AND errors >= 0 AND input_tokens >= 0 AND output_tokens >= 0 AND cost_usd >= 0`,
)
export class ApiKeyUsageMonthly {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_api_key_usage_monthly' }) apiKeyId!: string;
  /** First day of the UTC month. */
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_api_key_usage_monthly' }) month!: string;
  @ManyToOne('ApiKey', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'api_key_id', foreignKeyConstraintName: 'fk_api_key_usage_monthly_key' })
  apiKey?: Relation<ApiKey>;
  @Column({ type: 'integer', default: 0 }) requests!: number;
  @Column({ type: 'integer', default: 0 }) errors!: number;
  @Column({ type: 'bigint', default: 0, transformer: toNumber }) inputTokens!: number;
  @Column({ type: 'bigint', default: 0, transformer: toNumber }) outputTokens!: number;
  @Column({ type: 'numeric', precision: 14, scale: 6, default: 0, transformer: toNumber }) costUsd!: number;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt!: Date;
}
