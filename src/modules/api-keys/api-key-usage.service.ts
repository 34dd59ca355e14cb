import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { NotFoundError } from '../../common/errors/app-error.js';
import { ApiKeyEventType, ApiKeyLimitName, type ApiKeyUsePurpose } from './api-keys.enums.js';
import { ApiKeyAudit } from './api-key-audit.js';
import { monthKey, secondsUntil, windowOf } from './usage-windows.js';

/** What a successful reservation holds; hand it back to `recordUse` (settles the estimate) or `release`. */
export interface UsageReservation {
  apiKeyId: string;
  estimatedTokens: number;
  windows: Array<{ limit: ApiKeyLimitName; windowStart: Date; amount: number }>;
}

export type ReserveResult =
  { ok: true; reservation: UsageReservation } | { ok: false; limit: ApiKeyLimitName; retryAfterSeconds: number };

export interface UseRecord {
  apiKeyId: string;
  reservation?: UsageReservation;
  ok: boolean;
  purpose: ApiKeyUsePurpose;
  model?: string | null;
  conversationId?: string | null;
  messageId?: string | null;
  httpStatus?: number | null;
  inputTokens: number;
  outputTokens: number;
  latencyMs: number;
  costUsd?: number | null;
  errorCode?: string | null;
}

class LimitBlocked extends Error {
  constructor(
    readonly limit: ApiKeyLimitName,
    readonly retryAfterSeconds: number,
  ) {
    super(limit);
  }
}

interface LimitRow {
  user_id: string;
  secret_hint: string;
  provider: string;
  requests_per_hour: number | null;
  tokens_per_minute: number | null;
  daily_token_limit: string | null;
  monthly_token_quota: string | null;
  monthly_cost_limit_usd: string | null;
}

/**
 * Per-key limits, enforced exactly in PostgreSQL (api-keys.md §4). Call `reserve` before every upstream call (each
 * fallback attempt too): each configured window row is bumped with `UPDATE … SET used = used + n WHERE used + n <=
 * limit RETURNING`, in a fixed order, inside one transaction; the row lock makes concurrent reservations queue and
 * re-check, so a limit of 10 admits exactly 10. A block rolls everything back, writes `limit_blocked` and returns the
 * limit and the seconds until its window resets. Windows are fixed UTC clock windows (hour, minute, day, month).
 */
@Injectable()
export class ApiKeyUsageService {
  private readonly logger = new Logger(ApiKeyUsageService.name);

  constructor(
    @InjectDataSource() private readonly ds: DataSource,
    private readonly audit: ApiKeyAudit,
  ) {}

  async reserve(
    apiKeyId: string,
    options: { estimatedTokens?: number; purpose?: ApiKeyUsePurpose; model?: string | null } = {},
    now = new Date(),
  ): Promise<ReserveResult> {
    const estimate = Math.max(0, Math.ceil(options.estimatedTokens ?? 0));
    try {
      const reservation = await this.ds.transaction(async (em) => {
        const [key] = (await em.query(
          `SELECT user_id, secret_hint, provider, requests_per_hour, tokens_per_minute, daily_token_limit,
                  monthly_token_quota, monthly_cost_limit_usd
             FROM api_keys WHERE id = $1`,
          [apiKeyId],
        )) as LimitRow[];
        if (!key) throw new NotFoundError('API_KEY_NOT_FOUND');
        if (key.monthly_cost_limit_usd !== null) {
          const [row] = (await em.query(
            `SELECT cost_usd FROM api_key_usage_monthly WHERE api_key_id = $1 AND month = $2`,
            [apiKeyId, monthKey(now)],
          )) as Array<{ cost_usd: string }>;
          if (row && Number(row.cost_usd) >= Number(key.monthly_cost_limit_usd)) {
            const { end } = windowOf(ApiKeyLimitName.MonthlyCostLimitUsd, now);
            throw new LimitBlocked(ApiKeyLimitName.MonthlyCostLimitUsd, secondsUntil(end, now));
          }
        }
        const plan: Array<[ApiKeyLimitName, number, string | number | null]> = [
          [ApiKeyLimitName.RequestsPerHour, 1, key.requests_per_hour],
          [ApiKeyLimitName.TokensPerMinute, estimate, key.tokens_per_minute],
          [ApiKeyLimitName.DailyTokenLimit, estimate, key.daily_token_limit],
          [ApiKeyLimitName.MonthlyTokenQuota, estimate, key.monthly_token_quota],
        ];
        const windows: UsageReservation['windows'] = [];
        for (const [limit, amount, max] of plan) {
          if (max === null) continue;
          const { start, end } = windowOf(limit, now);
          await em.query(
            `INSERT INTO api_key_usage_windows (api_key_id, limit_name, window_start, used)
             VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING`,
            [apiKeyId, limit, start],
          );
          const updated = (await em.query(
            `UPDATE api_key_usage_windows SET used = used + $4, updated_at = now()
              WHERE api_key_id = $1 AND limit_name = $2 AND window_start = $3 AND used + $4 <= $5
              RETURNING used`,
            [apiKeyId, limit, start, amount, max],
          )) as [unknown[], number] | unknown[];
          const rows = Array.isArray(updated[0]) ? (updated[0] as unknown[]) : (updated as unknown[]);
          if (rows.length === 0) throw new LimitBlocked(limit, secondsUntil(end, now));
          windows.push({ limit, windowStart: start, amount });
        }
        return { apiKeyId, estimatedTokens: estimate, windows };
      });
      return { ok: true, reservation };
    } catch (err) {
      if (!(err instanceof LimitBlocked)) throw err;
      await this.ds.transaction((em) =>
        this.audit.record(em, apiKeyId, {
          eventType: ApiKeyEventType.LimitBlocked,
          errorCode: err.limit,
          purpose: options.purpose ?? null,
          model: options.model ?? null,
        }),
      );
      this.logger.log({ msg: 'api key limit reached', apiKeyId, limit: err.limit });
      return { ok: false, limit: err.limit, retryAfterSeconds: err.retryAfterSeconds };
    }
  }

