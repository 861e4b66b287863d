/**
 * Job queue behind a small interface (pg-boss on the same PostgreSQL in production and tests).
 * Queues are separate so that slow jobs (OCR) never starve fast ones.
 */
export const QUEUES = {
  /** Fast, short jobs: notifications, reminders, delivery, search indexing. */
  fast: 'fast',
  /** Slow jobs: OCR of scans (one page or one document per job). */
  ocr: 'ocr',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface SendOptions {
  /** Deduplication key: a second send with the same key while the first is queued/active is dropped. */
  singletonKey?: string;
  retryLimit?: number;
  retryDelaySeconds?: number;
  startAfter?: Date | number;
  priority?: number;
}

export interface Job<T> {
  id: string;
  name: string;
  data: T;
}

export type JobHandler<T> = (job: Job<T>) => Promise<unknown>;

export interface JobQueue {
  start(): Promise<void>;
  stop(): Promise<void>;
  send<T extends object>(name: string, data: T, opts?: SendOptions): Promise<string | null>;
  /** Handles jobs of `name` on its queue with the given concurrency. */
  work<T extends object>(name: string, handler: JobHandler<T>, opts?: { concurrency?: number; pollSeconds?: number }): Promise<void>;
  /** Runs `name` on a cron schedule (one instance across replicas). */
  schedule(name: string, cron: string, data?: object): Promise<void>;
}
