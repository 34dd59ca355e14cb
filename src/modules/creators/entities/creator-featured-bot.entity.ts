import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import type { Bot } from '../../bots/entities/bot.entity.js';
import type { CreatorProfile } from './creator-profile.entity.js';

/** A bot in a creator's showcase (creators.md §1): ≤6, ordered, only the profile user's own public bots. */
@Entity('creator_featured_bots')
@Index('ux_cfb_position', ['creatorProfileId', 'position'], { unique: true })
@Index('ix_cfb_bot', ['botId'])
@Check('ck_cfb_position', `position >= 0`)
export class CreatorFeaturedBot {
  @PrimaryColumn({ type: 'uuid' }) creatorProfileId!: string;
  @ManyToOne('CreatorProfile', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'creator_profile_id', foreignKeyConstraintName: 'fk_cfb_creator_profile' })
  creatorProfile?: Relation<CreatorProfile>;

  @PrimaryColumn({ type: 'uuid' }) botId!: string;
  @ManyToOne('Bot', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'bot_id', foreignKeyConstraintName: 'fk_cfb_bot' })
  bot?: Relation<Bot>;

  @Column({ type: 'smallint' }) position!: number;
}
