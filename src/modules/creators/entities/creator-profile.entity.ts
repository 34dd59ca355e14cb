import { Check, Column, Entity, Index, JoinColumn, ManyToOne, type Relation } from 'typeorm';
import { MODERATION_STATUS_ENUM, ModerationStatus } from '../../../common/access/access.enums.js';
import { TimestampedEntity } from '../../../common/database/timestamped.entity.js';
import type { User } from '../../identity/entities/user.entity.js';
import type { Media } from '../../media/entities/media.entity.js';
import {
  CreatorExperience,
  CreatorProfileVisibility,
  CreatorSpecialty,
  CreatorType,
  CreatorVerification,
} from './creator.enums.js';

const DIRECTORY = `profile_visibility = 'public' AND moderation_status = 'visible'`;

/**
 * A user's public showcase page (creators.md §1). The handle is `users.username`; the profile is 1:1 with its user.
 * Counters are stored and kept exact by the transactions that change them (follows here, public bots in bots).
 */
@Entity('creator_profiles')
@Index('ux_creator_profiles_user', ['userId'], { unique: true })
@Index('ix_cp_avatar_media', ['avatarMediaId'])
@Index('ix_cp_banner_media', ['bannerMediaId'])
@Index('ix_cp_verified_by', ['verifiedById'])
@Index('ix_cp_specialties', ['specialties'], { type: 'gin' })
@Index('ix_cp_tags', ['tags'], { type: 'gin' })
@Index('ix_cp_languages', ['languages'], { type: 'gin' })
@Index('ix_cp_search', ['searchVector'], { type: 'gin' })
@Index('ix_cp_featured', ['featuredAt'], { where: 'is_featured' })
// Directory sorts (a btree is scanned backwards for the descending orders).
@Index('ix_cp_pub_followers', ['followerCount', 'id'], { where: DIRECTORY })
@Index('ix_cp_pub_created', ['createdAt', 'id'], { where: DIRECTORY })
@Index('ix_cp_pub_bots', ['publicBotCount', 'id'], { where: DIRECTORY })
@Index('ix_cp_pub_conversations', ['totalConversations', 'id'], { where: DIRECTORY })
// (lower(display_name), id): an expression index TypeORM cannot declare; created by hand in the migration.
@Index('ix_cp_pub_name', { synchronize: false })
@Check('ck_cp_display_name', `char_length(btrim(display_name)) >= 1`)
@Check('ck_cp_bio', `char_length(bio) >= 1`)
@Check('ck_cp_specialties', `cardinality(specialties) <= 10`)
@Check('ck_cp_languages', `cardinality(languages) <= 10`)
@Check('ck_cp_tags', `cardinality(tags) <= 20`)
@Check('ck_cp_follower_count', `follower_count >= 0`)
@Check('ck_cp_public_bot_count', `public_bot_count >= 0`)
@Check('ck_cp_total_conversations', `total_conversations >= 0`)
@Check('ck_cp_total_likes', `total_likes >= 0`)
export class CreatorProfile extends TimestampedEntity {
  @Column({ type: 'uuid' }) userId!: string;
  @ManyToOne('User', { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'fk_creator_profiles_user' })
  user?: Relation<User>;

  @Column({ type: 'varchar', length: 100 }) displayName!: string;
  @Column({ type: 'varchar', length: 1000 }) bio!: string;

  @Column({ type: 'uuid', nullable: true }) avatarMediaId!: string | null;
  @ManyToOne('Media', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'avatar_media_id', foreignKeyConstraintName: 'fk_creator_profiles_avatar_media' })
  avatarMedia?: Relation<Media> | null;

  @Column({ type: 'uuid', nullable: true }) bannerMediaId!: string | null;
  @ManyToOne('Media', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'banner_media_id', foreignKeyConstraintName: 'fk_creator_profiles_banner_media' })
  bannerMedia?: Relation<Media> | null;

  @Column({ type: 'enum', enum: CreatorType, enumName: 'creator_type', default: CreatorType.Individual })
  creatorType!: CreatorType;
  @Column({ type: 'enum', enum: CreatorSpecialty, enumName: 'creator_specialty', array: true, default: '{}' })
  specialties!: CreatorSpecialty[];
  @Column({ type: 'enum', enum: CreatorExperience, enumName: 'creator_experience', nullable: true })
  experienceLevel!: CreatorExperience | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) location!: string | null;
  @Column({ type: 'text', array: true, default: '{}' }) languages!: string[];
  @Column({ type: 'text', array: true, default: '{}' }) tags!: string[];

  @Column({
    type: 'enum',
    enum: CreatorProfileVisibility,
    enumName: 'creator_profile_visibility',
    default: CreatorProfileVisibility.Public,
  })
  profileVisibility!: CreatorProfileVisibility;
  @Column({ type: 'boolean', default: true }) allowCollaboration!: boolean;
  @Column({ type: 'boolean', default: false }) acceptsCommissions!: boolean;
  @Column({ type: 'varchar', length: 2000, nullable: true }) commissionInfo!: string | null;

  @Column({
    type: 'enum',
    enum: CreatorVerification,
    enumName: 'creator_verification',
    default: CreatorVerification.Unverified,
  })
  verificationStatus!: CreatorVerification;
  @Column({ type: 'timestamptz', nullable: true }) verificationRequestedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) verifiedAt!: Date | null;
  @Column({ type: 'uuid', nullable: true }) verifiedById!: string | null;
  @ManyToOne('User', { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'verified_by_id', foreignKeyConstraintName: 'fk_creator_profiles_verified_by' })
  verifiedBy?: Relation<User> | null;
  @Column({ type: 'varchar', length: 1000, nullable: true }) verificationNote!: string | null;

  @Column({ type: 'boolean', default: false }) isFeatured!: boolean;
  @Column({ type: 'timestamptz', nullable: true }) featuredAt!: Date | null;

  @Column({
    type: 'enum',
    enum: ModerationStatus,
    enumName: MODERATION_STATUS_ENUM,
    default: ModerationStatus.Visible,
  })
  moderationStatus!: ModerationStatus;
  @Column({ type: 'varchar', length: 500, nullable: true }) moderationReason!: string | null;

  @Column({ type: 'integer', default: 0 }) followerCount!: number;
  @Column({ type: 'integer', default: 0 }) publicBotCount!: number;
  @Column({ type: 'integer', default: 0 }) totalConversations!: number;
  @Column({ type: 'integer', default: 0 }) totalLikes!: number;
  @Column({ type: 'timestamptz', nullable: true }) statsRefreshedAt!: Date | null;
  @Column({ type: 'timestamptz', nullable: true }) lastActiveAt!: Date | null;

  @Column({
    type: 'tsvector',
    generatedType: 'STORED',
    asExpression: `to_tsvector('simple'::regconfig, coalesce(display_name, '') || ' ' || coalesce(bio, ''))`,
    select: false,
    insert: false,
    update: false,
  })
  searchVector?: string;
}
