import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { Bot } from '../../bots/entities/bot.entity.js';
import type { User } from '../../identity/entities/user.entity.js';

/**
 * First and last UTC day a user chatted with a bot (analytics.md §2.2), kept with least/greatest upserts so new vs
 * returning chatters survive event pruning. Never exposed: creators see counts only.
 */
@Entity('bot_chatters')
@Index('ix_bot_chatters_user', ['userId'])
@Index('ix_bot_chatters_bot_first', ['botId', 'firstChatDay'])
@Check('ck_bot_chatters_days', 'first_chat_day <= last_chat_day')
export class BotChatter {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_bot_chatters' }) botId!: string;
  @ManyToOne('Bot', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_bot_chatters_bot' })
  bot?: Relation<Bot>;
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_bot_chatters' }) userId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_bot_chatters_user' })
  user?: Relation<User>;
  @Column({ type: 'date' }) firstChatDay!: string;
  @Column({ type: 'date' }) lastChatDay!: string;
}
