import { ApiProperty } from '@nestjs/swagger';
import { GRANULARITIES, type Granularity } from './analytics-query.dto.js';

abstract class SeriesEnvelopeDto {
  /** First day of the range. */
  from!: string;
  /** Last day of the range. */
  to!: string;
  @ApiProperty({ enum: GRANULARITIES, enumName: 'AnalyticsGranularity' }) granularity!: Granularity;
}

/** user_daily_stats counters (analytics.md §2.1). Distinct counts are summed per day over longer periods. */
export class UsageCountersDto {
  messages_sent!: number;
  replies_received!: number;
  reply_failures!: number;
  conversations_started!: number;
  conversations_ended!: number;
  bots_chatted!: number;
  tokens_in!: number;
  tokens_out!: number;
  memories_created!: number;
  mood_entries!: number;
  bots_created!: number;
}
export class UsagePointDto extends UsageCountersDto {
  /** First day of the period (the Monday of an ISO week, the 1st of a month). */
  period_start!: string;
}
export class UsageSeriesDto extends SeriesEnvelopeDto {
  series!: UsagePointDto[];
  totals!: UsageCountersDto;
}

/** bot_daily_stats counters (analytics.md §2.2): counts only, never who. */
export class BotCountersDto {
  views!: number;
  unique_viewers!: number;
  likes!: number;
  unlikes!: number;
  favorites!: number;
  unfavorites!: number;
  conversations_started!: number;
  user_messages!: number;
  unique_chatters!: number;
  new_chatters!: number;
  replies!: number;
  reply_failures!: number;
  tokens_out!: number;
  latency_ms_sum!: number;
  latency_count!: number;
  memories_created!: number;
}
export class BotPointDto extends BotCountersDto {
  period_start!: string;
  /** latency_ms_sum / latency_count; null without replies. */
  avg_latency_ms!: number | null;
}
export class BotTotalsDto extends BotCountersDto {
  /** likes − unlikes. */
  like_net!: number;
  /** 1 − new_chatters / unique_chatters; null without chatters. */
  return_rate!: number | null;
  avg_latency_ms!: number | null;
  /** reply_failures / (replies + reply_failures); null without generations. */
  failure_rate!: number | null;
}
export class BotSeriesDto extends SeriesEnvelopeDto {
  bot_id!: string;
  series!: BotPointDto[];
  totals!: BotTotalsDto;
}

/** persona_daily_stats counters (analytics.md §2.3). */
export class PersonaCountersDto {
  messages_sent!: number;
  conversations!: number;
  bots_chatted!: number;
  starts!: number;
  switches_in!: number;
  replies_received!: number;
}
export class PersonaPointDto extends PersonaCountersDto {
  period_start!: string;
}
export class PersonaBotUsageDto {
  bot_id!: string;
  messages_sent!: number;
  replies_received!: number;
  conversations!: number;
}
export class PersonaSeriesDto extends SeriesEnvelopeDto {
  persona_id!: string;
  series!: PersonaPointDto[];
  totals!: PersonaCountersDto;
  /** With `by=bot`: usage per bot from events (the last 90 days of the range). */
  by_bot?: PersonaBotUsageDto[];
}

/** memory_daily_stats counters (analytics.md §2.4). */
export class MemoryCountersDto {
  memories_created!: number;
  recalls!: number;
  distinct_memories_recalled!: number;
}
export class MemoryPointDto extends MemoryCountersDto {
  period_start!: string;
}
/** Current memories, read live. */
export class MemoryLiveTotalsDto {
  total!: number;
  short_term!: number;
  long_term!: number;
  consolidated!: number;
  superseded!: number;
}
export class MemorySeriesDto extends SeriesEnvelopeDto {
  bot_id!: string | null;
  series!: MemoryPointDto[];
  totals!: MemoryCountersDto;
  current!: MemoryLiveTotalsDto;
}

/** platform_daily_stats counters (analytics.md §2.5). */
export class PlatformCountersDto {
  new_users!: number;
  active_users!: number;
  messages_sent!: number;
  replies!: number;
  reply_failures!: number;
  tokens_in!: number;
  tokens_out!: number;
  conversations_started!: number;
  bots_created!: number;
  bot_views!: number;
  likes!: number;
  mood_entries!: number;
  memories_created!: number;
  crisis_notices!: number;
}
export class PlatformPointDto extends PlatformCountersDto {
  period_start!: string;
}
export class PlatformSeriesDto extends SeriesEnvelopeDto {
  series!: PlatformPointDto[];
  totals!: PlatformCountersDto;
}

/** The caller's mood trend (analytics.md §2.6); owner-only health data. */
export class MoodTrendDto {
  as_of_date!: string;
  avg_7d!: number | null;
  avg_prev_7d!: number | null;
  change_7d!: number | null;
  days_logged_7d!: number;
  avg_30d!: number | null;
  avg_prev_30d!: number | null;
  change_30d!: number | null;
  days_logged_30d!: number;
  @ApiProperty({ enum: ['improving', 'declining', 'stable', 'insufficient_data'], enumName: 'MoodTrend' })
  trend_7d!: string;
  @ApiProperty({ enum: ['improving', 'declining', 'stable', 'insufficient_data'], enumName: 'MoodTrend' })
  trend_30d!: string;
  current_streak!: number;
  longest_streak!: number;
  last_entry_date!: string | null;
  top_mood_30d!: string | null;
  top_emotions_30d!: string[];
  computed_at!: string;
}
export class MoodDayDto {
  /** Local date. */
  date!: string;
  /** Mean score of the day's entries; null without entries. */
  mean_score!: number | null;
  entries!: number;
}
export class MoodTrendsResponseDto {
  trend!: MoodTrendDto;
  daily!: MoodDayDto[];
}

export class CreatorTopBotDto {
  bot_id!: string;
  name!: string;
  user_messages!: number;
  unique_chatters!: number;
  views!: number;
}
export class CreatorOverviewDto {
  from!: string;
  to!: string;
  /** Bots the caller owns. */
  bot_count!: number;
  totals!: BotTotalsDto;
  /** Up to 10 owned bots by user_messages in the range. */
  top_bots!: CreatorTopBotDto[];
}

export class BackfillAcceptedDto {
  job_ids!: string[];
}

export class QueueCountsDto {
  queue!: string;
  waiting!: number;
  active!: number;
  delayed!: number;
  failed!: number;
}
export class JobRunDto {
  job_name!: string;
  started_at!: string;
  finished_at!: string | null;
  succeeded!: boolean | null;
  duration_ms!: number | null;
}
export class FailedJobDto {
  queue!: string;
  name!: string;
  job_id!: string | null;
  attempts!: number;
  error!: string;
  failed_at!: string;
}
export class QueueStatusDto {
  @ApiProperty({ enum: ['redis', 'in-process'], enumName: 'JobDriver' }) driver!: 'redis' | 'in-process';
  queues!: QueueCountsDto[];
  last_nightly_run!: JobRunDto | null;
  /** Last sweep and prune runs too. */
  scheduled_runs!: JobRunDto[];
  recent_failures!: FailedJobDto[];
}
