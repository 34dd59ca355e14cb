import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  type Relation,
} from 'typeorm';
import { KnowledgeActivationMethod, KnowledgeExclusionReason, KnowledgePosition } from '../knowledge.enums.js';
import type { Bot } from '../../bots/entities/bot.entity.js';
import type { Conversation } from '../../chat/entities/conversation.entity.js';
import type { KnowledgeEntry } from './knowledge-entry.entity.js';

/**
 * Append-only: one row per entry that matched in an activation run (knowledge.md §4.2). Written only by
 * KnowledgeActivationService; read only by the conversation's owner. Retention 90 days.
 */
@Entity('knowledge_activation_logs')
@Index('ix_kal_conversation_seq', ['conversationId', 'messageSeq'])
@Index('ix_kal_entry_conversation', ['entryId', 'conversationId', 'messageSeq'])
@Index('ix_kal_bot', ['botId'], { where: 'bot_id IS NOT NULL' })
@Index('ix_kal_created', ['createdAt'])
export class KnowledgeActivationLog {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) conversationId!: string;
  @ManyToOne('Conversation', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id', foreignKeyConstraintName: 'fk_kal_conversation' })
  conversation?: Relation<Conversation>;
  @Column({ type: 'bigint' }) messageSeq!: string;
  @Column({ type: 'uuid' }) entryId!: string;
  @ManyToOne('KnowledgeEntry', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'fk_kal_entry' })
  entry?: Relation<KnowledgeEntry>;
  @Column({ type: 'uuid', nullable: true }) botId!: string | null;
  @ManyToOne('Bot', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_kal_bot' })
  bot?: Relation<Bot> | null;
  @Column({ type: 'enum', enum: KnowledgeActivationMethod, enumName: 'knowledge_activation_method' })
  method!: KnowledgeActivationMethod;
  @Column({ type: 'real', default: 0 }) score!: number;
  @Column({ type: 'text', array: true, default: () => `'{}'` }) matchedKeywords!: string[];
  @Column({ type: 'real', nullable: true }) similarity!: number | null;
  @Column({ type: 'enum', enum: KnowledgePosition, enumName: 'knowledge_position' }) position!: KnowledgePosition;
  @Column({ type: 'integer', default: 0 }) tokensUsed!: number;
  @Column({ type: 'boolean' }) wasIncluded!: boolean;
  @Column({
    type: 'enum',
    enum: KnowledgeExclusionReason,
    enumName: 'knowledge_exclusion_reason',
    nullable: true,
  })
  exclusionReason!: KnowledgeExclusionReason | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt!: Date;
}
