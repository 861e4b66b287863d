/**
 * Văn bản đi end to end at the service level (real services, real PostgreSQL, demo province):
 * dự thảo → duyệt → ký → phát hành with Decree 30 numbering and delivery, and the rules it must refuse.
 * Numbering is checked per agency: ubnd (main flow, shared sequence, idempotency, secret), stc (12 parallel
 * issues, no approval chain), luongtai (PER_TYPE policy, custom type).
 */
import { PDFDocument } from 'pdf-lib';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { INACTIVE_AGENCY_NOTE, SECRET_NOT_DELIVERED_NOTE } from '../../../server/src/modules/documents/delivery';
import { registerYear } from '../../../server/src/modules/documents/domain';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { DocumentFile } from '../../../server/src/modules/documents/entities/document-file.entity';
import { DocumentComment, DocumentMember, Notification, NumberSequence, Recipient } from '../../../server/src/modules/documents/entities/misc.entities';
import { allowedOutgoingActionsFor, type CreateDraftInput } from '../../../server/src/modules/documents/outgoing.service';
import { loadVisibleDocument } from '../../../server/src/modules/documents/documents.policy';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { settleExchange } from '../support/exchange';
import { taggedPdfFile } from '../support/pdf';
import { approveAndSign, UBND_CHAIN, type ApprovalChain } from '../support/issuing';
import { LocalDays } from '../support/local-days';

let t: TestRuntime;
const agencies: Record<string, Agency> = {};

const pdfFile = taggedPdfFile;

const out = () => t.rt.services.outgoing;
const as = (u: string) => t.as(u);
const em = () => t.rt.orm.em.fork();
const userId = async (username: string) => (await em().findOneOrFail(User, { username })).id;
const unitAbbrOf = async (username: string) => (await em().findOneOrFail(User, { username }, { populate: ['unit'] })).unit!.abbr;

/** A draft by `drafter`, submitted, approved along the chain by `approvers`, signed by `signer`. */
async function signedDraft(
  p: ApprovalChain,
  input: Partial<CreateDraftInput> = {},
): Promise<Document> {
  const d = await out().createDraft(await as(p.drafter), {
    typeCode: 'QĐ',
    subject: 'Quyết định về việc ban hành quy chế',
    files: [await pdfFile('du-thao.pdf', `draft-${Math.random()}`)],
    ...input,
  });
  return approveAndSign(t, d.id, p);
}

async function lastNumber(agencyId: string, key: string): Promise<number | null> {
  const row = await em().findOne(NumberSequence, { agency: agencyId, key, year: registerYear(new Date()) });
  return row?.lastNumber ?? null;
}

beforeAll(async () => {
  t = await createTestRuntime();
  for (const [k, code] of Object.entries({ ubnd: '000.00.00.H27', snv: '000.00.02.H27', stc: '000.00.03.H27', luongtai: '000.00.41.H27', giabinh: '000.00.42.H27', skhcn: '000.00.04.H27' })) {
    agencies[k] = await em().findOneOrFail(Agency, { code });
  }
});
afterAll(async () => t?.close());

