import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { LlmProvider } from '../../src/modules/api-keys/api-keys.enums.js';
import type { TestApp } from '../setup/test-app.js';

let counter = 0;

/** A create body with a unique nickname and secret (openai format unless overridden). */
export function buildApiKeyBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    nickname: `key ${counter} ${randomBytes(2).toString('hex')}`,
    provider: LlmProvider.OpenAi,
    secret: `sk-test-${randomBytes(12).toString('hex')}`,
    ...overrides,
  };
}

/** Creates a key through the API (the only way to get correct ciphertext and AAD); returns the response body. */
export async function createApiKey(
  ctx: TestApp,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<{ body: Record<string, unknown> & { id: string }; secret: string }> {
  const payload = buildApiKeyBody(overrides);
  const res = await request(ctx.http).post('/api/v1/api-keys').auth(token, { type: 'bearer' }).send(payload);
  if (res.status !== 201) throw new Error(`createApiKey: ${res.status} ${JSON.stringify(res.body)}`);
  return { body: res.body as Record<string, unknown> & { id: string }, secret: String(payload.secret) };
}

/**
 * A custom key pointing at a fake provider (api-keys.md §6.7: model `fake-model`); the app needs
 * LLM_ALLOW_INSECURE_LOCAL_PROVIDERS=true. Returns the response body.
 */
export async function createFakeProviderKey(
  ctx: TestApp,
  token: string,
  fake: { baseUrl: string; apiKey: string },
  overrides: Record<string, unknown> = {},
): Promise<Record<string, any> & { id: string }> {
  const { body } = await createApiKey(ctx, token, {
    provider: LlmProvider.Custom,
    base_url: fake.baseUrl,
    secret: fake.apiKey,
    model_preferences: ['fake-model'],
    ...overrides,
  });
  return body;
}
