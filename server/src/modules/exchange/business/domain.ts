/**
 * Exchange business messages on an issued document (issue 13; QCVN 102:2016 §2.2–2.3; Decree 30/2020 Art. 18),
 * as pure rules:
 *
 * Sender side (the issuing agency's outgoing record, state ISSUED):
 * - RECALL (lấy lại): status 13 to every recipient the document was delivered to electronically and that has not
 *   rejected it or already given it back; each recipient answers 15 (agree) or 16 (refuse, with a reason).
 * - REVOKE (thu hồi, BussinessDocType 1), UPDATE (cập nhật, 2), REPLACE (thay thế, 3): DOCUMENT messages for
 *   the original DocumentId with the reason (REPLACE: the replacing issued document; UPDATE: the changed fields).
 *   The sender's own record is marked the same way: REVOKE and REPLACE withdraw it (locked, never deleted, its
 *   number stays used in the register with a note).
 * Who: the văn thư or a leader (lãnh đạo, the signer's agency) of the issuing agency (`mayManageIssued`).
 *
 * Receiver side (the recipient's incoming record):
 * - a RECALL request waits for the văn thư's answer: agree → the incoming record is withdrawn (RECALLED),
 *   refuse → a reason goes back (16);
 * - REVOKE / REPLACE withdraw the incoming record at once (Decree 30 Art. 18: "hủy bỏ văn bản điện tử bị thu
 *   hồi … đồng thời thông báo"); UPDATE records what changed (the record stays open).
 * A withdrawn record is LOCKED (archive-guard.ts `assertNotArchived` refuses every mutation) and its số đến /
 * số stays in the register with `withdrawnNote`.
 */
import type { Role } from '../../identity/roles';
import { MAX_BUSINESS_REASON, cleanBusinessText } from '../../../../../schema/validation/exchange-business';

export type BusinessKind = 'RECALL' | 'REVOKE' | 'UPDATE' | 'REPLACE';
/** Why a record was withdrawn (Document.withdrawnKind). */
export type WithdrawnKind = 'RECALLED' | 'REVOKED' | 'REPLACED';
/** SENDER: our outgoing record (per recipient for RECALL); RECEIVER: our incoming record. */
export type BusinessSide = 'SENDER' | 'RECEIVER';
/**
 * REQUESTED (sender, recall sent, waiting), PENDING (receiver, recall waiting for the văn thư),
 * ACCEPTED (15), REFUSED (16), SENT (sender, revoke/update/replace queued), APPLIED (receiver, revoke/update/replace applied).
 */
export type BusinessState = 'REQUESTED' | 'PENDING' | 'ACCEPTED' | 'REFUSED' | 'SENT' | 'APPLIED';

export const BUSINESS_DOC_TYPE: Readonly<Record<Exclude<BusinessKind, 'RECALL'>, 1 | 2 | 3>> = { REVOKE: 1, UPDATE: 2, REPLACE: 3 };

export function kindOfBusinessDocType(t: number | undefined | null): Exclude<BusinessKind, 'RECALL'> | null {
  return t === 1 ? 'REVOKE' : t === 2 ? 'UPDATE' : t === 3 ? 'REPLACE' : null;
}

/** BussinessDocReason default texts (the VNPT / Bkav samples' wording). */
export const DEFAULT_REASON: Readonly<Record<BusinessKind, string>> = {
  RECALL: 'Yêu cầu lấy lại văn bản',
  REVOKE: 'Thu hồi văn bản',
  UPDATE: 'Cập nhật văn bản điện tử',
  REPLACE: 'Văn bản thay thế',
};

/** Shared with the web's dialogs (schema/validation/exchange-business.ts). */
export const MAX_REASON_LENGTH = MAX_BUSINESS_REASON;

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: 'FORBIDDEN' | 'CONFLICT' | 'BAD_USER_INPUT'; reason: string; field?: string };
const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });
const fail = (code: 'FORBIDDEN' | 'CONFLICT' | 'BAD_USER_INPUT', reason: string, field?: string): Outcome<never> => ({ ok: false, code, reason, field });

export interface BusinessActor {
  userId: string;
  agencyId: string;
  roles: readonly Role[];
}

/** The facts of an outgoing record the sender rules read. */
export interface SenderDoc {
  agencyId: string;
  direction: string;
  state: string;
  secret: boolean;
  archived: boolean;
  withdrawnKind: WithdrawnKind | null;
}

