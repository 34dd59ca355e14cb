import { Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { Bot } from '../../bots/entities/bot.entity.js';
import type { Memory } from './memory.entity.js';

/** Bots a memory belongs to (chat.md §4). */
@Entity('memory_bots')
@Index('ix_memory_bots_bot', ['botId', 'memoryId'])
export class MemoryBot {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_memory_bots' }) memoryId!: string;
  @ManyToOne('Memory', (m: Memory) => m.botLinks, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'memory_id', foreignKeyConstraintName: 'fk_memory_bots_memory' })
  memory?: Relation<Memory>;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_memory_bots' }) botId!: string;
  @ManyToOne('Bot', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_memory_bots_bot' })
  bot?: Relation<Bot>;
}
