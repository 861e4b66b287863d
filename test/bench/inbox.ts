/**
 * Inbox / counts latency at scale, and registration / issue throughput.
 *
 *   npm run bench -- inbox [--docs 1000000] [--agencies 300] [--users 10000] [--iterations 200]
 *                          [--concurrency 16] [--ops 400] [--data-dir DIR] [--keep]
 *   npx tsx test/bench/inbox.ts …same args…
 *
 * Starts an embedded PostgreSQL on a temp dir (or uses DATABASE_URL), migrates, generates IN BULK with
 * INSERT … SELECT generate_series (not through the API): agencies, units, users, documents with assignments,
 * watchers / named readers and recipients in realistic proportions (agency 1 is a busy UBND tỉnh with 10 % of
 * all documents; its chuyên viên "busy" handles ~35 % of its work; its first leader annotates 2/3 of it), then
 * ANALYZE, and measures p50/p95/p99 of the real InboxService (first page of 20 with totalCount as the web asks,
 * a deep page through the cursor, counts of the nine boxes) for busy and typical users, next to an OFFSET
 * deep page (the peer), and the throughput of the real registerIncoming / issue services with N concurrent
 * clients. With --data-dir the generated database is kept and reused by the next run.
 */
import os from 'node:os';
import pg from 'pg';
import { loadConfig } from '../../server/src/config/config';
import { initOrm, migrate } from '../../server/src/db/orm';
import { bootstrap, type Runtime } from '../../server/src/runtime';
import { Scope, type Actor } from '../../server/src/shared/scope';
import type { Role } from '../../server/src/modules/identity/roles';
import type { InboxBox } from '../../server/src/modules/documents/domain';
import { SqlParams, boxRowsSql } from '../../server/src/modules/documents/inbox-sql';
import { inboxViewerOf } from '../../server/src/modules/documents/inbox.service';
import { todayIn } from '../../server/src/modules/documents/domain';
import { benchDatabase, benchLog, parseBenchArgs, measureLatency, measureThroughput, timed as timedWith, type Latency, type Throughput } from './lib/harness';

interface Args {
  docs: number;
  agencies: number;
  users: number;
  iterations: number;
  concurrency: number;
  ops: number;
  dataDir: string | null;
  keep: boolean;
}

function parseArgs(argv: string[]): Args {
  const a = parseBenchArgs<Args>(argv, { docs: 1_000_000, agencies: 300, users: 10_000, iterations: 200, concurrency: 16, ops: 400, dataDir: null, keep: false });
  // Users 10–32 of every agency are the chuyên viên the generated documents name (cv_r below).
  if (a.users < a.agencies * 33) throw new Error('--users must be at least 33 per agency');
  return a;
}

const log = benchLog('inbox');
const timed = <T>(label: string, fn: () => Promise<T>) => timedWith(log, label, fn);

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Bulk generation

/**
 * Users per agency, by index r: 0 văn thư, 1–2 lãnh đạo, 3–7 trưởng phòng of units 1–5, 8 lưu trữ,
 * 9 quản trị, 10+ chuyên viên (unit (r % 5) + 1). Agency 1 is the operator.
 */
