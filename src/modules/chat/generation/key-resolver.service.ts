import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../../../common/auth/actor.js';
import type { Env } from '../../../common/config/env.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../../../common/errors/app-error.js';
import { ApiKeyStatus } from '../../api-keys/api-keys.enums.js';
import { ApiKey } from '../../api-keys/entities/api-key.entity.js';
import { PROVIDERS } from '../../api-keys/providers.js';
import type { Conversation } from '../entities/conversation.entity.js';

export const DEFAULT_TEMPERATURE = 0.7;

/** temperature = conversation ?? 0.7; max_tokens = conversation max_output_tokens ?? the configured default. */
export function generationParams(
  conv: Pick<Conversation, 'temperature' | 'maxOutputTokens'>,
  defaultMaxTokens: number,
): { temperature: number; maxTokens: number } {
  return {
    temperature: conv.temperature === null ? DEFAULT_TEMPERATURE : Number(conv.temperature),
    maxTokens: conv.maxOutputTokens ?? defaultMaxTokens,
  };
}

export interface KeyChoice {
  api_key_id?: string | null;
  model?: string | null;
}

export interface ResolvedKey {
  key: ApiKey;
  model: string;
  temperature: number;
  maxTokens: number;
}

/** A key may generate iff it is `active` and not expired (api-keys.md §2). Pure. */
export function isKeyUsable(key: Pick<ApiKey, 'status' | 'expiresAt'>, now = new Date()): boolean {
  return key.status === ApiKeyStatus.Active && (key.expiresAt === null || key.expiresAt.getTime() > now.getTime());
}

/** The model a key uses without a request/conversation choice: model_preferences[0], else the provider default. */
export function defaultModelOf(key: Pick<ApiKey, 'provider' | 'modelPreferences'>): string | null {
  return key.modelPreferences?.[0] ?? PROVIDERS[key.provider].defaultModel ?? null;
}

/**
 * Key → model → parameters (api-keys.md §6.1). The key is always the caller's own: an explicit id of anyone else is
 * 404, the conversation's remembered key and model count only for its owner, then the caller's default key, then
 * the caller's most recently used active key.
 */
@Injectable()
export class KeyResolver {
  constructor(private readonly config: ConfigService<Env, true>) {}

  /** temperature and max_tokens of a reply in this conversation (api-keys.md §6.1.3). */
  params(conv: Pick<Conversation, 'temperature' | 'maxOutputTokens'>): { temperature: number; maxTokens: number } {
    return generationParams(conv, this.config.get('LLM_DEFAULT_MAX_OUTPUT_TOKENS', { infer: true }));
  }

  async resolve(em: EntityManager, actor: Actor, conv: Conversation, choice: KeyChoice = {}): Promise<ResolvedKey> {
    const isOwner = actor.id === conv.ownerUserId;
    const repo = em.getRepository(ApiKey);
    let key: ApiKey | null = null;
    if (choice.api_key_id) {
      key = await repo.findOne({ where: { id: choice.api_key_id, userId: actor.id } });
      if (!key) throw new NotFoundError('API_KEY_NOT_FOUND');
    }
    if (!key && isOwner && conv.apiKeyId) {
      key = await repo.findOne({ where: { id: conv.apiKeyId, userId: actor.id } });
    }
    if (!key) key = await repo.findOne({ where: { userId: actor.id, isDefault: true } });
    if (!key) {
      key = await repo
        .createQueryBuilder('k')
        .where('k.user_id = :me', { me: actor.id })
        .andWhere(`k.status = 'active'`)
        .andWhere('(k.expires_at IS NULL OR k.expires_at > now())')
        .orderBy('k.last_used_at', 'DESC', 'NULLS LAST')
        .addOrderBy('k.created_at', 'DESC')
        .getOne();
    }
    if (!key) throw new UnprocessableError('NO_API_KEY', 'Add an API key to get replies.');
    if (!isKeyUsable(key)) {
      const state = key.status === ApiKeyStatus.Active ? 'expired' : key.status;
      throw new ConflictError('API_KEY_NOT_USABLE', `The API key "${key.nickname}" is ${state}.`, {
        api_key_id: key.id,
        key_status: key.status,
      });
    }
    const model = choice.model || (isOwner ? conv.model : null) || defaultModelOf(key);
    if (!model) throw new UnprocessableError('MODEL_REQUIRED', 'Choose a model for this custom key.');
    return { key, model, ...this.params(conv) };
  }
}
