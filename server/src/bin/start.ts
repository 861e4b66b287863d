/**
 * `npm start`: everything on embedded defaults. Starts PostgreSQL from npm binaries (unless DATABASE_URL
 * is set), applies migrations, seeds the demo province on first start, builds the web client if needed,
 * then runs the API and the workers as child processes and prints the URL and demo logins.
 * Ctrl-C (or SIGTERM/SIGHUP) stops the children gracefully, then PostgreSQL, and exits 0. A child that
 * crashes is restarted with back-off; PostgreSQL and the other child keep running meanwhile.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { loadConfig, repoRoot } from '../config/config';
import { checkEmbeddedPgAccess, EmbeddedPgError, startEmbeddedPg, type EmbeddedPg } from '../db/embedded';
import { migrateWithLock } from '../db/migrate-lock';
import { initOrm } from '../db/orm';
import { bootstrap, resolveSecret } from '../runtime';
import { seedDemoDocuments } from '../seed/demo-documents';
import { DEMO_PASSWORD } from '../seed/demo-data';
import { isEmpty, type DemoLogin } from '../seed/demo';
import { seedDemoProvince } from '../seed/steps';
import { DEMO_PEER_AGENCIES } from '../seed/demo-peer-data';
import { decideRestart } from '../shared/restart-policy';
import { Scope } from '../shared/scope';
import { logger } from '../shared/logger';
import { onShutdown } from '../shared/shutdown';

function portFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, host, () => s.close(() => resolve(true)));
  });
}

function newestMtime(dir: string): number {
  let max = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return max;
}

/** Builds web/dist when it is missing or older than web/src. */
export function ensureWebBuilt(webDir = path.join(repoRoot, 'web')): void {
  const index = path.join(webDir, 'dist', 'index.html');
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= newestMtime(path.join(webDir, 'src'))) return;
  console.log('Đang biên dịch giao diện web (building the web client)…');
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: webDir, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('web build failed');
}

/**
 * The API and the workers run as children in their own process groups (`detached`): a Ctrl-C in the
 * terminal reaches only this supervisor, which stops them in order (they drain, then PostgreSQL stops).
 * A child that exits on its own (a crash, an OOM kill, a kill -9) is restarted with back-off
 * (shared/restart-policy.ts); after too many quick crashes in a row everything stops with one clear line.
 */
interface Supervised {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  proc?: ChildProcess;
  startedAt: number;
  quickCrashes: number;
  restartTimer?: NodeJS.Timeout;
}

const children = new Map<string, Supervised>();
let stopping = false;
let embedded: EmbeddedPg | undefined;
/** Set when this run created the data dir: a failed first start removes it again (nothing half-made). */
let createdDataDir: string | undefined;

function spawnChild(s: Supervised): ChildProcess {
  const proc = fork(s.script, [], { env: { ...s.env, CONGVAN_PROCESS: s.name }, execArgv: ['--import', 'tsx'], stdio: 'inherit', detached: true });
  s.proc = proc;
  s.startedAt = Date.now();
  proc.on('error', (err) => logger.warn({ err, child: s.name }, 'child process error'));
  proc.on('exit', (code, signal) => {
    if (stopping) return;
    const decision = decideRestart(s.quickCrashes, Date.now() - s.startedAt);
    s.quickCrashes = decision.quickCrashes;
    const how = signal ? `tín hiệu ${signal}` : `mã thoát ${code}`;
    if (decision.action === 'give-up') {
      console.error(`Lỗi: tiến trình ${s.name} dừng bất thường ${decision.quickCrashes} lần liên tiếp (lần cuối: ${how}); Công Văn dừng. Xem nhật ký phía trên để biết nguyên nhân.`);
      void shutdown(1);
      return;
    }
    console.warn(`Tiến trình ${s.name} dừng bất thường (${how}); khởi động lại sau ${decision.delayMs / 1000} giây.`);
    logger.warn({ child: s.name, code, signal, delayMs: decision.delayMs }, 'child exited unexpectedly: restarting it');
    s.restartTimer = setTimeout(() => {
      s.restartTimer = undefined;
      if (!stopping) spawnChild(s);
    }, decision.delayMs);
  });
  return proc;
}

function startChild(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const s: Supervised = { name, script, env, startedAt: Date.now(), quickCrashes: 0 };
  children.set(name, s);
  return spawnChild(s);
}

