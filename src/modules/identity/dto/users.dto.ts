import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsBoolean,
  IsDate,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { UserRole } from '../../../common/auth/actor.js';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import { Pronouns, UserStatus } from '../entities/user.entity.js';
import { IsUsername, LowerCase } from '../username.validator.js';
import { PASSWORD_MAX, PASSWORD_MIN } from './auth.dto.js';

const trimOrNull = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};
const present = (field: string) => (o: Record<string, unknown>) => o[field] !== undefined;

/**
 * Own profile fields. Changing `username` is allowed once per 30 days; the old handle is not kept, so links to
 * `/<old-username>/...` stop working.
 */
export class UpdateMeDto {
  /** Name bots use when no persona is active (trimmed; empty clears it). */
  @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(100) display_name?: string | null;
  /** New public handle; at most one change per 30 days, old URLs break. */
  @ValidateIf(present('username')) @LowerCase() @IsUsername() username?: string;
  /** An image you uploaded, or null to remove the avatar. */
  @IsOptional() @IsUUID() avatar_media_id?: string | null;
  /** What bots should call you. */
  @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(50) nickname?: string | null;
  @ApiPropertyOptional({ enum: Pronouns, enumName: 'Pronouns', nullable: true })
  @IsOptional()
  @IsEnum(Pronouns)
  pronouns?: Pronouns | null;
  /** Required when pronouns is `other`, refused otherwise. */
  @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(50) custom_pronouns?: string | null;
  /** What bots may know about you (≤ 2000 characters). */
  @IsOptional() @IsString() @MaxLength(2000) about_me?: string | null;
  /** Self-attested adult and opted in to mature content (true) or opted out (false). */
  @ValidateIf(present('mature_content_opt_in')) @IsBoolean() mature_content_opt_in?: boolean;
}

export class ChangePasswordDto {
  /** The password in use now. */
  @IsString() @MinLength(1) @MaxLength(PASSWORD_MAX) current_password!: string;
  /** 10–128 characters, not equal to the email. */
  @IsString() @Length(PASSWORD_MIN, PASSWORD_MAX) new_password!: string;
}

export class ChangeEmailDto {
  /** The password in use now. */
  @IsString() @MinLength(1) @MaxLength(PASSWORD_MAX) current_password!: string;
  /** The address to switch to once its confirmation link is used. */
  @LowerCase() @IsEmail() @MaxLength(254) new_email!: string;
}

export class DeleteAccountDto {
  /** The account password, to confirm. */
  @IsString() @MinLength(1) @MaxLength(PASSWORD_MAX) password!: string;
}

export class LookupUserQueryDto {
  /** Exact handle (case-insensitive). */
  @LowerCase() @IsString() @Length(1, 30) username!: string;
}

export class ListUsersQueryDto extends PageQueryDto {
  /** Prefix of the email or the username (case-insensitive). */
  @IsOptional() @IsString() @Length(1, 254) q?: string;
  @ApiPropertyOptional({ enum: UserRole, enumName: 'UserRole' }) @IsOptional() @IsEnum(UserRole) role?: UserRole;
  @ApiPropertyOptional({ enum: UserStatus, enumName: 'UserStatus' })
  @IsOptional()
  @IsEnum(UserStatus)
  status?: UserStatus;
}

export class SuspendUserDto {
  /** End of the suspension (future ISO 8601 time); absent means indefinite. */
  @IsOptional() @Type(() => Date) @IsDate() until?: Date;
  /** Why; shown to the person and to staff. */
  @IsString() @Transform(trimOrNull) @Length(1, 500) reason!: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: UserRole, enumName: 'UserRole' }) @IsEnum(UserRole) role!: UserRole;
}
