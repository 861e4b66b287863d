/**
 * pg-boss 10 on the application's PostgreSQL (schema `pgboss`). Each job name is its own pg-boss queue,
 * so the OCR queue and the fast queue have separate workers and never block each other.
 *
 * Queues are created at start-up (`ensureQueues`), never lazily inside a transaction: a job written by
 * `Tx.enqueue` (tx-send.ts) into a queue that does not exist would otherwise be dropped by pg-boss.
 * Supervising processes (the workers) run pg-boss maintenance every MAINTENANCE_SECONDS, which fails
 * (then retries) every active job whose lease (`renewLease`) has run out: the job of a killed worker.
 */
import PgBoss from 'pg-boss';
import { logger } from '../../shared/logger';
import { MAINTENANCE_SECONDS, type Job, type JobHandler, type JobQueue, type QueueOptions, type SendOptions } from './queue';

export class PgBossQueue implements JobQueue {
  private readonly boss: PgBoss;
  private readonly created = new Set<string>();
  private started = false;
  private reaper: NodeJS.Timeout | null = null;

  constructor(connectionString: string, opts: { max?: number; supervise?: boolean; schedule?: boolean } = {}) {
    this.boss = new PgBoss({
      connectionString,
      max: opts.max ?? 4,
      supervise: opts.supervise ?? true,
      schedule: opts.schedule ?? true,
      maintenanceIntervalSeconds: MAINTENANCE_SECONDS,
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
    if (this.reaper) clearInterval(this.reaper);
    this.reaper = null;
    await this.boss.stop({ graceful: true, wait: true, timeout: 20_000 });
  }

  async ensureQueues(queues: ReadonlyArray<{ name: string; options: QueueOptions }>): Promise<void> {
    // Dead-letter queues first: a queue's dead_letter column references an existing queue.
    const sorted = [...queues].sort((a, b) => Number(!!a.options.deadLetter) - Number(!!b.options.deadLetter));
    for (const q of sorted) {
      const o: PgBoss.Queue = {
        name: q.name,
        retryLimit: q.options.retryLimit,
        retryDelay: q.options.retryDelaySeconds,
        retryBackoff: q.options.retryBackoff,
        expireInSeconds: q.options.expireInSeconds,
      };
      if (q.options.deadLetter) o.deadLetter = q.options.deadLetter;
      await this.boss.createQueue(q.name, o); // no-op when it exists…
      await this.boss.updateQueue(q.name, o); // …so apply changed settings too
      this.created.add(q.name);
    }
  }

  /** Lazily creates a queue that was not declared at start-up (ad-hoc sends from tests and tools). */
  private async ensureQueue(name: string): Promise<void> {
    if (this.created.has(name)) return;
    await this.boss.createQueue(name, { name, retryLimit: 5, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 });
    this.created.add(name);
  }

  async send<T extends object>(name: string, data: T, opts: SendOptions = {}): Promise<string | null> {
    await this.ensureQueue(name);
    return this.boss.send(name, data, toPgBossSendOptions(opts));
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

  /**
   * pg-boss 10 has no heartbeat: a job is expired when `started_on + expire_in` has passed. The lease sets
   * that deadline to now + `seconds` on the active run; only the running process calls it, so a dead
   * process's job expires shortly and maintenance hands it to pg-boss's retry (retry count honoured).
   */
  async renewLease(name: string, id: string, seconds: number): Promise<void> {
    await this.boss.getDb().executeSql(
      `update pgboss.job set expire_in = (now() - started_on) + make_interval(secs => $3::int)
       where name = $1 and id = $2::uuid and state = 'active'`,
      [name, id, seconds],
    );
  }

  /**
   * A job fetched by a process that died before it took the lease (the runner takes it as soon as the
   * handler starts) still carries its queue's long expiry. Once such a job has been active for
   * `afterSeconds` without a lease, its expiry is brought to now, so that maintenance retries it.
   * Returns how many were found.
   */
  async reapUnleased(names: readonly string[], afterSeconds: number): Promise<number> {
    if (!names.length) return 0;
    const { rows } = await this.boss.getDb().executeSql(
      `update pgboss.job j set expire_in = now() - j.started_on
         from pgboss.queue q
        where q.name = j.name and j.name = any($1::text[]) and j.state = 'active'
          and j.started_on < now() - make_interval(secs => $2::int)
          and j.expire_in = make_interval(secs => q.expire_seconds)
       returning j.id`,
      [names, afterSeconds],
    );
    return rows.length;
  }

  /** Runs `reapUnleased` every `everySeconds` until the queue stops (worker processes). */
  startLeaseReaper(names: readonly string[], afterSeconds: number, everySeconds: number): void {
    if (this.reaper) clearInterval(this.reaper);
    this.reaper = setInterval(() => {
      if (!this.started) return;
      this.reapUnleased(names, afterSeconds)
        .then((n) => n && logger.warn({ jobs: n }, 'jobs taken by a process that died before its lease: handed back to pg-boss'))
        .catch((err) => logger.warn({ err }, 'lease reaper failed'));
    }, everySeconds * 1000);
    this.reaper.unref();
  }

  /** For tests and admin pages: a job's state. */
  async getJob(name: string, id: string): Promise<{ state: string; output: unknown; retryCount: number } | null> {
    const j = await this.boss.getJobById(name, id);
    return j ? { state: j.state, output: j.output, retryCount: j.retryCount } : null;
  }
}

/** pg-boss validates every key it is given: pass only the options that are set. */
export function toPgBossSendOptions(opts: SendOptions): PgBoss.SendOptions {
  const o: PgBoss.SendOptions = {};
  if (opts.singletonKey !== undefined) o.singletonKey = opts.singletonKey;
  if (opts.retryLimit !== undefined) o.retryLimit = opts.retryLimit;
  if (opts.retryDelaySeconds !== undefined) o.retryDelay = opts.retryDelaySeconds;
  if (opts.startAfter !== undefined) o.startAfter = opts.startAfter;
  if (opts.priority !== undefined) o.priority = opts.priority;
  return o;
}
