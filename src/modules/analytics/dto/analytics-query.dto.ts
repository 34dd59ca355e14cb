import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];
export const BACKFILL_SCOPES = ['user', 'bot', 'persona', 'memory', 'platform', 'all'] as const;
export type BackfillScopeValue = (typeof BACKFILL_SCOPES)[number];

/** A date range of a rollup series (analytics.md §4): default the last 30 days, at most 366 days. */
export class AnalyticsRangeQueryDto {
  /** First UTC day (YYYY-MM-DD); default 29 days before `to`. @example "2026-11-01" */
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  from?: string;
  /** Last UTC day (YYYY-MM-DD); default today. @example "2026-11-30" */
  @IsOptional() @Matches(DATE, { message: 'to must be a date (YYYY-MM-DD)' }) @IsISO8601({ strict: true }) to?: string;
  /** Period of each point: day, ISO week (starting Monday) or calendar month. */
  @IsOptional() @IsIn(GRANULARITIES) granularity?: Granularity;
}

export class MemoryStatsQueryDto extends AnalyticsRangeQueryDto {
  /** Only this bot's memory activity (default: all bots). */
  @IsOptional() @IsUUID() bot_id?: string;
}

export class PersonaStatsQueryDto extends AnalyticsRangeQueryDto {
  /** `bot` adds a per-bot breakdown computed from events (last 90 days of the range only). */
  @IsOptional() @IsIn(['bot']) by?: 'bot';
}

export class MoodTrendsQueryDto {
  /** Local days of the daily series, 1–90 (default 30). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(90) days?: number;
}

export class BackfillDto {
  /** Which rollups to recompute. */
  @IsIn(BACKFILL_SCOPES) scope!: BackfillScopeValue;
  /** First UTC day; must be within the event retention period. @example "2026-11-01" */
  @Matches(DATE, { message: 'from must be a date (YYYY-MM-DD)' }) @IsISO8601({ strict: true }) from!: string;
  /** Last UTC day (not after today). @example "2026-11-07" */
  @Matches(DATE, { message: 'to must be a date (YYYY-MM-DD)' }) @IsISO8601({ strict: true }) to!: string;
}
