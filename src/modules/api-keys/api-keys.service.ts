import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import type { Actor } from '../../common/auth/actor.js';
import type { Env } from '../../common/config/env.js';
import {
  AppError,
  ConflictError,
  ForbiddenError,
  InvalidError,
  NotFoundError,
  UnprocessableError,
} from '../../common/errors/app-error.js';
import { keysetPage, mapPage } from '../../common/pagination/page.js';
import { ApiKeyEventType, ApiKeyLimitName, ApiKeyStatus, ApiKeyUsePurpose, LlmProvider } from './api-keys.enums.js';
import { ApiKeyAudit, type AuditOrigin } from './api-key-audit.js';
import { ApiKeyPolicy } from './api-key.policy.js';
import { ApiKeySecretService } from './api-key-secret.service.js';
import type { CreateApiKeyDto, UpdateApiKeyDto } from './dto/create-api-key.dto.js';
import { type ApiKeyPageDto, type ApiKeyResponseDto, toApiKeyResponse } from './dto/api-key-response.dto.js';
import type { FallbacksResponseDto } from './dto/fallbacks.dto.js';
import {
  type ApiKeyEventPageDto,
  type ApiKeyUsageDto,
  type ListApiKeyEventsDto,
  toApiKeyEvent,
} from './dto/api-key-events.dto.js';
import type { AdminListApiKeysDto } from './dto/admin-api-keys.dto.js';
import { ApiKey } from './entities/api-key.entity.js';
import { ApiKeyEvent } from './entities/api-key-event.entity.js';
import { ApiKeyFallback } from './entities/api-key-fallback.entity.js';
import { normalizeSecret, parseBaseUrlOverrides } from './providers.js';
import { SecretCipher } from './secret-cipher.js';
import {
  assertSafeBaseUrl,
  guardedRequest,
  resolveSafeAddress,
  type SsrfGuardOptions,
  UnsafeUrlError,
} from './ssrf-guard.js';
import { extraHeaderProblems, scrubProviderText, upstreamBaseUrl, upstreamHeaders } from './upstream.js';
import { errorCodeForStatus } from './llm/llm-errors.js';
import { secondsUntil, windowOf } from './usage-windows.js';

export const MAX_KEYS_PER_USER = 20;

export class VerifyResultDto {
  /** The provider accepted the key. */
  valid!: boolean;
  /** Upstream HTTP status of GET {base}/models. */
  http_status!: number;
  /** INVALID_KEY, RATE_LIMITED, UPSTREAM_ERROR … when not valid. */
  error_code!: string | null;
  api_key!: ApiKeyResponseDto;
}

