import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDateString,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import {
  CreatorProgramStatus,
  CreatorProgramType,
  CreatorSpecialty,
  ProgramApplicationMethod,
  ProgramBenefitCategory,
  ProgramQuestionType,
  ProgramStanding,
} from '../entities/creator.enums.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ProgramQuestionDto {
  /** The question (1–500). */
  @Transform(trim) @IsString() @Length(1, 500) prompt!: string;
  @ApiProperty({ enum: ProgramQuestionType, enumName: 'ProgramQuestionType' })
  @IsEnum(ProgramQuestionType)
  question_type!: ProgramQuestionType;
  /** Must applicants answer it? */
  @IsOptional() @IsBoolean() is_required?: boolean;
  /** Choices (2–20) for multiple_choice; empty otherwise. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  options?: string[];
}

export class ProgramBenefitDto {
  @ApiProperty({ enum: ProgramBenefitCategory, enumName: 'ProgramBenefitCategory' })
  @IsEnum(ProgramBenefitCategory)
  category!: ProgramBenefitCategory;
  /** What the member gets (1–1000). */
  @IsString() @Length(1, 1000) description!: string;
}

export class ProgramTierDto {
  /** 1 = lowest. */
  @IsInt() @Min(1) @Max(100) level!: number;
  /** Tier name (1–100). */
  @Transform(trim) @IsString() @Length(1, 100) name!: string;
  /** Tier description (1–2000). */
  @IsString() @Length(1, 2000) description!: string;
  /** What it takes (≤2000). */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(2000) requirements?: string | null;
  /** Up to 20 benefit lines. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Length(1, 500, { each: true })
  benefits?: string[];
}

export class CreateCreatorProgramDto {
  /** Programme name (1–200). */
  @Transform(trim) @IsString() @Length(1, 200) name!: string;
  /** URL slug; derived from the name when absent. */
  @IsOptional() @IsString() @Length(1, 80) @Matches(/^[a-z0-9]+(-[a-z0-9]+)*$/) slug?: string;
  @ApiProperty({ enum: CreatorProgramType, enumName: 'CreatorProgramType' })
  @IsEnum(CreatorProgramType)
  program_type!: CreatorProgramType;
  /** For listings (1–500). */
  @IsString() @Length(1, 500) short_description!: string;
  /** Full description (1–2000). */
  @IsString() @Length(1, 2000) description!: string;
  /** An image you uploaded. */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() banner_media_id?: string | null;
  /** An image you uploaded. */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() icon_media_id?: string | null;
  /** Minimum public bots (default 1). */
  @IsOptional() @IsInt() @Min(0) @Max(10000) min_bot_count?: number;
  /** Minimum total conversations (default 0). */
  @IsOptional() @IsInt() @Min(0) min_conversations?: number;
  /** The applicant needs one of these (empty = none). */
  @ApiPropertyOptional({ enum: CreatorSpecialty, enumName: 'CreatorSpecialty', isArray: true })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsEnum(CreatorSpecialty, { each: true })
  required_specialties?: CreatorSpecialty[];
  /** Profile must be verified or premium. */
  @IsOptional() @IsBoolean() verification_required?: boolean;
  /** Applications must name 1–10 portfolio bots (default true). */
  @IsOptional() @IsBoolean() portfolio_review?: boolean;
  @ApiPropertyOptional({ enum: ProgramStanding, enumName: 'ProgramStanding' })
  @IsOptional()
  @IsEnum(ProgramStanding)
  community_standing?: ProgramStanding;
  @ApiPropertyOptional({ enum: ProgramApplicationMethod, enumName: 'ProgramApplicationMethod' })
  @IsOptional()
  @IsEnum(ProgramApplicationMethod)
  application_method?: ProgramApplicationMethod;
  /** Applications close at this time (ISO 8601). */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsDateString() application_deadline?: string | null;
  /** Public text on how applications are reviewed (≤2000). */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(2000) review_process?: string | null;
  /** e.g. "2 weeks" (≤200). */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(200) review_timeline?: string | null;
  /** Cap on active memberships; null = unlimited. */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) max_participants?: number | null;
  /** Memberships expire and must be renewed. */
  @IsOptional() @IsBoolean() renewal_required?: boolean;
  /** 1–36, required iff renewal_required. */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) @Max(36) renewal_period_months?: number | null;
  /** Human-readable note (≤2000). */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(2000) auto_accept_criteria?: string | null;
  /** Up to 20 tags. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  tags?: string[];
  /** Staff only (≤5000). */
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(5000) internal_notes?: string | null;
  /** Application form, in order (≤20). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ProgramQuestionDto)
  questions?: ProgramQuestionDto[];
  /** Benefits, in order (≤50). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => ProgramBenefitDto)
  benefits?: ProgramBenefitDto[];
  /** Tiers (≤10, distinct levels). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => ProgramTierDto)
  tiers?: ProgramTierDto[];
}

/** PATCH: every field optional; nested lists replace the stored ones (tiers are matched by level). */
export class UpdateCreatorProgramDto extends PartialType(OmitType(CreateCreatorProgramDto, ['slug'] as const)) {}

