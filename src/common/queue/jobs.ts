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

export function assertJobId(jobId: string): void {
  if (jobId.includes(':')) throw new Error(`Job id "${jobId}" contains ':'; use '-' as the separator.`);
}
