/**
 * Exchange business messages end to end inside one deployment, through the REAL exchange (outbox → local
 * transport → inbox → apply, run by settleExchange): lấy lại (13 → 15 / 16), thu hồi (1), cập nhật (2),
 * thay thế (3), and the .edxml export / import of the văn thư. Real services, real PostgreSQL, demo province.
 */
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { Unit } from '../../../server/src/modules/identity/entities/unit.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { Assignment } from '../../../server/src/modules/documents/entities/assignment.entity';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { Recipient } from '../../../server/src/modules/documents/entities/misc.entities';
import { loadVisibleDocument } from '../../../server/src/modules/documents/documents.policy';
import { ExchangeInbox } from '../../../server/src/modules/exchange/exchange.entities';
import { BusinessActionRow } from '../../../server/src/modules/exchange/business/business.entities';
import { DocumentFile } from '../../../server/src/modules/documents/entities/document-file.entity';
import { keyForSha256 } from '../../../server/src/infra/storage/storage';
import { DigestSink, buildEdxmlString, parseEdxml, type EdxmlDocumentPackage } from '../../../server/src/modules/exchange/edxml';
import { documentPackage, edxmlDocumentIdOf } from '../../../server/src/modules/exchange/outbox/package';
import { sha256 } from './documents-incoming-helpers';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { settleExchange } from '../support/exchange';
import { taggedPdfFile } from '../support/pdf';
import { approveSignAndIssue } from '../support/issuing';

let t: TestRuntime;
const agencies: Record<string, Agency> = {};
const em = () => t.rt.orm.em.fork();
const as = (u: string) => t.as(u);
const out = () => t.rt.services.outgoing;
const biz = () => t.rt.services.exchangeBusiness;

const pdfFile = taggedPdfFile;

/** A công văn of UBND tỉnh issued to Sở Nội vụ and Sở Tài chính, delivered through the exchange. */
async function issuedToSnvAndStc(subject: string): Promise<Document> {
  const d = await out().createDraft(await as('chuyenvien'), {
    typeCode: null,
    typeName: 'Công văn',
    subject,
    recipientAgencyIds: [agencies.snv.id, agencies.stc.id],
    files: [await pdfFile('cong-van.pdf', `${subject}-${Math.random()}`)],
  } as never);
  const issued = await approveSignAndIssue(t, d.id);
  await settleExchange(t);
  return issued;
}

/** The incoming record of `agency` for our outgoing `doc` (applied by the exchange). */
async function incomingAt(agency: Agency, doc: Document): Promise<Document> {
  const r = await em().findOneOrFail(Recipient, { document: doc.id, agency: agency.id });
  const inbox = await em().findOneOrFail(ExchangeInbox, { kind: 'DOCUMENT', businessType: 0, recipientCode: agency.code, edxmlDocumentId: edxmlDocumentIdOf(agencies.ubnd.code, doc)! });
  expect(r.statusCode).toBe('01');
  return em().findOneOrFail(Document, { id: inbox.appliedDocument!.id });
}

async function register(username: string, incoming: Document): Promise<Document> {
  return t.rt.services.incoming.registerIncoming(await as(username), { documentId: incoming.id } as never);
}

beforeAll(async () => {
  t = await createTestRuntime();
  for (const [k, code] of Object.entries({ ubnd: '000.00.00.H27', snv: '000.00.02.H27', stc: '000.00.03.H27' })) {
    agencies[k] = await em().findOneOrFail(Agency, { code });
  }
});
afterAll(async () => t?.close());

