/**
 * PAdES signing and verification against independent validators: poppler's pdfsig and `openssl cms -verify`
 * on the extracted CMS; a PDF signed by other tools (@signpdf + openssl cms -sign) verified by ours.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { pdflibAddPlaceholder } from '@signpdf/placeholder-pdf-lib';
import signpdf from '@signpdf/signpdf';
import { Signer, SUBFILTER_ETSI_CADES_DETACHED } from '@signpdf/utils';
import { createDemoCa, derToPem, issueEndEntity, type KeyAndChain } from './crypto/certificates';
import { demoSealPng, demoSignaturePng } from './demo-images';
import { signPdfWithKey } from './pdf/local-signer';
import { stampText } from './pdf/pades';
import { verifyPdfSignatures } from './pdf/verify';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pades-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const ca = createDemoCa('Kiểm thử');
const anchors = [ca.root.certDer];
const caChain = [ca.root.certDer];
const signer = issueEndEntity(ca.issuing, caChain, { kind: 'PERSONAL', cn: 'Nguyễn Văn Lãnh', o: 'UBND tỉnh Bắc Ninh' });
const agency = issueEndEntity(ca.issuing, caChain, { kind: 'AGENCY', cn: 'UBND tỉnh Bắc Ninh', o: 'UBND tỉnh Bắc Ninh' });
// The chain we embed: leaf + issuing CA (the root is the anchor, not embedded).
const embedChain = (k: KeyAndChain): KeyAndChain => ({ privateKeyPem: k.privateKeyPem, chain: k.chain.slice(0, 2) });

async function draftPdf(pages = 2): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.TimesRoman);
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawText(`Trang ${i + 1} - QUYET DINH`, { x: 72, y: 760, size: 14, font });
  return doc.save();
}

function pdfsig(bytes: Uint8Array): string {
  const f = path.join(tmp, `f-${Math.random().toString(36).slice(2)}.pdf`);
  fs.writeFileSync(f, bytes);
  try {
    return execFileSync('pdfsig', [f], { encoding: 'utf8' });
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

/** Extracts signature n's CMS and signed content and runs `openssl cms -verify` with the demo root as CAfile. */
function opensslVerify(bytes: Uint8Array, n: number): string {
  const s = Buffer.from(bytes).toString('latin1');
  const all = [...s.matchAll(/\/ByteRange\s*\[(\d+) (\d+) (\d+) (\d+)\s*\]/g)];
  const [a, b, c, d] = all[n].slice(1, 5).map(Number);
  const hex = s.slice(b + 1, c - 1).replace(/0+$/, '');
  const cmsFile = path.join(tmp, `sig${n}.der`);
  const contentFile = path.join(tmp, `content${n}.bin`);
  const caFile = path.join(tmp, 'root.pem');
  fs.writeFileSync(cmsFile, Buffer.from(hex.length % 2 ? hex + '0' : hex, 'hex'));
  fs.writeFileSync(contentFile, Buffer.concat([Buffer.from(bytes.subarray(a, a + b)), Buffer.from(bytes.subarray(c, c + d))]));
  fs.writeFileSync(caFile, derToPem(ca.root.certDer));
  return execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', cmsFile, '-content', contentFile, '-CAfile', caFile, '-purpose', 'any', '-out', '/dev/null'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

// Inside the test certificates' validity, which starts a day before they are issued (when the test runs): a fixed
// date here goes stale a day later and the signatures come out untrusted.
const personalAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 2 * 3600_000);
const agencyAt = new Date(personalAt.getTime() + 30 * 60_000);

