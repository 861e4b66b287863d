/**
 * Search end to end with the real workers: a paper document registered with an image-only scan is indexed at
 * registration (fields only), digitised by the real OCR pipeline, and the OCR completion queues `search.index`
 * again, so words that are only in the scan's text — here on its second page — are found, with that page.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startJobWorkers } from '../../../server/src/jobs/worker';
import { allJobs } from '../../../server/src/jobs';
import { createOcrEngine } from '../../../workers/src/ocr/engine-adapter';
import { SEARCH_INDEX_JOB } from '../../../server/src/modules/search/search.jobs';
import { startTestServer, type TestServer } from '../support/server';
import { SCANS_DIR } from '../../fixtures';
import { until } from '../support/until';

jest.setTimeout(180_000);

describe('search over OCR text (real queue, real tesseract.js)', () => {
  let s: TestServer;
  let engine: ReturnType<typeof createOcrEngine>;
  beforeAll(async () => {
    s = await startTestServer({ env: { OCR_CONCURRENCY: '2' } });
    engine = createOcrEngine({ concurrency: 2, dataDir: s.runtime.dataDir });
    await startJobWorkers(s.runtime.rt.services, { ocr: engine }, allJobs);
  });
  afterAll(async () => {
    await s?.stop();
    await engine?.close();
  });

  it('finds the words of page 2 of a scan once its OCR is done, with page 2', async () => {
    const t = s.runtime;
    const doc = await t.rt.services.incoming.registerIncoming(await t.as('vanthu'), {
      issuerName: 'Ban Chỉ đạo cải cách hành chính huyện Đông Anh',
      symbol: '03/KH-BCĐ',
      typeCode: 'KH',
      subject: 'Tuyên truyền cải cách hành chính năm 2015',
      issuedDate: '2015-04-24',
      files: [new File([new Uint8Array(fs.readFileSync(path.join(SCANS_DIR, 'dev01.pdf')))], 'ke-hoach.pdf', { type: 'application/pdf' })],
    } as never);
    const em = () => t.rt.orm.em.fork();
    // "vướng mắc … phản ánh" is in the body of the scan only (page 2), not in any field
    const query = 'vuong mac phan anh';
    const found = await until(
      `the scan's OCR text found by "${query}"`,
      async () => t.rt.services.search.search(await t.as('vanthu'), { query }),
      (r) => r.mode === 'FULL_TEXT' && r.edges.length > 0,
      120_000,
    );
    expect(found.edges.map((e) => e.node.document.id)).toEqual([doc.id]);
    expect(found!.edges[0].node.page).toBe(2);
    expect(found!.edges[0].node.snippets.join(' ')).toMatch(/<mark>vướng<\/mark> <mark>mắc<\/mark>/);
    // indexed twice: at registration, and again when the OCR finished
    const jobs = await em().execute<{ n: number }[]>(`select count(*)::int as n from pgboss.job where name = ? and data->>'documentId' = ?`, [SEARCH_INDEX_JOB, doc.id]);
    expect(jobs[0].n).toBeGreaterThanOrEqual(2);
    // other people of the agency who may not read it find nothing
    expect((await t.rt.services.search.search(await t.as('chuyenvien'), { query })).edges).toEqual([]);
  });
});