  /** Gives a reservation back (the call was never made, e.g. a pre-stream failure before the request). */
  async release(reservation: UsageReservation): Promise<void> {
    await this.ds.transaction((em) => this.adjust(em, reservation, (w) => -w.amount));
  }

  /**
   * Records one upstream call in the caller's transaction (api-keys.md §6.6): key counters (`SET x = x + n`), the
   * monthly rollup upsert, the token windows settled from the estimate to the actual count, and a `used` /
   * `use_failed` event.
   */
  async recordUse(em: EntityManager, use: UseRecord): Promise<void> {
    const tokens = use.inputTokens + use.outputTokens;
    const cost = use.costUsd ?? 0;
    const failed = use.ok ? 0 : 1;
    await em.query(
      `UPDATE api_keys SET total_requests = total_requests + 1, total_errors = total_errors + $2,
              total_input_tokens = total_input_tokens + $3, total_output_tokens = total_output_tokens + $4,
              total_cost_usd = total_cost_usd + $5, total_latency_ms = total_latency_ms + $6,
              last_used_at = now(),
              last_error_at = CASE WHEN $2 = 1 THEN now() ELSE last_error_at END,
              last_error_code = CASE WHEN $2 = 1 THEN $7 ELSE last_error_code END
        WHERE id = $1`,
      [use.apiKeyId, failed, use.inputTokens, use.outputTokens, cost, use.latencyMs, use.errorCode ?? null],
    );
    await em.query(
      `INSERT INTO api_key_usage_monthly (api_key_id, month, requests, errors, input_tokens, output_tokens, cost_usd)
       VALUES ($1, $2, 1, $3, $4, $5, $6)
       ON CONFLICT (api_key_id, month) DO UPDATE SET requests = api_key_usage_monthly.requests + EXCLUDED.requests,
         errors = api_key_usage_monthly.errors + EXCLUDED.errors,
         input_tokens = api_key_usage_monthly.input_tokens + EXCLUDED.input_tokens,
         output_tokens = api_key_usage_monthly.output_tokens + EXCLUDED.output_tokens,
         cost_usd = api_key_usage_monthly.cost_usd + EXCLUDED.cost_usd, updated_at = now()`,
      [use.apiKeyId, monthKey(new Date()), failed, use.inputTokens, use.outputTokens, cost],
    );
    if (use.reservation) {
      const delta = tokens - use.reservation.estimatedTokens;
      await this.adjust(em, use.reservation, (w) => (w.limit === ApiKeyLimitName.RequestsPerHour ? 0 : delta));
    }
    await this.audit.record(em, use.apiKeyId, {
      eventType: use.ok ? ApiKeyEventType.Used : ApiKeyEventType.UseFailed,
      purpose: use.purpose,
      model: use.model ?? null,
      conversationId: use.conversationId ?? null,
      messageId: use.messageId ?? null,
      httpStatus: use.httpStatus ?? null,
      inputTokens: use.inputTokens,
      outputTokens: use.outputTokens,
      latencyMs: use.latencyMs,
      errorCode: use.errorCode ?? null,
    });
  }

  private async adjust(
    em: EntityManager,
    reservation: UsageReservation,
    delta: (w: UsageReservation['windows'][number]) => number,
  ): Promise<void> {
    for (const w of reservation.windows) {
      const n = delta(w);
      if (n === 0) continue;
      await em.query(
        `UPDATE api_key_usage_windows SET used = GREATEST(used + $4, 0), updated_at = now()
          WHERE api_key_id = $1 AND limit_name = $2 AND window_start = $3`,
        [reservation.apiKeyId, w.limit, w.windowStart, n],
      );
    }
  }
}
