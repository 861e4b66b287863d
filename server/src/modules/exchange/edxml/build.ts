/**
 * edXML builder: value (model.ts) → package text, streamed (an async iterable of strings). Attachment bytes are
 * read from `source` one chunk at a time and base64-encoded as they go (ZIP-wrapped first when the attachment
 * says `wrapping: 'zip'`), so a package with large files is never held in memory. Element names, order and
 * namespace prefixes follow the VNPT library output (vn-standards.md §2.1); the business element is written
 * `Bussiness*` (double s). When an attachment carries `size`/`sha256` (as parsed), the bytes read must match.
 */
import crypto from 'node:crypto';
import { Zip, ZipDeflate } from 'fflate';
import { Base64Encoder } from './base64';
import { formatEdxmlDate, formatEdxmlTimestamp } from './formats';
import {
  EDXML_NS,
  XMLDSIG_NS,
  type EdxmlAttachmentMeta,
  type EdxmlBusiness,
  type EdxmlDocumentPackage,
  type EdxmlOrganization,
  type EdxmlPackage,
  type EdxmlResponseFor,
  type EdxmlSignature,
  type EdxmlStaffInfo,
  type EdxmlStatusPackage,
  type EdxmlTraceHeader,
} from './model';

export type BuildAttachment = EdxmlAttachmentMeta & { size?: number; sha256?: string };

/** The bytes of attachment `index` (the file itself; the builder zips it when `wrapping` is 'zip'). */
export type AttachmentSource = (att: BuildAttachment, index: number) => AsyncIterable<Uint8Array> | Promise<AsyncIterable<Uint8Array>>;

