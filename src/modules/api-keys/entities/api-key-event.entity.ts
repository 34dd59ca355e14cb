import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Relation } from 'typeorm';
import type { User } from '../../identity/entities/user.entity.js';
import { ApiKeyEventType, ApiKeyUsePurpose, LlmProvider } from '../api-keys.enums.js';
import type { ApiKey } from './api-key.entity.js';

/** Append-only audit of every lifecycle action and every use (api-keys.md §4). Never holds secret material. */
@Entity('api_key_events')
@Index('ix_api_key_events_key_created', ['apiKeyId', 'createdAt'])
@Index('ix_api_key_events_user_created', ['userId', 'createdAt'])
@Index('ix_api_key_events_key_type_created', ['apiKeyId', 'eventType', 'createdAt'])
@Index('ix_api_key_events_actor', ['actorUserId'])
@Index('ix_api_key_events_created', ['createdAt'])
export class ApiKeyEvent {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'pk_api_key_events' }) id!: string;
  @Column({ type: 'uuid', nullable: true }) apiKeyId!: string | null;
  @ManyToOne('ApiKey', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'api_key_id', foreignKeyConstraintName: 'fk_api_key_events_key' })
  apiKey?: Relation<ApiKey>;
  @Column({ type: 'uuid' }) userId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_api_key_events_user' })
  user?: Relation<User>;
  @Column({ type: 'uuid', nullable: true }) actorUserId!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'actor_user_id', foreignKeyConstraintName: 'fk_api_key_events_actor' })
  actorUser?: Relation<User>;
  @Column({ type: 'enum', enum: ApiKeyEventType, enumName: 'api_key_event_type' }) eventType!: ApiKeyEventType;
  @Column({ type: 'enum', enum: ApiKeyUsePurpose, enumName: 'api_key_use_purpose', nullable: true })
  purpose!: ApiKeyUsePurpose | null;
  @Column({ type: 'varchar', length: 4 }) keyHint!: string;
  @Column({ type: 'enum', enum: LlmProvider, enumName: 'llm_provider' }) provider!: LlmProvider;
  @Column({ type: 'varchar', length: 200, nullable: true }) model!: string | null;
  @Column({ type: 'uuid', nullable: true }) conversationId!: string | null;
  @Column({ type: 'uuid', nullable: true }) messageId!: string | null;
  @Column({ type: 'smallint', nullable: true }) httpStatus!: number | null;
  @Column({ type: 'integer', nullable: true }) inputTokens!: number | null;
  @Column({ type: 'integer', nullable: true }) outputTokens!: number | null;
  @Column({ type: 'integer', nullable: true }) latencyMs!: number | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) errorCode!: string | null;
  @Column({ type: 'inet', nullable: true }) ip!: string | null;
  @Column({ type: 'varchar', length: 300, nullable: true }) userAgent!: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt!: Date;
}
