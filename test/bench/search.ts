/**
 * Search at scale (issue 10): index build and query latency of the PostgreSQL search provider, next to plain
 * ILIKE (the peer) in the same run.
 *
 *   npm run bench -- search [--docs 1000000] [--agencies 300] [--iterations 40] [--concurrency 8] [--data-dir DIR] [--json]
 *
 * Starts an embedded PostgreSQL on a temp dir (or uses DATABASE_URL), migrates, generates agencies, users and
 * documents IN BULK with SQL (agency 1 — a busy UBND tỉnh — holds 10 % of the documents; its chuyên viên
 * "busy" is assigned 10 % of those = 1 % of all), then builds the index through the real provider
 * (PgSearchProvider.indexMany: the application's tokeniser and folding) with bodies assembled from the
 * vocabulary of ../shared/corpus (ground-truth texts of the scans), OCR-like noise in 20 % of them, and
 * measures p50/p95/p99 of ≥ 12 query shapes through the real provider (permissions, ranking, count, facets,
 * snippets) with N concurrent clients, then the same shapes as plain ILIKE on the same rows and permissions.
 * `--json` prints one line `{ "docs", "queries": [{ "name", "p50", "p95", "p99" }] }` last.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager } from '@mikro-orm/postgresql';
import { initOrm, migrate } from '../../server/src/db/orm';
import type { AccessViewer } from '../../server/src/modules/documents/domain/access';
import { documentVisibleSql } from '../../server/src/modules/documents/access-sql';
import { SqlParams } from '../../server/src/modules/documents/inbox-sql';
import { escapeLike, fold, parseQuery, type ParsedQuery } from '../../server/src/modules/search/domain';
import { PgSearchProvider } from '../../server/src/modules/search/pg-provider';
import type { SearchDocumentInput, SearchFilterInput } from '../../server/src/modules/search/provider';
import type { Role } from '../../server/src/modules/identity/roles';
import { benchDatabase, benchLog, parseBenchArgs, measureLatency, type Latency } from './lib/harness';

interface Args {
  docs: number;
  agencies: number;
  iterations: number;
  concurrency: number;
  dataDir: string | null;
  json: boolean;
  peerIterations: number;
}

function parseArgs(argv: string[]): Args {
  const a = parseBenchArgs<Args>(argv, { docs: 1_000_000, agencies: 300, iterations: 40, concurrency: 8, dataDir: null, json: false, peerIterations: 8 });
  if (a.agencies < 2) throw new Error('--agencies must be at least 2');
  return a;
}

const log = benchLog('search');

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Text: the corpus vocabulary, a deterministic generator, OCR-like noise

const CORPUS = path.resolve(__dirname, '../../../shared/corpus/scans');

function corpusWords(): string[] {
  const counts = new Map<string, number>();
  const files = fs.existsSync(CORPUS) ? fs.readdirSync(CORPUS).filter((f) => f.endsWith('.txt')) : [];
  for (const f of files)
    for (const w of fs.readFileSync(path.join(CORPUS, f), 'utf8').normalize('NFC').match(/[\p{L}][\p{L}\p{M}]*/gu) ?? []) {
      const lw = w.toLowerCase();
      counts.set(lw, (counts.get(lw) ?? 0) + 1);
    }
  const words = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  if (words.length < 200) throw new Error(`the corpus vocabulary at ${CORPUS} is too small (${words.length} words)`);
  return words;
}

/** mulberry32: a small deterministic PRNG (the same documents on every run). */
function rng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const OCR_SWAPS: [RegExp, string][] = [
  [/ế/g, 'é'],
  [/ư/g, 'u'],
  [/ạ/g, 'a'],
  [/m/g, 'rn'],
  [/ị/g, 'i'],
  [/đ/g, 'd'],
  [/ộ/g, 'ô'],
];

function body(words: string[], seed: number, n: number, noisy: boolean): string {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    // Zipf-like: common words far more often than rare ones
    const k = Math.floor(Math.pow(r(), 2.2) * words.length);
    let w = words[k];
    if (noisy && r() < 0.08) {
      const [re, to] = OCR_SWAPS[Math.floor(r() * OCR_SWAPS.length)];
      w = w.replace(re, to);
    }
    out.push(w);
    if (r() < 0.07) out.push('.');
  }
  return out.join(' ').replace(/ \./g, '.');
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Generation (SQL): agencies, users, documents, the busy chuyên viên's assignments

