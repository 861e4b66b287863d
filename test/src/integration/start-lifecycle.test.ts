/**
 * The process lifecycle of `npm start`, run for real (supervisor → API, workers, embedded PostgreSQL) in
 * its own process group, as a terminal runs it:
 * - Ctrl-C (SIGINT to the whole group) stops the API and the workers, then PostgreSQL: exit 0/130, no
 *   error line, no stack, no postgres left, and the data dir starts again;
 * - a worker killed with SIGKILL (as the OOM killer does) is restarted while the API keeps answering;
 * - during a PostgreSQL smart shutdown /readyz answers 503;
 * - a Ctrl-C during the first start finishes the current step and then stops cleanly;
 * - after a SIGKILL of the whole `npm start` group the API and workers stop by themselves, and the next
 *   start stops the orphaned PostgreSQL and runs its own;
 * - as root, a data dir under a 0700 parent (what `mktemp -d` makes) fails early with one Vietnamese line
 *   and leaves nothing behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../../server/src/config/config';
import { until } from '../support/until';

jest.setTimeout(120_000);

const isRoot = process.getuid?.() === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

interface Run {
  child: ChildProcess;
  output(): string;
  waitFor(re: RegExp, what: string): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const runs: Run[] = [];
const tempDirs: string[] = [];

/**
 * `npm start`'s program (`node --import tsx server/src/bin/start.ts`) in its own process group, as a
 * terminal's foreground job, with its own ports and data dir. Not through `npm start` itself: its script
 * runs the tsx CLI, whose signal relay SIGKILLs the program when it has not acknowledged a signal within
 * 2 × 30 ms (possible on a loaded machine), and npm's `sh -c` dies of the SIGINT, so npm's own exit
 * status is 130 whatever the program does.
 */
