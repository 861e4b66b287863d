import PgBoss from 'pg-boss';
import { logger } from '../../shared/logger';
import type { Job, JobHandler, JobQueue, SendOptions } from './queue';

/**
 * pg-boss 10 on the application's PostgreSQL (schema `pgboss`). Each job name is its own
 * pg-boss queue, so the OCR queue and the fast queue have separate workers and never block each other.
 */
export class PgBossQueue implements JobQueue {
  private readonly boss: PgBoss;
  private readonly created = new Set<string>();
  private started = false;

  constructor(connectionString: string, opts: { max?: number; supervise?: boolean; schedule?: boolean } = {}) {
    this.boss = new PgBoss({
      connectionString,
      max: opts.max ?? 4,
      supervise: opts.supervise ?? true,
      schedule: opts.schedule ?? true,
      migrate: true,
    });
    this.boss.on('error', (err) => logger.error({ err }, 'pg-boss error'));
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    this.started = true;
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.boss.stop({ graceful: true, wait: true, timeout: 20_000 });
  }

  private async ensureQueue(name: string): Promise<void> {
    if (this.created.has(name)) return;
    await this.boss.createQueue(name, { name, retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 });
    this.created.add(name);
  }

  async send<T extends object>(name: string, data: T, opts: SendOptions = {}): Promise<string | null> {
    await this.ensureQueue(name);
    // pg-boss validates every key it is given: pass only the options that are set.
    const o: PgBoss.SendOptions = {};
    if (opts.singletonKey !== undefined) o.singletonKey = opts.singletonKey;
    if (opts.retryLimit !== undefined) o.retryLimit = opts.retryLimit;
    if (opts.retryDelaySeconds !== undefined) o.retryDelay = opts.retryDelaySeconds;
    if (opts.startAfter !== undefined) o.startAfter = opts.startAfter instanceof Date ? opts.startAfter : opts.startAfter;
    if (opts.priority !== undefined) o.priority = opts.priority;
    return this.boss.send(name, data, o);
  }

  async work<T extends object>(name: string, handler: JobHandler<T>, opts: { concurrency?: number; pollSeconds?: number } = {}): Promise<void> {
    await this.ensureQueue(name);
    const concurrency = Math.max(1, opts.concurrency ?? 1);
    // One pg-boss worker per slot, each fetching one job at a time: `concurrency` jobs run at once.
    for (let i = 0; i < concurrency; i++) {
      await this.boss.work<T>(name, { batchSize: 1, pollingIntervalSeconds: opts.pollSeconds ?? 1 }, async (jobs) => {
        for (const j of jobs) await handler({ id: j.id, name: j.name, data: j.data } as Job<T>);
      });
    }
  }

  async schedule(name: string, cron: string, data: object = {}): Promise<void> {
    await this.ensureQueue(name);
    await this.boss.schedule(name, cron, data, { tz: 'Asia/Ho_Chi_Minh' });
  }

  /** For tests and admin pages: a job's state. */
  async getJob(name: string, id: string): Promise<{ state: string; output: unknown } | null> {
    const j = await this.boss.getJobById(name, id);
    return j ? { state: j.state, output: j.output } : null;
  }
}
