import { ApiKeyStatus, LlmProvider } from '../../api-keys/api-keys.enums.js';
import { defaultModelOf, generationParams, isKeyUsable } from './key-resolver.service.js';

describe('key resolution helpers (api-keys.md §6.1)', () => {
  const now = new Date('2026-06-01T12:00:00Z');

  it('a key is usable only while active and not expired', () => {
    expect(isKeyUsable({ status: ApiKeyStatus.Active, expiresAt: null }, now)).toBe(true);
    expect(isKeyUsable({ status: ApiKeyStatus.Active, expiresAt: new Date('2026-06-02T00:00:00Z') }, now)).toBe(true);
    expect(isKeyUsable({ status: ApiKeyStatus.Active, expiresAt: new Date('2026-06-01T11:59:59Z') }, now)).toBe(false);
    for (const status of [ApiKeyStatus.Disabled, ApiKeyStatus.Invalid, ApiKeyStatus.Suspended]) {
      expect(isKeyUsable({ status, expiresAt: null }, now)).toBe(false);
    }
  });

  it('model: the first preference, else the provider default; a custom key without one has none', () => {
    expect(defaultModelOf({ provider: LlmProvider.OpenAi, modelPreferences: ['gpt-x', 'gpt-y'] })).toBe('gpt-x');
    expect(defaultModelOf({ provider: LlmProvider.OpenAi, modelPreferences: [] })).toBe('gpt-4.1-mini');
    expect(defaultModelOf({ provider: LlmProvider.Custom, modelPreferences: [] })).toBeNull();
  });

  it('temperature 0.7 and the configured max_tokens unless the conversation sets them', () => {
    expect(generationParams({ temperature: null, maxOutputTokens: null }, 1024)).toEqual({
      temperature: 0.7,
      maxTokens: 1024,
    });
    expect(generationParams({ temperature: '0.20', maxOutputTokens: 300 }, 1024)).toEqual({
      temperature: 0.2,
      maxTokens: 300,
    });
  });
});
