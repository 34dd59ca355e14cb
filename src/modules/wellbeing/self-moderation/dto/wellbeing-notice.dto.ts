import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CrisisNoticeDto } from '../../crisis/dto/crisis-notice.dto.js';
import { WellbeingInterventionKind } from '../entities/self-moderation.enums.js';

export type WellbeingLimitName =
  'quiet_hours' | 'session_minutes' | 'daily_minutes' | 'daily_messages' | 'weekly_minutes';
export const WELLBEING_LIMIT_NAMES: WellbeingLimitName[] = [
  'quiet_hours',
  'session_minutes',
  'daily_minutes',
  'daily_messages',
  'weekly_minutes',
];
export type WellbeingPrompt = 'break_reminder' | 'mindful_break' | 'mood_checkin' | 'quiet_hours';

/** A configured limit that is approaching or reached, counting the current request (wellbeing.md §3.3). */
export class WellbeingWarningDto {
  @ApiProperty({ enum: ['session_minutes', 'daily_minutes', 'daily_messages', 'weekly_minutes'] })
  limit!: Exclude<WellbeingLimitName, 'quiet_hours'>;
  @ApiProperty({ enum: ['approaching', 'reached'] }) state!: 'approaching' | 'reached';
  used!: number;
  limit_value!: number;
  @ApiProperty({ enum: ['minutes', 'messages'] }) unit!: 'minutes' | 'messages';
  /** ISO 8601 with the user's local offset. */
  resets_at!: string;
}

/** An alert raised by a self-moderation trigger. */
export class WellbeingInterventionNoticeDto {
  id!: string;
  @ApiProperty({ enum: WellbeingInterventionKind, enumName: 'WellbeingInterventionKind' })
  kind!: WellbeingInterventionKind;
  /** YYYY-MM-DD (local). */
  local_date!: string;
  /** The numbers behind the alert. */
  details!: Record<string, unknown>;
}

/** The optional `wellbeing` object of a send (201) or regenerate (202) answer; left out when empty. */
export class WellbeingNoticeDto {
  warnings!: WellbeingWarningDto[];
  @ApiProperty({ enum: ['break_reminder', 'mindful_break', 'mood_checkin', 'quiet_hours'], isArray: true })
  prompts!: WellbeingPrompt[];
  interventions!: WellbeingInterventionNoticeDto[];
  @ApiPropertyOptional({ type: CrisisNoticeDto, nullable: true }) notice!: CrisisNoticeDto | null;
}
