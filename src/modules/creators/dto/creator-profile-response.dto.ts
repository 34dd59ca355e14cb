import { ApiProperty } from '@nestjs/swagger';
import type { AccessLevel } from '../../../common/access/access-level.js';
import { ModerationStatus } from '../../../common/access/access.enums.js';
import { mediaContentUrl } from '../../media/media-url.js';
import type { CreatorProfile } from '../entities/creator-profile.entity.js';
import type { CreatorSocialLink } from '../entities/creator-social-link.entity.js';
import {
  CreatorExperience,
  CreatorProfileVisibility,
  CreatorProgramType,
  CreatorSpecialty,
  CreatorType,
  CreatorVerification,
} from '../entities/creator.enums.js';
import { SocialLinkResponseDto } from './social-links.dto.js';

/** Directory card (creators.md §1 endpoints). */
export class CreatorCardDto {
  id!: string;
  /** The handle: users.username. */
  username!: string;
  display_name!: string;
  avatar_url!: string | null;
  @ApiProperty({ enum: CreatorType, enumName: 'CreatorType' }) creator_type!: CreatorType;
  @ApiProperty({ enum: CreatorSpecialty, enumName: 'CreatorSpecialty', isArray: true })
  specialties!: CreatorSpecialty[];
  @ApiProperty({ enum: CreatorVerification, enumName: 'CreatorVerification' })
  verification_status!: CreatorVerification;
  is_featured!: boolean;
  follower_count!: number;
  public_bot_count!: number;
  total_conversations!: number;
  total_likes!: number;
}

/** A bot in the profile showcase. `is_public` false is only ever shown to the owner and editors. */
export class FeaturedBotCardDto {
  id!: string;
  slug!: string;
  name!: string;
  picture_url!: string | null;
  position!: number;
  is_public!: boolean;
}

/** An active programme membership shown as a badge. */
export class ProgramBadgeDto {
  program_id!: string;
  slug!: string;
  name!: string;
  @ApiProperty({ enum: CreatorProgramType, enumName: 'CreatorProgramType' }) program_type!: CreatorProgramType;
  tier_level!: number | null;
  tier_name!: string | null;
  since!: string;
}

export class CreatorProfileResponseDto extends CreatorCardDto {
  user_id!: string;
  bio!: string;
  avatar_media_id!: string | null;
  banner_media_id!: string | null;
  banner_url!: string | null;
  @ApiProperty({ enum: CreatorExperience, enumName: 'CreatorExperience', nullable: true })
  experience_level!: CreatorExperience | null;
  location!: string | null;
  languages!: string[];
  tags!: string[];
  @ApiProperty({ enum: CreatorProfileVisibility, enumName: 'CreatorProfileVisibility' })
  profile_visibility!: CreatorProfileVisibility;
  allow_collaboration!: boolean;
  accepts_commissions!: boolean;
  commission_info!: string | null;
  verification_requested_at!: string | null;
  verified_at!: string | null;
  /** Owner and moderators only (else null). */
  verification_note!: string | null;
  featured_at!: string | null;
  @ApiProperty({ enum: ModerationStatus, enumName: 'ModerationStatus' }) moderation_status!: ModerationStatus;
  /** Owner and moderators only (else null). */
  moderation_reason!: string | null;
  stats_refreshed_at!: string | null;
  last_active_at!: string | null;
  created_at!: string;
  updated_at!: string;
  social_links!: SocialLinkResponseDto[];
  featured_bots!: FeaturedBotCardDto[];
  /** Active programme memberships (badges). */
  programs!: ProgramBadgeDto[];
  /** Whether the caller follows this creator; null when anonymous. */
  following!: boolean | null;
  /** The caller's effective access (owner, manage, edit, view, public, moderation). */
  my_access!: string | null;
}

const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

export function toCreatorCard(p: CreatorProfile, username: string): CreatorCardDto {
  return {
    id: p.id,
    username,
    display_name: p.displayName,
    avatar_url: mediaContentUrl(p.avatarMediaId),
    creator_type: p.creatorType,
    specialties: p.specialties,
    verification_status: p.verificationStatus,
    is_featured: p.isFeatured,
    follower_count: p.followerCount,
    public_bot_count: p.publicBotCount,
    total_conversations: p.totalConversations,
    total_likes: p.totalLikes,
  };
}

export interface ProfileResponseExtras {
  username: string;
  links: CreatorSocialLink[];
  featuredBots: FeaturedBotCardDto[];
  programs: ProgramBadgeDto[];
  following: boolean | null;
  level: AccessLevel;
  /** Owner or staff: verification_note and moderation_reason are shown. */
  privateFields: boolean;
}

export function toCreatorProfileResponse(p: CreatorProfile, x: ProfileResponseExtras): CreatorProfileResponseDto {
  return {
    ...toCreatorCard(p, x.username),
    user_id: p.userId,
    bio: p.bio,
    avatar_media_id: p.avatarMediaId,
    banner_media_id: p.bannerMediaId,
    banner_url: mediaContentUrl(p.bannerMediaId),
    experience_level: p.experienceLevel,
    location: p.location,
    languages: p.languages,
    tags: p.tags,
    profile_visibility: p.profileVisibility,
    allow_collaboration: p.allowCollaboration,
    accepts_commissions: p.acceptsCommissions,
    commission_info: p.commissionInfo,
    verification_requested_at: iso(p.verificationRequestedAt),
    verified_at: iso(p.verifiedAt),
    verification_note: x.privateFields ? p.verificationNote : null,
    featured_at: iso(p.featuredAt),
    moderation_status: p.moderationStatus,
    moderation_reason: x.privateFields ? p.moderationReason : null,
    stats_refreshed_at: iso(p.statsRefreshedAt),
    last_active_at: iso(p.lastActiveAt),
    created_at: iso(p.createdAt)!,
    updated_at: iso(p.updatedAt)!,
    social_links: [...x.links]
      .sort((a, b) => a.position - b.position)
      .map((l) => ({ platform: l.platform, label: l.label, value: l.value, position: l.position })),
    featured_bots: x.featuredBots,
    programs: x.programs,
    following: x.following,
    my_access: x.level,
  };
}

/** `PUT/DELETE/GET /creators/{username}/follow` answer. */
export class FollowStateDto {
  following!: boolean;
  follower_count!: number;
}

/** A follower in the owner's followers list: a user card plus when they followed. */
export class FollowerCardDto {
  id!: string;
  username!: string;
  display_name!: string;
  avatar_url!: string | null;
  followed_at!: string;
}

/** A creator I follow. */
export class FollowedCreatorDto extends CreatorCardDto {
  followed_at!: string;
}

/** `POST /creators/{username}/verification-request` answer (202). */
export class VerificationStateDto {
  @ApiProperty({ enum: CreatorVerification, enumName: 'CreatorVerification' })
  verification_status!: CreatorVerification;
  verification_requested_at!: string | null;
}