describe('văn bản đi: the happy path', () => {
  it('chuyên viên drafts, trưởng phòng and lãnh đạo approve, lãnh đạo signs, văn thư issues 01/QĐ-UBND and delivers it to Sở Nội vụ', async () => {
    const file = await pdfFile('Dự thảo QĐ.pdf', 'qd-v1');
    const draft = await out().createDraft(await as('chuyenvien'), {
      typeCode: 'QĐ',
      subject: '  Quyết định phê duyệt Kế hoạch chuyển đổi số năm 2026  ',
      urgency: 'KHAN',
      recipientAgencyIds: [agencies.snv.id],
      externalRecipients: ['Bộ Nội vụ', ' Bộ Nội vụ '],
      copies: 5,
      files: [file],
    });
    expect(draft).toMatchObject({ direction: 'OUTGOING', state: 'DRAFT', typeCode: 'QĐ', typeName: 'Quyết định', subject: 'Quyết định phê duyệt Kế hoạch chuyển đổi số năm 2026', urgency: 'KHAN' });
    expect([draft.number ?? null, draft.symbol ?? null, draft.issuedDate ?? null]).toEqual([null, null, null]);
    expect(draft.approvalChain).toHaveLength(2);
    expect(draft.externalRecipients).toEqual(['Bộ Nội vụ']);
    const draftFiles = await em().find(DocumentFile, { document: draft.id });
    expect(draftFiles).toHaveLength(1);
    expect(draftFiles[0]).toMatchObject({ kind: 'DRAFT', version: 1, fileName: 'Dự thảo QĐ.pdf', contentType: 'application/pdf' });
    const recipients0 = await em().find(Recipient, { document: draft.id }, { orderBy: { name: 'asc' } });
    expect(recipients0.map((r) => [r.name, r.agency?.id ?? null, r.status ?? null])).toEqual([
      ['Bộ Nội vụ', null, null],
      [agencies.snv.name, agencies.snv.id, null],
    ]);

    // Before submission the trưởng phòng cannot even see it; the drafter may edit and submit.
    await expect(loadVisibleDocument(await as('truongphong'), draft.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(allowedOutgoingActionsFor(await as('chuyenvien'), draft).sort()).toEqual(['COMMENT', 'SUBMIT', 'UPDATE_DRAFT']);

    const submitted = await out().submitForApproval(await as('chuyenvien'), draft.id, 'Kính trình anh chị xem xét');
    expect(submitted).toMatchObject({ state: 'IN_APPROVAL', approvalStep: 0 });
    const tp = await as('truongphong');
    const seen = await loadVisibleDocument(tp, draft.id);
    expect(allowedOutgoingActionsFor(tp, seen)).toEqual(expect.arrayContaining(['APPROVE', 'REJECT']));
    expect(await em().count(Notification, { user: await userId('truongphong'), document: draft.id, kind: 'APPROVAL_REQUESTED' })).toBe(1);

    const a1 = await out().approve(tp, draft.id, 'Nội dung phù hợp');
    expect(a1).toMatchObject({ state: 'IN_APPROVAL', approvalStep: 1 });
    const a2 = await out().approve(await as('lanhdao'), draft.id);
    expect(a2).toMatchObject({ state: 'APPROVED', approvalStep: null });
    const signed = await out().sign(await as('lanhdao'), draft.id, 'Đã ký');
    expect(signed).toMatchObject({ state: 'SIGNED', signerName: 'Phạm Quốc Hùng', signerTitle: 'Phó Chủ tịch' });
    expect(signed.signedAt).toBeInstanceOf(Date);
    expect(signed.signedBy?.id).toBe(await userId('lanhdao'));
    expect(allowedOutgoingActionsFor(await as('vanthu'), signed)).toEqual(['ISSUE', 'RETURN_FOR_CORRECTION']);

    const issuing = new LocalDays();
    const issued = await out().issue(await as('vanthu'), draft.id, 'issue-qd-1');
    expect(issued).toMatchObject({
      state: 'ISSUED',
      number: 1,
      symbol: '01/QĐ-UBND',
      registerKey: 'OUTGOING',
      issuedDate: issuing.date(),
    });
    // the register's year is the year of the ngày ban hành (both in Asia/Ho_Chi_Minh)
    expect(issued.registerYear).toBe(Number(issued.issuedDate!.slice(0, 4)));
    expect(issued.issuedBy?.id).toBe(await userId('vanthu'));

    // Issued file: the signed draft, numbered and dated on the page and signed by the agency (bản gốc), a new
    // object in storage; the drafter's upload stays as it was.
    const files = await em().find(DocumentFile, { document: draft.id }, { orderBy: { kind: 'asc' } });
    const main = files.find((f) => f.kind === 'MAIN')!;
    expect(main.storageKey).not.toBe(draftFiles[0].storageKey);
    expect(main.fileName).toBe('01-QĐ-UBND.pdf');
    expect(files.some((f) => f.storageKey === draftFiles[0].storageKey)).toBe(true);

    // Comments of the chain, in order.
    const comments = await em().find(DocumentComment, { document: draft.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    expect(comments.map((c) => [c.kind, c.text])).toEqual([
      ['COMMENT', 'Kính trình anh chị xem xét'],
      ['APPROVE', 'Nội dung phù hợp'],
      ['APPROVE', ''],
      ['SIGN', 'Đã ký'],
    ]);

    // Delivery through the exchange (outbox → local transport → inbox): Sở Nội vụ has an incoming record,
    // 01 "đã đến"; the external body is recorded only.
    await settleExchange(t);
    const recipients = await em().find(Recipient, { document: draft.id }, { populate: ['deliveredDocument'], orderBy: { name: 'asc' } });
    expect(recipients.map((r) => [r.name, r.status ?? null, r.statusCode ?? null])).toEqual([
      ['Bộ Nội vụ', null, null],
      [agencies.snv.name, 'DELIVERED', '01'],
    ]);
    const incoming = await em().findOneOrFail(Document, { id: recipients[1].deliveredDocument!.id }, { populate: ['issuerAgency', 'sourceDocument'] });
    expect(incoming).toMatchObject({
      direction: 'INCOMING',
      state: 'RECEIVED',
      electronic: true,
      symbol: '01/QĐ-UBND',
      number: 1,
      issuedDate: issued.issuedDate,
      typeCode: 'QĐ',
      typeName: 'Quyết định',
      subject: issued.subject,
      signerName: 'Phạm Quốc Hùng',
      signerTitle: 'Phó Chủ tịch',
      urgency: 'KHAN',
      secrecy: 'THUONG',
      issuerName: agencies.ubnd.name,
      incomingNumber: null,
    });
    expect(incoming.agency.id).toBe(agencies.snv.id);
    expect(incoming.issuerAgency?.id).toBe(agencies.ubnd.id);
    expect(incoming.sourceDocument?.id).toBe(draft.id);
    const inFiles = await em().find(DocumentFile, { document: incoming.id });
    expect(inFiles.map((f) => [f.kind, f.storageKey])).toEqual([['MAIN', main.storageKey]]);
    expect(await em().count(Notification, { user: await userId('snv.vanthu'), document: incoming.id, kind: 'DOCUMENT_ARRIVED' })).toBe(1);
    // The recipient's văn thư sees it; the sender's record is visible to them too, but not to their chuyên viên.
    await expect(loadVisibleDocument(await as('snv.vanthu'), incoming.id)).resolves.toBeTruthy();
    await expect(loadVisibleDocument(await as('snv.chuyenvien'), incoming.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const audit = await em().find(AuditEvent, { targetId: draft.id }, { orderBy: { at: 'asc', id: 'asc' } });
    const own = audit.filter((a) => a.action.startsWith('document.') && a.action !== 'document.recipient_status');
    expect(own.map((a) => a.action)).toEqual(['document.draft_create', 'document.submit', 'document.approve', 'document.approve', 'document.sign', 'document.number_reserve', 'document.issue']);
    expect(own.at(-1)!.data).toMatchObject({ number: 1, symbol: '01/QĐ-UBND', registerKey: 'OUTGOING' });
    // The exchange's steps on the sender's record: queued in the issuing transaction, acknowledged, 01 received.
    expect(audit.filter((a) => !own.includes(a)).map((a) => a.action)).toEqual(['exchange.queue', 'exchange.delivered', 'document.recipient_status']);
    expect(await em().count(AuditEvent, { action: 'document.deliver', targetId: incoming.id, agencyId: agencies.snv.id })).toBe(1);
  });

  it('numbers a công văn from the same shared sequence with the drafting unit: 02/UBND-KT', async () => {
    const d = await signedDraft(UBND_CHAIN, { typeCode: null, typeName: 'Công văn', subject: 'V/v báo cáo tình hình kinh tế quý I' });
    expect(d.typeCode).toBeNull();
    const issued = await out().issue(await as('vanthu'), d.id);
    expect(issued).toMatchObject({ number: 2, symbol: '02/UBND-KT', registerKey: 'OUTGOING' });
  });

  it('a trưởng phòng drafting skips their own step; a named signer is the only one who may sign', async () => {
    const d = await out().createDraft(await as('truongphong'), {
      typeName: 'kế hoạch',
      subject: 'Kế hoạch kiểm tra công tác văn thư',
      signerId: await userId('lanhdao'),
      files: [await pdfFile('kh.pdf', 'kh')],
    });
    expect(d).toMatchObject({ typeCode: 'KH', typeName: 'Kế hoạch' });
    const s = await out().submitForApproval(await as('truongphong'), d.id);
    expect(s).toMatchObject({ state: 'IN_APPROVAL', approvalStep: 1 });
    await out().approve(await as('lanhdao'), d.id);
    await expect(out().sign(await as('truongphong'), d.id)).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Bạn không phải người ký văn bản này.' });
    await expect(out().sign(await as('lanhdao'), d.id)).resolves.toMatchObject({ state: 'SIGNED' });
  });
});

describe('văn bản đi: rules that must hold', () => {
  it('refuses wrong roles and wrong order with the domain reasons', async () => {
    await expect(out().createDraft(await as('vanthu'), { typeCode: 'QĐ', subject: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(out().createDraft(await as('luutru'), { typeCode: 'QĐ', subject: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const d = await out().createDraft(await as('chuyenvien'), { typeCode: 'TB', subject: 'Thông báo lịch họp', files: [await pdfFile('tb.pdf', 'tb')] });
    // Not yet submitted: nobody can approve, sign or issue.
    await expect(out().approve(await as('truongphong'), d.id)).rejects.toMatchObject({ code: 'NOT_FOUND' }); // cannot even see it
    await expect(out().approve(await as('lanhdao'), d.id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'Dự thảo không ở bước trình duyệt.' });
    await expect(out().sign(await as('lanhdao'), d.id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'Dự thảo chưa được duyệt xong.' });
    await expect(out().issue(await as('vanthu'), d.id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'Văn bản chưa được ký.' });
    await expect(out().submitForApproval(await as('lanhdao'), d.id)).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Chỉ người soạn thảo mới được trình dự thảo.' });

    await out().submitForApproval(await as('chuyenvien'), d.id);
    await expect(out().submitForApproval(await as('chuyenvien'), d.id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'Dự thảo đã được trình.' });
    // Out of order: the lãnh đạo's step comes after the trưởng phòng's.
    await expect(out().approve(await as('lanhdao'), d.id)).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Dự thảo không chờ bạn duyệt.' });
    await expect(out().approve(await as('chuyenvien'), d.id)).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Dự thảo không chờ bạn duyệt.' });
    await expect(out().sign(await as('chuyenvien'), d.id)).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Bạn không phải người ký văn bản này.' });
    await expect(out().issue(await as('chuyenvien'), d.id)).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Chỉ văn thư mới được phát hành văn bản.' });
    await expect(out().updateDraft(await as('chuyenvien'), d.id, { subject: 'Sửa khi đang trình' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(out().updateDraft(await as('truongphong'), d.id, { subject: 'Trưởng phòng sửa' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(out().reject(await as('truongphong'), d.id, '   ')).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: 'Phải nêu lý do trả lại.' });
    await expect(out().comment(await as('luutru'), d.id, 'xin góp ý')).rejects.toMatchObject({ code: 'NOT_FOUND' });

    await out().approve(await as('truongphong'), d.id);
    await expect(out().approve(await as('truongphong'), d.id)).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Dự thảo không chờ bạn duyệt.' });
    await out().approve(await as('lanhdao'), d.id);
    await expect(out().issue(await as('vanthu'), d.id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'Văn bản chưa được ký.' });
    await out().sign(await as('lanhdao'), d.id);
    await expect(out().sign(await as('lanhdao'), d.id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'Văn bản đã được ký.' });
    await expect(out().comment(await as('chuyenvien'), d.id, 'Bổ sung ý kiến')).resolves.toMatchObject({ state: 'SIGNED' });
    // Nothing above consumed a number.
    expect(await em().count(Document, { id: d.id, number: { $ne: null } })).toBe(0);
  });

  it('validates the draft: type, recipients, signer, reply-to', async () => {
    const cv = () => as('chuyenvien');
    await expect(out().createDraft(await cv(), { subject: 'Thiếu loại' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'typeCode' } });
    await expect(out().createDraft(await cv(), { typeCode: 'XYZ', subject: 'Loại lạ' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'typeCode' } });
    await expect(out().createDraft(await cv(), { typeCode: 'QĐ', typeName: 'Kế hoạch', subject: 'Mâu thuẫn' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(out().createDraft(await cv(), { typeCode: 'QĐ', subject: '   ' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'subject' } });
    await expect(out().createDraft(await cv(), { typeCode: 'QĐ', subject: 'Gửi chính mình', recipientAgencyIds: [agencies.ubnd.id] })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'recipientAgencyIds' } });
    await expect(out().createDraft(await cv(), { typeCode: 'QĐ', subject: 'Cơ quan lạ', recipientAgencyIds: ['01900000-0000-7000-8000-000000000000'] })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(out().createDraft(await cv(), { typeCode: 'QĐ', subject: 'Ký sai', signerId: await userId('truongphong') })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'signerId' } });
    await expect(out().createDraft(await cv(), { typeCode: 'QĐ', subject: 'Ký khác cơ quan', signerId: await userId('snv.lanhdao') })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'signerId' } });
    // Reply to an incoming record of another agency: not visible → NOT_FOUND.
    const foreign = await em().findOneOrFail(Document, { agency: agencies.snv.id, direction: 'INCOMING' });
    await expect(out().createDraft(await cv(), { typeCode: 'QĐ', subject: 'Trả lời', replyToId: foreign.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // A bad upload stores nothing.
    const fake = new File([Buffer.from('not a pdf at all')], 'gia.pdf', { type: 'application/pdf' });
    await expect(out().createDraft(await cv(), { typeCode: 'QĐ', subject: 'Tệp giả', files: [fake] })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'files' } });
    expect(await em().count(Document, { subject: 'Tệp giả' })).toBe(0);
  });

  it('returns to the drafter with a reason; a new file becomes version 2 and is the one issued', async () => {
    const d = await out().createDraft(await as('chuyenvien'), { typeCode: 'BC', subject: 'Báo cáo tổng kết', files: [await pdfFile('bc-v1.pdf', 'bc-v1')] });
    await out().submitForApproval(await as('chuyenvien'), d.id);
    const r = await out().reject(await as('truongphong'), d.id, 'Bổ sung số liệu quý IV');
    expect(r).toMatchObject({ state: 'RETURNED_TO_DRAFTER', returnReason: 'Bổ sung số liệu quý IV', approvalStep: null });
    expect(await em().count(Notification, { user: await userId('chuyenvien'), document: d.id, kind: 'DRAFT_RETURNED' })).toBe(1);
    // The trưởng phòng may not edit it now; the drafter may.
    await expect(out().updateDraft(await as('truongphong'), d.id, { files: [await pdfFile('tp.pdf', 'tp')] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const v2file = await pdfFile('bc-v2.pdf', 'bc-v2');
    const u = await out().updateDraft(await as('chuyenvien'), d.id, { subject: 'Báo cáo tổng kết năm 2025', files: [v2file] });
    expect(u).toMatchObject({ state: 'RETURNED_TO_DRAFTER', subject: 'Báo cáo tổng kết năm 2025' });
    const drafts = await em().find(DocumentFile, { document: d.id, kind: 'DRAFT' }, { orderBy: { version: 'asc' } });
    expect(drafts.map((f) => [f.version, f.fileName])).toEqual([
      [1, 'bc-v1.pdf'],
      [2, 'bc-v2.pdf'],
    ]);
    // Resubmission restarts the chain at step 0; the signer may also send it back.
    expect(await out().submitForApproval(await as('chuyenvien'), d.id)).toMatchObject({ state: 'IN_APPROVAL', approvalStep: 0, returnReason: null });
    await out().approve(await as('truongphong'), d.id);
    await out().approve(await as('lanhdao'), d.id);
    expect(await out().reject(await as('lanhdao'), d.id, 'Sửa thể thức')).toMatchObject({ state: 'RETURNED_TO_DRAFTER' });
    await out().submitForApproval(await as('chuyenvien'), d.id);
    await out().approve(await as('truongphong'), d.id);
    await out().approve(await as('lanhdao'), d.id);
    await out().sign(await as('lanhdao'), d.id);
    const issued = await out().issue(await as('vanthu'), d.id);
    const main = await em().findOneOrFail(DocumentFile, { document: d.id, kind: 'MAIN' });
    expect(issued.symbol).toMatch(/^\d{2,}\/BC-UBND$/);
    expect(main.fileName).toBe(`${issued.symbol!.replace('/', '-')}.pdf`);
    // The bản gốc is made from version 2 (its title), signed, numbered and dated.
    const original = await PDFDocument.load(await t.rt.services.storage.getBuffer(main.storageKey), { updateMetadata: false });
    expect(original.getTitle()).toBe('bc-v2');
    expect(v2file.name).toBe('bc-v2.pdf');
  });

  it('another agency can neither see nor act on the draft (NOT_FOUND)', async () => {
    const d = await signedDraft(UBND_CHAIN, { subject: 'Quyết định nội bộ' });
    for (const [u, op] of [
      ['snv.lanhdao', (s: Awaited<ReturnType<typeof as>>) => out().approve(s, d.id)],
      ['snv.lanhdao', (s: Awaited<ReturnType<typeof as>>) => out().sign(s, d.id)],
      ['snv.vanthu', (s: Awaited<ReturnType<typeof as>>) => out().issue(s, d.id, 'x')],
      ['snv.chuyenvien', (s: Awaited<ReturnType<typeof as>>) => out().comment(s, d.id, 'xem trộm')],
      ['stc.chuyenvien', (s: Awaited<ReturnType<typeof as>>) => out().updateDraft(s, d.id, { subject: 'sửa trộm' })],
      ['stc.truongphong', (s: Awaited<ReturnType<typeof as>>) => out().reject(s, d.id, 'không')],
    ] as const) {
      await expect(op(await as(u))).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'Văn bản không tồn tại hoặc bạn không có quyền xem.' });
    }
    await expect(out().issue(await as('vanthu'), 'not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(out().issue(await as('vanthu'), '01900000-0000-7000-8000-000000000000')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const fresh = await em().findOneOrFail(Document, { id: d.id });
    expect(fresh.state).toBe('SIGNED');
  });
});

describe('phát hành: numbering', () => {
  it('is idempotent with the same key; a failing issue consumes no number; the same key in parallel gives one number', async () => {
    const a = await signedDraft(UBND_CHAIN, { subject: 'Văn bản A' });
    const b = await signedDraft(UBND_CHAIN, { subject: 'Văn bản B' });
    const c = await signedDraft(UBND_CHAIN, { subject: 'Văn bản C' });
    const start = (await lastNumber(agencies.ubnd.id, 'OUTGOING')) ?? 0;

    const first = await out().issue(await as('vanthu'), a.id, 'phat-hanh-A');
    expect(first.number).toBe(start + 1);
    const again = await out().issue(await as('vanthu'), a.id, 'phat-hanh-A');
    expect([again.number, again.symbol]).toEqual([first.number, first.symbol]);
    await expect(out().issue(await as('vanthu'), a.id, 'khac')).rejects.toMatchObject({ code: 'CONFLICT', message: 'Văn bản đã được phát hành.' });
    await expect(out().issue(await as('vanthu'), a.id)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(out().issue(await as('chuyenvien'), a.id, 'phat-hanh-A')).rejects.toMatchObject({ code: 'FORBIDDEN' });

    // B fails AFTER its number was taken (the key belongs to A: unique violation at flush) → rolled back.
    await expect(out().issue(await as('vanthu'), b.id, 'phat-hanh-A')).rejects.toMatchObject({ code: 'CONFLICT', extra: { field: 'idempotencyKey' } });
    expect(await lastNumber(agencies.ubnd.id, 'OUTGOING')).toBe(start + 1);
    expect((await em().findOneOrFail(Document, { id: b.id })).state).toBe('SIGNED');
    expect(await em().count(Document, { sourceDocument: b.id })).toBe(0);
    const bIssued = await out().issue(await as('vanthu'), b.id, 'phat-hanh-B');
    expect(bIssued.number).toBe(start + 2);

    // Two concurrent retries of the same request: one number, both answers agree.
    const [c1, c2] = await Promise.all([out().issue(await as('vanthu'), c.id, 'phat-hanh-C'), out().issue(await as('vanthu'), c.id, 'phat-hanh-C')]);
    expect(c1.number).toBe(start + 3);
    expect(c2.number).toBe(start + 3);
    expect(await lastNumber(agencies.ubnd.id, 'OUTGOING')).toBe(start + 3);
    expect(await em().count(AuditEvent, { action: 'document.issue', targetId: c.id })).toBe(1);
  });

  // Each issue stamps the page and applies the agency's PAdES signature, CPU-bound on the event loop: 12 at once
  // (more than the test pool's 5 connections) still race the numbering transaction, in a fraction of the time.
  const PARALLEL = 12;
  it(`${PARALLEL} parallel issues get 1..${PARALLEL} with no gap and no duplicate (agency without approval chain)`, async () => {
    await expect(t.rt.services.documentSettings.update(await as('stc.chuyenvien'), agencies.stc.id, { approvalChain: [] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(
      t.rt.services.documentSettings.update(await as('stc.quantri'), agencies.stc.id, { approvalChain: [{ kind: 'ROLE', role: 'KHONG_CO' as never, scope: 'AGENCY' }] }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await t.rt.services.documentSettings.update(await as('stc.quantri'), agencies.stc.id, { approvalChain: [] });

    const file = await pdfFile('cv.pdf', 'stc-shared');
    const ids: string[] = [];
    for (let batch = 0; batch < PARALLEL / 6; batch++) {
      const docs = await Promise.all(
        Array.from({ length: 6 }, async (_, i) => {
          const d = await out().createDraft(await as('stc.chuyenvien'), { typeName: 'Công văn', subject: `Công văn số thứ tự ${batch * 6 + i}`, files: [file] });
          const s = await out().submitForApproval(await as('stc.chuyenvien'), d.id);
          expect(s.state).toBe('APPROVED'); // empty chain: straight to signing
          await out().sign(await as('stc.lanhdao'), d.id);
          return d.id;
        }),
      );
      ids.push(...docs);
    }
    const unit = await unitAbbrOf('stc.chuyenvien');
    const issued = await Promise.all(ids.map(async (id) => out().issue(await as('stc.vanthu'), id)));
    const numbers = issued.map((d) => d.number!).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: PARALLEL }, (_, i) => i + 1));
    expect(new Set(issued.map((d) => d.symbol)).size).toBe(PARALLEL);
    for (const d of issued) expect(d.symbol).toBe(`${String(d.number).padStart(2, '0')}/STC-${unit}`);
    expect(await lastNumber(agencies.stc.id, 'OUTGOING')).toBe(PARALLEL);
    const rows = await em().find(Document, { agency: agencies.stc.id, direction: 'OUTGOING', state: 'ISSUED' });
    expect(rows.map((r) => r.number).sort((x, y) => x! - y!)).toEqual(numbers);
  }, 300_000);

  it('PER_TYPE policy: one sequence per type (công văn share one), custom types included', async () => {
    const quantri = () => as('luongtai.quantri');
    await t.rt.services.documentSettings.update(await quantri(), agencies.luongtai.id, {
      outgoingNumbering: 'PER_TYPE',
      approvalChain: [],
      documentTypes: [{ key: 'PHIEU_TRINH', code: 'PTr', name: 'Phiếu trình' }],
    });
    const chain = { drafter: 'luongtai.chuyenvien', approvers: [], signer: 'luongtai.lanhdao', clerk: 'luongtai.vanthu' };
    const issue = async (input: Partial<CreateDraftInput>) => out().issue(await as(chain.clerk), (await signedDraft(chain, input)).id);
    const unit = await unitAbbrOf('luongtai.chuyenvien');
    const q1 = await issue({ typeCode: 'QĐ' });
    const cv1 = await issue({ typeCode: null, typeName: 'Công văn' });
    const q2 = await issue({ typeCode: 'QĐ' });
    const kh1 = await issue({ typeCode: 'KH' });
    const tc1 = await issue({ typeCode: null, typeName: 'Thư công' });
    const ptr = await issue({ typeCode: 'PTr' });
    expect([q1, cv1, q2, kh1, tc1, ptr].map((d) => [d.symbol, d.registerKey])).toEqual([
      ['01/QĐ-UBND', 'OUTGOING:QĐ'],
      [`01/UBND-${unit}`, 'OUTGOING:CONG_VAN'],
      ['02/QĐ-UBND', 'OUTGOING:QĐ'],
      ['01/KH-UBND', 'OUTGOING:KH'],
      [`02/UBND-${unit}`, 'OUTGOING:CONG_VAN'],
      ['01/PTr-UBND', 'OUTGOING:PTr'],
    ]);
    // The province (default SHARED) is unaffected by Lương Tài's policy.
    expect(await lastNumber(agencies.ubnd.id, 'OUTGOING:QĐ')).toBeNull();
  });

  it('secret documents: own sequence, named readers only, not delivered electronically', async () => {
    const sharedBefore = await lastNumber(agencies.ubnd.id, 'OUTGOING');
    const d = await out().createDraft(await as('chuyenvien'), {
      typeCode: 'QĐ',
      subject: 'Quyết định (mật) về phương án bảo vệ',
      secrecy: 'MAT',
      recipientAgencyIds: [agencies.snv.id],
      // metadata only: a secret draft carries no file (issue 9, documents-secret.test.ts)
    });
    // Named readers only: not the văn thư, not the leaders, until the document reaches them.
    await expect(loadVisibleDocument(await as('lanhdao'), d.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(loadVisibleDocument(await as('vanthu'), d.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await out().submitForApproval(await as('chuyenvien'), d.id);
    await out().approve(await as('truongphong'), d.id);
    await expect(loadVisibleDocument(await as('vanthu'), d.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await out().approve(await as('lanhdao'), d.id);
    await out().sign(await as('lanhdao'), d.id);
    const issued = await out().issue(await as('vanthu'), d.id);
    expect(issued).toMatchObject({ number: 1, symbol: '01/QĐ-UBND-M', registerKey: 'OUTGOING_SECRET' });
    expect(await lastNumber(agencies.ubnd.id, 'OUTGOING')).toBe(sharedBefore);
    const readers = await em().find(DocumentMember, { document: d.id, kind: 'READER' }, { populate: ['user'] });
    expect(readers.map((m) => m.user.username).sort()).toEqual(['chuyenvien', 'lanhdao', 'truongphong', 'vanthu']);
    const r = await em().findOneOrFail(Recipient, { document: d.id });
    expect(r).toMatchObject({ status: null, statusCode: null, deliveredDocument: null, note: SECRET_NOT_DELIVERED_NOTE });
    expect(await em().count(Document, { sourceDocument: d.id })).toBe(0);
    await expect(loadVisibleDocument(await as('snv.vanthu'), d.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('dates and numbers in the agency time zone: 31/12 17:30 UTC is 01/01 of the next year in Hà Nội (a new sequence)', async () => {
    const clock = t.rt.services.clock;
    const real = clock.now;
    const d = await signedDraft(UBND_CHAIN, { subject: 'Quyết định ban hành đầu năm' });
    try {
      clock.now = () => new Date('2030-12-31T17:30:00Z');
      const issued = await out().issue(await as('vanthu'), d.id);
      expect(issued).toMatchObject({ number: 1, symbol: '01/QĐ-UBND', registerYear: 2031, issuedDate: '2031-01-01', registerKey: 'OUTGOING' });
      expect((await em().findOneOrFail(NumberSequence, { agency: agencies.ubnd.id, key: 'OUTGOING', year: 2031 })).lastNumber).toBe(1);
    } finally {
      clock.now = real;
    }
  });
});

describe('delivery edge cases', () => {
  it('a recipient agency that left the deployment after drafting is recorded as not delivered; the others still get it', async () => {
    const d = await out().createDraft(await as('chuyenvien'), {
      typeCode: 'TB',
      subject: 'Thông báo kết luận cuộc họp',
      recipientAgencyIds: [agencies.giabinh.id, agencies.skhcn.id],
      files: [await pdfFile('tb-kl.pdf', 'tb-kl')],
    });
    await out().submitForApproval(await as('chuyenvien'), d.id);
    await out().approve(await as('truongphong'), d.id);
    await out().approve(await as('lanhdao'), d.id);
    await out().sign(await as('lanhdao'), d.id);
    await em().nativeUpdate(Agency, { id: agencies.giabinh.id }, { active: false });
    try {
      await out().issue(await as('vanthu'), d.id);
      await settleExchange(t);
      const rows = await em().find(Recipient, { document: d.id }, { populate: ['agency'] });
      const gb = rows.find((r) => r.agency!.id === agencies.giabinh.id)!;
      const kh = rows.find((r) => r.agency!.id === agencies.skhcn.id)!;
      expect(gb).toMatchObject({ status: null, deliveredDocument: null, note: INACTIVE_AGENCY_NOTE });
      expect(kh).toMatchObject({ status: 'DELIVERED', statusCode: '01' });
      expect(await em().count(Document, { sourceDocument: d.id })).toBe(1);
    } finally {
      await em().nativeUpdate(Agency, { id: agencies.giabinh.id }, { active: true });
    }
  });
});
