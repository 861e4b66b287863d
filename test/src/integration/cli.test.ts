import { spawnSync } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { loadConfig, repoRoot } from '../../../server/src/config/config';
import { createApp } from '../../../server/src/http/app';
import { bootstrap } from '../../../server/src/runtime';
import { createTestDatabase } from '../support/db';
import { gql, loginToken } from '../support/gql';

describe('CLI on an empty database (CONGVAN_DEMO=0)', () => {
  it('create-admin creates the operator agency and an administrator who can log in', async () => {
    const db = await createTestDatabase({ demo: false });
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'server/src/bin/cli.ts'), ...args], {
        encoding: 'utf8',
        cwd: repoRoot,
        env: { ...process.env, DATABASE_URL: db.url, LOG_LEVEL: 'silent', CONGVAN_DEMO: '0' },
      });
    const missing = run('create-admin', '--username', 'admin');
    expect(missing.status).toBe(2);
    const noAgency = run('create-admin', '--username', 'admin', '--password', 'matkhau-manh-1', '--full-name', 'Nguyễn Văn Quản');
    expect(noAgency.status).toBe(2);
    expect(noAgency.stderr).toMatch(/cơ quan vận hành/);
    const ok = run('create-admin', '--username', 'admin', '--password', 'matkhau-manh-1', '--full-name', 'Nguyễn Văn Quản', '--agency-code', '000.00.00.H27', '--agency-name', 'Ủy ban nhân dân tỉnh Bắc Ninh', '--agency-abbr', 'UBND');
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/Đã tạo quản trị viên admin/);
    const weak = run('create-admin', '--username', 'admin2', '--password', '123', '--full-name', 'Yếu');
    expect(weak.status).toBe(2);
    expect(weak.stderr).toMatch(/BAD_USER_INPUT/);

    // The same database, served by the real app: the administrator logs in and sees the users.
    const rt = await bootstrap(loadConfig({ NODE_ENV: 'test', DATABASE_URL: db.url, AUTH_SECRET: 'cli-test-secret-cli-test-secret-0123456789', CONGVAN_DATA_DIR: path.join(repoRoot, '.data', 'cli-test'), SERVE_WEB: '0' }), { queue: { supervise: false, schedule: false } });
    const server = http.createServer(createApp(rt.services).app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const token = await loginToken(url, 'admin', 'matkhau-manh-1');
      const users = await gql<{ users: { totalCount: number; edges: { node: { username: string; roles: string[] } }[] } }>(url, '{ users { totalCount edges { node { username roles } } } }', {}, { token });
      expect(users.errors).toBeUndefined();
      expect(users.data!.users.edges.map((e) => e.node)).toEqual([{ username: 'admin', roles: ['QUAN_TRI'] }]);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
      await rt.close();
      await db.drop();
    }
  }, 120_000);
});