describe('PAdES signing', () => {
  let personal: Uint8Array;
  let issued: Uint8Array;

  beforeAll(async () => {
    personal = await signPdfWithKey(
      await draftPdf(),
      {
        kind: 'PERSONAL',
        reason: 'Ký duyệt văn bản',
        name: 'Nguyễn Văn Lãnh',
        placement: { page: 0, rect: { x: 350, y: 300, width: 150, height: 60 }, image: demoSignaturePng(3) },
        signingTime: personalAt,
      },
      embedChain(signer),
    );
    const numbered = await stampText(personal, [{ page: 0, x: 90, y: 700, text: 'Số: 12/QĐ-UBND', size: 13 }]);
    issued = await signPdfWithKey(
      numbered,
      {
        kind: 'AGENCY',
        reason: 'Phát hành',
        placement: {
          page: 0,
          rect: { x: 330, y: 290, width: 220, height: 80 },
          image: demoSealPng(),
          text: ['UBND tỉnh Bắc Ninh', 'Thời gian ký: 2026-12-06T09:30:00+07:00'],
        },
        signingTime: agencyAt,
      },
      embedChain(agency),
    );
  });

  it('keeps the original bytes: every signature is an incremental update', () => {
    expect(Buffer.from(issued.subarray(0, personal.length)).equals(Buffer.from(personal))).toBe(true);
  });

  it('verifies both signatures in ours: intact, trusted, kinds, times, reasons', async () => {
    const sigs = await verifyPdfSignatures(issued, { anchors });
    expect(sigs).toHaveLength(2);
    expect(sigs.map((s) => [s.kind, s.valid, s.trusted, s.signerName, s.reason])).toEqual([
      ['PERSONAL', true, true, 'Nguyễn Văn Lãnh', 'Ký duyệt văn bản'],
      ['AGENCY', true, true, 'UBND tỉnh Bắc Ninh', 'Phát hành'],
    ]);
    expect(sigs[0].signedAt).toBe(personalAt.toISOString());
    expect(sigs[1].coversWholeFile).toBe(true);
    expect(sigs[0].coversWholeFile).toBe(false);
    expect(sigs.every((s) => s.revocation === 'NOT_CHECKED')).toBe(true);
    expect(sigs[1].errors).toEqual([]);
  });

  it('both signatures verify in pdfsig (poppler)', () => {
    const out = pdfsig(issued);
    expect(out.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2);
    expect(out).toContain('ETSI.CAdES.detached');
  });

  it('both CMS verify in openssl cms -verify with the demo root as CAfile', () => {
    expect(() => opensslVerify(issued, 0)).not.toThrow();
    expect(() => opensslVerify(issued, 1)).not.toThrow();
  });

  it('detects a byte changed after signing', async () => {
    const tampered = new Uint8Array(issued);
    const at = Buffer.from(tampered).indexOf('Trang 1');
    tampered[at + 6] = '7'.charCodeAt(0);
    const sigs = await verifyPdfSignatures(tampered, { anchors });
    expect(sigs.map((s) => s.valid)).toEqual([false, false]);
    expect(sigs[0].errors.join(' ')).toMatch(/đã bị thay đổi/);
    expect(pdfsig(tampered)).not.toMatch(/Signature Validation: Signature is Valid\./);
  });

  it('flags content appended after the last signature', async () => {
    const extra = await stampText(issued, [{ page: 0, x: 90, y: 650, text: 'Sửa trái phép' }]);
    const sigs = await verifyPdfSignatures(extra, { anchors });
    expect(sigs[1].valid).toBe(false);
    expect(sigs[1].errors.join(' ')).toMatch(/sau chữ ký cuối cùng/);
  });

  it('flags a certificate from an untrusted CA as untrusted (still intact)', async () => {
    const other = createDemoCa('Lạ');
    const k = issueEndEntity(other.issuing, [other.root.certDer], { kind: 'PERSONAL', cn: 'Người Lạ', o: 'Không rõ' });
    const signed = await signPdfWithKey(await draftPdf(1), { kind: 'PERSONAL', reason: 'Thử' }, embedChain(k));
    const [s] = await verifyPdfSignatures(signed, { anchors });
    expect(s.valid).toBe(true);
    expect(s.trusted).toBe(false);
    expect(s.errors.join(' ')).toMatch(/không thuộc tổ chức chứng thực được tin cậy/);
  });

  it('verifies a PDF signed by other tools (@signpdf placeholder + openssl cms -sign)', async () => {
    const doc = await PDFDocument.load(await draftPdf(1));
    pdflibAddPlaceholder({ pdfDoc: doc, reason: 'Signed by another tool', contactInfo: '', name: 'OpenSSL', location: 'Hà Nội', subFilter: SUBFILTER_ETSI_CADES_DETACHED });
    // Saved with object streams: the file ends in a cross-reference STREAM, which our update must continue.
    const withPlaceholder = Buffer.from(await doc.save({ useObjectStreams: true }));
    const keyFile = path.join(tmp, 'k.pem');
    const certFile = path.join(tmp, 'c.pem');
    const chainFile = path.join(tmp, 'chain.pem');
    fs.writeFileSync(keyFile, signer.privateKeyPem);
    fs.writeFileSync(certFile, derToPem(signer.chain[0]));
    fs.writeFileSync(chainFile, derToPem(signer.chain[1]));
    class OpensslSigner extends Signer {
      override async sign(content: Buffer): Promise<Buffer> {
        const inFile = path.join(tmp, 'tosign.bin');
        fs.writeFileSync(inFile, content);
        return execFileSync('openssl', ['cms', '-sign', '-binary', '-md', 'sha256', '-outform', 'DER', '-signer', certFile, '-inkey', keyFile, '-certfile', chainFile, '-in', inFile]);
      }
    }
    const signed = await signpdf.sign(withPlaceholder, new OpensslSigner());
    const [s] = await verifyPdfSignatures(signed, { anchors });
    expect(s).toMatchObject({ valid: true, trusted: true, signerName: 'Nguyễn Văn Lãnh', reason: 'Signed by another tool', kind: 'PERSONAL' });
    // and a byte changed is caught here too
    const bad = Buffer.from(signed);
    bad[100] ^= 1;
    expect((await verifyPdfSignatures(bad, { anchors }))[0].valid).toBe(false);

    // Our agency signature on top (incremental, xref stream): both stay valid, in ours and in pdfsig.
    const both = await signPdfWithKey(signed, { kind: 'AGENCY', reason: 'Phát hành', placement: { page: 0, rect: { x: 380, y: 780, width: 200, height: 40 }, image: null, text: ['UBND tỉnh Bắc Ninh'] } }, embedChain(agency));
    expect(Buffer.from(both).includes('/Type /XRef /Size')).toBe(true);
    const sigs = await verifyPdfSignatures(both, { anchors });
    expect(sigs.map((x) => [x.kind, x.valid, x.trusted])).toEqual([
      ['PERSONAL', true, true],
      ['AGENCY', true, true],
    ]);
    expect(pdfsig(both).match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2);
  });
});
