/**
 * Verification of every signature in a PDF: integrity (ByteRange sound, digest, signature value), chain to a
 * trust anchor (node:crypto X509Certificate), revocation (via the given checker: CRL when reachable, else
 * NOT_CHECKED — never "good" by default), signing time, kind (PERSONAL/AGENCY), reason.
 * Pure apart from the revocation checker.
 */
import { X509Certificate } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString } from 'pdf-lib';
import { checkCms } from '../crypto/cms';
import { certificateKind } from '../crypto/certificates';
import type { FileSignature, RevocationStatus } from './types';

export interface TrustContext {
  /** Trust anchors (root certificates), DER. */
  anchors: Uint8Array[];
  /** Revocation status of `cert` issued by `issuer`; absent = NOT_CHECKED. */
  revocation?: (cert: X509Certificate, issuer: X509Certificate) => Promise<RevocationStatus>;
}

interface RawSignature {
  byteRange: number[];
  contents: Uint8Array;
  /** Offset where the /ByteRange key was found (to pair with the parsed dictionary). */
  at: number;
}

/** Finds every /ByteRange [a b c d] in the bytes (signature dictionaries are never compressed: their Contents must be patchable). */
function scan(pdf: Uint8Array): RawSignature[] {
  const s = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).toString('latin1');
  const out: RawSignature[] = [];
  const re = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const br = m.slice(1, 5).map(Number);
    let contents = new Uint8Array();
    if (s[br[1]] === '<' && s[br[2] - 1] === '>') {
      const hex = s.slice(br[1] + 1, br[2] - 1).replace(/\s+/g, '');
      contents = Buffer.from(hex, 'hex');
    }
    out.push({ byteRange: br, contents, at: m.index });
  }
  return out;
}

interface SigDictInfo {
  byteRange: number[];
  reason: string | null;
  name: string | null;
  m: Date | null;
  subFilter: string | null;
  fieldName: string | null;
}

function text(v: unknown): string | null {
  if (v instanceof PDFHexString || v instanceof PDFString) return v.decodeText();
  return null;
}

/** Signature dictionaries as parsed by pdf-lib (for /Reason, /M, /Name, the field name). */
async function dictionaries(pdf: Uint8Array): Promise<SigDictInfo[]> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    return [];
  }
  const fieldNames = new Map<PDFDict, string>();
  const out: SigDictInfo[] = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict)) continue;
    const v = obj.lookup(PDFName.of('V'));
    const t = obj.lookup(PDFName.of('T'));
    if (v instanceof PDFDict && t) fieldNames.set(v, text(t) ?? '');
  }
  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    if (!(obj instanceof PDFDict)) continue;
    const br = obj.lookup(PDFName.of('ByteRange'));
    if (!(br instanceof PDFArray)) continue;
    const nums = br.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN));
    const m = text(obj.lookup(PDFName.of('M')));
    const sf = obj.lookup(PDFName.of('SubFilter'));
    out.push({
      byteRange: nums,
      reason: text(obj.lookup(PDFName.of('Reason'))),
      name: text(obj.lookup(PDFName.of('Name'))),
      m: m ? parsePdfDate(m) : null,
      subFilter: sf instanceof PDFName ? sf.decodeText() : null,
      fieldName: fieldNames.get(obj) ?? null,
    });
  }
  return out;
}

export function parsePdfDate(s: string): Date | null {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?/.exec(s);
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', se = '00', sign, oh = '00', om = '00'] = m;
  const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +se);
  const off = (+oh * 60 + +om) * 60_000;
  return new Date(sign === '+' ? utc - off : sign === '-' ? utc + off : utc);
}

function cnOf(subject: string, key: string): string | null {
  for (const line of subject.split('\n')) {
    const i = line.indexOf('=');
    if (line.slice(0, i) === key) return line.slice(i + 1);
  }
  return null;
}

