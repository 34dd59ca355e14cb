import { ApiProperty } from '@nestjs/swagger';
import { AccessResourceType, GrantLevel, GrantMethod, GrantStatus } from '../../../common/access/access.enums.js';
import { UserCardDto } from './user-card.dto.js';

/** A short description of the shared resource. */
export class ResourceCardDto {
  /** Resource id. */
  id!: string;
  /** Kind of resource. */
  @ApiProperty({ enum: AccessResourceType, enumName: 'AccessResourceType' }) type!: AccessResourceType;
  /** Display name. */
  name!: string;
  /** Slug, where the resource has one. */
  slug!: string | null;
  /** Picture URL, where the resource has one. */
  picture_url!: string | null;
  /** The owner. */
  owner!: UserCardDto;
}

export class GrantResponseDto {
  /** Grant id. */
  id!: string;
  /** Kind of resource. */
  @ApiProperty({ enum: AccessResourceType, enumName: 'AccessResourceType' }) resource_type!: AccessResourceType;
  /** Resource id. */
  resource_id!: string;
  /** Who received access. */
  grantee!: UserCardDto;
  /** Level. */
  @ApiProperty({ enum: GrantLevel, enumName: 'GrantLevel' }) level!: GrantLevel;
  /** How the grant came about. */
  @ApiProperty({ enum: GrantMethod, enumName: 'GrantMethod' }) grant_method!: GrantMethod;
  /** Who granted it (null once that account is deleted, or for system grants). */
  granted_by!: UserCardDto | null;
  /** Why access was given. */
  reason!: string | null;
  /** Conditions or remarks. */
  note!: string | null;
  /** When it stops working. */
  expires_at!: Date | null;
  /** When it was revoked. */
  revoked_at!: Date | null;
  /** Why it was revoked. */
  revoke_reason!: string | null;
  /** Computed: active, expired, suspended (resource private or share expired), revoked. */
  @ApiProperty({ enum: GrantStatus, enumName: 'GrantStatus' }) status!: GrantStatus;
  /** Last use (written at most once a minute). */
  last_used_at!: Date | null;
  /** Number of recorded uses. */
  use_count!: number;
  /** The resource (in "received" lists). */
  resource?: ResourceCardDto;
  /** Created. */
  created_at!: Date;
  /** Last changed. */
  updated_at!: Date;
}

export class GrantPageDto {
  /** Grants. */
  items!: GrantResponseDto[];
  /** Cursor of the next page, or null. */
  next_cursor!: string | null;
}
