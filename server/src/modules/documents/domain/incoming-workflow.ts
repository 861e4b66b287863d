/**
 * State machine of an INCOMING document (văn bản đến) and its assignments (phân công), as pure functions.
 *
 *   electronic arrival ─► RECEIVED ──REGISTER──► REGISTERED ──SUBMIT──► SUBMITTED ──ANNOTATE──► ASSIGNED ─► IN_PROGRESS ─► DONE
 *   paper (văn thư) ───────────────────────────► REGISTERED               │  ▲  FORWARD            └──(để biết)──► FOR_INFO
 *                         RECEIVED ──REJECT──► REJECTED (edXML 02)        │  └─────────────── SUBMIT (văn thư) ◄─┐
 *                                                                         └──RETURN──► RETURNED ──RETURN (leader)─┘
 *                                              lead assignment RETURN ───────────────► RETURNED ──ANNOTATE (leader)──► ASSIGNED
 *
 *   REGISTERED | SUBMITTED | RETURNED | ASSIGNED | IN_PROGRESS ──ANNUL (văn thư)──► ANNULLED: a wrong registration
 *   (e.g. the same document twice). The số đến stays in the register, marked "hủy" with the reason (NĐ 30/2020
 *   keeps every number drawn); open assignments are closed (active = false). DONE / FOR_INFO are not annulled:
 *   the handling they record stays.
 *
 * Assignment: PENDING ─START/ADD_PROGRESS/ATTACH_DRAFT─► IN_PROGRESS ─COMPLETE─► DONE; PENDING|IN_PROGRESS ─RETURN─► RETURNED.
 * The LEAD's completion completes the document; a co-ordinator's does not. The first assignment that starts
 * moves the document to IN_PROGRESS. A re-annotation supersedes (active = false) all earlier assignments.
 *
 * Who may act:
 * - REGISTER, REJECT, SUBMIT, ANNUL: VAN_THU of the document's agency;
 * - FORWARD, ANNOTATE, RETURN (document-level): the leader it was submitted/returned to; re-ANNOTATE: the
 *   leader whose annotation is in force;
 * - START, ADD_PROGRESS, ATTACH_DRAFT, COMPLETE, RETURN (assignment): the assignee — the person handling it,
 *   or the head (TRUONG_PHONG) of the assignment's unit;
 * - REASSIGN (giao xử lý trong đơn vị): the head of the assignment's unit, to a person of that unit.
 * Every action requires the actor to belong to the document's agency. Visibility (access.ts) is checked
 * separately by the service before any action.
 *
 * Check order: agency → role/relation (FORBIDDEN) → state (CONFLICT) → payload (BAD_USER_INPUT).
 */
import { newId as uuid } from '../../../shared/ids';
import { canReceiveSubmission, isUnitHeadOf, isVanThuOf, type Actor, type ActorContext, type PersonRef } from './actors';
import { validateAnnotation, type AnnotationInput, type AssigneeTarget } from './annotation';
import { VN_TIME_ZONE, localDateOf, type PlainDate } from './calendar';
import { cleanText } from './text';
import { conflictWith, forbid, invalid, type TransitionFailure, type TransitionResult } from './transition';

export const INCOMING_STATES = [
  'RECEIVED', // đã đến, chờ vào sổ (electronic arrival) — edXML 01
  'REGISTERED', // đã vào sổ, có số đến, chờ trình — 03
  'SUBMITTED', // đã trình, chờ bút phê — 03
  'ASSIGNED', // đã phân công — 04
  'IN_PROGRESS', // đang xử lý — 05
  'DONE', // hoàn thành — 06
  'FOR_INFO', // để biết — 06
  'RETURNED', // bị trả lại trong nội bộ (về lãnh đạo hoặc văn thư) — 03
  'REJECTED', // từ chối tiếp nhận — 02
  'ANNULLED', // hủy vào sổ (số đến giữ trong sổ, ghi "hủy")
] as const;
export type IncomingState = (typeof INCOMING_STATES)[number];

