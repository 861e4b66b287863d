/**
 * Digitisation through the real queue: upload → ocr.prepare → one ocr.page job per page → ocr.assemble,
 * with live progress over SSE, input problems ending in FAILED, and the sweeper re-queueing a
 * digitisation left without a job.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startJobWorkers } from '../../../server/src/jobs/worker';
import { allJobs } from '../../../server/src/jobs';
import { createOcrEngine } from '../../../workers/src/ocr/engine-adapter';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';
import { SCANS_DIR } from '../../fixtures';
import { sweepOcr } from '../../../server/src/modules/ocr/ocr.jobs';
import { headerCrop } from './crash-helpers';
import { openSubscription, type StreamEvent } from '../support/sse';
import { until } from '../support/until';

const SCANS = SCANS_DIR;

/** Uploads a file with the GraphQL multipart request spec. */
async function upload(url: string, token: string, file: Buffer, name: string): Promise<{ data?: { uploadScan: { id: string } }; errors?: { extensions: { code: string; field?: string } }[] }> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: 'mutation($f: Upload!){ uploadScan(file: $f){ id } }', variables: { f: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.f'] }));
  form.append('0', new Blob([new Uint8Array(file)]), name);
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return (await res.json()) as never;
}

/** Collects ocrProgress events (SSE) until a final state arrives. */
async function progress(url: string, token: string, fileId: string, signal: AbortSignal): Promise<{ status: string; pagesDone: number; pagesTotal: number | null }[]> {
  type Progress = { status: string; pagesDone: number; pagesTotal: number | null };
  const of = (e: StreamEvent) => e.data?.ocrProgress as Progress;
  const stream = openSubscription(url, 'subscription($id: ID!){ ocrProgress(fileId: $id){ status pagesDone pagesTotal error } }', { id: fileId }, token, signal);
  const { events } = await stream.read((ev) => ev.some((e) => ['DONE', 'FAILED'].includes(of(e)?.status)));
  await stream.close();
  const out = events.map(of);
  const last = out.findIndex((p) => p?.status === 'DONE' || p?.status === 'FAILED');
  return last >= 0 ? out.slice(0, last + 1) : out;
}

const SCAN_Q = `query($id: ID!){ scan(id: $id){ id fileName ocr { status kind pagesTotal pagesDone errorCode error searchablePdfUrl thumbnailUrl text fields } } }`;
type ScanR = { scan: { ocr: { status: string; kind: string; pagesTotal: number; pagesDone: number; errorCode: string | null; error: string | null; searchablePdfUrl: string | null; thumbnailUrl: string | null; text: string | null; fields: Record<string, { value: unknown }> } } };

