/**
 * The signing worker pool (pool.ts): signing and verification run on worker threads and give the same results
 * as in process; concurrent jobs are spread over the workers; a broken PDF rejects its own job only.
 */
import { isMainThread, threadId } from 'node:worker_threads';
import { PDFDocument } from 'pdf-lib';
import { createDemoCa, issueEndEntity } from './crypto/certificates';
import { SigningPool } from './pool';
import { verifyPdfSignatures } from './pdf/verify';

const ca = createDemoCa('Kiểm thử pool');
const anchors = [ca.root.certDer];
const key = issueEndEntity(ca.issuing, [ca.root.certDer], { kind: 'PERSONAL', cn: 'Nguyễn Văn Ký', o: 'UBND tỉnh Bắc Ninh' });
const chainKey = { ...key, chain: [key.chain[0], ca.issuing.certDer] };

async function pdf(tag: string): Promise<Uint8Array> {
  const d = await PDFDocument.create();
  d.addPage([595, 842]);
  d.setTitle(tag);
  return d.save();
}

let pool: SigningPool;
beforeAll(() => {
  pool = new SigningPool(2);
});
afterAll(async () => {
  await pool.close();
});

describe('SigningPool', () => {
  it('runs on worker threads, not on the main thread', async () => {
    expect(isMainThread).toBe(true);
    const ids = await Promise.all([pool.threadId(), pool.threadId()]);
    for (const id of ids) expect(id).not.toBe(threadId);
    expect(new Set(ids).size).toBe(2); // two workers took one job each
  }, 60_000);

  it('signs in a worker; the result verifies the same in the worker and in process', async () => {
    // inside the test certificate's validity, which starts a day before it is issued (when the test runs): a fixed
    // date here went stale a day later
    const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    const signed = await pool.sign(await pdf('pool-1'), { kind: 'PERSONAL', reason: 'Ký ban hành', signingTime }, chainKey);
    const inWorker = await pool.verify(signed, anchors);
    const inProcess = await verifyPdfSignatures(signed, { anchors: anchors.map((a) => Buffer.from(a)) });
    expect(inWorker.map((s) => [s.kind, s.signerName, s.valid, s.trusted, s.reason])).toEqual([['PERSONAL', 'Nguyễn Văn Ký', true, true, 'Ký ban hành']]);
    expect(inWorker.map((s) => ({ ...s, revocation: null }))).toEqual(inProcess.map((s) => ({ ...s, revocation: null })));
    expect(new Date(inWorker[0].signedAt!).toISOString()).toBe(signingTime.toISOString());
  }, 60_000);

  it('concurrent jobs all complete correctly; a broken PDF rejects its own job only', async () => {
    const inputs = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => pdf(`pool-c-${i}`)));
    const jobs = inputs.map((p) => pool.sign(p, { kind: 'AGENCY', reason: 'Phát hành' }, chainKey).then((s) => pool.verify(s, anchors)));
    const broken = pool.sign(new TextEncoder().encode('không phải PDF'), { kind: 'AGENCY' }, chainKey);
    await expect(broken).rejects.toThrow();
    const results = await Promise.all(jobs);
    for (const r of results) expect(r.map((s) => [s.valid, s.trusted])).toEqual([[true, true]]);
    // a byte changed is still caught by the worker
    const tampered = Buffer.from(await pool.sign(inputs[0], { kind: 'AGENCY' }, chainKey));
    tampered[100] ^= 1;
    expect((await pool.verify(tampered, anchors))[0].valid).toBe(false);
  }, 60_000);

  it('size 0 runs in process', async () => {
    const inline = new SigningPool(0);
    expect(await inline.threadId()).toBe(0);
    const signed = await inline.sign(await pdf('inline'), { kind: 'PERSONAL' }, chainKey);
    expect((await inline.verify(signed, anchors))[0].valid).toBe(true);
  });
});
