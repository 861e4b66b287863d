/**
 * Status messages as values: what a receiver sends back about a document (01–06, 02 with the reason, 15/16)
 * and what a sender sends about its own document (13). Pure helpers for the inbox / outbox.
 */
import { dateToTimestamp } from './formats';
import {
  STATUS_CODES,
  rejectionReason,
  type EdxmlAttachmentMeta,
  type EdxmlDocumentPackage,
  type EdxmlOrganization,
  type EdxmlProblem,
  type EdxmlResponseFor,
  type EdxmlStaffInfo,
  type EdxmlStatusPackage,
  type StatusCode,
} from './model';

/** The ResponseFor that names this document in a status message about it. */
export function responseForDocument(doc: EdxmlDocumentPackage<EdxmlAttachmentMeta>): EdxmlResponseFor {
  const h = doc.header;
  const code = h.code?.codeNumber && h.code.codeNotation ? `${h.code.codeNumber}/${h.code.codeNotation}` : undefined;
  const r: EdxmlResponseFor = { organId: h.from.organId, code, promulgationDate: h.promulgationInfo?.promulgationDate, documentId: h.documentId };
  for (const k of Object.keys(r) as Array<keyof EdxmlResponseFor>) if (r[k] === undefined) delete r[k];
  return r;
}

export interface StatusInput {
  from: EdxmlOrganization;
  about: EdxmlResponseFor;
  code: StatusCode;
  /** Defaults to the code's Vietnamese name; required (non-empty) for 02 and 16. */
  description?: string;
  staffInfo?: EdxmlStaffInfo;
  now: Date;
}

export function statusMessage(i: StatusInput): EdxmlStatusPackage {
  const description = i.description?.trim() || STATUS_CODES[i.code].vi;
  const s: EdxmlStatusPackage = {
    kind: 'status',
    from: i.from,
    responseFor: [i.about],
    staffInfo: i.staffInfo,
    statusCode: i.code,
    description,
    timestamp: dateToTimestamp(i.now),
    traceHeaders: i.from.organId ? [{ organId: i.from.organId, timestamp: dateToTimestamp(i.now) }] : [],
  };
  if (!s.staffInfo) delete s.staffInfo;
  return s;
}

/** Status 02 (từ chối tiếp nhận) whose Description is the precise reason: element path + rule for each problem. */
export function rejectionStatus(from: EdxmlOrganization, about: EdxmlResponseFor, problems: EdxmlProblem[], now: Date): EdxmlStatusPackage {
  if (!problems.length) throw new Error('rejectionStatus needs at least one problem');
  return statusMessage({ from, about, code: '02', description: `Từ chối tiếp nhận: ${rejectionReason(problems)}`, now });
}
