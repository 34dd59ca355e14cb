import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { CreatorProfile } from './creator-profile.entity.js';
import { CreatorLinkPlatform } from './creator.enums.js';

/** One link on a creator profile (creators.md §1): a validated platform and URL, ordered by position. */
@Entity('creator_social_links')
@Index('ix_csl_profile_position', ['creatorProfileId', 'position'])
@Index('ux_csl_platform', ['creatorProfileId', 'platform'], { unique: true, where: `platform <> 'other'` })
@Check('ck_csl_label', `(platform = 'other') = (label IS NOT NULL)`)
@Check('ck_csl_position', `position >= 0`)
export class CreatorSocialLink extends TimestampedEntity {
  @Column({ type: 'uuid' }) creatorProfileId!: string;
  @ManyToOne('CreatorProfile', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'creator_profile_id', foreignKeyConstraintName: 'fk_csl_creator_profile' })
  creatorProfile?: Relation<CreatorProfile>;

  @Column({ type: 'enum', enum: CreatorLinkPlatform, enumName: 'creator_link_platform' })
  platform!: CreatorLinkPlatform;
  @Column({ type: 'varchar', length: 50, nullable: true }) label!: string | null;
  @Column({ type: 'varchar', length: 2048 }) value!: string;
  @Column({ type: 'smallint' }) position!: number;
}
