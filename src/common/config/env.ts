import { existsSync } from 'node:fs';
import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEnum,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

export enum NodeEnv {
  Development = 'development',
  Production = 'production',
  Test = 'test',
}

export const DEFAULT_JWT_SECRET = 'dev-only-insecure-jwt-secret-change-me';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));
const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : value === true || value === 'true' || value === '1';
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : value;

/** Every environment variable the app reads. README's configuration table mirrors this class. */
export class Env {
  @IsEnum(NodeEnv) NODE_ENV: NodeEnv = NodeEnv.Development;
  @IsIn(['api', 'worker', 'all']) APP_ROLE: 'api' | 'worker' | 'all' = 'api';
  @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT = 3000;
  @IsString() HOST = '0.0.0.0';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;
  @Transform(toInt) @IsInt() @Min(1) @Max(100) DATABASE_POOL_SIZE = 10;
  @IsString() DATA_DIR = './data';
  @Transform(toBool) @IsBoolean() DATABASE_MIGRATE_ON_START = true;

  @IsOptional() @Matches(/^rediss?:\/\//, { message: 'REDIS_URL must be a redis:// URL' }) REDIS_URL?: string;
  @IsString() REDIS_PREFIX = 'botcafe';

  @IsString() @MinLength(32) JWT_SECRET: string = DEFAULT_JWT_SECRET;
  @Transform(toInt) @IsInt() @Min(60) ACCESS_TOKEN_TTL_SECONDS = 900;
  @Transform(toInt) @IsInt() @Min(3600) REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;
  /** base64 of 32 bytes; encrypts provider keys at rest (api-keys.md). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'KEY_ENCRYPTION_MASTER_KEY must be base64 of 32 bytes' })
  KEY_ENCRYPTION_MASTER_KEY?: string;
  @IsString() KEY_ENCRYPTION_KEY_ID = 'k1';

  @Transform(toList) @IsString({ each: true }) CORS_ORIGINS: string[] = [];
  @Transform(toInt) @IsInt() @Min(1024) BODY_LIMIT_BYTES = 1024 * 1024;
  @Transform(toInt) @IsInt() @Min(1) MEDIA_QUOTA_BYTES = 500 * 1024 * 1024;
  @IsOptional() @IsString() MEDIA_DIR?: string;
  /** Uploads per user per rolling hour (identity.md §2); enforced only when RATE_LIMIT_ENABLED. */
  @Transform(toInt) @IsInt() @Min(1) MEDIA_UPLOADS_PER_HOUR = 30;
  @Transform(toBool) @IsBoolean() RATE_LIMIT_ENABLED = true;
  @Transform(toInt) @IsInt() @Min(1) RATE_LIMIT_PER_MINUTE = 300;
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) LOG_LEVEL = 'info';

  @IsOptional() @IsString() ADMIN_EMAIL?: string;
  @IsOptional() @IsString() @MinLength(10) ADMIN_PASSWORD?: string;
  @IsString() PUBLIC_BASE_URL = 'http://localhost:3000';
  /** Most bots one user may own (bots.md §1.5). */
  @Transform(toInt) @IsInt() @Min(1) BOTS_PER_USER_MAX = 200;

  /** Lore budget when the caller gives none: min(window × percent / 100, cap) tokens (knowledge.md §4.1). */
  @Transform(toInt) @IsInt() @Min(1) @Max(100) KNOWLEDGE_BUDGET_PERCENT = 20;
  @Transform(toInt) @IsInt() @Min(0) KNOWLEDGE_BUDGET_CAP = 2000;
  /** Lore recursion passes (knowledge.md §4.1 step 8), capped at 10. */
  @Transform(toInt) @IsInt() @Min(0) @Max(10) KNOWLEDGE_MAX_RECURSION = 3;
  /** New messages before the first memory extraction of a conversation (chat.md §4). */
  @Transform(toInt) @IsInt() @Min(1) MEMORY_FIRST_THRESHOLD = 5;
  /** New messages since the last extraction before the next one (chat.md §4). */
  @Transform(toInt) @IsInt() @Min(1) MEMORY_THRESHOLD = 20;

