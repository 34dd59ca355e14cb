/**
 * Errors of an upstream LLM call (api-keys.md §6.4). `code` is one of the UPPER_SNAKE codes below; `retryable`
 * tells the caller it may move on to the next fallback key (the same key is never retried automatically).
 *
 * Codes: CONTEXT_LENGTH_EXCEEDED, BAD_REQUEST, INVALID_KEY, INSUFFICIENT_QUOTA, MODEL_NOT_FOUND, TIMEOUT,
 * RATE_LIMITED, UPSTREAM_ERROR, NETWORK_ERROR (from the spec's mapping), plus STREAM_TRUNCATED (EOF before a finish
 * reason), MALFORMED_CHUNK (a data line that is not JSON, or an event over the size cap), INVALID_BASE_URL (a custom
 * base URL that fails the address check at call time) and CANCELLED (the caller's AbortSignal fired).
 */
export type LlmErrorCode =
  | 'CONTEXT_LENGTH_EXCEEDED'
  | 'BAD_REQUEST'
  | 'INVALID_KEY'
  | 'INSUFFICIENT_QUOTA'
  | 'MODEL_NOT_FOUND'
  | 'TIMEOUT'
  | 'RATE_LIMITED'
  | 'UPSTREAM_ERROR'
  | 'NETWORK_ERROR'
  | 'STREAM_TRUNCATED'
  | 'MALFORMED_CHUNK'
  | 'INVALID_BASE_URL'
  | 'CANCELLED';

const RETRYABLE: ReadonlySet<string> = new Set(['TIMEOUT', 'RATE_LIMITED', 'UPSTREAM_ERROR', 'NETWORK_ERROR']);

export class LlmUpstreamError extends Error {
  readonly code: LlmErrorCode;
  readonly retryable: boolean;
  /** Upstream HTTP status, when the error came from one. */
  readonly status?: number;
  /** Seconds from the provider's Retry-After header (429), when given. */
  readonly retryAfterSeconds?: number;

  /** `message` must already be scrubbed (scrubProviderText): it may reach logs and clients. */
  constructor(code: LlmErrorCode, message: string, extra: { status?: number; retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'LlmUpstreamError';
    this.code = code;
    this.retryable = RETRYABLE.has(code);
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.retryAfterSeconds !== undefined) this.retryAfterSeconds = extra.retryAfterSeconds;
  }
}

/**
 * api-keys.md §6.4 error mapping by upstream HTTP status (before streaming). `body` is the provider's error text:
 * a 400 that mentions the context or length becomes CONTEXT_LENGTH_EXCEEDED.
 */
export function errorCodeForStatus(status: number, body = ''): LlmErrorCode {
  if (status === 400) return /context|length/i.test(body) ? 'CONTEXT_LENGTH_EXCEEDED' : 'BAD_REQUEST';
  if (status === 401 || status === 403) return 'INVALID_KEY';
  if (status === 402) return 'INSUFFICIENT_QUOTA';
  if (status === 404) return 'MODEL_NOT_FOUND';
  if (status === 408 || status === 504) return 'TIMEOUT';
  if (status === 429) return 'RATE_LIMITED';
  return 'UPSTREAM_ERROR';
}
