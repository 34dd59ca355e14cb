import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsEnum,
  IsIn,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { ModerationStatus, ResourceVisibility } from '../../../common/access/access.enums.js';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import { KnowledgeCategory, KnowledgeDifficulty } from '../knowledge.enums.js';

export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
export const trimOrNull = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
};
/** Trimmed, lower-cased, distinct, empty ones dropped. */
export const normaliseTags = ({ value }: { value: unknown }) =>
  Array.isArray(value)
    ? [...new Set(value.map((t) => (typeof t === 'string' ? t.trim().toLowerCase() : t)).filter((t) => t !== ''))]
    : value;
export const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean)
    : value;

/** BCP 47 shape (language[-script][-region][-variant…]). */
export const BCP47 = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

export class CreateCollectionDto {
  /** Name of the lore book. @example "The Elvaran Empire" */
  @Transform(trim) @IsString() @Length(1, 200) name!: string;
  /** What the book covers (≤2000). */
  @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(2000) description?: string | null;
  /** lore, memories or general. */
  @ApiPropertyOptional({ enum: KnowledgeCategory, enumName: 'KnowledgeCategory' })
  @IsOptional()
  @IsEnum(KnowledgeCategory)
  category?: KnowledgeCategory;
  /** private or shared; public only through publication (PATCH to public → 403 PUBLICATION_REQUIRED). */
  @ApiPropertyOptional({ enum: ResourceVisibility, enumName: 'ResourceVisibility' })
  @IsOptional()
  @IsEnum(ResourceVisibility)
  visibility?: ResourceVisibility;
  /** false ⇒ only view grants work. */
  @IsOptional() @IsBoolean() allow_collaboration?: boolean;
  /** Readers may fork. */
  @IsOptional() @IsBoolean() allow_fork?: boolean;
  /** Grants stop working after it. */
  @IsOptional() @Type(() => Date) @IsDate() share_expires_at?: Date | null;
  /** BCP 47 language tag. @example "en" */
  @IsOptional()
  @IsString()
  @MaxLength(35)
  @Matches(BCP47, { message: 'language must be a BCP 47 tag' })
  language?: string;
  /** beginner, intermediate, advanced or expert. */
  @ApiPropertyOptional({ enum: KnowledgeDifficulty, enumName: 'KnowledgeDifficulty' })
  @IsOptional()
  @IsEnum(KnowledgeDifficulty)
  difficulty_level?: KnowledgeDifficulty;
  /** Up to 20 tags, each ≤40 characters, stored lower-case. */
  @IsOptional()
  @Transform(normaliseTags)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  tags?: string[];
}

export class UpdateCollectionDto extends PartialType(CreateCollectionDto) {}

/** Fields of a PATCH only the owner (or an admin) may send. */
export const OWNER_ONLY_COLLECTION_FIELDS = [
  'visibility',
  'allow_collaboration',
  'allow_fork',
  'share_expires_at',
] as const;

export class ListCollectionsQueryDto extends PageQueryDto {
  /** mine, shared (granted to me), public, accessible (default when signed in; public when anonymous). */
  @ApiPropertyOptional({ enum: ['mine', 'shared', 'public', 'accessible'] })
  @IsOptional()
  @IsIn(['mine', 'shared', 'public', 'accessible'])
  scope?: 'mine' | 'shared' | 'public' | 'accessible';
  /** Only this category. */
  @ApiPropertyOptional({ enum: KnowledgeCategory, enumName: 'KnowledgeCategory' })
  @IsOptional()
  @IsEnum(KnowledgeCategory)
  category?: KnowledgeCategory;
  /** Full-text query over name and description. */
  @IsOptional() @IsString() @MaxLength(200) q?: string;
  /** Comma-separated tags; a collection matches when it has any of them. */
  @ApiPropertyOptional({ type: String })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(40, { each: true })
  tags?: string[];
  /** Only featured collections. */
  @IsOptional() @Transform(toBool) @IsBoolean() featured?: boolean;
  /** Also list `memories` tomes. */
  @IsOptional() @Transform(toBool) @IsBoolean() include_memory_tomes?: boolean;
  /** recent (default), name, entries, forks. */
  @ApiPropertyOptional({ enum: ['recent', 'name', 'entries', 'forks'] })
  @IsOptional()
  @IsIn(['recent', 'name', 'entries', 'forks'])
  sort?: 'recent' | 'name' | 'entries' | 'forks';
}

export class ForkCollectionDto {
  /** Name of the fork (default: the source's name). */
  @IsOptional() @Transform(trim) @IsString() @Length(1, 200) name?: string;
}

export class PublicationDecisionDto {
  /** true approves (the collection becomes public and curated), false rejects. */
  @IsBoolean() approve!: boolean;
  /** Notes for the owner (required when rejecting). */
  @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(2000) curator_notes?: string | null;
  /** Also feature it on approval. */
  @IsOptional() @IsBoolean() feature?: boolean;
}

export class ModerationDto {
  /** visible or hidden. */
  @ApiProperty({ enum: ModerationStatus, enumName: 'ModerationStatus' })
  @IsEnum(ModerationStatus)
  status!: ModerationStatus;
  /** Why (shown to the owner). */
  @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(500) reason?: string | null;
}

export class SharePasswordDto {
  /** 8–128 characters; stored as an argon2id hash, never returned. */
  @IsString() @Length(8, 128) password!: string;
}

export class RedeemDto {
  /** The collection's share password. */
  @IsString() @Length(1, 128) password!: string;
}
