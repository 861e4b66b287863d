/**
 * Audit log (nhật ký hệ thống) paging at scale: the real AuditLogService on a large audit_event table.
 *
 *   npm run bench -- audit-log [--events 1000000] [--agencies 300] [--iterations 50]
 *
 * Starts an embedded PostgreSQL on a temp dir (or uses DATABASE_URL), migrates, generates IN BULK (INSERT …
 * SELECT generate_series) agencies with one QUAN_TRI each and `events` audit rows over a year (agency 1, a busy
 * UBND tỉnh, holds 10 %), ANALYZE, then measures p50/p95 of: the first page (20) of an agency's log, a page
 * 5 000 rows deep through the keyset cursor, an action-prefix filter, a person filter, a one-day range, and the
 * operator's all-agency first page; next to the same deep page with OFFSET (the peer). Prints EXPLAIN of the
 * deep keyset page so the index in use is visible.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { loadConfig } from '../../server/src/config/config';
import { startEmbeddedPg, type EmbeddedPg } from '../../server/src/db/embedded';
import { initOrm, migrate } from '../../server/src/db/orm';
import { bootstrap, type Runtime } from '../../server/src/runtime';
import { Scope, type Actor } from '../../server/src/shared/scope';

const log = (s: string) => process.stdout.write(`${s}\n`);

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

function parseArgs(argv: string[]) {
  const a = { events: 1_000_000, agencies: 300, iterations: 50 };
  for (let i = 0; i < argv.length; i += 2) {
    const n = Number(argv[i + 1]);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${argv[i]} needs a positive integer`);
    if (argv[i] === '--events') a.events = n;
    else if (argv[i] === '--agencies') a.agencies = n;
    else if (argv[i] === '--iterations') a.iterations = n;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return a;
}

const pct = (xs: number[], p: number) => [...xs].sort((x, y) => x - y)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function measure(name: string, n: number, fn: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < 3; i++) await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  log(`${name.padEnd(58)} p50 ${pct(ms, 50).toFixed(1).padStart(7)} ms   p95 ${pct(ms, 95).toFixed(1).padStart(7)} ms`);
}

export async function run(argv: string[]): Promise<void> {
  const a = parseArgs(argv);
  let pgServer: EmbeddedPg | null = null;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-bench-audit-'));
  fs.chmodSync(dataDir, 0o755);
  let url = process.env.DATABASE_URL;
  let rt: Runtime | null = null;
  try {
    if (!url) {
      pgServer = await startEmbeddedPg({ dataDir, port: await freePort(), database: 'congvan_bench' });
      url = pgServer.url;
    }
    const orm = await initOrm(url, 2);
    await migrate(orm);
    await orm.close(true);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const t0 = performance.now();
    await c.query(`INSERT INTO agency (id, code, name, abbr, active, operator, time_zone, created_at)
      SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, lpad(g::text, 3, '0') || '.00.01.H27', 'Cơ quan ' || g, 'CQ' || g, true, g = 1, 'Asia/Ho_Chi_Minh', now()
        FROM generate_series(1, ${a.agencies}) g`);
    await c.query(`INSERT INTO app_user (id, username, full_name, agency_id, roles, password_hash, active, must_change_password, created_at)
      SELECT ('00000000-0000-7000-9000-' || lpad(to_hex(g), 12, '0'))::uuid, 'quantri' || g, 'Quản trị ' || g, ('00000000-0000-7000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
             '{QUAN_TRI}', 'x', true, false, now()
        FROM generate_series(1, ${a.agencies}) g`);
    // Agency 1 gets 10 % of the rows; the others share the rest. Actions from a realistic mix.
    await c.query(`INSERT INTO audit_event (id, at, actor_id, agency_id, action, target_type, target_id, data, ip)
      SELECT gen_random_uuid(), now() - (random() * interval '365 days'),
             ('00000000-0000-7000-9000-' || lpad(to_hex(ag), 12, '0'))::uuid,
             ('00000000-0000-7000-8000-' || lpad(to_hex(ag), 12, '0'))::uuid,
             (ARRAY['auth.login','document.register','document.annotate','document.progress','user.update','document.view'])[1 + (g % 6)],
             CASE WHEN g % 6 IN (0, 4) THEN 'user' ELSE 'document' END, gen_random_uuid(), '{"n":1}'::jsonb, '10.0.0.1'
        FROM (SELECT g, CASE WHEN g % 10 = 0 THEN 1 ELSE 2 + (g % ${Math.max(1, a.agencies - 1)}) END AS ag FROM generate_series(1, ${a.events}) g) s`);
    await c.query('VACUUM ANALYZE');
    log(`generated ${a.events} audit events over ${a.agencies} agencies in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const config = loadConfig({ NODE_ENV: 'production', CONGVAN_DATA_DIR: dataDir, DATABASE_URL: url, AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-0123', LOG_LEVEL: 'warn' });
    rt = await bootstrap(config, { queue: { supervise: false, schedule: false } });
    const actor = (g: number): Actor => ({
      userId: `00000000-0000-7000-9000-${g.toString(16).padStart(12, '0')}`,
      username: `quantri${g}`,
      fullName: `Quản trị ${g}`,
      agencyId: `00000000-0000-7000-8000-${g.toString(16).padStart(12, '0')}`,
      unitId: null,
      roles: ['QUAN_TRI'],
      sessionId: null,
    });
    const busy = actor(1);
    const scope = () => new Scope(rt!.orm.em.fork(), busy);
    const svc = rt.services.auditLog;

    // A cursor 5 000 rows deep in the busy agency's log.
    let after: string | null = null;
    for (let i = 0; i < 50; i++) after = (await svc.auditEvents(scope(), { filter: { agencyId: busy.agencyId }, first: 100, after })).pageInfo.endCursor;
    const day = new Date(Date.now() - 30 * 86400_000).toISOString().slice(0, 10);

    await measure('calibration: SELECT 1', a.iterations, () => rt!.orm.em.fork().getConnection().execute('SELECT 1'));
    await measure('busy agency, first page (20)', a.iterations, () => svc.auditEvents(scope(), { filter: { agencyId: busy.agencyId } }));
    await measure('busy agency, page 5 000 rows deep (keyset)', a.iterations, () => svc.auditEvents(scope(), { filter: { agencyId: busy.agencyId }, after }));
    await measure('peer: same deep page with OFFSET 5000', a.iterations, () =>
      rt!.orm.em.fork().getConnection().execute(`select id from audit_event where agency_id = ? order by at desc, id desc offset 5000 limit 21`, [busy.agencyId]),
    );
    await measure('busy agency, action prefix "user."', a.iterations, () => svc.auditEvents(scope(), { filter: { agencyId: busy.agencyId, action: 'user.' } }));
    await measure('busy agency, one person', a.iterations, () => svc.auditEvents(scope(), { filter: { agencyId: busy.agencyId, actorId: busy.userId } }));
    await measure('busy agency, one day', a.iterations, () => svc.auditEvents(scope(), { filter: { agencyId: busy.agencyId, from: day, to: day } }));
    await measure('operator, all agencies, first page', a.iterations, () => svc.auditEvents(scope(), {}));
    const plan = await c.query(
      `EXPLAIN (ANALYZE, BUFFERS) select e.id, e.at::text from audit_event e where e.agency_id = $1 and (e.at, e.id) < ((select at from audit_event where agency_id = $1 order by at desc, id desc offset 5000 limit 1), '00000000-0000-0000-0000-000000000000'::uuid) order by e.at desc, e.id desc limit 21`,
      [busy.agencyId],
    );
    log(plan.rows.map((r: Record<string, string>) => `  ${r['QUERY PLAN']}`).join('\n'));
    await c.end();
  } finally {
    if (rt) await rt.close();
    if (pgServer) await pgServer.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
