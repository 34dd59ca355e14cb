import { PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  CrisisCategory,
  CrisisCost,
  CrisisFeature,
  CrisisResourceType,
  CrisisVerification,
} from '../entities/crisis.enums.js';

const PHONE = /^[0-9 +()-]+$/;
const HTTPS: Parameters<typeof IsUrl>[0] = { protocols: ['https'], require_protocol: true };
const TIME = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

export class CrisisRegionDto {
  /** ISO 3166-1 alpha-2 country, upper case. @example "GB" */
  @IsString() @Matches(/^[A-Z]{2}$/) country_code!: string;
  /** ISO 3166-2 subdivision starting with the country code. @example "US-CA" */
  @IsOptional() @IsString() @Matches(/^[A-Z]{2}-[A-Z0-9]{1,3}$/) subdivision_code?: string | null;
}

export class CrisisHoursDto {
  /** ISO weekday, 1 = Monday. */
  @IsInt() @Min(1) @Max(7) iso_weekday!: number;
  /** Local opening time, HH:MM. @example "09:00" */
  @IsString() @Matches(TIME) opens_at!: string;
  /** Local closing time, HH:MM; not after opens_at means the slot runs past midnight. @example "17:00" */
  @IsString() @Matches(TIME) closes_at!: string;
}

export class CreateCrisisResourceDto {
  /** Name of the service. */
  @IsString() @Length(1, 200) title!: string;
  /** What the service offers (≤ 4000 characters). */
  @IsString() @Length(1, 4000) description!: string;
  /** Kind of service. */
  @IsEnum(CrisisResourceType) resource_type!: CrisisResourceType;
  /** Main topic. */
  @IsEnum(CrisisCategory) resource_category!: CrisisCategory;
  /** Phone number (digits, spaces, + ( ) -; short codes allowed). */
  @IsOptional() @IsString() @Length(1, 32) @Matches(PHONE) phone_number?: string | null;
  /** Number to text. */
  @IsOptional() @IsString() @Length(1, 32) @Matches(PHONE) text_number?: string | null;
  /** What to text, e.g. the keyword. */
  @IsOptional() @IsString() @MaxLength(200) text_instructions?: string | null;
  /** https web site. */
  @IsOptional() @IsUrl(HTTPS) @MaxLength(500) website_url?: string | null;
  /** https chat page. */
  @IsOptional() @IsUrl(HTTPS) @MaxLength(500) chat_url?: string | null;
  /** https app link. */
  @IsOptional() @IsUrl(HTTPS) @MaxLength(500) app_url?: string | null;
  /** Contact e-mail address. */
  @IsOptional() @IsEmail() @MaxLength(254) email?: string | null;
  /** Serves every country; no region rows needed. */
  @IsOptional() @IsBoolean() is_worldwide?: boolean;
  /** Always open. */
  @IsOptional() @IsBoolean() is_24_7?: boolean;
  /** IANA time zone of the opening hours (default UTC). */
  @IsOptional() @IsTimeZone() timezone?: string;
  /** Free-text note on hours, e.g. holiday closures. */
  @IsOptional() @IsString() @MaxLength(300) hours_note?: string | null;
  /** Lower-case BCP 47 primary language tags. @example ["en"] */
  @IsArray() @ArrayNotEmpty() @ArrayMaxSize(50) @Matches(/^[a-z]{2,3}$/, { each: true }) languages!: string[];
  /** What it costs. */
  @IsOptional() @IsEnum(CrisisCost) cost?: CrisisCost;
  /** Service features. */
  @IsOptional() @IsArray() @IsEnum(CrisisFeature, { each: true }) features?: CrisisFeature[];
  /** Free tags (≤ 20). */
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsString({ each: true }) @Length(1, 50, { each: true }) tags?: string[];
  /** Emergency services are shown first. */
  @IsOptional() @IsBoolean() is_emergency?: boolean;
  /** Lower numbers first. */
  @IsOptional() @IsInt() @Min(-100000) @Max(100000) display_order?: number;
  /** Countries and subdivisions served (replaces the set on update). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => CrisisRegionDto)
  regions?: CrisisRegionDto[];
  /** Opening slots (replaces the set on update). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CrisisHoursDto)
  hours?: CrisisHoursDto[];
}

export class UpdateCrisisResourceDto extends PartialType(CreateCrisisResourceDto) {
  /** false deactivates (the normal way to remove a resource). */
  @IsOptional() @IsBoolean() is_active?: boolean;
  /** Keep (or make) the resource verified even though contact fields or regions change. */
  @IsOptional() @IsBoolean() verify?: boolean;
}

export class VerifyCrisisResourceDto {
  /** New verification status. */
  @IsIn([CrisisVerification.Verified, CrisisVerification.NeedsUpdate, CrisisVerification.UnderReview])
  status!: CrisisVerification;
  /** Staff-only notes. */
  @IsOptional() @IsString() @MaxLength(4000) notes?: string | null;
}
