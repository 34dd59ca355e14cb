import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsEnum, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { AccessResourceType, GrantLevel } from '../../../common/access/access.enums.js';

export class CreateGrantDto {
  /** Kind of resource the grant is for. */
  @ApiProperty({ enum: AccessResourceType, enumName: 'AccessResourceType' })
  @IsEnum(AccessResourceType)
  resource_type!: AccessResourceType;
  /** Id of the bot / knowledge collection. */
  @IsUUID('all') resource_id!: string;
  /** Username of the person receiving access. @example "mira_writes" */
  @IsString()
  @Length(1, 30)
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'grantee_username is not a valid username' })
  grantee_username!: string;
  /** Level (default: the resource's default collaborator level). */
  @ApiPropertyOptional({ enum: GrantLevel, enumName: 'GrantLevel' })
  @IsOptional()
  @IsEnum(GrantLevel)
  level?: GrantLevel;
  /** When the grant stops working (must be in the future). */
  @IsOptional() @Type(() => Date) @IsDate() expires_at?: Date;
  /** Why access was given. */
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
  /** Conditions or remarks. */
  @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

export class UpdateGrantDto {
  /** New level. */
  @ApiPropertyOptional({ enum: GrantLevel, enumName: 'GrantLevel' })
  @IsOptional()
  @IsEnum(GrantLevel)
  level?: GrantLevel;
  /** New expiry (future), or null to remove it. */
  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expires_at?: Date | null;
  /** Conditions or remarks. */
  @IsOptional() @IsString() @MaxLength(1000) note?: string;
}

export class RevokeGrantDto {
  /** Why the grant is revoked. */
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}
