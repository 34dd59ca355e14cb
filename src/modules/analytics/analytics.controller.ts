import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiTags } from '@nestjs/swagger';
import { type Actor, UserRole } from '../../common/auth/actor.js';
import { CurrentUser, Roles } from '../../common/auth/decorators.js';
import { AnalyticsService } from './analytics.service.js';
import {
  AnalyticsRangeQueryDto,
  BackfillDto,
  MemoryStatsQueryDto,
  MoodTrendsQueryDto,
  PersonaStatsQueryDto,
} from './dto/analytics-query.dto.js';
import {
  BackfillAcceptedDto,
  BotSeriesDto,
  CreatorOverviewDto,
  MemorySeriesDto,
  MoodTrendsResponseDto,
  PersonaSeriesDto,
  PlatformSeriesDto,
  QueueStatusDto,
  UsageSeriesDto,
} from './dto/analytics-response.dto.js';

/** Owner reads of the daily rollups (analytics.md §4). Own data has no id in the route: nobody reads another's. */
@ApiTags('analytics')
@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  /** The caller's daily usage (messages, replies, tokens, …) as a series with totals. */
  @Get('me/usage')
  myUsage(@CurrentUser() actor: Actor, @Query() query: AnalyticsRangeQueryDto): Promise<UsageSeriesDto> {
    return this.analytics.myUsage(actor, query);
  }

  /** The caller's mood trend (recomputed when stale) and a daily series of mean scores in local days. */
  @Get('me/mood-trends')
  myMoodTrends(@CurrentUser() actor: Actor, @Query() query: MoodTrendsQueryDto): Promise<MoodTrendsResponseDto> {
    return this.analytics.myMoodTrends(actor, query);
  }

  /** The caller's memory activity (created, recalled) per day, with live totals of their memories. */
  @Get('me/memory')
  myMemory(@CurrentUser() actor: Actor, @Query() query: MemoryStatsQueryDto): Promise<MemorySeriesDto> {
    return this.analytics.myMemory(actor, query);
  }

  /** How a persona is used (persona owner or admin); `by=bot` adds a per-bot breakdown. */
  @Get('personas/:id')
  persona(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: PersonaStatsQueryDto,
  ): Promise<PersonaSeriesDto> {
    return this.analytics.persona(actor, id, query);
  }

  /** A bot's audience per day (owner, manage grant or admin): counts only, never who. */
  @Get('bots/:id')
  bot(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: AnalyticsRangeQueryDto,
  ): Promise<BotSeriesDto> {
    return this.analytics.bot(actor, id, query);
  }

  /** Totals over every bot the caller owns, and the top 10 by user messages. */
  @Get('creator/overview')
  creatorOverview(@CurrentUser() actor: Actor, @Query() query: AnalyticsRangeQueryDto): Promise<CreatorOverviewDto> {
    return this.analytics.creatorOverview(actor, query);
  }
}

/** Platform totals and the rollup pipeline, for admins (analytics.md §4). */
@ApiTags('analytics')
@Controller('admin/analytics')
@Roles(UserRole.Admin)
export class AdminAnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  /** Platform-wide daily totals. */
  @Get('platform')
  platform(@Query() query: AnalyticsRangeQueryDto): Promise<PlatformSeriesDto> {
    return this.analytics.platform(query);
  }

  /** Recompute rollups over a range of days within the event retention (older → 422). */
  @Post('backfill')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: BackfillAcceptedDto })
  backfill(@Body() dto: BackfillDto): Promise<BackfillAcceptedDto> {
    return this.analytics.backfill(dto);
  }

  /** The job driver, per-queue counts, the last scheduled runs and recent failures. */
  @Get('queue')
  queue(): Promise<QueueStatusDto> {
    return this.analytics.queueStatus();
  }
}
