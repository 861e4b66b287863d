/**
 * State machine of an OUTGOING document (văn bản đi), NĐ 30 Điều 10–18, as pure functions.
 *
 *   (SIGNED ──RETURN_FOR_CORRECTION (văn thư, reason)──► RETURNED_TO_DRAFTER)
 *   DRAFT ──SUBMIT──► IN_APPROVAL (step 0 … n-1) ──APPROVE at last step──► APPROVED (chờ ký) ──SIGN──► SIGNED (chờ phát hành) ──ISSUE──► ISSUED
 *     ▲  ◄─WITHDRAW──┘        │ REJECT (reason)                              │ REJECT (signer)
 *     └─ RETURNED_TO_DRAFTER ◄┴──────────────────────────────────────────────┘   (SUBMIT again restarts at step 0)
 *
 * Approval chain: ordered steps, each a specific user or a role (agency-wide, or limited to the head of the
 * drafting unit). The chain is a per-agency template (DEFAULT_APPROVAL_CHAIN: trưởng phòng → lãnh đạo),
 * copied onto the document when it is drafted. On SUBMIT, leading steps the drafter owns are skipped (a
 * trưởng phòng drafting need not approve their own draft). The signer (người ký) signs after the last
 * approval; if no signer is named, any leader of the agency may sign. The văn thư issues: number, date,
 * register and delivery are done by the service on the ISSUED event (numbering.ts), in the order of
 * NĐ 30 Điều 14 — the number is given after signing.
 *
 * Who may act:
 * - SUBMIT, WITHDRAW: the drafter; ADD_VERSION: the drafter (DRAFT/RETURNED_TO_DRAFTER) or the current step owner (IN_APPROVAL);
 * - APPROVE: the current step owner; REJECT: the current step owner, or the signer while APPROVED;
 * - SIGN: the signer; ISSUE and RETURN_FOR_CORRECTION (signed, not yet numbered; with the thể thức error): VAN_THU of the agency;
 * - COMMENT: anyone in the chain (drafter, any step owner, the signer), until issued.
 */
import { ROLES, type Role } from '../../identity/roles';
import { hasRole, isLeaderOf, isVanThuOf, type Actor, type ActorContext } from './actors';
import { cleanText } from './text';
import { conflictWith, forbid, invalid, type TransitionFailure, type TransitionResult } from './transition';

export const OUTGOING_STATES = ['DRAFT', 'IN_APPROVAL', 'RETURNED_TO_DRAFTER', 'APPROVED', 'SIGNED', 'ISSUED'] as const;
export type OutgoingState = (typeof OUTGOING_STATES)[number];

export const OUTGOING_STATE_LABELS: Readonly<Record<OutgoingState, string>> = {
  DRAFT: 'Dự thảo',
  IN_APPROVAL: 'Đang trình duyệt',
  RETURNED_TO_DRAFTER: 'Bị trả lại',
  APPROVED: 'Chờ ký',
  SIGNED: 'Chờ phát hành',
  ISSUED: 'Đã phát hành',
};

/** One approval step: a named user, or a role (agency-wide or the head of the drafting unit). */
export type ApprovalStep =
  | { kind: 'USER'; userId: string; label?: string }
  | { kind: 'ROLE'; role: Role; scope: 'AGENCY' | 'DRAFTING_UNIT'; label?: string };

/** trưởng phòng (of the drafting unit) → lãnh đạo (of the agency). */
export const DEFAULT_APPROVAL_CHAIN: readonly ApprovalStep[] = Object.freeze([
  { kind: 'ROLE', role: 'TRUONG_PHONG', scope: 'DRAFTING_UNIT', label: 'Trưởng phòng' },
  { kind: 'ROLE', role: 'LANH_DAO', scope: 'AGENCY', label: 'Lãnh đạo' },
] as ApprovalStep[]);

/** Problems of an approval-chain template (Vietnamese). An empty chain is allowed: the draft goes straight to signing. */
export function validateApprovalChain(chain: readonly ApprovalStep[]): string[] {
  const problems: string[] = [];
  if (chain.length > 20) problems.push('Quy trình duyệt có quá nhiều bước (tối đa 20).');
  chain.forEach((s, i) => {
    if (s.kind === 'USER') {
      if (!s.userId) problems.push(`Bước ${i + 1}: chưa chọn người duyệt.`);
    } else if (s.kind === 'ROLE') {
      if (!ROLES.includes(s.role)) problems.push(`Bước ${i + 1}: vai trò "${String(s.role)}" không hợp lệ.`);
      if (s.scope !== 'AGENCY' && s.scope !== 'DRAFTING_UNIT') problems.push(`Bước ${i + 1}: phạm vi không hợp lệ.`);
    } else {
      problems.push(`Bước ${i + 1}: loại bước không hợp lệ.`);
    }
  });
  return problems;
}

