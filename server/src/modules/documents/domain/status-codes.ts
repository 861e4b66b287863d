/**
 * edXML status codes (QCVN 102:2016 STATUS message, vn-standards §2.3) and the recipient-side delivery
 * status of an outgoing document, derived from the recipient's incoming document.
 *
 * | code | status            | sent by  | meaning                                                   |
 * |------|-------------------|----------|-----------------------------------------------------------|
 * | 01   | DELIVERED         | receiver | đã đến: arrived, văn thư has not acted yet                |
 * | 02   | REJECTED          | receiver | từ chối tiếp nhận, WITH a reason (in Description)         |
 * | 03   | RECEIVED          | receiver | đã tiếp nhận: registered, has a số đến                    |
 * | 04   | ASSIGNED          | receiver | phân công                                                 |
 * | 05   | IN_PROGRESS       | receiver | đang xử lý                                                |
 * | 06   | DONE              | receiver | hoàn thành                                                |
 * | 13   | RECALL_REQUESTED  | SENDER   | lấy lại: the sender asks to retrieve / recall the document |
 * | 15   | RECALL_ACCEPTED   | receiver | đồng ý lấy lại / cập nhật                                 |
 * | 16   | RECALL_REFUSED    | receiver | từ chối lấy lại / cập nhật                                |
 *
 * No official list with other codes (07–12, 14) was found; unknown codes are rejected by `parseEdxmlStatusCode`.
 */
import type { IncomingState } from './incoming-workflow';

export const EDXML_STATUS_CODES = ['01', '02', '03', '04', '05', '06', '13', '15', '16'] as const;
export type EdxmlStatusCode = (typeof EDXML_STATUS_CODES)[number];

export const RECIPIENT_STATUSES = [
  'DELIVERED',
  'REJECTED',
  'RECEIVED',
  'ASSIGNED',
  'IN_PROGRESS',
  'DONE',
  'RECALL_REQUESTED',
  'RECALL_ACCEPTED',
  'RECALL_REFUSED',
] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

export interface EdxmlStatusInfo {
  code: EdxmlStatusCode;
  status: RecipientStatus;
  /** Short Vietnamese label (UI). */
  label: string;
  /** Default `Description` text of the STATUS message. */
  description: string;
  /** Who sends this code. */
  sentBy: 'RECEIVER' | 'SENDER';
  /** 02 must carry the reason in Description. */
  requiresReason: boolean;
}

const INFO: readonly EdxmlStatusInfo[] = [
  { code: '01', status: 'DELIVERED', label: 'Đã đến', description: 'Đã đến - Phần mềm QLVB đã nhận nhưng văn thư chưa xử lý', sentBy: 'RECEIVER', requiresReason: false },
  { code: '02', status: 'REJECTED', label: 'Từ chối tiếp nhận', description: 'Từ chối tiếp nhận văn bản', sentBy: 'RECEIVER', requiresReason: true },
  { code: '03', status: 'RECEIVED', label: 'Đã tiếp nhận', description: 'Văn thư đã tiếp nhận văn bản', sentBy: 'RECEIVER', requiresReason: false },
  { code: '04', status: 'ASSIGNED', label: 'Phân công', description: 'Lãnh đạo: Phân công xử lý', sentBy: 'RECEIVER', requiresReason: false },
  { code: '05', status: 'IN_PROGRESS', label: 'Đang xử lý', description: 'Đang xử lý văn bản đến', sentBy: 'RECEIVER', requiresReason: false },
  { code: '06', status: 'DONE', label: 'Hoàn thành', description: 'Hoàn thành xử lý văn bản', sentBy: 'RECEIVER', requiresReason: false },
  { code: '13', status: 'RECALL_REQUESTED', label: 'Yêu cầu lấy lại', description: 'Yêu cầu lấy lại văn bản', sentBy: 'SENDER', requiresReason: false },
  { code: '15', status: 'RECALL_ACCEPTED', label: 'Đồng ý lấy lại', description: 'Đồng ý lấy lại/cập nhật văn bản', sentBy: 'RECEIVER', requiresReason: false },
  { code: '16', status: 'RECALL_REFUSED', label: 'Từ chối lấy lại', description: 'Từ chối lấy lại/cập nhật văn bản', sentBy: 'RECEIVER', requiresReason: false },
];