export const INCOMING_STATE_LABELS: Readonly<Record<IncomingState, string>> = {
  RECEIVED: 'Chờ vào sổ',
  REGISTERED: 'Đã vào sổ',
  SUBMITTED: 'Chờ bút phê',
  ASSIGNED: 'Đã phân công',
  IN_PROGRESS: 'Đang xử lý',
  DONE: 'Hoàn thành',
  FOR_INFO: 'Để biết',
  RETURNED: 'Bị trả lại',
  REJECTED: 'Từ chối tiếp nhận',
  ANNULLED: 'Đã hủy vào sổ',
};

export const ASSIGNMENT_STATES = ['PENDING', 'IN_PROGRESS', 'DONE', 'RETURNED'] as const;
export type AssignmentState = (typeof ASSIGNMENT_STATES)[number];

export const ASSIGNMENT_STATE_LABELS: Readonly<Record<AssignmentState, string>> = {
  PENDING: 'Chờ xử lý',
  IN_PROGRESS: 'Đang xử lý',
  DONE: 'Hoàn thành',
  RETURNED: 'Trả lại',
};

export type AssignmentRole = 'LEAD' | 'COORDINATOR'; // chủ trì | phối hợp

export interface Assignment {
  id: string;
  role: AssignmentRole;
  target: AssigneeTarget;
  /** The assigned unit (target UNIT) or the assigned person's unit (target USER), if any. */
  unitId: string | null;
  /** The person handling it; for target UNIT null until the unit head designates someone (REASSIGN). */
  userId: string | null;
  deadline: PlainDate | null;
  state: AssignmentState;
  /** False once superseded by a later annotation (kept for history). */
  active: boolean;
}

export type IncomingChannel = 'PAPER' | 'ELECTRONIC';

/** The workflow-relevant part of an incoming document. */
export interface IncomingDoc {
  agencyId: string;
  channel: IncomingChannel;
  state: IncomingState;
  /** The leader it was submitted (trình) to; stays the current holder after annotation. */
  submittedToUserId: string | null;
  /** The leader whose annotation is in force. */
  annotatedByUserId: string | null;
  /** While RETURNED: the leader who must deal with it; null = back at the văn thư. */
  returnedToUserId: string | null;
  assignments: readonly Assignment[];
}

export type IncomingAction =
  | { type: 'REGISTER' }
  | { type: 'REJECT'; reason: string }
  /** Hủy vào sổ: a wrong registration; the number stays in the register. */
  | { type: 'ANNUL'; reason: string }
  | { type: 'SUBMIT'; leader: PersonRef }
  | { type: 'FORWARD'; leader: PersonRef; note?: string }
  | { type: 'ANNOTATE'; annotation: AnnotationInput }
  /** Without assignmentId: the leader returns the document; if omitted by an assignee, their open assignment is used. */
  | { type: 'RETURN'; reason: string; assignmentId?: string }
  | { type: 'REASSIGN'; assignmentId: string; to: PersonRef; note?: string }
  | { type: 'START'; assignmentId: string }
  | { type: 'ADD_PROGRESS'; assignmentId: string; note: string }
  | { type: 'ATTACH_DRAFT'; assignmentId: string; fileId: string }
  | { type: 'COMPLETE'; assignmentId: string; note?: string };

export type IncomingActionType = IncomingAction['type'];

export type ReturnTarget = { kind: 'VAN_THU' } | { kind: 'LEADER'; userId: string | null } | { kind: 'UNIT_HEAD'; unitId: string | null };

export type IncomingEvent =
  | { type: 'STATE_CHANGED'; from: IncomingState; to: IncomingState }
  /** The document entered the register: the service now takes the next số đến. */
  | { type: 'REGISTERED'; byUserId: string }
  | { type: 'REJECTED'; byUserId: string; reason: string }
  | { type: 'ANNULLED'; byUserId: string; reason: string; closedAssignmentIds: string[] }
  | { type: 'SUBMITTED'; byUserId: string; leaderUserId: string }
  | { type: 'FORWARDED'; byUserId: string; toUserId: string; note: string | null }
  | { type: 'ANNOTATED'; byUserId: string; instruction: string; forInfo: boolean; watcherUserIds: string[] }
  | { type: 'ASSIGNMENT_CREATED'; assignment: Assignment }
  | { type: 'ASSIGNMENT_SUPERSEDED'; assignmentId: string }
  | { type: 'ASSIGNMENT_STATE_CHANGED'; assignmentId: string; from: AssignmentState; to: AssignmentState }
  | { type: 'REASSIGNED'; assignmentId: string; byUserId: string; fromUserId: string | null; toUserId: string; note: string | null }
  | { type: 'PROGRESS_NOTED'; assignmentId: string; byUserId: string; note: string }
  | { type: 'DRAFT_ATTACHED'; assignmentId: string; byUserId: string; fileId: string }
  | { type: 'RETURNED'; byUserId: string; reason: string; to: ReturnTarget; assignmentId: string | null }
  | { type: 'COMPLETED'; assignmentId: string; byUserId: string; lead: boolean; note: string | null };

