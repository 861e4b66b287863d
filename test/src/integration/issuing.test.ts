/**
 * Issuing a real document (issue 12), real services, real PostgreSQL, real signing core, poppler:
 * leader signs (PAdES, personal key) → văn thư issues two-phase (number reserved, number and date written on
 * the page, agency signature) → the recipient receives that file. QĐ as a legal normative document, a sao y
 * with its own number, a failed agency signature (a real signer whose agency key chains to an untrusted CA)
 * that leaves the number used on retry or cancelled with its reason, concurrent issues without duplicates,
 * the văn thư's return for correction, TUQ. needing a delegation, a non-PDF/DOCX draft refused, a paper document registered.
 */
import { execFileSync } from 'node:child_process';
import { zipSync } from 'fflate';
import { PDFDocument } from 'pdf-lib';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { localDateOf } from '../../../server/src/modules/documents/domain';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { DocumentFile } from '../../../server/src/modules/documents/entities/document-file.entity';
import { DocumentComment } from '../../../server/src/modules/documents/entities/misc.entities';
import { DocumentIssuing, NumberReservation } from '../../../server/src/modules/documents/issuing/issuing.entities';
import { IssuingService } from '../../../server/src/modules/documents/issuing/issuing.service';
import { signerOf, type IssuingSigner, type SignOpts } from '../../../server/src/modules/documents/issuing/signer';
import type { CreateDraftInput } from '../../../server/src/modules/documents/outgoing.service';
import { createDemoCa, issueEndEntity } from '../../../server/src/modules/signing/crypto/certificates';
import { signPdfWithKey } from '../../../server/src/modules/signing/pdf/local-signer';
import { renderDemoPdf } from '../../../server/src/seed/demo-documents';
import { demoPlan, layoutDemoDocument } from '../../../server/src/seed/demo-layout';
import { pdfsig, pdftotext } from '../support/pdf';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { settleExchange } from '../support/exchange';
import { approveAndSign } from '../support/issuing';
import { LocalDays, vnDateLine } from '../support/local-days';

let t: TestRuntime;
const em = () => t.rt.orm.em.fork();
const out = () => t.rt.services.outgoing;
const as = (u: string) => t.as(u);
let ubnd: Agency;
let snv: Agency;
/** Dates the server stamps are checked against every local day since the file began (a run may cross midnight). */
let days: LocalDays;

