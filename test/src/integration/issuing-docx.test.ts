/**
 * Issue 12: "Drafts in DOCX are converted to PDF first (no network)". Real services, real PostgreSQL, real
 * LibreOffice headless (server/src/infra/convert), real signing core, poppler: a DOCX draft (main file and a
 * DOCX attachment) written with Vietnamese text is signed by the leader — converted before the transaction,
 * the DOCX kept as the draft's source version — and issued by the văn thư: the bản gốc is the signed, numbered
 * PDF (number and date on the page, the Vietnamese text intact, two signatures valid in pdfsig); the attachment
 * is issued as a PDF with the agency signature; the recipient agency receives the PDFs, never the DOCX.
 * The USB-token path too: prepareSignature on the DOCX file prepares its PDF conversion, the token signs the hash,
 * and the signed PDF becomes the signed draft, issued like the other.
 */
import { execFileSync } from 'node:child_process';
import { constants, createPrivateKey, privateEncrypt } from 'node:crypto';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { DocumentFile } from '../../../server/src/modules/documents/entities/document-file.entity';
import { signerOf } from '../../../server/src/modules/documents/issuing/signer';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { derToPem, issueEndEntity, pemToDers } from '../../../server/src/modules/signing/crypto/certificates';
import { TrustAnchor } from '../../../server/src/modules/signing/signing.entities';
import { pdfsig, pdftotext } from '../support/pdf';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { settleExchange } from '../support/exchange';
import { decisionDraftDocx, minimalDocx } from '../support/docx';
import { localDateOf } from '../../../server/src/modules/documents/domain';
import { approveAndSign } from '../support/issuing';
import { LocalDays, vnDateLine } from '../support/local-days';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
let t: TestRuntime;
const em = () => t.rt.orm.em.fork();
const out = () => t.rt.services.outgoing;
let snv: Agency;
let days: LocalDays;

