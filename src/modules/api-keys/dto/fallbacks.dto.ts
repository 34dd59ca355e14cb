import { ArrayMaxSize, ArrayUnique, IsArray, IsUUID } from 'class-validator';
import { LlmProvider, ApiKeyStatus } from '../api-keys.enums.js';

/** PUT /api-keys/:id/fallbacks: replaces the whole ordered list. */
export class SetFallbacksDto {
  /** Fallback key ids in order (≤ 5, distinct, the caller's own keys, not the key itself). */
  @IsArray() @ArrayMaxSize(5) @ArrayUnique() @IsUUID('all', { each: true }) fallback_ids!: string[];
}

export class FallbackItemDto {
  /** 0-based order. */
  position!: number;
  /** The fallback key. */
  api_key_id!: string;
  nickname!: string;
  provider!: LlmProvider;
  status!: ApiKeyStatus;
}

export class FallbacksResponseDto {
  /** Ids in order. */
  fallback_ids!: string[];
  items!: FallbackItemDto[];
}