export class EdxmlBuildError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'EdxmlBuildError';
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escAttr = (s: string) => esc(s).replace(/"/g, '&quot;');

class Out {
  lines: string[] = [];
  constructor(private readonly prefix: string) {}
  el(depth: number, name: string, value: string | number | boolean | undefined): void {
    if (value === undefined) return;
    const n = this.prefix + name;
    this.lines.push(`${'  '.repeat(depth)}<${n}>${esc(String(value))}</${n}>`);
  }
  open(depth: number, name: string, attrs = ''): void {
    this.lines.push(`${'  '.repeat(depth)}<${this.prefix}${name}${attrs}>`);
  }
  close(depth: number, name: string): void {
    this.lines.push(`${'  '.repeat(depth)}</${this.prefix}${name}>`);
  }
  flush(): string {
    const s = this.lines.length ? this.lines.join('\n') + '\n' : '';
    this.lines = [];
    return s;
  }
}

function date(path: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  try {
    return formatEdxmlDate(v);
  } catch {
    throw new EdxmlBuildError(path, `ngày phải có dạng YYYY-MM-DD (gặp ${JSON.stringify(v)}) / date must be YYYY-MM-DD`);
  }
}

function timestamp(path: string, v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  try {
    return formatEdxmlTimestamp(v);
  } catch {
    throw new EdxmlBuildError(path, `thời điểm phải có dạng YYYY-MM-DDTHH:mm:ss (gặp ${JSON.stringify(v)}) / timestamp must be YYYY-MM-DDTHH:mm:ss`);
  }
}

function organization(o: Out, d: number, name: string, org: EdxmlOrganization): void {
  o.open(d, name);
  o.el(d + 1, 'OrganId', org.organId);
  o.el(d + 1, 'OrganizationInCharge', org.organizationInCharge);
  o.el(d + 1, 'OrganName', org.organName);
  o.el(d + 1, 'OrganAdd', org.organAdd);
  o.el(d + 1, 'Email', org.email);
  o.el(d + 1, 'Telephone', org.telephone);
  o.el(d + 1, 'Fax', org.fax);
  o.el(d + 1, 'Website', org.website);
  o.close(d, name);
}

function responseFor(o: Out, d: number, r: EdxmlResponseFor, i: number): void {
  o.open(d, 'ResponseFor');
  o.el(d + 1, 'OrganId', r.organId);
  o.el(d + 1, 'Code', r.code);
  o.el(d + 1, 'PromulgationDate', date(`MessageHeader/ResponseFor[${i + 1}]/PromulgationDate`, r.promulgationDate));
  o.el(d + 1, 'DocumentId', r.documentId);
  o.close(d, 'ResponseFor');
}

function staffInfo(o: Out, d: number, s: EdxmlStaffInfo | undefined): void {
  if (!s) return;
  o.open(d, 'StaffInfo');
  o.el(d + 1, 'Department', s.department);
  o.el(d + 1, 'Staff', s.staff);
  o.el(d + 1, 'Email', s.email);
  o.el(d + 1, 'Mobile', s.mobile);
  o.close(d, 'StaffInfo');
}

function traceHeaderList(o: Out, d: number, traces: EdxmlTraceHeader[], business: EdxmlBusiness | undefined): void {
  if (!traces.length && !business) return;
  o.open(d, 'TraceHeaderList');
  traces.forEach((t, i) => {
    o.open(d + 1, 'TraceHeader');
    o.el(d + 2, 'OrganId', t.organId);
    o.el(d + 2, 'Timestamp', timestamp(`TraceHeaderList/TraceHeader[${i + 1}]/Timestamp`, t.timestamp));
    o.close(d + 1, 'TraceHeader');
  });
  if (business) {
    const b = business;
    o.open(d + 1, 'Bussiness');
    o.el(d + 2, 'DocumentId', b.documentId);
    o.el(d + 2, 'BussinessDocType', b.businessDocType);
    o.el(d + 2, 'BussinessDocReason', b.businessDocReason);
    o.el(d + 2, 'Paper', b.paper);
    if (b.documentInfo) {
      o.open(d + 2, 'BussinessDocumentInfo');
      o.el(d + 3, 'DocumentInfo', b.documentInfo.documentInfo);
      o.el(d + 3, 'DocumentReceiver', b.documentInfo.documentReceiver);
      if (b.documentInfo.receivers.length) {
        o.open(d + 3, 'ReceiverList');
        for (const r of b.documentInfo.receivers) {
          o.open(d + 4, 'Receiver');
          o.el(d + 5, 'OrganId', r.organId);
          o.el(d + 5, 'ReceiverType', r.receiverType);
          o.close(d + 4, 'Receiver');
        }
        o.close(d + 3, 'ReceiverList');
      }
      o.close(d + 2, 'BussinessDocumentInfo');
    }
    if (b.replacements?.length) {
      o.open(d + 2, 'ReplacementInfoList');
      for (const r of b.replacements) {
        o.open(d + 3, 'ReplacementInfo');
        o.el(d + 4, 'DocumentId', r.documentId);
        if (r.organIds.length) {
          o.open(d + 4, 'OrganIdList');
          for (const id of r.organIds) o.el(d + 5, 'OrganId', id);
          o.close(d + 4, 'OrganIdList');
        }
        o.close(d + 3, 'ReplacementInfo');
      }
      o.close(d + 2, 'ReplacementInfoList');
    }
    staffInfo(o, d + 2, b.staffInfo);
    o.close(d + 1, 'Bussiness');
  }
  o.close(d, 'TraceHeaderList');
}

function signature(d: number, s: EdxmlSignature | undefined): string {
  if (!s) return '';
  const o = new Out('');
  const alg = (v: string | undefined) => (v === undefined ? '' : ` Algorithm="${escAttr(v)}"`);
  o.open(d, 'Signature', s.namespace === 'xmldsig' ? ` xmlns="${XMLDSIG_NS}"` : '');
  o.open(d + 1, 'SignedInfo');
  if (s.canonicalizationMethod !== undefined) o.lines.push(`${'  '.repeat(d + 2)}<CanonicalizationMethod${alg(s.canonicalizationMethod)} />`);
  if (s.signatureMethod !== undefined) o.lines.push(`${'  '.repeat(d + 2)}<SignatureMethod${alg(s.signatureMethod)} />`);
  for (const r of s.references) {
    o.open(d + 2, 'Reference', r.uri === undefined ? '' : ` URI="${escAttr(r.uri)}"`);
    if (r.transforms.length) {
      o.open(d + 3, 'Transforms');
      for (const t of r.transforms) o.lines.push(`${'  '.repeat(d + 4)}<Transform${alg(t)} />`);
      o.close(d + 3, 'Transforms');
    }
    if (r.digestMethod !== undefined) o.lines.push(`${'  '.repeat(d + 3)}<DigestMethod${alg(r.digestMethod)} />`);
    o.el(d + 3, 'DigestValue', r.digestValue);
    o.close(d + 2, 'Reference');
  }
  o.close(d + 1, 'SignedInfo');
  o.el(d + 1, 'SignatureValue', s.signatureValue);
  if (s.x509SubjectName !== undefined || s.x509Certificate !== undefined) {
    o.open(d + 1, 'KeyInfo');
    o.open(d + 2, 'X509Data');
    o.el(d + 3, 'X509SubjectName', s.x509SubjectName);
    o.el(d + 3, 'X509Certificate', s.x509Certificate);
    o.close(d + 2, 'X509Data');
    o.close(d + 1, 'KeyInfo');
  }
  o.close(d, 'Signature');
  return o.flush();
}

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="${EDXML_NS}">\n  <edXML:edXMLEnvelope xmlns:edXML="${EDXML_NS}">\n    <edXML:edXMLHeader>\n`;

function statusHeader(v: EdxmlStatusPackage): string {
  const o = new Out('edXML:');
  o.open(3, 'MessageHeader');
  organization(o, 4, 'From', v.from);
  v.responseFor.forEach((r, i) => responseFor(o, 4, r, i));
  staffInfo(o, 4, v.staffInfo);
  o.el(4, 'StatusCode', v.statusCode);
  o.el(4, 'Description', v.description);
  o.el(4, 'Timestamp', timestamp('MessageHeader/Timestamp', v.timestamp));
  o.close(3, 'MessageHeader');
  traceHeaderList(o, 3, v.traceHeaders, undefined);
  return o.flush() + signature(3, v.signature);
}

function documentHeader(v: EdxmlDocumentPackage<BuildAttachment>): string {
  const h = v.header;
  const o = new Out('edXML:');
  o.open(3, 'MessageHeader');
  organization(o, 4, 'From', h.from);
  for (const t of h.to) organization(o, 4, 'To', t);
  o.el(4, 'DocumentId', h.documentId);
  if (h.code) {
    o.open(4, 'Code');
    o.el(5, 'CodeNumber', h.code.codeNumber);
    o.el(5, 'CodeNotation', h.code.codeNotation);
    o.close(4, 'Code');
  }
  if (h.promulgationInfo) {
    o.open(4, 'PromulgationInfo');
    o.el(5, 'Place', h.promulgationInfo.place);
    o.el(5, 'PromulgationDate', date('MessageHeader/PromulgationInfo/PromulgationDate', h.promulgationInfo.promulgationDate));
    o.close(4, 'PromulgationInfo');
  }
  if (h.documentType) {
    o.open(4, 'DocumentType');
    o.el(5, 'Type', h.documentType.type);
    o.el(5, 'TypeDetail', h.documentType.typeDetail);
    o.el(5, 'TypeName', h.documentType.typeName);
    o.close(4, 'DocumentType');
  }
  o.el(4, 'Subject', h.subject);
  o.el(4, 'Content', h.content);
  if (h.signerInfo) {
    o.open(4, 'SignerInfo');
    o.el(5, 'Competence', h.signerInfo.competence);
    o.el(5, 'Position', h.signerInfo.position);
    o.el(5, 'FullName', h.signerInfo.fullName);
    o.close(4, 'SignerInfo');
  }
  o.el(4, 'DueDate', date('MessageHeader/DueDate', h.dueDate));
  if (h.otherInfo) {
    const x = h.otherInfo;
    o.open(4, 'OtherInfo');
    o.el(5, 'Priority', x.priority);
    o.el(5, 'SphereOfPromulgation', x.sphereOfPromulgation);
    o.el(5, 'TyperNotation', x.typerNotation);
    o.el(5, 'PromulgationAmount', x.promulgationAmount);
    o.el(5, 'PageAmount', x.pageAmount);
    o.el(5, 'Direction', x.direction);
    if (x.appendixes?.length) {
      o.open(5, 'Appendixes');
      for (const a of x.appendixes) o.el(6, 'Appendix', a);
      o.close(5, 'Appendixes');
    }
    o.close(4, 'OtherInfo');
  }
  h.responseFor.forEach((r, i) => responseFor(o, 4, r, i));
  o.el(4, 'SteeringType', h.steeringType);
  if (h.toPlaces?.length) {
    o.open(4, 'ToPlaces');
    for (const p of h.toPlaces) o.el(5, 'Place', p);
    o.close(4, 'ToPlaces');
  }
  o.close(3, 'MessageHeader');
  traceHeaderList(o, 3, v.traceHeaders, v.business);
  return o.flush() + signature(3, v.signature);
}

function body(v: EdxmlDocumentPackage<BuildAttachment>): string {
  const m = v.manifest;
  if (m.version === undefined && !m.references.length) return '';
  const o = new Out('edXML:');
  o.open(2, 'edXMLBody');
  o.open(3, 'edXMLManifest', m.version === undefined ? '' : ` version="${escAttr(m.version)}"`);
  for (const r of m.references) {
    o.open(4, 'Reference');
    o.el(5, 'ContentId', r.contentId === undefined ? undefined : `cid:${r.contentId}`);
    o.el(5, 'ContentType', r.contentType);
    o.el(5, 'Description', r.description);
    o.el(5, 'AttachmentName', r.attachmentName);
    o.close(4, 'Reference');
  }
  o.close(3, 'edXMLManifest');
  o.close(2, 'edXMLBody');
  return o.flush();
}

/** The package as text chunks. Consume with `for await` and write each chunk (see `writeEdxml`). */
export async function* buildEdxml(v: EdxmlPackage<BuildAttachment>, source?: AttachmentSource): AsyncGenerator<string> {
  yield HEAD;
  if (v.kind === 'status') {
    yield statusHeader(v);
    yield '    </edXML:edXMLHeader>\n  </edXML:edXMLEnvelope>\n</edXML>\n';
    return;
  }
  yield documentHeader(v);
  yield '    </edXML:edXMLHeader>\n';
  yield body(v);
  yield '  </edXML:edXMLEnvelope>\n';
  if (v.attachments.length) {
    if (!source) throw new EdxmlBuildError('AttachmentEncoded', 'thiếu nguồn nội dung tệp đính kèm / no attachment source');
    yield '  <AttachmentEncoded>\n';
    for (let i = 0; i < v.attachments.length; i++) {
      const a = v.attachments[i];
      const o = new Out('');
      o.open(2, 'Attachment');
      o.el(3, 'ContentId', a.contentId === undefined ? undefined : `cid:${a.contentId}`);
      o.el(3, 'AttachmentName', a.attachmentName);
      o.el(3, 'Description', a.description);
      o.el(3, 'ContentType', a.contentType);
      yield o.flush();
      yield `      <edXML:ContentTransferEncoded xmlns:edXML="${EDXML_NS}">`;
      yield* encodeAttachment(a, i, await source(a, i));
      yield '</edXML:ContentTransferEncoded>\n    </Attachment>\n';
    }
    yield '  </AttachmentEncoded>\n';
  }
  yield '</edXML>\n';
}

async function* encodeAttachment(a: BuildAttachment, i: number, bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const path = `AttachmentEncoded/Attachment[${i + 1}]`;
  const enc = new Base64Encoder();
  const hash = crypto.createHash('sha256');
  let size = 0;
  let zip: { zip: Zip; entry: ZipDeflate; out: Uint8Array[]; err?: Error } | undefined;
  if (a.wrapping === 'zip') {
    const out: Uint8Array[] = [];
    const z: { zip: Zip; entry: ZipDeflate; out: Uint8Array[]; err?: Error } = {
      zip: new Zip((err, data) => {
        if (err) z.err = err;
        else if (data.length) out.push(data);
      }),
      entry: new ZipDeflate(a.zipEntryName ?? a.attachmentName ?? `attachment-${i + 1}`, { level: 6 }),
      out,
    };
    z.zip.add(z.entry);
    zip = z;
  }
  const drainZip = function* (): Generator<string> {
    if (!zip) return;
    if (zip.err) throw new EdxmlBuildError(path, `không nén được ZIP: ${zip.err.message}`);
    for (const piece of zip.out.splice(0)) yield enc.push(piece);
  };
  for await (const chunk of bytes) {
    size += chunk.length;
    hash.update(chunk);
    if (zip) {
      zip.entry.push(chunk, false);
      yield* drainZip();
    } else {
      yield enc.push(chunk);
    }
  }
  if (zip) {
    zip.entry.push(new Uint8Array(0), true);
    zip.zip.end();
    yield* drainZip();
  }
  yield enc.end();
  const sha = hash.digest('hex');
  if (a.size !== undefined && a.size !== size) throw new EdxmlBuildError(path, `kích thước tệp ${size} khác ${a.size} đã khai / size ${size} differs from the declared ${a.size}`);
  if (a.sha256 !== undefined && a.sha256.toLowerCase() !== sha) throw new EdxmlBuildError(path, `sha256 của tệp khác giá trị đã khai / sha256 differs from the declared value`);
}

/** Builds the whole package into one string (small packages, tests). */
export async function buildEdxmlString(v: EdxmlPackage<BuildAttachment>, source?: AttachmentSource): Promise<string> {
  let s = '';
  for await (const piece of buildEdxml(v, source)) s += piece;
  return s;
}