/** One recipient (nơi nhận) of the outgoing record. */
export interface SenderRecipient {
  id: string;
  /** Delivered electronically (an agency of this deployment or of a peer), not a name on paper. */
  electronic: boolean;
  /** edXML status reported by the recipient ('01'…'06', '02', '15', '16') or null (not yet arrived). */
  statusCode: string | null;
  /** A recall of this recipient is waiting for its answer. */
  recallPending: boolean;
}

/** Văn thư or lãnh đạo of the issuing agency. */
export function mayManageIssued(actor: BusinessActor, doc: Pick<SenderDoc, 'agencyId'>): boolean {
  return actor.agencyId === doc.agencyId && (actor.roles.includes('VAN_THU') || actor.roles.includes('LANH_DAO'));
}

/** The common guard of every sender action: who, then the record's state. */
export function guardIssued(actor: BusinessActor, doc: SenderDoc): Outcome<true> {
  if (!mayManageIssued(actor, doc)) return fail('FORBIDDEN', 'Chỉ văn thư hoặc lãnh đạo cơ quan ban hành mới được lấy lại, thu hồi, cập nhật hoặc thay thế văn bản.');
  if (doc.direction !== 'OUTGOING' || doc.state !== 'ISSUED') return fail('CONFLICT', 'Chỉ văn bản đi đã phát hành mới được lấy lại, thu hồi, cập nhật hoặc thay thế.');
  if (doc.archived) return fail('CONFLICT', 'Văn bản đã nộp lưu vào lưu trữ cơ quan, không thể thay đổi.');
  if (doc.withdrawnKind) return fail('CONFLICT', `Văn bản đã ${WITHDRAWN_LABEL[doc.withdrawnKind].toLowerCase()}, không thể thay đổi.`);
  if (doc.secret) return fail('CONFLICT', 'Văn bản mật không gửi qua hệ thống nên không lấy lại, thu hồi qua hệ thống.');
  return ok(true);
}

/** Recipients still holding the document: delivered electronically, not rejected (02), not given back (15). */
export function holdingRecipients(recipients: readonly SenderRecipient[]): SenderRecipient[] {
  return recipients.filter((r) => r.electronic && r.statusCode !== null && r.statusCode !== '02' && r.statusCode !== '15');
}

export function cleanReason(raw: string | null | undefined): string {
  return cleanBusinessText(raw ?? '');
}

function requireReason(raw: string | null | undefined, what: string): Outcome<string> {
  const reason = cleanReason(raw);
  if (!reason) return fail('BAD_USER_INPUT', `Phải nêu lý do ${what}.`, 'reason');
  if (reason.length > MAX_REASON_LENGTH) return fail('BAD_USER_INPUT', `Lý do không được dài quá ${MAX_REASON_LENGTH} ký tự.`, 'reason');
  return ok(reason);
}

export interface RecallPlan {
  reason: string;
  /** Recipients that get status 13. */
  recipientIds: string[];
}

/** Lấy lại: status 13 to every holding recipient without a pending recall. */
export function planRecall(actor: BusinessActor, doc: SenderDoc, recipients: readonly SenderRecipient[], rawReason: string | null | undefined): Outcome<RecallPlan> {
  const g = guardIssued(actor, doc);
  if (!g.ok) return g;
  const targets = holdingRecipients(recipients).filter((r) => !r.recallPending);
  if (!targets.length) return fail('CONFLICT', 'Không có cơ quan nhận nào đang giữ văn bản để lấy lại (hoặc đã yêu cầu lấy lại).');
  const reason = requireReason(rawReason, 'lấy lại văn bản');
  if (!reason.ok) return reason;
  return ok({ reason: reason.value, recipientIds: targets.map((r) => r.id) });
}

/** The fields of an issued document an UPDATE (cập nhật) may change, and how the receiver shows them. */
export const UPDATABLE_FIELDS = ['subject', 'signerName', 'signerTitle', 'pageCount', 'urgency'] as const;
export type UpdatableField = (typeof UPDATABLE_FIELDS)[number];
export const UPDATABLE_FIELD_LABELS: Readonly<Record<UpdatableField, string>> = {
  subject: 'Trích yếu',
  signerName: 'Người ký',
  signerTitle: 'Chức vụ người ký',
  pageCount: 'Số trang',
  urgency: 'Độ khẩn',
};
export const URGENCIES = ['THUONG', 'KHAN', 'THUONG_KHAN', 'HOA_TOC'] as const;

export type FieldValues = Partial<Record<UpdatableField, string | number | null>>;
export interface FieldChange {
  field: UpdatableField;
  from: string | number | null;
  to: string | number | null;
}

