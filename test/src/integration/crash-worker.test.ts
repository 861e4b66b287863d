/**
 * Crash test of the worker process (real processes, real PostgreSQL, real tesseract.js): kill -9 the worker
 * in the middle of a multi-page OCR. The page it was reading comes back through pg-boss's retry once its
 * lease runs out (not after the queue's one-hour expiry), and the digitisation finishes with every page read
 * once and counted once. (Issue "Trust" — nothing stays stuck; finding 2: a scan sat in RUNNING 6/8.)
 */
import { PDFDocument } from 'pdf-lib';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { loginToken } from '../support/gql';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { fixture, freePort, integrity, processes, registerWithFile } from './crash-helpers';
import { until } from '../support/until';

jest.setTimeout(240_000);

/** A 4-page image-only PDF made of the two pages of a fixture scan (p1, p2, p1, p2). */
async function fourPagePdf(): Promise<Buffer> {
  const src = await PDFDocument.load(fixture('dev01.pdf'));
  const out = await PDFDocument.create();
  for (const p of await out.copyPages(src, [0, 1, 0, 1])) out.addPage(p);
  return Buffer.from(await out.save());
}

describe('kill -9 of the worker process during a multi-page OCR', () => {
  let t: TestRuntime;
  const { start, killAll } = processes(() => t);

  beforeAll(async () => {
    t = await createTestRuntime();
  });
  afterAll(async () => {
    await killAll();
    await t?.close();
  });

  it('the page being read when the worker died is retried by pg-boss, and the OCR finishes with each page counted once', async () => {
    const em = () => t.system().em;
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    await start('api', { PORT: String(port), PUBLIC_URL: url });
    // One page at a time, so that the kill lands between pages: some read, one being read, some queued. A 9 s lease
    // and maintenance every 2 s (production: 30 s and 10 s) so that the dead worker's page comes back sooner; what
    // brings it back is the same.
    const workerEnv = { OCR_CONCURRENCY: '1', FAST_CONCURRENCY: '2', JOB_LEASE_SECONDS: '9', JOB_MAINTENANCE_SECONDS: '2' };
    const worker = await start('worker', workerEnv);
    const token = await loginToken(url, 'vanthu');
    const reg = await registerWithFile(url, token, { issuerName: 'UBND huyện Lương Tài', subject: 'Crash test W: bản quét bốn trang', typeName: 'Kế hoạch' }, { bytes: await fourPagePdf(), name: 'bon-trang.pdf', type: 'application/pdf' });
    expect(reg.errors).toBeUndefined();
    const [{ sha256 }] = await em().execute<{ sha256: string }[]>(`select f.sha256 from document_file f where f.document_id = ?`, [reg.data!.registerIncoming.id]);

    const activePage = async () =>
      (await em().execute<{ id: string; index: number }[]>(`select id, (data->>'index')::int as index from pgboss.job where name = 'ocr.page' and state = 'active' and data->>'sha256' = ?`, [sha256]))[0] ?? null;
    const pagesDone = async () => (await em().execute<{ n: number }[]>(`select count(*)::int as n from ocr_page where sha256 = ? and status = 'DONE'`, [sha256]))[0].n;
    // Mid-OCR: at least one page read and another one being read.
    await until('a page read and the next one being read', async () => (await pagesDone()) >= 1 && (await activePage()) !== null, 150_000);
    const killed = (await activePage())!;
    await worker.kill9();
    const doneAtKill = await pagesDone();

    const [mid] = await em().execute<{ status: string; pages_total: number; pages_done: number }[]>(`select status, pages_total, pages_done from ocr_result where sha256 = ?`, [sha256]);
    expect(mid).toMatchObject({ status: 'RUNNING', pages_total: 4 });
    expect(mid.pages_done).toBeLessThan(4);
    // The dead worker's page job is still "active" in pg-boss: only its lease (renewed by a live worker) says otherwise.
    expect((await em().execute<{ state: string }[]>(`select state from pgboss.job where id = ?`, [killed.id]))[0].state).toBe('active');

    const restartedAt = Date.now();
    await start('worker', workerEnv);
    await until('OCR DONE after the restart', async () => (await em().execute<{ status: string }[]>(`select status from ocr_result where sha256 = ?`, [sha256]))[0].status === 'DONE', 180_000);
    const secondsToDone = Math.round((Date.now() - restartedAt) / 1000); // a figure for the report, not asserted

    const [done] = await em().execute<{ pages_total: number; pages_done: number; text: string }[]>(`select pages_total, pages_done, text from ocr_result where sha256 = ?`, [sha256]);
    expect(done.pages_total).toBe(4);
    expect(done.pages_done).toBe(4); // each page counted once, the retried one included
    expect(done.text).toMatch(/CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
    const pages = await em().execute<{ page_index: number; status: string }[]>(`select page_index, status from ocr_page where sha256 = ? order by page_index`, [sha256]);
    expect(pages).toEqual([0, 1, 2, 3].map((i) => ({ page_index: i, status: 'DONE' })));
    // The killed page went through pg-boss's retry (same job, retry count honoured), not a job of ours.
    const [job] = await em().execute<{ state: string; retry_count: number }[]>(`select state, retry_count from pgboss.job where id = ?`, [killed.id]);
    expect(job.state).toBe('completed');
    expect(job.retry_count).toBeGreaterThanOrEqual(1);
    const pageJobs = await em().execute<{ n: number }[]>(`select count(*)::int as n from pgboss.job where name = 'ocr.page' and data->>'sha256' = ?`, [sha256]);
    expect(pageJobs[0].n).toBe(4);
    const runs = await em().execute<{ n: number }[]>(`select count(*)::int as n from audit_event where action = 'ocr.done' and data->>'sha256' = ?`, [sha256]);
    expect(runs[0].n).toBe(1);
    const agencyId = (await em().findOneOrFail(Agency, { code: '000.00.00.H27' })).id;
    const check = await integrity(t, agencyId, 'Crash test W:');
    console.log(JSON.stringify({ secondsFromRestartToDone: secondsToDone, pagesTotal: 4, pagesDoneAtKill: doneAtKill, killedPage: killed.index, retryCount: job.retry_count, ocr: check.ocr }));
    expect(check).toMatchObject({ documents: 1, gaps: [], duplicates: [], documentsWithoutFiles: 0, filesWithoutObject: 0, ocr: { DONE: 1 } });
  });
});