function startProgram(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server', 'src', 'bin', 'start.ts')], {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      SERVE_WEB: '0',
      CONGVAN_DEMO: '0',
      OCR_CONCURRENCY: '1',
      ...env,
    },
  });
  let out = '';
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const onData = (d: Buffer) => {
    out += d.toString('utf8');
    for (const w of [...waiters]) {
      if (w.re.test(out)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const run: Run = {
    child,
    output: () => out,
    exited,
    waitFor: (re, what) =>
      new Promise<void>((resolve, reject) => {
        if (re.test(out)) return resolve();
        waiters.push({ re, resolve });
        void exited.then(() => reject(new Error(`npm start exited before ${what}:\n${out}`)));
      }),
  };
  runs.push(run);
  return run;
}

/** Lines that show something went wrong: pino error/fatal, npm errors, stack frames, Node's unhandled-error banners. */
function badLines(out: string): string[] {
  return out.split('\n').filter((line) => {
    if (/^\s+at .+(\(.+:\d+:\d+\)|:\d+:\d+)$/.test(line)) return true;
    if (/^npm (error|ERR!)/.test(line)) return true;
    if (/Unhandled 'error' event|UnhandledPromiseRejection|uncaught/i.test(line)) return true;
    if (line.startsWith('{')) {
      try {
        return (JSON.parse(line) as { level?: number }).level! >= 50;
      } catch {
        return false;
      }
    }
    return false;
  });
}

/** Processes whose command line or environment mentions `needle` (root sees every process). */
function processesMentioning(needle: string, where: 'cmdline' | 'environ'): number[] {
  const pids: number[] = [];
  for (const e of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${e}/${where}`, 'utf8').includes(needle)) pids.push(Number(e));
    } catch {
      /* gone, or not ours to read */
    }
  }
  return pids;
}

/** The node processes (supervisor, API, workers) of the `npm start` on `dataDir`; `script` narrows to one. */
const nodePids = (dataDir: string, script = '') =>
  processesMentioning(`CONGVAN_DATA_DIR=${dataDir}`, 'environ').filter((pid) => {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmd.includes(script) && /start\.ts|api\.ts|main\.ts/.test(cmd);
    } catch {
      return false;
    }
  });
const workerPids = (dataDir: string) => nodePids(dataDir, path.join('workers', 'src', 'main.ts'));

/** A data dir whose parents postgres (running as the `postgres` user when we are root) can enter. */
function reachableDataDir(): string {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-life-'));
  fs.chmodSync(parent, 0o755);
  tempDirs.push(parent);
  return path.join(parent, 'data');
}

async function sigintGroupAndCheck(run: Run, dataDir: string): Promise<void> {
  const before = run.output().length;
  process.kill(-run.child.pid!, 'SIGINT');
  const { code, signal } = await run.exited;
  const out = run.output();
  const stopping = out.slice(before);
  expect(badLines(out)).toEqual([]);
  expect({ code, signal }).toEqual({ code: 0, signal: null });
  expect(stopping).not.toMatch(/forced exit|exited unexpectedly|dừng bất thường/);
  // A Ctrl-C that lands while initdb or postgres is being spawned ends that start before PostgreSQL runs.
  if (out.includes('PostgreSQL nhúng đang chạy')) expect(stopping).toContain('Đã dừng PostgreSQL nhúng');
  // PostgreSQL stopped last and cleanly: no postmaster.pid, no process running on this data dir.
  expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);
  expect(processesMentioning(path.join(dataDir, 'pg'), 'cmdline')).toEqual([]);
  expect(processesMentioning(`CONGVAN_DATA_DIR=${dataDir}`, 'environ')).toEqual([]);
}

afterAll(async () => {
  for (const r of runs) {
    if (r.child.exitCode === null && r.child.signalCode === null) {
      try {
        process.kill(-r.child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }
  for (const d of tempDirs) {
    const pidFile = path.join(d, 'data', 'pg', 'postmaster.pid');
    if (fs.existsSync(pidFile)) {
      try {
        process.kill(Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGQUIT');
      } catch {
        /* gone */
      }
    }
    fs.rmSync(d, { recursive: true, force: true });
  }
});

describe('npm start lifecycle', () => {
  it('Ctrl-C to the process group stops the API and workers, then PostgreSQL, cleanly; a crashed worker is restarted; the data dir starts again', async () => {
    const dataDir = reachableDataDir();
    const env = { CONGVAN_DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) };
    const url = `http://127.0.0.1:${env.PORT}`;

    // First start: initialises the cluster, migrates, runs API and workers.
    const first = startProgram(env);
    await first.waitFor(/Nhấn Ctrl-C để dừng/, 'the ready line');
    await first.waitFor(/"msg":"workers started"/, 'the workers');
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    await sigintGroupAndCheck(first, dataDir);

    // Second start on the same data dir.
    const second = startProgram(env);
    await second.waitFor(/Nhấn Ctrl-C để dừng/, 'the ready line of the second start');
    await second.waitFor(/"msg":"workers started"/, 'the workers of the second start');
    const worker = await until('the worker process', () => workerPids(dataDir)[0]);

    // The OOM killer's way: SIGKILL. The API and PostgreSQL stay; a new worker comes up.
    process.kill(worker, 'SIGKILL');
    await second.waitFor(/Tiến trình workers dừng bất thường \(tín hiệu SIGKILL\); khởi động lại/, 'the restart notice');
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const gqlRes = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(await gqlRes.json()).toEqual({ data: { __typename: 'Query' } });
    const restarted = await until('a new worker process', () => workerPids(dataDir).find((p) => p !== worker));
    expect(restarted).not.toBe(worker);
    await until('the restarted workers to be ready', () => (second.output().match(/"msg":"workers started"/g) ?? []).length >= 2);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    // PostgreSQL smart shutdown (SIGTERM to the postmaster): open sessions still work but new ones are
    // refused, so /readyz must say not ready (it used to answer from a pooled connection), /healthz stays.
    const postmaster = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGTERM');
    const notReady = await until('/readyz to answer 503', async () => {
      const r = await fetch(`${url}/readyz`);
      return r.status === 503 ? ((await r.json()) as unknown) : undefined;
    }, 20_000);
    expect(notReady).toEqual({ status: 'unavailable' });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    await sigintGroupAndCheck(second, dataDir);
  });

  it('Ctrl-C during the first start stops cleanly (after the current step) and leaves nothing half-made', async () => {
    const dataDir = reachableDataDir();
    const run = startProgram({ CONGVAN_DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) });
    await run.waitFor(/initialising embedded PostgreSQL/, 'the cluster initialisation');
    await sigintGroupAndCheck(run, dataDir);
    expect(run.output()).not.toContain('Nhấn Ctrl-C để dừng'); // it did not go on starting the API
    const left = fs.readdirSync(dataDir);
    expect(left.filter((f) => f.startsWith('pg.init-'))).toEqual([]);
    expect(left.includes('pg') ? fs.existsSync(path.join(dataDir, 'pg', 'PG_VERSION')) : true).toBe(true);
  });

  it('a SIGKILLed npm start leaves no API or worker behind, and the next start takes over its orphaned PostgreSQL', async () => {
    const dataDir = reachableDataDir();
    const env = { CONGVAN_DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) };
    const first = startProgram(env);
    await first.waitFor(/"msg":"workers started"/, 'the workers');
    process.kill(-first.child.pid!, 'SIGKILL'); // the supervisor: no chance to clean up
    await first.exited;
    // The API and the workers lost their supervisor (IPC channel): they stop by themselves.
    await until('the API and workers to stop', () => nodePids(dataDir).length === 0, 40_000);
    const orphan = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(processesMentioning(path.join(dataDir, 'pg'), 'cmdline')).toContain(orphan);

    // The next start stops the orphan and runs its own PostgreSQL, which its Ctrl-C then stops.
    const second = startProgram(env);
    await second.waitFor(/Nhấn Ctrl-C để dừng/, 'the ready line after a SIGKILL');
    await second.waitFor(/"msg":"workers started"/, 'the workers after a SIGKILL');
    const postmaster = Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(postmaster).not.toBe(orphan);
    await sigintGroupAndCheck(second, dataDir);
  });

  (isRoot ? it : it.skip)('as root, a data dir under a 0700 parent fails early with one Vietnamese line and leaves nothing behind', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-0700-')); // mode 0700, as mktemp -d
    tempDirs.push(parent);
    expect(fs.statSync(parent).mode & 0o777).toBe(0o700);
    const dataDir = path.join(parent, 'data');

    const run = startProgram({ CONGVAN_DATA_DIR: dataDir, PORT: String(await freePort()), EMBEDDED_PG_PORT: String(await freePort()) });
    const { code } = await run.exited;
    const out = run.output();

    expect(code).not.toBe(0);
    const errorLines = out.split('\n').filter((l) => l.startsWith('Lỗi:'));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toContain(`không vào được thư mục ${parent} (quyền 0700)`);
    expect(errorLines[0]).toContain(`chmod o+x ${parent}`);
    expect(out).not.toMatch(/EACCES|^\s+at /m);
    expect(out).not.toMatch(/^\{.*"level":(50|60)/m);
    // Nothing half-made: no data dir, no pg/ folder (the initdb password file only ever lives in the
    // temporary init folder inside the data dir, so it cannot be left in the temp dir either).
    expect(fs.readdirSync(parent)).toEqual([]);
  });
});
