/**
 * The typed value model of an edXML package (QCVN 102:2016/BTTTT) — vn-standards.md §2.
 *
 * Conventions of the value (what `parseEdxml` returns and `buildEdxml` takes):
 * - every text is trimmed and NFC-normalised; an empty element is the same as a missing one (`undefined`);
 * - dates (`yyyy/MM/dd` on the wire) are `YYYY-MM-DD`; timestamps (`yyyy/MM/dd HH:mm:ss`, Vietnam local time)
 *   are `YYYY-MM-DDTHH:mm:ss` without a zone (see `timestampToDate`);
 * - integer fields are numbers, `Direction` a boolean;
 * - the business element is read from `Bussiness*` or `Business*` and always written `Bussiness*` (double s);
 * - content ids are stored WITHOUT the `cid:` prefix; the builder writes `cid:<id>` in both places.
 */

export const EDXML_NS = 'http://www.mic.gov.vn/TBT/QCVN_102_2016';
export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
export const XLINK_NS = 'http://www.w3.org/1999/xlink';

/** Nghiệp vụ (TraceHeaderList/Bussiness/BussinessDocType). */
export const BUSINESS_DOC_TYPES = { NEW: 0, REVOKE: 1, UPDATE: 2, REPLACE: 3 } as const;
export type BusinessDocType = (typeof BUSINESS_DOC_TYPES)[keyof typeof BUSINESS_DOC_TYPES];

/** edXML status codes (vn-standards.md §2.3). 13 comes from the original sender; the others from the receiver. */
export const STATUS_CODES = {
  '01': { vi: 'Đã đến', en: 'Arrived' },
  '02': { vi: 'Từ chối tiếp nhận', en: 'Rejected' },
  '03': { vi: 'Đã tiếp nhận', en: 'Registered' },
  '04': { vi: 'Phân công', en: 'Assigned' },
  '05': { vi: 'Đang xử lý', en: 'Processing' },
  '06': { vi: 'Hoàn thành', en: 'Finished' },
  '13': { vi: 'Lấy lại văn bản', en: 'Recall requested' },
  '15': { vi: 'Đồng ý lấy lại / cập nhật', en: 'Recall/update accepted' },
  '16': { vi: 'Từ chối lấy lại / cập nhật', en: 'Recall/update refused' },
} as const;
export type StatusCode = keyof typeof STATUS_CODES;
export const isStatusCode = (s: string): s is StatusCode => Object.prototype.hasOwnProperty.call(STATUS_CODES, s);

export interface EdxmlOrganization {
  organId?: string;
  organizationInCharge?: string;
  organName?: string;
  organAdd?: string;
  email?: string;
  telephone?: string;
  fax?: string;
  website?: string;
}

export interface EdxmlCode {
  codeNumber?: string;
  codeNotation?: string;
}

export interface EdxmlPromulgationInfo {
  place?: string;
  /** YYYY-MM-DD */
  promulgationDate?: string;
}

export interface EdxmlDocumentType {
  type?: number;
  typeDetail?: number;
  typeName?: string;
}

export interface EdxmlSignerInfo {
  competence?: string;
  position?: string;
  fullName?: string;
}

export interface EdxmlOtherInfo {
  /** 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc, 4 hỏa tốc hẹn giờ */
  priority?: number;
  sphereOfPromulgation?: string;
  typerNotation?: string;
  promulgationAmount?: number;
  pageAmount?: number;
  direction?: boolean;
  appendixes?: string[];
}

/** The document a message answers (ResponseFor); in a status message: the document whose status this is. */
export interface EdxmlResponseFor {
  organId?: string;
  /** `Number/Notation` (one string in ResponseFor) */
  code?: string;
  /** YYYY-MM-DD */
  promulgationDate?: string;
  documentId?: string;
}

export interface EdxmlStaffInfo {
  department?: string;
  staff?: string;
  email?: string;
  mobile?: string;
}

export interface EdxmlTraceHeader {
  organId?: string;
  /** YYYY-MM-DDTHH:mm:ss (Vietnam local time) */
  timestamp?: string;
}

export interface EdxmlReceiverChange {
  organId?: string;
  /** 0 = removed from the recipients, 1 = added */
  receiverType?: number;
}

export interface EdxmlBusinessDocumentInfo {
  /** 1 = the content changed */
  documentInfo?: number;
  /** 1 = the receiver list changed */
  documentReceiver?: number;
  receivers: EdxmlReceiverChange[];
}

export interface EdxmlReplacementInfo {
  documentId?: string;
  organIds: string[];
}