export const EDXML_STATUS: Readonly<Record<EdxmlStatusCode, EdxmlStatusInfo>> = Object.freeze(
  Object.fromEntries(INFO.map((i) => [i.code, Object.freeze(i)])) as Record<EdxmlStatusCode, EdxmlStatusInfo>,
);

const BY_STATUS = new Map<RecipientStatus, EdxmlStatusInfo>(INFO.map((i) => [i.status, i]));

export const RECIPIENT_STATUS_LABELS: Readonly<Record<RecipientStatus, string>> = Object.freeze(
  Object.fromEntries(INFO.map((i) => [i.status, i.label])) as Record<RecipientStatus, string>,
);

export function edxmlCodeOf(status: RecipientStatus): EdxmlStatusCode {
  const i = BY_STATUS.get(status);
  if (!i) throw new RangeError(`Unknown recipient status: ${String(status)}`);
  return i.code;
}

export function recipientStatusOf(code: EdxmlStatusCode): RecipientStatus {
  const i = EDXML_STATUS[code];
  if (!i) throw new RangeError(`Unknown edXML status code: ${String(code)}`);
  return i.status;
}

/** Read a StatusCode element: trims, accepts "1"/"01"/1; null for anything not in the known list. */
export function parseEdxmlStatusCode(raw: string | number): EdxmlStatusCode | null {
  const s = String(raw).trim();
  if (!/^\d{1,2}$/.test(s)) return null;
  const code = s.padStart(2, '0');
  return (EDXML_STATUS_CODES as readonly string[]).includes(code) ? (code as EdxmlStatusCode) : null;
}

/**
 * The status a recipient reports for its incoming document:
 * RECEIVED → 01; REGISTERED, SUBMITTED → 03; ASSIGNED → 04; IN_PROGRESS → 05; DONE → 06; REJECTED → 02.
 * FOR_INFO ("để biết") → 06: nothing more will be done with it, which is what the sender needs to know.
 * RETURNED (an INTERNAL return to the leader or văn thư) → 03: the document is still accepted by the
 * recipient and waits for a new bút phê; it is not the edXML 02 rejection.
 */
export function recipientStatusForIncoming(state: IncomingState): RecipientStatus {
  switch (state) {
    case 'RECEIVED':
      return 'DELIVERED';
    case 'REJECTED':
      return 'REJECTED';
    case 'REGISTERED':
    case 'SUBMITTED':
    case 'RETURNED':
    case 'ANNULLED': // hủy vào sổ: an internal register correction; the document was received (nothing is sent)
      return 'RECEIVED';
    case 'ASSIGNED':
      return 'ASSIGNED';
    case 'IN_PROGRESS':
      return 'IN_PROGRESS';
    case 'DONE':
    case 'FOR_INFO':
      return 'DONE';
    default:
      throw new RangeError(`Unknown incoming state: ${String(state)}`);
  }
}

/** `recipientStatusForIncoming` as an edXML code. */
export function edxmlCodeForIncoming(state: IncomingState): EdxmlStatusCode {
  return edxmlCodeOf(recipientStatusForIncoming(state));
}

/**
 * The STATUS message to send to the sender after an incoming document moved from `before` to `after`,
 * or null if the reported status did not change (e.g. REGISTERED → SUBMITTED, both 03).
 */
export function statusUpdateFor(before: IncomingState | null, after: IncomingState): EdxmlStatusCode | null {
  const next = edxmlCodeForIncoming(after);
  return before !== null && edxmlCodeForIncoming(before) === next ? null : next;
}

/** Terminal for the sender's tracking: nothing further is expected from this recipient. */
export function isFinalRecipientStatus(s: RecipientStatus): boolean {
  return s === 'DONE' || s === 'REJECTED' || s === 'RECALL_ACCEPTED';
}