  /**
   * Earlier master keys still needed to decrypt rows during a rotation (api-keys.md §2.1): comma list
   * `kid:base64key`, each key 32 bytes. The active key is KEY_ENCRYPTION_MASTER_KEY under KEY_ENCRYPTION_KEY_ID.
   */
  @Transform(toList)
  @Matches(/^[a-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=$/, {
    each: true,
    message: 'KEY_ENCRYPTION_PREVIOUS_KEYS entries must be kid:base64-of-32-bytes',
  })
  KEY_ENCRYPTION_PREVIOUS_KEYS: string[] = [];
  /** HMAC key of the duplicate-secret fingerprint (api-keys.md §2); unset → derived from the master key. */
  @IsOptional() @IsString() @MinLength(32) API_KEY_FINGERPRINT_SECRET?: string;
  /** Allow plain-http base URLs on 127.0.0.1 (tests and local trials with the fake provider); never in production. */
  @Transform(toBool) @IsBoolean() LLM_ALLOW_INSECURE_LOCAL_PROVIDERS = false;
  /** JSON map provider → base URL replacing the registry default (tests, corporate proxies). */
  @IsOptional() @IsString() LLM_BASE_URL_OVERRIDES?: string;
  /** Milliseconds an LLM provider may take to send the first byte of its answer (api-keys.md §6.4). */
  @Transform(toInt) @IsInt() @Min(100) LLM_FIRST_BYTE_TIMEOUT_MS = 60_000;
  /** Salt of the `user` tag sent to providers, sha256(salt + user id); unset → derived from JWT_SECRET. */
  @IsOptional() @IsString() @MinLength(16) LLM_USER_TAG_SALT?: string;
  /** JSON map model-id prefix → context window tokens (api-keys.md §1); the longest matching prefix wins, else 8192. */
  @IsOptional() @IsString() LLM_MODEL_CONTEXT_WINDOWS?: string;
  /** max_tokens of a reply when the conversation sets no max_output_tokens (api-keys.md §6.1). */
  @Transform(toInt) @IsInt() @Min(1) @Max(32768) LLM_DEFAULT_MAX_OUTPUT_TOKENS = 1024;
  /** Platform preamble at the top of every prompt's system message (api-keys.md §6.3); may be empty. */
  @IsString() @MaxLength(8000) CHAT_SYSTEM_PREAMBLE = '';
  /** Days api_key_events are kept (api-keys.md §4). */
  @Transform(toInt) @IsInt() @Min(1) API_KEY_EVENT_RETENTION_DAYS = 180;
  /** Days analytics_events are kept; rollups are kept forever and never recomputed past this (analytics.md §1). */
  @Transform(toInt) @IsInt() @Min(3) @Max(3650) ANALYTICS_EVENT_RETENTION_DAYS = 90;
  /** Rollup debounce bucket in seconds (analytics.md §3.2); 0 runs rollups right after each commit (tests). */
  @Transform(toInt) @IsInt() @Min(0) @Max(3600) ANALYTICS_DEBOUNCE_SECONDS = 60;
  /** Concurrent jobs of the `analytics` queue per BullMQ worker process (analytics.md §3.4). */
  @Transform(toInt) @IsInt() @Min(1) @Max(64) ANALYTICS_WORKER_CONCURRENCY = 4;
  /** Idle gap in minutes that ends a self-moderation session and counts as a break (wellbeing.md §3.1). */
  @Transform(toInt) @IsInt() @Min(1) @Max(240) WELLBEING_IDLE_GAP_MINUTES = 10;
}

export function validateEnv(raw: Record<string, unknown>): Env {
  const env = plainToInstance(Env, raw, { exposeDefaultValues: true });
  const errors = validateSync(env, { whitelist: false, forbidUnknownValues: false });
  const problems = errors.flatMap((e) => Object.values(e.constraints ?? {}).map((m) => `${e.property}: ${m}`));
  if (env.NODE_ENV === NodeEnv.Production) {
    if (env.JWT_SECRET === DEFAULT_JWT_SECRET)
      problems.push('JWT_SECRET: must be set in production (the default is public)');
    if (!env.KEY_ENCRYPTION_MASTER_KEY) problems.push('KEY_ENCRYPTION_MASTER_KEY: required in production');
    if (env.LLM_ALLOW_INSECURE_LOCAL_PROVIDERS)
      problems.push('LLM_ALLOW_INSECURE_LOCAL_PROVIDERS: must not be enabled in production');
  }
  if (env.LLM_BASE_URL_OVERRIDES) {
    try {
      const map: unknown = JSON.parse(env.LLM_BASE_URL_OVERRIDES);
      if (!map || typeof map !== 'object' || Object.values(map).some((v) => typeof v !== 'string')) throw new Error();
    } catch {
      problems.push('LLM_BASE_URL_OVERRIDES: must be a JSON object of provider → URL strings');
    }
  }
  if (env.LLM_MODEL_CONTEXT_WINDOWS) {
    try {
      const map: unknown = JSON.parse(env.LLM_MODEL_CONTEXT_WINDOWS);
      const ok = (v: unknown) => Number.isInteger(v) && (v as number) >= 1024 && (v as number) <= 10_000_000;
      if (!map || typeof map !== 'object' || Array.isArray(map) || !Object.values(map).every(ok)) throw new Error();
    } catch {
      problems.push('LLM_MODEL_CONTEXT_WINDOWS: must be a JSON object of model-id prefix → tokens (1024..10000000)');
    }
  }
  if (!/^[a-z0-9_-]{1,32}$/.test(env.KEY_ENCRYPTION_KEY_ID))
    problems.push('KEY_ENCRYPTION_KEY_ID: must match ^[a-z0-9_-]{1,32}$');
  if (problems.length) throw new Error(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return env;
}

/** Bootstrap code (main, worker, CLI) reads the environment through here, before Nest's ConfigModule exists. */
export function loadEnv(): Env {
  // The same optional .env file ConfigModule reads, so bootstrap checks see what the app will see.
  if (existsSync('.env')) process.loadEnvFile('.env');
  return validateEnv(process.env);
}
