import { ApiPropertyOptional, ApiProperty, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDate,
  IsEnum,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';
import { ApiKeyStatus, LlmProvider } from '../api-keys.enums.js';

/** Create a provider key (api-keys.md §2.4). Limits and prices are optional; null/absent = unlimited/unpriced. */
export class CreateApiKeyDto {
  /** Owner's label, unique per owner (case-insensitive). @example "My OpenAI key" */
  @IsString() @Length(1, 100) nickname!: string;
  /** Provider from the registry (GET /llm/providers); immutable after create. */
  @ApiProperty({ enum: LlmProvider, enumName: 'LlmProvider' })
  @IsEnum(LlmProvider)
  provider!: LlmProvider;
  /** The provider secret (8..512 chars, no whitespace). Write-only: never returned. */
  @IsString() @MinLength(1) @MaxLength(600) secret!: string;
  /** OpenAI-compatible base URL, custom provider only (https, public host). */
  @IsOptional() @IsString() @MaxLength(500) base_url?: string | null;
  /** Ordered model ids; [0] is the default model (custom keys need at least one). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ArrayUnique()
  @IsString({ each: true })
  @Length(1, 200, { each: true })
  model_preferences?: string[];
  /** Make this the owner's default key (the first key always becomes default). */
  @IsOptional() @IsBoolean() is_default?: boolean;
  /** Context window override in tokens. */
  @IsOptional() @IsInt() @Min(1024) @Max(2_000_000) context_window_tokens?: number | null;
  /** Upstream requests per clock hour (UTC). */
  @IsOptional() @IsInt() @Min(1) @Max(100_000) requests_per_hour?: number | null;
  /** Tokens per clock minute. */
  @IsOptional() @IsInt() @Min(1) @Max(10_000_000) tokens_per_minute?: number | null;
  /** Tokens per UTC day. */
  @IsOptional() @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) daily_token_limit?: number | null;
  /** Tokens per UTC calendar month. */
  @IsOptional() @IsInt() @Min(1) @Max(Number.MAX_SAFE_INTEGER) monthly_token_quota?: number | null;
  /** Spend per UTC month in USD (needs prices). */
  @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0.01) @Max(9_999_999_999) monthly_cost_limit_usd?:
    number | null;
  /** USD per 1M input tokens. */
  @IsOptional() @IsNumber({ maxDecimalPlaces: 6 }) @Min(0) @Max(999_999) input_price_per_mtok_usd?: number | null;
  /** USD per 1M output tokens. */
  @IsOptional() @IsNumber({ maxDecimalPlaces: 6 }) @Min(0) @Max(999_999) output_price_per_mtok_usd?: number | null;
  /** `OpenAI-Organization` header (openai keys only). */
  @IsOptional() @IsString() @Length(1, 100) openai_organization?: string | null;
  /** `OpenAI-Project` header (openai keys only). */
  @IsOptional() @IsString() @Length(1, 100) openai_project?: string | null;
  /** Extra non-secret request headers: ≤ 10, values ≤ 500 chars; reserved names refused. */
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  @IsOptional()
  @IsObject()
  extra_headers?: Record<string, string>;
  /** When the key stops being used (must be in the future). */
  @IsOptional() @Type(() => Date) @IsDate() expires_at?: Date | null;
  /** Check the key against the provider before answering. */
  @IsOptional() @IsBoolean() verify?: boolean;
}

/** PATCH /api-keys/:id: config only; the secret has its own route, counters are never written. */
export class UpdateApiKeyDto extends PartialType(OmitType(CreateApiKeyDto, ['provider', 'secret', 'verify'] as const)) {
  /** Owner toggle between `active` and `disabled`. */
  @ApiPropertyOptional({ enum: [ApiKeyStatus.Active, ApiKeyStatus.Disabled] })
  @IsOptional()
  @IsIn([ApiKeyStatus.Active, ApiKeyStatus.Disabled])
  status?: ApiKeyStatus.Active | ApiKeyStatus.Disabled;
}

/** PUT /api-keys/:id/secret. */
export class ReplaceSecretDto {
  /** The new provider secret. Write-only. */
  @IsString() @MinLength(1) @MaxLength(600) secret!: string;
}
