import { PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQueryDto } from '../../../../common/pagination/page-query.dto.js';
import type { CrisisKeyword } from '../entities/crisis-keyword.entity.js';
import { CrisisCategory, CrisisSeverity } from '../entities/crisis.enums.js';

const LANG = /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

export class CreateCrisisKeywordDto {
  /** Phrase; stored lower case, accents folded, single spaces. */
  @IsString() @Length(1, 100) phrase!: string;
  /** BCP 47 language tag. @example "en" */
  @IsString() @Length(2, 12) @Matches(LANG) language!: string;
  /** Category of help it points to. */
  @IsEnum(CrisisCategory) category!: CrisisCategory;
  /** high = imminent risk (default elevated). */
  @IsOptional() @IsEnum(CrisisSeverity) severity?: CrisisSeverity;
  /** Inactive keywords never match. */
  @IsOptional() @IsBoolean() is_active?: boolean;
}

export class UpdateCrisisKeywordDto extends PartialType(CreateCrisisKeywordDto) {}

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListCrisisKeywordsDto extends PageQueryDto {
  /** Only this language. */
  @IsOptional() @IsString() @Matches(LANG) language?: string;
  /** Only this category. */
  @IsOptional() @IsEnum(CrisisCategory) category?: CrisisCategory;
  /** Only active (true) or inactive (false) keywords. */
  @IsOptional() @Transform(toBool) @IsBoolean() is_active?: boolean;
}

export class CrisisKeywordResponseDto {
  id!: string;
  phrase!: string;
  language!: string;
  category!: CrisisCategory;
  severity!: CrisisSeverity;
  is_active!: boolean;
  created_by_id!: string | null;
  created_at!: Date;
  updated_at!: Date;
}

export class CrisisKeywordPageDto {
  items!: CrisisKeywordResponseDto[];
  next_cursor!: string | null;
}

export function toCrisisKeywordResponse(k: CrisisKeyword): CrisisKeywordResponseDto {
  return {
    id: k.id,
    phrase: k.phrase,
    language: k.language,
    category: k.category,
    severity: k.severity,
    is_active: k.isActive,
    created_by_id: k.createdById,
    created_at: k.createdAt,
    updated_at: k.updatedAt,
  };
}
