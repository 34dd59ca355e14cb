import { CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { User } from '../../identity/entities/user.entity.js';
import type { Message } from './message.entity.js';

/** One user's emoji reaction on a message (chat.md §3.1); the API returns `{emoji: count}` plus `mine[]`. */
@Entity('message_reactions')
@Index('ix_message_reactions_user', ['userId'])
export class MessageReaction {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_message_reactions' }) messageId!: string;
  @ManyToOne('Message', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'fk_message_reactions_message' })
  message?: Relation<Message>;
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_message_reactions' }) userId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_message_reactions_user' })
  user?: Relation<User>;
  @PrimaryColumn({ type: 'varchar', length: 32, primaryKeyConstraintName: 'pk_message_reactions' }) emoji!: string;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt!: Date;
}
