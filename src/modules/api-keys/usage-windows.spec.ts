import { ApiKeyLimitName } from './api-keys.enums.js';
import { computeCost, monthKey, secondsUntil, windowOf } from './usage-windows.js';

describe('usage windows', () => {
  const now = new Date('2026-12-31T23:59:30.500Z');
  it('computes fixed UTC windows', () => {
    expect(windowOf(ApiKeyLimitName.RequestsPerHour, now).start.toISOString()).toBe('2026-12-31T23:00:00.000Z');
    expect(windowOf(ApiKeyLimitName.RequestsPerHour, now).end.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(windowOf(ApiKeyLimitName.TokensPerMinute, now).start.toISOString()).toBe('2026-12-31T23:59:00.000Z');
    expect(windowOf(ApiKeyLimitName.DailyTokenLimit, now).end.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(windowOf(ApiKeyLimitName.MonthlyTokenQuota, now).start.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(monthKey(now)).toBe('2026-12-01');
    expect(secondsUntil(windowOf(ApiKeyLimitName.TokensPerMinute, now).end, now)).toBe(30);
  });
  it('computes cost per spec example (1.0 / 2.0 per Mtok, 42 / 7 tokens)', () => {
    expect(computeCost(42, 7, 1, 2)).toBe(0.000056);
    expect(computeCost(42, 7, null, 2)).toBeNull();
  });
});