export interface EdxmlBusiness {
  /** The target document (revoke / update / replace). */
  documentId?: string;
  businessDocType?: number;
  businessDocReason?: string;
  paper?: number;
  documentInfo?: EdxmlBusinessDocumentInfo;
  staffInfo?: EdxmlStaffInfo;
  replacements?: EdxmlReplacementInfo[];
}

export interface EdxmlSignatureReference {
  uri?: string;
  transforms: string[];
  digestMethod?: string;
  digestValue?: string;
}

/**
 * The XMLDSig-shaped Signature block, carried as is (the codec does not verify it: peers are authenticated by
 * the request signature, http-auth.ts; the legally binding signatures are inside the attached PDFs).
 * `namespace`: 'qcvn' when it sits in the QCVN default namespace (VNPT samples), 'xmldsig' when it declares
 * the W3C namespace.
 */
export interface EdxmlSignature {
  namespace: 'qcvn' | 'xmldsig';
  canonicalizationMethod?: string;
  signatureMethod?: string;
  references: EdxmlSignatureReference[];
  signatureValue?: string;
  x509SubjectName?: string;
  x509Certificate?: string;
}

/** edXMLBody/edXMLManifest/Reference */
export interface EdxmlManifestReference {
  contentId?: string;
  contentType?: string;
  description?: string;
  attachmentName?: string;
}

/** What the XML says about an attachment (AttachmentEncoded/Attachment) — no bytes. */
export interface EdxmlAttachmentMeta {
  contentId?: string;
  attachmentName?: string;
  description?: string;
  contentType?: string;
  /**
   * 'zip': the base64 carries a ZIP with exactly one file (VNPT library style: ContentType application/zip,
   * the bytes start with `PK\x03\x04`, and the attachment name does not end with `.zip`). size/sha256 are then
   * those of the file inside, and `zipEntryName` its name in the ZIP. 'none': the base64 is the file itself.
   */
  wrapping: 'none' | 'zip';
  zipEntryName?: string;
}

/** A parsed attachment: size and sha256 of the file (unwrapped when `wrapping` is 'zip'). */
export interface EdxmlAttachment extends EdxmlAttachmentMeta {
  size: number;
  sha256: string;
}

export interface EdxmlDocumentHeader {
  from: EdxmlOrganization;
  to: EdxmlOrganization[];
  documentId?: string;
  code?: EdxmlCode;
  promulgationInfo?: EdxmlPromulgationInfo;
  documentType?: EdxmlDocumentType;
  subject?: string;
  content?: string;
  signerInfo?: EdxmlSignerInfo;
  /** YYYY-MM-DD */
  dueDate?: string;
  otherInfo?: EdxmlOtherInfo;
  steeringType?: number;
  toPlaces?: string[];
  responseFor: EdxmlResponseFor[];
}

/** A document message (văn bản mới / thu hồi / cập nhật / thay thế). */
export interface EdxmlDocumentPackage<A extends EdxmlAttachmentMeta = EdxmlAttachment> {
  kind: 'document';
  header: EdxmlDocumentHeader;
  traceHeaders: EdxmlTraceHeader[];
  business?: EdxmlBusiness;
  signature?: EdxmlSignature;
  manifest: { version?: string; references: EdxmlManifestReference[] };
  attachments: A[];
}

/** A status message (StatusCode 01–06, 13, 15, 16). */
export interface EdxmlStatusPackage {
  kind: 'status';
  from: EdxmlOrganization;
  responseFor: EdxmlResponseFor[];
  staffInfo?: EdxmlStaffInfo;
  statusCode?: string;
  description?: string;
  /** YYYY-MM-DDTHH:mm:ss (Vietnam local time) */
  timestamp?: string;
  traceHeaders: EdxmlTraceHeader[];
  signature?: EdxmlSignature;
}

export type EdxmlPackage<A extends EdxmlAttachmentMeta = EdxmlAttachment> = EdxmlDocumentPackage<A> | EdxmlStatusPackage;

/** A problem with a precise place (element path) and rule; `vi` is what goes back in status 02. */
export interface EdxmlProblem {
  /** Element path from the envelope, e.g. `MessageHeader/Code/CodeNumber`. */
  path: string;
  /** Short rule id, e.g. `required`, `max-length`, `format`. */
  rule: string;
  vi: string;
  en: string;
}

export const formatProblem = (p: EdxmlProblem): string => `${p.path}: ${p.vi} (${p.en}) [${p.rule}]`;

/** The reason text of a status 02 for these problems (Vietnamese, English in parentheses). */
export function rejectionReason(problems: EdxmlProblem[]): string {
  return problems.map(formatProblem).join('; ');
}
