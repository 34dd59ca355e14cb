import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  type Relation,
  UpdateDateColumn,
} from 'typeorm';
import type { User } from '../../identity/entities/user.entity.js';
import type { Bot } from './bot.entity.js';

/** One user's like and favourite on one bot (bots.md §2). A row whose flags are both false is deleted. */
@Entity('bot_interactions')
@Index('ix_bot_interactions_bot', ['botId'])
@Index('ix_bot_interactions_fav', ['userId', 'favoritedAt', 'botId'], { where: 'favorited' })
@Index('ix_bot_interactions_liked', ['userId', 'likedAt', 'botId'], { where: 'liked' })
export class BotInteraction {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_bot_interactions' }) userId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_bot_interactions_user' })
  user?: Relation<User>;

  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_bot_interactions' }) botId!: string;
  @ManyToOne('Bot', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_bot_interactions_bot' })
  bot?: Relation<Bot>;

  @Column({ type: 'boolean', default: false }) liked!: boolean;
  @Column({ type: 'boolean', default: false }) favorited!: boolean;
  @Column({ type: 'timestamptz', nullable: true }) likedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) favoritedAt!: Date | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt!: Date;
  @UpdateDateColumn({ type: 'timestamptz', precision: 3 }) updatedAt!: Date;
}