const hasPoppler = (() => {
  try {
    execFileSync('pdfsig', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const d = hasPoppler || process.env.CI ? describe : describe.skip;

/** A draft laid out as Decree 30 App. I (the demo generator): blanks for the number and date, the UBND signer block. */
async function draftPdf(notation: string, kind: keyof ReturnType<typeof demoPlan>['drafts'] = 'thiDua'): Promise<File> {
  const names = { lanhdao: 'Phạm Quốc Hùng', 'snv.lanhdao': 'Lê Văn Hòa', 'syt.lanhdao': 'Vũ Thị Bích', 'stc.lanhdao': 'Trần Thị Kim Oanh' };
  // dated when drafted, not when the file began: a draft's year must be the year it is issued in
  const spec = demoPlan(localDateOf(new Date(), ubnd.timeZone), names as never).drafts[kind];
  const layout = { ...layoutDemoDocument(spec), symbolLine: `Số:        ${notation}` };
  return new File([new Uint8Array(await renderDemoPdf(layout, `${notation} ${Math.random()}`))], 'du-thao.pdf', { type: 'application/pdf' });
}

/** A page without text (App. I default positions), unique bytes. */
async function blankPdf(name = 'du-thao.pdf'): Promise<File> {
  const p = await PDFDocument.create();
  p.addPage([595, 842]);
  p.setTitle(`blank ${Math.random()}`);
  return new File([Buffer.from(await p.save())], name, { type: 'application/pdf' });
}

async function signedDraft(input: Partial<CreateDraftInput> & { files: File[] }): Promise<Document> {
  const dr = await out().createDraft(await as('chuyenvien'), { typeCode: 'QĐ', subject: 'Quyết định về việc kiện toàn Hội đồng Thi đua - Khen thưởng tỉnh', recipientAgencyIds: [snv.id], ...input });
  return approveAndSign(t, dr.id);
}

const bytesOf = async (f: DocumentFile) => t.rt.services.storage.getBuffer(f.storageKey);



/**
 * A real alternative signer: the deployment's signer for everything, except that the "agency key" it holds
 * was issued by a CA nobody trusts (a wrong PKCS#12 installed). Its signatures are intact but untrusted.
 */
class UntrustedAgencyKeySigner implements IssuingSigner {
  private readonly key;
  constructor(
    private readonly real: IssuingSigner,
    agencyName: string,
  ) {
    const ca = createDemoCa('Không tin cậy');
    this.key = issueEndEntity(ca.issuing, [ca.root.certDer], { kind: 'AGENCY', cn: agencyName, o: agencyName });
  }
  signAsUser: IssuingSigner['signAsUser'] = (...a) => this.real.signAsUser(...a);
  hasPersonalKey: IssuingSigner['hasPersonalKey'] = (...a) => this.real.hasPersonalKey(...a);
  takeCompletedSession: IssuingSigner['takeCompletedSession'] = (...a) => this.real.takeCompletedSession(...a);
  verifyPdf: IssuingSigner['verifyPdf'] = (...a) => this.real.verifyPdf(...a);
  stampText: IssuingSigner['stampText'] = (...a) => this.real.stampText(...a);
  signAsAgency = (_em: unknown, _agencyId: string, pdf: Uint8Array, opts: SignOpts) => signPdfWithKey(pdf, { ...opts, kind: 'AGENCY', placement: opts.placement ? { ...opts.placement, image: null } : null }, this.key);
}

beforeAll(async () => {
  t = await createTestRuntime();
  ubnd = await em().findOneOrFail(Agency, { code: '000.00.00.H27' });
  snv = await em().findOneOrFail(Agency, { code: '000.00.02.H27' });
  days = new LocalDays(new Date(), ubnd.timeZone);
});
afterAll(async () => t?.close());

d(`issuing a real document${hasPoppler ? '' : ' (skipped: poppler-utils missing)'}`, () => {
  let issued: Document;

  it('leader signs (PAdES), văn thư issues: number and date on the page, two valid signatures, the recipient receives that file', async () => {
    const signed = await signedDraft({ files: [await draftPdf('/QĐ-UBND')] });
    expect(signed.state).toBe('SIGNED');
    const drafts = await em().find(DocumentFile, { document: signed.id, kind: 'DRAFT' }, { orderBy: { version: 'asc' } });
    expect(drafts.map((f) => f.version)).toEqual([1, 2]);
    const afterSign = await signerOf(t.rt.services).verifyPdf(await bytesOf(drafts[1]));
    expect(afterSign.map((s) => [s.kind, s.valid])).toEqual([['PERSONAL', true]]);
    const row = await em().findOneOrFail(DocumentIssuing, { document: signed.id });
    expect(row.authorityLines).toEqual(['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    expect(row.personalSignedSha256).toBe(drafts[1].sha256);

    issued = await out().issue(await as('vanthu'), signed.id);
    expect(issued).toMatchObject({ state: 'ISSUED', number: 1, symbol: '01/QĐ-UBND', registerKey: 'OUTGOING', issuedDate: days.date() });
    const main = await em().findOneOrFail(DocumentFile, { document: issued.id, kind: 'MAIN' });
    expect(main.sha256).not.toBe(drafts[1].sha256);
    expect(main.fileName).toBe('01-QĐ-UBND.pdf');
    const bytes = await bytesOf(main);
    const text = pdftotext(bytes).replace(/\s+/g, ' ');
    expect(text).toMatch(/Số: ?01 ?\/QĐ-UBND/);
    expect(text).toContain(`Bắc Ninh, ${vnDateLine(issued.issuedDate!)}`);
    expect(text).toContain('KT. CHỦ TỊCH');
    const sigs = await signerOf(t.rt.services).verifyPdf(bytes);
    expect(sigs.map((s) => [s.kind, s.valid, s.trusted])).toEqual([
      ['PERSONAL', true, true],
      ['AGENCY', true, true],
    ]);
    // An independent validator: poppler's pdfsig finds two signatures, both intact.
    const report = pdfsig(bytes);
    expect(report.match(/Signature Validation: Signature is Valid\./g)?.length).toBe(2);

    // The recipient agency receives the signed, numbered file — not the draft (through the exchange).
    await settleExchange(t);
    const incoming = await em().findOneOrFail(Document, { sourceDocument: issued.id, agency: snv.id });
    const inFiles = await em().find(DocumentFile, { document: incoming.id });
    expect(inFiles.map((f) => [f.kind, f.sha256])).toEqual([['MAIN', main.sha256]]);
    const res = await em().find(NumberReservation, { document: issued.id });
    expect(res.map((r) => [r.number, r.status])).toEqual([[1, 'USED']]);
    const actions = (await em().find(AuditEvent, { targetId: issued.id }, { orderBy: { id: 'asc' } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['document.sign', 'document.number_reserve', 'document.issue']));
    expect((await em().findOneOrFail(DocumentIssuing, { document: issued.id })).archiveCopies).toEqual([
      { holder: 'VT', count: 1 },
      { holder: 'KT', count: 1 },
    ]);
  });

  it('a QĐ issued as a legal normative document gets N/2026/QĐ-UBND from its own sequence', async () => {
    const year = localDateOf(new Date(), ubnd.timeZone).slice(0, 4);
    const signed = await signedDraft({ files: [await draftPdf(`/${year}/QĐ-UBND`)], legalNormative: true });
    const doc = await out().issue(await as('vanthu'), signed.id);
    expect(doc).toMatchObject({ number: 1, symbol: `01/${year}/QĐ-UBND`, registerKey: 'OUTGOING:QPPL:QĐ' });
    const main = await em().findOneOrFail(DocumentFile, { document: doc.id, kind: 'MAIN' });
    expect(pdftotext(await bytesOf(main)).replace(/\s+/g, ' ')).toMatch(new RegExp(`Số: ?01 ?/${year}/QĐ-UBND`));
    // A KH draft cannot become legal normative.
    await expect(out().createDraft(await as('chuyenvien'), { typeCode: 'KH', subject: 'Kế hoạch', legalNormative: true, files: [await blankPdf()] })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'legalNormative' } });
  });

  it('a sao y of the issued document has its own number (01/SY-UBND), the copy block and the agency signature; the outgoing sequence is untouched', async () => {
    const copy = await out().issuing.makeCopy(await as('vanthu'), { sourceDocumentId: issued.id, form: 'SY', recipientAgencyIds: [snv.id] });
    expect(copy).toMatchObject({ state: 'ISSUED', typeCode: 'SY', number: 1, symbol: '01/SY-UBND', registerKey: 'OUTGOING:BAN_SAO' });
    const main = await em().findOneOrFail(DocumentFile, { document: copy.id, kind: 'MAIN' });
    const bytes = await bytesOf(main);
    const sigs = await signerOf(t.rt.services).verifyPdf(bytes);
    // The original's two signatures stay intact under the copy's agency signature.
    expect(sigs.map((s) => [s.kind, s.valid])).toEqual([
      ['PERSONAL', true],
      ['AGENCY', true],
      ['AGENCY', true],
    ]);
    expect(pdftotext(bytes)).toContain('SAO Y');
    const row = await em().findOneOrFail(DocumentIssuing, { document: copy.id });
    expect([row.copyForm, row.copyOf?.id]).toEqual(['SY', issued.id]);
    // Sao lục from the sao y: same copy sequence.
    const sl = await out().issuing.makeCopy(await as('vanthu'), { sourceDocumentId: copy.id, form: 'SL' });
    expect(sl.symbol).toBe('02/SL-UBND');
    await expect(out().issuing.makeCopy(await as('vanthu'), { sourceDocumentId: issued.id, form: 'SL' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'form' } });
    await expect(out().issuing.makeCopy(await as('chuyenvien'), { sourceDocumentId: issued.id, form: 'SY' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    // The next ordinary document still gets 02 from the outgoing sequence.
    const next = await out().issue(await as('vanthu'), (await signedDraft({ files: [await draftPdf('/QĐ-UBND')] })).id);
    expect(next.symbol).toBe('02/QĐ-UBND');
  });

  it('a failed agency signature keeps the number for a retry, which uses it', async () => {
    const signed = await signedDraft({ files: [await draftPdf('/QĐ-UBND')] });
    const failing = new IssuingService(t.rt.services, t.rt.services.documentSettings, new UntrustedAgencyKeySigner(signerOf(t.rt.services), ubnd.name));
    await expect(failing.issue(await as('vanthu'), signed.id, null)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Số 03/QĐ-UBND được giữ') });
    await expect(failing.issue(await as('vanthu'), signed.id, null)).rejects.toMatchObject({ code: 'CONFLICT' });
    const r = await em().findOneOrFail(NumberReservation, { document: signed.id });
    expect(r).toMatchObject({ number: 3, status: 'RESERVED', attempts: 2, lastError: expect.stringContaining('không hợp lệ hoặc không được tin cậy') });
    expect((await em().findOneOrFail(Document, { id: signed.id })).state).toBe('SIGNED');
    const doc = await out().issue(await as('vanthu'), signed.id);
    expect(doc.symbol).toBe('03/QĐ-UBND');
    expect((await em().findOneOrFail(NumberReservation, { id: r.id })).status).toBe('USED');
    expect(await em().count(AuditEvent, { targetId: signed.id, action: 'document.issue_failed' })).toBe(2);
  });

  it('a reservation not used in time is cancelled with its reason by the recovery job; the next issue takes a new number', async () => {
    const signed = await signedDraft({ files: [await draftPdf('/QĐ-UBND')] });
    const failing = new IssuingService(t.rt.services, t.rt.services.documentSettings, new UntrustedAgencyKeySigner(signerOf(t.rt.services), ubnd.name));
    await expect(failing.issue(await as('vanthu'), signed.id, null)).rejects.toMatchObject({ code: 'CONFLICT' });
    // Not stale yet: nothing cancelled.
    expect((await out().issuing.recoverStale(await as('vanthu'))).cancelled).toEqual([]);
    const stale = await out().issuing.recoverStale(await as('vanthu'), { olderThanMinutes: -1 });
    expect(stale.cancelled).toEqual([{ id: expect.any(String), symbol: '04/QĐ-UBND', reason: expect.stringContaining('Ký số không thành công sau 1 lần') }]);
    const doc = await out().issue(await as('vanthu'), signed.id);
    expect(doc.symbol).toBe('05/QĐ-UBND');
    const rs = await em().find(NumberReservation, { document: signed.id }, { orderBy: { number: 'asc' } });
    expect(rs.map((r) => [r.number, r.status, !!r.reason])).toEqual([
      [4, 'CANCELLED', true],
      [5, 'USED', false],
    ]);
    expect(await em().count(AuditEvent, { targetId: signed.id, action: 'document.number_cancel' })).toBe(1);
  });

  it('concurrent issues: distinct consecutive numbers, and one document issued twice at once gets one number', async () => {
    const docs = [];
    for (let i = 0; i < 3; i++) docs.push(await signedDraft({ typeCode: 'TB', subject: `Thông báo ${i}`, recipientAgencyIds: [], files: [await blankPdf()] }));
    const vt = await as('vanthu');
    const results = await Promise.allSettled([...docs.map((x) => out().issue(vt, x.id)), out().issue(await as('vanthu'), docs[0].id)]);
    const ok = results.filter((r): r is PromiseFulfilledResult<Document> => r.status === 'fulfilled').map((r) => r.value);
    const numbers = new Set(ok.map((x) => x.number));
    expect(numbers.size).toBe(3);
    expect([...numbers].sort((a, b) => a! - b!)).toEqual([6, 7, 8]);
    const reservations = await em().find(NumberReservation, { document: { $in: docs.map((x) => x.id) } });
    expect(reservations.filter((r) => r.status === 'USED')).toHaveLength(3);
    expect(reservations).toHaveLength(3);
  });
});

d('what the văn thư checks', () => {
  it('returns a signed document for correction with the reason (audited); it cannot be issued then', async () => {
    const signed = await signedDraft({ files: [await draftPdf('/QĐ-UBND')] });
    await expect(out().returnForCorrection(await as('lanhdao'), signed.id, 'x')).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const back = await out().returnForCorrection(await as('vanthu'), signed.id, 'Sai thể thức: thiếu căn cứ ban hành');
    expect(back).toMatchObject({ state: 'RETURNED_TO_DRAFTER', returnReason: 'Sai thể thức: thiếu căn cứ ban hành' });
    const ev = await em().findOneOrFail(AuditEvent, { targetId: signed.id, action: 'document.return_for_correction' });
    expect(ev.data).toMatchObject({ from: 'SIGNED', to: 'RETURNED_TO_DRAFTER', reason: 'Sai thể thức: thiếu căn cứ ban hành' });
    expect(await em().count(DocumentComment, { document: signed.id, kind: 'REJECT' })).toBe(1);
    await expect(out().issue(await as('vanthu'), signed.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('a thể thức error on the page (a KH notation on a QĐ) is refused before any number is taken', async () => {
    const signed = await signedDraft({ files: [await draftPdf('/KH-UBND')] });
    const before = await em().count(NumberReservation, {});
    await expect(out().issue(await as('vanthu'), signed.id)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('"/KH-UBND" khác ký hiệu được cấp "/QĐ-UBND"') });
    expect(await em().count(NumberReservation, {})).toBe(before);
  });

  it('TUQ. needs a recorded delegation; the administrator records one and the leader can sign', async () => {
    const dr = await out().createDraft(await as('chuyenvien'), {
      typeCode: 'TB',
      subject: 'Thông báo kết luận',
      signingAuthority: { mode: 'TUQ', principal: 'chủ tịch' },
      files: [await blankPdf()],
    });
    await out().submitForApproval(await as('chuyenvien'), dr.id);
    await out().approve(await as('truongphong'), dr.id);
    await out().approve(await as('lanhdao'), dr.id);
    await expect(out().sign(await as('lanhdao'), dr.id)).rejects.toMatchObject({ code: 'CONFLICT', extra: { field: 'signingAuthority' } });
    const lanhdao = await em().findOneOrFail(User, { username: 'lanhdao' });
    await expect(out().issuing.recordDelegation(await as('vanthu'), { delegateId: lanhdao.id, mode: 'TUQ', principal: 'Chủ tịch', decisionRef: 'Giấy ủy quyền số 01/GUQ-UBND', validFrom: days.first })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const del = await out().issuing.recordDelegation(await as('quantri'), { delegateId: lanhdao.id, mode: 'TUQ', principal: 'Chủ tịch', decisionRef: 'Giấy ủy quyền số 01/GUQ-UBND', validFrom: days.first });
    expect(del).toMatchObject({ mode: 'TUQ', principal: 'CHỦ TỊCH' });
    const signed = await out().sign(await as('lanhdao'), dr.id);
    expect(signed.state).toBe('SIGNED');
    expect((await em().findOneOrFail(DocumentIssuing, { document: dr.id })).authorityLines).toEqual(['TUQ. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    const doc = await out().issue(await as('vanthu'), dr.id);
    const main = await em().findOneOrFail(DocumentFile, { document: doc.id, kind: 'MAIN' });
    expect(pdftotext(await bytesOf(main))).toContain('TUQ. CHỦ TỊCH');
  });

  it('a draft that is neither PDF nor DOCX (XLSX) is refused at signing with a clear reason (DOCX: issuing-docx.test.ts)', async () => {
    const xlsx = zipSync({ '[Content_Types].xml': new TextEncoder().encode('<Types/>'), 'xl/workbook.xml': new TextEncoder().encode('<workbook/>') });
    const dr = await out().createDraft(await as('chuyenvien'), { typeCode: 'TB', subject: 'Thông báo', files: [new File([xlsx], 'du-thao.xlsx')] });
    expect((await em().findOneOrFail(DocumentFile, { document: dr.id })).contentType).toContain('spreadsheetml');
    await out().submitForApproval(await as('chuyenvien'), dr.id);
    await out().approve(await as('truongphong'), dr.id);
    await out().approve(await as('lanhdao'), dr.id);
    await expect(out().sign(await as('lanhdao'), dr.id)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', message: expect.stringContaining('không phải PDF hay văn bản Word') });
  });

  it('a paper document signed outside the system is registered as issued with its scan and a number', async () => {
    const doc = await out().issuing.registerPaperOutgoing(await as('vanthu'), {
      typeCode: 'BC',
      subject: 'Báo cáo kết quả kiểm tra công tác văn thư',
      signerName: 'Phạm Quốc Hùng',
      signerTitle: 'Phó Chủ tịch',
      scan: await blankPdf('ban-quet.pdf'),
    });
    expect(doc).toMatchObject({ state: 'ISSUED', direction: 'OUTGOING', issuedDate: days.date(), registerKey: 'OUTGOING', signerName: 'Phạm Quốc Hùng' });
    expect(doc.symbol).toMatch(/^\d{2}\/BC-UBND$/);
    const row = await em().findOneOrFail(DocumentIssuing, { document: doc.id });
    expect([row.paper, row.authorityLines]).toEqual([true, ['TM. ỦY BAN NHÂN DÂN', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']]);
    expect(await em().count(DocumentFile, { document: doc.id, kind: 'MAIN' })).toBe(1);
    await expect(out().issuing.registerPaperOutgoing(await as('chuyenvien'), { typeCode: 'BC', subject: 'x', signerName: 'y', scan: await blankPdf() })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
