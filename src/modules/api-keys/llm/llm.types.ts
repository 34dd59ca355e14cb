import type { ApiKey } from '../entities/api-key.entity.js';

/** One chat-completions message (api-keys.md §6.3). `name` is dropped for providers that do not support it. */
export interface LlmChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  name?: string;
}

export interface LlmCallRequest {
  /** The key row (api_keys); provider, base URL, extra headers and OpenAI organisation/project come from it. */
  key: ApiKey;
  /** Decrypted secret (ApiKeySecretService.withSecret); never logged, scrubbed from every error text. */
  secret: string;
  model: string;
  messages: LlmChatMessage[];
  temperature: number;
  maxTokens: number;
  /** LlmClient.userTag(userId): sent as the `user` field. */
  userTag: string;
  /** Cancels the call (POST /messages/:id/cancel); the client then throws LlmUpstreamError CANCELLED. */
  signal?: AbortSignal;
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
}

export type LlmStreamEvent =
  | { type: 'content'; text: string }
  | { type: 'reasoning'; text: string }
  | { type: 'finish'; reason: string }
  | ({ type: 'usage' } & LlmUsage);

export interface LlmCompletion {
  content: string;
  finishReason: string | null;
  usage: LlmUsage | null;
}
