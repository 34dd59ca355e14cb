import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { UpdateDateColumn } from 'typeorm';
import { ApiKeyLimitName } from '../api-keys.enums.js';
import { type ApiKey, toNumber } from './api-key.entity.js';

/**
 * Exact limit accounting: one row per key, limit and fixed UTC window (hour, minute, day, month). Reservations add to
 * `used` with a conditional `UPDATE … WHERE used + n <= limit RETURNING`, so concurrent callers can never exceed a
 * limit (row lock + re-check). Old windows are pruned by the daily retention job.
 */
@Entity('api_key_usage_windows')
@Index('ix_api_key_usage_windows_start', ['windowStart'])
@Check('ck_api_key_usage_windows_used', `used >= 0`)
export class ApiKeyUsageWindow {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_api_key_usage_windows' }) apiKeyId!: string;
  @PrimaryColumn({
    type: 'enum',
    enum: ApiKeyLimitName,
    enumName: 'api_key_limit_name',
    primaryKeyConstraintName: 'pk_api_key_usage_windows',
  })
  limitName!: ApiKeyLimitName;
  @PrimaryColumn({ type: 'timestamptz', primaryKeyConstraintName: 'pk_api_key_usage_windows' }) windowStart!: Date;
  @ManyToOne('ApiKey', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'api_key_id', foreignKeyConstraintName: 'fk_api_key_usage_windows_key' })
  apiKey?: Relation<ApiKey>;
  @Column({ type: 'bigint', default: 0, transformer: toNumber }) used!: number;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt!: Date;
}