export type IncomingResult = TransitionResult<IncomingDoc, IncomingEvent>;

export const MAX_REASON_LENGTH = 2000;

// ---------------------------------------------------------------------------------------------------
// Creation

/** An electronic document delivered to `agencyId` by the system (edXML 01 "đã đến"). No actor. */
export function receiveElectronic(agencyId: string): IncomingDoc {
  return { agencyId, channel: 'ELECTRONIC', state: 'RECEIVED', submittedToUserId: null, annotatedByUserId: null, returnedToUserId: null, assignments: [] };
}

/** A paper document registered directly by the văn thư (it is REGISTERED at once). */
export function registerPaper(agencyId: string, ctx: ActorContext): IncomingResult {
  if (!isVanThuOf(ctx, agencyId)) return forbid('Chỉ văn thư của cơ quan mới được vào sổ văn bản đến.');
  const next: IncomingDoc = { ...receiveElectronic(agencyId), channel: 'PAPER', state: 'REGISTERED' };
  return { ok: true, next, events: [{ type: 'REGISTERED', byUserId: ctx.userId }] };
}

// ---------------------------------------------------------------------------------------------------
// Guards

const OPEN: readonly AssignmentState[] = ['PENDING', 'IN_PROGRESS'];
/** States in which a registration may be annulled (it has a số đến and its handling is not finished). */
export const ANNULLABLE_STATES: readonly IncomingState[] = ['REGISTERED', 'SUBMITTED', 'RETURNED', 'ASSIGNED', 'IN_PROGRESS'];
const isOpen = (a: Assignment) => a.active && OPEN.includes(a.state);

/** May the actor act as the assignee (progress, complete, return)? The handler, or the head of its unit. */
export function canActOnAssignment(actor: Actor, a: Assignment): boolean {
  return (a.userId !== null && a.userId === actor.userId) || isUnitHeadOf(actor, a.unitId);
}

/** The actor's open assignments on this document, own (handler) ones first. */
export function openAssignmentsOf(doc: IncomingDoc, actor: Actor): Assignment[] {
  const mine = doc.assignments.filter((a) => isOpen(a) && canActOnAssignment(actor, a));
  return [...mine.filter((a) => a.userId === actor.userId), ...mine.filter((a) => a.userId !== actor.userId)];
}

const ASSIGNMENT_ACTIONS = ['REASSIGN', 'START', 'ADD_PROGRESS', 'ATTACH_DRAFT', 'COMPLETE'] as const;
type AssignmentActionType = (typeof ASSIGNMENT_ACTIONS)[number];
const isAssignmentAction = (t: IncomingActionType): t is AssignmentActionType => (ASSIGNMENT_ACTIONS as readonly string[]).includes(t);

/**
 * Permission and state check of an action type, ignoring its payload. For assignment actions pass the
 * assignment id. Returns null if allowed. (Used by transitionIncoming and allowedIncomingActions.)
 */
