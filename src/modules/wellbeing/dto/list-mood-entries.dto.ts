import { IsISO8601, IsOptional, IsString, IsTimeZone, Matches } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class ListMoodEntriesDto extends PageQueryDto {
  /** Oldest local date to include (entry_date ≥ from), YYYY-MM-DD. @example "2026-11-01" */
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  from?: string;
  /** Newest local date to include (entry_date ≤ to), YYYY-MM-DD. @example "2026-11-30" */
  @IsOptional() @Matches(DATE, { message: 'to must be a date (YYYY-MM-DD)' }) @IsISO8601({ strict: true }) to?: string;
}

export class TodayMoodQueryDto {
  /** IANA time zone that decides which local day is "today" (default UTC). @example "Europe/Berlin" */
  @IsOptional() @IsString() @IsTimeZone() timezone?: string;
}
