import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../common/auth/actor.js';
import { CurrentUser } from '../../common/auth/decorators.js';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';
import type { AuditOrigin } from './api-key-audit.js';
import { ApiKeysService, VerifyResultDto } from './api-keys.service.js';
import { Origin } from './client-origin.js';
import { ApiKeyPageDto, ApiKeyResponseDto } from './dto/api-key-response.dto.js';
import { ApiKeyEventPageDto, ApiKeyUsageDto, ListApiKeyEventsDto, UsageQueryDto } from './dto/api-key-events.dto.js';
import { CreateApiKeyDto, ReplaceSecretDto, UpdateApiKeyDto } from './dto/create-api-key.dto.js';
import { FallbacksResponseDto, SetFallbacksDto } from './dto/fallbacks.dto.js';

@ApiTags('api-keys')
@Controller('api-keys')
export class ApiKeysController {
  constructor(private readonly keys: ApiKeysService) {}

  /** The caller's keys (metadata, masked hint, counters), newest first. */
  @Get()
  @ApiOkResponse({ type: ApiKeyPageDto })
  list(@CurrentUser() actor: Actor, @Query() query: PageQueryDto): Promise<ApiKeyPageDto> {
    return this.keys.list(actor, query);
  }

  /** Store a provider key (encrypted at rest); `verify: true` tests it first. The secret is never returned. */
  @Post()
  create(
    @CurrentUser() actor: Actor,
    @Body() dto: CreateApiKeyDto,
    @Origin() origin: AuditOrigin,
  ): Promise<ApiKeyResponseDto | VerifyResultDto> {
    return this.keys.create(actor, dto, origin);
  }

  /** One of the caller's keys. */
  @Get(':id')
  get(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ApiKeyResponseDto> {
    return this.keys.get(actor, id);
  }

  /** Change a key's configuration, default flag or active/disabled status. */
  @Patch(':id')
  update(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateApiKeyDto,
    @Origin() origin: AuditOrigin,
  ): Promise<ApiKeyResponseDto> {
    return this.keys.update(actor, id, dto, origin);
  }

  /** Replace the secret (an `invalid` key becomes `active` again). */
  @Put(':id/secret')
  replaceSecret(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: ReplaceSecretDto,
    @Origin() origin: AuditOrigin,
  ): Promise<ApiKeyResponseDto> {
    return this.keys.replaceSecret(actor, id, dto.secret, origin);
  }

  /** Test the key against the provider (GET {base}/models; SSRF-guarded; 502 PROVIDER_UNREACHABLE on network error). */
  @Post(':id/verify')
  @HttpCode(200)
  verify(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Origin() origin: AuditOrigin,
  ): Promise<VerifyResultDto> {
    return this.keys.verify(actor, id, origin);
  }

  /** The key's ordered fallback keys. */
  @Get(':id/fallbacks')
  getFallbacks(@CurrentUser() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<FallbacksResponseDto> {
    return this.keys.getFallbacks(actor, id);
  }

  /** Replace the ordered fallback list (≤ 5 of the caller's own keys). */
  @Put(':id/fallbacks')
  setFallbacks(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SetFallbacksDto,
    @Origin() origin: AuditOrigin,
  ): Promise<FallbacksResponseDto> {
    return this.keys.setFallbacks(actor, id, dto.fallback_ids, origin);
  }

  /** Lifetime counters, monthly rows and current-window usage against each limit. */
  @Get(':id/usage')
  usage(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: UsageQueryDto,
  ): Promise<ApiKeyUsageDto> {
    return this.keys.usage(actor, id, query.months);
  }

  /** The key's audit trail, newest first. */
  @Get(':id/events')
  events(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ListApiKeyEventsDto,
  ): Promise<ApiKeyEventPageDto> {
    return this.keys.events(actor, id, query);
  }

  /** Delete the key (ciphertext gone; the default moves to the most recently used active key). */
  @Delete(':id')
  @HttpCode(204)
  async remove(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Origin() origin: AuditOrigin,
  ): Promise<void> {
    await this.keys.remove(actor, id, origin);
  }
}
