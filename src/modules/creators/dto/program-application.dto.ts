import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import type { ApplicationAnswer, EligibilitySnapshot } from '../entities/creator-program-application.entity.js';
import { ProgramApplicationStatus, ProgramMembershipStatus } from '../entities/creator.enums.js';

export class ApplicationAnswerDto {
  /** The question answered. */
  @IsUUID() question_id!: string;
  /** Text (≤5000), a boolean for yes_no, or one of the options. */
  @ApiProperty({ oneOf: [{ type: 'string' }, { type: 'boolean' }] })
  @IsDefined()
  answer!: string | boolean;
}

export class ApplyDto {
  /** Why you want to join (≤5000). */
  @IsOptional() @IsString() @MaxLength(5000) motivation?: string;
  /** Answers to the programme's questions. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ApplicationAnswerDto)
  answers?: ApplicationAnswerDto[];
  /** 1–10 of your public bots, when the programme reviews portfolios. */
  @IsOptional() @IsArray() @ArrayMaxSize(10) @ArrayUnique() @IsUUID('all', { each: true }) portfolio_bot_ids?: string[];
  /** The tier you apply for. */
  @IsOptional() @IsInt() @Min(1) requested_tier_level?: number;
}

export class ApproveApplicationDto {
  /** Tier to grant (default: the requested tier, else the lowest). */
  @IsOptional() @IsInt() @Min(1) tier_level?: number;
  /** Shown to the applicant (≤2000). */
  @IsOptional() @IsString() @MaxLength(2000) decision_reason?: string;
  /** Reviewers only (≤5000). */
  @IsOptional() @IsString() @MaxLength(5000) reviewer_notes?: string;
}

export class RejectApplicationDto {
  /** Shown to the applicant (1–2000). */
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @Length(1, 2000)
  decision_reason!: string;
  /** Reviewers only (≤5000). */
  @IsOptional() @IsString() @MaxLength(5000) reviewer_notes?: string;
}

export class EndMembershipDto {
  /** Why the membership ends (≤500). */
  @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

const toBool = ({ value }: { value: unknown }) =>
  value === 'true' || value === true ? true : value === 'false' || value === false ? false : value;

export class ListApplicationsQueryDto extends PageQueryDto {
  /** Programme slug. */
  @IsOptional() @IsString() @Length(1, 80) program?: string;
  @ApiPropertyOptional({ enum: ProgramApplicationStatus, enumName: 'ProgramApplicationStatus' })
  @IsOptional()
  @IsEnum(ProgramApplicationStatus)
  status?: ProgramApplicationStatus;
  /** Only my own applications (moderators see the whole queue otherwise). */
  @IsOptional() @Transform(toBool) @IsBoolean() mine?: boolean;
}

export class ApplicationProgramRefDto {
  id!: string;
  slug!: string;
  name!: string;
  program_type!: string;
}

export class ApplicationApplicantDto {
  creator_profile_id!: string;
  username!: string;
  display_name!: string;
}

export class ProgramApplicationResponseDto {
  id!: string;
  program!: ApplicationProgramRefDto;
  applicant!: ApplicationApplicantDto;
  @ApiProperty({ enum: ProgramApplicationStatus, enumName: 'ProgramApplicationStatus' })
  status!: ProgramApplicationStatus;
  motivation!: string | null;
  answers!: ApplicationAnswer[];
  eligibility_snapshot!: EligibilitySnapshot;
  requested_tier_id!: string | null;
  portfolio_bot_ids!: string[];
  reviewer_id!: string | null;
  review_started_at!: string | null;
  decided_at!: string | null;
  withdrawn_at!: string | null;
  decision_reason!: string | null;
  /** Reviewers only; never shown to the applicant. */
  reviewer_notes?: string | null;
  membership_id!: string | null;
  created_at!: string;
  updated_at!: string;
}

export class ProgramMemberDto {
  membership_id!: string;
  @ApiProperty({ enum: ProgramMembershipStatus, enumName: 'ProgramMembershipStatus' })
  status!: ProgramMembershipStatus;
  tier_level!: number | null;
  tier_name!: string | null;
  started_at!: string;
  expires_at!: string | null;
  creator!: { id: string; username: string; display_name: string; avatar_url: string | null };
}
