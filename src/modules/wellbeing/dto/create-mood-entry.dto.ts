import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDate,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MoodEmotion, MoodLabel, MoodSource } from '../entities/mood.enums.js';

/** Distinct values, first occurrence kept; non-arrays pass through for the validators to refuse. */
const distinct = ({ value }: { value: unknown }) => (Array.isArray(value) ? [...new Set(value)] : value);
/** Trims, lower-cases and de-duplicates tags; non-strings pass through for the validators to refuse. */
const normaliseTags = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? [...new Set(value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : v)))] : value;
/** ISO-8601 strings become dates; anything else stays as-is and fails @IsDate. */
const toDate = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d;
};

export class CreateMoodEntryDto {
  @ApiProperty({ enum: MoodLabel, enumName: 'MoodLabel' })
  @IsEnum(MoodLabel)
  mood!: MoodLabel;
  /** Valence 1–5; defaults from the mood (very_happy 5 … very_sad 1). */
  @IsOptional() @IsInt() @Min(1) @Max(5) score?: number;
  /** How strongly the mood is felt, 1–5 (null clears). */
  @IsOptional() @IsInt() @Min(1) @Max(5) intensity?: number | null;
  /** Energy level, 1–5 (null clears). */
  @IsOptional() @IsInt() @Min(1) @Max(5) energy?: number | null;
  /** When the mood was felt (ISO 8601): at most 30 days ago and 5 minutes ahead; default now. */
  @ApiPropertyOptional({ type: String, format: 'date-time' })
  @IsOptional()
  @Transform(toDate)
  @IsDate({ message: 'recorded_at must be an ISO-8601 date-time' })
  recorded_at?: Date;
  /** Up to 8 distinct emotions from the controlled vocabulary. */
  @ApiPropertyOptional({ enum: MoodEmotion, enumName: 'MoodEmotion', isArray: true })
  @IsOptional()
  @Transform(distinct)
  @IsArray()
  @ArrayMaxSize(8)
  @IsEnum(MoodEmotion, { each: true })
  emotions?: MoodEmotion[];
  /** Up to 10 free tags of 1–40 characters; trimmed, lower-cased, de-duplicated. @example ["work","sleep"] */
  @IsOptional()
  @Transform(normaliseTags)
  @IsArray()
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 40, { each: true })
  triggers?: string[];
  /** Private note, ≤ 2000 characters (null or blank clears). */
  @IsOptional() @IsString() @MaxLength(2000) note?: string | null;
  @ApiPropertyOptional({ enum: MoodSource, enumName: 'MoodSource' })
  @IsOptional()
  @IsEnum(MoodSource)
  source?: MoodSource;
  /** IANA time zone that decides entry_date (default UTC). Not stored. @example "Europe/Berlin" */
  @IsOptional() @IsString() @IsTimeZone() timezone?: string;
}
