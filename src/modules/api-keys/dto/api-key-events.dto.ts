import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageQueryDto } from '../../../common/pagination/page-query.dto.js';
import { ApiKeyEventType, ApiKeyUsePurpose, LlmProvider } from '../api-keys.enums.js';
import type { ApiKeyEvent } from '../entities/api-key-event.entity.js';

export class ListApiKeyEventsDto extends PageQueryDto {
  /** Only events of this type. */
  @ApiPropertyOptional({ enum: ApiKeyEventType, enumName: 'ApiKeyEventType' })
  @IsOptional()
  @IsEnum(ApiKeyEventType)
  event_type?: ApiKeyEventType;
}

export class UsageQueryDto {
  /** How many monthly rows (1–24, default 6). */
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(24) months?: number;
}

export class ApiKeyEventDto {
  id!: string;
  api_key_id!: string | null;
  actor_user_id!: string | null;
  @ApiProperty({ enum: ApiKeyEventType, enumName: 'ApiKeyEventType' }) event_type!: ApiKeyEventType;
  @ApiProperty({ enum: ApiKeyUsePurpose, enumName: 'ApiKeyUsePurpose', nullable: true })
  purpose!: ApiKeyUsePurpose | null;
  key_hint!: string;
  @ApiProperty({ enum: LlmProvider, enumName: 'LlmProvider' }) provider!: LlmProvider;
  model!: string | null;
  conversation_id!: string | null;
  message_id!: string | null;
  http_status!: number | null;
  input_tokens!: number | null;
  output_tokens!: number | null;
  latency_ms!: number | null;
  error_code!: string | null;
  ip!: string | null;
  user_agent!: string | null;
  created_at!: Date;
}

export class ApiKeyEventPageDto {
  items!: ApiKeyEventDto[];
  next_cursor!: string | null;
}

export function toApiKeyEvent(e: ApiKeyEvent): ApiKeyEventDto {
  return {
    id: e.id,
    api_key_id: e.apiKeyId,
    actor_user_id: e.actorUserId,
    event_type: e.eventType,
    purpose: e.purpose,
    key_hint: e.keyHint,
    provider: e.provider,
    model: e.model,
    conversation_id: e.conversationId,
    message_id: e.messageId,
    http_status: e.httpStatus,
    input_tokens: e.inputTokens,
    output_tokens: e.outputTokens,
    latency_ms: e.latencyMs,
    error_code: e.errorCode,
    ip: e.ip,
    user_agent: e.userAgent,
    created_at: e.createdAt,
  };
}

export class MonthlyUsageDto {
  /** First day of the month (UTC), YYYY-MM-DD. */
  month!: string;
  requests!: number;
  errors!: number;
  input_tokens!: number;
  output_tokens!: number;
  cost_usd!: number;
}

export class LimitUsageDto {
  /** Limit name (requests_per_hour, tokens_per_minute, daily_token_limit, monthly_token_quota, monthly_cost_limit_usd). */
  limit!: string;
  /** Configured limit; null = unlimited. */
  limit_value!: number | null;
  /** Used in the current window. */
  used!: number;
  /** Start of the current window (UTC). */
  window_start!: Date;
  /** Seconds until the window resets. */
  resets_in_s!: number;
}

export class ApiKeyUsageDto {
  total_requests!: number;
  total_errors!: number;
  total_input_tokens!: number;
  total_output_tokens!: number;
  total_cost_usd!: number;
  total_latency_ms!: number;
  /** total_latency_ms / total_requests; null before the first request. */
  average_latency_ms!: number | null;
  /** total_errors / total_requests; null before the first request. */
  error_rate!: number | null;
  monthly!: MonthlyUsageDto[];
  limits!: LimitUsageDto[];
}