describe('lấy lại (13 → 15 / 16)', () => {
  it('the sender asks every holding recipient; Sở Nội vụ agrees (its record withdrawn, số đến kept), Sở Tài chính refuses with a reason', async () => {
    const doc = await issuedToSnvAndStc('Về việc rà soát biên chế năm 2026');
    const snvIn = await incomingAt(agencies.snv, doc);
    const stcIn = await incomingAt(agencies.stc, doc);
    const registered = await register('snv.vanthu', snvIn);
    expect(registered.incomingNumber).toBeGreaterThan(0);
    await settleExchange(t);

    // who may ask: not the chuyên viên; a reason is required
    await expect(biz().requestRecall(await as('chuyenvien'), doc.id, 'Gửi nhầm')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(biz().requestRecall(await as('vanthu'), doc.id, '  ')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'reason' } });
    expect(await biz().allowedActions(await as('vanthu'), await em().findOneOrFail(Document, { id: doc.id }))).toContain('REQUEST_RECALL');

    await biz().requestRecall(await as('vanthu'), doc.id, 'Văn bản gửi nhầm nơi nhận');
    expect(await em().count(AuditEvent, { action: 'document.recall_request', targetId: doc.id })).toBe(1);
    // a second request while both are pending: nobody left to ask
    await expect(biz().requestRecall(await as('vanthu'), doc.id, 'Lần nữa')).rejects.toMatchObject({ code: 'CONFLICT' });
    await settleExchange(t);

    // each receiver sees the pending request and only its văn thư may answer
    const snvRow = await em().findOneOrFail(BusinessActionRow, { document: snvIn.id, side: 'RECEIVER', kind: 'RECALL' });
    expect(snvRow).toMatchObject({ state: 'PENDING', reason: 'Văn bản gửi nhầm nơi nhận', counterpartCode: agencies.ubnd.code });
    expect(await biz().allowedActions(await as('snv.vanthu'), await em().findOneOrFail(Document, { id: snvIn.id }, { populate: ['agency'] }))).toEqual(['ANSWER_RECALL']);
    await expect(biz().answerRecall(await as('snv.lanhdao'), snvIn.id, true, null)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(biz().answerRecall(await as('stc.vanthu'), stcIn.id, false, '')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'reason' } });

    await biz().answerRecall(await as('snv.vanthu'), snvIn.id, true, null);
    await biz().answerRecall(await as('stc.vanthu'), stcIn.id, false, 'Đã chuyển xử lý, đề nghị ban hành văn bản thu hồi');
    await settleExchange(t);

    // SNV's record: withdrawn, locked, never deleted; the số đến stays with the note
    const snvAfter = await em().findOneOrFail(Document, { id: snvIn.id });
    expect(snvAfter).toMatchObject({ withdrawnKind: 'RECALLED', incomingNumber: registered.incomingNumber });
    expect(snvAfter.withdrawnNote).toContain('Đã lấy lại');
    expect(snvAfter.withdrawnNote).toContain('số vẫn giữ trong sổ');
    await expect(t.rt.services.incoming.rejectIncoming(await as('snv.vanthu'), snvIn.id, 'x')).rejects.toMatchObject({ code: 'CONFLICT', extra: { reason: 'WITHDRAWN' } });
    await expect(biz().answerRecall(await as('snv.vanthu'), snvIn.id, false, 'Đổi ý')).rejects.toMatchObject({ code: 'CONFLICT' });

    // the sender sees per recipient the outcome
    const rows = await em().find(BusinessActionRow, { document: doc.id, side: 'SENDER', kind: 'RECALL' }, { populate: ['recipient'] });
    const byAgency = Object.fromEntries(rows.map((r) => [r.counterpartCode, [r.state, r.answerReason ?? null]]));
    expect(byAgency).toEqual({ [agencies.snv.code]: ['ACCEPTED', null], [agencies.stc.code]: ['REFUSED', 'Đã chuyển xử lý, đề nghị ban hành văn bản thu hồi'] });
    const snvRec = await em().findOneOrFail(Recipient, { document: doc.id, agency: agencies.snv.id });
    expect(snvRec).toMatchObject({ status: 'RECALL_ACCEPTED', statusCode: '15' });
    const stcRec = await em().findOneOrFail(Recipient, { document: doc.id, agency: agencies.stc.id });
    expect(stcRec.statusCode).not.toBe('15');
    expect(stcRec.note).toContain('Từ chối cho lấy lại');
    // SNV no longer sees the sender's record (documents.policy NOT_DELIVERED)
    await expect(loadVisibleDocument(await as('snv.vanthu'), doc.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // the refusal does not move the receiver's progress track: STC registers and the sender gets 03
    await register('stc.vanthu', stcIn);
    await settleExchange(t);
    expect((await em().findOneOrFail(Recipient, { document: doc.id, agency: agencies.stc.id })).statusCode).toBe('03');
  });
});

