/**
 * Exchange between two deployments (issue 13).
 *
 *   npm run bench -- exchange [--docs 400] [--concurrency 16] [--fanout 1000] [--kb 100] [--fast-concurrency 16]
 *
 * One embedded PostgreSQL (or DATABASE_URL) with two databases: the sender (demo province H27) and the
 * receiver (the second demo province H41), each served by its REAL API and worker processes
 * (`node --import tsx`, as `npm start` runs them), configured as each other's peers. Measured:
 *   1. throughput: `--docs` documents with a `--kb` kB file each, issued by `--concurrency` clients to one Sở of
 *      the receiver: documents delivered AND acknowledged per second (first issue → last DELIVERED), and p95
 *      from issue to status 01 at the sender (the receiver created its "chờ vào sổ" record and said so);
 *   2. fan-out: one document issued to `--fanout` agencies of one deployment (the sender's own, local
 *      transport): the issuing transaction, until every inbox row is acknowledged, until every recipient has
 *      its incoming record, until every status 01 is back at the sender;
 *   3. memory: peak RSS of each process (sampled every 200 ms); and the database transactions/s of the idle
 *      processes before any load (pg-boss polling: `--fast-concurrency` workers per fast job name);
 *   4. the peer, side by side: the same bytes POSTed to a bare node http server that inserts them into
 *      PostgreSQL (the floor of an HTTP + database hand-over on this machine).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import { PDFDocument } from 'pdf-lib';
import { loadConfig } from '../../server/src/config/config';
import { initOrm, migrate } from '../../server/src/db/orm';
import { bootstrap, type Runtime } from '../../server/src/runtime';
import { Scope } from '../../server/src/shared/scope';
import { Agency } from '../../server/src/modules/identity/entities/agency.entity';
import { generatePeerSecret } from '../../server/src/modules/exchange/http-auth';
import { putClaimed } from '../../server/src/modules/storage-gc/stored-objects';
import { seedDemo } from '../../server/src/seed/demo';
import { DEMO_PEER_AGENCIES } from '../../server/src/seed/demo-peer-data';
import { startProc, type Proc } from '../src/integration/crash-helpers';
import { createIssuedDocument } from '../src/support/exchange';
import { benchDatabase, benchLog, freePort, parseBenchArgs, percentile } from './lib/harness';

interface Args {
  docs: number;
  concurrency: number;
  fanout: number;
  kb: number;
  /** Seconds to wait for the fan-out before reporting how far it got. */
  fanoutTimeout: number;
  /** FAST_CONCURRENCY of the worker processes (pg-boss workers per fast job name, each polling every 0.5 s). */
  fastConcurrency: number;
}

const log = benchLog('exchange');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Side {
  name: string;
  url: string;
  dataDir: string;
  rt: Runtime;
  api?: Proc;
  worker?: Proc;
  env: NodeJS.ProcessEnv;
}

async function makeSide(baseUrl: string, name: string, agencies: 'primary' | 'peer', port: number, fastConcurrency: number): Promise<Side> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(baseUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const orm = await initOrm(url, 4);
  await migrate(orm);
  await seedDemo(new Scope(orm.em.fork(), null), agencies === 'peer' ? { agencies: DEMO_PEER_AGENCIES } : {});
  await orm.close();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `congvan-bench-${name}-`));
  fs.chmodSync(dataDir, 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: url,
    CONGVAN_DATA_DIR: dataDir,
    AUTH_SECRET: crypto.randomBytes(32).toString('hex'),
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SERVE_WEB: '0',
    LOG_LEVEL: 'warn',
    DATABASE_POOL_MAX: '10',
    FAST_CONCURRENCY: String(fastConcurrency),
    CONGVAN_DEMO: '0',
    METRICS_TOKEN: 'bench',
  };
  const config = loadConfig({ ...env, PORT: '0' } as NodeJS.ProcessEnv);
  const rt = await bootstrap(config, { queue: { supervise: false, schedule: false } });
  return { name, url: `http://127.0.0.1:${port}`, dataDir, rt, env };
}