function generationSql(a: Args): string[] {
  const A = a.agencies;
  const N = a.docs;
  return [
    `SELECT setseed(0.4242)`,
    `CREATE TABLE b_ag AS SELECT i, gen_random_uuid() AS id FROM generate_series(1, ${A}) i`,
    `INSERT INTO agency (id, code, name, abbr, place, parent_id, time_zone, active, operator, created_at)
       SELECT id, format('000.%s.%s.B99', lpad((i / 100)::text, 2, '0'), lpad((i % 100)::text, 2, '0')),
              CASE WHEN i = 1 THEN 'Ủy ban nhân dân tỉnh Thử Nghiệm' ELSE 'Cơ quan thử nghiệm số ' || i END, 'CQ' || i, 'Bắc Ninh',
              NULL, 'Asia/Ho_Chi_Minh', true, i = 1, now() FROM b_ag`,
    `UPDATE agency SET parent_id = (SELECT id FROM b_ag WHERE i = 1) WHERE id IN (SELECT id FROM b_ag WHERE i > 1)`,
    `CREATE TABLE b_un AS SELECT ag.i AS ai, j, gen_random_uuid() AS id FROM b_ag ag, generate_series(1, 5) j`,
    `INSERT INTO unit (id, agency_id, name, abbr, created_at)
       SELECT u.id, ag.id, (ARRAY['Văn phòng', 'Phòng Tổng hợp', 'Phòng Kinh tế', 'Phòng Khoa giáo - Văn xã', 'Phòng Nội chính'])[u.j],
              (ARRAY['VP', 'TH', 'KT', 'KGVX', 'NC'])[u.j], now() FROM b_un u JOIN b_ag ag ON ag.i = u.ai`,
    `CREATE TABLE b_us AS
       SELECT k, ((k - 1) % ${A}) + 1 AS ai, (k - 1) / ${A} AS r, gen_random_uuid() AS id FROM generate_series(1, ${a.users}) k`,
    `ALTER TABLE b_us ADD COLUMN unit_j int, ADD COLUMN roles text[]`,
    `UPDATE b_us SET
        roles = CASE WHEN r = 0 THEN '{VAN_THU}' WHEN r IN (1, 2) THEN '{LANH_DAO}' WHEN r BETWEEN 3 AND 7 THEN '{TRUONG_PHONG}'
                     WHEN r = 8 THEN '{LUU_TRU}' WHEN r = 9 THEN '{QUAN_TRI}' ELSE '{CHUYEN_VIEN}' END::text[],
        unit_j = CASE WHEN r = 0 THEN 1 WHEN r BETWEEN 3 AND 7 THEN r - 2 WHEN r >= 10 THEN (r % 5) + 1 END`,
    `CREATE INDEX ON b_us (ai, r)`,
    `INSERT INTO app_user (id, username, full_name, title, agency_id, unit_id, roles, password_hash, active, created_at)
       SELECT u.id, CASE WHEN u.ai = 1 AND u.r = 10 THEN 'busy' ELSE 'u' || u.k END,
              (ARRAY['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi'])[1 + u.k % 8] || ' Văn ' || (ARRAY['An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Long', 'Minh', 'Tuấn'])[1 + (u.k / 8) % 8],
              NULL, ag.id, un.id, u.roles, 'bench-no-login', true, now()
         FROM b_us u JOIN b_ag ag ON ag.i = u.ai LEFT JOIN b_un un ON un.ai = u.ai AND un.j = u.unit_j`,
    // one row per document with the random draws
    `CREATE TABLE b_doc AS
       SELECT n, gen_random_uuid() AS id,
              CASE WHEN n % 10 = 0 THEN 1 ELSE 2 + ((n::bigint * 7919) % ${A - 1})::int END AS ai,
              random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5
         FROM generate_series(1, ${N}) n`,
    `ALTER TABLE b_doc ADD COLUMN dir text, ADD COLUMN state text, ADD COLUMN cv_r int, ADD COLUMN leader_r int, ADD COLUMN received_at timestamptz,
       ADD COLUMN deadline date, ADD COLUMN completed_at timestamptz, ADD COLUMN urgency text, ADD COLUMN secrecy text`,
    `UPDATE b_doc SET
        dir = CASE WHEN r1 < 0.6 THEN 'INCOMING' ELSE 'OUTGOING' END,
        state = CASE WHEN r1 < 0.6 THEN
                  CASE WHEN r2 < 0.80 THEN 'DONE' WHEN r2 < 0.87 THEN 'IN_PROGRESS' WHEN r2 < 0.92 THEN 'ASSIGNED' WHEN r2 < 0.94 THEN 'SUBMITTED'
                       WHEN r2 < 0.96 THEN 'REGISTERED' WHEN r2 < 0.97 THEN 'RECEIVED' WHEN r2 < 0.995 THEN 'FOR_INFO' ELSE 'RETURNED' END
                ELSE
                  CASE WHEN r2 < 0.90 THEN 'ISSUED' WHEN r2 < 0.93 THEN 'DRAFT' WHEN r2 < 0.96 THEN 'IN_APPROVAL' WHEN r2 < 0.98 THEN 'APPROVED' ELSE 'SIGNED' END
                END,
        cv_r = CASE WHEN ai = 1 AND r4 < 0.35 THEN 10 ELSE 10 + floor(r4 * 23)::int END,
        leader_r = CASE WHEN n % 3 = 0 THEN 2 ELSE 1 END,
        urgency = CASE WHEN r5 < 0.80 THEN 'THUONG' WHEN r5 < 0.92 THEN 'KHAN' WHEN r5 < 0.98 THEN 'THUONG_KHAN' ELSE 'HOA_TOC' END,
        secrecy = CASE WHEN n % 100 = 7 THEN 'MAT' ELSE 'THUONG' END`,
    `UPDATE b_doc SET received_at = now() - (CASE WHEN state IN ('DONE', 'ISSUED', 'FOR_INFO') THEN 20 + r3 * 1075 ELSE r3 * 40 END) * interval '1 day'`,
    `UPDATE b_doc SET deadline = CASE WHEN dir = 'INCOMING' AND state IN ('ASSIGNED', 'IN_PROGRESS', 'DONE') THEN (received_at + (5 + floor(r5 * 25)) * interval '1 day')::date END,
                      completed_at = CASE WHEN state = 'DONE' THEN received_at + (1 + r4 * 30) * interval '1 day' END`,
    `CREATE INDEX ON b_doc (n)`,
    `INSERT INTO document (id, agency_id, direction, state, type_code, type_name, number, symbol, incoming_number, register_key, register_year,
                           issued_date, received_at, subject, urgency, secrecy, electronic, issuer_name, submitted_to_id, annotated_by_id, annotated_at,
                           deadline, completed_at, drafter_id, drafter_unit_id, signer_id, approval_chain, approval_step, signed_at, issued_at,
                           created_at, updated_at, version, copies)
       SELECT d.id, ag.id, d.dir, d.state,
              (ARRAY[NULL, 'KH', 'QĐ', 'BC', 'TB'])[1 + d.n % 5], (ARRAY['Công văn', 'Kế hoạch', 'Quyết định', 'Báo cáo', 'Thông báo'])[1 + d.n % 5],
              CASE WHEN d.dir = 'OUTGOING' AND d.state = 'ISSUED' THEN d.n END,
              CASE WHEN d.dir = 'INCOMING' OR d.state = 'ISSUED' THEN d.n || '/' || COALESCE((ARRAY[NULL, 'KH', 'QĐ', 'BC', 'TB'])[1 + d.n % 5] || '-', '') || 'CQ' || d.ai END,
              CASE WHEN d.dir = 'INCOMING' AND d.state <> 'RECEIVED' THEN d.n END,
              CASE WHEN d.dir = 'INCOMING' AND d.state <> 'RECEIVED' THEN CASE WHEN d.secrecy = 'MAT' THEN 'INCOMING_SECRET' ELSE 'INCOMING' END
                   WHEN d.state = 'ISSUED' THEN CASE WHEN d.secrecy = 'MAT' THEN 'OUTGOING_SECRET' ELSE 'OUTGOING' END END,
              extract(year FROM d.received_at)::int,
              (d.received_at - interval '2 days')::date,
              CASE WHEN d.dir = 'INCOMING' THEN d.received_at END,
              (ARRAY['Về việc triển khai', 'Kế hoạch thực hiện', 'Báo cáo kết quả', 'Hướng dẫn', 'Đề nghị'])[1 + d.n % 5] || ' '
                || (ARRAY['cải cách hành chính', 'chuyển đổi số', 'phòng chống thiên tai', 'xây dựng nông thôn mới', 'quản lý đất đai', 'an toàn giao thông', 'y tế cơ sở'])[1 + (d.n / 5) % 7]
                || ' năm ' || extract(year FROM d.received_at)::int || ' (số ' || d.n || ')',
              d.urgency, d.secrecy, d.dir = 'INCOMING' AND d.r3 < 0.7,
              CASE WHEN d.dir = 'INCOMING' THEN 'Cơ quan gửi số ' || (1 + d.n % 400) END,
              CASE WHEN d.dir = 'INCOMING' AND d.state NOT IN ('RECEIVED', 'REGISTERED') THEN ld.id END,
              CASE WHEN d.dir = 'INCOMING' AND d.state IN ('ASSIGNED', 'IN_PROGRESS', 'DONE', 'FOR_INFO') THEN ld.id END,
              CASE WHEN d.dir = 'INCOMING' AND d.state IN ('ASSIGNED', 'IN_PROGRESS', 'DONE', 'FOR_INFO') THEN d.received_at + interval '4 hours' END,
              d.deadline, d.completed_at,
              CASE WHEN d.dir = 'OUTGOING' THEN cv.id END, CASE WHEN d.dir = 'OUTGOING' THEN un.id END,
              CASE WHEN d.dir = 'OUTGOING' AND d.n % 3 = 0 THEN ld.id END,
              CASE WHEN d.dir = 'OUTGOING' THEN '[{"kind":"ROLE","role":"TRUONG_PHONG","scope":"DRAFTING_UNIT","label":"Trưởng phòng"},{"kind":"ROLE","role":"LANH_DAO","scope":"AGENCY","label":"Lãnh đạo"}]'::jsonb END,
              CASE WHEN d.state = 'IN_APPROVAL' THEN d.n % 2 END,
              CASE WHEN d.state IN ('SIGNED', 'ISSUED') THEN d.received_at END,
              CASE WHEN d.state = 'ISSUED' THEN d.received_at + interval '1 hour' END,
              d.received_at, d.received_at, 1,
              CASE WHEN d.dir = 'OUTGOING' THEN 2 + d.n % 3 END
         FROM b_doc d
         JOIN b_ag ag ON ag.i = d.ai
         JOIN b_us cv ON cv.ai = d.ai AND cv.r = d.cv_r
         JOIN b_us ld ON ld.ai = d.ai AND ld.r = d.leader_r
         LEFT JOIN b_un un ON un.ai = d.ai AND un.j = cv.unit_j`,
    // phân công: the lead (unit with a designated handler 70 %, a person 30 %), a co-ordinating unit for 40 %
    `INSERT INTO assignment (id, document_id, role, target, unit_id, user_id, deadline, state, active, assigned_by_id, created_at, started_at, completed_at)
       SELECT gen_random_uuid(), d.id, 'LEAD', CASE WHEN d.n % 10 < 7 THEN 'UNIT' ELSE 'USER' END, un.id, cv.id, d.deadline,
              CASE d.state WHEN 'DONE' THEN 'DONE' WHEN 'IN_PROGRESS' THEN 'IN_PROGRESS' ELSE 'PENDING' END, true, ld.id,
              d.received_at + interval '4 hours', CASE WHEN d.state IN ('DONE', 'IN_PROGRESS') THEN d.received_at + interval '1 day' END, d.completed_at
         FROM b_doc d JOIN b_us cv ON cv.ai = d.ai AND cv.r = d.cv_r JOIN b_us ld ON ld.ai = d.ai AND ld.r = d.leader_r
         LEFT JOIN b_un un ON un.ai = d.ai AND un.j = cv.unit_j
        WHERE d.dir = 'INCOMING' AND d.state IN ('ASSIGNED', 'IN_PROGRESS', 'DONE')`,
    `INSERT INTO assignment (id, document_id, role, target, unit_id, user_id, deadline, state, active, assigned_by_id, created_at, completed_at)
       SELECT gen_random_uuid(), d.id, 'COORDINATOR', 'UNIT', un.id, NULL, d.deadline,
              CASE d.state WHEN 'DONE' THEN 'DONE' ELSE 'PENDING' END, true, ld.id, d.received_at + interval '4 hours', d.completed_at
         FROM b_doc d JOIN b_us cv ON cv.ai = d.ai AND cv.r = d.cv_r JOIN b_us ld ON ld.ai = d.ai AND ld.r = d.leader_r
         JOIN b_un un ON un.ai = d.ai AND un.j = (cv.unit_j % 5) + 1
        WHERE d.dir = 'INCOMING' AND d.state IN ('ASSIGNED', 'IN_PROGRESS', 'DONE') AND d.n % 5 < 2`,
    // superseded assignments (re-annotations) for 3 %
    `INSERT INTO assignment (id, document_id, role, target, unit_id, user_id, deadline, state, active, created_at)
       SELECT gen_random_uuid(), d.id, 'LEAD', 'USER', NULL, cv.id, d.deadline, 'PENDING', false, d.received_at + interval '1 hour'
         FROM b_doc d JOIN b_us cv ON cv.ai = d.ai AND cv.r = 10 + (d.n % 23)
        WHERE d.dir = 'INCOMING' AND d.state IN ('ASSIGNED', 'IN_PROGRESS', 'DONE') AND d.n % 33 = 0`,
    // watchers 5 %; named readers of secret documents (leader, handler, văn thư)
    `INSERT INTO document_member (id, document_id, user_id, kind, created_at)
       SELECT gen_random_uuid(), d.id, w.id, 'WATCHER', d.received_at FROM b_doc d JOIN b_us w ON w.ai = d.ai AND w.r = 10 + ((d.n * 13) % 23) WHERE d.n % 20 = 3`,
    `INSERT INTO document_member (id, document_id, user_id, kind, created_at)
       SELECT gen_random_uuid(), d.id, u.id, 'READER', d.received_at
         FROM b_doc d JOIN b_us u ON u.ai = d.ai AND u.r IN (0, d.leader_r, d.cv_r) WHERE d.secrecy = 'MAT'`,
    // drafts in approval name the owners of their current step as readers, as outgoing.service does (step 0: the
    // drafting unit's trưởng phòng, step 1: the agency's lãnh đạo); the "chờ duyệt" box applies the access rule
    `INSERT INTO document_member (id, document_id, user_id, kind, created_at)
       SELECT gen_random_uuid(), d.id, u.id, 'READER', d.received_at
         FROM b_doc d JOIN b_us cv ON cv.ai = d.ai AND cv.r = d.cv_r
         JOIN b_us u ON u.ai = d.ai AND CASE WHEN d.n % 2 = 0 THEN u.roles = '{TRUONG_PHONG}' AND u.unit_j = cv.unit_j ELSE u.roles = '{LANH_DAO}' END
        WHERE d.state = 'IN_APPROVAL'
       ON CONFLICT (document_id, user_id, kind) DO NOTHING`,
    // the number sequences continue after the generated numbers (as if the documents had been numbered by the system)
    `INSERT INTO number_sequence (agency_id, key, year, last_number)
       SELECT agency_id, register_key, register_year, max(COALESCE(incoming_number, number)) FROM document
        WHERE register_key IS NOT NULL AND register_year IS NOT NULL GROUP BY 1, 2, 3`,
    // nơi nhận of issued documents: 1–3 agencies
    `INSERT INTO recipient (id, document_id, agency_id, name, status, status_code, status_at)
       SELECT gen_random_uuid(), d.id, ag.id, 'Cơ quan thử nghiệm số ' || ag.i, 'DONE', '06', d.received_at + interval '2 days'
         FROM b_doc d CROSS JOIN LATERAL generate_series(1, 1 + d.n % 3) k JOIN b_ag ag ON ag.i = 1 + ((d.ai + k * 37) % ${A})
        WHERE d.dir = 'OUTGOING' AND d.state = 'ISSUED'`,
  ];
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Measurement

type Stat = Latency<string>;

/** Sequential latency (one client) after 20 warm-up calls. */
const measure = (label: string, iterations: number, fn: () => Promise<string>): Promise<Stat> =>
  measureLatency(log, label, { iterations, warmup: Math.min(20, iterations) }, () => fn());

async function actorOf(rt: Runtime, where: string, params: unknown[]): Promise<Actor> {
  const em = rt.orm.em.fork();
  const [u] = await em.getConnection().execute<{ id: string; username: string; full_name: string; agency_id: string; unit_id: string | null; roles: Role[] }[]>(
    `SELECT id, username, full_name, agency_id, unit_id, roles FROM app_user WHERE ${where} LIMIT 1`,
    params,
  );
  if (!u) throw new Error(`no user where ${where}`);
  return { userId: u.id, username: u.username, fullName: u.full_name, agencyId: u.agency_id, unitId: u.unit_id, roles: u.roles, sessionId: null };
}

const scopeOf = (rt: Runtime, actor: Actor) => new Scope(rt.orm.em.fork(), actor);

async function inboxStats(rt: Runtime, a: Args, who: string, actor: Actor, boxes: InboxBox[], deep: InboxBox | null): Promise<Stat[]> {
  const svc = rt.services.inbox;
  const out: Stat[] = [];
  const counts = await svc.inboxCounts(scopeOf(rt, actor));
  const countOf = (b: InboxBox) => counts.find((c) => c.box === b)!.count;
  log(`${who}: ${counts.map((c) => `${c.box}=${c.count}`).join(' ')}`);
  for (const box of boxes) {
    out.push(
      await measure(`${who} ${box} first page`, a.iterations, async () => {
        const p = await svc.inbox(scopeOf(rt, actor), box, { first: 20, withTotal: true });
        return `${p.edges.length} of ${p.totalCount}`;
      }),
    );
  }
  if (deep && countOf(deep) > 60) {
    const pages = Math.min(50, Math.floor(countOf(deep) / 20) - 1);
    let after: string | null = null;
    for (let i = 0; i < pages; i++) after = (await svc.inbox(scopeOf(rt, actor), deep, { first: 20, after })).pageInfo.endCursor;
    out.push(
      await measure(`${who} ${deep} page ${pages + 1} (cursor)`, a.iterations, async () => {
        const p = await svc.inbox(scopeOf(rt, actor), deep, { first: 20, after, withTotal: true });
        return `${p.edges.length} of ${p.totalCount}`;
      }),
    );
    // Peer: the same page's SQL alone (no total, no entity loading), by keyset and by OFFSET side by side.
    // Both compute the whole box before sorting; keyset is about correctness (no duplicates or gaps when rows
    // move between page loads), not speed.
    const viewer = inboxViewerOf(scopeOf(rt, actor));
    const today = todayIn(rt.services.clock.now());
    const cursor = after ? (JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as [number, string, string, string]) : null;
    for (const mode of ['keyset', 'OFFSET'] as const) {
      out.push(
        await measure(`${who} ${deep} page ${pages + 1} SQL only (${mode})`, a.iterations, async () => {
          const params = new SqlParams();
          const sql = boxRowsSql(deep, viewer, today, params)!;
          const where =
            mode === 'keyset' && cursor
              ? ` WHERE (q.nrank, q.dkey, q.ts, q.id) > (${params.p(cursor[0], 'int')}, ${params.p(cursor[1], 'date')}, ${params.p(cursor[2], 'timestamptz')}, ${params.p(cursor[3], 'uuid')})`
              : '';
          const tail = mode === 'keyset' ? 'LIMIT 21' : `OFFSET ${pages * 20} LIMIT 21`;
          const rows = await rt.orm.em.fork().getConnection().execute<{ id: string }[]>(`SELECT q.id FROM (${sql}) q${where} ORDER BY q.nrank, q.dkey, q.ts, q.id ${tail}`, params.values);
          return `${rows.length} rows`;
        }),
      );
    }
  }
  out.push(
    await measure(`${who} inboxCounts (9 boxes)`, a.iterations, async () => {
      const c = await svc.inboxCounts(scopeOf(rt, actor));
      return `${c.reduce((s, x) => s + x.count, 0)} items`;
    }),
  );
  out.push(
    await measure(`${who} search "cai cach" in ${boxes[0]}`, Math.min(a.iterations, 100), async () => {
      const p = await svc.inbox(scopeOf(rt, actor), boxes[0], { first: 20, withTotal: true, filter: { search: 'cai cach' } });
      return `${p.edges.length} of ${p.totalCount}`;
    }),
  );
  return out;
}

const throughput = (label: string, total: number, concurrency: number, op: (i: number) => Promise<void>): Promise<Throughput> => measureThroughput(log, label, total, concurrency, op);

// ────────────────────────────────────────────────────────────────────────────────────────────────

export async function run(argv: string[]): Promise<void> {
  const a = parseArgs(argv);
  const db = await benchDatabase(log, { name: 'inbox', dataDir: a.dataDir, keep: a.keep });
  const { url, dataDir } = db;
  let rt: Runtime | null = null;
  try {

    const orm = await initOrm(url, 2);
    await timed('migrations', () => migrate(orm));
    await orm.close(true);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const have = Number((await client.query(`SELECT count(*) AS n FROM document`)).rows[0].n);
      if (have === 0) {
        await timed(`generation (${a.docs} documents)`, async () => {
          for (const sql of generationSql(a)) {
            const t0 = performance.now();
            await client.query(sql);
            const first = sql.trim().split('\n')[0].slice(0, 90);
            log(`  ${((performance.now() - t0) / 1000).toFixed(1)} s  ${first}`);
          }
          for (const t of ['b_doc', 'b_us', 'b_un', 'b_ag']) await client.query(`DROP TABLE ${t}`);
        });
        await timed('VACUUM ANALYZE', () => client.query('VACUUM ANALYZE'));
      } else {
        log(`reusing ${have} documents in ${dataDir}`);
        // leftovers of an earlier run's issue measurement
        await client.query(`DELETE FROM document WHERE state = 'SIGNED' AND subject LIKE 'Về việc phát hành thử nghiệm số %'`);
        await client.query(
          `INSERT INTO number_sequence (agency_id, key, year, last_number)
             SELECT agency_id, register_key, register_year, max(COALESCE(incoming_number, number)) FROM document
              WHERE register_key IS NOT NULL AND register_year IS NOT NULL GROUP BY 1, 2, 3
           ON CONFLICT (agency_id, key, year) DO UPDATE SET last_number = GREATEST(number_sequence.last_number, EXCLUDED.last_number)`,
        );
      }
      const sizes = await client.query(
        `SELECT (SELECT count(*) FROM agency) AS agencies, (SELECT count(*) FROM app_user) AS users, (SELECT count(*) FROM document) AS documents,
                (SELECT count(*) FROM assignment) AS assignments, (SELECT count(*) FROM document_member) AS members, (SELECT count(*) FROM recipient) AS recipients,
                pg_size_pretty(pg_database_size(current_database())) AS size`,
      );
      log(`data: ${JSON.stringify(sizes.rows[0])}`);
    } finally {
      await client.end();
    }

    const config = loadConfig({
      NODE_ENV: 'production',
      CONGVAN_DATA_DIR: dataDir,
      DATABASE_URL: url,
      AUTH_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
      DATABASE_POOL_MAX: String(Math.max(10, a.concurrency + 4)),
      LOG_LEVEL: 'warn',
    });
    rt = await bootstrap(config, { queue: { supervise: false, schedule: false } });

    const stats: Stat[] = [];
    const load = os.loadavg();
    // Calibration: a bare round trip through the same ORM connection pool (the machine's noise floor).
    stats.push(await measure('calibration: SELECT 1 round trip', a.iterations, async () => {
      await rt!.orm.em.fork().getConnection().execute('SELECT 1');
      return '';
    }));
    const busy = await actorOf(rt, `username = 'busy'`, []);
    const busyHead = await actorOf(rt, `agency_id = ?::uuid AND unit_id = ?::uuid AND 'TRUONG_PHONG' = ANY(roles)`, [busy.agencyId, busy.unitId]);
    const busyLeader = await actorOf(rt, `agency_id = ?::uuid AND 'LANH_DAO' = ANY(roles) ORDER BY username`, [busy.agencyId]);
    const busyVanThu = await actorOf(rt, `agency_id = ?::uuid AND 'VAN_THU' = ANY(roles)`, [busy.agencyId]);
    const typical = await actorOf(rt, `username = ?`, [`u${Math.floor(a.agencies / 2) + a.agencies * 12}`]);

    stats.push(...(await inboxStats(rt, a, 'busy chuyên viên', busy, ['TO_PROCESS', 'IN_PROGRESS', 'OVERDUE'], 'IN_PROGRESS')));
    stats.push(...(await inboxStats(rt, a, 'busy trưởng phòng', busyHead, ['TO_PROCESS', 'IN_PROGRESS', 'TO_APPROVE'], 'TO_PROCESS')));
    stats.push(...(await inboxStats(rt, a, 'busy lãnh đạo', busyLeader, ['WATCHING', 'TO_ANNOTATE', 'TO_SIGN'], 'WATCHING')));
    stats.push(...(await inboxStats(rt, a, 'busy văn thư', busyVanThu, ['TO_REGISTER', 'TO_ISSUE'], null)));
    stats.push(...(await inboxStats(rt, a, 'typical chuyên viên', typical, ['TO_PROCESS', 'IN_PROGRESS'], null)));

    // ── throughput: the real services, N concurrent clients, all in ONE agency (worst case: one số đến sequence)
    const tput: Throughput[] = [];
    const svc = rt.services as unknown as Record<string, Record<string, unknown> | undefined>;
    const today = todayIn(new Date());
    const runId = Date.now().toString(36);
    if (typeof svc.incoming?.registerIncoming === 'function') {
      tput.push(
        await throughput(`registerIncoming ×${a.ops}, ${a.concurrency} clients, one agency`, a.ops, a.concurrency, async (i) => {
          await rt!.services.incoming.registerIncoming(scopeOf(rt!, busyVanThu), {
            issuerName: 'Sở Nội vụ tỉnh Thử Nghiệm',
            symbol: `${i + 1}/SNV-TCBC`,
            issuedDate: today,
            typeName: 'Công văn',
            subject: `Về việc đăng ký thử nghiệm số ${i}`,
            idempotencyKey: `bench-reg-${runId}-${i}`,
          });
        }),
      );
    } else log('services.incoming.registerIncoming not available: registration throughput skipped');
    if (typeof svc.outgoing?.issue === 'function') {
      // SIGNED drafts with a draft file and two recipient agencies, created in bulk for the issue run.
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const key = `sha256/00/00/${'0'.repeat(64)}`;
      const ids = (
        await c.query<{ id: string }>(
          `INSERT INTO document (id, agency_id, direction, state, type_name, subject, urgency, secrecy, electronic, drafter_id, drafter_unit_id, signed_at, signed_by_id, created_at, updated_at, version, approval_chain)
           SELECT gen_random_uuid(), $1::uuid, 'OUTGOING', 'SIGNED', 'Công văn', 'Về việc phát hành thử nghiệm số ' || g, 'THUONG', 'THUONG', false, $2::uuid, $3::uuid, now(), $4::uuid, now(), now(), 1, '[]'::jsonb
             FROM generate_series(1, $5::int) g RETURNING id`,
          [busy.agencyId, busy.userId, busy.unitId, busyLeader.userId, a.ops],
        )
      ).rows.map((r) => r.id);
      await c.query(
        `INSERT INTO document_file (id, document_id, kind, version, storage_key, sha256, file_name, content_type, size, created_at)
         SELECT gen_random_uuid(), id, 'DRAFT', 1, $2, $3, 'du-thao.pdf', 'application/pdf', 1000, now() FROM unnest($1::uuid[]) id`,
        [ids, key, '0'.repeat(64)],
      );
      await c.query(
        `INSERT INTO recipient (id, document_id, agency_id, name)
         SELECT gen_random_uuid(), d.id, ag.id, ag.name FROM unnest($1::uuid[]) d(id)
           CROSS JOIN LATERAL (SELECT id, name FROM agency WHERE NOT operator ORDER BY code LIMIT 2) ag`,
        [ids],
      );
      await c.query('ANALYZE document');
      await c.end();
      tput.push(
        await throughput(`issue ×${a.ops}, ${a.concurrency} clients, one agency (2 recipients each)`, ids.length, a.concurrency, async (i) => {
          await rt!.services.outgoing.issue(scopeOf(rt!, busyVanThu), ids[i], `bench-issue-${runId}-${i}`);
        }),
      );
    } else log('services.outgoing.issue not available: issue throughput skipped');

    printTable(a, stats, tput, [load, os.loadavg()]);
  } finally {
    if (rt) await rt.close();
    await db.close();
    if (a.dataDir || a.keep) log(`data kept in ${dataDir}`);
  }
}

