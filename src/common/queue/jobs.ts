/**
 * Every background job of the platform, its payload, and the queue it runs on. A queue is named by its jobs'
 * prefix (`media.purge` runs on `media`); each queue has exactly one processor, in the module that owns it.
 * Payloads carry ids and time windows, never entities or message text.
 */
export interface JobPayloads {
  /** `sealed_token`: the one-time token sealed by MailTokenSealer, never the plain token. */
  'mail.send': { template: MailTemplate; to_user_id: string; sealed_token?: string; correlation_id?: string };
  'media.purge': { storage_keys: string[]; correlation_id?: string };
  /** Ends active programme memberships whose expires_at is at or before `as_of` (default: now). Idempotent. */
  'creators.expire-memberships': { as_of?: string; correlation_id?: string };
  /** Recomputes follower_count, total_likes, total_conversations (all profiles, or the given ones). Idempotent. */
  'creators.refresh-stats': { creator_profile_ids?: string[]; correlation_id?: string };
  /** Chunks and embeds one knowledge entry if its content still has this hash (knowledge.md §2.4). */
  'knowledge.embed': { entry_id: string; content_hash: string; correlation_id?: string };
  /** Deletes knowledge_activation_logs rows older than the retention (90 days). Idempotent. */
  'knowledge.prune-activation-logs': { retention_days?: number; correlation_id?: string };
  /** Adds buffered bot views to bots.view_count (DELETE … RETURNING, so retries add nothing twice). */
  'bots.flush-views': { correlation_id?: string };
  /** Recomputes bots.likes_count / favorites_count from bot_interactions (fixes drift). Idempotent. */
  'bots.reconcile-counters': { correlation_id?: string };
  /** Re-encrypts api_keys rows not under the active master key (api-keys.md §2.1). Idempotent. */
  'api-keys.re-encrypt': { job_id: string; correlation_id?: string };
  /** Deletes api_key_events past retention and old limit windows (api-keys.md §4). Idempotent. */
  'api-keys.prune': { retention_days?: number; correlation_id?: string };
  /**
   * Extracts one memory and the rolling summary from a conversation's messages in (watermark, to_seq] (chat.md §4).
   * `force`: the owner asked for it (runs even with memory disabled). Idempotent: the watermark and
   * ux_memories_extracted_range make a second run of a range a no-op.
   */
  'memory.extract': { conversation_id: string; to_seq: number; force?: boolean; correlation_id?: string };
  /** Merges groups of ≥ 3 similar short-term memories of one user (optionally one bot's) (chat.md §4). */
  'memory.consolidate': { user_id: string; bot_id?: string | null; correlation_id?: string };
  /** Open generations without progress (queued 10 min, streaming 5 min) → failed ABANDONED (chat.md §3.4). Idempotent. */
  'chat.sweep-stale': { correlation_id?: string };
  /** Recomputes conversations' message/participant counts from rows, logs drift (chat.md §1.5). Idempotent. */
  'chat.repair-counters': { correlation_id?: string };
  /** Ages crisis resource verifications as of `as_of` (default now): 180 d → needs_update, 365 d → expired. Idempotent. */
  'crisis.verification-expiry': { as_of?: string; correlation_id?: string };
  /** Deletes wellbeing_usage_days older than `retention_days` (default 400) before `as_of`'s UTC date. Idempotent. */
  'wellbeing.usage-prune': { retention_days?: number; as_of?: string; correlation_id?: string };
  /** analytics.md §3.2: recompute one rollup row from raw events (whole-row upsert, never increments). */
  'analytics.user-day': { userId: string; day: string };
  'analytics.bot-day': { botId: string; day: string };
  'analytics.persona-day': { personaId: string; day: string };
  'analytics.memory-day': { userId: string; botId: string; day: string };
  'analytics.platform-day': { day: string };
  /** Recomputes one user's mood_trends row from mood_entries. */
  'analytics.mood-trend': { userId: string };
  /** Schedules the rollups touched by events recorded in the last windowHours (hourly safety net). */
  'analytics.sweep': { windowHours: number };
  /** Recomputes every dimension for `day` (default yesterday) and the day before; refreshes mood trends. */
  'analytics.nightly': { day?: string };
  /** Admin backfill: one rollup job per day and key of the range (days within retention only). */
  'analytics.backfill': {
    scope: 'user' | 'bot' | 'persona' | 'memory' | 'platform' | 'all';
    from: string;
    to: string;
    ids?: string[];
  };
  /** Deletes analytics_events before the retention cutoff (never later than it), in batches of 10 000. */
  'analytics.prune-events': { before?: string };
  /** Anonymizes a deleted account's events (actor_user_id null, actor_key `deleted`). */
  'analytics.forget-user': { userId: string };
}

