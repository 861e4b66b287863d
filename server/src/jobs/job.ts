/**
 * Job definitions: a name, the queue that runs it (fast or ocr), the handler, an optional cron, and what
 * to do when pg-boss has exhausted its retries (the job then lands in its dead-letter queue `<name>.dead`).
 * Jobs are queued with `tx.enqueue(job, data)` inside the transaction that causes them (shared/scope.ts).
 */
import type { Services } from '../services';
import { Scope } from '../shared/scope';
import { QUEUES, type QueueName, type QueueOptions } from '../infra/queue/queue';

/** Engines only the worker process has (heavy: OCR). The API never loads them. */
export interface WorkerEngines {
  ocr?: unknown;
}

export interface JobContext {
  services: Services;
  engines: WorkerEngines;
  /** A fresh unit of work (EntityManager fork, system actor) for this job. */
  newScope(): Scope;
  jobId: string;
}

/** A job type: its name, which queue runs it (fast or ocr), the handler, and an optional cron. */
export interface JobDefinition<T extends object = object> {
  name: string;
  queue: QueueName;
  handler(data: T, ctx: JobContext): Promise<unknown>;
  /** Cron (Asia/Ho_Chi_Minh) for recurring jobs. */
  cron?: string;
  /** Retries before the dead-letter queue (default: 5 fast, 3 OCR), with exponential backoff. */
  retryLimit?: number;
  /** Seconds before the first retry, doubling for each further one (default 5). */
  retryDelaySeconds?: number;
  /**
   * Runs once the retries are exhausted (from the dead-letter queue), e.g. to record a final failure.
   * Without it the dead job is only logged and kept by pg-boss.
   */
  onDeadLetter?(data: T, ctx: JobContext): Promise<unknown>;
}

export const defineJob = <T extends object>(def: JobDefinition<T>): JobDefinition<T> => def;

export const jobScope = (services: Services): Scope => new Scope(services.orm.em.fork(), null);

/** The dead-letter queue of a job. */
export const deadLetterName = (job: { name: string }): string => `${job.name}.dead`;

/**
 * The pg-boss queues of a set of jobs, with their settings: each job's own queue (retries with backoff,
 * a dead-letter queue) and that dead-letter queue. `expireInSeconds` is only the hard limit of one run
 * (an OCR page of a huge scan may take minutes); a dead worker is detected by the job's lease instead.
 */
export function queuesOf(jobs: ReadonlyArray<JobDefinition<never>>): { name: string; options: QueueOptions }[] {
  const out: { name: string; options: QueueOptions }[] = [];
  for (const j of jobs) {
    const ocr = j.queue === QUEUES.ocr;
    const dead = deadLetterName(j);
    out.push({ name: dead, options: { retryLimit: 3, retryDelaySeconds: 5, retryBackoff: true, expireInSeconds: 15 * 60 } });
    out.push({
      name: j.name,
      options: { retryLimit: j.retryLimit ?? (ocr ? 3 : 5), retryDelaySeconds: j.retryDelaySeconds ?? 5, retryBackoff: true, expireInSeconds: ocr ? 60 * 60 : 15 * 60, deadLetter: dead },
    });
  }
  return out;
}

export { QUEUES };
