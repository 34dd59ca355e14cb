import { ApiHideProperty, ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import {
  CreatorExperience,
  CreatorProfileVisibility,
  CreatorSpecialty,
  CreatorType,
} from '../entities/creator.enums.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const trimLowerEach = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)) : value;
/** A BCP 47 language tag such as `en`, `pt-BR`, `zh-Hant`. */
export const BCP47 = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}$/;

export class CreateCreatorProfileDto {
  /** Name shown on the profile and in the directory (1–100 characters, trimmed). @example "Mira Studio" */
  @Transform(trim) @IsString() @Length(1, 100) display_name!: string;
  /** About the creator (1–1000 characters). */
  @IsString() @Length(1, 1000) bio!: string;
  /** An image you uploaded (null clears it). */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() avatar_media_id?: string | null;
  /** A banner image you uploaded (null clears it). */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() banner_media_id?: string | null;
  @ApiPropertyOptional({ enum: CreatorType, enumName: 'CreatorType' })
  @IsOptional()
  @IsEnum(CreatorType)
  creator_type?: CreatorType;
  /** Up to 10 distinct specialties. */
  @ApiPropertyOptional({ enum: CreatorSpecialty, enumName: 'CreatorSpecialty', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsEnum(CreatorSpecialty, { each: true })
  specialties?: CreatorSpecialty[];
  @ApiPropertyOptional({ enum: CreatorExperience, enumName: 'CreatorExperience', nullable: true })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsEnum(CreatorExperience)
  experience_level?: CreatorExperience | null;
  /** Free-text location (≤100). */
  @IsOptional() @ValidateIf((_, v) => v !== null) @Transform(trim) @IsString() @MaxLength(100) location?: string | null;
  /** Up to 10 BCP 47 language tags. @example ["en", "pt-BR"] */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(BCP47, { each: true, message: 'each language must be a BCP 47 tag such as en or pt-BR' })
  languages?: string[];
  /** Up to 20 tags, each 1–40 characters; stored lower-case. */
  @IsOptional()
  @Transform(trimLowerEach)
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  tags?: string[];
  @ApiPropertyOptional({ enum: CreatorProfileVisibility, enumName: 'CreatorProfileVisibility' })
  @IsOptional()
  @IsEnum(CreatorProfileVisibility)
  profile_visibility?: CreatorProfileVisibility;
  /** false ⇒ edit/manage grants on the profile act as view grants. */
  @IsOptional() @IsBoolean() allow_collaboration?: boolean;
  /** Whether the creator takes commissions. */
  @IsOptional() @IsBoolean() accepts_commissions?: boolean;
  /** Commission terms (≤2000). */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(2000) commission_info?: string | null;
}

/**
 * Fields nobody writes through PATCH: the owner may read them, staff change them through their own endpoints
 * (verification, feature, moderation) and counters are kept by the system. They are accepted by the DTO on purpose
 * (`@Allow`, hidden from the OpenAPI document) so the service can refuse them with 403 FIELD_NOT_WRITABLE naming the
 * field, instead of the validation pipe silently treating them as unknown.
 */
export const READ_ONLY_PROFILE_FIELDS = [
  'verification_status',
  'verification_requested_at',
  'verified_at',
  'verified_by_id',
  'verification_note',
  'is_featured',
  'featured_at',
  'moderation_status',
  'moderation_reason',
  'follower_count',
  'public_bot_count',
  'total_conversations',
  'total_likes',
  'stats_refreshed_at',
  'last_active_at',
] as const;

/** Only the owner (or an admin) changes these; editors get 403. */
export const OWNER_ONLY_PROFILE_FIELDS = ['profile_visibility', 'allow_collaboration'] as const;

/** PATCH body: every create field is optional; the read-only fields are refused with 403 (see above). */
export class UpdateCreatorProfileDto extends PartialType(CreateCreatorProfileDto) {
  // Read-only fields: see READ_ONLY_PROFILE_FIELDS. Present only so a write attempt gets 403 naming the field.
  @ApiHideProperty() @Allow() verification_status?: unknown;
  @ApiHideProperty() @Allow() verification_requested_at?: unknown;
  @ApiHideProperty() @Allow() verified_at?: unknown;
  @ApiHideProperty() @Allow() verified_by_id?: unknown;
  @ApiHideProperty() @Allow() verification_note?: unknown;
  @ApiHideProperty() @Allow() is_featured?: unknown;
  @ApiHideProperty() @Allow() featured_at?: unknown;
  @ApiHideProperty() @Allow() moderation_status?: unknown;
  @ApiHideProperty() @Allow() moderation_reason?: unknown;
  @ApiHideProperty() @Allow() follower_count?: unknown;
  @ApiHideProperty() @Allow() public_bot_count?: unknown;
  @ApiHideProperty() @Allow() total_conversations?: unknown;
  @ApiHideProperty() @Allow() total_likes?: unknown;
  @ApiHideProperty() @Allow() stats_refreshed_at?: unknown;
  @ApiHideProperty() @Allow() last_active_at?: unknown;
}

/** `PUT /creators/{username}/verification` body. */
export enum VerificationDecision {
  Verified = 'verified',
  Unverified = 'unverified',
  Premium = 'premium',
}
export class SetVerificationDto {
  @ApiProperty({ enum: VerificationDecision, enumName: 'VerificationDecision' })
  @IsEnum(VerificationDecision)
  status!: VerificationDecision;
  /** Note for the owner and moderators (≤1000). */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(1000) note?: string | null;
}

export enum ModerationDecision {
  Visible = 'visible',
  Hidden = 'hidden',
}
/** `PUT /creators/{username}/moderation` body. */
export class SetProfileModerationDto {
  @ApiProperty({ enum: ModerationDecision, enumName: 'ModerationDecision' })
  @IsEnum(ModerationDecision)
  status!: ModerationDecision;
  /** Required when hiding (≤500); shown to the owner. */
  @ValidateIf((o: SetProfileModerationDto) => o.status === ModerationDecision.Hidden || o.reason != null)
  @IsString()
  @Length(1, 500)
  reason?: string | null;
}
