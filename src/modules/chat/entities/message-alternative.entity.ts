import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import { LlmProvider } from '../../api-keys/api-keys.enums.js';
import type { ApiKey } from '../../api-keys/entities/api-key.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import { GENERATION_STATUS_ENUM, GenerationStatus, TOKEN_COUNT_SOURCE_ENUM, TokenCountSource } from '../chat.enums.js';
import type { Message } from './message.entity.js';

/** One generated (or greeting) variant of a bot message — "swipes" (chat.md §3.5). No endpoints yet. */
@Entity('message_alternatives')
@Index('ux_msg_alt_message_position', ['messageId', 'position'], { unique: true })
@Index('ix_msg_alt_api_key', ['apiKeyId'], { where: 'api_key_id IS NOT NULL' })
@Index('ix_msg_alt_requested_by', ['requestedByUserId'], { where: 'requested_by_user_id IS NOT NULL' })
@Check('ck_msg_alt_position', 'position BETWEEN 0 AND 19')
@Check('ck_msg_alt_input_tokens', 'input_tokens >= 0')
@Check('ck_msg_alt_output_tokens', 'output_tokens >= 0')
@Check('ck_msg_alt_total_tokens', 'total_tokens = input_tokens + output_tokens')
@Check('ck_msg_alt_cost', 'cost_estimate >= 0')
@Check('ck_msg_alt_processing_time', 'processing_time_ms >= 0')
@Check('ck_msg_alt_first_token', 'first_token_ms >= 0')
@Check('ck_msg_alt_finish_reason', `finish_reason IN ('stop', 'length', 'content_filter', 'cancelled', 'error')`)
export class MessageAlternative extends TimestampedEntity {
  @Column({ type: 'uuid' }) messageId!: string;
  @ManyToOne('Message', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'fk_msg_alt_message' })
  message?: Relation<Message>;

  @Column({ type: 'smallint' }) position!: number;
  @Column({ type: 'text', default: '' }) content!: string;
  @Column({ type: 'text', nullable: true }) reasoningContent!: string | null;
  @Column({ type: 'enum', enum: LlmProvider, enumName: 'llm_provider', nullable: true }) provider!: LlmProvider | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) model!: string | null;
  @Column({ type: 'uuid', nullable: true }) apiKeyId!: string | null;
  @ManyToOne('ApiKey', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'api_key_id', foreignKeyConstraintName: 'fk_msg_alt_api_key' })
  apiKey?: Relation<ApiKey> | null;
  @Column({ type: 'integer', default: 0 }) inputTokens!: number;
  @Column({ type: 'integer', default: 0 }) outputTokens!: number;
  @Column({ type: 'integer', default: 0 }) totalTokens!: number;
  @Column({
    type: 'enum',
    enum: TokenCountSource,
    enumName: TOKEN_COUNT_SOURCE_ENUM,
    default: TokenCountSource.Estimated,
  })
  tokenCountSource!: TokenCountSource;
  @Column({ type: 'numeric', precision: 12, scale: 6, nullable: true }) costEstimate!: string | null;
  @Column({ type: 'integer', nullable: true }) processingTimeMs!: number | null;
  @Column({ type: 'integer', nullable: true }) firstTokenMs!: number | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) finishReason!: string | null;
  @Column({
    type: 'enum',
    enum: GenerationStatus,
    enumName: GENERATION_STATUS_ENUM,
    default: GenerationStatus.Queued,
  })
  generationStatus!: GenerationStatus;
  @Column({ type: 'varchar', length: 64, nullable: true }) errorCode!: string | null;
  @Column({ type: 'uuid', nullable: true }) requestedByUserId!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'requested_by_user_id', foreignKeyConstraintName: 'fk_msg_alt_requested_by' })
  requestedByUser?: Relation<User> | null;
}
