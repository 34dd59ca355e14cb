/** Enums of self-moderation (wellbeing.md §2). Postgres type names are the `*_ENUM` constants. */

export enum WellbeingEnforcement {
  /** Soft: annotate answers, never refuse. */
  Warn = 'warn',
  /** Hard: refuse with 429 once a limit is reached. */
  Block = 'block',
}
export const WELLBEING_ENFORCEMENT_ENUM = 'wellbeing_enforcement';

export enum CrisisNoticeLevel {
  All = 'all',
  /** Elevated matches are suppressed; high severity is always shown. */
  HighOnly = 'high_only',
}
export const CRISIS_NOTICE_LEVEL_ENUM = 'crisis_notice_level';

export enum WellbeingInterventionKind {
  DailyLimitExceeded = 'daily_limit_exceeded',
  WeeklyLimitExceeded = 'weekly_limit_exceeded',
  LateNightUsage = 'late_night_usage',
  OveruseStreak = 'overuse_streak',
  MoodDecline = 'mood_decline',
}
export const WELLBEING_INTERVENTION_KIND_ENUM = 'wellbeing_intervention_kind';