/** Validates and diffs the changed fields of an UPDATE: at least one real change; each value valid. */
export function diffUpdate(before: FieldValues, input: FieldValues): Outcome<FieldChange[]> {
  const changes: FieldChange[] = [];
  for (const field of UPDATABLE_FIELDS) {
    if (!(field in input) || input[field] === undefined) continue;
    let to = input[field] ?? null;
    if (field === 'pageCount') {
      if (to !== null && (typeof to !== 'number' || !Number.isInteger(to) || to < 1 || to > 100000)) return fail('BAD_USER_INPUT', 'Số trang phải là số nguyên dương.', field);
    } else {
      to = to === null ? null : cleanReason(String(to));
      if (field === 'subject' && !to) return fail('BAD_USER_INPUT', 'Trích yếu không được để trống.', field);
      if (field === 'urgency' && !(URGENCIES as readonly string[]).includes(String(to))) return fail('BAD_USER_INPUT', 'Độ khẩn không hợp lệ.', field);
      if (typeof to === 'string' && to.length > (field === 'subject' ? 2000 : 200)) return fail('BAD_USER_INPUT', `${UPDATABLE_FIELD_LABELS[field]} quá dài.`, field);
      if (to === '') to = null;
    }
    const from = before[field] ?? null;
    if (from !== to) changes.push({ field, from, to });
  }
  if (!changes.length) return fail('BAD_USER_INPUT', 'Chưa có nội dung nào được cập nhật.', 'changes');
  return ok(changes);
}

export interface SendPlan {
  kind: Exclude<BusinessKind, 'RECALL'>;
  reason: string;
  /** Recipients that get the DOCUMENT message (BussinessDocType 1/2/3). */
  recipientIds: string[];
  /** What the sender's own record becomes: withdrawn (REVOKE, REPLACE) or unchanged (UPDATE). */
  withdraw: WithdrawnKind | null;
  changes: FieldChange[];
}

export interface ReplacementDoc {
  id: string;
  agencyId: string;
  direction: string;
  state: string;
  withdrawnKind: WithdrawnKind | null;
}

/**
 * Thu hồi / cập nhật / thay thế. Recipients: every holding recipient (a pending recall does not stop it —
 * revoking is the sender's own decision). Without recipients the sender's record is still marked (a document
 * sent only on paper can be revoked in the register).
 * REPLACE needs the replacing document: an ISSUED outgoing record of the same agency, not this one, not withdrawn.
 */
export function planSend(
  actor: BusinessActor,
  doc: SenderDoc & { id: string },
  recipients: readonly SenderRecipient[],
  kind: Exclude<BusinessKind, 'RECALL'>,
  input: { reason?: string | null; replacement?: ReplacementDoc | null; before?: FieldValues; changes?: FieldValues | null },
): Outcome<SendPlan> {
  const g = guardIssued(actor, doc);
  if (!g.ok) return g;
  const what = kind === 'REVOKE' ? 'thu hồi văn bản' : kind === 'UPDATE' ? 'cập nhật văn bản' : 'thay thế văn bản';
  const reason = requireReason(input.reason, what);
  if (!reason.ok) return reason;
  let changes: FieldChange[] = [];
  if (kind === 'REPLACE') {
    const r = input.replacement;
    if (!r) return fail('BAD_USER_INPUT', 'Chưa chọn văn bản thay thế.', 'replacementId');
    if (r.id === doc.id) return fail('BAD_USER_INPUT', 'Văn bản không thể thay thế chính nó.', 'replacementId');
    if (r.agencyId !== doc.agencyId || r.direction !== 'OUTGOING' || r.state !== 'ISSUED') {
      return fail('BAD_USER_INPUT', 'Văn bản thay thế phải là văn bản đi đã phát hành của cơ quan.', 'replacementId');
    }
    if (r.withdrawnKind) return fail('BAD_USER_INPUT', 'Văn bản thay thế đã bị thu hồi hoặc thay thế.', 'replacementId');
  }
  if (kind === 'UPDATE') {
    const d = diffUpdate(input.before ?? {}, input.changes ?? {});
    if (!d.ok) return d;
    changes = d.value;
  }
  return ok({
    kind,
    reason: reason.value,
    recipientIds: holdingRecipients(recipients).map((r) => r.id),
    withdraw: kind === 'REVOKE' ? 'REVOKED' : kind === 'REPLACE' ? 'REPLACED' : null,
    changes,
  });
}

// ── receiver side ─────────────────────────────────────────────────────────────────────────────────

export interface ReceiverDoc {
  agencyId: string;
  direction: string;
  withdrawnKind: WithdrawnKind | null;
  archived: boolean;
}