export class SetProgramStatusDto {
  @ApiProperty({ enum: CreatorProgramStatus, enumName: 'CreatorProgramStatus' })
  @IsEnum(CreatorProgramStatus)
  status!: CreatorProgramStatus;
}

export class ListProgramsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CreatorProgramType, enumName: 'CreatorProgramType' })
  @IsOptional()
  @IsEnum(CreatorProgramType)
  type?: CreatorProgramType;
  /** Default active; draft is for moderators and admins. */
  @ApiPropertyOptional({ enum: CreatorProgramStatus, enumName: 'CreatorProgramStatus' })
  @IsOptional()
  @IsEnum(CreatorProgramStatus)
  status?: CreatorProgramStatus;
}

export class AddProgramMemberDto {
  /** The creator's username. */
  @IsString() @Length(1, 30) username!: string;
  /** Tier level (default: lowest). */
  @IsOptional() @IsInt() @Min(1) tier_level?: number;
}

export class ProgramQuestionResponseDto {
  id!: string;
  position!: number;
  prompt!: string;
  @ApiProperty({ enum: ProgramQuestionType, enumName: 'ProgramQuestionType' }) question_type!: ProgramQuestionType;
  is_required!: boolean;
  options!: string[];
}
export class ProgramBenefitResponseDto {
  @ApiProperty({ enum: ProgramBenefitCategory, enumName: 'ProgramBenefitCategory' }) category!: ProgramBenefitCategory;
  description!: string;
  position!: number;
}
export class ProgramTierResponseDto {
  id!: string;
  level!: number;
  name!: string;
  description!: string;
  requirements!: string | null;
  benefits!: string[];
}

export class ProgramStatsDto {
  total_applicants!: number;
  accepted_creators!: number;
  active_creators!: number;
  open_spots!: number | null;
  /** Moderators and admins: applications per status. */
  by_status?: Record<string, number>;
  /** Moderators and admins: median days from submission to decision. */
  median_days_to_decision?: number | null;
}

export class CreatorProgramResponseDto {
  id!: string;
  name!: string;
  slug!: string;
  @ApiProperty({ enum: CreatorProgramType, enumName: 'CreatorProgramType' }) program_type!: CreatorProgramType;
  @ApiProperty({ enum: CreatorProgramStatus, enumName: 'CreatorProgramStatus' }) status!: CreatorProgramStatus;
  short_description!: string;
  description!: string;
  banner_url!: string | null;
  icon_url!: string | null;
  min_bot_count!: number;
  min_conversations!: number;
  @ApiProperty({ enum: CreatorSpecialty, enumName: 'CreatorSpecialty', isArray: true })
  required_specialties!: CreatorSpecialty[];
  verification_required!: boolean;
  portfolio_review!: boolean;
  @ApiProperty({ enum: ProgramStanding, enumName: 'ProgramStanding' }) community_standing!: ProgramStanding;
  @ApiProperty({ enum: ProgramApplicationMethod, enumName: 'ProgramApplicationMethod' })
  application_method!: ProgramApplicationMethod;
  application_deadline!: string | null;
  review_process!: string | null;
  review_timeline!: string | null;
  max_participants!: number | null;
  renewal_required!: boolean;
  renewal_period_months!: number | null;
  auto_accept_criteria!: string | null;
  launch_date!: string | null;
  tags!: string[];
  /** Moderators and admins only. */
  internal_notes?: string | null;
  created_at!: string;
  updated_at!: string;
  questions?: ProgramQuestionResponseDto[];
  benefits?: ProgramBenefitResponseDto[];
  tiers?: ProgramTierResponseDto[];
  stats?: ProgramStatsDto;
}