function rssMb(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

async function issue(side: Side, from: Agency, to: { agency?: Agency; code?: string; name: string }[], bytes: Buffer, i: number): Promise<{ id: string; at: number }> {
  const s = await putClaimed(side.rt.services, bytes, { contentType: 'application/pdf' });
  const at = Date.now();
  const id = await new Scope(side.rt.orm.em.fork(), null).transaction(async (tx) => {
    const { doc } = await createIssuedDocument(tx, side.rt.services, {
      agency: from,
      number: i + 1,
      subject: `Đo liên thông số ${i}`,
      files: [s],
      fileName: () => `${i}.pdf`,
      recipients: to.map((r) => ({ agency: r.agency, agencyCode: r.code, name: r.name })),
    });
    return doc.id;
  });
  return { id, at };
}

/** A real (unsigned) PDF of about `kb` kB, unique per i (content-addressed storage would dedupe identical files). */
async function payload(kb: number, i: number): Promise<Buffer> {
  const d = await PDFDocument.create();
  d.addPage([595, 842]);
  d.setTitle(`Đo liên thông ${i}`);
  await d.attach(crypto.randomBytes(kb * 1024), 'phu-luc.bin', { mimeType: 'application/octet-stream' });
  return Buffer.from(await d.save());
}

/** Runs `task(0)` … `task(n - 1)`, `concurrency` at a time (each worker takes the next index when it is free). */
async function inParallel(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) await task(i);
    }),
  );
}

/** Random bytes of the same size as the package body (the peer's load). */
const rawPayload = (kb: number) => crypto.randomBytes(kb * 1024);