export interface OutgoingDoc {
  agencyId: string;
  state: OutgoingState;
  drafterUserId: string;
  drafterUnitId: string | null;
  /** Người ký; null = any leader of the agency may sign. */
  signerUserId: string | null;
  chain: readonly ApprovalStep[];
  /** Index into `chain` while IN_APPROVAL, else null. */
  currentStep: number | null;
}

export type OutgoingAction =
  | { type: 'SUBMIT' }
  | { type: 'WITHDRAW' }
  | { type: 'APPROVE'; comment?: string }
  | { type: 'REJECT'; reason: string }
  | { type: 'COMMENT'; comment: string }
  | { type: 'ADD_VERSION'; fileId: string; note?: string }
  | { type: 'SIGN' }
  /** The văn thư (or Chánh Văn phòng) finds a thể thức error before numbering (Điều 12.2, 14): back to the drafter. */
  | { type: 'RETURN_FOR_CORRECTION'; reason: string }
  | { type: 'ISSUE' };

export type OutgoingActionType = OutgoingAction['type'];

export type OutgoingEvent =
  | { type: 'STATE_CHANGED'; from: OutgoingState; to: OutgoingState }
  | { type: 'SUBMITTED'; byUserId: string }
  | { type: 'WITHDRAWN'; byUserId: string }
  | { type: 'STEP_SKIPPED'; step: number }
  | { type: 'STEP_APPROVED'; step: number; byUserId: string; comment: string | null }
  /** The draft now waits at this step (notify its owner). */
  | { type: 'STEP_ENTERED'; step: number }
  | { type: 'REJECTED'; byUserId: string; step: number | null; reason: string }
  | { type: 'COMMENTED'; byUserId: string; comment: string }
  | { type: 'VERSION_ADDED'; byUserId: string; fileId: string; note: string | null }
  | { type: 'SIGNED'; byUserId: string }
  | { type: 'RETURNED_FOR_CORRECTION'; byUserId: string; reason: string }
  /** The văn thư issued it: the service now numbers, dates, registers and delivers it. */
  | { type: 'ISSUED'; byUserId: string };

export type OutgoingResult = TransitionResult<OutgoingDoc, OutgoingEvent>;

/** A new draft by `ctx` (any staff member of the agency) with the agency's chain template. */
export function newOutgoingDraft(
  ctx: Actor,
  opts: { chain?: readonly ApprovalStep[]; signerUserId?: string | null } = {},
): TransitionResult<OutgoingDoc, never> {
  const chain = [...(opts.chain ?? DEFAULT_APPROVAL_CHAIN)];
  const problems = validateApprovalChain(chain);
  if (problems.length) return invalid(problems.join(' '), 'chain');
  return {
    ok: true,
    next: {
      agencyId: ctx.agencyId,
      state: 'DRAFT',
      drafterUserId: ctx.userId,
      drafterUnitId: ctx.unitId,
      signerUserId: opts.signerUserId ?? null,
      chain,
      currentStep: null,
    },
    events: [],
  };
}

/** Does the actor own this step of this document's chain? */
export function isStepOwner(actor: Actor, step: ApprovalStep, doc: Pick<OutgoingDoc, 'agencyId' | 'drafterUnitId'>): boolean {
  if (actor.agencyId !== doc.agencyId) return false;
  if (step.kind === 'USER') return step.userId === actor.userId;
  if (!hasRole(actor, step.role)) return false;
  return step.scope === 'AGENCY' || (doc.drafterUnitId !== null && actor.unitId === doc.drafterUnitId);
}

/** May the actor sign? The named signer, or (none named) any leader of the agency. */
export function isSigner(actor: Actor, doc: OutgoingDoc): boolean {
  if (actor.agencyId !== doc.agencyId) return false;
  return doc.signerUserId ? doc.signerUserId === actor.userId : isLeaderOf(actor, doc.agencyId);
}

function isCurrentStepOwner(actor: Actor, doc: OutgoingDoc): boolean {
  if (doc.state !== 'IN_APPROVAL' || doc.currentStep === null) return false;
  const step = doc.chain[doc.currentStep];
  return !!step && isStepOwner(actor, step, doc);
}

