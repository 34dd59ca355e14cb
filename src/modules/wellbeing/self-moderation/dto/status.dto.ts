import { ApiProperty, IntersectionType } from '@nestjs/swagger';
import { IsISO8601, IsOptional, Matches } from 'class-validator';
import { PageQueryDto } from '../../../../common/pagination/page-query.dto.js';
import { WellbeingEnforcement, WellbeingInterventionKind } from '../entities/self-moderation.enums.js';
import { WellbeingInterventionNoticeDto } from './wellbeing-notice.dto.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class WellbeingLimitStatusDto {
  @ApiProperty({ enum: ['quiet_hours', 'session_minutes', 'daily_minutes', 'daily_messages', 'weekly_minutes'] })
  limit!: string;
  @ApiProperty({ enum: ['ok', 'approaching', 'reached'] }) state!: 'ok' | 'approaching' | 'reached';
  /** Minutes or messages used; for quiet_hours the local time "HH:MM". */
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string' }] }) used!: number | string;
  /** The limit; for quiet_hours "HH:00-HH:00". */
  @ApiProperty({ oneOf: [{ type: 'number' }, { type: 'string' }] }) limit_value!: number | string;
  /** Null for quiet_hours. */
  remaining!: number | null;
  @ApiProperty({ enum: ['minutes', 'messages', 'hours'] }) unit!: string;
  /** ISO 8601 with the local offset; null when quiet hours are not running. */
  resets_at!: string | null;
}

export class WellbeingSessionStatusDto {
  /** True while the last activity is less than the idle gap ago. */
  active!: boolean;
  started_at!: Date | null;
  length_minutes!: number;
  last_activity_at!: Date | null;
}

export class WellbeingStatusDto {
  is_configured!: boolean;
  is_active!: boolean;
  @ApiProperty({ enum: WellbeingEnforcement, enumName: 'WellbeingEnforcement' }) enforcement!: WellbeingEnforcement;
  timezone!: string;
  /** Today in the settings' time zone (YYYY-MM-DD). */
  local_date!: string;
  limits!: WellbeingLimitStatusDto[];
  session!: WellbeingSessionStatusDto;
  /** Consecutive past local days with activity and never over the daily limit (idle days are skipped). */
  healthy_day_streak!: number;
  /** Interventions not yet delivered inside an answer. */
  interventions!: WellbeingInterventionNoticeDto[];
  pending_apply_at!: Date | null;
}

export class WellbeingUsageQueryDto {
  /** First local date, YYYY-MM-DD (usage: default 6 days before `to`). @example "2026-11-01" */
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date (YYYY-MM-DD)' })
  @IsISO8601({ strict: true })
  from?: string;
  /** Last local date, YYYY-MM-DD (usage: default today in your time zone, at most 400 days after `from`). */
  @IsOptional() @Matches(DATE, { message: 'to must be a date (YYYY-MM-DD)' }) @IsISO8601({ strict: true }) to?: string;
}

export class WellbeingUsageDayDto {
  usage_date!: string;
  active_seconds!: number;
  active_minutes!: number;
  messages_sent!: number;
  sessions_started!: number;
  late_night_seconds!: number;
  first_activity_at!: Date | null;
  last_activity_at!: Date | null;
  over_daily_limit!: boolean;
}

export class WellbeingUsageDto {
  timezone!: string;
  from!: string;
  to!: string;
  /** Days with recorded activity, oldest first. */
  items!: WellbeingUsageDayDto[];
}

/** Own interventions within local dates from..to (both optional), keyset-paginated. */
export class ListInterventionsDto extends IntersectionType(PageQueryDto, WellbeingUsageQueryDto) {}

export class WellbeingInterventionResponseDto {
  id!: string;
  @ApiProperty({ enum: WellbeingInterventionKind, enumName: 'WellbeingInterventionKind' })
  kind!: WellbeingInterventionKind;
  local_date!: string;
  details!: Record<string, unknown>;
  delivered_at!: Date | null;
  acknowledged_at!: Date | null;
  created_at!: Date;
}

export class WellbeingInterventionPageDto {
  items!: WellbeingInterventionResponseDto[];
  next_cursor!: string | null;
}