/** Use cases of the owner routes (api-keys.md §2.4, §3, §5). */
@Injectable()
export class ApiKeysService {
  private readonly logger = new Logger(ApiKeysService.name);
  readonly guard: SsrfGuardOptions;
  readonly overrides: Partial<Record<LlmProvider, string>>;

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    @Inject(SecretCipher) private readonly cipher: SecretCipher,
    private readonly policy: ApiKeyPolicy,
    private readonly audit: ApiKeyAudit,
    private readonly secrets: ApiKeySecretService,
    config: ConfigService<Env, true>,
  ) {
    this.guard = { allowInsecureLocal: config.get('LLM_ALLOW_INSECURE_LOCAL_PROVIDERS', { infer: true }) };
    this.overrides = parseBaseUrlOverrides(config.get('LLM_BASE_URL_OVERRIDES', { infer: true }));
  }

  private get keys() {
    return this.ds.getRepository(ApiKey);
  }

  /** Loads a key the actor owns; anything else is 404. */
  private async loadOwned(actor: Actor, id: string, em?: EntityManager, lock = false): Promise<ApiKey> {
    const qb = (em ?? this.ds.manager).getRepository(ApiKey).createQueryBuilder('k').where('k.id = :id', { id });
    if (lock) qb.setLock('pessimistic_write');
    const key = await qb.getOne();
    if (!key) throw new NotFoundError('API_KEY_NOT_FOUND');
    this.policy.assert(actor, 'read', key);
    return key;
  }

  async list(actor: Actor, query: { limit?: number; cursor?: string }): Promise<ApiKeyPageDto> {
    const qb = this.keys.createQueryBuilder('k').where('k.user_id = :uid', { uid: actor.id });
    const page = await keysetPage(
      qb,
      [
        { expr: 'k.created_at', direction: 'DESC', value: (k) => k.createdAt.toISOString(), cast: 'timestamptz' },
        { expr: 'k.id', direction: 'DESC', value: (k) => k.id, cast: 'uuid' },
      ],
      query,
    );
    return mapPage(page, toApiKeyResponse);
  }

  async get(actor: Actor, id: string): Promise<ApiKeyResponseDto> {
    return toApiKeyResponse(await this.loadOwned(actor, id));
  }

  async create(actor: Actor, dto: CreateApiKeyDto, origin: AuditOrigin): Promise<ApiKeyResponseDto | VerifyResultDto> {
    const secret = normalizeSecret(dto.provider, dto.secret);
    if (!secret)
      throw new UnprocessableError('INVALID_SECRET_FORMAT', 'The secret does not match the provider format.');
    const custom = dto.provider === LlmProvider.Custom;
    const models = dto.model_preferences ?? [];
    if (custom && (!dto.base_url || models.length === 0)) {
      throw new UnprocessableError(
        dto.base_url ? 'MODEL_REQUIRED' : 'INVALID_BASE_URL',
        'A custom key needs base_url and at least one model in model_preferences.',
      );
    }
    if (!custom && dto.base_url != null) {
      throw new UnprocessableError('INVALID_BASE_URL', 'Only custom keys may set base_url.');
    }
    const baseUrl = custom ? await this.checkBaseUrl(dto.base_url!) : null;
    this.checkConfig(dto.provider, dto);
    const id = randomUUID();
    const sealed = this.cipher.encrypt(secret, { apiKeyId: id, userId: actor.id });
    const fingerprint = this.cipher.fingerprint(secret);

    await this.ds.transaction(async (em) => {
      // Serialises one user's key creations so the 20-key cap and the first-key default are exact.
      await em.query(`SELECT id FROM users WHERE id = $1 FOR UPDATE`, [actor.id]);
      const [{ count }] = (await em.query(`SELECT count(*)::int AS count FROM api_keys WHERE user_id = $1`, [
        actor.id,
      ])) as Array<{ count: number }>;
      if (count >= MAX_KEYS_PER_USER) {
        throw new UnprocessableError('API_KEY_LIMIT', `At most ${MAX_KEYS_PER_USER} keys per user.`);
      }
      await this.assertUnique(em, actor.id, dto.provider, fingerprint, dto.nickname);
      const makeDefault = count === 0 || dto.is_default === true;
      if (makeDefault)
        await em.query(`UPDATE api_keys SET is_default = false WHERE user_id = $1 AND is_default`, [actor.id]);
      await this.insertOrConflict(() =>
        em.getRepository(ApiKey).insert({
          id,
          userId: actor.id,
          nickname: dto.nickname.trim(),
          provider: dto.provider,
          baseUrl,
          secretCiphertext: sealed.ciphertext,
          secretIv: sealed.iv,
          secretAuthTag: sealed.authTag,
          encryptionKeyId: sealed.keyId,
          secretHint: secret.slice(-4),
          secretFingerprint: fingerprint,
          isDefault: makeDefault,
          expiresAt: dto.expires_at ?? null,
          modelPreferences: models,
          contextWindowTokens: dto.context_window_tokens ?? null,
          requestsPerHour: dto.requests_per_hour ?? null,
          tokensPerMinute: dto.tokens_per_minute ?? null,
          dailyTokenLimit: dto.daily_token_limit ?? null,
          monthlyTokenQuota: dto.monthly_token_quota ?? null,
          monthlyCostLimitUsd: dto.monthly_cost_limit_usd ?? null,
          inputPricePerMtokUsd: dto.input_price_per_mtok_usd ?? null,
          outputPricePerMtokUsd: dto.output_price_per_mtok_usd ?? null,
          openaiOrganization: dto.openai_organization ?? null,
          openaiProject: dto.openai_project ?? null,
          extraHeaders: dto.extra_headers ?? {},
        }),
      );
      await this.audit.record(em, id, { eventType: ApiKeyEventType.Created, ...origin, actorUserId: actor.id });
    });
    this.logger.log({ msg: 'api key created', apiKeyId: id, provider: dto.provider });
    if (dto.verify) return this.verify(actor, id, origin);
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, dto: UpdateApiKeyDto, origin: AuditOrigin): Promise<ApiKeyResponseDto> {
    for (const field of ['nickname', 'model_preferences', 'extra_headers', 'is_default', 'status'] as const) {
      if (dto[field] === null)
        throw new InvalidError('VALIDATION_FAILED', undefined, [{ field, message: 'must not be null' }]);
    }
    await this.ds.transaction(async (em) => {
      const key = await this.loadOwned(actor, id, em, true);
      this.policy.assert(actor, 'update', key);
      const custom = key.provider === LlmProvider.Custom;
      const patch: Partial<ApiKey> = {};
      if (dto.base_url !== undefined) {
        if (!custom) throw new UnprocessableError('INVALID_BASE_URL', 'Only custom keys may set base_url.');
        if (!dto.base_url) throw new UnprocessableError('INVALID_BASE_URL', 'A custom key needs base_url.');
        patch.baseUrl = await this.checkBaseUrl(dto.base_url);
      }
      if (dto.model_preferences !== undefined) {
        if (custom && dto.model_preferences.length === 0) {
          throw new UnprocessableError('MODEL_REQUIRED', 'A custom key needs at least one model.');
        }
        patch.modelPreferences = dto.model_preferences;
      }
      this.checkConfig(key.provider, dto);
      if (dto.nickname !== undefined) {
        await this.assertUnique(em, actor.id, null, null, dto.nickname, key.id);
        patch.nickname = dto.nickname.trim();
      }
      const simple: Array<[keyof UpdateApiKeyDto, keyof ApiKey]> = [
        ['context_window_tokens', 'contextWindowTokens'],
        ['requests_per_hour', 'requestsPerHour'],
        ['tokens_per_minute', 'tokensPerMinute'],
        ['daily_token_limit', 'dailyTokenLimit'],
        ['monthly_token_quota', 'monthlyTokenQuota'],
        ['monthly_cost_limit_usd', 'monthlyCostLimitUsd'],
        ['input_price_per_mtok_usd', 'inputPricePerMtokUsd'],
        ['output_price_per_mtok_usd', 'outputPricePerMtokUsd'],
        ['openai_organization', 'openaiOrganization'],
        ['openai_project', 'openaiProject'],
        ['extra_headers', 'extraHeaders'],
        ['expires_at', 'expiresAt'],
      ];
      for (const [from, to] of simple) {
        if (dto[from] !== undefined) (patch as Record<string, unknown>)[to] = dto[from];
      }
      let statusEvent: ApiKeyEventType | null = null;
      if (dto.status !== undefined && dto.status !== key.status) {
        if (key.status === ApiKeyStatus.Suspended) {
          throw new ForbiddenError('API_KEY_SUSPENDED', 'An admin suspended this key.');
        }
        if (key.status === ApiKeyStatus.Invalid && dto.status === ApiKeyStatus.Active) {
          throw new ConflictError('API_KEY_INVALID', 'The provider rejected this key; replace its secret.');
        }
        patch.status = dto.status;
        statusEvent = dto.status === ApiKeyStatus.Disabled ? ApiKeyEventType.Disabled : ApiKeyEventType.Enabled;
      }
      if (dto.is_default === true && !key.isDefault) {
        await em.query(`UPDATE api_keys SET is_default = false WHERE user_id = $1 AND is_default`, [actor.id]);
        patch.isDefault = true;
      } else if (dto.is_default === false) patch.isDefault = false;
      if (Object.keys(patch).length) {
        await this.insertOrConflict(() => em.getRepository(ApiKey).update({ id }, patch));
      }
      await this.audit.record(em, id, { eventType: ApiKeyEventType.Updated, ...origin, actorUserId: actor.id });
      if (statusEvent) await this.audit.record(em, id, { eventType: statusEvent, ...origin, actorUserId: actor.id });
    });
    return this.get(actor, id);
  }

  async replaceSecret(actor: Actor, id: string, raw: string, origin: AuditOrigin): Promise<ApiKeyResponseDto> {
    await this.ds.transaction(async (em) => {
      const key = await this.loadOwned(actor, id, em, true);
      this.policy.assert(actor, 'replace_secret', key);
      const secret = normalizeSecret(key.provider, raw);
      if (!secret)
        throw new UnprocessableError('INVALID_SECRET_FORMAT', 'The secret does not match the provider format.');
      const fingerprint = this.cipher.fingerprint(secret);
      await this.assertUnique(em, actor.id, key.provider, fingerprint, null, key.id);
      const sealed = this.cipher.encrypt(secret, { apiKeyId: key.id, userId: key.userId });
      await this.insertOrConflict(() =>
        em.getRepository(ApiKey).update(
          { id },
          {
            secretCiphertext: sealed.ciphertext,
            secretIv: sealed.iv,
            secretAuthTag: sealed.authTag,
            encryptionKeyId: sealed.keyId,
            secretHint: secret.slice(-4),
            secretFingerprint: fingerprint,
            secretRotatedAt: new Date(),
            ...(key.status === ApiKeyStatus.Invalid ? { status: ApiKeyStatus.Active } : {}),
          },
        ),
      );
      await this.audit.record(em, id, { eventType: ApiKeyEventType.SecretReplaced, ...origin, actorUserId: actor.id });
    });
    return this.get(actor, id);
  }

  /** GET {base}/models with the key (10 s, SSRF-guarded, no redirects) (api-keys.md §2.4 "Verify"). */
  async verify(actor: Actor, id: string, origin: AuditOrigin): Promise<VerifyResultDto> {
    const owned = await this.loadOwned(actor, id);
    this.policy.assert(actor, 'verify', owned);
    const outcome = await this.secrets.withSecret(id, actor.id, ApiKeyUsePurpose.Verification, async (secret, key) => {
      const { url, userSupplied } = upstreamBaseUrl(key, this.overrides);
      const started = Date.now();
      try {
        const res = await guardedRequest(
          `${url}/models`,
          { headers: upstreamHeaders(key, secret), timeoutMs: 10_000, operatorConfigured: !userSupplied },
          this.guard,
        );
        return { status: res.status, latency: Date.now() - started, body: scrubProviderText(res.body, secret) };
      } catch (err) {
        if (err instanceof UnsafeUrlError && err.reason !== 'redirect') return { unsafe: err.message };
        return { network: err instanceof UnsafeUrlError ? 'redirect' : 'network' };
      }
    });
    if ('unsafe' in outcome || 'network' in outcome) {
      await this.ds.transaction((em) =>
        this.audit.record(em, id, {
          eventType: ApiKeyEventType.VerificationFailed,
          purpose: ApiKeyUsePurpose.Verification,
          errorCode: 'unsafe' in outcome ? 'INVALID_BASE_URL' : 'NETWORK_ERROR',
          ...origin,
          actorUserId: actor.id,
        }),
      );
      if ('unsafe' in outcome) throw new UnprocessableError('INVALID_BASE_URL', outcome.unsafe);
      throw new AppError(502, 'PROVIDER_UNREACHABLE', 'The provider could not be reached.');
    }
    const ok = outcome.status >= 200 && outcome.status < 300;
    const rejected = outcome.status === 401 || outcome.status === 403;
    const errorCode = ok ? null : errorCodeForStatus(outcome.status, outcome.body);
    await this.ds.transaction(async (em) => {
      if (ok) {
        await em.query(
          `UPDATE api_keys SET last_verified_at = now(),
             status = CASE WHEN status IN ('disabled', 'suspended') THEN status ELSE 'active' END WHERE id = $1`,
          [id],
        );
      } else if (rejected) {
        await em.query(`UPDATE api_keys SET status = 'invalid' WHERE id = $1 AND status = 'active'`, [id]);
      }
      await this.audit.record(em, id, {
        eventType: ok ? ApiKeyEventType.Verified : ApiKeyEventType.VerificationFailed,
        purpose: ApiKeyUsePurpose.Verification,
        httpStatus: outcome.status,
        latencyMs: outcome.latency,
        errorCode,
        ...origin,
        actorUserId: actor.id,
      });
    });
    return { valid: ok, http_status: outcome.status, error_code: errorCode, api_key: await this.get(actor, id) };
  }

  async remove(actor: Actor, id: string, origin: AuditOrigin): Promise<void> {
    await this.ds.transaction(async (em) => {
      const key = await this.loadOwned(actor, id, em, true);
      this.policy.assert(actor, 'delete', key);
      await this.audit.record(em, id, { eventType: ApiKeyEventType.Deleted, ...origin, actorUserId: actor.id });
      await em.getRepository(ApiKey).delete({ id });
      if (key.isDefault) {
        await em.query(
          `UPDATE api_keys SET is_default = true WHERE id = (
             SELECT id FROM api_keys WHERE user_id = $1 AND status = 'active'
              ORDER BY last_used_at DESC NULLS LAST, created_at DESC LIMIT 1)`,
          [actor.id],
        );
      }
    });
  }

  async getFallbacks(actor: Actor, id: string): Promise<FallbacksResponseDto> {
    await this.loadOwned(actor, id);
    return this.readFallbacks(this.ds.manager, id);
  }

  async setFallbacks(actor: Actor, id: string, ids: string[], origin: AuditOrigin): Promise<FallbacksResponseDto> {
    return this.ds.transaction(async (em) => {
      const key = await this.loadOwned(actor, id, em, true);
      this.policy.assert(actor, 'set_fallbacks', key);
      if (ids.includes(id)) {
        throw new InvalidError('VALIDATION_FAILED', undefined, [
          { field: 'fallback_ids', message: 'a key cannot be its own fallback' },
        ]);
      }
      if (ids.length) {
        const owned = (await em.query(`SELECT id FROM api_keys WHERE id = ANY($1::uuid[]) AND user_id = $2`, [
          ids,
          actor.id,
        ])) as Array<{ id: string }>;
        if (owned.length !== ids.length) throw new NotFoundError('API_KEY_NOT_FOUND');
      }
      await em.getRepository(ApiKeyFallback).delete({ apiKeyId: id });
      if (ids.length) {
        await em
          .getRepository(ApiKeyFallback)
          .insert(ids.map((fallbackApiKeyId, position) => ({ apiKeyId: id, fallbackApiKeyId, position })));
      }
      await this.audit.record(em, id, { eventType: ApiKeyEventType.Updated, ...origin, actorUserId: actor.id });
      return this.readFallbacks(em, id);
    });
  }

  /** Usable fallback keys of a key, in order (one level; unusable ones skipped) — for reply generation. */
  async usableFallbacks(apiKeyId: string): Promise<ApiKey[]> {
    return this.keys
      .createQueryBuilder('k')
      .innerJoin(ApiKeyFallback, 'f', 'f.fallback_api_key_id = k.id')
      .where('f.api_key_id = :apiKeyId', { apiKeyId })
      .andWhere(`k.status = 'active'`)
      .andWhere('(k.expires_at IS NULL OR k.expires_at > now())')
      .orderBy('f.position', 'ASC')
      .getMany();
  }

  private async readFallbacks(em: EntityManager, id: string): Promise<FallbacksResponseDto> {
    const rows = (await em.query(
      `SELECT f.position, k.id, k.nickname, k.provider, k.status FROM api_key_fallbacks f
         JOIN api_keys k ON k.id = f.fallback_api_key_id WHERE f.api_key_id = $1 ORDER BY f.position`,
      [id],
    )) as Array<{ position: number; id: string; nickname: string; provider: LlmProvider; status: ApiKeyStatus }>;
    return {
      fallback_ids: rows.map((r) => r.id),
      items: rows.map((r) => ({
        position: r.position,
        api_key_id: r.id,
        nickname: r.nickname,
        provider: r.provider,
        status: r.status,
      })),
    };
  }

  async usage(actor: Actor, id: string, months = 6): Promise<ApiKeyUsageDto> {
    const key = await this.loadOwned(actor, id);
    const now = new Date();
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (months - 1), 1));
    const monthly = (await this.ds.query(
      `SELECT to_char(month, 'YYYY-MM-DD') AS month, requests, errors, input_tokens, output_tokens, cost_usd
         FROM api_key_usage_monthly WHERE api_key_id = $1 AND month >= $2 ORDER BY month DESC`,
      [id, from.toISOString().slice(0, 10)],
    )) as Array<Record<string, string | number>>;
    const windows = (await this.ds.query(
      `SELECT limit_name, window_start, used FROM api_key_usage_windows WHERE api_key_id = $1 AND window_start = ANY($2::timestamptz[])`,
      [
        id,
        [
          ApiKeyLimitName.RequestsPerHour,
          ApiKeyLimitName.TokensPerMinute,
          ApiKeyLimitName.DailyTokenLimit,
          ApiKeyLimitName.MonthlyTokenQuota,
        ].map((l) => windowOf(l, now).start.toISOString()),
      ],
    )) as Array<{ limit_name: ApiKeyLimitName; window_start: Date; used: string }>;
    const currentMonth = monthly.find(
      (m) => m.month === windowOf(ApiKeyLimitName.MonthlyCostLimitUsd, now).start.toISOString().slice(0, 10),
    );
    const limitValues: Record<ApiKeyLimitName, number | null> = {
      requests_per_hour: key.requestsPerHour,
      tokens_per_minute: key.tokensPerMinute,
      daily_token_limit: key.dailyTokenLimit,
      monthly_token_quota: key.monthlyTokenQuota,
      monthly_cost_limit_usd: key.monthlyCostLimitUsd,
    };
    const limits = Object.values(ApiKeyLimitName).map((limit) => {
      const w = windowOf(limit, now);
      const row = windows.find(
        (r) => r.limit_name === limit && new Date(r.window_start).getTime() === w.start.getTime(),
      );
      const used =
        limit === ApiKeyLimitName.MonthlyCostLimitUsd ? Number(currentMonth?.cost_usd ?? 0) : Number(row?.used ?? 0);
      return {
        limit,
        limit_value: limitValues[limit],
        used,
        window_start: w.start,
        resets_in_s: secondsUntil(w.end, now),
      };
    });
    const requests = key.totalRequests;
    return {
      total_requests: requests,
      total_errors: key.totalErrors,
      total_input_tokens: key.totalInputTokens,
      total_output_tokens: key.totalOutputTokens,
      total_cost_usd: key.totalCostUsd,
      total_latency_ms: key.totalLatencyMs,
      average_latency_ms: requests ? Math.round(key.totalLatencyMs / requests) : null,
      error_rate: requests ? key.totalErrors / requests : null,
      monthly: monthly.map((m) => ({
        month: String(m.month),
        requests: Number(m.requests),
        errors: Number(m.errors),
        input_tokens: Number(m.input_tokens),
        output_tokens: Number(m.output_tokens),
        cost_usd: Number(m.cost_usd),
      })),
      limits,
    };
  }

  async events(actor: Actor, id: string, query: ListApiKeyEventsDto): Promise<ApiKeyEventPageDto> {
    await this.loadOwned(actor, id);
    const qb = this.ds.getRepository(ApiKeyEvent).createQueryBuilder('e').where('e.api_key_id = :id', { id });
    if (query.event_type) qb.andWhere('e.event_type = :t', { t: query.event_type });
    const page = await keysetPage(
      qb,
      [
        { expr: 'e.created_at', direction: 'DESC', value: (e) => e.createdAt.toISOString(), cast: 'timestamptz' },
        { expr: 'e.id', direction: 'DESC', value: (e) => e.id, cast: 'uuid' },
      ],
      query,
    );
    return mapPage(page, toApiKeyEvent);
  }

  // ---- admin ----------------------------------------------------------------------------------------------------

  async adminList(actor: Actor, query: AdminListApiKeysDto): Promise<ApiKeyPageDto> {
    this.policy.assert(actor, 'admin_read', { userId: '' });
    const qb = this.keys.createQueryBuilder('k');
    if (query.user_id) qb.andWhere('k.user_id = :uid', { uid: query.user_id });
    if (query.provider) qb.andWhere('k.provider = :p', { p: query.provider });
    if (query.status) qb.andWhere('k.status = :s', { s: query.status });
    const page = await keysetPage(
      qb,
      [
        { expr: 'k.created_at', direction: 'DESC', value: (k) => k.createdAt.toISOString(), cast: 'timestamptz' },
        { expr: 'k.id', direction: 'DESC', value: (k) => k.id, cast: 'uuid' },
      ],
      query,
    );
    return mapPage(page, toApiKeyResponse);
  }

  async setSuspended(actor: Actor, id: string, suspend: boolean, reason: string | undefined, origin: AuditOrigin) {
    this.policy.assert(actor, 'suspend', { userId: '' });
    await this.ds.transaction(async (em) => {
      const key = await em
        .getRepository(ApiKey)
        .createQueryBuilder('k')
        .setLock('pessimistic_write')
        .where('k.id = :id', { id })
        .getOne();
      if (!key) throw new NotFoundError('API_KEY_NOT_FOUND');
      if (suspend === (key.status === ApiKeyStatus.Suspended)) {
        throw new ConflictError(suspend ? 'API_KEY_ALREADY_SUSPENDED' : 'API_KEY_NOT_SUSPENDED');
      }
      await em
        .getRepository(ApiKey)
        .update(
          { id },
          suspend
            ? { status: ApiKeyStatus.Suspended, suspendedReason: reason ?? null }
            : { status: ApiKeyStatus.Active, suspendedReason: null },
        );
      await this.audit.record(em, id, {
        eventType: suspend ? ApiKeyEventType.Suspended : ApiKeyEventType.Unsuspended,
        ...origin,
        actorUserId: actor.id,
      });
    });
    return toApiKeyResponse((await this.keys.findOneBy({ id }))!);
  }

  // ---- helpers ----------------------------------------------------------------------------------------------------

  /** Static URL rules plus DNS resolution (422 INVALID_BASE_URL); returns the normalised URL. */
  private async checkBaseUrl(raw: string): Promise<string> {
    try {
      const normalized = assertSafeBaseUrl(raw, this.guard);
      await resolveSafeAddress(new URL(normalized), this.guard);
      return normalized;
    } catch (err) {
      if (err instanceof UnsafeUrlError) throw new UnprocessableError('INVALID_BASE_URL', err.message);
      throw err;
    }
  }

  private checkConfig(provider: LlmProvider, dto: UpdateApiKeyDto): void {
    const errors: Array<{ field: string; message: string }> = [];
    if (provider !== LlmProvider.OpenAi) {
      for (const field of ['openai_organization', 'openai_project'] as const) {
        if (dto[field] != null) errors.push({ field, message: 'only for provider openai' });
      }
    }
    if (dto.extra_headers !== undefined) {
      for (const message of extraHeaderProblems(dto.extra_headers)) errors.push({ field: 'extra_headers', message });
    }
    if (dto.expires_at && dto.expires_at.getTime() <= Date.now()) {
      errors.push({ field: 'expires_at', message: 'must be in the future' });
    }
    if (dto.nickname !== undefined && dto.nickname !== null && !dto.nickname.trim()) {
      errors.push({ field: 'nickname', message: 'must not be blank' });
    }
    if (errors.length) throw new InvalidError('VALIDATION_FAILED', 'The request is invalid.', errors);
  }

  private async assertUnique(
    em: EntityManager,
    userId: string,
    provider: LlmProvider | null,
    fingerprint: string | null,
    nickname: string | null | undefined,
    exceptId?: string,
  ): Promise<void> {
    if (nickname) {
      const [hit] = (await em.query(
        `SELECT 1 FROM api_keys WHERE user_id = $1 AND lower(nickname) = lower($2) AND id <> $3`,
        [userId, nickname.trim(), exceptId ?? '00000000-0000-0000-0000-000000000000'],
      )) as unknown[];
      if (hit) throw new ConflictError('API_KEY_NICKNAME_TAKEN', 'You already have a key with this nickname.');
    }
    if (provider && fingerprint) {
      const [hit] = (await em.query(
        `SELECT 1 FROM api_keys WHERE user_id = $1 AND provider = $2 AND secret_fingerprint = $3 AND id <> $4`,
        [userId, provider, fingerprint, exceptId ?? '00000000-0000-0000-0000-000000000000'],
      )) as unknown[];
      if (hit) throw new ConflictError('DUPLICATE_API_KEY', 'This secret is already stored as another key.');
    }
  }

  /** Maps a unique violation raced past the pre-checks to the spec's 409s. */
  private async insertOrConflict<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const constraint = (err as QueryFailedError & { driverError?: { constraint?: string } }).driverError?.constraint;
      if (constraint === 'ux_api_keys_user_nickname') throw new ConflictError('API_KEY_NICKNAME_TAKEN');
      if (constraint === 'ux_api_keys_user_fingerprint') throw new ConflictError('DUPLICATE_API_KEY');
      throw err;
    }
  }
}