/** Anyone in the chain: drafter, any step owner, signer. */
export function isOutgoingParticipant(actor: Actor, doc: OutgoingDoc): boolean {
  if (actor.agencyId !== doc.agencyId) return false;
  return actor.userId === doc.drafterUserId || doc.chain.some((s) => isStepOwner(actor, s, doc)) || isSigner(actor, doc);
}

/** Permission and state check of an action type, ignoring its payload; null if allowed. */
export function guardOutgoing(doc: OutgoingDoc, type: OutgoingActionType, actor: Actor): TransitionFailure | null {
  if (actor.agencyId !== doc.agencyId) return forbid('Văn bản không thuộc cơ quan của bạn.');
  const drafter = actor.userId === doc.drafterUserId;
  switch (type) {
    case 'SUBMIT':
      if (!drafter) return forbid('Chỉ người soạn thảo mới được trình dự thảo.');
      return doc.state === 'DRAFT' || doc.state === 'RETURNED_TO_DRAFTER' ? null : conflictWith('Dự thảo đã được trình.');
    case 'WITHDRAW':
      if (!drafter) return forbid('Chỉ người soạn thảo mới được rút dự thảo.');
      return doc.state === 'IN_APPROVAL' ? null : conflictWith('Chỉ rút được dự thảo đang trình duyệt.');
    case 'APPROVE':
      if (doc.state !== 'IN_APPROVAL') return conflictWith('Dự thảo không ở bước trình duyệt.');
      return isCurrentStepOwner(actor, doc) ? null : forbid('Dự thảo không chờ bạn duyệt.');
    case 'REJECT':
      if (doc.state === 'IN_APPROVAL') return isCurrentStepOwner(actor, doc) ? null : forbid('Dự thảo không chờ bạn duyệt.');
      if (doc.state === 'APPROVED') return isSigner(actor, doc) ? null : forbid('Bạn không phải người ký văn bản này.');
      return conflictWith('Không thể trả lại văn bản ở trạng thái hiện tại.');
    case 'SIGN':
      if (!isSigner(actor, doc)) return forbid('Bạn không phải người ký văn bản này.');
      return doc.state === 'APPROVED' ? null : conflictWith(doc.state === 'SIGNED' || doc.state === 'ISSUED' ? 'Văn bản đã được ký.' : 'Dự thảo chưa được duyệt xong.');
    case 'RETURN_FOR_CORRECTION':
      if (!isVanThuOf(actor, doc.agencyId)) return forbid('Chỉ văn thư mới được trả lại văn bản để sửa thể thức.');
      return doc.state === 'SIGNED' ? null : conflictWith(doc.state === 'ISSUED' ? 'Văn bản đã được phát hành: sửa bằng văn bản đính chính hoặc thay thế.' : 'Chỉ trả lại được văn bản đã ký, chưa phát hành.');
    case 'ISSUE':
      if (!isVanThuOf(actor, doc.agencyId)) return forbid('Chỉ văn thư mới được phát hành văn bản.');
      return doc.state === 'SIGNED' ? null : conflictWith(doc.state === 'ISSUED' ? 'Văn bản đã được phát hành.' : 'Văn bản chưa được ký.');
    case 'ADD_VERSION':
      if (doc.state === 'DRAFT' || doc.state === 'RETURNED_TO_DRAFTER') return drafter ? null : forbid('Chỉ người soạn thảo mới được cập nhật dự thảo.');
      if (doc.state === 'IN_APPROVAL') return isCurrentStepOwner(actor, doc) ? null : forbid('Chỉ người đang duyệt mới được cập nhật dự thảo.');
      return conflictWith('Không thể sửa dự thảo đã được duyệt.');
    case 'COMMENT':
      if (!isOutgoingParticipant(actor, doc)) return forbid('Bạn không tham gia xử lý văn bản này.');
      return doc.state === 'ISSUED' ? conflictWith('Văn bản đã được phát hành.') : null;
    default:
      return invalid(`Thao tác không hợp lệ: ${String(type)}.`);
  }
}

function textOf(s: string | undefined, field: string, required: string | null): string | null | TransitionFailure {
  const t = cleanText(s ?? '');
  if (!t) return required ? invalid(required, field) : null;
  if (t.length > 2000) return invalid('Nội dung không được dài quá 2000 ký tự.', field);
  return t;
}
const isFailure = (x: unknown): x is TransitionFailure => typeof x === 'object' && x !== null && (x as TransitionFailure).ok === false;