function printTable(a: Args, stats: Stat[], tput: Throughput[], loads: number[][]): void {
  const f = (n: number) => n.toFixed(1).padStart(7);
  const w = Math.max(...stats.map((s) => s.name.length), ...tput.map((s) => s.name.length), 20);
  const lines: string[] = [];
  lines.push(`\nInbox benchmark: ${a.docs.toLocaleString('en')} documents, ${a.agencies} agencies, ${a.users} users, ${a.iterations} iterations (sequential), target p95 < 30 ms`);
  lines.push(`machine: ${os.cpus().length} cores, load average ${loads.map((l) => l[0].toFixed(1)).join(' → ')} (start → end of the latency runs)`);
  lines.push(`${'scenario'.padEnd(w)}  ${'p50 ms'.padStart(7)}  ${'p95 ms'.padStart(7)}  ${'p99 ms'.padStart(7)}  rows`);
  for (const s of stats) lines.push(`${s.name.padEnd(w)}  ${f(s.p50)}  ${f(s.p95)}  ${f(s.p99)}  ${s.last}${/SQL only|search|calibration/.test(s.name) || s.p95 < 30 ? '' : '  ← over 30 ms'}`);
  if (tput.length) {
    lines.push(`\n${'throughput (real services)'.padEnd(w)}  ${'ops/s'.padStart(7)}  ${'p50 ms'.padStart(7)}  ${'p95 ms'.padStart(7)}  result`);
    for (const s of tput) lines.push(`${s.name.padEnd(w)}  ${f(s.opsPerSec)}  ${f(s.p50)}  ${f(s.p95)}  ${s.last}`);
  }
  console.log(lines.join('\n'));
}

if (require.main === module) {
  run(process.argv.slice(2)).then(
    () => process.exit(0),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
