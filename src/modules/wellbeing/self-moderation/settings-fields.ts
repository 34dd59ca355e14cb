import { CrisisNoticeLevel, WellbeingEnforcement } from './entities/self-moderation.enums.js';
import type { SelfModerationSettings } from './entities/self-moderation-settings.entity.js';
import { quietHourSet } from './usage-time.js';

/** The user-editable settings on the wire (wellbeing.md §2.1), snake_case. */
export interface EditableSettings {
  is_active: boolean;
  timezone: string;
  enforcement: WellbeingEnforcement;
  warn_at_percent: number;
  daily_minutes_limit: number | null;
  weekly_minutes_limit: number | null;
  daily_messages_limit: number | null;
  session_minutes_limit: number | null;
  break_reminders_enabled: boolean;
  break_interval_minutes: number;
  mindfulness_breaks: boolean;
  mood_checkins_enabled: boolean;
  quiet_hours_enabled: boolean;
  quiet_hours_start: number;
  quiet_hours_end: number;
  notify_daily_exceeded: boolean;
  notify_late_night: boolean;
  overuse_streak_days: number;
  notify_mood_decline: boolean;
  crisis_notices: CrisisNoticeLevel;
  support_country: string | null;
  support_subdivision: string | null;
  support_language: string | null;
}
export type EditableField = keyof EditableSettings;

/** Wire field → entity property. */
export const FIELD_PROPS: { [F in EditableField]: keyof SelfModerationSettings } = {
  is_active: 'isActive',
  timezone: 'timezone',
  enforcement: 'enforcement',
  warn_at_percent: 'warnAtPercent',
  daily_minutes_limit: 'dailyMinutesLimit',
  weekly_minutes_limit: 'weeklyMinutesLimit',
  daily_messages_limit: 'dailyMessagesLimit',
  session_minutes_limit: 'sessionMinutesLimit',
  break_reminders_enabled: 'breakRemindersEnabled',
  break_interval_minutes: 'breakIntervalMinutes',
  mindfulness_breaks: 'mindfulnessBreaks',
  mood_checkins_enabled: 'moodCheckinsEnabled',
  quiet_hours_enabled: 'quietHoursEnabled',
  quiet_hours_start: 'quietHoursStart',
  quiet_hours_end: 'quietHoursEnd',
  notify_daily_exceeded: 'notifyDailyExceeded',
  notify_late_night: 'notifyLateNight',
  overuse_streak_days: 'overuseStreakDays',
  notify_mood_decline: 'notifyMoodDecline',
  crisis_notices: 'crisisNotices',
  support_country: 'supportCountry',
  support_subdivision: 'supportSubdivision',
  support_language: 'supportLanguage',
};
export const EDITABLE_FIELDS = Object.keys(FIELD_PROPS) as EditableField[];

/** What GET answers for a user without a row, and what PUT assumes for an omitted field. */
export const DEFAULT_SETTINGS: EditableSettings = {
  is_active: true,
  timezone: 'UTC',
  enforcement: WellbeingEnforcement.Warn,
  warn_at_percent: 80,
  daily_minutes_limit: null,
  weekly_minutes_limit: null,
  daily_messages_limit: null,
  session_minutes_limit: null,
  break_reminders_enabled: true,
  break_interval_minutes: 25,
  mindfulness_breaks: false,
  mood_checkins_enabled: true,
  quiet_hours_enabled: false,
  quiet_hours_start: 22,
  quiet_hours_end: 8,
  notify_daily_exceeded: true,
  notify_late_night: true,
  overuse_streak_days: 2,
  notify_mood_decline: true,
  crisis_notices: CrisisNoticeLevel.All,
  support_country: null,
  support_subdivision: null,
  support_language: null,
};

export function editableOf(row: SelfModerationSettings): EditableSettings {
  const out = {} as Record<EditableField, unknown>;
  for (const f of EDITABLE_FIELDS) out[f] = row[FIELD_PROPS[f]];
  return out as unknown as EditableSettings;
}

export function applyEditable(row: SelfModerationSettings, changes: Partial<EditableSettings>): void {
  for (const f of EDITABLE_FIELDS) {
    if (f in changes) (row as unknown as Record<string, unknown>)[FIELD_PROPS[f]] = changes[f];
  }
}

const LIMIT_FIELDS = [
  'daily_minutes_limit',
  'weekly_minutes_limit',
  'daily_messages_limit',
  'session_minutes_limit',
] as const satisfies readonly EditableField[];
const QUIET_FIELDS = ['quiet_hours_enabled', 'quiet_hours_start', 'quiet_hours_end'] as const;

/**
 * The fields of `next` that loosen `current` (§2.3 "Delayed loosening"): raising or removing a limit, switching to
 * warn, deactivating, disabling or narrowing quiet hours, raising warn_at_percent. Quiet-hour fields move as one group,
 * so a pending change can never leave start = end.
 */
export function looseningFields(current: EditableSettings, next: EditableSettings): EditableField[] {
  const out: EditableField[] = [];
  for (const f of LIMIT_FIELDS) {
    const was = current[f];
    const now = next[f];
    if (was !== null && (now === null || now > was)) out.push(f);
  }
  if (current.enforcement === WellbeingEnforcement.Block && next.enforcement === WellbeingEnforcement.Warn) {
    out.push('enforcement');
  }
  if (current.is_active && !next.is_active) out.push('is_active');
  if (next.warn_at_percent > current.warn_at_percent) out.push('warn_at_percent');
  if (current.quiet_hours_enabled) {
    const before = quietHourSet(current.quiet_hours_start, current.quiet_hours_end);
    const after = next.quiet_hours_enabled
      ? quietHourSet(next.quiet_hours_start, next.quiet_hours_end)
      : new Set<number>();
    if ([...before].some((h) => !after.has(h))) out.push(...QUIET_FIELDS);
  }
  return out;
}
