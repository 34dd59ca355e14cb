import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { ApiKeyEventType, ApiKeyUsePurpose } from './api-keys.enums.js';

/** Request origin of a lifecycle action. */
export interface AuditOrigin {
  actorUserId?: string | null;
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditEntry extends AuditOrigin {
  eventType: ApiKeyEventType;
  purpose?: ApiKeyUsePurpose | null;
  model?: string | null;
  conversationId?: string | null;
  messageId?: string | null;
  httpStatus?: number | null;
  inputTokens?: number | null;
  outputTokens?: number | null;
  latencyMs?: number | null;
  errorCode?: string | null;
}

/**
 * Appends one api_key_events row in the caller's transaction; owner, hint and provider are copied from the key row
 * by the INSERT … SELECT itself (so the trail survives the key's deletion).
 */
@Injectable()
export class ApiKeyAudit {
  async record(em: EntityManager, apiKeyId: string, e: AuditEntry): Promise<void> {
    await em.query(
      `INSERT INTO api_key_events (api_key_id, user_id, actor_user_id, event_type, purpose, key_hint, provider, model,
         conversation_id, message_id, http_status, input_tokens, output_tokens, latency_ms, error_code, ip, user_agent)
       SELECT k.id, k.user_id, $2, $3, $4, k.secret_hint, k.provider, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14
         FROM api_keys k WHERE k.id = $1`,
      [
        apiKeyId,
        e.actorUserId ?? null,
        e.eventType,
        e.purpose ?? null,
        e.model ?? null,
        e.conversationId ?? null,
        e.messageId ?? null,
        e.httpStatus ?? null,
        e.inputTokens ?? null,
        e.outputTokens ?? null,
        e.latencyMs ?? null,
        e.errorCode?.slice(0, 64) ?? null,
        e.ip ?? null,
        e.userAgent?.slice(0, 300) ?? null,
      ],
    );
  }
}
