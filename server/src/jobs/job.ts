import type { Services } from '../services';
import { Scope, type Tx } from '../shared/scope';
import { QUEUES, type QueueName } from '../infra/queue/queue';

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
}

export const defineJob = <T extends object>(def: JobDefinition<T>): JobDefinition<T> => def;

export const jobScope = (services: Services): Scope => new Scope(services.orm.em.fork(), null);

/** Enqueue a job once the surrounding transaction has committed (never for a rolled-back change). */
export function enqueueAfterCommit<T extends object>(tx: Tx, services: Services, job: JobDefinition<T>, data: T, opts: { singletonKey?: string } = {}): void {
  tx.afterCommit(() => services.queue.send(job.name, data, opts));
}

export { QUEUES };
