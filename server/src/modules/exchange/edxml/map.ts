/**
 * Element tree (what the streaming parser keeps of the envelope) → typed value (model.ts). Scalar formats
 * (dates, timestamps, integers, booleans) are checked here — a value that cannot be typed is refused with
 * its path; business rules are in validate.ts. Unknown elements are ignored and reported as warnings.
 */
import { EdxmlParseError, shortPath } from './errors';
import { normalizeContentId, parseEdxmlDateLenient, parseEdxmlTimestampLenient } from './formats';
import {
  EDXML_NS,
  XMLDSIG_NS,
  type EdxmlAttachment,
  type EdxmlBusiness,
  type EdxmlDocumentPackage,
  type EdxmlOrganization,
  type EdxmlPackage,
  type EdxmlProblem,
  type EdxmlResponseFor,
  type EdxmlSignature,
  type EdxmlStaffInfo,
  type EdxmlStatusPackage,
  type EdxmlTraceHeader,
} from './model';

export interface XNode {
  name: string;
  ns: string;
  attrs: Record<string, string>;
  text: string;
  children: XNode[];
  line: number;
  selfClosing: boolean;
}

class Reader {
  private readonly used = new Set<string>();
  constructor(
    readonly node: XNode,
    readonly path: string,
    private readonly warnings: EdxmlProblem[],
    private readonly allowNs: string[] = [EDXML_NS],
  ) {}

  private fail(path: string, rule: string, vi: string, en: string, line?: number): never {
    throw new EdxmlParseError(path, rule, vi, en, line);
  }

  private all(name: string): XNode[] {
    this.used.add(name);
    return this.node.children.filter((c) => c.name === name && this.allowNs.includes(c.ns));
  }

  private one(name: string): XNode | undefined {
    const list = this.all(name);
    if (list.length > 1) {
      this.fail(`${this.path}/${name}`, 'once', `Phần tử ${name} chỉ được xuất hiện một lần (gặp ${list.length} lần)`, `element ${name} may appear only once (found ${list.length})`, list[1].line);
    }
    return list[0];
  }

  child(name: string): Reader | undefined {
    const n = this.one(name);
    return n ? new Reader(n, `${this.path}/${name}`, this.warnings, this.allowNs) : undefined;
  }

  children(name: string): Reader[] {
    return this.all(name).map((n, i) => new Reader(n, `${this.path}/${name}[${i + 1}]`, this.warnings, this.allowNs));
  }

  /** Trimmed NFC text of this element; undefined when empty. */
  value(): string | undefined {
    const t = this.node.text.trim().normalize('NFC');
    return t ? t : undefined;
  }

  text(name: string): string | undefined {
    return this.child(name)?.done().value();
  }

  texts(name: string): string[] {
    return this.children(name)
      .map((r) => r.done().value())
      .filter((v): v is string => v !== undefined);
  }

  int(name: string): number | undefined {
    const v = this.text(name);
    if (v === undefined) return undefined;
    if (!/^-?\d{1,9}$/.test(v)) {
      this.fail(`${this.path}/${name}`, 'integer', `${name} phải là số nguyên (gặp ${JSON.stringify(v)})`, `${name} must be an integer (found ${JSON.stringify(v)})`, this.one(name)?.line);
    }
    return Number(v);
  }

  bool(name: string): boolean | undefined {
    const v = this.text(name);
    if (v === undefined) return undefined;
    if (/^(true|1)$/i.test(v)) return true;
    if (/^(false|0)$/i.test(v)) return false;
    return this.fail(`${this.path}/${name}`, 'boolean', `${name} phải là true hoặc false (gặp ${JSON.stringify(v)})`, `${name} must be true or false (found ${JSON.stringify(v)})`, this.one(name)?.line);
  }

  date(name: string): string | undefined {
    const v = this.text(name);
    if (v === undefined) return undefined;
    const d = parseEdxmlDateLenient(v);
    if (!d) {
      this.fail(`${this.path}/${name}`, 'date', `${name} phải là ngày dạng yyyy/MM/dd có thật (gặp ${JSON.stringify(v)})`, `${name} must be a real date yyyy/MM/dd (found ${JSON.stringify(v)})`, this.one(name)?.line);
    }
    if (d.form === 'dmy') this.formWarning(name, v);
    return d.value;
  }

  timestamp(name: string): string | undefined {
    const v = this.text(name);
    if (v === undefined) return undefined;
    const d = parseEdxmlTimestampLenient(v);
    if (!d) {
      this.fail(`${this.path}/${name}`, 'timestamp', `${name} phải có dạng yyyy/MM/dd HH:mm:ss (gặp ${JSON.stringify(v)})`, `${name} must be yyyy/MM/dd HH:mm:ss (found ${JSON.stringify(v)})`, this.one(name)?.line);
    }
    if (d.form === 'dmy') this.formWarning(name, v);
    return d.value;
  }

