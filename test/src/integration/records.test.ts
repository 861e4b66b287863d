/**
 * Hồ sơ and the archive (issue 10) on real PostgreSQL with the real services and storage: Danh mục hồ sơ,
 * lập hồ sơ, kết thúc, nộp lưu, archive access, immutability (document services and the storage interface),
 * metadata, legal hold, retention, disposal, the paper-archive import, the exports — every role, another agency,
 * typed errors, and nothing changed when refused.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { DocumentFile } from '../../../server/src/modules/documents/entities/document-file.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { toActor } from '../../../server/src/modules/identity/identity.service';
import { accessInfoForMany, viewerOf } from '../../../server/src/modules/documents/documents.policy';
import { accessGrant } from '../../../server/src/modules/documents/domain/access';
import { documentVisibleSql } from '../../../server/src/modules/documents/access-sql';
import { SqlParams } from '../../../server/src/modules/documents/inbox-sql';
import { ArchiveRecord, RecordDisposal, RetentionItem } from '../../../server/src/modules/records/records.entities';
import { recordReport } from '../../../server/src/modules/records/records.reports';
import { putClaimed } from '../../../server/src/modules/storage-gc/stored-objects';
import { collectStorageGarbage } from '../../../server/src/modules/storage-gc/storage-gc.service';
import { AppError } from '../../../server/src/shared/errors';
import type { Scope } from '../../../server/src/shared/scope';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { uniquePdf } from './documents-incoming-helpers';

jest.setTimeout(180_000);

/** The AppError a promise rejects with (fails the test if it resolves). */
async function errorOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('records and the archive (real PostgreSQL)', () => {
  let t: TestRuntime;
  const em = (): EntityManager => t.rt.orm.em.fork() as EntityManager;
  const svc = () => t.rt.services.records;
  let seq = 0;
  const reg = async (username: string, input: Record<string, unknown> = {}) => {
    seq++;
    const doc = await t.rt.services.incoming.registerIncoming(await t.as(username), {
      issuerName: 'Sở Tài chính tỉnh Bắc Ninh',
      symbol: `${seq}/HS-STC`,
      typeName: 'Công văn',
      subject: `Văn bản lưu hồ sơ số ${seq}`,
      issuedDate: '2010-03-02',
      files: [new File([new Uint8Array(uniquePdf(`records-${seq}-${Date.now()}`))], `vb-${seq}.pdf`, { type: 'application/pdf' })],
      ...input,
    } as never);
    return doc.id;
  };
  /** The handling of an incoming document ends (lãnh đạo: "để biết"): it may go to the archive with its hồ sơ. */
  const settle = async (docId: string) => {
    const lanhdao = await em().findOneOrFail(User, { username: 'lanhdao' });
    await t.rt.services.incoming.submitForAnnotation(await t.as('vanthu'), docId, lanhdao.id);
    await t.rt.services.incoming.annotate(await t.as('lanhdao'), docId, { instruction: 'Để biết, lưu hồ sơ', forInfo: true });
    return docId;
  };
  const fresh = (id: string) => em().findOneOrFail(Document, { id });
  const record = (id: string) => em().findOneOrFail(ArchiveRecord, { id });
  const keysOf = async (docId: string) => (await em().find(DocumentFile, { document: docId })).map((f) => f.storageKey);
  const create = async (username: string, input: Record<string, unknown>) => svc().create(await t.as(username), { year: 2010, title: 'Hồ sơ thử', retentionYears: 5, ...input });

  beforeAll(async () => {
    t = await createTestRuntime();
    t.rt.services.clock.now = () => new Date('2026-12-06T03:00:00Z');
  });
  afterAll(async () => t?.close());

  it('createRecord: staff lập hồ sơ; administrators may not; notation unique per year; retention from the table', async () => {
    const r = await create('chuyenvien', { fileNotation: '01.KT', title: 'Hồ sơ kế hoạch ngân sách 2010' });
    expect(r.state).toBe('OPEN');
    expect(r.fileCode).toBe('000.00.00.H27.2010.01.KT');
    expect(r.unit?.id).toBeTruthy(); // the creator's unit by default
    expect((await errorOf(create('quantri', { fileNotation: '02.KT' }))).code).toBe('FORBIDDEN');
    const dup = await errorOf(create('vanthu', { fileNotation: '01.KT' }));
    expect([dup.code, dup.extra.field]).toEqual(['BAD_USER_INPUT', 'fileNotation']);
    const bad = await errorOf(create('vanthu', { fileNotation: '01 KT; drop' }));
    expect([bad.code, bad.extra.field]).toEqual(['BAD_USER_INPUT', 'fileNotation']);
    const badYears = await errorOf(create('vanthu', { fileNotation: '03.KT', retentionYears: 0 }));
    expect([badYears.code, badYears.extra.field]).toEqual(['BAD_USER_INPUT', 'retentionYears']);
    const items = await svc().retentionItems(await t.as('vanthu'));
    expect(items.map((i) => i.years)).toContain(null);
    const fromTable = await create('vanthu', { fileNotation: '04.VP', retentionYears: 3, retentionCode: '20' });
    expect(fromTable.retentionYears).toBe(20);
    // the same notation in another year is another hồ sơ
    expect((await create('vanthu', { fileNotation: '01.KT', year: 2011 })).year).toBe(2011);
    const audits = await em().execute(`select 1 from audit_event where action = 'record.create' and target_id = ?`, [r.id]);
    expect(audits).toHaveLength(1);
  });

  it('another agency: records(), record(id) and every mutation say NOT_FOUND / show nothing', async () => {
    const r = await create('vanthu', { fileNotation: '10.VP' });
    const snv = await t.as('snv.vanthu');
    expect((await errorOf(svc().get(snv, r.id))).code).toBe('NOT_FOUND');
    expect((await svc().list(snv, { filter: { year: 2010 } })).edges.map((e) => e.node.id)).not.toContain(r.id);
    const snvDoc = await reg('snv.vanthu');
    const attempts: (() => Promise<unknown>)[] = [
      () => svc().fileDocument(snv, r.id, snvDoc),
      () => svc().close(snv, r.id),
      () => svc().transfer(snv, [r.id]),
      async () => svc().placeLegalHold(await t.as('snv.luutru'), r.id, 'Thanh tra'),
      async () => svc().dispose(await t.as('snv.luutru'), { recordIds: [r.id], decisionNumber: '1/QĐ-SNV', decisionDate: '2026-12-01' }),
      async () => svc().updateMetadata(await t.as('snv.luutru'), { recordId: r.id, record: { language: 'x' } }),
    ];
    for (const attempt of attempts) expect((await errorOf(attempt())).code).toBe('NOT_FOUND');
    // and a UBND hồ sơ cannot take a Sở Nội vụ document (the caller cannot read it)
    const e = await errorOf(svc().fileDocument(await t.as('vanthu'), r.id, snvDoc));
    expect(e.code).toBe('NOT_FOUND');
    expect((await fresh(snvDoc)).record).toBeNull();
    expect((await record(r.id)).state).toBe('OPEN');
  });

  it('fileDocument: in order; who may; a document one cannot read; twice; a closed hồ sơ — nothing changed', async () => {
    const r = await create('truongphong', { fileNotation: '20.KT', unitId: undefined });
    const a = await reg('vanthu');
    const b = await reg('vanthu');
    // a chuyên viên of the unit who did not create it does not handle it; an administrator sees no documents
    expect((await errorOf(svc().fileDocument(await t.as('chuyenvien'), r.id, a))).code).toBe('FORBIDDEN');
    expect((await errorOf(svc().fileDocument(await t.as('quantri'), r.id, a))).code).toBe('NOT_FOUND');
    await svc().fileDocument(await t.as('vanthu'), r.id, a);
    // the unit head handles the hồ sơ but cannot read b (registered, not assigned): NOT_FOUND, nothing filed
    expect((await errorOf(svc().fileDocument(await t.as('truongphong'), r.id, b))).code).toBe('NOT_FOUND');
    expect((await fresh(b)).record).toBeNull();
    await svc().fileDocument(await t.as('vanthu'), r.id, b);
    expect([(await fresh(a)).recordOrder, (await fresh(b)).recordOrder]).toEqual([1, 2]);
    const again = await errorOf(svc().fileDocument(await t.as('vanthu'), r.id, a));
    expect(again.code).toBe('CONFLICT');
    const other = await create('vanthu', { fileNotation: '21.KT' });
    expect((await errorOf(svc().fileDocument(await t.as('vanthu'), other.id, a))).code).toBe('CONFLICT');
    expect((await fresh(a)).record?.id).toBe(r.id);
    // unfile: the later ones move up
    await svc().unfileDocument(await t.as('vanthu'), r.id, a);
    expect([(await fresh(a)).record, (await fresh(b)).recordOrder]).toEqual([null, 1]);
    await svc().fileDocument(await t.as('vanthu'), r.id, a);
    expect((await fresh(a)).recordOrder).toBe(2);
    // kết thúc, then filing is refused and nothing changes
    expect((await errorOf(svc().close(await t.as('chuyenvien'), r.id))).code).toBe('FORBIDDEN');
    const closed = await svc().close(await t.as('truongphong'), r.id);
    expect(closed.state).toBe('CLOSED');
    const c = await reg('vanthu');
    const e = await errorOf(svc().fileDocument(await t.as('vanthu'), r.id, c));
    expect(e.code).toBe('CONFLICT');
    expect((await fresh(c)).record).toBeNull();
    const docs = await svc().documentsOf(await t.as('vanthu'), await record(r.id));
    expect(docs.map((d) => d.document.id)).toEqual([b, a]);
    // an empty hồ sơ cannot be closed
    expect((await errorOf(svc().close(await t.as('vanthu'), other.id))).code).toBe('CONFLICT');
  });

  it('Document.recordActions (the document page\'s "Lập hồ sơ"): file into an open hồ sơ or a new one, take out; never another agency\'s, never once closed', async () => {
    const id = await reg('vanthu');
    const actions = async (username: string) => svc().documentRecordActions(await t.as(username), await em().findOneOrFail(Document, { id }, { populate: ['agency'] }));
    expect(await actions('vanthu')).toEqual(['FILE_INTO_RECORD', 'CREATE_RECORD']);
    expect(await actions('quantri')).toEqual([]);
    expect(await actions('snv.vanthu')).toEqual([]);
    // over HTTP-shaped flow: create a hồ sơ and file the document into it
    const r = await create('chuyenvien', { fileNotation: '40.KT', title: 'Hồ sơ lập từ trang văn bản' });
    await svc().fileDocument(await t.as('vanthu'), r.id, id);
    expect(await actions('vanthu')).toEqual(['UNFILE_FROM_RECORD']);
    expect(await actions('chuyenvien')).toEqual(['UNFILE_FROM_RECORD']); // the creator
    expect(await actions('snv.vanthu')).toEqual([]);
    await svc().close(await t.as('vanthu'), r.id);
    expect(await actions('vanthu')).toEqual([]);
    expect(await actions('chuyenvien')).toEqual([]);
  });

  it('the retention table: archivist / administrator override a default or add an item for their agency; field errors; another agency unaffected; audited', async () => {
    const items = async (u: string) => svc().retentionItems(await t.as(u));
    const defaults = await items('luutru');
    const d = defaults.find((i) => i.agency == null && i.years != null)!;
    expect(svc().canEditRetentionTable(await t.as('luutru'))).toBe(true);
    expect(svc().canEditRetentionTable(await t.as('quantri'))).toBe(true);
    expect(svc().canEditRetentionTable(await t.as('vanthu'))).toBe(false);
    expect((await errorOf(svc().saveRetentionItem(await t.as('vanthu'), { code: d.code, name: d.name, years: 50 }))).code).toBe('FORBIDDEN');
    // field errors from the shared rules (schema/validation/retention.ts); nothing saved
    expect((await errorOf(svc().saveRetentionItem(await t.as('luutru'), { code: 'có khoảng', name: 'X', years: 5 }))).extra.field).toBe('code');
    expect((await errorOf(svc().saveRetentionItem(await t.as('luutru'), { code: 'X1', name: '  ', years: 5 }))).extra.field).toBe('name');
    expect((await errorOf(svc().saveRetentionItem(await t.as('luutru'), { code: 'X1', name: 'Nhóm X', years: 0 }))).extra.field).toBe('years');
    expect(await em().count(RetentionItem, { code: 'X1' })).toBe(0);
    // an override: same code, the agency's item replaces the default in the list
    const own = await svc().saveRetentionItem(await t.as('luutru'), { code: d.code, name: `${d.name} (cơ quan)`, years: (d.years ?? 0) + 10 });
    const after = await items('vanthu');
    expect(after.filter((i) => i.code === d.code).map((i) => [i.id, i.years])).toEqual([[own.id, (d.years ?? 0) + 10]]);
    // a new item, Vĩnh viễn; saved again = updated, not duplicated
    await svc().saveRetentionItem(await t.as('quantri'), { code: 'CQ.01', name: 'Hồ sơ đặc thù của cơ quan', years: null });
    const again = await svc().saveRetentionItem(await t.as('luutru'), { code: 'CQ.01', name: 'Hồ sơ đặc thù', years: null });
    expect((await items('vanthu')).filter((i) => i.code === 'CQ.01').map((i) => [i.id, i.name, i.years])).toEqual([[again.id, 'Hồ sơ đặc thù', null]]);
    // a hồ sơ takes the agency's period from its code
    const r = await create('vanthu', { fileNotation: '60.VP', retentionYears: 1, retentionCode: d.code });
    expect(r.retentionYears).toBe((d.years ?? 0) + 10);
    // another agency still has the default
    expect((await items('snv.luutru')).filter((i) => i.code === d.code).map((i) => i.id)).toEqual([d.id]);
    expect((await errorOf(svc().deleteRetentionItem(await t.as('snv.luutru'), own.id))).code).toBe('NOT_FOUND');
    expect((await errorOf(svc().deleteRetentionItem(await t.as('luutru'), d.id))).code).toBe('NOT_FOUND'); // a default is not the agency's
    // deleting the override brings the default back
    await svc().deleteRetentionItem(await t.as('luutru'), own.id);
    expect((await items('vanthu')).filter((i) => i.code === d.code).map((i) => i.id)).toEqual([d.id]);
    const audits = await em().execute<{ action: string }[]>(`select action from audit_event where target_id in (?, ?) order by at`, [own.id, again.id]);
    expect(audits.map((a) => a.action)).toEqual(['retention.save', 'retention.save', 'retention.save', 'retention.delete']);
  });

  describe('transfer, immutability, archive access, metadata, legal hold, disposal', () => {
    let r: ArchiveRecord;
    let a: string;
    let b: string;
    let shared: string; // a document of another hồ sơ holding the same bytes as `a`
    beforeAll(async () => {
      r = await create('vanthu', { fileNotation: '30.VP', retentionYears: 5 });
      a = await settle(await reg('vanthu'));
      b = await settle(await reg('vanthu', { issuedDate: '2011-06-01' }));
      await svc().fileDocument(await t.as('vanthu'), r.id, a);
      await svc().fileDocument(await t.as('vanthu'), r.id, b);
    });

    it('a hồ sơ with documents still in handling is not transferred: CONFLICT listing them, nothing changed', async () => {
      const held = await create('vanthu', { fileNotation: '29.VP', retentionYears: 5 });
      const other = await create('vanthu', { fileNotation: '28.VP', retentionYears: 5 });
      const open = await reg('vanthu', { symbol: '77/CV-STC' }); // registered, not handled yet
      const done = await settle(await reg('vanthu'));
      const done2 = await settle(await reg('vanthu'));
      await svc().fileDocument(await t.as('vanthu'), held.id, done);
      await svc().fileDocument(await t.as('vanthu'), held.id, open);
      await svc().fileDocument(await t.as('vanthu'), other.id, done2);
      for (const id of [held.id, other.id]) await svc().close(await t.as('vanthu'), id);
      const e = await errorOf(svc().transfer(await t.as('vanthu'), [other.id, held.id]));
      expect(e.code).toBe('CONFLICT');
      expect(e.extra.reason).toBe('DOCUMENTS_IN_HANDLING');
      expect((e.extra.documents as { id: string; recordId: string; symbol: string }[]).map((d) => [d.id, d.recordId, d.symbol])).toEqual([[open, held.id, '77/CV-STC']]);
      expect(e.message).toContain('77/CV-STC');
      expect(e.message).toContain('29.VP');
      // all or nothing: neither hồ sơ nor any document moved
      for (const id of [held.id, other.id]) expect((await record(id)).state).toBe('CLOSED');
      for (const id of [open, done, done2]) expect((await fresh(id)).archivedAt).toBeNull();
      expect(await em().count(Document, { id: { $in: [open, done, done2] }, archivedAt: { $ne: null } })).toBe(0);
      // the document leaves the hồ sơ (or is finished): then it goes
      await svc().reopen(await t.as('vanthu'), held.id);
      await svc().unfileDocument(await t.as('vanthu'), held.id, open);
      await svc().close(await t.as('vanthu'), held.id);
      await svc().transfer(await t.as('vanthu'), [other.id, held.id]);
      expect((await record(held.id)).state).toBe('TRANSFERRED');
      expect((await fresh(done)).archivedAt).not.toBeNull();
      expect((await fresh(open)).archivedAt).toBeNull();
    });

    it('only a CLOSED hồ sơ is transferred; LUU_TRU sees nothing before, everything after', async () => {
      const luutru = await t.as('luutru');
      await expect(t.rt.services.documents.document(luutru, a)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const e = await errorOf(svc().transfer(await t.as('vanthu'), [r.id]));
      expect(e.code).toBe('CONFLICT');
      expect((await fresh(a)).archivedAt).toBeNull();
      await svc().close(await t.as('vanthu'), r.id);
      expect((await errorOf(svc().transfer(await t.as('chuyenvien'), [r.id]))).code).toBe('FORBIDDEN');
      const tr = await svc().transfer(await t.as('vanthu'), [r.id], 'Nộp lưu năm 2011');
      expect(tr.id).toBeTruthy();
      const after = await record(r.id);
      expect([after.state, after.metadataUnverified]).toEqual(['TRANSFERRED', true]);
      expect((await fresh(a)).archivedAt).not.toBeNull();
      expect((await t.rt.services.documents.document(await t.as('luutru'), a)).id).toBe(a); // a fresh unit of work
      // another agency's archivist: nothing
      await expect(t.rt.services.documents.document(await t.as('snv.luutru'), a)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // transferred twice: CONFLICT
      expect((await errorOf(svc().transfer(await t.as('vanthu'), [r.id]))).code).toBe('CONFLICT');
      const events = await em().execute(`select action from audit_event where target_id in (?, ?) and action = 'document.archive'`, [a, b]);
      expect(events).toHaveLength(2);
    });

    it('the access rule in SQL agrees with the domain rule for every UBND user on archived documents', async () => {
      const m = em();
      const docs = await m.find(Document, { id: { $in: [a, b] } });
      const infos = await accessInfoForMany(m, docs);
      const users = await m.find(User, { agency: { code: '000.00.00.H27' } }, { populate: ['agency', 'unit'] });
      expect(users.length).toBeGreaterThan(4);
      for (const u of users) {
        const viewer = viewerOf(toActor(u, null));
        // as the search and the inbox call it (limited to the viewer's agency), and across agencies
        for (const ownAgencyOnly of [true, false]) {
          const params = new SqlParams();
          const pred = documentVisibleSql(viewer, params, { ownAgencyOnly });
          const rows = await m.execute<{ id: string }[]>(`select d.id from document d where d.agency_id = '${u.agency.id}' and ${pred}`, params.values);
          const sql = new Set(rows.map((x) => x.id));
          for (const d of docs) expect([u.username, d.id, sql.has(d.id)]).toEqual([u.username, d.id, accessGrant(viewer, infos.get(d.id)!) !== null]);
          if (u.roles.includes('LUU_TRU')) {
            // exactly the archived documents of the agency (plus what other rules grant: none for the archivist here)
            const all = await m.find(Document, { agency: u.agency.id });
            const allInfos = await accessInfoForMany(m, all);
            expect([...sql].sort()).toEqual(all.filter((d) => accessGrant(viewer, allInfos.get(d.id)!) !== null).map((d) => d.id).sort());
            expect(sql.has(a) && sql.has(b)).toBe(true);
          }
        }
      }
    });

    it('every document mutation refuses an archived document (CONFLICT ARCHIVED) and changes nothing', async () => {
      const before = await fresh(a);
      const lanhdao = await em().findOneOrFail(User, { username: 'lanhdao' });
      const e = await errorOf(t.rt.services.incoming.submitForAnnotation(await t.as('vanthu'), a, lanhdao.id));
      expect([e.code, e.extra.reason]).toEqual(['CONFLICT', 'ARCHIVED']);
      const e2 = await errorOf(t.rt.services.incoming.rejectIncoming(await t.as('vanthu'), a, 'Sai địa chỉ'));
      expect(e2.extra.reason).toBe('ARCHIVED');
      const e3 = await errorOf(t.rt.services.incoming.annulRegistration(await t.as('vanthu'), a, 'Nhầm'));
      expect(e3.extra.reason).toBe('ARCHIVED');
      // unfiling from a transferred hồ sơ
      expect((await errorOf(svc().unfileDocument(await t.as('vanthu'), r.id, a))).code).toBe('CONFLICT');
      const after = await fresh(a);
      expect([after.state, after.version, after.record?.id, after.recordOrder]).toEqual([before.state, before.version, r.id, before.recordOrder]);
    });

    it('the storage interface refuses to delete archived objects; the garbage collector keeps them', async () => {
      const [key] = await keysOf(a);
      const e = await errorOf(t.rt.services.storage.delete(key));
      expect([e.code, e.extra.reason]).toEqual(['CONFLICT', 'ARCHIVED']);
      expect(await t.rt.services.storage.stat(key)).not.toBeNull();
      await collectStorageGarbage(t.rt.services, { graceMs: 0 });
      expect(await t.rt.services.storage.stat(key)).not.toBeNull();
      // a non-archived object can still be deleted through the same interface
      const loose = await putClaimed(t.rt.services, uniquePdf(`loose-${Date.now()}`), { contentType: 'application/pdf' });
      await t.rt.services.storage.delete(loose.key);
      expect(await t.rt.services.storage.stat(loose.key)).toBeNull();
    });

    it('metadata: archivist only, until confirmed; shared zod rules give field errors', async () => {
      const patch = { recordId: r.id, record: { language: 'Tiếng Việt', rights: 'CONG_KHAI' as const, keyword: 'ngân sách' } };
      expect((await errorOf(svc().updateMetadata(await t.as('vanthu'), patch))).code).toBe('FORBIDDEN');
      expect((await errorOf(svc().updateMetadata(await t.as('lanhdao'), patch))).code).toBe('FORBIDDEN');
      const bad = await errorOf(svc().updateMetadata(await t.as('luutru'), { recordId: r.id, record: { startDate: '2011-05-01', endDate: '2010-01-01' } }));
      expect([bad.code, bad.extra.field]).toEqual(['BAD_USER_INPUT', 'record.endDate']);
      const ok = await svc().updateMetadata(await t.as('luutru'), patch);
      expect(ok.record?.metadata?.keyword).toBe('ngân sách');
      // a document's metadata (born-digital: archive fields only, not its symbol)
      const d = await svc().updateMetadata(await t.as('luutru'), { documentId: a, document: { language: 'Tiếng Việt', mode: 'HAN_CHE', pageCount: 3 } });
      expect([d.document?.archiveMetadata?.mode, d.document?.pageCount]).toEqual(['HAN_CHE', 3]);
      const sym = await errorOf(svc().updateMetadata(await t.as('luutru'), { documentId: a, document: { symbol: '99/XX' } }));
      expect(sym.code).toBe('BAD_USER_INPUT');
      await svc().confirmMetadata(await t.as('luutru'), { recordId: r.id });
      await svc().confirmMetadata(await t.as('luutru'), { documentId: a });
      expect((await errorOf(svc().updateMetadata(await t.as('luutru'), patch))).code).toBe('CONFLICT');
      expect((await errorOf(svc().updateMetadata(await t.as('luutru'), { documentId: a, document: { keyword: 'x' } }))).code).toBe('CONFLICT');
      expect((await fresh(a)).archiveMetadata?.keyword ?? null).toBeNull();
      expect((await errorOf(svc().confirmMetadata(await t.as('luutru'), { recordId: r.id }))).code).toBe('CONFLICT');
    });

    it('legal hold blocks disposal (nothing changed); retention only extends; disposal by decision deletes rows then bytes', async () => {
      // a document of another hồ sơ with the same bytes as `a`: those bytes must survive the disposal
      const aBytes = await t.rt.services.storage.getBuffer((await keysOf(a))[0]);
      shared = await reg('vanthu', { files: [new File([new Uint8Array(aBytes)], 'same.pdf', { type: 'application/pdf' })], allowDuplicate: true });
      const luutru = await t.as('luutru');
      expect((await errorOf(svc().placeLegalHold(await t.as('chuyenvien'), r.id, 'Thanh tra'))).code).toBe('FORBIDDEN');
      expect((await errorOf(svc().placeLegalHold(luutru, r.id, '  '))).extra.field).toBe('reason');
      await svc().placeLegalHold(await t.as('lanhdao'), r.id, 'Phục vụ thanh tra năm 2026');
      const decision = { recordIds: [r.id], decisionNumber: '15/QĐ-UBND', decisionDate: '2026-12-01' };
      const held = await errorOf(svc().dispose(luutru, decision));
      expect(held.code).toBe('CONFLICT');
      expect((await record(r.id)).state).toBe('TRANSFERRED');
      expect(await em().count(Document, { record: r.id })).toBe(2);
      for (const k of await keysOf(b)) expect(await t.rt.services.storage.stat(k)).not.toBeNull();
      expect(await em().count(RecordDisposal, { decisionNumber: '15/QĐ-UBND' })).toBe(0);
      await svc().releaseLegalHold(luutru, r.id, 'Kết thúc thanh tra');
      // retention only extends
      expect((await errorOf(svc().extendRetention(luutru, r.id, 3, 'Rút ngắn'))).extra.field).toBe('retentionYears');
      expect((await errorOf(svc().extendRetention(await t.as('vanthu'), r.id, 10, 'Kéo dài'))).code).toBe('FORBIDDEN');
      await svc().extendRetention(luutru, r.id, 6, 'Kéo dài theo yêu cầu');
      expect((await record(r.id)).retentionYears).toBe(6);
      // decisions are checked: no number → field error; not by văn thư; not before the end of retention
      expect((await errorOf(svc().dispose(luutru, { ...decision, decisionNumber: '' }))).extra.field).toBe('decisionNumber');
      expect((await errorOf(svc().dispose(await t.as('vanthu'), decision))).code).toBe('FORBIDDEN');
      const young = await create('vanthu', { fileNotation: '31.VP', year: 2024, retentionYears: 5 });
      await svc().fileDocument(await t.as('vanthu'), young.id, await settle(await reg('vanthu', { issuedDate: '2024-01-05' })));
      await svc().close(await t.as('vanthu'), young.id);
      await svc().transfer(await t.as('vanthu'), [young.id]);
      const early = await errorOf(svc().dispose(luutru, { ...decision, recordIds: [r.id, young.id] }));
      expect(early.code).toBe('CONFLICT');
      expect((await record(r.id)).state).toBe('TRANSFERRED'); // all or nothing
      // permanent hồ sơ are never disposed
      await svc().extendRetention(luutru, young.id, null, 'Giá trị lịch sử');
      expect((await errorOf(svc().dispose(luutru, { ...decision, recordIds: [young.id] }))).code).toBe('CONFLICT');

      const keysA = await keysOf(a);
      const keysB = await keysOf(b);
      const disposal = await svc().dispose(luutru, decision);
      expect(disposal.documentCount).toBe(2);
      expect(disposal.items[0].documents.map((d) => d.id)).toEqual([a, b]);
      const gone = await record(r.id);
      expect([gone.state, gone.disposal?.id]).toEqual(['DISPOSED', disposal.id]);
      expect(await em().count(Document, { id: { $in: [a, b] } })).toBe(0);
      for (const k of keysB) expect(await t.rt.services.storage.stat(k)).toBeNull();
      // `a`'s bytes are still held by another document: kept
      for (const k of keysA) expect(await t.rt.services.storage.stat(k)).not.toBeNull();
      expect((await fresh(shared)).id).toBe(shared);
      expect(disposal.deletedObjects).toBeGreaterThanOrEqual(1);
      const ev = await em().execute(`select action from audit_event where action in ('records.dispose', 'record.dispose') and (target_id = ? or target_id = ?)`, [disposal.id, r.id]);
      expect(ev).toHaveLength(2);
      // disposed: nothing more can happen to it
      expect((await errorOf(svc().placeLegalHold(luutru, r.id, 'x'))).code).toBe('CONFLICT');
    });
  });

  it('importArchived: an ARCHIVE document filed into an OPEN hồ sơ by code; unverified; idempotent; typed errors', async () => {
    const agency = await em().findOneOrFail(Agency, { code: '000.00.00.H27' });
    const r = await create('luutru', { fileNotation: '40.LT', year: 1998, retentionYears: null });
    const bytes = uniquePdf(`import-${Date.now()}`);
    const put = await putClaimed(t.rt.services, bytes, { contentType: 'application/pdf' });
    const file = { storageKey: put.key, sha256: put.sha256, fileName: 'QD-12-1998.pdf', contentType: 'application/pdf', size: put.size, pageCount: 2 };
    const input = { agencyId: agency.id, recordCode: '40.LT', file, fields: { symbol: '12/QĐ-UB', issuedDate: '1998-04-03', subject: 'Quyết định thành lập phòng lưu trữ' }, idempotencyKey: 'import:1998/QD-12.pdf' };
    const hooked: string[] = [];
    const { document, created } = await svc().importArchived(t.system(), { ...input, onCreated: async (_tx, doc) => void hooked.push(doc.id) });
    expect(created).toBe(true);
    expect(hooked).toEqual([document.id]);
    // digitisation and indexing queued in the same transaction
    const ocr = await em().execute<{ status: string }[]>(`select status from ocr_result where sha256 = ?`, [put.sha256]);
    expect(ocr.map((o) => o.status)).toEqual(['PENDING']);
    const jobs = await em().execute<{ name: string }[]>(`select name from pgboss.job where (data->>'sha256' = ? or data->>'documentId' = ?)`, [put.sha256, document.id]);
    expect(jobs.map((j) => j.name).sort()).toEqual(expect.arrayContaining(['search.index']));
    expect(jobs.length).toBeGreaterThanOrEqual(2);
    const d = await fresh(document.id);
    expect([d.direction, d.state, d.metadataUnverified, d.record?.id, d.recordOrder, d.symbol]).toEqual(['ARCHIVE', 'ARCHIVED', true, r.id, 1, '12/QĐ-UB']);
    expect(d.archivedAt).not.toBeNull();
    const again = await svc().importArchived(t.system(), { ...input, onCreated: async (_tx, doc) => void hooked.push(doc.id) });
    expect([again.created, again.document.id, hooked.length]).toEqual([false, document.id, 1]);
    expect((await errorOf(svc().importArchived(t.system(), { ...input, idempotencyKey: 'other', recordCode: 'NOPE' }))).code).toBe('NOT_FOUND');
    // LUU_TRU sees it; the văn thư does not (not theirs: an archive document); another agency never
    expect((await t.rt.services.documents.document(await t.as('luutru'), d.id)).id).toBe(d.id);
    await expect(t.rt.services.documents.document(await t.as('snv.luutru'), d.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // its files are archived at once
    expect((await errorOf(t.rt.services.storage.delete(put.key))).extra.reason).toBe('ARCHIVED');
    // OCR fields arrive later, and the archivist corrects them, until confirmed
    await svc().applyRecognisedFields(t.system(), d.id, { signerName: 'Nguyễn Văn Ba' });
    await svc().updateMetadata(await t.as('luutru'), { documentId: d.id, document: { subject: 'Quyết định thành lập Phòng Lưu trữ tỉnh', issuerName: 'UBND tỉnh Hà Bắc' } });
    await svc().confirmMetadata(await t.as('luutru'), { documentId: d.id });
    expect((await errorOf(svc().applyRecognisedFields(t.system(), d.id, { signerName: 'X' }))).code).toBe('CONFLICT');
    const final = await fresh(d.id);
    expect([final.signerName, final.subject, final.metadataUnverified]).toEqual(['Nguyễn Văn Ba', 'Quyết định thành lập Phòng Lưu trữ tỉnh', false]);
    // a closed hồ sơ takes no import
    await svc().close(await t.as('luutru'), r.id);
    const put2 = await putClaimed(t.rt.services, uniquePdf(`import2-${Date.now()}`), { contentType: 'application/pdf' });
    const closed = await errorOf(svc().importArchived(t.system(), { ...input, idempotencyKey: 'import:2', file: { ...file, storageKey: put2.key, sha256: put2.sha256 } }));
    expect(closed.code).toBe('CONFLICT');
    expect(await em().count(Document, { idempotencyKey: 'import:2' })).toBe(0);
  });

  it('exports: Danh mục hồ sơ, Mục lục hồ sơ nộp lưu, Mục lục văn bản — PDF and XLSX', async () => {
    const vanthu: Scope = await t.as('vanthu');
    const r = await create('vanthu', { fileNotation: '50.VP', year: 2012 });
    await svc().fileDocument(vanthu, r.id, await settle(await reg('vanthu', { issuedDate: '2012-02-02' })));
    await svc().close(vanthu, r.id);
    const tr = await svc().transfer(vanthu, [r.id]);
    for (const format of ['PDF', 'XLSX'] as const) {
      const dm = await recordReport(t.rt.services, svc(), vanthu, { kind: 'DANH_MUC_HO_SO', format, year: 2012 });
      expect(dm.rows).toBe(1);
      const ml = await recordReport(t.rt.services, svc(), vanthu, { kind: 'MUC_LUC_HO_SO', format, transferId: tr.id });
      expect(ml.rows).toBe(1);
      const vb = await recordReport(t.rt.services, svc(), vanthu, { kind: 'MUC_LUC_VAN_BAN', format, recordId: r.id });
      expect([vb.rows, vb.fileName.endsWith(format.toLowerCase())]).toEqual([1, true]);
      const key = new URL(vb.url).pathname.replace(/^\/files\//, '');
      const buf = await t.rt.services.storage.getBuffer(key);
      expect(buf.subarray(0, 4).toString('latin1')).toBe(format === 'PDF' ? '%PDF' : 'PK\u0003\u0004');
    }
    expect((await errorOf(recordReport(t.rt.services, svc(), vanthu, { kind: 'DANH_MUC_HO_SO', format: 'PDF' }))).extra.field).toBe('year');
    expect((await errorOf(recordReport(t.rt.services, svc(), await t.as('snv.vanthu'), { kind: 'MUC_LUC_VAN_BAN', format: 'PDF', recordId: r.id }))).code).toBe('NOT_FOUND');
  });
});
