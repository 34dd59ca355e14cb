import { Check, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Column } from 'typeorm';
import type { ApiKey } from './api-key.entity.js';

/** Ordered fallback keys of a key (api-keys.md §3): PK (api_key_id, position), at most 5, one level only. */
@Entity('api_key_fallbacks')
@Index('ux_api_key_fallbacks_pair', ['apiKeyId', 'fallbackApiKeyId'], { unique: true })
@Index('ix_api_key_fallbacks_fallback', ['fallbackApiKeyId'])
@Check('ck_api_key_fallbacks_self', `fallback_api_key_id <> api_key_id`)
@Check('ck_api_key_fallbacks_position', `position BETWEEN 0 AND 4`)
export class ApiKeyFallback {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_api_key_fallbacks' }) apiKeyId!: string;
  @PrimaryColumn({ type: 'smallint', primaryKeyConstraintName: 'pk_api_key_fallbacks' }) position!: number;
  @ManyToOne('ApiKey', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'api_key_id', foreignKeyConstraintName: 'fk_api_key_fallbacks_key' })
  apiKey?: Relation<ApiKey>;
  @Column({ type: 'uuid' }) fallbackApiKeyId!: string;
  @ManyToOne('ApiKey', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'fallback_api_key_id', foreignKeyConstraintName: 'fk_api_key_fallbacks_fallback' })
  fallbackApiKey?: Relation<ApiKey>;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt!: Date;
}
