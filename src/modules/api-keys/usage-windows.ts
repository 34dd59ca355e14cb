import { ApiKeyLimitName } from './api-keys.enums.js';

/** Fixed UTC windows of the enforced limits (pure; unit-tested). */
export function windowOf(limit: ApiKeyLimitName, now: Date): { start: Date; end: Date } {
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  const h = now.getUTCHours();
  const min = now.getUTCMinutes();
  switch (limit) {
    case ApiKeyLimitName.RequestsPerHour:
      return { start: new Date(Date.UTC(y, m, d, h)), end: new Date(Date.UTC(y, m, d, h + 1)) };
    case ApiKeyLimitName.TokensPerMinute:
      return { start: new Date(Date.UTC(y, m, d, h, min)), end: new Date(Date.UTC(y, m, d, h, min + 1)) };
    case ApiKeyLimitName.DailyTokenLimit:
      return { start: new Date(Date.UTC(y, m, d)), end: new Date(Date.UTC(y, m, d + 1)) };
    case ApiKeyLimitName.MonthlyTokenQuota:
    case ApiKeyLimitName.MonthlyCostLimitUsd:
      return { start: new Date(Date.UTC(y, m, 1)), end: new Date(Date.UTC(y, m + 1, 1)) };
  }
}

/** `YYYY-MM-01` of the UTC month. */
export function monthKey(now: Date): string {
  return windowOf(ApiKeyLimitName.MonthlyTokenQuota, now).start.toISOString().slice(0, 10);
}

/** (input × in_price + output × out_price) / 1e6, 6 decimals; null when either price is unset (api-keys.md §6.6). */
export function computeCost(
  inputTokens: number,
  outputTokens: number,
  inputPrice: number | null,
  outputPrice: number | null,
): number | null {
  if (inputPrice === null || outputPrice === null) return null;
  return Math.round(((inputTokens * inputPrice + outputTokens * outputPrice) / 1_000_000) * 1e6) / 1e6;
}

export function secondsUntil(end: Date, now: Date): number {
  return Math.max(1, Math.ceil((end.getTime() - now.getTime()) / 1000));
}