  private formWarning(name: string, v: string): void {
    this.warnings.push({
      path: shortPath(`${this.path}/${name}`),
      rule: 'date-format',
      vi: `${name} viết theo dạng dd/MM/yyyy (${v}), đã đọc được; chuẩn là yyyy/MM/dd`,
      en: `${name} is written dd/MM/yyyy (${v}); read anyway, the standard form is yyyy/MM/dd`,
    });
  }

  /** An attribute's value ('' when present and empty, e.g. Reference URI=""). */
  attr(name: string): string | undefined {
    const v = this.node.attrs[name];
    return v === undefined ? undefined : v.trim().normalize('NFC');
  }

  /** Reports children that were not read as warnings (ignored elements). */
  done(): this {
    for (const c of this.node.children) {
      if (!this.used.has(c.name) || !this.allowNs.includes(c.ns)) {
        this.warnings.push({
          path: shortPath(`${this.path}/${c.name}`),
          rule: 'unknown-element',
          vi: `Phần tử ${c.name}${c.ns ? ` (${c.ns})` : ''} không thuộc mô hình, đã bỏ qua`,
          en: `element ${c.name}${c.ns ? ` (${c.ns})` : ''} is not part of the model and was ignored`,
        });
      }
    }
    return this;
  }
}

function compact<T extends object>(o: T): T | undefined {
  const out: Record<string, unknown> = {};
  let any = false;
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
    any = true;
  }
  return any ? (out as T) : undefined;
}

function organization(r: Reader): EdxmlOrganization {
  const o: EdxmlOrganization = {
    organId: r.text('OrganId'),
    organizationInCharge: r.text('OrganizationInCharge'),
    organName: r.text('OrganName'),
    organAdd: r.text('OrganAdd'),
    email: r.text('Email'),
    telephone: r.text('Telephone'),
    fax: r.text('Fax'),
    website: r.text('Website'),
  };
  r.done();
  return compact(o) ?? {};
}

function staffInfo(r: Reader | undefined): EdxmlStaffInfo | undefined {
  if (!r) return undefined;
  const s = compact<EdxmlStaffInfo>({ department: r.text('Department'), staff: r.text('Staff'), email: r.text('Email'), mobile: r.text('Mobile') });
  r.done();
  return s;
}

function responseFor(r: Reader): EdxmlResponseFor | undefined {
  const v = compact<EdxmlResponseFor>({
    organId: r.text('OrganId'),
    code: r.text('Code'),
    promulgationDate: r.date('PromulgationDate'),
    documentId: r.text('DocumentId'),
  });
  r.done();
  return v;
}

function traceHeaders(list: Reader | undefined): EdxmlTraceHeader[] {
  if (!list) return [];
  return list
    .children('TraceHeader')
    .map((t) => {
      const v = compact<EdxmlTraceHeader>({ organId: t.text('OrganId'), timestamp: t.timestamp('Timestamp') });
      t.done();
      return v;
    })
    .filter((v): v is EdxmlTraceHeader => v !== undefined);
}

function business(r: Reader | undefined): EdxmlBusiness | undefined {
  if (!r) return undefined;
  const info = r.child('BussinessDocumentInfo');
  let documentInfo: EdxmlBusiness['documentInfo'];
  if (info) {
    const list = info.child('ReceiverList');
    const receivers = (list?.children('Receiver') ?? [])
      .map((x) => {
        const v = compact({ organId: x.text('OrganId'), receiverType: x.int('ReceiverType') });
        x.done();
        return v;
      })
      .filter((v): v is NonNullable<typeof v> => v !== undefined);
    list?.done();
    documentInfo = { documentInfo: info.int('DocumentInfo'), documentReceiver: info.int('DocumentReceiver'), receivers };
    info.done();
    documentInfo = compact(documentInfo) ? dropUndefined({ ...documentInfo, receivers }) : undefined;
  }
  const replList = r.child('ReplacementInfoList');
  const replacements = replList?.children('ReplacementInfo').map((x) => {
    const ids = x.child('OrganIdList');
    const organIds = ids?.texts('OrganId') ?? [];
    ids?.done();
    const v = dropUndefined({ documentId: x.text('DocumentId'), organIds });
    x.done();
    return v;
  });
  replList?.done();
  const b = compact<EdxmlBusiness>({
    documentId: r.text('DocumentId'),
    businessDocType: r.int('BussinessDocType'),
    businessDocReason: r.text('BussinessDocReason'),
    paper: r.int('Paper'),
    documentInfo,
    staffInfo: staffInfo(r.child('StaffInfo')),
    replacements: replacements && replacements.length ? replacements : undefined,
  });
  r.done();
  return b;
}