export type MailTemplate = 'welcome' | 'email_verification' | 'password_reset' | 'email_change';

export type JobName = keyof JobPayloads;
export type QueueName = JobName extends `${infer Q}.${string}` ? Q : never;

/** Runtime list of job names; `satisfies` keeps it in step with JobPayloads at compile time. */
export const JOB_NAMES = [
  'mail.send',
  'media.purge',
  'creators.expire-memberships',
  'creators.refresh-stats',
  'knowledge.embed',
  'knowledge.prune-activation-logs',
  'bots.flush-views',
  'bots.reconcile-counters',
  'api-keys.re-encrypt',
  'api-keys.prune',
  'memory.extract',
  'memory.consolidate',
  'chat.sweep-stale',
  'chat.repair-counters',
  'crisis.verification-expiry',
  'wellbeing.usage-prune',
  'analytics.user-day',
  'analytics.bot-day',
  'analytics.persona-day',
  'analytics.memory-day',
  'analytics.platform-day',
  'analytics.mood-trend',
  'analytics.sweep',
  'analytics.nightly',
  'analytics.backfill',
  'analytics.prune-events',
  'analytics.forget-user',
] as const satisfies readonly JobName[];
type Missing = Exclude<JobName, (typeof JOB_NAMES)[number]>;
const _allListed: Missing extends never ? true : never = true;
void _allListed;

export function queueOf(job: JobName): QueueName {
  return job.slice(0, job.indexOf('.')) as QueueName;
}

export const QUEUE_NAMES: QueueName[] = [...new Set(JOB_NAMES.map(queueOf))];

export interface EnqueueOptions {
  /** Deterministic dedupe id; never contains `:` (BullMQ refuses most such ids). */
  jobId?: string;
  delayMs?: number;
  attempts?: number;
}

export const DEFAULT_ATTEMPTS = 3;
export const DEFAULT_BACKOFF_MS = 1000;

/** Retry and worker settings of one queue: STYLE.md's defaults unless the queue's spec sets its own. */
export interface QueuePolicy {
  attempts: number;
  /** First retry delay; each further retry doubles it (exponential backoff). */
  backoffMs: number;
  /** Keep failed jobs this long (BullMQ); unset keeps them until removed. */
  removeOnFailAgeSeconds?: number;
  /** BullMQ worker concurrency and lock duration in the worker role. */
  concurrency: number;
  /** Environment variable that overrides `concurrency` at boot. */
  concurrencyEnv?: 'ANALYTICS_WORKER_CONCURRENCY';
  lockDurationMs?: number;
}

const DEFAULT_QUEUE_POLICY: QueuePolicy = { attempts: DEFAULT_ATTEMPTS, backoffMs: DEFAULT_BACKOFF_MS, concurrency: 2 };

/** Queues whose spec sets its own policy. */
const QUEUE_POLICIES: Partial<Record<string, Partial<QueuePolicy>>> = {
  /** analytics.md §3.4: 5 attempts, backoff 10, 20, 40, 80, 160 s; failed jobs kept 7 days; lock 60 s. */
  analytics: {
    attempts: 5,
    backoffMs: 10_000,
    removeOnFailAgeSeconds: 7 * 86_400,
    concurrency: 4,
    concurrencyEnv: 'ANALYTICS_WORKER_CONCURRENCY',
    lockDurationMs: 60_000,
  },
};

export function queuePolicy(queue: string): QueuePolicy {
  return { ...DEFAULT_QUEUE_POLICY, ...QUEUE_POLICIES[queue] };
}

/** When a repeatable job runs: every `everyMs`, at `offsetMs` past each multiple of it counted from the Unix epoch (UTC). */
export interface ScheduleTiming {
  offsetMs?: number;
}

export function assertJobId(jobId: string): void {
  if (jobId.includes(':')) throw new Error(`Job id "${jobId}" contains ':'; use '-' as the separator.`);
}