describe('thu hồi / cập nhật / thay thế (BussinessDocType 1 / 2 / 3)', () => {
  it('update: the receiver sees what changed; revoke: both records marked and locked, numbers kept', async () => {
    const doc = await issuedToSnvAndStc('Về việc tổ chức hội nghị sơ kết');
    const snvIn = await incomingAt(agencies.snv, doc);
    await register('snv.vanthu', snvIn);
    await settleExchange(t);

    await expect(biz().sendBusiness(await as('vanthu'), doc.id, 'UPDATE', { reason: 'Sửa trích yếu', changes: { subject: 'Về việc tổ chức hội nghị sơ kết' } })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
    });
    await biz().sendBusiness(await as('vanthu'), doc.id, 'UPDATE', { reason: 'Sửa trích yếu', changes: { subject: 'Về việc tổ chức hội nghị sơ kết 6 tháng', urgency: 'KHAN' } });
    await settleExchange(t);
    const updated = await em().findOneOrFail(Document, { id: snvIn.id });
    expect(updated).toMatchObject({ subject: 'Về việc tổ chức hội nghị sơ kết 6 tháng', urgency: 'KHAN', withdrawnAt: null });
    const upd = await em().findOneOrFail(BusinessActionRow, { document: snvIn.id, side: 'RECEIVER', kind: 'UPDATE' });
    expect(upd.state).toBe('APPLIED');
    expect(upd.changes).toEqual([
      { field: 'subject', from: 'Về việc tổ chức hội nghị sơ kết', to: 'Về việc tổ chức hội nghị sơ kết 6 tháng' },
      { field: 'urgency', from: 'THUONG', to: 'KHAN' },
    ]);
    expect((await em().findOneOrFail(Document, { id: doc.id })).subject).toBe('Về việc tổ chức hội nghị sơ kết 6 tháng');
    // a second update of the same document is a new message (not swallowed as a duplicate)
    await biz().sendBusiness(await as('vanthu'), doc.id, 'UPDATE', { reason: 'Sửa số trang', changes: { pageCount: 3 } });
    await settleExchange(t);
    expect((await em().findOneOrFail(Document, { id: snvIn.id })).pageCount).toBe(3);
    expect(await em().count(BusinessActionRow, { document: snvIn.id, side: 'RECEIVER', kind: 'UPDATE' })).toBe(2);

    // SNV's leader had assigned it: the revocation closes that assignment (kept, nobody left waiting on it)
    const snvLd = await em().findOneOrFail(User, { username: 'snv.lanhdao' });
    const snvCv = await em().findOneOrFail(User, { username: 'snv.chuyenvien' });
    await t.rt.services.incoming.submitForAnnotation(await as('snv.vanthu'), snvIn.id, snvLd.id);
    await t.rt.services.incoming.annotate(await as('snv.lanhdao'), snvIn.id, { lead: { userId: snvCv.id } });
    await biz().sendBusiness(await as('lanhdao'), doc.id, 'REVOKE', { reason: 'Hội nghị hoãn' });
    await settleExchange(t);
    const sender = await em().findOneOrFail(Document, { id: doc.id });
    expect(sender).toMatchObject({ withdrawnKind: 'REVOKED', state: 'ISSUED', number: doc.number, symbol: doc.symbol });
    expect(sender.withdrawnNote).toBe('Đã thu hồi: Hội nghị hoãn (số vẫn giữ trong sổ)');
    for (const a of [agencies.snv, agencies.stc]) {
      const inbox = await em().findOneOrFail(ExchangeInbox, { kind: 'DOCUMENT', businessType: 0, recipientCode: a.code, edxmlDocumentId: edxmlDocumentIdOf(agencies.ubnd.code, doc)! });
      const inc = await em().findOneOrFail(Document, { id: inbox.appliedDocument!.id });
      expect(inc.withdrawnKind).toBe('REVOKED');
      expect(await em().count(BusinessActionRow, { document: inc.id, side: 'RECEIVER', kind: 'REVOKE', state: 'APPLIED' })).toBe(1);
    }
    expect((await em().find(Assignment, { document: snvIn.id })).map((a) => a.state)).toEqual(['CLOSED']);
    await expect(t.rt.services.incoming.addProgress(await as('snv.chuyenvien'), (await em().findOneOrFail(Assignment, { document: snvIn.id })).id, 'x')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await em().count(AuditEvent, { action: 'document.revoke', targetId: doc.id })).toBe(1);
    // the sender's record is locked too: nothing more may be done but the export
    await expect(biz().sendBusiness(await as('vanthu'), doc.id, 'REVOKE', { reason: 'Lần nữa' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await biz().allowedActions(await as('vanthu'), sender)).toEqual(['EXPORT_EDXML']);
  });

  it('replace: the original is marked replaced at the sender and the receivers, linked to the replacing document', async () => {
    const original = await issuedToSnvAndStc('Về việc phân bổ kinh phí (lần 1)');
    const replacing = await issuedToSnvAndStc('Về việc phân bổ kinh phí (thay thế)');
    const stcIn = await incomingAt(agencies.stc, original);
    const stcNew = await incomingAt(agencies.stc, replacing);
    await expect(biz().sendBusiness(await as('vanthu'), original.id, 'REPLACE', { reason: 'Sai số liệu', replacementId: original.id })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      extra: { field: 'replacementId' },
    });
    await biz().sendBusiness(await as('vanthu'), original.id, 'REPLACE', { reason: 'Sai số liệu', replacementId: replacing.id });
    await settleExchange(t);
    const sender = await em().findOneOrFail(Document, { id: original.id });
    expect(sender.withdrawnKind).toBe('REPLACED');
    expect(sender.withdrawnNote).toBe(`Đã bị thay thế bằng văn bản ${replacing.symbol}: Sai số liệu (số vẫn giữ trong sổ)`);
    const inc = await em().findOneOrFail(Document, { id: stcIn.id });
    expect(inc.withdrawnKind).toBe('REPLACED');
    const row = await em().findOneOrFail(BusinessActionRow, { document: stcIn.id, side: 'RECEIVER', kind: 'REPLACE' }, { populate: ['agency'] });
    const scope = await as('stc.vanthu');
    expect((await biz().replacingOf(scope, row))?.id).toBe(stcNew.id);
    // the replacing document itself stays open at the receiver
    expect((await em().findOneOrFail(Document, { id: stcNew.id })).withdrawnAt).toBeNull();
  });
});

