/**
 * pg-boss 10 on the application's PostgreSQL (schema `pgboss`). Each job name is its own pg-boss queue,
 * so the OCR queue and the fast queue have separate workers and never block each other.
 *
 * Queues are created at start-up (`ensureQueues`), never lazily inside a transaction: a job written by
 * `Tx.enqueue` (tx-send.ts) into a queue that does not exist would otherwise be dropped by pg-boss.
 * Supervising processes (the workers) run pg-boss maintenance every `maintenanceSeconds` (JOB_MAINTENANCE_SECONDS),
 * which fails (then retries) every active job whose lease (`renewLease`) has run out: the job of a killed worker.
 */
import pg from 'pg';
import PgBoss from 'pg-boss';
import { logger } from '../../shared/logger';
import { FetchLoop } from './fetch-loop';
import { JOB_CHANNEL, type JobHandler, type JobQueue, type QueueOptions, type SendOptions } from './queue';

export class PgBossQueue implements JobQueue {
  private readonly boss: PgBoss;
  private readonly created = new Set<string>();
  private started = false;
  private reaper: NodeJS.Timeout | null = null;
  private readonly loops = new Map<string, Array<FetchLoop<object>>>();
  /** a queue's dead-letter queue (ensureQueues) */
  private readonly deadLetterOf = new Map<string, string>();
  private listener: pg.Client | null = null;
  private listenRetry: NodeJS.Timeout | null = null;

  constructor(
    private readonly connectionString: string,
    opts: { maintenanceSeconds: number; max?: number; supervise?: boolean; schedule?: boolean },
  ) {
    this.boss = new PgBoss({
      connectionString,
      max: opts.max ?? 4,
      supervise: opts.supervise ?? true,
      schedule: opts.schedule ?? true,
      maintenanceIntervalSeconds: opts.maintenanceSeconds,
      migrate: true,
    });
    this.boss.on('error', (err) => logger.error({ err }, 'pg-boss error'));
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.boss.start();
    this.started = true;
    if (this.loops.size) this.listen();
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.reaper) clearInterval(this.reaper);
    this.reaper = null;
    if (this.listenRetry) clearTimeout(this.listenRetry);
    this.listenRetry = null;
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
    // graceful: the running jobs get 20 s; those still running then fail (pg-boss retries them), as pg-boss does
    const loops = [...this.loops.entries()].flatMap(([name, ls]) => ls.map((l) => ({ name, l })));
    this.loops.clear();
    const left = await Promise.all(loops.map(async ({ name, l }) => ({ name, ids: await l.stop(20_000) })));
    for (const { name, ids } of left) for (const id of ids) await this.boss.fail(name, id, { message: 'worker shut down while the job was active' }).catch(() => undefined);
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
      if (q.options.deadLetter) {
        o.deadLetter = q.options.deadLetter;
        this.deadLetterOf.set(q.name, q.options.deadLetter);
      }
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
    const id = await this.boss.send(name, data, toPgBossSendOptions(opts));
    await this.boss.getDb().executeSql(`select pg_notify($1, $2)`, [JOB_CHANNEL, name]);
    return id;
  }

  /**
   * Runs `handler` on the jobs of `name`, `concurrency` at a time, with ONE fetch loop (fetch-loop.ts): it polls
   * every `pollSeconds` when idle and is woken at once when a job of its name is committed (NOTIFY on
   * JOB_CHANNEL, written by `Tx.enqueue`, `enqueueMany` and `send`).
   */
  async work<T extends object>(name: string, handler: JobHandler<T>, opts: { concurrency?: number; pollSeconds?: number } = {}): Promise<void> {
    await this.ensureQueue(name);
    const loop = new FetchLoop<object>(
      {
        fetch: (n) => this.boss.fetch<object>(name, { batchSize: n }),
        // the data pg-boss's own work() gives: the handler's result for one job, the error as it serialises it
        complete: (id, output) => this.boss.complete(name, id, output as object),
        // a failure that used up the job's retries has just put it in its dead-letter queue, and pg-boss sends no
        // notification for that: the dead-letter loops here look at once (a job with retries left: one empty fetch)
        fail: async (id, err) => {
          const out = await this.boss.fail(name, id, err as object);
          const dead = this.deadLetterOf.get(name);
          if (dead) for (const l of this.loops.get(dead) ?? []) l.notify();
          return out;
        },
      },
      (j) => handler({ id: j.id, name: j.name, data: j.data as T }),
      {
        concurrency: Math.max(1, opts.concurrency ?? 1),
        pollMs: Math.max(50, (opts.pollSeconds ?? 1) * 1000),
        onError: (err, what) => logger.error({ err, queue: name }, `job queue: ${what} failed`),
      },
    );
    this.loops.set(name, [...(this.loops.get(name) ?? []), loop]);
    this.listen();
    loop.start();
  }

  /** fetch queries issued by the loops of `name` (tests and diagnostics) */
  fetchCount(name: string): number {
    return (this.loops.get(name) ?? []).reduce((n, l) => n + l.fetches, 0);
  }

  /**
   * LISTEN on JOB_CHANNEL (one connection per working process): a notification names a job; its loops fetch now.
   * Only an accelerator — a lost connection is re-opened after a few seconds, and the loops keep polling meanwhile.
   */
  private listen(): void {
    if (this.listener || this.listenRetry || !this.started) return;
    const client = new pg.Client({ connectionString: this.connectionString });
    this.listener = client;
    const retry = (err?: unknown) => {
      if (this.listener !== client) return;
      this.listener = null;
      if (err) logger.warn({ err }, 'job wake-up connection lost; polling until it is back');
      client.end().catch(() => undefined);
      if (!this.started) return;
      this.listenRetry = setTimeout(() => {
        this.listenRetry = null;
        this.listen();
      }, 3_000);
      this.listenRetry.unref();
    };
    client.on('notification', (m) => {
      if (m.channel === JOB_CHANNEL && m.payload) for (const l of this.loops.get(m.payload) ?? []) l.notify();
    });
    client.on('error', retry);
    client.on('end', () => retry(new Error('connection ended')));
    client
      .connect()
      .then(() => client.query(`LISTEN ${JOB_CHANNEL}`))
      // jobs committed while it was not listening: every loop looks once
      .then(() => this.loops.forEach((ls) => ls.forEach((l) => l.notify())))
      .catch(retry);
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