/** Stops the children (they drain; SIGKILL after 25 s), then PostgreSQL, then exits with `code`. */
async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // A Ctrl-C during startup lets the current step (initdb, a migration, the demo seed) finish first:
  // main() checks `stopping` between steps, so nothing is cut off half-way and PostgreSQL is still up for it.
  await startup.catch(() => undefined);
  await Promise.all(
    [...children.values()].map(
      (s) =>
        new Promise<void>((resolve) => {
          if (s.restartTimer) clearTimeout(s.restartTimer);
          const c = s.proc;
          if (!c || c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 25_000).unref();
        }),
    ),
  );
  if (embedded) {
    await embedded.stop().catch((e) => logger.warn({ err: e }, 'embedded PostgreSQL did not stop cleanly'));
    console.log('Đã dừng PostgreSQL nhúng (embedded PostgreSQL stopped).');
  }
  if (code !== 0 && createdDataDir) fs.rmSync(createdDataDir, { recursive: true, force: true });
  process.exit(code);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const config = loadConfig();
  const demoPeer = config.demo && process.env.CONGVAN_DEMO === 'peer';
  if (!(await portFree(config.port, config.host))) {
    console.error(`Lỗi: cổng ${config.port} đang được sử dụng — có thể Công Văn đã chạy. (Port ${config.port} is in use.) Đặt PORT khác hoặc dừng tiến trình kia.`);
    process.exit(2);
  }
  onShutdown(async () => shutdown(0));
  // As root, PostgreSQL runs as `postgres`: check it can reach its binaries and the data dir before creating anything.
  if (!config.databaseUrl) await checkEmbeddedPgAccess(config.dataDir);
  if (!fs.existsSync(config.dataDir)) createdDataDir = config.dataDir;
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = resolveSecret(config);

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPg({ dataDir: config.dataDir, port: config.embeddedPgPort, database: 'congvan' });
    databaseUrl = embedded.url;
    console.log(`PostgreSQL nhúng đang chạy trên cổng ${config.embeddedPgPort} (dữ liệu: ${path.join(config.dataDir, 'pg')})`);
  }
  if (stopping) return;

  const orm = await initOrm(databaseUrl, 4);
  let logins: DemoLogin[] = [];
  let empty: boolean;
  try {
    const applied = await migrateWithLock(orm);
    if (applied.length) console.log(`Đã áp dụng ${applied.length} migration.`);
    const scope = new Scope(orm.em.fork(), null);
    // CONGVAN_DEMO=peer: the second demo deployment (another province, issue 13 "Two deployments" in README).
    if (config.demo) logins = await seedDemoProvince(scope, demoPeer ? { agencies: DEMO_PEER_AGENCIES } : {});
    empty = await isEmpty(new Scope(orm.em.fork(), null));
  } finally {
    await orm.close();
  }
  if (stopping) return;

  if (logins.length && !demoPeer) {
    // First start: a working day of demo documents, through the real services.
    const rt = await bootstrap({ ...config, databaseUrl }, { secret, queue: { supervise: false, schedule: false } });
    try {
      const created = await seedDemoDocuments(rt.services);
      console.log(`Đã tạo ${created} văn bản dùng thử.`);
    } finally {
      await rt.close();
    }
  }

  if (config.serveWeb) ensureWebBuilt();
  if (stopping) return;

  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, AUTH_SECRET: secret, CONGVAN_DATA_DIR: config.dataDir };
  const api = startChild('api', path.join(repoRoot, 'server', 'src', 'bin', 'api.ts'), env);
  await new Promise<void>((resolve, reject) => {
    api.on('message', (m: { type?: string }) => m?.type === 'ready' && resolve());
    api.once('exit', (code) => reject(new Error(`API exited with code ${code}`)));
  });
  if (stopping) return;
  // glibc malloc arenas: two keep the OCR worker's memory flat on long scans (see docker-compose.yml).
  startChild('workers', path.join(repoRoot, 'workers', 'src', 'main.ts'), { MALLOC_ARENA_MAX: '2', ...env });
  createdDataDir = undefined; // started once: from now on the data dir holds data that must stay

  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log('');
  console.log(`Công Văn đã sẵn sàng sau ${secs} giây: ${config.publicUrl}`);
  if (logins.length) {
    console.log(`Tài khoản dùng thử (mật khẩu chung: ${DEMO_PASSWORD}):`);
    for (const l of logins.filter((x) => !x.username.includes('.') || x.username.startsWith('snv.') || x.username.startsWith('luongtai.'))) {
      console.log(`  ${l.username.padEnd(22)} ${l.roles.join(',').padEnd(13)} ${l.fullName} — ${l.agency}`);
    }
    const others = [...new Set(logins.filter((x) => x.username.includes('.')).map((x) => x.username.split('.')[0]))].filter((p) => p !== 'snv' && p !== 'luongtai');
    console.log(`  … và <cơ quan>.<vai trò> cho mọi cơ quan khác (${others.join(', ')}).`);
  } else if (config.demo) {
    console.log(`Dữ liệu dùng thử đã có sẵn. Đăng nhập: vanthu, chuyenvien, truongphong, lanhdao, luutru, quantri (mật khẩu ${DEMO_PASSWORD}).`);
  } else if (empty) {
    console.log('Cơ sở dữ liệu trống: tạo quản trị viên bằng `npm run cli -- create-admin --help`.');
  }
  console.log('Nhấn Ctrl-C để dừng.');
}

/** main(): startup, until the children run (shutdown() waits for it). */
const startup = main();
startup.catch(async (e) => {
  // A Ctrl-C during startup: shutdown() is under way and exits. The step may have failed because of it (a
  // program spawned at that very moment gets the terminal's SIGINT before it leaves our process group).
  if (stopping) return;
  if (e instanceof EmbeddedPgError) {
    console.error(e.message); // one line saying what to do
  } else {
    console.error('Không khởi động được Công Văn:', e instanceof Error ? e.message : e);
    logger.error({ err: e }, 'start failed');
  }
  await shutdown(1);
});