describe('giao cơ quan khác (bút phê to other agencies)', () => {
  it("UBND tỉnh: 'Giao Sở Tài chính chủ trì, phối hợp Sở Nội vụ'; their statuses come back and STC's 06 completes the document", async () => {
    const services = t.rt.services;
    const vt = await as('vanthu');
    const doc = await services.incoming.registerIncoming(vt, {
      issuerName: 'Bộ Tài chính',
      symbol: `${Math.floor(Math.random() * 9000) + 100}/BTC-NSNN`,
      issuedDate: '2026-11-20',
      typeName: 'Công văn',
      subject: 'Về việc rà soát dự toán ngân sách năm 2027',
      files: [await pdfFile('btc.pdf', `btc-${Math.random()}`)],
    } as never);
    const lanhdao = await em().findOneOrFail(User, { username: 'lanhdao' });
    await services.incoming.submitForAnnotation(vt, doc.id, lanhdao.id);
    const kt = await em().findOneOrFail(Unit, { agency: agencies.ubnd.id, abbr: 'KT' });
    const ld = await as('lanhdao');
    const far = '2099-12-31';
    // one chủ trì only; unknown agencies refused at the field
    await expect(services.incoming.annotate(ld, doc.id, { lead: { unitId: kt.id }, agencies: [{ agencyCode: agencies.stc.code, role: 'LEAD' }] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      extra: { field: 'agencies[0].role' },
    });
    await expect(services.incoming.annotate(ld, doc.id, { agencies: [{ agencyCode: '000.00.99.Z99', role: 'LEAD' }] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      extra: { field: 'agencies[0].agencyCode' },
    });
    await services.incoming.annotate(ld, doc.id, {
      instruction: 'Giao Sở Tài chính chủ trì, phối hợp Sở Nội vụ và Phòng Kinh tế, báo cáo UBND tỉnh',
      coordinators: [{ unitId: kt.id }],
      agencies: [
        { agencyCode: agencies.stc.code, role: 'LEAD', deadline: far },
        { agencyCode: agencies.snv.code, role: 'COORDINATOR' },
      ],
    });
    const ours = await em().findOneOrFail(Document, { id: doc.id });
    expect(ours).toMatchObject({ state: 'ASSIGNED', deadline: far });
    await settleExchange(t);
    const rows = await services.exchangeBusiness.agencies.list(em(), doc.id);
    expect(rows.map((r) => [r.agencyCode, r.role, r.state, r.statusCode])).toEqual([
      [agencies.stc.code, 'LEAD', 'PENDING', '01'],
      [agencies.snv.code, 'COORDINATOR', 'PENDING', '01'],
    ]);
    // STC received it as its own incoming (chờ vào sổ) with the phiếu chuyển as the message reason
    const stcInbox = await em().findOneOrFail(ExchangeInbox, { kind: 'DOCUMENT', recipientCode: agencies.stc.code, senderCode: agencies.ubnd.code, edxmlDocumentId: { $like: `%${doc.symbol!.split('/')[1]}` } });
    expect(JSON.stringify(stcInbox.value)).toContain('Phiếu chuyển của');
    expect((stcInbox.value as { header: { dueDate?: string } }).header.dueDate).toBe(far);
    const stcDoc = await em().findOneOrFail(Document, { id: stcInbox.appliedDocument!.id });
    expect(stcDoc).toMatchObject({ state: 'RECEIVED', subject: 'Về việc rà soát dự toán ngân sách năm 2027' });

    // STC registers, its leader assigns, its chuyên viên reports progress (05) and completes (06)
    const stcVt = await as('stc.vanthu');
    await services.incoming.registerIncoming(stcVt, { documentId: stcDoc.id } as never);
    const stcLd = await em().findOneOrFail(User, { username: 'stc.lanhdao' });
    const stcCv = await em().findOneOrFail(User, { username: 'stc.chuyenvien' });
    await services.incoming.submitForAnnotation(stcVt, stcDoc.id, stcLd.id);
    await services.incoming.annotate(await as('stc.lanhdao'), stcDoc.id, { lead: { userId: stcCv.id } });
    await settleExchange(t);
    const asg = await em().findOneOrFail(Assignment, { document: stcDoc.id, active: true });
    await services.incoming.addProgress(await as('stc.chuyenvien'), asg.id, 'Đang rà soát số liệu');
    await settleExchange(t);
    expect((await services.exchangeBusiness.agencies.list(em(), doc.id))[0]).toMatchObject({ state: 'IN_PROGRESS', statusCode: '05' });
    expect((await em().findOneOrFail(Document, { id: doc.id })).state).toBe('IN_PROGRESS');
    await services.incoming.completeAssignment(await as('stc.chuyenvien'), asg.id, 'Đã báo cáo UBND tỉnh');
    await settleExchange(t);

    const [stc, snv] = await services.exchangeBusiness.agencies.list(em(), doc.id);
    expect(stc).toMatchObject({ state: 'DONE', statusCode: '06' });
    expect(snv.state).toBe('CLOSED');
    const done = await em().findOneOrFail(Document, { id: doc.id });
    expect(done.state).toBe('DONE');
    expect(done.completedAt).toBeInstanceOf(Date);
    const ktAsg = await em().findOneOrFail(Assignment, { document: doc.id, unit: kt.id, active: true });
    expect(ktAsg.state).toBe('CLOSED');
    expect(await em().count(AuditEvent, { action: 'document.assign_agencies', targetId: doc.id })).toBe(1);
    expect(await em().count(AuditEvent, { action: 'document.agency_assignment_status', targetId: doc.id })).toBeGreaterThanOrEqual(3);
  });
});

describe('.edxml files', () => {
  it('exports an issued document as a package with its files (streamed into the store, a download link)', async () => {
    const doc = await issuedToSnvAndStc('Về việc xuất gói edXML');
    await expect(t.rt.services.edxmlFiles.exportDocument(await as('chuyenvien'), doc.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(t.rt.services.edxmlFiles.exportDocument(await as('snv.vanthu'), doc.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const exp = await t.rt.services.edxmlFiles.exportDocument(await as('vanthu'), doc.id);
    expect(exp.fileName).toBe(`${doc.symbol!.replace('/', '-')}.edxml`);
    expect(exp.url).toBeTruthy();
    const xml = await t.rt.services.storage.getBuffer(keyForSha256(exp.sha256));
    const parsed = await parseEdxml(xml, new DigestSink());
    expect(parsed.value.kind).toBe('document');
    const v = parsed.value as EdxmlDocumentPackage;
    expect(v.header.subject).toBe('Về việc xuất gói edXML');
    expect(v.header.from.organId).toBe(agencies.ubnd.code);
    expect(v.header.to.map((x) => x.organId).sort()).toEqual([agencies.snv.code, agencies.stc.code].sort());
    const files = await em().find(DocumentFile, { document: doc.id, kind: 'MAIN' });
    expect(v.attachments.map((a) => a.sha256)).toEqual(files.map((f) => f.sha256));
    expect(await em().count(AuditEvent, { action: 'document.export_edxml', targetId: doc.id })).toBe(1);
  });

  it('imports a package received by other means into chờ vào sổ (once); a bad file gets the codec reason at "file"', async () => {
    const pdf = Buffer.from(await (await pdfFile('cv.pdf', `import-${Math.random()}`)).arrayBuffer());
    const pkg = documentPackage(
      { organId: '000.00.00.G22', organName: 'Văn phòng Chính phủ' },
      [{ organId: agencies.stc.code, organName: agencies.stc.name }],
      { number: 7816, symbol: '7816/VPCP-TTĐT', issuedDate: '2026-01-05', typeName: 'Công văn', subject: 'Về việc nhập tệp edXML', signerName: 'Nguyễn Văn A', signerTitle: 'Phó Chủ nhiệm', urgency: 'THUONG', pageCount: 1, place: 'Hà Nội' },
      [{ fileName: 'cv.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) }],
      new Date(),
    );
    const xml = await buildEdxmlString(pkg, async () => (async function* () { yield new Uint8Array(pdf); })());
    const file = new File([xml], '7816-VPCP.edxml', { type: 'application/xml' });
    expect(t.rt.services.edxmlFiles.importAllowed(await as('stc.vanthu'))).toBe(true);
    expect(t.rt.services.edxmlFiles.importAllowed(await as('stc.chuyenvien'))).toBe(false);
    await expect(t.rt.services.edxmlFiles.importFile(await as('stc.chuyenvien'), file)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // an agency the package is not addressed to
    await expect(t.rt.services.edxmlFiles.importFile(await as('snv.vanthu'), file)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'file' } });

    expect(await t.rt.services.edxmlFiles.importFile(await as('stc.vanthu'), file)).toEqual({ accepted: true, duplicate: false });
    await settleExchange(t);
    const inbox = await em().findOneOrFail(ExchangeInbox, { kind: 'DOCUMENT', recipientCode: agencies.stc.code, edxmlDocumentId: '000.00.00.G22,2026/01/05,7816/VPCP-TTĐT' });
    expect(inbox.via).toBe('FILE');
    const inc = await em().findOneOrFail(Document, { id: inbox.appliedDocument!.id }, { populate: ['agency'] });
    expect(inc).toMatchObject({ direction: 'INCOMING', state: 'RECEIVED', subject: 'Về việc nhập tệp edXML', symbol: '7816/VPCP-TTĐT' });
    expect(inc.agency.id).toBe(agencies.stc.id);
    expect((await em().find(DocumentFile, { document: inc.id })).map((f) => f.sha256)).toEqual([sha256(pdf)]);
    // the same file again: stored once
    expect(await t.rt.services.edxmlFiles.importFile(await as('stc.vanthu'), file)).toEqual({ accepted: true, duplicate: true });

    // broken / invalid files: the codec's precise reason, nothing stored
    const before = await em().count(ExchangeInbox, {});
    const broken = new File([xml.slice(0, 400)], 'hong.edxml');
    const e1 = await t.rt.services.edxmlFiles.importFile(await as('stc.vanthu'), broken).catch((e: unknown) => e);
    expect(e1).toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'file' } });
    expect(String((e1 as Error).message)).toContain('Tệp edXML không hợp lệ');
    const noSubject = new File([xml.replace(/<edXML:Subject>[^<]*<\/edXML:Subject>/, '')], 'thieu.edxml');
    const e2 = await t.rt.services.edxmlFiles.importFile(await as('stc.vanthu'), noSubject).catch((e: unknown) => e);
    expect(e2).toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'file' } });
    expect(String((e2 as Error).message)).toContain('Subject');
    expect(await em().count(ExchangeInbox, {})).toBe(before);
  });
});
