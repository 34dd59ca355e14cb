import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { KnowledgeFilterMode } from '../knowledge.enums.js';
import type { Bot } from '../../bots/entities/bot.entity.js';
import type { KnowledgeEntry } from './knowledge-entry.entity.js';

/** Per-entry bot filter (knowledge.md §3.2): allow-list or exclude rows, FK'd so they never dangle. */
@Entity('knowledge_bot_filters')
@Index('ix_kbf_bot', ['botId'])
export class KnowledgeBotFilter {
  @PrimaryColumn({ type: 'uuid' }) entryId!: string;
  @ManyToOne('KnowledgeEntry', (e: KnowledgeEntry) => e.botFilters, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'entry_id', foreignKeyConstraintName: 'fk_kbf_entry' })
  entry?: Relation<KnowledgeEntry>;

  @PrimaryColumn({ type: 'uuid' }) botId!: string;
  @ManyToOne('Bot', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_kbf_bot' })
  bot?: Relation<Bot>;

  @Column({ type: 'enum', enum: KnowledgeFilterMode, enumName: 'knowledge_filter_mode' }) mode!: KnowledgeFilterMode;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt!: Date;
}
