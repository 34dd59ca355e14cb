import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { ApiKey } from '../../api-keys/entities/api-key.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import type { Persona } from '../../personas/entities/persona.entity.js';
import {
  CONVERSATION_STATUS_ENUM,
  CONVERSATION_TYPE_ENUM,
  ConversationStatus,
  ConversationType,
} from '../chat.enums.js';

/** bigint columns come back as strings; counters stay far below 2^53. */
export const bigintNumber = {
  to: (v: number) => v,
  from: (v: string | number | null) => (v === null ? null : Number(v)),
};

/** A chat thread owned by one user (chat.md §1). */
@Entity('conversations')
@Index('ix_conversations_owner_activity', ['ownerUserId', 'lastActivityAt', 'id'])
@Index('ix_conversations_tags', ['tags'], { type: 'gin' })
@Index('ix_conversations_retention', ['id'], { where: 'message_retention_days IS NOT NULL' })
@Index('ix_conversations_persona', ['personaId'], { where: 'persona_id IS NOT NULL' })
@Index('ix_conversations_api_key', ['apiKeyId'], { where: 'api_key_id IS NOT NULL' })
@Check('ck_conversations_title', 'char_length(title) BETWEEN 1 AND 200')
@Check('ck_conversations_temperature', 'temperature BETWEEN 0 AND 2')
@Check('ck_conversations_max_output', 'max_output_tokens BETWEEN 1 AND 32768')
@Check('ck_conversations_summary', 'char_length(summary) <= 8000')
@Check('ck_conversations_summarized', 'last_summarized_seq BETWEEN 0 AND last_message_seq')
@Check('ck_conversations_tags', 'cardinality(tags) <= 20')
@Check('ck_conversations_message_count', 'message_count >= 0')
@Check('ck_conversations_participant_count', 'participant_count >= 1')
@Check('ck_conversations_total_tokens', 'total_tokens >= 0')
@Check('ck_conversations_last_seq', 'last_message_seq >= 0')
@Check('ck_conversations_retention', 'message_retention_days BETWEEN 1 AND 3650')
export class Conversation extends TimestampedEntity {
  @Column({ type: 'uuid' }) ownerUserId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_user_id', foreignKeyConstraintName: 'fk_conversations_owner' })
  owner?: Relation<User>;

  @Column({ type: 'varchar', length: 200, nullable: true }) title!: string | null;
  @Column({
    type: 'enum',
    enum: ConversationType,
    enumName: CONVERSATION_TYPE_ENUM,
    default: ConversationType.SingleBot,
  })
  conversationType!: ConversationType;
  @Column({
    type: 'enum',
    enum: ConversationStatus,
    enumName: CONVERSATION_STATUS_ENUM,
    default: ConversationStatus.Active,
  })
  status!: ConversationStatus;

  @Column({ type: 'uuid', nullable: true }) personaId!: string | null;
  @ManyToOne('Persona', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'persona_id', foreignKeyConstraintName: 'fk_conversations_persona' })
  persona?: Relation<Persona> | null;

  @Column({ type: 'uuid', nullable: true }) apiKeyId!: string | null;
  @ManyToOne('ApiKey', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'api_key_id', foreignKeyConstraintName: 'fk_conversations_api_key' })
  apiKey?: Relation<ApiKey> | null;

  @Column({ type: 'varchar', length: 200, nullable: true }) model!: string | null;
  @Column({ type: 'numeric', precision: 3, scale: 2, nullable: true }) temperature!: string | null;
  @Column({ type: 'integer', nullable: true }) maxOutputTokens!: number | null;
  @Column({ type: 'text', nullable: true }) summary!: string | null;
  @Column({ type: 'timestamptz', nullable: true }) summaryUpdatedAt!: Date | null;
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber }) lastSummarizedSeq!: number;
  @Column({ type: 'varchar', length: 40, array: true, default: () => `'{}'` }) tags!: string[];
  @Column({ type: 'integer', default: 0 }) messageCount!: number;
  @Column({ type: 'smallint', default: 1 }) participantCount!: number;
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber }) totalTokens!: number;
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber }) lastMessageSeq!: number;
  @Column({ type: 'timestamptz', precision: 3, default: () => 'now()' }) lastActivityAt!: Date;
  @Column({ type: 'boolean', default: true }) allowFileSharing!: boolean;
  @Column({ type: 'integer', nullable: true }) messageRetentionDays!: number | null;
  @Column({ type: 'boolean', default: true }) memoryEnabled!: boolean;
}