/** Đồng ý (15) / từ chối (16) lấy lại: the văn thư of the receiving agency, while the request is pending. */
export function planRecallAnswer(
  actor: BusinessActor,
  doc: ReceiverDoc,
  pending: boolean,
  accept: boolean,
  rawReason: string | null | undefined,
): Outcome<{ code: '15' | '16'; reason: string | null; withdraw: WithdrawnKind | null }> {
  if (actor.agencyId !== doc.agencyId || !actor.roles.includes('VAN_THU')) return fail('FORBIDDEN', 'Chỉ văn thư của cơ quan nhận mới được trả lời yêu cầu lấy lại văn bản.');
  if (doc.direction !== 'INCOMING') return fail('CONFLICT', 'Chỉ văn bản đến mới có yêu cầu lấy lại.');
  if (!pending) return fail('CONFLICT', 'Không có yêu cầu lấy lại nào đang chờ trả lời.');
  if (doc.withdrawnKind) return fail('CONFLICT', 'Văn bản đã bị thu hồi hoặc lấy lại.');
  if (accept) return ok({ code: '15', reason: cleanReason(rawReason) || null, withdraw: 'RECALLED' });
  const reason = requireReason(rawReason, 'từ chối lấy lại');
  if (!reason.ok) return reason;
  return ok({ code: '16', reason: reason.value, withdraw: null });
}

/** What a received business message does to the receiver's incoming record. */
export function receivedEffect(kind: BusinessKind): { state: BusinessState; withdraw: WithdrawnKind | null } {
  switch (kind) {
    case 'RECALL':
      return { state: 'PENDING', withdraw: null };
    case 'REVOKE':
      return { state: 'APPLIED', withdraw: 'REVOKED' };
    case 'REPLACE':
      return { state: 'APPLIED', withdraw: 'REPLACED' };
    case 'UPDATE':
      return { state: 'APPLIED', withdraw: null };
  }
}

/**
 * The sender's outcome for one recipient when its answer (15 / 16) arrives: only a REQUESTED recall moves
 * (a duplicate or late answer changes nothing).
 */
export function senderOutcome(current: BusinessState, code: string): BusinessState | null {
  if (current !== 'REQUESTED') return null;
  return code === '15' ? 'ACCEPTED' : code === '16' ? 'REFUSED' : null;
}

export const WITHDRAWN_LABEL: Readonly<Record<WithdrawnKind, string>> = {
  RECALLED: 'Đã lấy lại',
  REVOKED: 'Đã thu hồi',
  REPLACED: 'Đã bị thay thế',
};

/** The note shown in the register next to the kept number (Decree 30 Art. 18: the number stays used). */
export function withdrawnNote(kind: WithdrawnKind, reason: string | null, replacementSymbol?: string | null): string {
  const base = WITHDRAWN_LABEL[kind];
  const by = kind === 'REPLACED' && replacementSymbol ? ` bằng văn bản ${replacementSymbol}` : '';
  return `${base}${by}${reason ? `: ${reason}` : ''} (số vẫn giữ trong sổ)`;
}

// ── allowed actions ─────────────────────────────────────────────────────────────────────────────────

export type BusinessAction = 'REQUEST_RECALL' | 'REVOKE_ISSUED' | 'UPDATE_ISSUED' | 'REPLACE_ISSUED' | 'EXPORT_EDXML' | 'ANSWER_RECALL';

/** The sender's buttons on an outgoing record. */
export function allowedSenderActions(actor: BusinessActor, doc: SenderDoc, recipients: readonly SenderRecipient[]): BusinessAction[] {
  const out: BusinessAction[] = [];
  // export: any issued, non-secret outgoing record, also once withdrawn (it documents what was sent)
  if (mayManageIssued(actor, doc) && doc.direction === 'OUTGOING' && doc.state === 'ISSUED' && !doc.secret) out.push('EXPORT_EDXML');
  if (!guardIssued(actor, doc).ok) return out;
  if (holdingRecipients(recipients).some((r) => !r.recallPending)) out.push('REQUEST_RECALL');
  out.push('REVOKE_ISSUED', 'UPDATE_ISSUED', 'REPLACE_ISSUED');
  return out;
}

/** The receiver's buttons on an incoming record. */
export function allowedReceiverActions(actor: BusinessActor, doc: ReceiverDoc, recallPending: boolean): BusinessAction[] {
  return planRecallAnswer(actor, doc, recallPending, true, null).ok ? ['ANSWER_RECALL'] : [];
}
