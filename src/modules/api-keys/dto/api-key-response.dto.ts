import { ApiProperty } from '@nestjs/swagger';
import { ApiKeyStatus, LlmProvider } from '../api-keys.enums.js';
import type { ApiKey } from '../entities/api-key.entity.js';
import { maskHint } from '../secret-cipher.js';

/** Key metadata. Never carries the secret or anything derived from it except the last 4 characters. */
export class ApiKeyResponseDto {
  id!: string;
  user_id!: string;
  nickname!: string;
  @ApiProperty({ enum: LlmProvider, enumName: 'LlmProvider' }) provider!: LlmProvider;
  base_url!: string | null;
  /** Last 4 characters of the secret. */
  secret_hint!: string;
  /** `••••abcd`, for display. */
  secret_masked!: string;
  /** Master key id the secret is encrypted under. */
  encryption_key_id!: string;
  @ApiProperty({ enum: ApiKeyStatus, enumName: 'ApiKeyStatus' }) status!: ApiKeyStatus;
  suspended_reason!: string | null;
  is_default!: boolean;
  expires_at!: Date | null;
  last_verified_at!: Date | null;
  secret_rotated_at!: Date | null;
  model_preferences!: string[];
  context_window_tokens!: number | null;
  requests_per_hour!: number | null;
  tokens_per_minute!: number | null;
  daily_token_limit!: number | null;
  monthly_token_quota!: number | null;
  monthly_cost_limit_usd!: number | null;
  input_price_per_mtok_usd!: number | null;
  output_price_per_mtok_usd!: number | null;
  openai_organization!: string | null;
  openai_project!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) extra_headers!: Record<string, string>;
  total_requests!: number;
  total_errors!: number;
  total_input_tokens!: number;
  total_output_tokens!: number;
  total_cost_usd!: number;
  total_latency_ms!: number;
  last_used_at!: Date | null;
  last_error_at!: Date | null;
  last_error_code!: string | null;
  created_at!: Date;
  updated_at!: Date;
}

export class ApiKeyPageDto {
  items!: ApiKeyResponseDto[];
  next_cursor!: string | null;
}

export function toApiKeyResponse(k: ApiKey): ApiKeyResponseDto {
  return {
    id: k.id,
    user_id: k.userId,
    nickname: k.nickname,
    provider: k.provider,
    base_url: k.baseUrl,
    secret_hint: k.secretHint,
    secret_masked: maskHint(k.secretHint),
    encryption_key_id: k.encryptionKeyId,
    status: k.status,
    suspended_reason: k.suspendedReason,
    is_default: k.isDefault,
    expires_at: k.expiresAt,
    last_verified_at: k.lastVerifiedAt,
    secret_rotated_at: k.secretRotatedAt,
    model_preferences: k.modelPreferences,
    context_window_tokens: k.contextWindowTokens,
    requests_per_hour: k.requestsPerHour,
    tokens_per_minute: k.tokensPerMinute,
    daily_token_limit: k.dailyTokenLimit,
    monthly_token_quota: k.monthlyTokenQuota,
    monthly_cost_limit_usd: k.monthlyCostLimitUsd,
    input_price_per_mtok_usd: k.inputPricePerMtokUsd,
    output_price_per_mtok_usd: k.outputPricePerMtokUsd,
    openai_organization: k.openaiOrganization,
    openai_project: k.openaiProject,
    extra_headers: k.extraHeaders,
    total_requests: k.totalRequests,
    total_errors: k.totalErrors,
    total_input_tokens: k.totalInputTokens,
    total_output_tokens: k.totalOutputTokens,
    total_cost_usd: k.totalCostUsd,
    total_latency_ms: k.totalLatencyMs,
    last_used_at: k.lastUsedAt,
    last_error_at: k.lastErrorAt,
    last_error_code: k.lastErrorCode,
    created_at: k.createdAt,
    updated_at: k.updatedAt,
  };
}
