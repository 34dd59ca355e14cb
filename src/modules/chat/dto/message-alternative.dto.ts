import { IsUUID } from 'class-validator';
import type { Actor } from '../../../common/auth/actor.js';
import type { GenerationStatus, TokenCountSource } from '../chat.enums.js';
import type { MessageAlternative } from '../entities/message-alternative.entity.js';

/** PUT /messages/:id/active-alternative. */
export class SelectAlternativeDto {
  /** A completed alternative of this message. */
  @IsUUID() alternative_id!: string;
}

/** One variant ("swipe") of a bot message (chat.md §3.5). */
export class MessageAlternativeResponseDto {
  id!: string;
  message_id!: string;
  /** 0..19; #0 is the first reply (or the greeting). */
  position!: number;
  /** True for the alternative the message currently shows. */
  is_active!: boolean;
  content!: string;
  reasoning_content!: string | null;
  provider!: string | null;
  model!: string | null;
  input_tokens!: number;
  output_tokens!: number;
  total_tokens!: number;
  token_count_source!: TokenCountSource;
  processing_time_ms!: number | null;
  first_token_ms!: number | null;
  finish_reason!: string | null;
  generation_status!: GenerationStatus;
  error_code!: string | null;
  requested_by_user_id!: string | null;
  /** Only to requested_by_user_id. */
  api_key_id?: string | null;
  /** USD; only to requested_by_user_id. */
  cost_estimate?: number | null;
  created_at!: string;
  updated_at!: string;
}

export function toMessageAlternativeResponse(
  actor: Actor,
  a: MessageAlternative,
  activeAlternativeId: string | null,
): MessageAlternativeResponseDto {
  const dto: MessageAlternativeResponseDto = {
    id: a.id,
    message_id: a.messageId,
    position: a.position,
    is_active: a.id === activeAlternativeId,
    content: a.content,
    reasoning_content: a.reasoningContent,
    provider: a.provider,
    model: a.model,
    input_tokens: a.inputTokens,
    output_tokens: a.outputTokens,
    total_tokens: a.totalTokens,
    token_count_source: a.tokenCountSource,
    processing_time_ms: a.processingTimeMs,
    first_token_ms: a.firstTokenMs,
    finish_reason: a.finishReason,
    generation_status: a.generationStatus,
    error_code: a.errorCode,
    requested_by_user_id: a.requestedByUserId,
    created_at: a.createdAt.toISOString(),
    updated_at: a.updatedAt.toISOString(),
  };
  if (a.requestedByUserId !== null && a.requestedByUserId === actor.id) {
    dto.api_key_id = a.apiKeyId;
    dto.cost_estimate = a.costEstimate === null ? null : Number(a.costEstimate);
  }
  return dto;
}