/** Builds the chain from the signer to an anchor; trusted if it ends at one and every link was valid at `at`. */
async function checkChain(signer: X509Certificate, pool: X509Certificate[], trust: TrustContext, at: Date, errors: string[]): Promise<{ trusted: boolean; revocation: RevocationStatus }> {
  const anchors = trust.anchors.map((a) => new X509Certificate(Buffer.from(a)));
  const isAnchor = (c: X509Certificate) => anchors.some((a) => a.fingerprint256 === c.fingerprint256);
  const chain: X509Certificate[] = [signer];
  let cur = signer;
  let trusted = false;
  for (let depth = 0; depth < 8; depth++) {
    if (isAnchor(cur)) {
      trusted = true;
      break;
    }
    const anchorIssuer = anchors.find((a) => cur.checkIssued(a) && cur.verify(a.publicKey));
    if (anchorIssuer) {
      chain.push(anchorIssuer);
      trusted = true;
      break;
    }
    const next = pool.find((p) => p.fingerprint256 !== cur.fingerprint256 && cur.checkIssued(p) && cur.verify(p.publicKey));
    if (!next) break;
    if (!next.ca) {
      errors.push('Chứng thư trung gian không phải của tổ chức cung cấp dịch vụ chứng thực (CA).');
      break;
    }
    chain.push(next);
    cur = next;
  }
  if (!trusted) errors.push('Chứng thư số không thuộc tổ chức chứng thực được tin cậy.');
  for (const c of chain) {
    if (at < new Date(c.validFrom) || at > new Date(c.validTo)) {
      errors.push(`Chứng thư số "${cnOf(c.subject, 'CN') ?? c.subject}" không còn hiệu lực tại thời điểm ký.`);
      trusted = false;
    }
  }
  let revocation: RevocationStatus = 'NOT_CHECKED';
  if (trusted && trust.revocation) {
    // Every non-anchor certificate of the chain must be GOOD for the chain to be GOOD.
    const statuses: RevocationStatus[] = [];
    for (let i = 0; i + 1 < chain.length; i++) statuses.push(await trust.revocation(chain[i], chain[i + 1]).catch((): RevocationStatus => 'NOT_CHECKED'));
    if (statuses.includes('REVOKED')) revocation = 'REVOKED';
    else if (statuses.length && statuses.every((s) => s === 'GOOD')) revocation = 'GOOD';
  }
  if (revocation === 'REVOKED') errors.push('Chứng thư số đã bị thu hồi.');
  return { trusted, revocation };
}

/** Every signature of the file, in file order. */
export async function verifyPdfSignatures(pdf: Uint8Array, trust: TrustContext): Promise<FileSignature[]> {
  const raws = scan(pdf);
  if (!raws.length) return [];
  const dicts = await dictionaries(pdf);
  const results: FileSignature[] = [];
  const len = pdf.length;
  for (const [index, raw] of raws.entries()) {
    const errors: string[] = [];
    const [a, b, c, d] = raw.byteRange;
    const dict = dicts.find((x) => x.byteRange.join(' ') === raw.byteRange.join(' '));
    const isLast = index === raws.length - 1;
    const coversWholeFile = c + d === len;
    let structureOk = a === 0 && b > 0 && c > b && c + d <= len && raw.contents.length > 0;
    if (!structureOk) errors.push('Vùng dữ liệu được ký (ByteRange) không hợp lệ.');
    if (!(raw.at < b || (raw.at >= c && raw.at < c + d))) {
      errors.push('Từ điển chữ ký nằm ngoài vùng được ký.');
      structureOk = false;
    }
    if (isLast && !coversWholeFile) {
      const tail = Buffer.from(pdf.subarray(c + d)).toString('latin1');
      if (tail.trim().length > 0) {
        errors.push('Tệp có nội dung được thêm vào sau chữ ký cuối cùng.');
        structureOk = false;
      }
    }
    if (dict?.subFilter && !['ETSI.CAdES.detached', 'adbe.pkcs7.detached'].includes(dict.subFilter)) {
      errors.push(`Định dạng chữ ký ${dict.subFilter} không được hỗ trợ.`);
    }
    const content = structureOk ? [pdf.subarray(0, b), pdf.subarray(c, c + d)] : [];
    const cms = checkCms(raw.contents, content);
    errors.push(...cms.errors);
    const valid = structureOk && cms.digestOk && cms.signatureOk;
    const signedAt = cms.signingTime ?? dict?.m ?? null;
    let trusted = false;
    let revocation: RevocationStatus = 'NOT_CHECKED';
    let signerName = dict?.name ?? 'Không xác định';
    let organization: string | null = null;
    let kind: FileSignature['kind'] = 'PERSONAL';
    if (cms.signerCert) {
      const signer = new X509Certificate(Buffer.from(cms.signerCert));
      signerName = cnOf(signer.subject, 'CN') ?? signerName;
      organization = cnOf(signer.subject, 'O');
      kind = certificateKind(cms.signerCert);
      const pool = cms.certificates.map((x) => new X509Certificate(Buffer.from(x)));
      const chk = await checkChain(signer, pool, trust, signedAt ?? new Date(), errors);
      trusted = chk.trusted;
      revocation = chk.revocation;
    }
    results.push({
      index,
      fieldName: dict?.fieldName ?? null,
      kind,
      signerName,
      organization,
      valid,
      trusted,
      revocation,
      signedAt: signedAt ? signedAt.toISOString() : null,
      reason: dict?.reason ?? null,
      coversWholeFile,
      errors: [...new Set(errors)],
    });
  }
  return results;
}
