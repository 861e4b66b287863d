/**
 * What every benchmark shares: a logger on stderr, percentiles, latency measurement with N concurrent clients,
 * throughput, and a PostgreSQL to run on (embedded on a temp or given data directory with production-like
 * memory settings, or DATABASE_URL). Benchmarks print their own tables; figures go to stdout, progress to stderr.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPg, type EmbeddedPg } from '../../../server/src/db/embedded';

export type Log = (msg: string) => void;

/** A logger that prefixes `[bench <name>]` and writes to stderr (stdout keeps the figures). */
export const benchLog = (name: string): Log => (msg) => process.stderr.write(`[bench ${name}] ${msg}\n`);

export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

/** The p-th percentile (nearest rank) of ascending `sorted`. */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];

/** Runs `fn` and logs how long it took. */
export async function timed<T>(log: Log, label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  const r = await fn();
  log(`${label}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return r;
}

export interface Latency<R> {
  name: string;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  /** What the last call returned (rows found, a description). */
  last: R;
}

/**
 * Latency of `fn` in ms: `warmup` calls first (not measured), then `concurrency` clients each calling it
 * `iterations` times; fn gets a running index (client × iterations + i) so that callers can vary the input.
 */
export async function measureLatency<R>(
  log: Log,
  name: string,
  opts: { iterations: number; concurrency?: number; warmup?: number },
  fn: (i: number) => Promise<R>,
): Promise<Latency<R>> {
  const concurrency = opts.concurrency ?? 1;
  let last = undefined as R;
  for (let i = 0; i < (opts.warmup ?? 1); i++) last = await fn(i);
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: concurrency }, async (_c, c) => {
      for (let i = 0; i < opts.iterations; i++) {
        const t0 = performance.now();
        last = await fn(c * opts.iterations + i);
        times.push(performance.now() - t0);
      }
    }),
  );
  times.sort((x, y) => x - y);
  const s = { name, p50: percentile(times, 50), p95: percentile(times, 95), p99: percentile(times, 99), mean: times.reduce((t, x) => t + x, 0) / times.length, last };
  log(`${name}: p50 ${s.p50.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms (${String(last)})`);
  return s;
}

export interface Throughput extends Latency<string> {
  opsPerSec: number;
  errors: number;
}

/** `total` operations by `concurrency` clients; failures are counted (the first three logged), not thrown. */
export async function measureThroughput(log: Log, name: string, total: number, concurrency: number, op: (i: number) => Promise<void>): Promise<Throughput> {
  let next = 0;
  let errors = 0;
  const times: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const s = performance.now();
        try {
          await op(i);
        } catch (e) {
          errors++;
          if (errors <= 3) log(`${name} error: ${e instanceof Error ? e.message : String(e)}`);
        }
        times.push(performance.now() - s);
      }
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  times.sort((x, y) => x - y);
  const r = {
    name,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    mean: times.reduce((t, x) => t + x, 0) / Math.max(1, times.length),
    last: `${total - errors} ok, ${errors} failed`,
    opsPerSec: (total - errors) / secs,
    errors,
  };
  log(`${name}: ${r.opsPerSec.toFixed(1)} ops/s, p95 ${r.p95.toFixed(1)} ms`);
  return r;
}

export interface BenchDatabase {
  url: string;
  dataDir: string;
  /** Stops the embedded server (if one was started) and removes a temp data directory unless `keep`. */
  close(): Promise<void>;
}

/**
 * DATABASE_URL if set; otherwise an embedded PostgreSQL on `dataDir` (kept, so that a generated database is
 * reused by the next run) or on a temp directory, with production-like memory settings for a million-row
 * database (the default shared_buffers is 128 MB), restarted once if they were not in effect yet.
 */
export async function benchDatabase(log: Log, opts: { name: string; dataDir: string | null; keep?: boolean; settings?: [string, string][] }): Promise<BenchDatabase> {
  const tmp = opts.dataDir ? null : fs.mkdtempSync(path.join(os.tmpdir(), `congvan-bench-${opts.name}-`));
  const dataDir = opts.dataDir ?? tmp!;
  const removeTmp = () => {
    if (tmp && !opts.keep) fs.rmSync(tmp, { recursive: true, force: true });
  };
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, dataDir, close: async () => removeTmp() };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.chmodSync(dataDir, 0o755);
  const port = await freePort();
  let server: EmbeddedPg = await timed(log, 'embedded PostgreSQL start', () => startEmbeddedPg({ dataDir, port, database: 'congvan_bench' }));
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  const settings: [string, string][] = [
    ['shared_buffers', '1GB'],
    ['effective_cache_size', '4GB'],
    ['work_mem', '16MB'],
    ['maintenance_work_mem', '512MB'],
    ['max_wal_size', '4GB'],
    ['random_page_cost', '1.1'],
    ...(opts.settings ?? []),
  ];
  const current = await admin.query<{ setting: string }>(`SELECT setting FROM pg_settings WHERE name = 'shared_buffers'`);
  for (const [k, v] of settings) await admin.query(`ALTER SYSTEM SET ${k} = '${v}'`);
  await admin.end();
  if (Number(current.rows[0].setting) * 8192 < 1024 ** 3) {
    await server.stop();
    server = await timed(log, 'embedded PostgreSQL restart (settings)', () => startEmbeddedPg({ dataDir, port, database: 'congvan_bench' }));
  }
  return {
    url: server.url,
    dataDir,
    close: async () => {
      await server.stop();
      removeTmp();
    },
  };
}

/**
 * Benchmark flags: `--name N` for every numeric default (a positive integer), `--name` alone for every boolean one,
 * `--data-dir DIR` when `dataDir` is a key. Camel-case keys are spelled with dashes (`peerIterations` →
 * `--peer-iterations`). An unknown flag or a bad number is an error.
 */
export function parseBenchArgs<T extends { [K in keyof T]: number | boolean | string | null }>(argv: string[], defaults: T): T {
  const a: Record<string, number | boolean | string | null> = { ...defaults };
  const keyOf = new Map(Object.keys(defaults).map((k) => [`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, k]));
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const key = keyOf.get(flag);
    if (!key) throw new Error(`unknown argument ${flag}`);
    if (typeof (defaults as Record<string, unknown>)[key] === 'boolean') a[key] = true;
    else if (key === 'dataDir') a[key] = path.resolve(argv[++i] ?? '');
    else {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive integer`);
      a[key] = n;
    }
  }
  return a as T;
}