function signature(node: XNode, path: string, warnings: EdxmlProblem[]): EdxmlSignature {
  const ns = node.ns === XMLDSIG_NS ? XMLDSIG_NS : EDXML_NS;
  const r = new Reader(node, path, warnings, [ns]);
  const si = r.child('SignedInfo');
  const refs =
    si?.children('Reference').map((ref) => {
      const tr = ref.child('Transforms');
      const transforms = (tr?.children('Transform') ?? []).map((t) => t.done().attr('Algorithm') ?? '');
      tr?.done();
      const v = {
        uri: ref.attr('URI'),
        transforms,
        digestMethod: ref.child('DigestMethod')?.done().attr('Algorithm'),
        digestValue: ref.text('DigestValue'),
      };
      ref.done();
      return v;
    }) ?? [];
  const sig: EdxmlSignature = {
    namespace: ns === XMLDSIG_NS ? 'xmldsig' : 'qcvn',
    canonicalizationMethod: si?.child('CanonicalizationMethod')?.done().attr('Algorithm'),
    signatureMethod: si?.child('SignatureMethod')?.done().attr('Algorithm'),
    references: refs,
    signatureValue: r.text('SignatureValue'),
  };
  si?.done();
  const ki = r.child('KeyInfo');
  const x509 = ki?.child('X509Data');
  sig.x509SubjectName = x509?.text('X509SubjectName');
  sig.x509Certificate = x509?.text('X509Certificate')?.replace(/\s+/g, '');
  x509?.done();
  ki?.done();
  r.done();
  for (const k of Object.keys(sig) as Array<keyof EdxmlSignature>) if (sig[k] === undefined) delete sig[k];
  return sig;
}

