import { Check, Column, Entity, Index, JoinColumn, ManyToOne, OneToMany, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import { bigintNumber, type Conversation } from '../../chat/entities/conversation.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import type { KnowledgeEntry } from '../../knowledge/entities/knowledge-entry.entity.js';
import { MEMORY_ORIGIN_ENUM, MEMORY_TYPE_ENUM, MemoryOrigin, MemoryType } from '../memories.enums.js';
import type { MemoryBot } from './memory-bot.entity.js';
import type { MemoryPersona } from './memory-persona.entity.js';

/** A user-private fact or summary distilled from conversations (chat.md §4). */
@Entity('memories')
// (user_id, created_at DESC, id DESC): written by hand in the migration (descending keys)
@Index('ix_memories_user_created', { synchronize: false })
@Index('ix_memories_conversation', { synchronize: false })
@Index('ix_memories_search', ['searchVector'], { type: 'gin' })
@Index('ux_memories_extracted_range', ['conversationId', 'sourceToSeq'], {
  unique: true,
  where: `origin = 'extracted'`,
})
@Index('ix_memories_superseded_by', ['supersededById'], { where: 'superseded_by_id IS NOT NULL' })
@Index('ix_memories_knowledge_entry', ['knowledgeEntryId'], { where: 'knowledge_entry_id IS NOT NULL' })
@Check('ck_memories_content', 'char_length(content) BETWEEN 1 AND 4000')
@Check('ck_memories_importance', 'importance BETWEEN 1 AND 10')
@Check('ck_memories_token_count', 'token_count >= 0')
@Check('ck_memories_source_range', 'source_from_seq <= source_to_seq')
@Check('ck_memories_use_count', 'use_count >= 0')
export class Memory extends TimestampedEntity {
  @Column({ type: 'uuid' }) userId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_memories_user' })
  user?: Relation<User>;

  @Column({ type: 'uuid', nullable: true }) conversationId!: string | null;
  @ManyToOne('Conversation', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'conversation_id', foreignKeyConstraintName: 'fk_memories_conversation' })
  conversation?: Relation<Conversation> | null;

  @Column({ type: 'enum', enum: MemoryType, enumName: MEMORY_TYPE_ENUM, default: MemoryType.ShortTerm })
  type!: MemoryType;
  @Column({ type: 'enum', enum: MemoryOrigin, enumName: MEMORY_ORIGIN_ENUM }) origin!: MemoryOrigin;
  @Column({ type: 'text' }) content!: string;
  @Column({ type: 'smallint', default: 5 }) importance!: number;
  @Column({ type: 'varchar', length: 300, nullable: true }) emotionalContext!: string | null;
  /** ceil(chars / 4), set on every write. */
  @Column({ type: 'integer', default: 0 }) tokenCount!: number;
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber }) sourceFromSeq!: number | null;
  @Column({ type: 'bigint', nullable: true, transformer: bigintNumber }) sourceToSeq!: number | null;

  @Column({ type: 'uuid', nullable: true }) supersededById!: string | null;
  @ManyToOne('Memory', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'superseded_by_id', foreignKeyConstraintName: 'fk_memories_superseded_by' })
  supersededBy?: Relation<Memory> | null;

  @Column({ type: 'uuid', nullable: true }) knowledgeEntryId!: string | null;
  @ManyToOne('KnowledgeEntry', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'knowledge_entry_id', foreignKeyConstraintName: 'fk_memories_knowledge_entry' })
  knowledgeEntry?: Relation<KnowledgeEntry> | null;
  @Column({ type: 'timestamptz', nullable: true }) convertedAt!: Date | null;

  @Column({ type: 'integer', default: 0 }) useCount!: number;
  @Column({ type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;

  /** Never selected by the API; used by list `q` and retrieval ranking. */
  @Column({
    type: 'tsvector',
    generatedType: 'STORED',
    asExpression: `to_tsvector('english'::regconfig, content || ' ' || coalesce(emotional_context, ''))`,
    select: false,
    insert: false,
    update: false,
  })
  searchVector?: string;

  @OneToMany('MemoryBot', (l: MemoryBot) => l.memory) botLinks?: Relation<MemoryBot>[];
  @OneToMany('MemoryPersona', (l: MemoryPersona) => l.memory) personaLinks?: Relation<MemoryPersona>[];
}
