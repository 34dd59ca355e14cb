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
import type { User } from '../../identity/entities/user.entity.js';
import type { Message } from './message.entity.js';

/** Append-only edit history: one row per edit, holding the content before it (chat.md §3.1). */
@Entity('message_edits')
@Index('ix_message_edits_message_created', ['messageId', 'createdAt'])
@Index('ix_message_edits_edited_by', ['editedByUserId'], { where: 'edited_by_user_id IS NOT NULL' })
export class MessageEdit {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'uuid' }) messageId!: string;
  @ManyToOne('Message', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'fk_message_edits_message' })
  message?: Relation<Message>;
  @Column({ type: 'text' }) previousContent!: string;
  @Column({ type: 'uuid', nullable: true }) editedByUserId!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'edited_by_user_id', foreignKeyConstraintName: 'fk_message_edits_edited_by' })
  editedByUser?: Relation<User> | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) editReason!: string | null;
  @CreateDateColumn({ type: 'timestamptz', precision: 3 }) createdAt!: Date;
}