export function guardIncoming(doc: IncomingDoc, type: IncomingActionType, actor: Actor, assignmentId?: string): TransitionFailure | null {
  if (actor.agencyId !== doc.agencyId) return forbid('Văn bản không thuộc cơ quan của bạn.');
  const vanThu = isVanThuOf(actor, doc.agencyId);
  switch (type) {
    case 'REGISTER':
    case 'REJECT':
      if (!vanThu) return forbid(type === 'REGISTER' ? 'Chỉ văn thư mới được vào sổ văn bản đến.' : 'Chỉ văn thư mới được từ chối tiếp nhận văn bản.');
      if (doc.state !== 'RECEIVED') {
        return conflictWith(type === 'REGISTER' ? 'Văn bản đã được vào sổ hoặc đã bị từ chối.' : 'Chỉ từ chối được văn bản điện tử vừa đến, chưa vào sổ.');
      }
      return null;
    case 'ANNUL':
      if (!vanThu) return forbid('Chỉ văn thư mới được hủy vào sổ văn bản đến.');
      if (!ANNULLABLE_STATES.includes(doc.state)) {
        return conflictWith(
          doc.state === 'ANNULLED'
            ? 'Văn bản đã bị hủy vào sổ.'
            : doc.state === 'DONE' || doc.state === 'FOR_INFO'
              ? 'Văn bản đã được xử lý xong, không hủy vào sổ được.'
              : 'Văn bản chưa được vào sổ, không có gì để hủy.',
        );
      }
      return null;
    case 'SUBMIT':
      if (!vanThu) return forbid('Chỉ văn thư mới được trình văn bản đến.');
      if (doc.state === 'REGISTERED' || (doc.state === 'RETURNED' && doc.returnedToUserId === null)) return null;
      return conflictWith(doc.state === 'RECEIVED' ? 'Văn bản chưa được vào sổ.' : 'Văn bản đã được trình.');
    case 'FORWARD':
      if (doc.state !== 'SUBMITTED') return conflictWith('Chỉ chuyển được văn bản đang chờ bút phê.');
      if (doc.submittedToUserId !== actor.userId) return forbid('Văn bản không được trình cho bạn.');
      return null;
    case 'ANNOTATE':
      if (doc.state === 'SUBMITTED') return doc.submittedToUserId === actor.userId ? null : forbid('Văn bản không được trình cho bạn.');
      if (doc.state === 'RETURNED') {
        return doc.returnedToUserId !== null && doc.returnedToUserId === actor.userId ? null : forbid('Văn bản không được trả lại cho bạn.');
      }
      if (doc.state === 'ASSIGNED' || doc.state === 'IN_PROGRESS' || doc.state === 'FOR_INFO') {
        return doc.annotatedByUserId === actor.userId ? null : forbid('Chỉ lãnh đạo đã bút phê mới được điều chỉnh bút phê.');
      }
      return conflictWith('Văn bản không ở trạng thái chờ bút phê.');
    case 'RETURN': {
      if (assignmentId !== undefined) return guardAssignment(doc, actor, assignmentId);
      if (isDocumentLevelReturn(doc, actor)) return null;
      if (openAssignmentsOf(doc, actor).length) return null;
      if (doc.state === 'SUBMITTED') return forbid('Văn bản không được trình cho bạn.');
      if (doc.state === 'RETURNED' && doc.returnedToUserId !== null) return forbid('Văn bản không được trả lại cho bạn.');
      if (doc.state === 'ASSIGNED' || doc.state === 'IN_PROGRESS') return forbid('Bạn không được giao xử lý văn bản này.');
      return conflictWith('Không thể trả lại văn bản ở trạng thái hiện tại.');
    }
    default:
      if (isAssignmentAction(type)) {
        if (assignmentId === undefined) return invalid('Chưa chỉ rõ phân công.', 'assignmentId');
        return guardAssignment(doc, actor, assignmentId, type);
      }
      return invalid(`Thao tác không hợp lệ: ${String(type)}.`);
  }
}

/** A RETURN without assignment by the leader holding the document (submitted or returned to them). */
function isDocumentLevelReturn(doc: IncomingDoc, actor: Actor): boolean {
  if (doc.state === 'SUBMITTED') return doc.submittedToUserId === actor.userId;
  if (doc.state === 'RETURNED') return doc.returnedToUserId !== null && doc.returnedToUserId === actor.userId;
  return false;
}

/** Why an assignment that is no longer open cannot be acted on, by its state. */
const CLOSED_ASSIGNMENT_MESSAGES: Readonly<Record<string, string>> = {
  DONE: 'Phân công đã hoàn thành.',
  RETURNED: 'Phân công đã bị trả lại.',
  DELEGATED: 'Phân công đã được giao tiếp trong đơn vị; người được giao xử lý.',
  CLOSED: 'Phân công đã đóng vì văn bản đã hoàn thành.',
};