const TOPICS = ['cải cách hành chính', 'chuyển đổi số', 'phòng chống thiên tai', 'xây dựng nông thôn mới', 'quản lý đất đai', 'an toàn giao thông', 'y tế cơ sở', 'bán đấu giá tài sản', 'ban chỉ đạo phòng chống dịch', 'thi đua khen thưởng', 'tuyển dụng viên chức', 'giáo dục đào tạo'];

function generationSql(a: Args): string[] {
  const A = a.agencies;
  const N = a.docs;
  return [
    `SELECT setseed(0.4242)`,
    `CREATE TABLE b_ag AS SELECT i, gen_random_uuid() AS id FROM generate_series(1, ${A}) i`,
    `INSERT INTO agency (id, code, name, abbr, place, parent_id, time_zone, active, operator, created_at)
       SELECT id, format('000.%s.%s.B98', lpad((i / 100)::text, 2, '0'), lpad((i % 100)::text, 2, '0')),
              CASE WHEN i = 1 THEN 'Ủy ban nhân dân tỉnh Thử Nghiệm' ELSE 'Cơ quan thử nghiệm số ' || i END, 'CQ' || i, 'Bắc Ninh', NULL, 'Asia/Ho_Chi_Minh', true, i = 1, now() FROM b_ag`,
    `INSERT INTO unit (id, agency_id, name, abbr, created_at) SELECT gen_random_uuid(), id, 'Phòng Kinh tế', 'KT', now() FROM b_ag`,
    // per agency: văn thư (r 0), lãnh đạo (r 1), chuyên viên (r 2)
    `CREATE TABLE b_us AS SELECT ag.i AS ai, r, gen_random_uuid() AS id FROM b_ag ag, generate_series(0, 2) r`,
    `INSERT INTO app_user (id, username, full_name, agency_id, unit_id, roles, password_hash, active, created_at)
       SELECT u.id, 'b' || u.ai || '_' || u.r, 'Người dùng ' || u.ai || '.' || u.r, ag.id, (SELECT id FROM unit WHERE agency_id = ag.id LIMIT 1),
              (ARRAY['{VAN_THU}', '{LANH_DAO}', '{CHUYEN_VIEN}'])[u.r + 1]::text[], 'bench-no-login', true, now()
         FROM b_us u JOIN b_ag ag ON ag.i = u.ai`,
    `CREATE TABLE b_doc AS
       SELECT n, gen_random_uuid() AS id, CASE WHEN n % 10 = 0 THEN 1 ELSE 2 + ((n::bigint * 7919) % ${A - 1})::int END AS ai,
              random() AS r1, random() AS r3, now() - random() * interval '1800 days' AS at
         FROM generate_series(1, ${N}) n`,
    `INSERT INTO document (id, agency_id, direction, state, type_code, type_name, number, symbol, register_year, issued_date, received_at, subject, urgency, secrecy,
                           electronic, issuer_name, signer_name, created_at, updated_at, version)
       SELECT d.id, ag.id, CASE WHEN d.r1 < 0.6 THEN 'INCOMING' ELSE 'OUTGOING' END, CASE WHEN d.r1 < 0.6 THEN 'DONE' ELSE 'ISSUED' END,
              (ARRAY[NULL, 'KH', 'QĐ', 'BC', 'TB'])[1 + d.n % 5], (ARRAY['Công văn', 'Kế hoạch', 'Quyết định', 'Báo cáo', 'Thông báo'])[1 + d.n % 5],
              d.n, d.n || '/' || COALESCE((ARRAY[NULL, 'KH', 'QĐ', 'BC', 'TB'])[1 + d.n % 5] || '-', '') || 'CQ' || (1 + d.n % 400),
              extract(year FROM d.at)::int, (d.at - interval '2 days')::date, d.at,
              (ARRAY['Về việc triển khai', 'Kế hoạch thực hiện', 'Báo cáo kết quả', 'Hướng dẫn', 'Đề nghị', 'Quyết định phê duyệt'])[1 + d.n % 6] || ' '
                || (ARRAY[${TOPICS.map((t) => `'${t}'`).join(', ')}])[1 + (d.n / 6) % ${TOPICS.length}] || ' năm ' || extract(year FROM d.at)::int,
              'THUONG', CASE WHEN d.n % 100 = 7 THEN 'MAT' ELSE 'THUONG' END, d.r3 < 0.5,
              'Cơ quan gửi số ' || (1 + d.n % 400),
              (ARRAY['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi'])[1 + d.n % 8] || ' Văn ' || (ARRAY['An', 'Bình', 'Cường', 'Dũng', 'Hải', 'Long', 'Minh', 'Tuấn'])[1 + (d.n / 8) % 8],
              d.at, d.at, 1
         FROM b_doc d JOIN b_ag ag ON ag.i = d.ai`,
    // the busy chuyên viên of agency 1: assigned 10 % of its documents (1 % of all)
    `INSERT INTO assignment (id, document_id, role, target, unit_id, user_id, state, active, created_at)
       SELECT gen_random_uuid(), d.id, 'LEAD', 'USER', NULL, u.id, 'DONE', true, d.at
         FROM b_doc d JOIN b_us u ON u.ai = 1 AND u.r = 2 WHERE d.ai = 1 AND d.n % 100 = 10`,
    `INSERT INTO document_member (id, document_id, user_id, kind, created_at)
       SELECT gen_random_uuid(), d.id, u.id, 'READER', d.at FROM b_doc d JOIN b_us u ON u.ai = d.ai AND u.r IN (0, 1) WHERE d.n % 100 = 7`,
    `DROP TABLE b_doc`,
  ];
}

