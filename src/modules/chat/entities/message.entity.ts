import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import { LlmProvider } from '../../api-keys/api-keys.enums.js';
import type { ApiKey } from '../../api-keys/entities/api-key.entity.js';
import type { Bot } from '../../bots/entities/bot.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import type { Persona } from '../../personas/entities/persona.entity.js';
import {
  AUTHOR_KIND_ENUM,
  AuthorKind,
  DELIVERY_STATUS_ENUM,
  DeliveryStatus,
  GENERATION_STATUS_ENUM,
  GenerationStatus,
  MESSAGE_TYPE_ENUM,
  MessageType,
  SENSITIVITY_ENUM,
  Sensitivity,
  TOKEN_COUNT_SOURCE_ENUM,
  TokenCountSource,
} from '../chat.enums.js';
import { bigintNumber, type Conversation } from './conversation.entity.js';
import type { MessageAlternative } from './message-alternative.entity.js';

/** One entry of a conversation timeline (chat.md §3). */
@Entity('messages')
@Index('ux_messages_conversation_seq', ['conversationId', 'seq'], { unique: true })
@Index('ix_messages_search', ['searchVector'], { type: 'gin' })
@Index('ix_messages_conversation_created', ['conversationId', 'createdAt'])
@Index('ix_messages_reply_to', ['replyToMessageId'], { where: 'reply_to_message_id IS NOT NULL' })
@Index('ix_messages_bot_created', ['botId', 'createdAt'], { where: 'bot_id IS NOT NULL' })
@Index('ix_messages_generation_open', ['updatedAt'], { where: `generation_status IN ('queued', 'streaming')` })
@Index('ix_messages_author_user', ['authorUserId'], { where: 'author_user_id IS NOT NULL' })
@Index('ix_messages_requested_by', ['requestedByUserId'], { where: 'requested_by_user_id IS NOT NULL' })
@Index('ix_messages_persona', ['personaId'], { where: 'persona_id IS NOT NULL' })
@Index('ix_messages_api_key', ['apiKeyId'], { where: 'api_key_id IS NOT NULL' })
@Index('ix_messages_active_alternative', ['activeAlternativeId'], { where: 'active_alternative_id IS NOT NULL' })
@Index('ix_messages_created', ['createdAt', 'id'])
@Check('ck_messages_seq', 'seq >= 1')
@Check('ck_messages_content', 'char_length(content) <= 32000')
@Check('ck_messages_input_tokens', 'input_tokens >= 0')
@Check('ck_messages_output_tokens', 'output_tokens >= 0')
@Check('ck_messages_total_tokens', 'total_tokens = input_tokens + output_tokens')
@Check('ck_messages_cost', 'cost_estimate >= 0')
@Check('ck_messages_processing_time', 'processing_time_ms >= 0')
@Check('ck_messages_first_token', 'first_token_ms >= 0')
@Check('ck_messages_finish_reason', `finish_reason IN ('stop', 'length', 'content_filter', 'cancelled', 'error')`)
@Check('ck_messages_thread_depth', 'thread_depth BETWEEN 0 AND 8')
@Check('ck_messages_reply_count', 'reply_count >= 0')
@Check('ck_messages_alternative_count', 'alternative_count BETWEEN 0 AND 20')
@Check('ck_messages_edit_count', 'edit_count BETWEEN 0 AND 100')
@Check('ck_messages_generation_kind', `generation_status IS NULL OR author_kind = 'bot'`)
@Check('ck_messages_system_kind', `author_kind <> 'system' OR (message_type = 'system' AND NOT is_ai_generated)`)
@Check('ck_messages_user_kind', `author_kind <> 'user' OR (bot_id IS NULL AND NOT is_ai_generated)`)
export class Message extends TimestampedEntity {
  @Column({ type: 'uuid' }) conversationId!: string;
  @ManyToOne('Conversation', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id', foreignKeyConstraintName: 'fk_messages_conversation' })
  conversation?: Relation<Conversation>;

  @Column({ type: 'bigint', transformer: bigintNumber }) seq!: number;
  @Column({ type: 'enum', enum: AuthorKind, enumName: AUTHOR_KIND_ENUM }) authorKind!: AuthorKind;

  @Column({ type: 'uuid', nullable: true }) authorUserId!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_user_id', foreignKeyConstraintName: 'fk_messages_author_user' })
  authorUser?: Relation<User> | null;

  @Column({ type: 'uuid', nullable: true }) requestedByUserId!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'requested_by_user_id', foreignKeyConstraintName: 'fk_messages_requested_by' })
  requestedByUser?: Relation<User> | null;

  @Column({ type: 'uuid', nullable: true }) botId!: string | null;
  @ManyToOne('Bot', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_messages_bot' })
  bot?: Relation<Bot> | null;

  @Column({ type: 'uuid', nullable: true }) personaId!: string | null;
  @ManyToOne('Persona', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'persona_id', foreignKeyConstraintName: 'fk_messages_persona' })
  persona?: Relation<Persona> | null;

  @Column({ type: 'varchar', length: 100 }) authorName!: string;
  @Column({ type: 'enum', enum: MessageType, enumName: MESSAGE_TYPE_ENUM, default: MessageType.Text })
  messageType!: MessageType;
  @Column({ type: 'text', default: '' }) content!: string;
  @Column({ type: 'text', nullable: true }) reasoningContent!: string | null;
  @Column({ type: 'boolean', default: false }) isAiGenerated!: boolean;

  @Column({ type: 'enum', enum: LlmProvider, enumName: 'llm_provider', nullable: true }) provider!: LlmProvider | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) model!: string | null;
  @Column({ type: 'uuid', nullable: true }) apiKeyId!: string | null;
  @ManyToOne('ApiKey', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'api_key_id', foreignKeyConstraintName: 'fk_messages_api_key' })
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

  @Column({ type: 'uuid', nullable: true }) replyToMessageId!: string | null;
  @ManyToOne('Message', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'reply_to_message_id', foreignKeyConstraintName: 'fk_messages_reply_to' })
  replyTo?: Relation<Message> | null;
  @Column({ type: 'smallint', default: 0 }) threadDepth!: number;
  @Column({ type: 'integer', default: 0 }) replyCount!: number;

  @Column({ type: 'enum', enum: DeliveryStatus, enumName: DELIVERY_STATUS_ENUM, default: DeliveryStatus.Sent })
  deliveryStatus!: DeliveryStatus;
  @Column({ type: 'enum', enum: GenerationStatus, enumName: GENERATION_STATUS_ENUM, nullable: true })
  generationStatus!: GenerationStatus | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) errorCode!: string | null;

  @Column({ type: 'uuid', nullable: true }) activeAlternativeId!: string | null;
  @ManyToOne('MessageAlternative', { onDelete: 'SET NULL', deferrable: 'INITIALLY DEFERRED' })
  @JoinColumn({ name: 'active_alternative_id', foreignKeyConstraintName: 'fk_messages_active_alternative' })
  activeAlternative?: Relation<MessageAlternative> | null;
  @Column({ type: 'smallint', default: 0 }) alternativeCount!: number;

  @Column({ type: 'timestamptz', nullable: true }) editedAt!: Date | null;
  @Column({ type: 'integer', default: 0 }) editCount!: number;
  @Column({ type: 'enum', enum: Sensitivity, enumName: SENSITIVITY_ENUM, default: Sensitivity.Private })
  sensitivityLevel!: Sensitivity;

  /** Never selected by the API; used by search (chat.md §5). */
  @Column({
    type: 'tsvector',
    generatedType: 'STORED',
    asExpression: `to_tsvector('english'::regconfig, content)`,
    select: false,
    insert: false,
    update: false,
  })
  searchVector?: string;
}
