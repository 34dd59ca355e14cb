/** Shared with messages.provider (api-keys.md §1); Postgres type `llm_provider`. */
export enum LlmProvider {
  OpenAi = 'openai',
  Anthropic = 'anthropic',
  Google = 'google',
  OpenRouter = 'openrouter',
  DeepSeek = 'deepseek',
  Cohere = 'cohere',
  Together = 'together',
  ElectronHub = 'electronhub',
  Glm = 'glm',
  Custom = 'custom',
}

/** Postgres type `api_key_status` (api-keys.md §2). */
export enum ApiKeyStatus {
  Active = 'active',
  Disabled = 'disabled',
  Invalid = 'invalid',
  Suspended = 'suspended',
}

/** Postgres type `api_key_event_type` (api-keys.md §4). */
export enum ApiKeyEventType {
  Created = 'created',
  Updated = 'updated',
  SecretReplaced = 'secret_replaced',
  Verified = 'verified',
  VerificationFailed = 'verification_failed',
  Used = 'used',
  UseFailed = 'use_failed',
  LimitBlocked = 'limit_blocked',
  FallbackUsed = 'fallback_used',
  Disabled = 'disabled',
  Enabled = 'enabled',
  Suspended = 'suspended',
  Unsuspended = 'unsuspended',
  Deleted = 'deleted',
  ReEncrypted = 're_encrypted',
  DecryptFailed = 'decrypt_failed',
}

/** Postgres type `api_key_use_purpose`. */
export enum ApiKeyUsePurpose {
  Chat = 'chat',
  Regenerate = 'regenerate',
  MemoryExtraction = 'memory_extraction',
  Verification = 'verification',
}

/** Names of the enforced per-key limits (also the `error_code` of `limit_blocked` events). */
export enum ApiKeyLimitName {
  RequestsPerHour = 'requests_per_hour',
  TokensPerMinute = 'tokens_per_minute',
  DailyTokenLimit = 'daily_token_limit',
  MonthlyTokenQuota = 'monthly_token_quota',
  MonthlyCostLimitUsd = 'monthly_cost_limit_usd',
}
