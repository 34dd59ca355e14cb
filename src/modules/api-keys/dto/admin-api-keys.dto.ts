import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import { ApiKeyStatus, LlmProvider } from '../api-keys.enums.js';

export class AdminListApiKeysDto extends PageQueryDto {
  /** Only this owner's keys. */
  @IsOptional() @IsUUID() user_id?: string;
  /** Only this provider. */
  @ApiPropertyOptional({ enum: LlmProvider, enumName: 'LlmProvider' })
  @IsOptional()
  @IsEnum(LlmProvider)
  provider?: LlmProvider;
  /** Only this status. */
  @ApiPropertyOptional({ enum: ApiKeyStatus, enumName: 'ApiKeyStatus' })
  @IsOptional()
  @IsEnum(ApiKeyStatus)
  status?: ApiKeyStatus;
}

export class SuspendApiKeyDto {
  /** Shown to the owner. */
  @IsString() @Length(1, 300) reason!: string;
}

export class UnsuspendApiKeyDto {
  /** Optional note (audited, not shown). */
  @IsOptional() @IsString() @Length(1, 300) reason?: string;
}

export class ReEncryptJobDto {
  /** Dedupe id of the started job. */
  job_id!: string;
}

export class EncryptionKeyCountDto {
  encryption_key_id!: string;
  count!: number;
  /** Whether the running configuration can decrypt rows of this kid. */
  configured!: boolean;
}

/** One re-encryption run (this process only). */
export class ReEncryptJobStatusDto {
  job_id!: string;
  @ApiProperty({ enum: ['running', 'completed', 'failed'] }) state!: 'running' | 'completed' | 'failed';
  re_encrypted!: number;
  failed!: number;
}

export class EncryptionStatusDto {
  /** Kid new secrets are encrypted under. */
  active_key_id!: string;
  keys!: EncryptionKeyCountDto[];
  /** Rows not yet under the active kid (0 = rotation finished; old kids may be removed from config). */
  pending_rows!: number;
  /** Last re-encryption run in this process, if any. */
  @ApiProperty({ type: ReEncryptJobStatusDto, nullable: true }) last_job!: ReEncryptJobStatusDto | null;
}

export class ProviderDto {
  provider!: LlmProvider;
  default_model!: string | null;
  default_base_url!: string | null;
  requires_base_url!: boolean;
  /** Expected secret prefix (e.g. `sk-`), null when there is none. */
  secret_prefix!: string | null;
  supports_stream_options!: boolean;
  supports_name_field!: boolean;
}

export class ProviderListDto {
  items!: ProviderDto[];
}