const has = (cmd: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const ready = has('pdfsig') && has('soffice');
const d = ready || process.env.CI ? describe : describe.skip;

const bytesOf = (f: DocumentFile) => t.rt.services.storage.getBuffer(f.storageKey);

beforeAll(async () => {
  t = await createTestRuntime();
  const ubnd = await em().findOneOrFail(Agency, { code: '000.00.00.H27' });
  snv = await em().findOneOrFail(Agency, { code: '000.00.02.H27' });
  days = new LocalDays(new Date(), ubnd.timeZone);
});
afterAll(async () => t?.close());

d(`issuing a DOCX draft${ready ? '' : ' (skipped: LibreOffice or poppler-utils missing)'}`, () => {
  it('is converted to PDF at signing, numbered and agency-signed at issuing; the DOCX stays the draft source', async () => {
    const year = Number(localDateOf(new Date()).slice(0, 4)); // the year it is drafted in
    const main = new File([decisionDraftDocx({ year, marker: `docx-${Math.random()}` })], 'du-thao-quyet-dinh.docx');
    const annex = new File([minimalDocx([{ text: 'DANH SÁCH THÀNH VIÊN HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG TỈNH', bold: true, align: 'center' }, { text: `1. Ông Nguyễn Văn Đức — Chủ tịch Hội đồng ${Math.random()}` }])], 'phu-luc.docx');
    const dr = await out().createDraft(await t.as('chuyenvien'), {
      typeCode: 'QĐ',
      subject: 'Quyết định về việc kiện toàn Hội đồng Thi đua - Khen thưởng tỉnh',
      recipientAgencyIds: [snv.id],
      files: [main, annex],
    });
    const v1 = await em().find(DocumentFile, { document: dr.id, kind: 'DRAFT' }, { orderBy: { id: 'asc' } });
    expect(v1.map((f) => f.contentType)).toEqual([DOCX, DOCX]);
    const signed = await approveAndSign(t, dr.id);
    expect(signed.state).toBe('SIGNED');

    // Version 1 (the DOCX files) is kept; version 2 = the converted, signed PDF + the DOCX attachment (linked).
    const drafts = await em().find(DocumentFile, { document: dr.id, kind: 'DRAFT' }, { orderBy: { version: 'asc', createdAt: 'asc', id: 'asc' } });
    const byVersion = (v: number) => drafts.filter((f) => f.version === v).map((f) => [f.fileName, f.contentType]);
    expect(byVersion(1)).toEqual(expect.arrayContaining([['du-thao-quyet-dinh.docx', DOCX], ['phu-luc.docx', DOCX]]));
    expect(byVersion(2)).toEqual(expect.arrayContaining([['du-thao-quyet-dinh (đã ký).pdf', 'application/pdf'], ['phu-luc.docx', DOCX]]));
    const signedPdf = drafts.find((f) => f.version === 2 && f.contentType === 'application/pdf')!;
    const afterSign = await signerOf(t.rt.services).verifyPdf(await bytesOf(signedPdf));
    expect(afterSign.map((s) => [s.kind, s.valid, s.trusted])).toEqual([['PERSONAL', true, true]]);

    const issued = await out().issue(await t.as('vanthu'), dr.id);
    expect(issued).toMatchObject({ state: 'ISSUED', issuedDate: days.date() });
    expect(issued.symbol).toMatch(/^\d{2}\/QĐ-UBND$/);
    const files = await em().find(DocumentFile, { document: dr.id, kind: { $in: ['MAIN', 'ATTACHMENT'] } }, { orderBy: { kind: 'desc' } });
    expect(files.map((f) => [f.kind, f.fileName, f.contentType])).toEqual([
      ['MAIN', `${issued.symbol!.replace(/\//g, '-')}.pdf`, 'application/pdf'],
      ['ATTACHMENT', 'phu-luc.pdf', 'application/pdf'],
    ]);
    expect(files.every((f) => (f.pageCount ?? 0) >= 1)).toBe(true);

    // The bản gốc: the number and date written into the blanks, the Vietnamese text of the DOCX intact.
    const mainBytes = await bytesOf(files[0]);
    const text = pdftotext(mainBytes);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toMatch(new RegExp(`Số: ?${issued.symbol!.split('/')[0]} ?/QĐ-UBND`));
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(flat).toContain(`Bắc Ninh, ${vnDateLine(issued.issuedDate!)}`);
    expect(text).toContain('KT. CHỦ TỊCH');
    expect(text).toContain('Phạm Quốc Hùng');
    const sigs = await signerOf(t.rt.services).verifyPdf(mainBytes);
    expect(sigs.map((s) => [s.kind, s.valid, s.trusted])).toEqual([
      ['PERSONAL', true, true],
      ['AGENCY', true, true],
    ]);
    // An independent validator.
    expect(pdfsig(mainBytes).match(/Signature Validation: Signature is Valid\./g)?.length).toBe(2);

    // The DOCX attachment became a PDF signed by the agency (top right, no image), its text intact.
    const annexBytes = await bytesOf(files[1]);
    expect(pdftotext(annexBytes)).toContain('DANH SÁCH THÀNH VIÊN HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG TỈNH');
    const annexSigs = await signerOf(t.rt.services).verifyPdf(annexBytes);
    expect(annexSigs.map((s) => [s.kind, s.valid, s.trusted])).toEqual([['AGENCY', true, true]]);
    expect(pdfsig(annexBytes)).toContain('Signature is Valid');

    // The recipient receives the issued PDFs, not the DOCX.
    await settleExchange(t);
    const incoming = await em().findOneOrFail(Document, { sourceDocument: issued.id, agency: snv.id });
    const inFiles = await em().find(DocumentFile, { document: incoming.id }, { orderBy: { kind: 'desc' } });
    expect(inFiles.map((f) => [f.kind, f.sha256])).toEqual([
      ['MAIN', files[0].sha256],
      ['ATTACHMENT', files[1].sha256],
    ]);
  });

  it('USB token: prepareSignature on a DOCX draft signs its PDF conversion; issued with two valid signatures', async () => {
    const services = t.rt.services;
    const year = Number(localDateOf(new Date()).slice(0, 4)); // the year it is drafted in
    const dr = await out().createDraft(await t.as('chuyenvien'), {
      typeCode: 'QĐ',
      subject: 'Quyết định ký bằng USB token',
      recipientAgencyIds: [],
      files: [new File([decisionDraftDocx({ year, marker: `token-${Math.random()}` })], 'quyet-dinh-token.docx')],
    });
    await out().submitForApproval(await t.as('chuyenvien'), dr.id);
    await out().approve(await t.as('truongphong'), dr.id);
    await out().approve(await t.as('lanhdao'), dr.id);
    // The leader's "token": a key the server never sees, issued by the demo CA; only the chain is registered.
    const a = await em().findOneOrFail(TrustAnchor, { issuingCertificatePem: { $ne: null } }, { populate: ['issuingKeyEncrypted'] });
    const ca = { certDer: pemToDers(a.issuingCertificatePem!)[0], privateKeyPem: services.signing.keystore.open(a.issuingKeyEncrypted!).toString() };
    const leader = await em().findOneOrFail(User, { username: 'lanhdao' }, { populate: ['agency'] });
    const key = issueEndEntity(ca, [pemToDers(a.certificatePem)[0]], { kind: 'PERSONAL', cn: leader.fullName, o: leader.agency.name });
    const chainPem = key.chain.slice(0, 2).map(derToPem).join('');
    await services.signing.registerToken(await t.as('lanhdao'), chainPem);
    const docx = await em().findOneOrFail(DocumentFile, { document: dr.id, kind: 'DRAFT' });
    expect(docx.contentType).toBe(DOCX);

    const { session, digest } = await services.signing.prepare(await t.as('lanhdao'), docx.id);
    const digestInfo = Buffer.concat([Buffer.from('3031300d060960864801650304020105000420', 'hex'), digest]);
    const signature = privateEncrypt({ key: createPrivateKey(key.privateKeyPem), padding: constants.RSA_PKCS1_PADDING }, digestInfo);
    await services.signing.complete(await t.as('lanhdao'), session.id, signature.toString('base64'), chainPem);
    const signed = await out().sign(await t.as('lanhdao'), dr.id, null, session.id);
    expect(signed.state).toBe('SIGNED');
    const v2 = await em().findOneOrFail(DocumentFile, { document: dr.id, kind: 'DRAFT', version: 2 });
    expect([v2.fileName, v2.contentType]).toEqual(['quyet-dinh-token (đã ký).pdf', 'application/pdf']);
    const v2Bytes = await bytesOf(v2);
    expect(pdftotext(v2Bytes)).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect((await signerOf(services).verifyPdf(v2Bytes)).map((x) => [x.kind, x.valid, x.trusted, x.signerName])).toEqual([['PERSONAL', true, true, leader.fullName]]);

    const issued = await out().issue(await t.as('vanthu'), dr.id);
    const main = await em().findOneOrFail(DocumentFile, { document: issued.id, kind: 'MAIN' });
    const bytes = await bytesOf(main);
    expect(pdftotext(bytes).replace(/\s+/g, ' ')).toMatch(new RegExp(`Số: ?${issued.symbol!.split('/')[0]} ?/QĐ-UBND`));
    expect(pdfsig(bytes).match(/Signature Validation: Signature is Valid\./g)?.length).toBe(2);
  });
});
