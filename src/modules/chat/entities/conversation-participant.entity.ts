import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { Bot } from '../../bots/entities/bot.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import { PARTICIPANT_KIND_ENUM, PARTICIPANT_ROLE_ENUM, ParticipantKind, ParticipantRole } from '../chat.enums.js';
import { bigintNumber, type Conversation } from './conversation.entity.js';

/** One bot or human in a conversation (chat.md §2). */
@Entity('conversation_participants')
@Check(
  'ck_conv_part_kind',
  `(participant_kind = 'user' AND user_id IS NOT NULL AND bot_id IS NULL AND role IN ('owner', 'member')) OR (participant_kind = 'bot' AND bot_id IS NOT NULL AND user_id IS NULL AND role IN ('primary', 'secondary', 'moderator'))`,
)
@Check('ck_conv_part_last_read', 'last_read_seq >= 0')
@Index('ux_conv_part_user', ['conversationId', 'userId'], { unique: true, where: 'user_id IS NOT NULL' })
@Index('ux_conv_part_bot', ['conversationId', 'botId'], { unique: true, where: 'bot_id IS NOT NULL' })
@Index('ux_conv_part_owner', ['conversationId'], { unique: true, where: `role = 'owner'` })
@Index('ux_conv_part_primary', ['conversationId'], { unique: true, where: `role = 'primary' AND is_active` })
@Index('ix_conv_part_user', ['userId', 'conversationId'], { where: 'user_id IS NOT NULL' })
@Index('ix_conv_part_bot', ['botId'], { where: 'bot_id IS NOT NULL' })
export class ConversationParticipant extends TimestampedEntity {
  @Column({ type: 'uuid' }) conversationId!: string;
  @ManyToOne('Conversation', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'conversation_id', foreignKeyConstraintName: 'fk_conv_part_conversation' })
  conversation?: Relation<Conversation>;

  @Column({ type: 'enum', enum: ParticipantKind, enumName: PARTICIPANT_KIND_ENUM }) participantKind!: ParticipantKind;

  @Column({ type: 'uuid', nullable: true }) userId!: string | null;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_conv_part_user' })
  user?: Relation<User> | null;

  @Column({ type: 'uuid', nullable: true }) botId!: string | null;
  @ManyToOne('Bot', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_conv_part_bot' })
  bot?: Relation<Bot> | null;

  @Column({ type: 'enum', enum: ParticipantRole, enumName: PARTICIPANT_ROLE_ENUM }) role!: ParticipantRole;
  @Column({ type: 'boolean', default: true }) isActive!: boolean;
  @Column({ type: 'timestamptz', default: () => 'now()' }) joinedAt!: Date;
  @Column({ type: 'timestamptz', nullable: true }) leftAt!: Date | null;
  @Column({ type: 'bigint', default: 0, transformer: bigintNumber }) lastReadSeq!: number;
}
