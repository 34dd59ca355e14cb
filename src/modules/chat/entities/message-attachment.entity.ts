import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { Media } from '../../media/entities/media.entity.js';
import type { Message } from './message.entity.js';

/** A file attached to a message (chat.md §3.1): ≤ 10 per message, the sender's own media, in `position` order. */
@Entity('message_attachments')
@Index('ix_message_attachments_media', ['mediaId'])
@Check('ck_message_attachments_position', 'position >= 0 AND position < 10')
export class MessageAttachment {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_message_attachments' }) messageId!: string;
  @ManyToOne('Message', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'fk_message_attachments_message' })
  message?: Relation<Message>;
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'pk_message_attachments' }) mediaId!: string;
  @ManyToOne('Media', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'media_id', foreignKeyConstraintName: 'fk_message_attachments_media' })
  media?: Relation<Media>;
  @Column({ type: 'smallint' }) position!: number;
}