function guardAssignment(doc: IncomingDoc, actor: Actor, assignmentId: string, type?: AssignmentActionType): TransitionFailure | null {
  const a = doc.assignments.find((x) => x.id === assignmentId);
  if (!a) return conflictWith('Không tìm thấy phân công xử lý này trên văn bản.');
  if (type === 'REASSIGN') {
    if (!isUnitHeadOf(actor, a.unitId)) return forbid('Chỉ trưởng đơn vị được giao mới được giao xử lý trong đơn vị.');
  } else if (!canActOnAssignment(actor, a)) {
    return forbid('Bạn không được giao xử lý văn bản này.');
  }
  if (!a.active) return conflictWith('Phân công này đã được thay thế bằng bút phê mới.');
  if (!OPEN.includes(a.state)) return conflictWith(CLOSED_ASSIGNMENT_MESSAGES[a.state] ?? 'Phân công không còn mở.');
  if (type === 'START' && a.state === 'IN_PROGRESS') return conflictWith('Phân công đang được xử lý.');
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Transition

function reasonOf(s: string | undefined, field = 'reason'): string | TransitionFailure {
  const r = cleanText(s ?? '');
  if (!r) return invalid('Phải nêu lý do.', field);
  if (r.length > MAX_REASON_LENGTH) return invalid(`Lý do không được dài quá ${MAX_REASON_LENGTH} ký tự.`, field);
  return r;
}

function withState(doc: IncomingDoc, state: IncomingState, patch: Partial<IncomingDoc>, events: IncomingEvent[]): IncomingDoc {
  if (state !== doc.state) events.unshift({ type: 'STATE_CHANGED', from: doc.state, to: state });
  return { ...doc, ...patch, state };
}

function setAssignment(
  doc: IncomingDoc,
  id: string,
  patch: Partial<Assignment>,
  events: IncomingEvent[],
): { assignments: Assignment[]; before: Assignment; after: Assignment } {
  const before = doc.assignments.find((a) => a.id === id) as Assignment;
  const after = { ...before, ...patch };
  if (after.state !== before.state) events.push({ type: 'ASSIGNMENT_STATE_CHANGED', assignmentId: id, from: before.state, to: after.state });
  return { assignments: doc.assignments.map((a) => (a.id === id ? after : a)), before, after };
}

/**
 * Apply `action` to `doc` on behalf of `ctx`. Pure: returns a new snapshot and the events, or a failure
 * with a Vietnamese reason. Never throws for business reasons (use `unwrap` to get an AppError).
 */
export function transitionIncoming(doc: IncomingDoc, action: IncomingAction, ctx: ActorContext): IncomingResult {
  const assignmentIdForGuard =
    action.type === 'RETURN' ? action.assignmentId : isAssignmentAction(action.type) ? (action as { assignmentId: string }).assignmentId : undefined;
  const denied = guardIncoming(doc, action.type, ctx, assignmentIdForGuard);
  if (denied) return denied;
  const events: IncomingEvent[] = [];
  const by = ctx.userId;

  switch (action.type) {
    case 'REGISTER': {
      events.push({ type: 'REGISTERED', byUserId: by });
      return { ok: true, next: withState(doc, 'REGISTERED', {}, events), events };
    }
    case 'REJECT': {
      const reason = reasonOf(action.reason);
      if (typeof reason !== 'string') return reason;
      events.push({ type: 'REJECTED', byUserId: by, reason });
      return { ok: true, next: withState(doc, 'REJECTED', {}, events), events };
    }
    case 'ANNUL': {
      const reason = reasonOf(action.reason);
      if (typeof reason !== 'string') return reason;
      // Open assignments are closed (kept for history, no longer in anyone's box).
      const closed = doc.assignments.filter(isOpen).map((a) => a.id);
      for (const id of closed) events.push({ type: 'ASSIGNMENT_SUPERSEDED', assignmentId: id });
      const assignments = doc.assignments.map((a) => (closed.includes(a.id) ? { ...a, active: false } : a));
      events.push({ type: 'ANNULLED', byUserId: by, reason, closedAssignmentIds: closed });
      return { ok: true, next: withState(doc, 'ANNULLED', { assignments }, events), events };
    }
    case 'SUBMIT': {
      if (!action.leader || !canReceiveSubmission(action.leader, doc.agencyId)) {
        return invalid('Chỉ trình được cho lãnh đạo cơ quan hoặc lãnh đạo đơn vị của cơ quan.', 'leader');
      }
      events.push({ type: 'SUBMITTED', byUserId: by, leaderUserId: action.leader.userId });
      return {
        ok: true,
        next: withState(doc, 'SUBMITTED', { submittedToUserId: action.leader.userId, returnedToUserId: null }, events),
        events,
      };
    }
    case 'FORWARD': {
      if (!action.leader || !canReceiveSubmission(action.leader, doc.agencyId)) {
        return invalid('Chỉ chuyển được cho lãnh đạo cơ quan hoặc lãnh đạo đơn vị của cơ quan.', 'leader');
      }
      if (action.leader.userId === by) return invalid('Không thể chuyển văn bản cho chính mình.', 'leader');
      const note = action.note ? cleanText(action.note) || null : null;
      events.push({ type: 'FORWARDED', byUserId: by, toUserId: action.leader.userId, note });
      return { ok: true, next: { ...doc, submittedToUserId: action.leader.userId }, events };
    }
    case 'ANNOTATE': {
      const today = localDateOf(ctx.now, ctx.timeZone ?? VN_TIME_ZONE);
      const v = validateAnnotation(action.annotation ?? {}, today);
      if (!v.ok) return invalid(v.errors.map((e) => e.message).join(' '), v.errors[0]?.field);
      const ann = v.value;
      const newId = ctx.newId ?? uuid;
      const superseded = doc.assignments.map((a) => {
        if (a.active && OPEN.includes(a.state)) events.push({ type: 'ASSIGNMENT_SUPERSEDED', assignmentId: a.id });
        return a.active ? { ...a, active: false } : a;
      });
      const created: Assignment[] = [];
      const mk = (role: AssignmentRole, x: NonNullable<typeof ann.lead>): Assignment => ({
        id: newId(),
        role,
        target: x.target,
        unitId: x.unitId,
        userId: x.userId,
        deadline: x.deadline,
        state: 'PENDING',
        active: true,
      });
      if (ann.lead) created.push(mk('LEAD', ann.lead));
      for (const c of ann.coordinators) created.push(mk('COORDINATOR', c));
      events.push({ type: 'ANNOTATED', byUserId: by, instruction: ann.instruction, forInfo: ann.forInfo, watcherUserIds: ann.watcherUserIds });
      for (const a of created) events.push({ type: 'ASSIGNMENT_CREATED', assignment: a });
      const next = withState(
        doc,
        ann.forInfo ? 'FOR_INFO' : 'ASSIGNED',
        { annotatedByUserId: by, submittedToUserId: by, returnedToUserId: null, assignments: [...superseded, ...created] },
        events,
      );
      return { ok: true, next, events };
    }
    case 'RETURN': {
      const reason = reasonOf(action.reason);
      if (typeof reason !== 'string') return reason;
      // Document-level return by the leader holding it: one step up the chain.
      if (action.assignmentId === undefined && isDocumentLevelReturn(doc, ctx)) {
        events.push({ type: 'RETURNED', byUserId: by, reason, to: { kind: 'VAN_THU' }, assignmentId: null });
        return { ok: true, next: withState(doc, 'RETURNED', { returnedToUserId: null }, events), events };
      }
      const a = action.assignmentId !== undefined ? doc.assignments.find((x) => x.id === action.assignmentId)! : openAssignmentsOf(doc, ctx)[0];
      // The person the unit head designated hands it back to the unit head; it stays PENDING at the unit.
      if (a.target === 'UNIT' && a.userId === by && !isUnitHeadOf(ctx, a.unitId)) {
        const { assignments } = setAssignment(doc, a.id, { userId: null, state: 'PENDING' }, events);
        events.push({ type: 'RETURNED', byUserId: by, reason, to: { kind: 'UNIT_HEAD', unitId: a.unitId }, assignmentId: a.id });
        return { ok: true, next: { ...doc, assignments }, events };
      }
      const { assignments } = setAssignment(doc, a.id, { state: 'RETURNED' }, events);
      events.push({ type: 'RETURNED', byUserId: by, reason, to: { kind: 'LEADER', userId: doc.annotatedByUserId }, assignmentId: a.id });
      if (a.role === 'LEAD') {
        return { ok: true, next: withState(doc, 'RETURNED', { assignments, returnedToUserId: doc.annotatedByUserId }, events), events };
      }
      return { ok: true, next: { ...doc, assignments }, events };
    }
    case 'REASSIGN': {
      const a = doc.assignments.find((x) => x.id === action.assignmentId)!;
      const to = action.to;
      if (!to || to.agencyId !== doc.agencyId || !a.unitId || to.unitId !== a.unitId) {
        return invalid('Chỉ giao được cho cán bộ thuộc đơn vị được giao.', 'to');
      }
      if (to.userId === a.userId) return conflictWith('Phân công đã được giao cho cán bộ này.');
      const { assignments } = setAssignment(doc, a.id, { userId: to.userId }, events);
      const note = action.note ? cleanText(action.note) || null : null;
      events.push({ type: 'REASSIGNED', assignmentId: a.id, byUserId: by, fromUserId: a.userId, toUserId: to.userId, note });
      return { ok: true, next: { ...doc, assignments }, events };
    }
    case 'START':
    case 'ADD_PROGRESS':
    case 'ATTACH_DRAFT': {
      if (action.type === 'ADD_PROGRESS') {
        const note = cleanText(action.note ?? '');
        if (!note) return invalid('Nội dung tiến độ không được để trống.', 'note');
        if (note.length > MAX_REASON_LENGTH) return invalid(`Nội dung tiến độ không được dài quá ${MAX_REASON_LENGTH} ký tự.`, 'note');
      }
      if (action.type === 'ATTACH_DRAFT' && !action.fileId) return invalid('Chưa chọn tệp dự thảo.', 'fileId');
      const { assignments, before } = setAssignment(doc, action.assignmentId, { state: 'IN_PROGRESS' }, events);
      if (action.type === 'ADD_PROGRESS') events.push({ type: 'PROGRESS_NOTED', assignmentId: before.id, byUserId: by, note: cleanText(action.note) });
      if (action.type === 'ATTACH_DRAFT') events.push({ type: 'DRAFT_ATTACHED', assignmentId: before.id, byUserId: by, fileId: action.fileId });
      const state = doc.state === 'ASSIGNED' ? 'IN_PROGRESS' : doc.state;
      return { ok: true, next: withState(doc, state, { assignments }, events), events };
    }
    case 'COMPLETE': {
      const note = action.note ? cleanText(action.note) || null : null;
      const { assignments, before } = setAssignment(doc, action.assignmentId, { state: 'DONE' }, events);
      const lead = before.role === 'LEAD';
      events.push({ type: 'COMPLETED', assignmentId: before.id, byUserId: by, lead, note });
      const state = lead ? 'DONE' : doc.state === 'ASSIGNED' ? 'IN_PROGRESS' : doc.state;
      return { ok: true, next: withState(doc, state, { assignments }, events), events };
    }
  }
}

/** An action the actor may take now (payload not yet chosen), for UI buttons. */
export interface AvailableIncomingAction {
  type: IncomingActionType;
  assignmentId?: string;
}

/** Every action the actor may take on the document now (document-level first, then per assignment). */
export function allowedIncomingActions(doc: IncomingDoc, actor: Actor): AvailableIncomingAction[] {
  const out: AvailableIncomingAction[] = [];
  for (const type of ['REGISTER', 'REJECT', 'SUBMIT', 'FORWARD', 'ANNOTATE'] as const) {
    if (!guardIncoming(doc, type, actor)) out.push({ type });
  }
  if (actor.agencyId === doc.agencyId && isDocumentLevelReturn(doc, actor)) out.push({ type: 'RETURN' });
  for (const a of doc.assignments) {
    for (const type of ['START', 'ADD_PROGRESS', 'ATTACH_DRAFT', 'COMPLETE', 'RETURN', 'REASSIGN'] as const) {
      if (!guardIncoming(doc, type, actor, a.id)) out.push({ type, assignmentId: a.id });
    }
  }
  return out;
}

/** The current (active) lead assignment, if any. */
export function leadAssignment(doc: IncomingDoc): Assignment | undefined {
  return doc.assignments.find((a) => a.active && a.role === 'LEAD');
}
