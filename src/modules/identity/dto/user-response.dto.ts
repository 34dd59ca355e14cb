import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UserRole } from '../../../common/auth/actor.js';
import { Pronouns, type User, UserStatus } from '../entities/user.entity.js';
import { mediaContentUrl } from '../../media/media-url.js';
import type { UserView } from '../user.policy.js';

/** The public face of an account: what other people see next to bots, reviews and messages. */
export class UserCardDto {
  id!: string;
  /** Public handle. */
  username!: string;
  /** The creator profile's display name if one exists, else the username. */
  display_name!: string;
  /** Avatar image URL, or null. */
  avatar_url!: string | null;
}

/**
 * A user card. `creatorDisplayName` is the creator profile's display name (creators.md) when the caller loaded it;
 * without a creator profile the card shows the username (identity.md §1).
 */
export function toUserCard(
  user: Pick<User, 'id' | 'username' | 'avatarMediaId'>,
  creatorDisplayName?: string | null,
): UserCardDto {
  return {
    id: user.id,
    username: user.username,
    display_name: creatorDisplayName || user.username,
    avatar_url: mediaContentUrl(user.avatarMediaId),
  };
}

/** An account as its owner sees it (`GET /users/me`): every field except the hidden ones. */
export class UserAccountDto {
  id!: string;
  email!: string;
  username!: string;
  @ApiProperty({ enum: UserRole, enumName: 'UserRole' }) role!: UserRole;
  @ApiProperty({ enum: UserStatus, enumName: 'UserStatus' }) status!: UserStatus;
  /** End of the suspension; null with status suspended means indefinite. */
  suspended_until!: Date | null;
  suspension_reason!: string | null;
  /** Whether the email address has been confirmed. */
  email_verified!: boolean;
  email_verified_at!: Date | null;
  display_name!: string | null;
  avatar_media_id!: string | null;
  avatar_url!: string | null;
  nickname!: string | null;
  @ApiProperty({ enum: Pronouns, enumName: 'Pronouns', nullable: true }) pronouns!: Pronouns | null;
  custom_pronouns!: string | null;
  about_me!: string | null;
  /** Whether the person attested being adult and opted in to mature content. */
  mature_content_opt_in!: boolean;
  mature_content_opt_in_at!: Date | null;
  /** Self and admins only. */
  @ApiPropertyOptional() last_login_at?: Date | null;
  username_changed_at!: Date | null;
  created_at!: Date;
  updated_at!: Date;
}

/** A full non-secret record as staff see it; admins also get the last sign-in and the legacy ids. */
export class UserRecordDto extends UserAccountDto {
  /** Admin only: id on the previous site. */
  @ApiPropertyOptional() legacy_user_id?: string | null;
  /** Admin only. */
  @ApiPropertyOptional() legacy_migrated_at?: Date | null;
}

/** `GET /users/lookup`: the card for everyone; moderators add email, role and status; admins the whole record. */
export class UserLookupDto extends UserCardDto {
  @ApiPropertyOptional() email?: string;
  @ApiPropertyOptional({ enum: UserRole, enumName: 'UserRole' }) role?: UserRole;
  @ApiPropertyOptional({ enum: UserStatus, enumName: 'UserStatus' }) status?: UserStatus;
  /** Admin only: the full record. */
  @ApiPropertyOptional({ type: () => UserRecordDto }) account?: UserRecordDto;
}

/** A list page of records (staff). */
export class UserPageDto {
  @ApiProperty({ type: () => [UserRecordDto] }) items!: UserRecordDto[];
  next_cursor!: string | null;
}

/** The record in the given view; `card` callers never reach this (they get toUserCard). */
export function toUserRecord(user: User, view: Exclude<UserView, 'card'>): UserRecordDto {
  const dto: UserRecordDto = {
    id: user.id,
    email: user.email,
    username: user.username,
    role: user.role,
    status: user.status,
    suspended_until: user.suspendedUntil,
    suspension_reason: user.suspensionReason,
    email_verified: user.emailVerifiedAt !== null,
    email_verified_at: user.emailVerifiedAt,
    display_name: user.displayName,
    avatar_media_id: user.avatarMediaId,
    avatar_url: mediaContentUrl(user.avatarMediaId),
    nickname: user.nickname,
    pronouns: user.pronouns,
    custom_pronouns: user.customPronouns,
    about_me: user.aboutMe,
    mature_content_opt_in: user.matureContentOptInAt !== null,
    mature_content_opt_in_at: user.matureContentOptInAt,
    username_changed_at: user.usernameChangedAt,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
  };
  if (view === 'self' || view === 'admin') dto.last_login_at = user.lastLoginAt;
  if (view === 'admin') {
    dto.legacy_user_id = user.legacyUserId;
    dto.legacy_migrated_at = user.legacyMigratedAt;
  }
  return dto;
}

export function toUserAccount(user: User): UserAccountDto {
  return toUserRecord(user, 'self');
}

export function toUserLookup(user: User, view: UserView): UserLookupDto {
  const card = toUserCard(user);
  if (view === 'card') return card;
  const staff: UserLookupDto = { ...card, email: user.email, role: user.role, status: user.status };
  if (view === 'admin') staff.account = toUserRecord(user, 'admin');
  return staff;
}