export function mapPackage(root: XNode, attachmentsByNode: Map<XNode, EdxmlAttachment>, warnings: EdxmlProblem[]): EdxmlPackage {
  const rootR = new Reader(root, 'edXML', warnings);
  const env = rootR.child('edXMLEnvelope');
  if (!env) throw new EdxmlParseError('edXML', 'required', 'Thiếu phần tử edXMLEnvelope', 'missing edXMLEnvelope', root.line);
  const headerNode = env.child('edXMLHeader')?.node;
  if (!headerNode) throw new EdxmlParseError('edXMLEnvelope', 'required', 'Thiếu phần tử edXMLHeader', 'missing edXMLHeader', env.node.line);
  // The Signature block may sit in the QCVN namespace (VNPT samples) or in the XMLDSig one.
  const header = new Reader(headerNode, 'edXML/edXMLEnvelope/edXMLHeader', warnings, [EDXML_NS, XMLDSIG_NS]);
  const mh = header.child('MessageHeader');
  if (!mh) throw new EdxmlParseError('edXMLHeader', 'required', 'Thiếu phần tử MessageHeader', 'missing MessageHeader', headerNode.line);
  const traceR = header.child('TraceHeaderList');
  const sigR = header.child('Signature');
  const sig = sigR ? signature(sigR.node, 'Signature', warnings) : undefined;
  header.done();

  const from = mh.child('From');
  const traces = traceHeaders(traceR);
  const bus = traceR ? business(traceR.child('Bussiness')) : undefined;
  traceR?.done();

  if (mh.node.children.some((c) => c.name === 'StatusCode')) {
    const status: EdxmlStatusPackage = {
      kind: 'status',
      from: from ? organization(from) : {},
      responseFor: mh.children('ResponseFor').map(responseFor).filter((v): v is EdxmlResponseFor => v !== undefined),
      staffInfo: staffInfo(mh.child('StaffInfo')),
      statusCode: mh.text('StatusCode'),
      description: mh.text('Description'),
      timestamp: mh.timestamp('Timestamp'),
      traceHeaders: traces,
      signature: sig,
    };
    mh.done();
    if (bus) warnings.push({ path: 'TraceHeaderList/Bussiness', rule: 'unknown-element', vi: 'Thông điệp trạng thái không dùng Bussiness, đã bỏ qua', en: 'a status message has no Bussiness; ignored' });
    // A status carries no files; an empty edXMLBody / AttachmentEncoded is tolerated (and dropped).
    const body = env.child('edXMLBody');
    const refs = body?.child('edXMLManifest')?.children('Reference') ?? [];
    const atts = rootR.child('AttachmentEncoded')?.children('Attachment') ?? [];
    if (refs.length || atts.length) {
      throw new EdxmlParseError(refs.length ? 'edXMLBody/edXMLManifest' : 'AttachmentEncoded', 'status-no-body', 'Thông điệp trạng thái không được có tệp đính kèm', 'a status message carries no attachments');
    }
    env.done();
    rootR.done();
    return dropUndefined(status);
  }

  const otherInfo = mh.child('OtherInfo');
  let other: EdxmlDocumentPackage['header']['otherInfo'];
  if (otherInfo) {
    const apps = otherInfo.child('Appendixes');
    other = compact({
      priority: otherInfo.int('Priority'),
      sphereOfPromulgation: otherInfo.text('SphereOfPromulgation'),
      typerNotation: otherInfo.text('TyperNotation'),
      promulgationAmount: otherInfo.int('PromulgationAmount'),
      pageAmount: otherInfo.int('PageAmount'),
      direction: otherInfo.bool('Direction'),
      appendixes: apps?.texts('Appendix'),
    });
    apps?.done();
    otherInfo.done();
  }
  const code = mh.child('Code');
  const pi = mh.child('PromulgationInfo');
  const dt = mh.child('DocumentType');
  const signer = mh.child('SignerInfo');
  const toPlaces = mh.child('ToPlaces');
  const hdr: EdxmlDocumentPackage['header'] = {
    from: from ? organization(from) : {},
    to: mh.children('To').map(organization),
    documentId: mh.text('DocumentId'),
    code: code ? compact({ codeNumber: code.text('CodeNumber'), codeNotation: code.text('CodeNotation') }) : undefined,
    promulgationInfo: pi ? compact({ place: pi.text('Place'), promulgationDate: pi.date('PromulgationDate') }) : undefined,
    documentType: dt ? compact({ type: dt.int('Type'), typeDetail: dt.int('TypeDetail'), typeName: dt.text('TypeName') }) : undefined,
    subject: mh.text('Subject'),
    content: mh.text('Content'),
    signerInfo: signer ? compact({ competence: signer.text('Competence'), position: signer.text('Position'), fullName: signer.text('FullName') }) : undefined,
    dueDate: mh.date('DueDate'),
    otherInfo: other,
    steeringType: mh.int('SteeringType'),
    toPlaces: toPlaces?.texts('Place'),
    responseFor: mh.children('ResponseFor').map(responseFor).filter((v): v is EdxmlResponseFor => v !== undefined),
  };
  for (const r of [code, pi, dt, signer, toPlaces]) r?.done();
  mh.done();

  const body = env.child('edXMLBody');
  const manifestR = body?.child('edXMLManifest');
  const references = (manifestR?.children('Reference') ?? []).map((ref) => {
    const cid = ref.text('ContentId') ?? (ref.attr('xlink:href') || undefined);
    const v = {
      contentId: cid !== undefined ? normalizeContentId(cid) || undefined : undefined,
      contentType: ref.text('ContentType'),
      description: ref.text('Description'),
      attachmentName: ref.text('AttachmentName'),
    };
    ref.done();
    return dropUndefined(v);
  });
  const manifest = { version: manifestR?.attr('version'), references };
  manifestR?.done();
  body?.done();
  env.done();

  const encR = rootR.child('AttachmentEncoded');
  const attachments: EdxmlAttachment[] = (encR?.children('Attachment') ?? []).map((a) => {
    const cte = a.node.children.find((c) => c.name === 'ContentTransferEncoded');
    const decoded = cte ? attachmentsByNode.get(cte) : undefined;
    if (!decoded) throw new EdxmlParseError(a.path, 'required', 'Attachment thiếu ContentTransferEncoded', 'Attachment without ContentTransferEncoded', a.node.line);
    a.child('ContentTransferEncoded');
    const cid = a.text('ContentId');
    const v: EdxmlAttachment = {
      contentId: cid !== undefined ? normalizeContentId(cid) || undefined : undefined,
      attachmentName: a.text('AttachmentName'),
      description: a.text('Description'),
      contentType: a.text('ContentType'),
      wrapping: decoded.wrapping,
      zipEntryName: decoded.zipEntryName,
      size: decoded.size,
      sha256: decoded.sha256,
    };
    a.done();
    return dropUndefined(v);
  });
  encR?.done();
  rootR.done();

  const doc: EdxmlDocumentPackage = {
    kind: 'document',
    header: dropUndefined(hdr),
    traceHeaders: traces,
    business: bus,
    signature: sig,
    manifest: dropUndefined(manifest),
    attachments,
  };
  return dropUndefined(doc);
}

function dropUndefined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k];
  return o;
}
