import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import { BotBackroomsClass, BotClassification, BotGender } from '../entities/bot.enums.js';

export const EXPLORE_MAX_LIMIT = 50;

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;
/** `?tags=a,b` and `?tags=a&tags=b` both become ['a', 'b']. */
const toList = ({ value }: { value: unknown }) => {
  if (value === undefined || value === null) return value;
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
};

export type ExploreSort = 'recent' | 'popular' | 'favorites' | 'name' | 'name_desc' | 'random' | 'recently_chatted';

export class ExploreBotsQueryDto {
  /** Page length (1–50, default 20). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(EXPLORE_MAX_LIMIT) limit?: number;
  /** Opaque cursor from the previous page's `next_cursor`. */
  @IsOptional() @IsString() @MaxLength(500) cursor?: string;
  /** Full-text search over name and description. */
  @IsOptional() @IsString() @Length(1, 200) q?: string;
  /** Any of these tags (comma-separated or repeated). */
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  tags?: string[];
  /** Any of these classifications. */
  @ApiPropertyOptional({ enum: BotClassification, enumName: 'BotClassification', isArray: true })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsEnum(BotClassification, { each: true })
  classifications?: BotClassification[];
  /** main (main + both, default) or backrooms (backrooms + both; needs the mature-content opt-in). */
  @ApiPropertyOptional({ enum: ['main', 'backrooms'] })
  @IsOptional()
  @IsIn(['main', 'backrooms'])
  venue?: 'main' | 'backrooms';
  /** Any of these backrooms classifications. */
  @ApiPropertyOptional({ enum: BotBackroomsClass, enumName: 'BotBackroomsClass', isArray: true })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @IsEnum(BotBackroomsClass, { each: true })
  backrooms_classifications?: BotBackroomsClass[];
  /** Only this creator's bots (username). */
  @IsOptional() @IsString() @Length(1, 30) creator?: string;
  /** Only this gender. */
  @ApiPropertyOptional({ enum: BotGender, enumName: 'BotGender' })
  @IsOptional()
  @IsEnum(BotGender)
  gender?: BotGender;
  /** Only featured (true) or only unfeatured (false) bots. */
  @IsOptional() @Transform(toBool) @IsBoolean() featured?: boolean;
  /** Only bots I liked (signed in). */
  @IsOptional() @Transform(toBool) @IsBoolean() liked?: boolean;
  /** Only bots I favourited (signed in). */
  @IsOptional() @Transform(toBool) @IsBoolean() favorited?: boolean;
  /** Only bots of creators I follow (signed in). */
  @IsOptional() @Transform(toBool) @IsBoolean() followed_creators?: boolean;
  /** public (default) or accessible (adds my own and granted bots; signed in). */
  @ApiPropertyOptional({ enum: ['public', 'accessible'] })
  @IsOptional()
  @IsIn(['public', 'accessible'])
  scope?: 'public' | 'accessible';
  /** Sort order (default recent). `recently_chatted` needs a token and lists only bots the caller has chatted with. */
  @ApiPropertyOptional({ enum: ['recent', 'popular', 'favorites', 'name', 'name_desc', 'random', 'recently_chatted'] })
  @IsOptional()
  @IsIn(['recent', 'popular', 'favorites', 'name', 'name_desc', 'random', 'recently_chatted'])
  sort?: ExploreSort;
  /** Seed of sort=random (echoed back; pass it again with the cursor). */
  @IsOptional() @IsString() @Length(1, 64) seed?: string;
  /** Moderators: `hidden` lists bots taken down by moderation instead. */
  @ApiPropertyOptional({ enum: ['hidden'] })
  @IsOptional()
  @IsIn(['hidden'])
  moderation?: 'hidden';
}

export class MyBotsQueryDto extends PageQueryDto {
  /** owner (default): bots I own; collaborator: bots I hold an edit/manage grant on. */
  @ApiPropertyOptional({ enum: ['owner', 'collaborator'] })
  @IsOptional()
  @IsIn(['owner', 'collaborator'])
  role?: 'owner' | 'collaborator';
}

export class CreatorBotsQueryDto {
  /** Page length (1–50, default 20). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(EXPLORE_MAX_LIMIT) limit?: number;
  /** Opaque cursor from the previous page's `next_cursor`. */
  @IsOptional() @IsString() @MaxLength(500) cursor?: string;
}
