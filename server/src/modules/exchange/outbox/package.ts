/**
 * Pure mapping of our documents to edXML values (QCVN 102:2016, vn-standards §2): the MessageHeader of an
 * issued document, its DocumentId, and the ResponseFor that status messages about it carry. No I/O.
 */
import {
  BUSINESS_DOC_TYPES,
  dateToTimestamp,
  formatDocumentId,
  type BuildAttachment,
  type EdxmlBusiness,
  type EdxmlDocumentPackage,
  type EdxmlOrganization,
  type EdxmlResponseFor,
} from '../edxml';

/** The facts of a document that go into its package. */
export interface DocumentFacts {
  number: number | null;
  symbol: string | null;
  /** YYYY-MM-DD */
  issuedDate: string | null;
  typeName: string;
  subject: string;
  signerName: string | null;
  signerTitle: string | null;
  urgency: string;
  pageCount: number | null;
  place: string;
}

export interface FileFacts {
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

/** The stored facts of a document (our Document row) that `documentFactsOf` reads. */
export interface DocumentRowFacts {
  number?: number | null;
  symbol?: string | null;
  issuedDate?: string | null;
  typeName: string;
  subject: string;
  signerName?: string | null;
  signerTitle?: string | null;
  urgency: string;
  pageCount?: number | null;
}

/** The package facts of a document row, promulgated at `place`. */
export function documentFactsOf(doc: DocumentRowFacts, place: string): DocumentFacts {
  return {
    number: doc.number ?? null,
    symbol: doc.symbol ?? null,
    issuedDate: doc.issuedDate ?? null,
    typeName: doc.typeName,
    subject: doc.subject,
    signerName: doc.signerName ?? null,
    signerTitle: doc.signerTitle ?? null,
    urgency: doc.urgency,
    pageCount: doc.pageCount ?? null,
    place,
  };
}

/** The package facts of a stored file (its size column is a bigint string or number). */
export function fileFactsOf(f: { fileName: string; contentType: string; size: number | string | bigint; sha256: string }): FileFacts {
  return { fileName: f.fileName, contentType: f.contentType, size: Number(f.size), sha256: f.sha256 };
}

/** Độ khẩn → edXML Priority (0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc). */
export const PRIORITY_OF_URGENCY: Readonly<Record<string, number>> = { THUONG: 0, KHAN: 1, THUONG_KHAN: 2, HOA_TOC: 3 };
export const URGENCY_OF_PRIORITY: Readonly<Record<number, string>> = { 0: 'THUONG', 1: 'KHAN', 2: 'THUONG_KHAN', 3: 'HOA_TOC', 4: 'HOA_TOC' };

/** `125/UBND-KT` → CodeNumber 125, CodeNotation UBND-KT; `01/KH-UBND` keeps its written number "01" (Decree 30). */
export function codeOf(number: number | null, symbol: string | null): { codeNumber: string; codeNotation: string } | null {
  if (!symbol) return null;
  const slash = symbol.indexOf('/');
  const head = slash > 0 ? symbol.slice(0, slash) : '';
  const notation = slash > 0 ? symbol.slice(slash + 1) : symbol;
  const codeNumber = /^\d+$/.test(head) ? head : number != null ? String(number) : '';
  if (!codeNumber || !notation) return null;
  return { codeNumber, codeNotation: notation };
}

/** edXML DocumentId `OrganId,yyyy/MM/dd,Number/Notation` of an issued document, or null when it has no number yet. */
export type NumberFacts = { number?: number | null; symbol?: string | null; issuedDate?: string | null };

export function edxmlDocumentIdOf(organId: string, d: NumberFacts): string | null {
  const code = codeOf(d.number ?? null, d.symbol ?? null);
  if (!code || !d.issuedDate) return null;
  return formatDocumentId({ organId, date: d.issuedDate, ...code });
}

/** The ResponseFor naming a document in the status messages about it. */
export function responseForOf(organId: string, d: NumberFacts): EdxmlResponseFor {
  const code = codeOf(d.number ?? null, d.symbol ?? null);
  const r: EdxmlResponseFor = { organId };
  if (code) r.code = `${code.codeNumber}/${code.codeNotation}`;
  if (d.issuedDate) r.promulgationDate = d.issuedDate;
  const id = edxmlDocumentIdOf(organId, d);
  if (id) r.documentId = id;
  return r;
}

/**
 * The package of a document for its recipients: From the issuing agency, To every recipient sent
 * electronically, one attachment per file (MAIN first), content ids 1…n. `business` defaults to "new".
 */
export function documentPackage(
  from: EdxmlOrganization & { organId: string },
  to: EdxmlOrganization[],
  d: DocumentFacts,
  files: readonly FileFacts[],
  now: Date,
  business?: EdxmlBusiness,
): EdxmlDocumentPackage<BuildAttachment> {
  const code = codeOf(d.number, d.symbol);
  const documentId = edxmlDocumentIdOf(from.organId, d);
  return {
    kind: 'document',
    header: {
      from,
      to,
      ...(documentId ? { documentId } : {}),
      ...(code ? { code } : {}),
      promulgationInfo: { ...(d.place ? { place: d.place.slice(0, 50) } : {}), ...(d.issuedDate ? { promulgationDate: d.issuedDate } : {}) },
      documentType: { typeName: d.typeName.slice(0, 100) },
      subject: d.subject.slice(0, 500),
      ...(d.signerName ? { signerInfo: { fullName: d.signerName, ...(d.signerTitle ? { position: d.signerTitle } : {}) } } : {}),
      otherInfo: { priority: PRIORITY_OF_URGENCY[d.urgency] ?? 0, ...(d.pageCount ? { pageAmount: d.pageCount } : {}), direction: false },
      responseFor: [],
    },
    traceHeaders: [{ organId: from.organId, timestamp: dateToTimestamp(now) }],
    business: business ?? { businessDocType: BUSINESS_DOC_TYPES.NEW, businessDocReason: 'Văn bản điện tử mới', paper: 0 },
    manifest: {
      version: '1.0',
      references: files.map((f, i) => ({ contentId: String(i + 1), contentType: f.contentType, attachmentName: f.fileName })),
    },
    attachments: files.map((f, i) => ({ contentId: String(i + 1), attachmentName: f.fileName, contentType: f.contentType, wrapping: 'none' as const, size: f.size, sha256: f.sha256 })),
  };
}