function move(doc: OutgoingDoc, state: OutgoingState, currentStep: number | null, events: OutgoingEvent[]): OutgoingDoc {
  if (state !== doc.state) events.unshift({ type: 'STATE_CHANGED', from: doc.state, to: state });
  return { ...doc, state, currentStep };
}

/** Apply `action` to `doc` on behalf of `ctx`. Pure; see the module comment for the rules. */
export function transitionOutgoing(doc: OutgoingDoc, action: OutgoingAction, ctx: ActorContext): OutgoingResult {
  const denied = guardOutgoing(doc, action.type, ctx);
  if (denied) return denied;
  const events: OutgoingEvent[] = [];
  const by = ctx.userId;
  switch (action.type) {
    case 'SUBMIT': {
      events.push({ type: 'SUBMITTED', byUserId: by });
      let i = 0;
      while (i < doc.chain.length && isStepOwner(ctx, doc.chain[i], doc)) events.push({ type: 'STEP_SKIPPED', step: i++ });
      if (i >= doc.chain.length) return { ok: true, next: move(doc, 'APPROVED', null, events), events };
      events.push({ type: 'STEP_ENTERED', step: i });
      return { ok: true, next: move(doc, 'IN_APPROVAL', i, events), events };
    }
    case 'WITHDRAW':
      events.push({ type: 'WITHDRAWN', byUserId: by });
      return { ok: true, next: move(doc, 'DRAFT', null, events), events };
    case 'APPROVE': {
      const comment = textOf(action.comment, 'comment', null);
      if (isFailure(comment)) return comment;
      const step = doc.currentStep as number;
      events.push({ type: 'STEP_APPROVED', step, byUserId: by, comment });
      const nextStep = step + 1;
      if (nextStep >= doc.chain.length) return { ok: true, next: move(doc, 'APPROVED', null, events), events };
      events.push({ type: 'STEP_ENTERED', step: nextStep });
      return { ok: true, next: { ...doc, currentStep: nextStep }, events };
    }
    case 'REJECT': {
      const reason = textOf(action.reason, 'reason', 'Phải nêu lý do trả lại.');
      if (isFailure(reason)) return reason;
      events.push({ type: 'REJECTED', byUserId: by, step: doc.currentStep, reason: reason as string });
      return { ok: true, next: move(doc, 'RETURNED_TO_DRAFTER', null, events), events };
    }
    case 'COMMENT': {
      const comment = textOf(action.comment, 'comment', 'Nội dung ý kiến không được để trống.');
      if (isFailure(comment)) return comment;
      events.push({ type: 'COMMENTED', byUserId: by, comment: comment as string });
      return { ok: true, next: doc, events };
    }
    case 'ADD_VERSION': {
      if (!action.fileId) return invalid('Chưa chọn tệp dự thảo.', 'fileId');
      const note = textOf(action.note, 'note', null);
      if (isFailure(note)) return note;
      events.push({ type: 'VERSION_ADDED', byUserId: by, fileId: action.fileId, note });
      return { ok: true, next: doc, events };
    }
    case 'SIGN':
      events.push({ type: 'SIGNED', byUserId: by });
      return { ok: true, next: move(doc, 'SIGNED', null, events), events };
    case 'RETURN_FOR_CORRECTION': {
      const reason = textOf(action.reason, 'reason', 'Phải nêu lỗi thể thức cần sửa.');
      if (isFailure(reason)) return reason;
      events.push({ type: 'RETURNED_FOR_CORRECTION', byUserId: by, reason: reason as string });
      return { ok: true, next: move(doc, 'RETURNED_TO_DRAFTER', null, events), events };
    }
    case 'ISSUE':
      events.push({ type: 'ISSUED', byUserId: by });
      return { ok: true, next: move(doc, 'ISSUED', null, events), events };
  }
}

/** Every action type the actor may take now (payload not yet chosen), for UI buttons. */
export function allowedOutgoingActions(doc: OutgoingDoc, actor: Actor): OutgoingActionType[] {
  const all: OutgoingActionType[] = ['SUBMIT', 'WITHDRAW', 'APPROVE', 'REJECT', 'ADD_VERSION', 'COMMENT', 'SIGN', 'ISSUE', 'RETURN_FOR_CORRECTION'];
  return all.filter((t) => !guardOutgoing(doc, t, actor));
}

/** The step the draft waits at, if any. */
export function currentApprovalStep(doc: OutgoingDoc): ApprovalStep | null {
  return doc.state === 'IN_APPROVAL' && doc.currentStep !== null ? (doc.chain[doc.currentStep] ?? null) : null;
}
