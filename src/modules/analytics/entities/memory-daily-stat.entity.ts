import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { Bot } from '../../bots/entities/bot.entity.js';
import type { User } from '../../identity/entities/user.entity.js';

/** MemoryInsights: memory activity per user, bot and UTC day (analytics.md §2.4). */
@Entity('memory_daily_stats')
@Index('ix_memory_daily_stats_bot', ['botId'])
@Check('ck_memory_daily_stats_counters', 'memories_created >= 0 AND recalls >= 0 AND distinct_memories_recalled >= 0')
export class MemoryDailyStat {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_memory_daily_stats' }) userId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_memory_daily_stats_user' })
  user?: Relation<User>;
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_memory_daily_stats' }) botId!: string;
  @ManyToOne('Bot', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_memory_daily_stats_bot' })
  bot?: Relation<Bot>;
  @PrimaryColumn({ type: 'date', primaryKeyConstraintName: 'pk_memory_daily_stats' }) day!: string;
  @Column({ type: 'integer', default: 0 }) memoriesCreated!: number;
  @Column({ type: 'integer', default: 0 }) recalls!: number;
  @Column({ type: 'integer', default: 0 }) distinctMemoriesRecalled!: number;
  @Column({ type: 'timestamptz', default: () => 'now()' }) computedAt!: Date;
}
