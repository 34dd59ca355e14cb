import type { ApiKey } from './entities/api-key.entity.js';
import { LlmProvider } from './api-keys.enums.js';
import { PROVIDERS } from './providers.js';

/** Header names a key's extra_headers may not set (api-keys.md §2). */
export const RESERVED_HEADERS = new Set([
  'authorization',
  'host',
  'cookie',
  'content-length',
  'content-type',
  'accept',
  'x-api-key',
]);

/** Returns a list of validation problems of an extra_headers map (empty = fine). Pure. */
export function extraHeaderProblems(headers: unknown): string[] {
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) return ['must be an object'];
  const entries = Object.entries(headers as Record<string, unknown>);
  const problems: string[] = [];
  if (entries.length > 10) problems.push('at most 10 headers');
  for (const [name, value] of entries) {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(name)) problems.push(`invalid header name "${name.slice(0, 100)}"`);
    else if (RESERVED_HEADERS.has(name.toLowerCase())) problems.push(`header "${name}" may not be set`);
    if (typeof value !== 'string') problems.push(`header "${name.slice(0, 100)}" must be a string`);
    else if (value.length > 500 || /[\r\n\0]/.test(value))
      problems.push(`header "${name.slice(0, 100)}" value is invalid`);
  }
  return problems;
}

/**
 * Request headers of an upstream call: auth, provider headers (§1; `providerHeaders` adds the config-derived ones
 * such as OpenRouter's `HTTP-Referer`/`X-Title`, lower-case names), then extra_headers (never overriding those).
 */
export function upstreamHeaders(
  key: Pick<ApiKey, 'provider' | 'openaiOrganization' | 'openaiProject' | 'extraHeaders'>,
  secret: string,
  accept = 'application/json',
  providerHeaders: Record<string, string> = {},
): Record<string, string> {
  const base: Record<string, string> = {
    ...providerHeaders,
    authorization: `Bearer ${secret}`,
    accept,
    'user-agent': 'BotCafe/0.1',
  };
  if (key.provider === LlmProvider.OpenAi) {
    if (key.openaiOrganization) base['openai-organization'] = key.openaiOrganization;
    if (key.openaiProject) base['openai-project'] = key.openaiProject;
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(key.extraHeaders ?? {})) {
    if (!RESERVED_HEADERS.has(name.toLowerCase()) && !(name.toLowerCase() in base)) headers[name] = value;
  }
  return { ...headers, ...base };
}

/** Base URL of a key's upstream: the custom key's own, else the config override, else the registry default. */
export function upstreamBaseUrl(
  key: Pick<ApiKey, 'provider' | 'baseUrl'>,
  overrides: Partial<Record<LlmProvider, string>>,
): { url: string; userSupplied: boolean } {
  if (key.provider === LlmProvider.Custom) return { url: key.baseUrl!, userSupplied: true };
  return {
    url: (overrides[key.provider] ?? PROVIDERS[key.provider].defaultBaseUrl!).replace(/\/+$/, ''),
    userSupplied: false,
  };
}

/** Provider error text safe to log or return: ≤ 500 chars, the secret and `sk-…`-looking tokens removed. */
export function scrubProviderText(text: string, secret?: string): string {
  let out = text;
  if (secret) out = out.split(secret).join('[redacted]');
  return out.replace(/\b(sk|key|rk|pk)-[A-Za-z0-9_-]{6,}/g, '[redacted]').slice(0, 500);
}