// ────────────────────────────────────────────────────────────────────────────────────────────────
// Measurement

type Stat = Latency<number>;

/**
 * `iterations` runs per client, `concurrency` clients at once; fn gets the iteration index and returns rows. A shape
 * whose query fails (e.g. cut by the provider's statement timeout) is reported as failed (p50/p95/p99 null in the
 * JSON), not left out, and the run goes on.
 */
async function measure(name: string, iterations: number, concurrency: number, fn: (i: number) => Promise<number>): Promise<Stat> {
  try {
    return await measureLatency(log, name, { iterations, concurrency }, fn);
  } catch (e) {
    log(`${name}: FAILED — ${(e as Error).message.split(' - ').pop()}`);
    return { name, p50: NaN, p95: NaN, p99: NaN, mean: NaN, last: -1 };
  }
}

interface Shape {
  name: string;
  viewer: () => AccessViewer | null;
  /** Query texts, one per iteration (cycled), so that runs do not only hit a warm cache. */
  queries: string[];
  filter?: SearchFilterInput;
}

export async function run(argv: string[]): Promise<void> {
  const a = parseArgs(argv);
  const words = corpusWords();
  const db = await benchDatabase(log, { name: 'search', dataDir: a.dataDir, settings: [['synchronous_commit', 'off']] });
  const { url } = db;
  try {
    const orm = await initOrm(url, a.concurrency + 2);
    await migrate(orm);
    const em = () => orm.em.fork() as EntityManager;
    const provider = new PgSearchProvider();
    const figures: Record<string, string | number> = {};

    const [{ n: have }] = await em().execute<{ n: number }[]>(`select count(*)::int as n from document`);
    if (have === 0) {
      const t0 = performance.now();
      for (const sql of generationSql(a)) await em().execute(sql);
      await em().execute(`DROP TABLE b_us; DROP TABLE b_ag`);
      log(`generation of ${a.docs} documents: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const [{ n: indexed }] = await em().execute<{ n: number }[]>(`select count(*)::int as n from search_document`);
    if (indexed === 0) {
      // Bulk load as a reindex of an empty index would: rows through the provider, GIN indexes built after.
      const gin = await em().execute<{ indexname: string; indexdef: string }[]>(
        `select indexname, indexdef from pg_indexes where tablename = 'search_document' and indexname <> 'search_document_pkey'`,
      );
      for (const g of gin) await em().execute(`drop index ${g.indexname}`);
      const t0 = performance.now();
      let after = '00000000-0000-0000-0000-000000000000';
      let done = 0;
      const BATCH = 2000;
      for (;;) {
        const rows = await em().execute<
          { id: string; agency_id: string; direction: string; type_code: string | null; type_name: string; symbol: string; subject: string; issuer_name: string; signer_name: string; secrecy: string; electronic: boolean; year: number; doc_date: string; n: number }[]
        >(
          `select id, agency_id, direction, type_code, type_name, symbol, subject, issuer_name, signer_name, secrecy, electronic, register_year as year, issued_date::text as doc_date, number as n
             from document where id > ? order by id limit ?`,
          [after, BATCH],
        );
        if (!rows.length) break;
        const docs: SearchDocumentInput[] = rows.map((r) => {
          const noisy = r.n % 5 === 0; // OCR'd scans with recognition errors
          const text = body(words, r.n, 60 + (r.n % 80), noisy);
          return {
            documentId: r.id,
            agencyId: r.agency_id,
            year: r.year,
            docDate: r.doc_date,
            direction: r.direction,
            typeCode: r.type_code,
            typeName: r.type_name,
            symbol: r.symbol,
            subject: r.subject,
            issuer: r.issuer_name,
            signer: r.signer_name,
            unitIds: [],
            hasScan: !r.electronic,
            archived: false,
            secrecy: r.secrecy,
            body: text,
            pageStarts: [0, text.length],
          };
        });
        await provider.indexMany(em(), docs);
        after = rows[rows.length - 1].id;
        done += rows.length;
        if (done % 50_000 < BATCH) log(`  indexed ${done}`);
      }
      const load = (performance.now() - t0) / 1000;
      const t1 = performance.now();
      for (const g of gin) {
        const t = performance.now();
        await em().execute(g.indexdef);
        log(`  ${g.indexname}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
      }
      const build = (performance.now() - t1) / 1000;
      await em().execute(`VACUUM ANALYZE search_document`);
      await em().execute(`VACUUM ANALYZE document`);
      await em().execute(`VACUUM ANALYZE assignment`);
      await em().execute(`VACUUM ANALYZE document_member`);
      figures.rowsLoadSeconds = Number(load.toFixed(1));
      figures.indexBuildSeconds = Number(build.toFixed(1));
      log(`index: rows ${load.toFixed(1)} s (${Math.round(done / load)} docs/s), indexes ${build.toFixed(1)} s`);
    }
    const sizes = await em().execute<{ name: string; size: string }[]>(
      `select 'table (heap + TOAST)' as name, pg_size_pretty(pg_table_size('search_document')) as size
       union all select indexname, pg_size_pretty(pg_relation_size(indexname::regclass)) from pg_indexes where tablename = 'search_document'
       union all select 'total', pg_size_pretty(pg_total_relation_size('search_document'))`,
    );
    for (const s of sizes) log(`size ${s.name}: ${s.size}`);

    // Viewers
    const user = async (agencyIndex: number, r: number): Promise<AccessViewer> => {
      const [u] = await em().execute<{ id: string; agency_id: string; unit_id: string | null; roles: Role[] }[]>(`select id, agency_id, unit_id, roles from app_user where username = ?`, [`b${agencyIndex}_${r}`]);
      return { userId: u.id, agencyId: u.agency_id, unitId: u.unit_id, roles: u.roles };
    };
    const typical = await user(7, 0); // văn thư of an ordinary agency (~0.3 % of the documents)
    const busyLeader = await user(1, 1); // lãnh đạo of the UBND tỉnh (10 %)
    const busyCv = await user(1, 2); // chuyên viên assigned 1 % of all documents
    const [{ n: cvVisible }] = await em().execute<{ n: number }[]>(`select count(*)::int as n from assignment where user_id = ?`, [busyCv.userId]);
    log(`the busy chuyên viên may read ${cvVisible} documents (${((100 * cvVisible) / a.docs).toFixed(2)} %)`);

    const common = words.slice(0, 40).filter((w) => w.length > 2);
    const mid = words.slice(200, 400);
    const rare = words.slice(Math.max(0, words.length - 300));
    const pick = (list: string[], k: number) => (i: number) => Array.from({ length: k }, (_x, j) => list[(i * 7 + j * 13) % list.length]).join(' ');
    const many = (f: (i: number) => string, n = 64) => Array.from({ length: n }, (_x, i) => f(i));
    // số ký hiệu of the typical văn thư's own documents, as typed
    const symbols = (await em().execute<{ symbol: string }[]>(`select symbol from document where agency_id = ? and symbol is not null order by id limit 64`, [typical.agencyId])).map((r) => r.symbol);
    const topics = TOPICS.map((t) => `"${t}"`);
    const shapes: Shape[] = [
      { name: 'one word (common)', viewer: () => typical, queries: many(pick(common, 1)) },
      { name: 'one word (rare)', viewer: () => typical, queries: many(pick(rare, 1)) },
      { name: 'two words', viewer: () => typical, queries: many((i) => `${mid[i % mid.length]} ${common[(i * 3) % common.length]}`) },
      { name: 'phrase', viewer: () => typical, queries: topics },
      { name: 'without diacritics', viewer: () => typical, queries: TOPICS.map(fold) },
      { name: 'symbol (whole, e.g. 05/KH-CQ1)', viewer: () => typical, queries: symbols },
      { name: 'symbol part KH-CQ', viewer: () => typical, queries: many((i) => `KH-CQ${1 + i}`) },
      { name: 'prefix', viewer: () => typical, queries: many((i) => `${mid[i % mid.length].slice(0, 3)}*`) },
      { name: 'misspelt (trigram)', viewer: () => typical, queries: TOPICS.map((t) => fold(t).replace(/a/, 'aa').replace(/n/, 'm')) },
      { name: 'with filters (year, type)', viewer: () => typical, queries: many(pick(common, 1)), filter: { year: 2024, type: 'KH' } },
      { name: 'leader of a big agency (10 %)', viewer: () => busyLeader, queries: many(pick(common, 1)) },
      { name: 'user who may see 1 %', viewer: () => busyCv, queries: many(pick(common, 1)) },
      { name: 'user 1 %, two words', viewer: () => busyCv, queries: many((i) => `${mid[i % mid.length]} ${common[(i * 3) % common.length]}`) },
      { name: 'admin, everything: one word', viewer: () => null, queries: many(pick(common, 1)) },
      { name: 'admin, everything: phrase', viewer: () => null, queries: topics },
      { name: 'admin, everything: rare word', viewer: () => null, queries: many(pick(rare, 1)) },
    ];
    const parsed = (q: string): ParsedQuery => {
      const r = parseQuery(q);
      if (!r.ok) throw new Error(r.reason);
      return r.query;
    };
    const results: Stat[] = [];
    const peers: Stat[] = [];
    for (const s of shapes) {
      results.push(
        await measure(s.name, a.iterations, a.concurrency, async (i) => {
          const r = await provider.search(em(), { query: parsed(s.queries[i % s.queries.length]), filter: s.filter ?? {}, viewer: s.viewer(), offset: 0, first: 20 });
          return r.totalCount;
        }),
      );
    }
    // The peer: plain ILIKE over trích yếu, symbol, issuer, signer and body, same permissions, first 20 newest.
    for (const s of shapes) {
      peers.push(
        await measure(`ILIKE: ${s.name}`, a.peerIterations, a.concurrency, async (i) => {
          const words = parsed(s.queries[i % s.queries.length]).terms.flatMap((t) => (t.kind === 'word' ? [t.word.exact] : [t.words.map((w) => w.exact).join(' ')]));
          const params = new SqlParams();
          const conds = words.map((w) => {
            const cols = ['d.subject', 'd.symbol', 'd.issuer_name', 'd.signer_name', 's.body'];
            return `(${cols.map((c) => `${c} ILIKE ${params.p(`%${escapeLike(w)}%`)}`).join(' OR ')})`;
          });
          const viewer = s.viewer();
          const where = [...conds];
          if (viewer) where.push(`d.agency_id = ${params.p(viewer.agencyId, 'uuid')}`, documentVisibleSql(viewer, params, { ownAgencyOnly: true }));
          if (s.filter?.year) where.push(`s.year = ${params.p(s.filter.year, 'int')}`);
          if (s.filter?.type) where.push(`s.type_code = ${params.p(s.filter.type)}`);
          const sql = `SELECT d.id FROM document d JOIN search_document s ON s.document_id = d.id WHERE ${where.join(' AND ')} ORDER BY s.doc_date DESC LIMIT 20`;
          return (
            await em().transactional(async (t) => {
              await t.execute(`select set_config('statement_timeout', '30000', true)`);
              return t.execute<unknown[]>(sql, params.values);
            })
          ).length;
        }),
      );
    }
    log('');
    log(`${a.docs} documents, ${a.concurrency} concurrent clients (ms):`);
    log(`${'shape'.padEnd(34)} ${'p50'.padStart(8)} ${'p95'.padStart(8)} ${'p99'.padStart(8)} | ${'ILIKE p95'.padStart(10)} ${'ratio'.padStart(8)}`);
    results.forEach((r, i) =>
      log(`${r.name.padEnd(34)} ${r.p50.toFixed(1).padStart(8)} ${r.p95.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} | ${peers[i].p95.toFixed(1).padStart(10)} ${(peers[i].p95 / r.p95).toFixed(1).padStart(7)}×`),
    );
    const round = (x: number) => (Number.isFinite(x) ? Math.round(x * 10) / 10 : null);
    const out = {
      docs: a.docs,
      concurrency: a.concurrency,
      ...figures,
      size: Object.fromEntries(sizes.map((s) => [s.name, s.size])),
      queries: results.map((r) => ({ name: r.name, p50: round(r.p50), p95: round(r.p95), p99: round(r.p99) })),
      peer: peers.map((r) => ({ name: r.name, p50: round(r.p50), p95: round(r.p95), p99: round(r.p99) })),
    };
    if (a.json) process.stdout.write(JSON.stringify(out) + '\n');
    else console.log(JSON.stringify(out, null, 2));
    await orm.close(true);
  } finally {
    await db.close();
  }
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
