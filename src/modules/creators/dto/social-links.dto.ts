import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsEnum,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { CreatorLinkPlatform } from '../entities/creator.enums.js';

export class SocialLinkDto {
  @ApiProperty({ enum: CreatorLinkPlatform, enumName: 'CreatorLinkPlatform' })
  @IsEnum(CreatorLinkPlatform)
  platform!: CreatorLinkPlatform;
  /** Required for `other`, not allowed otherwise (1–50). */
  @IsOptional() @IsString() @Length(1, 50) label?: string;
  /** An http(s) URL; discord may also be a handle. @example "https://github.com/mira" */
  @IsString() @Length(1, 2048) @MaxLength(2048) value!: string;
}

/** `PUT /creators/{username}/social-links`: the whole ordered list (≤20). */
export class PutSocialLinksDto {
  /** The links in display order. */
  @IsArray() @ArrayMaxSize(20) @ValidateNested({ each: true }) @Type(() => SocialLinkDto) links!: SocialLinkDto[];
}

export class SocialLinkResponseDto {
  platform!: CreatorLinkPlatform;
  label!: string | null;
  value!: string;
  position!: number;
}
