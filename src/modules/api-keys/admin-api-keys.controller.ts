import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import { type Actor, UserRole } from '../../common/auth/actor.js';
import { CurrentUser, Roles } from '../../common/auth/decorators.js';
import { JobQueue } from '../../common/queue/job-queue.js';
import type { AuditOrigin } from './api-key-audit.js';
import { ApiKeyReEncryptService } from './api-key-reencrypt.service.js';
import { ApiKeysService } from './api-keys.service.js';
import { Origin } from './client-origin.js';
import {
  AdminListApiKeysDto,
  EncryptionStatusDto,
  ReEncryptJobDto,
  SuspendApiKeyDto,
  UnsuspendApiKeyDto,
} from './dto/admin-api-keys.dto.js';
import { ApiKeyPageDto, ApiKeyResponseDto } from './dto/api-key-response.dto.js';

@ApiTags('api-keys')
@Controller('admin/api-keys')
@Roles(UserRole.Admin)
export class AdminApiKeysController {
  constructor(
    private readonly keys: ApiKeysService,
    private readonly reEncrypt: ApiKeyReEncryptService,
    private readonly jobs: JobQueue,
  ) {}

  /** Metadata of all keys (no secret); filters user_id, provider, status. */
  @Get()
  list(@CurrentUser() actor: Actor, @Query() query: AdminListApiKeysDto): Promise<ApiKeyPageDto> {
    return this.keys.adminList(actor, query);
  }

  /** Row counts per master key id and the last re-encryption run. */
  @Get('encryption-status')
  status(): Promise<EncryptionStatusDto> {
    return this.reEncrypt.status();
  }

  /** Start the master-key rotation job (re-encrypts rows not under the active kid). */
  @Post('re-encrypt')
  @HttpCode(202)
  async startReEncrypt(): Promise<ReEncryptJobDto> {
    const jobId = `api-keys-re-encrypt-${randomUUID()}`;
    await this.jobs.enqueue('api-keys.re-encrypt', { job_id: jobId }, { jobId });
    return { job_id: jobId };
  }

  /** Suspend a key (the owner sees the reason and cannot re-enable it). */
  @Post(':id/suspend')
  @HttpCode(200)
  suspend(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SuspendApiKeyDto,
    @Origin() origin: AuditOrigin,
  ): Promise<ApiKeyResponseDto> {
    return this.keys.setSuspended(actor, id, true, dto.reason, origin);
  }

  /** Lift a suspension (the key becomes active). */
  @Post(':id/unsuspend')
  @HttpCode(200)
  unsuspend(
    @CurrentUser() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UnsuspendApiKeyDto,
    @Origin() origin: AuditOrigin,
  ): Promise<ApiKeyResponseDto> {
    return this.keys.setSuspended(actor, id, false, dto.reason, origin);
  }
}
