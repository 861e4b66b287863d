/**
 * Faults between two deployments (issue 13 "Faults to survive"): UBND tỉnh Bắc Ninh (sender, H27) and UBND
 * tỉnh Nghệ An (receiver, H41), each with its own database and its REAL API and worker processes
 * (`node --import tsx`, as `npm start` runs them). While N documents are issued to two Sở of H41 and then
 * registered there (status 03 back), the sender's and receiver's API and worker processes are killed with
 * SIGKILL at random moments and restarted, and the receiver's API stays down for a while. Afterwards:
 * every document is at the receiver exactly once per recipient with identical files (sha256), and every status
 * (01, 03) reached the sender exactly once. Hostile requests through the endpoint: exchange-http.test.ts.
 *
 * Seeded randomness (EXCHANGE_FAULTS_SEED) so that a failing run can be repeated; N = EXCHANGE_FAULTS_N.
 */
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { generatePeerSecret } from '../../../server/src/modules/exchange/http-auth';
import { putClaimed } from '../../../server/src/modules/storage-gc/stored-objects';
import { seedDemo } from '../../../server/src/seed/demo';
import { DEMO_PEER_AGENCIES } from '../../../server/src/seed/demo-peer-data';
import { createIssuedDocument } from '../support/exchange';
import { taggedPdf } from '../support/pdf';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { freePort, procEnv, startProc, type Proc } from './crash-helpers';
import { until } from '../support/until';

jest.setTimeout(420_000);

