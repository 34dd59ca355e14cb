/**
 * Every background job of the platform, its payload, and the queue it runs on. A queue is named by its jobs'
 * prefix (`media.purge` runs on `media`); each queue has exactly one processor, in the module that owns it.
 * Payloads carry ids and time windows, never entities or message text.
 */
export interface JobPayloads {
  'mail.send': { template: MailTemplate; to_user_id: string; token?: string; correlation_id?: string };
  'media.purge': { storage_keys: string[]; correlation_id?: string };
}

export type MailTemplate = 'welcome' | 'email_verification' | 'password_reset' | 'email_change';

export type JobName = keyof JobPayloads;
export type QueueName = JobName extends `${infer Q}.${string}` ? Q : never;

/** Runtime list of job names; `satisfies` keeps it in step with JobPayloads at compile time. */
export const JOB_NAMES = ['mail.send', 'media.purge'] as const satisfies readonly JobName[];
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
