/**
 * Job queue behind a small interface (pg-boss 10 on the same PostgreSQL in production and tests).
 * Queues are separate so that slow jobs (OCR) never starve fast ones.
 *
 * Durability rules (issue "Trust" — work is never lost):
 * - a job caused by a state change is written in the transaction of that change (`Tx.enqueue`,
 *   infra/queue/tx-send.ts): committed together or not at all;
 * - one retry mechanism: pg-boss's retryLimit/retryBackoff, then the job's dead-letter queue;
 * - a running job holds a short lease that its process renews: a worker killed mid-job loses the lease,
 *   and pg-boss maintenance retries the job within a minute (not after the queue's long expiry).
 */
export const QUEUES = {
  /** Fast, short jobs: notifications, reminders, delivery, search indexing. */
  fast: 'fast',
  /** Slow jobs: OCR of scans (one page or one document per job). */
  ocr: 'ocr',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface SendOptions {
  /** Informational key (pg-boss 'standard' queues do not deduplicate on it; handlers are idempotent). */
  singletonKey?: string;
  retryLimit?: number;
  retryDelaySeconds?: number;
  startAfter?: Date | number;
  priority?: number;
}

/** Per-queue settings, applied when the queue is created or updated at start-up. */
export interface QueueOptions {
  retryLimit: number;
  retryDelaySeconds: number;
  retryBackoff: boolean;
  /** Hard limit of one run (pg-boss fails the run after it). Dead workers are detected by the lease instead. */
  expireInSeconds: number;
  /** Queue that receives the job once its retries are exhausted. */
  deadLetter?: string;
}

/**
 * PostgreSQL NOTIFY channel that wakes the worker loops: every job insert notifies with the job's name, in the
 * inserting transaction (delivered at its commit, dropped with a rollback). Polling stays as the safety net.
 */
export const JOB_CHANNEL = 'congvan_jobs';

export interface Job<T> {
  id: string;
  name: string;
  data: T;
}

export type JobHandler<T> = (job: Job<T>) => Promise<unknown>;

export interface JobQueue {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Creates (or updates) queues; call at start-up, never inside a transaction. */
  ensureQueues(queues: ReadonlyArray<{ name: string; options: QueueOptions }>): Promise<void>;
  /** Sends outside any transaction (tests, admin). Application code uses `Tx.enqueue`. */
  send<T extends object>(name: string, data: T, opts?: SendOptions): Promise<string | null>;
  /** Handles jobs of `name` on its queue with the given concurrency. */
  work<T extends object>(name: string, handler: JobHandler<T>, opts?: { concurrency?: number; pollSeconds?: number }): Promise<void>;
  /** Runs `name` on a cron schedule (one instance across replicas). */
  schedule(name: string, cron: string, data?: object): Promise<void>;
  /** Renews the lease of a running job: it expires `seconds` from now unless renewed again. */
  renewLease(name: string, id: string, seconds: number): Promise<void>;
  /** Periodically hands back to pg-boss the jobs of `names` that a dead process fetched but never leased. */
  startLeaseReaper(names: readonly string[], afterSeconds: number, everySeconds: number): void;
}
