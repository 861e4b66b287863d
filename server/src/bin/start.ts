/**
 * `npm start`: everything on embedded defaults. Starts PostgreSQL from npm binaries (unless DATABASE_URL
 * is set), applies migrations, seeds the demo province on first start, builds the web client if needed,
 * then runs the API and the workers as child processes and prints the URL and demo logins.
 * Ctrl-C stops the children gracefully, then PostgreSQL.
 */
import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { loadConfig, repoRoot } from '../config/config';
import { startEmbeddedPg, type EmbeddedPg } from '../db/embedded';
import { migrateWithLock } from '../db/migrate-lock';
import { initOrm } from '../db/orm';
import { bootstrap, resolveSecret } from '../runtime';
import { seedDemoDocuments } from '../seed/demo-documents';
import { DEMO_PASSWORD } from '../seed/demo-data';
import { seedDemo, isEmpty, type DemoLogin } from '../seed/demo';
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

function startChild(name: string, script: string, env: NodeJS.ProcessEnv): ChildProcess {
  const child = fork(script, [], { env: { ...env, CONGVAN_PROCESS: name }, execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (!stopping) {
      logger.error({ name, code, signal }, `${name} exited unexpectedly`);
      void shutdown(1);
    }
  });
  return child;
}

let stopping = false;
const children: ChildProcess[] = [];
let embedded: EmbeddedPg | undefined;

async function shutdown(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.all(
    children.map(
      (c) =>
        new Promise<void>((resolve) => {
          if (c.exitCode !== null || c.signalCode !== null) return resolve();
          c.once('exit', () => resolve());
          c.kill('SIGTERM');
          setTimeout(() => c.kill('SIGKILL'), 25_000).unref();
        }),
    ),
  );
  if (embedded) {
    await embedded.stop().catch(() => undefined);
    console.log('Đã dừng PostgreSQL nhúng (embedded PostgreSQL stopped).');
  }
  process.exit(code);
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const config = loadConfig();
  if (!(await portFree(config.port, config.host))) {
    console.error(`Lỗi: cổng ${config.port} đang được sử dụng — có thể Công Văn đã chạy. (Port ${config.port} is in use.) Đặt PORT khác hoặc dừng tiến trình kia.`);
    process.exit(2);
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = resolveSecret(config);

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedPg({ dataDir: config.dataDir, port: config.embeddedPgPort, database: 'congvan' });
    databaseUrl = embedded.url;
    console.log(`PostgreSQL nhúng đang chạy trên cổng ${config.embeddedPgPort} (dữ liệu: ${path.join(config.dataDir, 'pg')})`);
  }
  onShutdown(async () => shutdown(0));

  const orm = await initOrm(databaseUrl, 4);
  let logins: DemoLogin[] = [];
  let empty: boolean;
  try {
    const applied = await migrateWithLock(orm);
    if (applied.length) console.log(`Đã áp dụng ${applied.length} migration.`);
    const scope = new Scope(orm.em.fork(), null);
    if (config.demo) logins = await seedDemo(scope);
    empty = await isEmpty(new Scope(orm.em.fork(), null));
  } finally {
    await orm.close();
  }

  if (logins.length) {
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

  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, AUTH_SECRET: secret, CONGVAN_DATA_DIR: config.dataDir };
  const api = startChild('api', path.join(repoRoot, 'server', 'src', 'bin', 'api.ts'), env);
  children.push(api);
  await new Promise<void>((resolve, reject) => {
    api.on('message', (m: { type?: string }) => m?.type === 'ready' && resolve());
    api.once('exit', (code) => reject(new Error(`API exited with code ${code}`)));
  });
  children.push(startChild('workers', path.join(repoRoot, 'workers', 'src', 'main.ts'), env));

  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  console.log('');
  console.log(`Công Văn đã sẵn sàng sau ${secs} giây: ${config.publicUrl}`);
  if (logins.length) {
    console.log(`Tài khoản dùng thử (mật khẩu chung: ${DEMO_PASSWORD}):`);
    for (const l of logins.filter((x) => !x.username.includes('.') || x.username.startsWith('snv.') || x.username.startsWith('luongtai.'))) {
      console.log(`  ${l.username.padEnd(22)} ${l.roles.join(',').padEnd(13)} ${l.fullName} — ${l.agency}`);
    }
    console.log(`  … và <cơ quan>.<vai trò> cho mọi cơ quan khác (vp, stc, skhdt, sgddt, syt, stttt, giabinh, trungchinh).`);
  } else if (config.demo) {
    console.log(`Dữ liệu dùng thử đã có sẵn. Đăng nhập: vanthu, chuyenvien, truongphong, lanhdao, luutru, quantri (mật khẩu ${DEMO_PASSWORD}).`);
  } else if (empty) {
    console.log('Cơ sở dữ liệu trống: tạo quản trị viên bằng `npm run cli -- create-admin --help`.');
  }
  console.log('Nhấn Ctrl-C để dừng.');
}

main().catch(async (e) => {
  console.error('Không khởi động được Công Văn:', e instanceof Error ? e.message : e);
  logger.error({ err: e }, 'start failed');
  await shutdown(1);
});