describe('digitisation through the queue: upload → per-page OCR jobs → searchable PDF and fields (real tesseract.js)', () => {
  let s: TestServer;
  let engine: ReturnType<typeof createOcrEngine>;
  let token: string;
  beforeAll(async () => {
    s = await startTestServer({ env: { OCR_CONCURRENCY: '2' } });
    engine = createOcrEngine({ concurrency: 2, dataDir: s.runtime.dataDir });
    await startJobWorkers(s.runtime.rt.services, { ocr: engine }, allJobs);
    token = await loginToken(s.url, 'vanthu');
  }, 120_000);
  afterAll(async () => {
    await s?.stop();
    await engine?.close();
  });

  it('digitises a two-page image-only PDF page by page with live progress, then registration uses it', async () => {
    const ac = new AbortController();
    const up = await upload(s.url, token, fs.readFileSync(path.join(SCANS, 'dev01.pdf')), 'Kế hoạch quét.pdf');
    expect(up.errors).toBeUndefined();
    const id = up.data!.uploadScan.id;
    const events = await progress(s.url, token, id, ac.signal);
    expect(events.at(-1)!.status).toBe('DONE');
    expect(events.some((e) => e.status === 'RUNNING' && e.pagesDone === 1 && e.pagesTotal === 2)).toBe(true);

    const r = await gql<ScanR>(s.url, SCAN_Q, { id }, { token });
    expect(r.errors).toBeUndefined();
    const ocr = r.data!.scan.ocr;
    expect(ocr).toMatchObject({ status: 'DONE', kind: 'pdf', pagesTotal: 2, pagesDone: 2, errorCode: null });
    const truth = JSON.parse(fs.readFileSync(path.join(SCANS, 'dev01.json'), 'utf8')) as { symbol: string; issuedDate: string };
    expect(ocr.fields.symbol.value).toBe(truth.symbol);
    expect(ocr.fields.issuedDate.value).toBe(truth.issuedDate);
    expect(ocr.text).toMatch(/CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);

    // The searchable PDF: the page images with a text layer that a PDF viewer can select.
    const pdf = Buffer.from(await (await fetch(ocr.searchablePdfUrl!)).arrayBuffer());
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const tmp = path.join(os.tmpdir(), `cv-ocr-${process.pid}.pdf`);
    fs.writeFileSync(tmp, pdf);
    const layer = execFileSync('pdftotext', ['-enc', 'UTF-8', tmp, '-']).toString('utf8'); // poppler-utils (.ci/run installs it)
    fs.rmSync(tmp);
    expect(layer).toMatch(/Độc lập/);
    expect((await fetch(ocr.thumbnailUrl!)).headers.get('content-type')).toBe('image/jpeg');

    // Registration with the digitised scan: the document's file shows the same result.
    const reg = await gql<{ registerIncoming: { files: { kind: string; ocr: { status: string; fields: { symbol: { value: string } } } }[] } }>(
      s.url,
      'mutation($i: RegisterIncomingInput!){ registerIncoming(input: $i){ files { kind ocr { status fields } } } }',
      { i: { issuerName: 'UBND huyện Lương Tài', symbol: truth.symbol, issuedDate: truth.issuedDate, typeName: 'Kế hoạch', subject: 'Kế hoạch thử nghiệm số hóa', fileIds: [id] } },
      { token },
    );
    expect(reg.errors).toBeUndefined();
    expect(reg.data!.registerIncoming.files[0]).toMatchObject({ kind: 'MAIN', ocr: { status: 'DONE', fields: { symbol: { value: truth.symbol } } } });
    ac.abort();
  }, 300_000);

  it('a corrupt PDF ends FAILED with the reason, keeps the original, and the worker goes on serving', async () => {
    const good = fs.readFileSync(path.join(SCANS, 'dev03.pdf'));
    const truncated = good.subarray(0, Math.floor(good.length / 3));
    const bad = await upload(s.url, token, truncated, 'hong.pdf');
    expect(bad.errors).toBeUndefined();
    const badId = bad.data!.uploadScan.id;
    // A file whose name says PDF but whose bytes are not: refused at upload, nothing stored.
    const liar = await upload(s.url, token, Buffer.from('this is not a pdf at all'), 'gia-mao.pdf');
    expect(liar.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });

    const ac = new AbortController();
    const events = await progress(s.url, token, badId, ac.signal);
    expect(events.at(-1)!.status).toBe('FAILED');
    const r = await gql<ScanR & { scan: { url: string } }>(s.url, `query($id: ID!){ scan(id: $id){ url ocr { status errorCode error } } }`, { id: badId }, { token });
    expect(r.data!.scan.ocr.status).toBe('FAILED');
    expect(r.data!.scan.ocr.errorCode).toMatch(/CORRUPT_PDF|EMPTY_PDF/);
    expect(r.data!.scan.ocr.error).toMatch(/PDF/);
    const original = Buffer.from(await (await fetch(r.data!.scan.url)).arrayBuffer());
    expect(original.equals(truncated)).toBe(true);

    // Another agency cannot see the scan or follow its progress.
    const other = await loginToken(s.url, 'snv.vanthu');
    const denied = await gql(s.url, SCAN_Q, { id: badId }, { token: other });
    expect(denied.errors![0].extensions!.code).toBe('NOT_FOUND');

    // The worker still serves: the same good scan twice is digitised once (same sha256).
    const first = await upload(s.url, token, good, 'a.pdf');
    const second = await upload(s.url, token, good, 'b.pdf');
    const e2 = await progress(s.url, token, first.data!.uploadScan.id, ac.signal);
    expect(e2.at(-1)!.status).toBe('DONE');
    const r2 = await gql<ScanR>(s.url, SCAN_Q, { id: second.data!.uploadScan.id }, { token });
    expect(r2.data!.scan.ocr.status).toBe('DONE');
    const runs = await s.runtime.rt.orm.em.fork().getConnection().execute<{ n: string }[]>(`select count(*)::text as n from audit_event where action = 'ocr.done'`);
    expect(Number(runs[0].n)).toBe(2); // dev01 and dev03, each once
    ac.abort();
  }, 300_000);

  it('the sweeper re-queues a digitisation left PENDING without a job, but not one whose retries are exhausted', async () => {
    const { services } = s.runtime.rt;
    const em = () => s.runtime.rt.orm.em.fork();
    const scope = () => s.runtime.system();
    // A scan whose job was lost (as after-commit sends could lose them): PENDING, old enough, no job at all.
    const lost = await services.storage.put(await headerCrop(7), { contentType: 'image/jpeg' });
    // And one whose job pg-boss gave up on (retries exhausted): its dead-letter handler decides, not the sweeper.
    const given = await services.storage.put(await headerCrop(8), { contentType: 'image/jpeg' });
    for (const o of [lost, given])
      await em().execute(`insert into ocr_result (sha256, storage_key, status, created_at) values (?, ?, 'PENDING', now() - interval '5 minutes')`, [o.sha256, o.key]);
    await scope().transaction(async (tx) => {
      const id = await tx.enqueue({ name: 'ocr.prepare' }, { sha256: given.sha256 });
      await tx.em.execute(`update pgboss.job set state = 'failed', completed_on = now() where id = ?`, [id]);
    });

    const swept = await sweepOcr({ newScope: scope });
    expect(swept.requeued).toEqual([lost.sha256]);
    const status = async (sha: string) => (await em().execute<{ status: string }[]>(`select status from ocr_result where sha256 = ?`, [sha]))[0].status;
    await until('the requeued OCR done', () => status(lost.sha256), (st) => st === 'DONE', 120_000);
    expect(await status(given.sha256)).toBe('PENDING');
    // A second sweep finds nothing to do (the first one's job exists or is done).
    expect((await sweepOcr({ newScope: scope })).requeued).toEqual([]);
    const audits = await em().execute<{ n: string }[]>(`select count(*)::text as n from audit_event where action = 'ocr.requeue'`);
    expect(Number(audits[0].n)).toBe(1);
  }, 180_000);
});
