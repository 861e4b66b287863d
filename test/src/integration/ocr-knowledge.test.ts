/**
 * Production wiring of what the deployment teaches the OCR (issue 14): the worker's OCR engine
 * (workers/src/ocr-worker.ts, as workers/src/main.ts starts it) learns the language model from the deployment's
 * born-digital text and the directory of agencies and people from its database, at start and on refresh, and a
 * scan digitised through the real queue (ocr.prepare → ocr.page → ocr.assemble) takes the directory's spelling of
 * its issuer: the scan prints "ỦY BAN NHÂN DÂN TỈNH BẮC NINH", the demo province's agency is written
 * "Ủy ban nhân dân tỉnh Bắc Ninh".
 */
import fs from 'node:fs';
import path from 'node:path';
import { startJobWorkers } from '../../../server/src/jobs/worker';
import { allJobs } from '../../../server/src/jobs';
import { startWorkerOcrEngine, type WorkerOcrEngine } from '../../../workers/src/ocr-worker';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { SCANS_DIR } from '../../fixtures';

jest.setTimeout(300_000);

describe('OCR knowledge from the deployment (real queue, real OCR engine)', () => {
  let t: TestRuntime;
  let w: WorkerOcrEngine;
  beforeAll(async () => {
    t = await createTestRuntime({ env: { OCR_CONCURRENCY: '2' } });
    w = await startWorkerOcrEngine(t.rt, t.config);
    await startJobWorkers(t.rt.services, { ocr: w.engine }, allJobs);
  });
  afterAll(async () => {
    await t?.close();
    await w?.close();
  });

  it('the worker engine starts with the language model and directory of the seeded deployment, and refreshes them', async () => {
    const em = t.rt.orm.em.fork();
    const [{ users }] = await em.execute<{ users: number }[]>(`select count(distinct full_name)::int as users from app_user where active`);
    expect(w.knowledge).not.toBeNull();
    expect(w.knowledge!.people).toBeGreaterThanOrEqual(users);
    expect(w.knowledge!.agencies).toBeGreaterThan(5);
    const k = w.engine.pool.knowledge();
    expect(k.directory!.agencies).toContain('Ủy ban nhân dân tỉnh Bắc Ninh');
    expect(k.lm!.lm.uni.size).toBeGreaterThan(5000); // the word list

    // a new register entry (its trích yếu typed by the văn thư) is learnt on the next refresh: bigrams come only
    // from the deployment's texts, never from the word list
    await t.rt.services.incoming.registerIncoming(await t.as('vanthu'), {
      issuerName: 'Hội đồng thẩm định giống cây trồng',
      symbol: '12/TB-HĐTĐ',
      typeCode: 'TB',
      subject: 'Thẩm định giống lúa chịu mặn',
      issuedDate: '2026-03-02',
    } as never);
    expect(w.engine.pool.knowledge().lm!.lm.bi.has('lúa chịu')).toBe(false);
    const again = await w.refreshKnowledge();
    expect(again!.texts).toBe(w.knowledge!.texts + 1);
    expect(again!.bigrams).toBeGreaterThan(w.knowledge!.bigrams);
    expect(w.engine.pool.knowledge().lm!.lm.bi.has('lúa chịu')).toBe(true);
    expect(w.engine.pool.knowledge().directory!.agencies).toContain('Hội đồng thẩm định giống cây trồng');
  });

  it('a scan digitised through the queue takes the directory spelling of its issuer', async () => {
    const vanthu = await t.as('vanthu');
    const scan = await t.rt.services.ocr.uploadScan(vanthu, new File([new Uint8Array(fs.readFileSync(path.join(SCANS_DIR, 'dev09.pdf')))], 'quet.pdf', { type: 'application/pdf' }));
    let row: { status: string; fields: Record<string, { value: unknown; confidence: number }> | null } | undefined;
    for (let i = 0; i < 480; i++) {
      await new Promise((r) => setTimeout(r, 500));
      [row] = await t.rt.orm.em.fork().execute<NonNullable<typeof row>[]>(`select status, fields from ocr_result where sha256 = ?`, [scan.sha256]);
      if (row && ['DONE', 'FAILED'].includes(row.status)) break;
    }
    expect(row?.status).toBe('DONE');
    // printed in capitals on the scan; the directory (agency table) writes it in sentence case
    expect(row!.fields!.organ.value).toBe('Ủy ban nhân dân tỉnh Bắc Ninh');
    expect(row!.fields!.organ.confidence).toBeGreaterThanOrEqual(0.9);
  });
});
