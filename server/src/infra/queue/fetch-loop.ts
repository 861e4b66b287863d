/**
 * One fetch loop per job name, in place of pg-boss 10's `work()`. pg-boss runs one poller per slot (so an idle
 * worker with `FAST_CONCURRENCY` 16 issued ~960 fetch transactions a second across its job names) and each poller
 * waits its polling interval after every job it ran, even with more jobs queued (a slot ran at most two fast jobs
 * a second: the exchange between deployments stalled at ~3 documents/s).
 *
 * Here one loop per name fetches as many jobs as it has free slots, runs each on its own and completes or fails
 * each on its own (pg-boss's own `complete`/`fail`, with the same data as `work()` gives them, and pg-boss's
 * handler time limit: the job's `expireInSeconds`). It fetches again at once while the queue keeps its slots full
 * or when woken (`notify`: a job of its name was committed, see JOB_CHANNEL), and otherwise polls every `pollMs`
 * — once per name, whatever the concurrency. Retries, dead letters and expiry stay pg-boss's.
 */

export type FetchedJob<T> = { id: string; name: string; data: T; expireInSeconds: number };

/** What the loop needs from the queue (pg-boss): fetch up to n jobs of its name, end one. */
export interface JobSource<T> {
  fetch(batchSize: number): Promise<Array<FetchedJob<T>>>;
  complete(id: string, output: unknown): Promise<unknown>;
  fail(id: string, error: unknown): Promise<unknown>;
}

export type FetchLoopOptions = {
  concurrency: number;
  pollMs: number;
  onError: (err: unknown, what: string) => void;
};

export class FetchLoop<T> {
  /** fetch queries issued (for tests and diagnostics) */
  fetches = 0;
  private readonly running = new Map<string, Promise<void>>();
  private stopping = false;
  private woken = false;
  private wake: (() => void) | null = null;
  /** the last fetch filled every free slot: more jobs are probably waiting */
  private full = false;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly source: JobSource<T>,
    private readonly handler: (job: FetchedJob<T>) => Promise<unknown>,
    private readonly opts: FetchLoopOptions,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** A job of this name may be waiting: fetch now rather than at the next poll. */
  notify(): void {
    this.woken = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const free = this.opts.concurrency - this.running.size;
      if (free > 0) {
        this.woken = false;
        let jobs: Array<FetchedJob<T>> = [];
        try {
          this.fetches++;
          jobs = await this.source.fetch(free);
        } catch (err) {
          this.opts.onError(err, 'fetch');
        }
        this.full = jobs.length > 0 && jobs.length === free;
        for (const j of jobs) this.running.set(j.id, this.execute(j));
        // a full batch with a slot already free again: there is probably more
        if (this.full && this.running.size < this.opts.concurrency) continue;
      }
      if (this.stopping) break;
      if (this.woken && this.running.size < this.opts.concurrency) continue;
      // sleep until the next poll, a notification, or (after a full batch) a free slot
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, this.opts.pollMs);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake = done;
      });
      this.wake = null;
    }
  }

  private async execute(job: FetchedJob<T>): Promise<void> {
    try {
      let output: unknown;
      try {
        output = await withinSeconds(this.handler(job), Number(job.expireInSeconds));
      } catch (err) {
        await this.source.fail(job.id, err).catch((e: unknown) => this.opts.onError(e, 'fail'));
        return;
      }
      await this.source.complete(job.id, output).catch((e: unknown) => this.opts.onError(e, 'complete'));
    } finally {
      this.running.delete(job.id);
      // a slot is free: fetch again at once if the last batch or a notification suggested more work
      if (this.full || this.woken) this.wake?.();
    }
  }

  /**
   * Stops fetching and waits up to `timeoutMs` for the running jobs; returns the ids of those still running
   * (the caller fails them, as pg-boss does for its workers at shutdown).
   */
  async stop(timeoutMs: number): Promise<string[]> {
    this.stopping = true;
    this.wake?.();
    await this.loop;
    const pending = [...this.running.values()];
    if (pending.length) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.allSettled(pending), new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
      clearTimeout(timer);
    }
    return [...this.running.keys()];
  }
}

/** The handler's result, or a rejection once `seconds` have passed (pg-boss's limit on one run of a job). */
function withinSeconds<T>(p: Promise<T>, seconds: number): Promise<T> {
  if (!Number.isFinite(seconds) || seconds <= 0) return p;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_r, reject) => {
    timer = setTimeout(() => reject(new Error(`handler execution exceeded ${seconds}s`)), seconds * 1000);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}
