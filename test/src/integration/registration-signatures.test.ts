/**
 * Vào sổ of an uploaded signed PDF (issue 12): a văn thư registers a PDF received by e-mail. A signature that
 * is not intact (a byte changed after signing) or does not chain to a trust anchor blocks the registration
 * with a Vietnamese reason at the file field (BAD_USER_INPUT, extensions.field), before any số đến is drawn —
 * for a file uploaded with the registration and for a scan uploaded beforehand (fileIds). A file signed by the
 * demo CA, and a PDF without signatures, are registered. Real services, real PostgreSQL, real signing core.
 */
import { PDFDocument } from 'pdf-lib';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { createDemoCa, issueEndEntity } from '../../../server/src/modules/signing/crypto/certificates';
import { signPdfWithKey } from '../../../server/src/modules/signing/pdf/local-signer';
import { AppError } from '../../../server/src/shared/errors';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { appErrorOf } from '../support/errors';

let t: TestRuntime;
const em = () => t.rt.orm.em.fork();
const services = () => t.rt.services;
let snv: Agency;
let seq = 1;

async function pdf(tag: string): Promise<Uint8Array> {
  const d = await PDFDocument.create();
  d.addPage([595, 842]);
  d.setTitle(tag);
  // Plain objects (no object streams): a test can change a byte of the page's MediaBox after signing.
  return d.save({ useObjectStreams: false });
}

/** The page height 842 → 843 in the signed part of the file (the signature itself untouched). */
function tamper(signed: Uint8Array): Buffer {
  const b = Buffer.from(signed);
  const at = b.indexOf('595 842');
  expect(at).toBeGreaterThan(0);
  b[at + 6] = '3'.charCodeAt(0);
  return b;
}

/** Signed by Sở Nội vụ's agency key of the demo CA (a trust anchor of the test database). */
async function signedBySnv(tag: string): Promise<Uint8Array> {
  return services().signing.signAsAgency(em(), snv.id, await pdf(tag), { reason: 'Phát hành', placement: null });
}

const asFile = (bytes: Uint8Array, name: string) => new File([Buffer.from(bytes)], name, { type: 'application/pdf' });

const paper = (files: File[], fileIds: string[] = []) => ({
  issuerName: 'Sở Nội vụ tỉnh Bắc Ninh',
  symbol: `${seq++}/SNV-VP`,
  issuedDate: '2026-11-20',
  subject: 'V/v rà soát biên chế năm 2026',
  files,
  fileIds,
});

async function incomingCount(): Promise<number> {
  const ubnd = await em().findOneOrFail(Agency, { code: '000.00.00.H27' });
  return em().count(Document, { agency: ubnd.id, direction: 'INCOMING', incomingNumber: { $ne: null } });
}

const refusal = (p: Promise<unknown>): Promise<AppError> => appErrorOf(p, 'registration was not refused');

beforeAll(async () => {
  t = await createTestRuntime();
  snv = await em().findOneOrFail(Agency, { code: '000.00.02.H27' });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('registering an uploaded signed PDF', () => {
  it('a PDF signed by a trusted certificate, and one without signatures, are registered', async () => {
    const signed = await signedBySnv(`ok ${Math.random()}`);
    const sigs = await services().signing.verifyPdf(signed);
    expect(sigs.map((s) => [s.kind, s.valid, s.trusted])).toEqual([['AGENCY', true, true]]);
    const doc = await services().incoming.registerIncoming(await t.as('vanthu'), paper([asFile(signed, 'cong-van-snv.pdf')]));
    expect(doc.incomingNumber).toBeGreaterThan(0);
    const plain = await services().incoming.registerIncoming(await t.as('vanthu'), paper([asFile(await pdf(`plain ${Math.random()}`), 'ban-quet.pdf')]));
    expect(plain.incomingNumber).toBe(doc.incomingNumber! + 1);
  });

  it('a byte changed after signing blocks registration at the file field; no number is drawn', async () => {
    const signed = tamper(await signedBySnv(`tamper ${Math.random()}`));
    const before = await incomingCount();
    const e = await refusal(services().incoming.registerIncoming(await t.as('vanthu'), paper([asFile(signed, 'bi-sua.pdf')])));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.extra.field).toBe('files');
    expect(e.message).toContain('bi-sua.pdf');
    expect(e.message).toMatch(/Chữ ký số cơ quan của "Sở Nội vụ tỉnh Bắc Ninh" không hợp lệ: .*thay đổi/);
    expect(await incomingCount()).toBe(before);
  });

  it('a certificate from a CA outside the trust anchors blocks registration', async () => {
    const other = createDemoCa('Không tin cậy');
    const k = issueEndEntity(other.issuing, [other.root.certDer], { kind: 'AGENCY', cn: 'Cơ quan lạ', o: 'Cơ quan lạ' });
    const signed = await signPdfWithKey(await pdf(`untrusted ${Math.random()}`), { kind: 'AGENCY', reason: 'Phát hành' }, { ...k, chain: [k.chain[0], other.issuing.certDer] });
    const before = await incomingCount();
    const e = await refusal(services().incoming.registerIncoming(await t.as('vanthu'), paper([asFile(signed, 'ca-la.pdf')])));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.extra.field).toBe('files');
    expect(e.message).toMatch(/"Cơ quan lạ" không hợp lệ: Chứng thư số không thuộc tổ chức chứng thực được tin cậy/);
    expect(await incomingCount()).toBe(before);
  });

  it('a tampered scan uploaded beforehand (fileIds) is refused at fileIds', async () => {
    const signed = tamper(await signedBySnv(`scan ${Math.random()}`));
    const scan = await services().ocr.uploadScan(await t.as('vanthu'), asFile(signed, 'email.pdf'));
    const e = await refusal(services().incoming.registerIncoming(await t.as('vanthu'), paper([], [scan.id])));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.extra.field).toBe('fileIds');
    expect(e.message).toContain('email.pdf');
  });
});