/** The peer: a bare node http server that inserts each body into PostgreSQL; returns docs/s for the same load. */
async function floor(dbUrl: string, a: Args): Promise<{ perSec: number; p95: number }> {
  const pool = new pg.Pool({ connectionString: dbUrl, max: 10 });
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_floor (id bigserial primary key, sha256 text, body bytea)`);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      pool
        .query(`INSERT INTO bench_floor (sha256, body) VALUES ($1, $2) RETURNING id`, [crypto.createHash('sha256').update(body).digest('hex'), body])
        .then((r) => res.end(JSON.stringify({ ack: String(r.rows[0].id) })))
        .catch(() => res.writeHead(500).end());
    });
  });
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  const agent = new http.Agent({ keepAlive: true, maxSockets: a.concurrency });
  const times: number[] = [];
  const t0 = Date.now();
  await inParallel(a.docs, a.concurrency, async () => {
    const body = rawPayload(Math.ceil(a.kb * 1.37)); // base64 in the edXML package: ~4/3 of the file
    const s = Date.now();
    await new Promise<void>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers: { 'content-length': body.length } }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end(body);
    });
    times.push(Date.now() - s);
  });
  const secs = (Date.now() - t0) / 1000;
  agent.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  await pool.end();
  times.sort((x, y) => x - y);
  return { perSec: a.docs / secs, p95: percentile(times, 95) };
}

export async function run(argv: string[]): Promise<void> {
  const a = parseBenchArgs<Args>(argv, { docs: 400, concurrency: 16, fanout: 1000, kb: 100, fanoutTimeout: 180, fastConcurrency: 16 });
  const db = await benchDatabase(log, { name: 'exchange', dataDir: null, settings: [['max_connections', '200']] });
  const sides: Side[] = [];
  let peak = { senderApi: 0, senderWorker: 0, receiverApi: 0, receiverWorker: 0 };
  let sampler: NodeJS.Timeout | undefined;
  try {
    const [pS, pR] = [await freePort(), await freePort()];
    const S = await makeSide(db.url, 'bench_sender', 'primary', pS, a.fastConcurrency);
    const R = await makeSide(db.url, 'bench_receiver', 'peer', pR, a.fastConcurrency);
    sides.push(S, R);
    const secret = generatePeerSecret();
    await S.rt.services.peers.upsertPeer(null, { code: '000.00.00.H41', name: 'UBND tỉnh Nghệ An', url: R.url, secret });
    await R.rt.services.peers.upsertPeer(null, { code: '000.00.00.H27', name: 'UBND tỉnh Bắc Ninh', url: S.url, secret });
    log('starting the API and worker processes of both deployments');
    [S.api, S.worker, R.api, R.worker] = await Promise.all([startProc('api', S.env), startProc('worker', S.env), startProc('api', R.env), startProc('worker', R.env)]);
    await S.rt.services.peers.syncAll();
    await R.rt.services.peers.syncAll();
    sampler = setInterval(() => {
      peak = {
        senderApi: Math.max(peak.senderApi, rssMb(S.api?.child.pid)),
        senderWorker: Math.max(peak.senderWorker, rssMb(S.worker?.child.pid)),
        receiverApi: Math.max(peak.receiverApi, rssMb(R.api?.child.pid)),
        receiverWorker: Math.max(peak.receiverWorker, rssMb(R.worker?.child.pid)),
      };
    }, 200);

    const emS = () => S.rt.orm.em.fork();
    // Profile: the database work of the idle processes (job polling), before any load.
    const xacts = async () =>
      Number((await emS().execute<{ n: string }[]>(`select sum(xact_commit + xact_rollback)::text as n from pg_stat_database where datname in ('bench_sender', 'bench_receiver')`))[0].n);
    await sleep(2000);
    const x0 = await xacts();
    await sleep(5000);
    const idleTps = ((await xacts()) - x0) / 5;

    const ubnd = await emS().findOneOrFail(Agency, { code: '000.00.00.H27' });
    const snv41 = { code: '000.00.02.H41', name: 'Sở Nội vụ tỉnh Nghệ An' };
    if (!(await S.rt.services.peers.route(snv41.code))) throw new Error(`${snv41.code} is not in the sender's directory`);

    // 1. Throughput and issue → 01.
    log(`issuing ${a.docs} documents of ${a.kb} kB to ${snv41.code} with ${a.concurrency} clients`);
    const issued: { id: string; at: number }[] = [];
    const t0 = Date.now();
    await inParallel(a.docs, a.concurrency, async (i) => {
      issued.push(await issue(S, ubnd, [snv41], await payload(a.kb, i), i));
    });
    const issueSecs = (Date.now() - t0) / 1000;
    const deadline = Date.now() + 600_000;
    for (;;) {
      const r = await emS().execute<{ delivered: string; ones: string; refused: string }[]>(
        `select count(*) filter (where state = 'DELIVERED' and kind = 'DOCUMENT') as delivered,
                (select count(*) from recipient where status_code is not null and agency_code = ?) as ones,
                (select count(*) from recipient where status_code = '02' and agency_code = ?) as refused
           from exchange_outbox`,
        [snv41.code, snv41.code],
      );
      if (Number(r[0].refused)) throw new Error(`the receiver refused ${r[0].refused} documents (status 02)`);
      if (Number(r[0].delivered) >= a.docs && Number(r[0].ones) >= a.docs) break;
      if (Date.now() > deadline) throw new Error(`not delivered in 10 minutes: ${JSON.stringify(r[0])}`);
      await sleep(100);
    }
    const rows = await emS().execute<{ document_id: string; delivered_at: Date; status_at: Date }[]>(
      `select o.document_id, o.delivered_at, r.status_at from exchange_outbox o join recipient r on r.document_id = o.document_id and r.agency_code = o.recipient_code where o.kind = 'DOCUMENT'`,
    );
    const byId = new Map(issued.map((x) => [x.id, x.at]));
    const lastDelivered = Math.max(...rows.map((r) => new Date(r.delivered_at).getTime()));
    const perSec = a.docs / ((lastDelivered - t0) / 1000);
    const toOne = rows.map((r) => new Date(r.status_at).getTime() - byId.get(r.document_id)!).sort((x, y) => x - y);
    const fmt = (n: number, d = 1) => n.toFixed(d);
    console.log('');
    console.log(`exchange between two deployments (${a.docs} documents of ${a.kb} kB, ${a.concurrency} issuing clients, FAST_CONCURRENCY ${a.fastConcurrency}, ${os.cpus().length} cores, load ${os.loadavg()[0].toFixed(1)})`);
    console.log(`  issued in ${fmt(issueSecs)} s; delivered + acknowledged: ${fmt(perSec)} docs/s (target ≥ 200)`);
    console.log(`  issue → 01 at the sender: p50 ${toOne[Math.floor(toOne.length / 2)]} ms, p95 ${percentile(toOne, 95)} ms, max ${toOne[toOne.length - 1]} ms`);

    // 2. Fan-out inside the sender's deployment: 1,000 agencies.
    log(`creating ${a.fanout} agencies and issuing one document to all of them`);
    await emS().execute(
      `insert into agency (id, code, name, abbr, place, parent_id, time_zone, active, operator, created_at)
       select gen_random_uuid(), format('%s.%s.99.H27', lpad((i / 100)::text, 3, '0'), lpad((i % 100)::text, 2, '0')), 'Cơ quan đo số ' || i, 'CQ' || i, 'Bắc Ninh', ?, 'Asia/Ho_Chi_Minh', true, false, now()
         from generate_series(1, ?) i`,
      [ubnd.id, a.fanout],
    );
    const targets = await emS().find(Agency, { name: { $like: 'Cơ quan đo số %' } });
    const fanPdf = await payload(a.kb, 999_999);
    const f0 = Date.now();
    const fan = await issue(S, ubnd, targets.map((t) => ({ agency: t, name: t.name })), fanPdf, 999_999);
    const issuedMs = Date.now() - f0;
    let reached = 0;
    let inboxAt = 0;
    for (;;) {
      const r = await emS().execute<{ n: string; inbox: string }[]>(
        `select (select count(*) from document where source_document_id = ? and direction = 'INCOMING') as n,
                (select count(*) from exchange_inbox i join exchange_outbox o on o.ack = i.id::text where o.document_id = ?) as inbox`,
        [fan.id, fan.id],
      );
      reached = Number(r[0].n);
      if (!inboxAt && Number(r[0].inbox) >= targets.length) inboxAt = Date.now();
      if (reached >= targets.length || Date.now() - f0 > a.fanoutTimeout * 1000) break;
      await sleep(50);
    }
    const fanSecs = (Date.now() - f0) / 1000;
    console.log(
      reached >= targets.length
        ? `  one document to ${targets.length} agencies of one deployment: every incoming record after ${fmt(fanSecs, 2)} s (target < 3 s)`
        : `  one document to ${targets.length} agencies of one deployment: only ${reached} incoming records after ${fmt(fanSecs, 0)} s (target: all within 3 s) — NOT MET`,
    );
    console.log(`    issuing transaction (${targets.length} recipients) ${issuedMs} ms; every inbox row (acknowledged) after ${inboxAt ? `${inboxAt - f0} ms` : '—'}`);
    let ones = 0;
    for (;;) {
      const r = await emS().execute<{ n: string }[]>(`select count(*) as n from recipient where document_id = ? and status_code = '01'`, [fan.id]);
      ones = Number(r[0].n);
      if (ones >= targets.length || Date.now() - f0 > a.fanoutTimeout * 1000) break;
      await sleep(200);
    }
    console.log(`    status 01 back at the sender from ${ones} of ${targets.length} recipients after ${fmt((Date.now() - f0) / 1000, 1)} s`);
    if (sampler) clearInterval(sampler);

    // 4. The peer.
    log('the peer: bare HTTP POST of the same bytes into PostgreSQL');
    const peer = await floor(db.url, a);

    console.log(`  database transactions/s of the four idle processes (job polling, before any load): ${fmt(idleTps, 0)}`);
    console.log(`  peak RSS: sender API ${fmt(peak.senderApi, 0)} MB, sender workers ${fmt(peak.senderWorker, 0)} MB, receiver API ${fmt(peak.receiverApi, 0)} MB, receiver workers ${fmt(peak.receiverWorker, 0)} MB`);
    console.log(`  peer (bare HTTP POST → INSERT, same bytes ×4/3, same clients): ${fmt(peer.perSec)} docs/s, p95 ${peer.p95} ms → exchange / peer = ${fmt(perSec / peer.perSec, 2)}`);
  } finally {
    if (sampler) clearInterval(sampler);
    for (const s of sides) {
      await Promise.all([s.api?.stop(), s.worker?.stop()]);
      await s.rt.close();
      fs.rmSync(s.dataDir, { recursive: true, force: true });
    }
    await db.close();
  }
}
