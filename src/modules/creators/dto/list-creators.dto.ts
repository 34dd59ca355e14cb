import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, Length, Matches } from 'class-validator';
import { ModerationStatus } from '../../../common/access/access.enums.js';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import {
  CreatorProfileVisibility,
  CreatorSpecialty,
  CreatorType,
  CreatorVerification,
} from '../entities/creator.enums.js';
import { BCP47 } from './create-creator-profile.dto.js';

export enum CreatorSort {
  Followers = 'followers',
  Recent = 'recent',
  Bots = 'bots',
  Conversations = 'conversations',
  Name = 'name',
}

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

export class ListCreatorsQueryDto extends PageQueryDto {
  /** Full-text search over display name and bio. */
  @IsOptional() @IsString() @Length(1, 200) q?: string;
  @ApiPropertyOptional({ enum: CreatorSpecialty, enumName: 'CreatorSpecialty' })
  @IsOptional()
  @IsEnum(CreatorSpecialty)
  specialty?: CreatorSpecialty;
  @ApiPropertyOptional({ enum: CreatorType, enumName: 'CreatorType' })
  @IsOptional()
  @IsEnum(CreatorType)
  creator_type?: CreatorType;
  @ApiPropertyOptional({ enum: CreatorVerification, enumName: 'CreatorVerification' })
  @IsOptional()
  @IsEnum(CreatorVerification)
  verification?: CreatorVerification;
  /** Only featured creators. */
  @IsOptional() @Transform(toBool) @IsBoolean() featured?: boolean;
  /** Only creators who accept commissions (or only those who do not). */
  @IsOptional() @Transform(toBool) @IsBoolean() accepts_commissions?: boolean;
  /** A BCP 47 tag the creator lists. */
  @IsOptional() @IsString() @Matches(BCP47) language?: string;
  /** Only creators I follow (signed in). */
  @IsOptional() @Transform(toBool) @IsBoolean() followed?: boolean;
  @ApiPropertyOptional({ enum: CreatorSort, enumName: 'CreatorSort', default: CreatorSort.Followers })
  @IsOptional()
  @IsEnum(CreatorSort)
  sort?: CreatorSort;
  /** Moderators and admins: list unlisted or private profiles instead of public ones. */
  @ApiPropertyOptional({ enum: CreatorProfileVisibility, enumName: 'CreatorProfileVisibility' })
  @IsOptional()
  @IsEnum(CreatorProfileVisibility)
  visibility?: CreatorProfileVisibility;
  /** Moderators and admins: list hidden profiles instead of visible ones. */
  @ApiPropertyOptional({ enum: ModerationStatus, enumName: 'ModerationStatus' })
  @IsOptional()
  @IsEnum(ModerationStatus)
  moderation_status?: ModerationStatus;
}
