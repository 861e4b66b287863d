/**
 * Crash tests of the API process (real processes, real PostgreSQL, real OCR): kill -9 the API right after a
 * registration commits, and in the middle of 50 parallel registrations; after a restart every job that a
 * commit caused runs, số đến has no gap and no duplicate, and no document or file is half-made.
 * (Issue "Trust" — work is never lost: jobs are written in the transaction that causes them.)
 */
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { loginToken } from '../support/gql';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { freePort, headerCrop, integrity, processes, registerWithFile, unreferencedObjects } from './crash-helpers';
import { until } from '../support/until';

jest.setTimeout(240_000);

describe('kill -9 of the API process', () => {
  let t: TestRuntime;
  let agencyId: string;
  const { start, killAll } = processes(() => t);

  beforeAll(async () => {
    t = await createTestRuntime();
    agencyId = (await t.system().em.findOneOrFail(Agency, { code: '000.00.00.H27' })).id;
  });
  afterEach(async () => {
    await killAll();
  });
  afterAll(async () => t?.close());

  const ocrStatus = async (sha256: string) =>
    (await t.system().em.execute<{ status: string }[]>(`select status from ocr_result where sha256 = ?`, [sha256]))[0]?.status ?? null;

  it('a registration killed right after its commit still gets its OCR job, which runs after the restart', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const api = await start('api', { PORT: String(port), PUBLIC_URL: url, CONGVAN_TEST_PAUSE_AFTER_COMMIT: 'document.register' });
    const token = await loginToken(url, 'vanthu');
    const bytes = await headerCrop(0);
    const pending = registerWithFile(url, token, { issuerName: 'UBND huyện Lương Tài', subject: 'Crash test A: đăng ký rồi dừng đột ngột', typeName: 'Công văn' }, { bytes, name: 'quet.jpg', type: 'image/jpeg' }).then(
      () => 'answered',
      () => 'no answer',
    );
    await api.waitForOutput('CONGVAN_TEST_PAUSED document.register');
    await api.kill9(); // after the commit, before anything that runs after it
    expect(await pending).toBe('no answer'); // the client never got an answer

    // The registration committed, and its digitisation job was committed with it.
    const [doc] = await t.system().em.execute<{ id: string; incoming_number: number; sha256: string }[]>(
      `select d.id, d.incoming_number, f.sha256 from document d join document_file f on f.document_id = d.id where d.subject like 'Crash test A:%'`,
    );
    expect(doc.incoming_number).toBeGreaterThan(0);
    expect(await ocrStatus(doc.sha256)).toBe('PENDING');
    const jobs = await t.system().em.execute<{ state: string }[]>(`select state from pgboss.job where name = 'ocr.prepare' and data->>'sha256' = ?`, [doc.sha256]);
    expect(jobs).toEqual([{ state: 'created' }]);

    // Restart: the worker runs the job that the dead API had committed.
    await start('api', { PORT: String(port), PUBLIC_URL: url });
    await start('worker', { OCR_CONCURRENCY: '1', FAST_CONCURRENCY: '2' });
    await until('OCR of the registered scan', async () => (await ocrStatus(doc.sha256)) === 'DONE', 120_000);
    const check = await integrity(t, agencyId, 'Crash test A:');
    expect(check).toMatchObject({ documents: 1, gaps: [], duplicates: [], documentsWithoutFiles: 0, filesWithoutObject: 0, ocr: { DONE: 1 } });
  });

  it('50 parallel registrations with a kill -9 in the middle: after the restart no gap, no duplicate, nothing half-made, every OCR done', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    await start('worker', { OCR_CONCURRENCY: '1', FAST_CONCURRENCY: '2' });
    const api = await start('api', { PORT: String(port), PUBLIC_URL: url });
    const token = await loginToken(url, 'vanthu');
    const inputB = (i: number) => ({ issuerName: 'Sở Tài chính', subject: `Crash test B: văn bản ${i + 1}`, typeName: 'Công văn', idempotencyKey: `crash-b-${i + 1}` });
    const files = await Promise.all(Array.from({ length: 50 }, (_, i) => headerCrop(i + 1)));
    let answered = 0;
    const results = files.map((bytes, i) =>
      registerWithFile(url, token, inputB(i), { bytes, name: `b${i + 1}.jpg`, type: 'image/jpeg' })
        .then((r) => {
          answered++;
          return !!r.data?.registerIncoming;
        })
        .catch(() => false),
    );
    // Kill while registrations are in flight: some have answered, others are mid-request.
    await until('first registrations answered', async () => answered >= 10, 60_000);
    await api.kill9();
    const outcomes = await Promise.all(results);
    const ok = outcomes.filter(Boolean).length;
    const failed = outcomes.length - ok;
    expect(ok).toBeGreaterThanOrEqual(10);

    await start('api', { PORT: String(port), PUBLIC_URL: url }); // restart
    const committedBeforeRetry = (await integrity(t, agencyId, 'Crash test B:')).documents;
    const unreferencedBeforeRetry = await unreferencedObjects(t); // uploads of the requests cut off before their commit
    // The clients whose request was cut off send it again (same idempotency key): one document each,
    // including those that had committed without an answer.
    const retried = await Promise.all(
      outcomes.map((done, i) => (done ? true : registerWithFile(url, token, inputB(i), { bytes: files[i], name: `b${i + 1}.jpg`, type: 'image/jpeg' }).then((r) => !!r.data?.registerIncoming))),
    );
    expect(retried.every(Boolean)).toBe(true);
    // Every committed registration's OCR finishes (its job was committed with it).
    await until(
      'every OCR finished',
      async () => {
        const c = await integrity(t, agencyId, 'Crash test B:');
        return (c.ocr.DONE ?? 0) + (c.ocr.FAILED ?? 0) === c.documents;
      },
      180_000,
    );
    const check = await integrity(t, agencyId, 'Crash test B:');
    const orphans = await unreferencedObjects(t);
    // Figures for the report (numbers of this register include test A's and the demo documents).
    console.log(
      JSON.stringify({ sent: 50, answeredOk: ok, cutOff: failed, committedBeforeRetry, unreferencedBeforeRetry, committed: check.documents, numbers: check.numbers.length, gaps: check.gaps.length, duplicates: check.duplicates.length, ocr: check.ocr, unreferencedObjects: orphans }),
    );
    expect(committedBeforeRetry).toBeGreaterThanOrEqual(ok);
    expect(check.documents).toBe(50);
    expect(check.gaps).toEqual([]);
    expect(check.duplicates).toEqual([]);
    expect(check.documentsWithoutFiles).toBe(0);
    expect(check.filesWithoutObject).toBe(0);
    expect(check.ocr).toEqual({ DONE: check.documents });
  });
});
