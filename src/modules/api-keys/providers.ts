import { LlmProvider } from './api-keys.enums.js';

/** One entry of the provider registry (api-keys.md §1): code, overridable by configuration only. */
export interface ProviderInfo {
  provider: LlmProvider;
  /** Null for `custom`: the key's own base_url. */
  defaultBaseUrl: string | null;
  /** Null for `custom`: the key's model_preferences[0]. */
  defaultModel: string | null;
  /** Human hint shown to clients (e.g. `sk-`). */
  secretPrefix: string | null;
  /** Minimum secret length beyond the global 8. */
  minLength: number;
  requiresBaseUrl: boolean;
  supportsStreamOptions: boolean;
  supportsNameField: boolean;
}

const entry = (
  provider: LlmProvider,
  defaultBaseUrl: string | null,
  defaultModel: string | null,
  secretPrefix: string | null,
  minLength = 8,
): ProviderInfo => ({
  provider,
  defaultBaseUrl,
  defaultModel,
  secretPrefix,
  minLength,
  requiresBaseUrl: provider === LlmProvider.Custom,
  supportsStreamOptions: true,
  supportsNameField: true,
});

export const PROVIDERS: Readonly<Record<LlmProvider, ProviderInfo>> = {
  openai: entry(LlmProvider.OpenAi, 'https://api.openai.com/v1', 'gpt-4.1-mini', 'sk-', 20),
  anthropic: entry(LlmProvider.Anthropic, 'https://api.anthropic.com/v1', 'claude-sonnet-4-5', 'sk-ant-'),
  google: entry(
    LlmProvider.Google,
    'https://generativelanguage.googleapis.com/v1beta/openai',
    'gemini-2.5-flash',
    null,
    30,
  ),
  openrouter: entry(LlmProvider.OpenRouter, 'https://openrouter.ai/api/v1', 'anthropic/claude-sonnet-4.5', 'sk-or-'),
  deepseek: entry(LlmProvider.DeepSeek, 'https://api.deepseek.com/v1', 'deepseek-chat', 'sk-'),
  cohere: entry(LlmProvider.Cohere, 'https://api.cohere.ai/compatibility/v1', 'command-r-plus', null, 20),
  together: entry(
    LlmProvider.Together,
    'https://api.together.xyz/v1',
    'meta-llama/Llama-3.3-70B-Instruct-Turbo',
    null,
    20,
  ),
  electronhub: entry(LlmProvider.ElectronHub, 'https://api.electronhub.ai/v1', 'gpt-4.1', null, 20),
  glm: entry(LlmProvider.Glm, 'https://api.z.ai/api/paas/v4', 'glm-4.7-flash', null, 20),
  custom: entry(LlmProvider.Custom, null, null, null),
};

/** Trims a secret and checks the global and per-provider format rules; returns the trimmed secret or null. */
export function normalizeSecret(provider: LlmProvider, raw: string): string | null {
  const secret = raw.trim();
  if (secret.length < 8 || secret.length > 512 || /\s/.test(secret)) return null;
  const info = PROVIDERS[provider];
  if (secret.length < info.minLength) return null;
  if (info.secretPrefix && !secret.startsWith(info.secretPrefix)) return null;
  return secret;
}

/** Parses LLM_BASE_URL_OVERRIDES (validated at boot) into a provider → URL map. */
export function parseBaseUrlOverrides(json: string | undefined): Partial<Record<LlmProvider, string>> {
  if (!json) return {};
  return JSON.parse(json) as Partial<Record<LlmProvider, string>>;
}
