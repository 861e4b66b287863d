import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const WEB = path.join(ROOT, 'web');
/** The built web client the API serves (config.webDist default). */
export const WEB_DIST = path.join(WEB, 'dist');
const DIST_INDEX = path.join(WEB_DIST, 'index.html');
/** Inputs of `vite build`: a change in any of them makes dist stale. */
const INPUTS = [...['src', 'public', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'].map((p) => path.join(WEB, p)), path.join(ROOT, 'schema/validation')];
/** Several test files may want the build at once (jest workers): one builds, the others wait. */
const LOCK = path.join(os.tmpdir(), `congvan-web-build-${Buffer.from(ROOT).toString('hex').slice(-16)}.lock`);
const LOCK_STALE_MS = 5 * 60_000;

function newestMtime(p: string): number {
  let st: fs.Stats;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs; // a deleted file shows up as a newer directory mtime
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/** Whether web/dist/index.html is missing or older than any input of the build. */
export function webBuildIsStale(): boolean {
  let built: number;
  try {
    built = fs.statSync(DIST_INDEX).mtimeMs;
  } catch {
    return true;
  }
  return INPUTS.some((p) => newestMtime(p) > built);
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: '1' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}:\n${output}`))));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function acquireLock(): Promise<void> {
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - fs.statSync(LOCK).mtimeMs > LOCK_STALE_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await sleep(250);
    }
  }
}

/**
 * Builds the web client (`npm -w web run build`) unless web/dist is up to date with web/src & co.
 * Call before starting the API server in browser tests: the API serves web/dist only if it exists at start.
 */
export async function ensureWebBuilt(): Promise<{ built: boolean }> {
  if (!webBuildIsStale()) return { built: false };
  await acquireLock();
  try {
    if (!webBuildIsStale()) return { built: false }; // another worker built it while we waited
    await run('npm', ['-w', 'web', 'run', 'build']);
    if (!fs.existsSync(DIST_INDEX)) throw new Error(`web build produced no ${DIST_INDEX}`);
    return { built: true };
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
