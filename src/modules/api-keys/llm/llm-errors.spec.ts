import { errorCodeForStatus, LlmUpstreamError } from './llm-errors.js';

describe('errorCodeForStatus (api-keys.md §6.4)', () => {
  it.each([
    [400, 'This model maximum context length is 8192 tokens', 'CONTEXT_LENGTH_EXCEEDED'],
    [400, 'max_tokens: input length too long', 'CONTEXT_LENGTH_EXCEEDED'],
    [400, 'temperature must be <= 2', 'BAD_REQUEST'],
    [401, '', 'INVALID_KEY'],
    [403, '', 'INVALID_KEY'],
    [402, '', 'INSUFFICIENT_QUOTA'],
    [404, '', 'MODEL_NOT_FOUND'],
    [408, '', 'TIMEOUT'],
    [504, '', 'TIMEOUT'],
    [429, '', 'RATE_LIMITED'],
    [500, '', 'UPSTREAM_ERROR'],
    [503, '', 'UPSTREAM_ERROR'],
  ])('%i %s → %s', (status, body, code) => {
    expect(errorCodeForStatus(status, body)).toBe(code);
  });

  it('marks only TIMEOUT, RATE_LIMITED, UPSTREAM_ERROR and NETWORK_ERROR retryable', () => {
    const retryable = (['TIMEOUT', 'RATE_LIMITED', 'UPSTREAM_ERROR', 'NETWORK_ERROR'] as const).map(
      (c) => new LlmUpstreamError(c, 'x').retryable,
    );
    expect(retryable).toEqual([true, true, true, true]);
    for (const c of ['INVALID_KEY', 'BAD_REQUEST', 'STREAM_TRUNCATED', 'MALFORMED_CHUNK', 'CANCELLED'] as const)
      expect(new LlmUpstreamError(c, 'x').retryable).toBe(false);
  });
});
