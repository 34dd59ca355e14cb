import { Body, Controller, Delete, Get, HttpCode, Post, Put, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../../../common/auth/actor.js';
import { CurrentUser } from '../../../common/auth/decorators.js';
import { CheckInDto, CheckInResponseDto } from './dto/check-in.dto.js';
import { PutSelfModerationSettingsDto, SelfModerationSettingsResponseDto } from './dto/settings.dto.js';
import {
  ListInterventionsDto,
  WellbeingInterventionPageDto,
  WellbeingStatusDto,
  WellbeingUsageDto,
  WellbeingUsageQueryDto,
} from './dto/status.dto.js';
import { SelfModerationService } from './self-moderation.service.js';

/**
 * Self-moderation (wellbeing.md §2): your own limits, usage and alerts. Nobody else, staff included, can read them.
 * Tagged `self-moderation` too, so its authorization matrix can walk exactly these operations.
 */
@ApiTags('wellbeing', 'self-moderation')
@Controller('wellbeing')
export class SelfModerationController {
  constructor(private readonly selfModeration: SelfModerationService) {}

  /** Your self-moderation settings and pending changes (defaults with is_configured false when none are saved). */
  @Get('settings')
  getSettings(@CurrentUser() actor: Actor): Promise<SelfModerationSettingsResponseDto> {
    return this.selfModeration.getSettings(actor);
  }

  /**
   * Create or replace your settings (omitted fields take their defaults). In block mode, loosening changes wait 24 h:
   * the answer lists them in pending_fields with pending_apply_at; tightening applies at once.
   */
  @Put('settings')
  putSettings(
    @CurrentUser() actor: Actor,
    @Body() dto: PutSelfModerationSettingsDto,
  ): Promise<SelfModerationSettingsResponseDto> {
    return this.selfModeration.putSettings(actor, dto);
  }

  /** Cancel pending loosening changes. */
  @Delete('settings/pending')
  @HttpCode(204)
  cancelPending(@CurrentUser() actor: Actor): Promise<void> {
    return this.selfModeration.cancelPending(actor);
  }

  /** Every limit's usage and state, the current session, the healthy-day streak and undelivered interventions. */
  @Get('status')
  status(@CurrentUser() actor: Actor): Promise<WellbeingStatusDto> {
    return this.selfModeration.status(actor);
  }

  /** Your per-day usage counters (local days, default the last 7). */
  @Get('usage')
  usage(@CurrentUser() actor: Actor, @Query() query: WellbeingUsageQueryDto): Promise<WellbeingUsageDto> {
    return this.selfModeration.usage(actor, query);
  }

  /** Activity ping while a chat view is focused (at most one per 30 s, else 429); answers X-Wellbeing-* headers. */
  @Post('heartbeat')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Counted (or not, while a hard limit is reached).' })
  async heartbeat(@CurrentUser() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<void> {
    const headers = await this.selfModeration.heartbeat(actor);
    for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  }

  /** Check in: acknowledge interventions and, optionally, say you took a break. */
  @Post('check-in')
  @HttpCode(200)
  @ApiOkResponse({ type: CheckInResponseDto })
  checkIn(@CurrentUser() actor: Actor, @Body() dto: CheckInDto): Promise<CheckInResponseDto> {
    return this.selfModeration.checkIn(actor, dto);
  }

  /** Your intervention history, newest local date first. */
  @Get('interventions')
  @ApiOkResponse({ type: WellbeingInterventionPageDto })
  interventions(
    @CurrentUser() actor: Actor,
    @Query() query: ListInterventionsDto,
  ): Promise<WellbeingInterventionPageDto> {
    return this.selfModeration.interventions(actor, query);
  }
}