const N = Number(process.env.EXCHANGE_FAULTS_N ?? 10);
let seed = Number(process.env.EXCHANGE_FAULTS_SEED ?? Date.now() % 100_000);
const SEED = seed;
const rand = () => {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
  return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const RECIPIENTS = ['000.00.02.H41', '000.00.03.H41'];

type Name = 'senderApi' | 'senderWorker' | 'receiverApi' | 'receiverWorker';
let tS: TestRuntime;
let tR: TestRuntime;
const procs: Partial<Record<Name, Proc>> = {};
const envs: Partial<Record<Name, NodeJS.ProcessEnv>> = {};
const kills: Record<Name, number> = { senderApi: 0, senderWorker: 0, receiverApi: 0, receiverWorker: 0 };
const kindOf = (n: Name) => (n.endsWith('Api') ? 'api' : 'worker') as 'api' | 'worker';
let ubnd: Agency;

const pdf = taggedPdf;

/** An ISSUED document of UBND tỉnh Bắc Ninh to the two Sở of Nghệ An, queued as the issuing transaction does. */
async function issue(i: number): Promise<{ id: string; sha: string[] }> {
  const files = [await pdf(`faults-${SEED}-${i}-main`), await pdf(`faults-${SEED}-${i}-annex`)];
  const stored: { key: string; sha256: string; size: number }[] = [];
  for (const f of files) stored.push(await putClaimed(tS.rt.services, f, { contentType: 'application/pdf' }));
  return tS.system().transaction(async (tx) => {
    const { doc } = await createIssuedDocument(tx, tS.rt.services, {
      agency: ubnd,
      number: 8000 + i,
      subject: `Liên thông chịu lỗi ${SEED} số ${i}`,
      files: stored,
      fileName: (k) => `${i}-${k}.pdf`,
      recipients: RECIPIENTS.map((code) => ({ agencyCode: code, name: DEMO_PEER_AGENCIES.find((a) => a.code === code)!.name })),
    });
    return { id: doc.id, sha: stored.map((s) => s.sha256) };
  });
}

async function restart(n: Name): Promise<void> {
  procs[n] = await startProc(kindOf(n), envs[n]!);
}

async function kill(n: Name, downMs: number): Promise<void> {
  await procs[n]!.kill9();
  kills[n]++;
  await sleep(downMs);
  await restart(n);
}

beforeAll(async () => {
  [tS, tR] = await Promise.all([createTestRuntime(), createTestRuntime({ demo: false })]);
  await seedDemo(tR.system(), { agencies: DEMO_PEER_AGENCIES });
  ubnd = await tS.rt.orm.em.fork().findOneOrFail(Agency, { code: '000.00.00.H27' });
  const [portS, portR] = [await freePort(), await freePort()];
  const secret = generatePeerSecret();
  await tS.rt.services.peers.upsertPeer(null, { code: '000.00.00.H41', name: 'UBND tỉnh Nghệ An', url: `http://127.0.0.1:${portR}`, secret });
  await tR.rt.services.peers.upsertPeer(null, { code: '000.00.00.H27', name: 'UBND tỉnh Bắc Ninh', url: `http://127.0.0.1:${portS}`, secret });
  // shorter leases than production's (send 120 s, job 30 s, maintenance every 10 s): a killed process's work comes
  // back sooner, by the same way
  const common = { CONGVAN_EXCHANGE_LEASE_SECONDS: '15', JOB_LEASE_SECONDS: '9', JOB_MAINTENANCE_SECONDS: '2', FAST_CONCURRENCY: '4' };
  envs.senderApi = procEnv(tS, { ...common, PORT: String(portS), PUBLIC_URL: `http://127.0.0.1:${portS}` });
  envs.senderWorker = procEnv(tS, common);
  envs.receiverApi = procEnv(tR, { ...common, PORT: String(portR), PUBLIC_URL: `http://127.0.0.1:${portR}` });
  envs.receiverWorker = procEnv(tR, common);
  await Promise.all((['senderApi', 'senderWorker', 'receiverApi', 'receiverWorker'] as Name[]).map(restart));
  const s = await tS.rt.services.peers.syncAll();
  const r = await tR.rt.services.peers.syncAll();
  expect([s.peers[0].error, r.peers[0].error]).toEqual([null, null]);
}, 240_000);

afterAll(async () => {
  await Promise.all(Object.values(procs).map((p) => p?.stop()));
  await tS?.close();
  await tR?.close();
});

it(`N documents and their statuses survive SIGKILLs of both sides' API and worker processes and a receiver outage`, async () => {
  const t0 = Date.now();
  const sent: { id: string; sha: string[] }[] = [];
  // Phase 1: issue while processes die, and keep killing while the documents travel (at most 8 kills). The
  // receiver's API is down for 6 s at one moment.
  let issuing = true;
  const applied = async () =>
    Number((await tR.rt.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from exchange_inbox where kind = 'DOCUMENT' and state = 'APPLIED'`))[0].n);
  const totalKills = () => Object.values(kills).reduce((a, b) => a + b, 0);
  const chaos = (async () => {
    // The receiver is down while the first documents are sent: they wait in the outbox and are retried.
    await kill('receiverApi', 6000);
    let long = true;
    while (issuing || (totalKills() < 8 && (await applied()) < N * RECIPIENTS.length)) {
      await sleep(300 + rand() * 1200);
      const victims: Name[] = ['senderWorker', 'receiverApi', 'receiverWorker', 'senderApi'];
      const v = victims[Math.floor(rand() * victims.length)];
      const down = v === 'receiverApi' && !long ? ((long = true), 6000) : rand() * 400;
      await kill(v, down);
    }
    if (!long) await kill('receiverApi', 6000);
  })();
  for (let i = 0; i < N; i++) {
    sent.push(await issue(i));
    await sleep(rand() * 400);
  }
  issuing = false;
  await chaos;

  // Phase 2: wait for the incoming records; then register them all at the receiver (status 03) while the
  // receiver's worker and the sender's API die once more.
  const incoming = async () =>
    tR.rt.orm.em.fork().execute<{ id: string; code: string; source: string }[]>(
      `select d.id, a.code, i.edxml_document_id as source from exchange_inbox i join document d on d.id = i.applied_document_id join agency a on a.id = d.agency_id
        where i.kind = 'DOCUMENT' and i.state = 'APPLIED'`,
    );
  await until('every document at the receiver', async () => (await incoming()).length >= N * RECIPIENTS.length, 240_000);
  const registering = (async () => {
    for (const row of await incoming()) {
      const user = row.code === RECIPIENTS[0] ? 'snv.vanthu' : 'stc.vanthu';
      await tR.rt.services.incoming.registerIncoming(await tR.as(user), { documentId: row.id });
    }
  })();
  await kill('receiverWorker', 200);
  await kill('senderApi', 1500);
  await registering;

  // Phase 3: everything up; wait until both outboxes are drained and every 03 arrived.
  const drained = async () => {
    const [s, r] = await Promise.all([
      tS.rt.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from exchange_outbox where state <> 'DELIVERED'`),
      tR.rt.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from exchange_outbox where state <> 'DELIVERED'`),
    ]);
    return s[0].n === '0' && r[0].n === '0';
  };
  await until('both outboxes drained and every 03 back', async () => {
    if (!(await drained())) return false;
    const rows = await tS.rt.orm.em.fork().execute<{ n: string }[]>(`select count(*) as n from recipient r join document d on d.id = r.document_id where d.subject like ? and r.status_code = '03'`, [`Liên thông chịu lỗi ${SEED} %`]);
    return Number(rows[0].n) === N * RECIPIENTS.length;
  }, 300_000);

  // Every document exactly once per recipient at the receiver, with identical files.
  const emR = tR.rt.orm.em.fork();
  const inboxDocs = await emR.execute<{ edxml_document_id: string; recipient_code: string; n: string }[]>(
    `select edxml_document_id, recipient_code, count(*) as n from exchange_inbox where kind = 'DOCUMENT' group by 1, 2`,
  );
  expect(inboxDocs).toHaveLength(N * RECIPIENTS.length);
  expect(inboxDocs.every((r) => r.n === '1')).toBe(true);
  const records = await emR.execute<{ agency: string; subject: string; n: string }[]>(
    `select a.code as agency, d.subject, count(*) as n from document d join agency a on a.id = d.agency_id where d.direction = 'INCOMING' group by 1, 2`,
  );
  expect(records).toHaveLength(N * RECIPIENTS.length);
  expect(records.every((r) => r.n === '1')).toBe(true);
  let filesChecked = 0;
  for (const s of sent) {
    const subject = `Liên thông chịu lỗi ${SEED} số ${sent.indexOf(s)}`;
    for (const code of RECIPIENTS) {
      const shas = await emR.execute<{ sha256: string }[]>(
        `select f.sha256 from document_file f join document d on d.id = f.document_id join agency a on a.id = d.agency_id where a.code = ? and d.subject = ? order by f.sha256`,
        [code, subject],
      );
      expect(shas.map((x) => x.sha256)).toEqual([...s.sha].sort());
      filesChecked += shas.length;
    }
  }

  // Every status exactly once at the sender: one inbox row and one recipient-status event per (doc, recipient, code).
  const emS = tS.rt.orm.em.fork();
  const statusRows = await emS.execute<{ status_code: string; n: string; dup: string }[]>(
    `select status_code, count(*) as n, count(*) - count(distinct (edxml_document_id, sender_code)) as dup from exchange_inbox where kind = 'STATUS' group by 1 order by 1`,
  );
  expect(statusRows.map((r) => [r.status_code, Number(r.n), Number(r.dup)])).toEqual([
    ['01', N * RECIPIENTS.length, 0],
    ['03', N * RECIPIENTS.length, 0],
  ]);
  const events = await emS.execute<{ n: string; distinct_n: string }[]>(
    `select count(*) as n, count(distinct (target_id, data->>'recipientCode', data->>'statusCode')) as distinct_n from audit_event where action = 'document.recipient_status'
      and target_id in (select id from document where subject like ?)`,
    [`Liên thông chịu lỗi ${SEED} %`],
  );
  expect(Number(events[0].n)).toBe(2 * N * RECIPIENTS.length);
  expect(events[0].distinct_n).toBe(events[0].n);

  const attempts = await emS.execute<{ total: string; max: string }[]>(`select sum(attempts) as total, max(attempts) as max from exchange_outbox`);
  const attemptsR = await emR.execute<{ total: string; max: string }[]>(`select sum(attempts) as total, max(attempts) as max from exchange_outbox`);
  console.log(
    `exchange faults (seed ${SEED}): ${N} documents × ${RECIPIENTS.length} recipients = ${N * RECIPIENTS.length} deliveries, ${filesChecked} files identical (sha256); ` +
      `statuses at the sender: ${statusRows.map((r) => `${r.status_code}×${r.n}`).join(', ')} (0 duplicates); kills: ${JSON.stringify(kills)}; ` +
      `send attempts: sender ${attempts[0].total} for ${N * RECIPIENTS.length} documents (max ${attempts[0].max}), receiver ${attemptsR[0].total} for ${2 * N * RECIPIENTS.length} statuses (max ${attemptsR[0].max}); ${((Date.now() - t0) / 1000).toFixed(0)} s`,
  );
});
