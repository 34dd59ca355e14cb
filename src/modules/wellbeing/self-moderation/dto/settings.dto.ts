import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEnum,
  IsInt,
  IsOptional,
  IsString,
  IsTimeZone,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { CrisisNoticeLevel, WellbeingEnforcement } from '../entities/self-moderation.enums.js';

/** Present → must be valid (null refused); absent → the default. */
const Given = () => ValidateIf((_: object, v: unknown) => v !== undefined);

/**
 * PUT /wellbeing/settings: the whole editable set; an omitted field takes its default (replace semantics). While
 * enforcement is block, loosening changes wait 24 h (see the answer's pending_fields).
 */
export class PutSelfModerationSettingsDto {
  /** Master switch; nothing is counted or enforced while false. */
  @Given() @IsBoolean() is_active?: boolean;
  /** IANA time zone of your day, ISO week (Monday) and quiet hours. @example "Europe/Berlin" */
  @Given() @IsString() @MaxLength(64) @IsTimeZone() timezone?: string;
  /** warn = soft (never refuses), block = hard (429 once a limit is reached). */
  @ApiPropertyOptional({ enum: WellbeingEnforcement, enumName: 'WellbeingEnforcement' })
  @Given()
  @IsEnum(WellbeingEnforcement)
  enforcement?: WellbeingEnforcement;
  /** Threshold for "approaching" (50–100 % of a limit). */
  @Given() @IsInt() @Min(50) @Max(100) warn_at_percent?: number;
  /** Active minutes per local day (15–480); null = no limit. */
  @IsOptional() @IsInt() @Min(15) @Max(480) daily_minutes_limit?: number | null;
  /** Active minutes per ISO week (60–3360); null = no limit. */
  @IsOptional() @IsInt() @Min(60) @Max(3360) weekly_minutes_limit?: number | null;
  /** Messages you write per local day (10–5000); null = no limit. */
  @IsOptional() @IsInt() @Min(10) @Max(5000) daily_messages_limit?: number | null;
  /** Continuous session length in minutes (10–480); null = no limit. */
  @IsOptional() @IsInt() @Min(10) @Max(480) session_minutes_limit?: number | null;
  @Given() @IsBoolean() break_reminders_enabled?: boolean;
  /** Minutes of continuous use between break reminders (10–60). */
  @Given() @IsInt() @Min(10) @Max(60) break_interval_minutes?: number;
  /** Reminders suggest a guided pause. */
  @Given() @IsBoolean() mindfulness_breaks?: boolean;
  /** One mood check-in prompt per local day. */
  @Given() @IsBoolean() mood_checkins_enabled?: boolean;
  @Given() @IsBoolean() quiet_hours_enabled?: boolean;
  /** Local hour quiet hours start (0–23); wraps midnight when start > end. */
  @Given() @IsInt() @Min(0) @Max(23) quiet_hours_start?: number;
  /** Local hour quiet hours end (0–23, ≠ start). */
  @Given() @IsInt() @Min(0) @Max(23) quiet_hours_end?: number;
  @Given() @IsBoolean() notify_daily_exceeded?: boolean;
  @Given() @IsBoolean() notify_late_night?: boolean;
  /** Consecutive days over the daily limit that raise an alert (0 = off, up to 7). */
  @Given() @IsInt() @Min(0) @Max(7) overuse_streak_days?: number;
  @Given() @IsBoolean() notify_mood_decline?: boolean;
  /** all, or high_only (elevated matches suppressed; high severity is always shown). */
  @ApiPropertyOptional({ enum: CrisisNoticeLevel, enumName: 'CrisisNoticeLevel' })
  @Given()
  @IsEnum(CrisisNoticeLevel)
  crisis_notices?: CrisisNoticeLevel;
  /** ISO 3166-1 alpha-2, upper case; the region of crisis resources. @example "GB" */
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'support_country must be an upper-case ISO 3166-1 code' })
  support_country?: string | null;
  /** ISO 3166-2 starting with support_country. @example "US-CA" */
  @IsOptional()
  @Matches(/^[A-Z]{2}-[A-Z0-9]{1,3}$/, { message: 'support_subdivision must be an ISO 3166-2 code' })
  support_subdivision?: string | null;
  /** BCP 47 language tag for crisis notices. @example "en-GB" */
  @IsOptional()
  @MaxLength(12)
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, { message: 'support_language must be a BCP 47 tag' })
  support_language?: string | null;
}

export class SelfModerationSettingsResponseDto {
  /** false: no row yet; the values shown are the defaults and nothing is counted. */
  is_configured!: boolean;
  is_active!: boolean;
  timezone!: string;
  @ApiProperty({ enum: WellbeingEnforcement, enumName: 'WellbeingEnforcement' }) enforcement!: WellbeingEnforcement;
  warn_at_percent!: number;
  daily_minutes_limit!: number | null;
  weekly_minutes_limit!: number | null;
  daily_messages_limit!: number | null;
  session_minutes_limit!: number | null;
  break_reminders_enabled!: boolean;
  break_interval_minutes!: number;
  mindfulness_breaks!: boolean;
  mood_checkins_enabled!: boolean;
  quiet_hours_enabled!: boolean;
  quiet_hours_start!: number;
  quiet_hours_end!: number;
  notify_daily_exceeded!: boolean;
  notify_late_night!: boolean;
  overuse_streak_days!: number;
  notify_mood_decline!: boolean;
  @ApiProperty({ enum: CrisisNoticeLevel, enumName: 'CrisisNoticeLevel' }) crisis_notices!: CrisisNoticeLevel;
  support_country!: string | null;
  support_subdivision!: string | null;
  support_language!: string | null;
  /** Server-maintained. */
  session_started_at!: Date | null;
  last_activity_at!: Date | null;
  last_break_reminder_at!: Date | null;
  last_checkin_at!: Date | null;
  /** Loosening changes waiting for pending_apply_at (a partial copy of the fields above). */
  pending_changes!: Record<string, unknown> | null;
  /** The fields left pending. */
  pending_fields!: string[];
  pending_apply_at!: Date | null;
}
