/**
 * Pure mapping of received edXML values to our records, and the dedup key and ordering rules of the inbox
 * (DESIGN.md). No I/O.
 */
import crypto from 'node:crypto';
import type { EdxmlDocumentPackage, EdxmlPackage, EdxmlStatusPackage } from '../edxml';
import { URGENCY_OF_PRIORITY, type DocumentFacts } from '../outbox/package';

/** The fields of the recipient's incoming record taken from a received document package. */
export interface IncomingFields extends Omit<DocumentFacts, 'place'> {
  issuerName: string;
  issuerCode: string | null;
  /** MessageHeader/DueDate: the sender's hạn xử lý (YYYY-MM-DD). */
  dueDate: string | null;
}

export function incomingFieldsOf(p: EdxmlDocumentPackage): IncomingFields {
  const h = p.header;
  const number = h.code?.codeNumber && /^\d{1,9}$/.test(h.code.codeNumber) ? Number(h.code.codeNumber) : null;
  const symbol = h.code?.codeNumber && h.code.codeNotation ? `${h.code.codeNumber}/${h.code.codeNotation}` : (h.code?.codeNotation ?? null);
  return {
    issuerName: h.from.organName ?? h.from.organId ?? 'Cơ quan gửi',
    issuerCode: h.from.organId ?? null,
    symbol,
    number,
    issuedDate: h.promulgationInfo?.promulgationDate ?? null,
    typeName: h.documentType?.typeName ?? 'Công văn',
    subject: h.subject ?? '(không có trích yếu)',
    signerName: h.signerInfo?.fullName ?? null,
    signerTitle: h.signerInfo?.position ?? h.signerInfo?.competence ?? null,
    urgency: URGENCY_OF_PRIORITY[h.otherInfo?.priority ?? 0] ?? 'THUONG',
    pageCount: h.otherInfo?.pageAmount ?? null,
    dueDate: h.dueDate ?? null,
  };
}

/** The DocumentId a message is about: the document's own id, or (status) the ResponseFor's. */
export function aboutDocumentId(p: EdxmlPackage): string | null {
  if (p.kind === 'document') return p.header.documentId ?? null;
  return p.responseFor[0]?.documentId ?? null;
}

/** Who sent a message (mã định danh). */
export function senderCodeOf(p: EdxmlPackage): string | null {
  return (p.kind === 'document' ? p.header.from.organId : p.from.organId) ?? null;
}

export interface DedupParts {
  senderCode: string;
  edxmlDocumentId: string;
  kind: 'DOCUMENT' | 'STATUS';
  /** business type (documents) or status code (statuses) */
  type: string;
  /** sender's sequence of this (document, pair, code); for peers that send none: the status Timestamp */
  sequence: string;
  recipientCode: string;
}

/** sha256(sender ‖ DocumentId ‖ kind ‖ type ‖ sequence ‖ recipient) as hex. */
export function dedupKey(p: DedupParts): string {
  return crypto.createHash('sha256').update([p.senderCode, p.edxmlDocumentId, p.kind, p.type, p.sequence, p.recipientCode].join('\u0000'), 'utf8').digest('hex');
}

/** Rank of the receiver's progress codes: codes only move forward (01 < 03 < 04 < 05 < 06; 02 terminal). */
export const PROGRESS_RANK: Readonly<Record<string, number>> = { '01': 1, '03': 2, '04': 3, '05': 4, '06': 5 };

export type StatusDecision = 'APPLY' | 'HOLD' | 'STALE';

/**
 * What to do with a receiver status `code` given the sender's Recipient `current` code:
 * - 01 applies when nothing arrived yet; 02 applies before registration (null or 01);
 * - 03…06 before any 01 are HELD (the 01 is still on its way: a status never overtakes its document);
 * - a code at or below the current one, or anything after 02 / 06, is STALE (kept in the history only).
 */
export function decideStatus(current: string | null | undefined, code: string): StatusDecision {
  const cur = current ?? null;
  if (cur === '02') return 'STALE';
  if (code === '02') return cur === null || cur === '01' ? 'APPLY' : 'STALE';
  const rank = PROGRESS_RANK[code];
  if (rank === undefined) return 'STALE';
  if (cur === null) return code === '01' ? 'APPLY' : 'HOLD';
  return rank > (PROGRESS_RANK[cur] ?? 0) ? 'APPLY' : 'STALE';
}

/** The value stored in the inbox row (attachments only as metadata: never bytes). */
export function storedValue(p: EdxmlPackage): Record<string, unknown> {
  return JSON.parse(JSON.stringify(p)) as Record<string, unknown>;
}

export const isStatus = (p: EdxmlPackage): p is EdxmlStatusPackage => p.kind === 'status';
