import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { Bot } from '../../bots/entities/bot.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import type { KnowledgeCollection } from './knowledge-collection.entity.js';

/** Which lore books a bot draws from (knowledge.md §3.1). */
@Entity('bot_knowledge_collections')
@Index('ix_bkc_collection', ['collectionId'])
@Index('ix_bkc_linked_by', ['linkedById'], { where: 'linked_by_id IS NOT NULL' })
export class BotKnowledgeCollection {
  @PrimaryColumn({ type: 'uuid' }) botId!: string;
  @ManyToOne('Bot', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_bkc_bot' })
  bot?: Relation<Bot>;
  @PrimaryColumn({ type: 'uuid' }) collectionId!: string;
  @ManyToOne('KnowledgeCollection', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'collection_id', foreignKeyConstraintName: 'fk_bkc_collection' })
  collection?: Relation<KnowledgeCollection>;
  @Column({ type: 'boolean', default: true }) enabled!: boolean;
  @Column({ type: 'uuid', nullable: true }) linkedById!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'linked_by_id', foreignKeyConstraintName: 'fk_bkc_linked_by' })
  linkedBy?: Relation<User> | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt!: Date;
}
