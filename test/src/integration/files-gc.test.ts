/**
 * Stored files are never wrongly deleted (issue "Trust", finding 1): a failed upload must not delete the object
 * another request is committing with the same bytes; unreferenced objects are removed only by the storage garbage
 * collector, after the grace period. Real PostgreSQL, real local object storage, real services.
 */
import fs from 'node:fs';
import path from 'node:path';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { DocumentFile } from '../../../server/src/modules/documents/entities/document-file.entity';
import { LocalObjectStorage, keyForSha256 } from '../../../server/src/infra/storage';
import { STORAGE_KEY_COLUMNS, collectStorageGarbage } from '../../../server/src/modules/storage-gc/storage-gc.service';
import { claimObjects, putClaimed } from '../../../server/src/modules/storage-gc/stored-objects';
import { storageGcJobs } from '../../../server/src/modules/storage-gc/storage-gc.jobs';
import { allJobs } from '../../../server/src/jobs';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { sha256, uniquePdf } from './documents-incoming-helpers';

/** Text columns whose name ends in _key but that do not hold storage keys. */
const NOT_STORAGE_KEYS = new Set(['document.register_key', 'document.dup_key', 'document.idempotency_key', 'number_reservation.register_key', 'exchange_inbox.dedup_key']);

describe('storage: claims and garbage collection (real PostgreSQL, local storage)', () => {
  let t: TestRuntime;
  const services = () => t.rt.services;
  const em = () => t.rt.orm.em.fork();
  const root = () => (services().storage as LocalObjectStorage).root;
  const hoursAgo = (h: number) => new Date(Date.now() - h * 3600_000);

  beforeAll(async () => {
    t = await createTestRuntime();
  });
  afterAll(async () => t?.close());

  it('a failed registration never deletes the object a parallel successful registration commits (12 PDFs × 1 ok + 2 failing)', async () => {
    const other = await em().findOneOrFail(User, { username: 'snv.lanhdao' });
    const pdfs = Array.from({ length: 12 }, (_, i) => uniquePdf(`gc-race-${i}-${Date.now()}`));
    const scopes = await Promise.all(Array.from({ length: pdfs.length * 3 }, () => t.as('vanthu')));
    const calls = pdfs.flatMap((pdf, i) =>
      [0, 1, 2].map((j) => {
        const input = {
          issuerName: 'Sở Tài nguyên và Môi trường tỉnh Hà Nam',
          symbol: `${100 + i}/STNMT-VP`,
          issuedDate: '2026-11-20',
          subject: `Văn bản ${i} lần ${j}`,
          files: [new File([new Uint8Array(pdf)], `van-ban-${i}.pdf`)],
          // The 2 failing ones: a reader of another agency → BAD_USER_INPUT inside the transaction.
          readerIds: j === 0 ? [] : [other.id],
        };
        return services()
          .incoming.registerIncoming(scopes[i * 3 + j], input)
          .then((d) => ({ ok: true as const, id: d.id, i }))
          .catch((e: unknown) => ({ ok: false as const, code: (e as { code?: string }).code, i }));
      }),
    );
    const results = await Promise.all(calls);
    const ok = results.filter((r) => r.ok);
    expect(ok).toHaveLength(12);
    expect(results.filter((r) => !r.ok).map((r) => (r as { code?: string }).code)).toEqual(Array(24).fill('BAD_USER_INPUT'));

    // Every registered document's original is still in storage (the old code lost most of them).
    const missing: number[] = [];
    for (const r of ok) {
      const file = await em().findOneOrFail(DocumentFile, { document: (r as { id: string }).id, kind: 'MAIN' });
      expect(file.sha256).toBe(sha256(pdfs[r.i]));
      if (!(await services().storage.stat(file.storageKey))) missing.push(r.i);
    }
    expect(missing).toEqual([]);

    // Even a collector with no grace at all keeps them: they are referenced.
    await collectStorageGarbage(services(), { graceMs: 0 });
    for (const pdf of pdfs) expect(await services().storage.stat(keyForSha256(sha256(pdf)))).not.toBeNull();
  });

  it('collects old unreferenced objects, keeps young and referenced ones, adopts unknown objects, removes stale .part files, audits the run', async () => {
    const put = (b: Buffer) => putClaimed(services(), b, { contentType: 'application/pdf' });
    const oldOrphan = await put(uniquePdf('old-orphan'));
    const youngOrphan = await put(uniquePdf('young-orphan'));
    const referenced = await put(uniquePdf('referenced-old'));
    // Stored by an older version (no stored_object row): old unreferenced, young unreferenced.
    const legacyOld = await services().storage.put(uniquePdf('legacy-old'), { contentType: 'application/pdf' });
    const legacyYoung = await services().storage.put(uniquePdf('legacy-young'), { contentType: 'application/pdf' });
    const objPath = (key: string) => path.join(root(), ...key.split('/'));
    fs.utimesSync(objPath(legacyOld.key), hoursAgo(3), hoursAgo(3));

    // Attach `referenced` to a document, then age every claim but the young one.
    const doc = await em().findOneOrFail(Document, { direction: 'INCOMING' }, { orderBy: { createdAt: 'desc' } });
    const m = em();
    m.create(DocumentFile, {
      document: m.getReference(Document, doc.id),
      kind: 'ATTACHMENT',
      version: 1,
      storageKey: referenced.key,
      sha256: referenced.sha256,
      fileName: 'phu-luc.pdf',
      contentType: 'application/pdf',
      size: referenced.size,
      pageCount: 1,
      uploadedBy: null,
      createdAt: new Date(),
    });
    await m.flush();
    await em().execute(`update stored_object set last_claimed_at = now() - interval '2 hours' where key in (?)`, [[oldOrphan.key, referenced.key]]);

    // Temp files of interrupted writes: one stale, one in progress.
    const tmp = path.join(root(), '.tmp');
    fs.writeFileSync(path.join(tmp, 'stale.part'), 'x');
    fs.utimesSync(path.join(tmp, 'stale.part'), hoursAgo(2), hoursAgo(2));
    fs.writeFileSync(path.join(tmp, 'fresh.part'), 'y');

    const r = await collectStorageGarbage(services(), { graceMs: 3600_000, listing: true });
    expect(r).toMatchObject({ adopted: 2, tempFiles: 1, failedBatches: 0, listing: true });
    expect(r.deleted).toBeGreaterThanOrEqual(2);

    const exists = async (key: string) => (await services().storage.stat(key)) !== null;
    expect(await exists(oldOrphan.key)).toBe(false);
    expect(await exists(legacyOld.key)).toBe(false);
    expect(await exists(youngOrphan.key)).toBe(true);
    expect(await exists(referenced.key)).toBe(true);
    expect(await exists(legacyYoung.key)).toBe(true);
    expect(fs.existsSync(path.join(tmp, 'stale.part'))).toBe(false);
    expect(fs.existsSync(path.join(tmp, 'fresh.part'))).toBe(true);
    const rows = await em().execute<{ key: string }[]>(`select key from stored_object where key in (?)`, [[oldOrphan.key, legacyOld.key, youngOrphan.key, referenced.key, legacyYoung.key]]);
    expect(rows.map((x) => x.key).sort()).toEqual([youngOrphan.key, referenced.key, legacyYoung.key].sort());

    const audit = await em().findOneOrFail(AuditEvent, { action: 'storage.gc' }, { orderBy: { at: 'desc' } });
    expect(audit.agencyId ?? null).toBeNull();
    expect(audit.actorId ?? null).toBeNull();
    expect(audit.data).toMatchObject({ adopted: 2, tempFiles: 1, deleted: r.deleted });

    // A fresh claim (a request about to attach those bytes again) protects an old orphan from the collector.
    const again = await put(uniquePdf('young-orphan'));
    expect(again).toMatchObject({ key: youngOrphan.key, existed: true });
    await em().execute(`update stored_object set last_claimed_at = now() - interval '2 hours' where key = ?`, [youngOrphan.key]);
    await claimObjects(t.rt.orm, [{ key: youngOrphan.key, sha256: youngOrphan.sha256 }]);
    await collectStorageGarbage(services(), { graceMs: 3600_000 });
    expect(await exists(youngOrphan.key)).toBe(true);
  });

  it('keeps the files of a received edXML package while its inbox row waits to be applied', async () => {
    const held = await putClaimed(services(), uniquePdf('inbox-held'), { contentType: 'application/pdf' });
    const orphan = await putClaimed(services(), uniquePdf('inbox-orphan'), { contentType: 'application/pdf' });
    const file = { contentId: 'f1', name: 'van-ban.pdf', contentType: 'application/pdf', key: held.key, sha256: held.sha256, size: held.size };
    await em().execute(
      `insert into exchange_inbox (id, dedup_key, kind, sender_code, recipient_code, edxml_document_id, value, files, via, state, received_at)
       values (gen_random_uuid(), ?, 'DOCUMENT', '000.00.00.G01', '000.00.00.H27', '000.00.00.G01,2026/12/01,1/CV-X', '{}'::jsonb, ?::jsonb, 'FILE', 'HELD', now())`,
      [held.sha256, JSON.stringify([file])],
    );
    await em().execute(`update stored_object set last_claimed_at = now() - interval '2 hours' where key in (?)`, [[held.key, orphan.key]]);
    await collectStorageGarbage(services(), { graceMs: 3600_000 });
    expect(await services().storage.stat(held.key)).not.toBeNull();
    expect(await services().storage.stat(orphan.key)).toBeNull();
  });

  it('a claim taken while the collector deletes the object waits, and the put then writes the bytes again', async () => {
    const bytes = uniquePdf('contended');
    const first = await putClaimed(services(), bytes, { contentType: 'application/pdf' });
    await em().execute(`update stored_object set last_claimed_at = now() - interval '2 hours' where key = ?`, [first.key]);
    // Run the collector and a new upload of the same bytes at once, many times over: the object must end up present.
    const [, again] = await Promise.all([collectStorageGarbage(services(), { graceMs: 3600_000 }), putClaimed(services(), bytes, { contentType: 'application/pdf' })]);
    expect(again.key).toBe(first.key);
    expect(await services().storage.stat(first.key)).not.toBeNull();
    const row = await em().execute<{ n: number }[]>(`select count(*)::int as n from stored_object where key = ? and last_claimed_at > now() - interval '1 minute'`, [first.key]);
    expect(row[0].n).toBe(1);
  });

  it('knows every column that holds storage keys, and the worker runs its jobs', async () => {
    const cols = await em().execute<{ t: string; c: string }[]>(
      `select table_name as t, column_name as c from information_schema.columns
        where table_schema = current_schema() and column_name like '%\\_key' and data_type in ('text', 'character varying')
          and table_name not in ('stored_object', 'mikro_orm_migrations')`,
    );
    const known = new Set(STORAGE_KEY_COLUMNS.map(([tb, c]) => `${tb}.${c}`));
    const unclassified = cols.map((x) => `${x.t}.${x.c}`).filter((k) => !known.has(k) && !NOT_STORAGE_KEYS.has(k));
    expect(unclassified).toEqual([]);
    for (const j of storageGcJobs) expect(allJobs).toContain(j);
  });
});
