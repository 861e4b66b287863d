/**
 * Bút phê (the leader's annotation / ý kiến chỉ đạo, NĐ 30 Điều 23; Phiếu giải quyết văn bản đến):
 * an instruction plus EITHER exactly one lead (chủ trì) with any number of co-ordinators (phối hợp),
 * each a unit or a person with its own deadline, OR "để biết" (for information, no assignees).
 */
import { isPlainDate, type PlainDate } from './calendar';
import { cleanText } from './text';

export type AssigneeTarget = 'UNIT' | 'USER';

export interface AssigneeInput {
  target: AssigneeTarget;
  /** The unit (target UNIT), or the person's unit if known (target USER; lets its unit head re-assign). */
  unitId?: string | null;
  /** The person (target USER). Ignored for target UNIT (the unit head designates the handler later). */
  userId?: string | null;
  /** Thời hạn giải quyết, `YYYY-MM-DD`; null = no deadline. */
  deadline?: PlainDate | null;
}

/**
 * Giao cơ quan khác (issue 13): another agency — of this deployment or of a peer, by its mã định danh from the
 * exchange directory — as chủ trì or phối hợp with its own deadline. The document goes there through the
 * exchange (modules/exchange/business/agency-assignments.ts). Exactly one chủ trì in the whole bút phê: a unit /
 * person of the agency OR another agency.
 */
export interface AgencyAssigneeInput {
  agencyCode: string;
  role: 'LEAD' | 'COORDINATOR';
  deadline?: PlainDate | null;
}

export interface AgencyAssignee {
  agencyCode: string;
  role: 'LEAD' | 'COORDINATOR';
  deadline: PlainDate | null;
}

/** Mã định danh: groups of digits/capitals separated by dots, at most 35 characters (QĐ 20/2020). */
const AGENCY_CODE_RE = /^[0-9A-Z]+(\.[0-9A-Z]+)*$/;

export interface AnnotationInput {
  /** Ý kiến chỉ đạo. Optional text. */
  instruction?: string | null;
  /** Other agencies named by the bút phê (giao cơ quan khác). */
  agencies?: readonly AgencyAssigneeInput[];
  /** "Để biết": no lead, no co-ordinators. */
  forInfo?: boolean;
  lead?: AssigneeInput | null;
  coordinators?: readonly AssigneeInput[];
  /** People asked to follow the document (theo dõi / "Đ/c … biết"). */
  watcherUserIds?: readonly string[];
}

export interface Assignee {
  target: AssigneeTarget;
  unitId: string | null;
  userId: string | null;
  deadline: PlainDate | null;
}

/** A validated, normalised annotation. */
export interface Annotation {
  instruction: string;
  forInfo: boolean;
  lead: Assignee | null;
  coordinators: Assignee[];
  watcherUserIds: string[];
  /** Other agencies named (present only when some were). */
  agencies?: AgencyAssignee[];
}

export interface FieldError {
  field: string;
  message: string;
}

export type AnnotationValidation = { ok: true; value: Annotation } | { ok: false; errors: FieldError[] };

export const MAX_INSTRUCTION_LENGTH = 2000;

/** Identity of an assignee: a unit and a person are different assignees even if the person is in the unit. */
export function assigneeKey(a: Pick<Assignee, 'target' | 'unitId' | 'userId'>): string {
  return a.target === 'UNIT' ? `UNIT:${a.unitId ?? ''}` : `USER:${a.userId ?? ''}`;
}

function normalizeAssignee(a: AssigneeInput, field: string, today: PlainDate, errors: FieldError[]): Assignee | null {
  if (a.target !== 'UNIT' && a.target !== 'USER') {
    errors.push({ field: `${field}.target`, message: 'Đối tượng được giao phải là đơn vị hoặc cá nhân.' });
    return null;
  }
  const unitId = a.unitId ? a.unitId : null;
  const userId = a.target === 'USER' && a.userId ? a.userId : null;
  if (a.target === 'UNIT' && !unitId) {
    errors.push({ field: `${field}.unitId`, message: 'Chưa chọn đơn vị được giao.' });
    return null;
  }
  if (a.target === 'USER' && !userId) {
    errors.push({ field: `${field}.userId`, message: 'Chưa chọn cá nhân được giao.' });
    return null;
  }
  const deadline = a.deadline ?? null;
  if (deadline !== null) {
    if (!isPlainDate(deadline)) {
      errors.push({ field: `${field}.deadline`, message: 'Thời hạn giải quyết không hợp lệ.' });
      return null;
    }
    if (deadline < today) {
      errors.push({ field: `${field}.deadline`, message: 'Thời hạn giải quyết không được trước ngày hôm nay.' });
    }
  }
  return { target: a.target, unitId, userId, deadline };
}

/**
 * Validate a bút phê given today's date in the agency's zone:
 * - "để biết": no lead and no co-ordinators;
 * - otherwise exactly one lead (chủ trì); co-ordinators optional;
 * - a co-ordinator cannot also be the lead, nor appear twice;
 * - deadlines are real dates, not before today (a deadline of today is allowed);
 * - instruction at most 2000 characters; watchers de-duplicated.
 * Co-ordinator deadlines may be later than the lead's: the decree sets no order, agencies differ.
 */
export function validateAnnotation(input: AnnotationInput, today: PlainDate): AnnotationValidation {
  const errors: FieldError[] = [];
  const instruction = cleanText(input.instruction ?? '');
  if (instruction.length > MAX_INSTRUCTION_LENGTH) {
    errors.push({ field: 'instruction', message: `Ý kiến chỉ đạo không được dài quá ${MAX_INSTRUCTION_LENGTH} ký tự.` });
  }
  const forInfo = input.forInfo === true;
  const coordinatorInputs = input.coordinators ?? [];
  const watcherUserIds = [...new Set((input.watcherUserIds ?? []).filter(Boolean))];

  const agencies = normalizeAgencies(input.agencies ?? [], !!input.lead, today, errors);
  const agencyLead = agencies.some((a) => a.role === 'LEAD');
  if (forInfo && agencies.length) errors.push({ field: 'agencies', message: 'Văn bản "để biết" không giao cơ quan khác.' });

  if (forInfo) {
    if (input.lead) errors.push({ field: 'lead', message: 'Văn bản "để biết" không giao đơn vị, cá nhân chủ trì.' });
    if (coordinatorInputs.length) {
      errors.push({ field: 'coordinators', message: 'Văn bản "để biết" không giao đơn vị, cá nhân phối hợp.' });
    }
    return errors.length ? { ok: false, errors } : { ok: true, value: { instruction, forInfo, lead: null, coordinators: [], watcherUserIds } };
  }

  if (!input.lead && !agencyLead) {
    errors.push({ field: 'lead', message: 'Phải giao đúng một đơn vị hoặc cá nhân chủ trì (hoặc chọn "để biết").' });
  }
  const lead = input.lead ? normalizeAssignee(input.lead, 'lead', today, errors) : null;
  const seen = new Set<string>(lead ? [assigneeKey(lead)] : []);
  const coordinators: Assignee[] = [];
  coordinatorInputs.forEach((c, i) => {
    const a = normalizeAssignee(c, `coordinators[${i}]`, today, errors);
    if (!a) return;
    const key = assigneeKey(a);
    if (lead && key === assigneeKey(lead)) {
      errors.push({ field: `coordinators[${i}]`, message: 'Đơn vị, cá nhân chủ trì không thể đồng thời là đơn vị, cá nhân phối hợp.' });
    } else if (seen.has(key)) {
      errors.push({ field: `coordinators[${i}]`, message: 'Đơn vị, cá nhân phối hợp bị trùng.' });
    }
    seen.add(key);
    coordinators.push(a);
  });
  if (errors.length || (!lead && !agencyLead)) return { ok: false, errors };
  return { ok: true, value: { instruction, forInfo, lead, coordinators, watcherUserIds, ...(agencies.length ? { agencies } : {}) } };
}

/**
 * The agencies of a bút phê: valid mã định danh, each named once, at most one chủ trì and none when a unit /
 * person of the agency is already chủ trì (`internalLead`); deadlines real dates, not before today.
 */
export function normalizeAgencies(inputs: readonly AgencyAssigneeInput[], internalLead: boolean, today: PlainDate, errors: FieldError[]): AgencyAssignee[] {
  const out: AgencyAssignee[] = [];
  const seen = new Set<string>();
  let leads = 0;
  inputs.forEach((a, i) => {
    const field = `agencies[${i}]`;
    const code = (a.agencyCode ?? '').trim();
    if (!code || code.length > 35 || !AGENCY_CODE_RE.test(code)) {
      errors.push({ field: `${field}.agencyCode`, message: 'Mã định danh cơ quan được giao không hợp lệ.' });
      return;
    }
    if (a.role !== 'LEAD' && a.role !== 'COORDINATOR') {
      errors.push({ field: `${field}.role`, message: 'Cơ quan được giao phải là chủ trì hoặc phối hợp.' });
      return;
    }
    if (seen.has(code)) {
      errors.push({ field: `${field}.agencyCode`, message: 'Cơ quan được giao bị trùng.' });
      return;
    }
    seen.add(code);
    if (a.role === 'LEAD') {
      leads++;
      if (internalLead) errors.push({ field: `${field}.role`, message: 'Đã có đơn vị, cá nhân chủ trì: cơ quan khác chỉ được giao phối hợp.' });
      else if (leads > 1) errors.push({ field: `${field}.role`, message: 'Chỉ giao một cơ quan chủ trì.' });
    }
    const deadline = a.deadline ?? null;
    if (deadline !== null && !isPlainDate(deadline)) {
      errors.push({ field: `${field}.deadline`, message: 'Thời hạn giải quyết không hợp lệ.' });
      out.push({ agencyCode: code, role: a.role, deadline: null });
      return;
    }
    if (deadline !== null && deadline < today) errors.push({ field: `${field}.deadline`, message: 'Thời hạn giải quyết không được trước ngày hôm nay.' });
    out.push({ agencyCode: code, role: a.role, deadline });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------
// The bút phê chain (issue 9): leader → unit → person, each link with its own instruction and deadline.

/** The part of an assignment the chain rules read. `parentId` = the assignment it was re-assigned from. */
export interface ChainLink {
  id: string;
  role: 'LEAD' | 'COORDINATOR';
  unitId: string | null;
  userId: string | null;
  deadline: PlainDate | null;
  /** PENDING | IN_PROGRESS | DONE | RETURNED | DELEGATED | CLOSED */
  state: string;
  active: boolean;
  parentId: string | null;
}

/** The leader's assignment once its unit head has handed it to a person (the person's child does the work). */
export const DELEGATED = 'DELEGATED';
/** A phối hợp assignment closed because the document was completed (reason recorded). */
export const CLOSED = 'CLOSED';
export const CLOSED_ON_COMPLETION_REASON = 'Văn bản đã hoàn thành';

export type ReassignPlan =
  | {
      ok: true;
      /** The assignment the new child hangs under (the leader's, also when re-assigning a child again). */
      parentId: string;
      /** The child's deadline: the one given, else the parent's. */
      deadline: PlainDate | null;
      /** Assignments whose state/active change: the parent becomes DELEGATED, a replaced child inactive. */
      updates: { id: string; state?: string; active?: boolean }[];
    }
  | { ok: false; field: string; message: string };

/**
 * Giao xử lý trong đơn vị (re-assignment by the unit head) as a CHILD of the assignment, never overwriting it:
 * - the leader's assignment keeps its unit, instruction and deadline and becomes DELEGATED (not worked on itself);
 * - re-assigning a child again replaces that child (it becomes inactive) by a new child of the same parent;
 * - the child's deadline defaults to the parent's; it may be earlier (the unit's internal deadline) but never
 *   later than the parent's, and never before today.
 */
export function planReassign(target: ChainLink, all: readonly ChainLink[], deadline: PlainDate | null | undefined, today: PlainDate): ReassignPlan {
  const parent = target.parentId ? all.find((a) => a.id === target.parentId) : undefined;
  const top = parent ?? target;
  let due: PlainDate | null = top.deadline;
  if (deadline != null) {
    if (!isPlainDate(deadline)) return { ok: false, field: 'deadline', message: 'Thời hạn giải quyết không hợp lệ.' };
    if (deadline < today) return { ok: false, field: 'deadline', message: 'Thời hạn giải quyết không được trước ngày hôm nay.' };
    if (top.deadline && deadline > top.deadline) {
      const [y, m, d] = top.deadline.split('-');
      return { ok: false, field: 'deadline', message: `Thời hạn giao trong đơn vị không được sau thời hạn lãnh đạo giao (${d}/${m}/${y}).` };
    }
    due = deadline;
  }
  const updates: { id: string; state?: string; active?: boolean }[] = [];
  if (parent) {
    updates.push({ id: target.id, active: false });
    if (parent.state !== DELEGATED) updates.push({ id: parent.id, state: DELEGATED });
  } else {
    updates.push({ id: target.id, state: DELEGATED });
  }
  return { ok: true, parentId: top.id, deadline: due, updates };
}

/** The ancestors of an assignment, nearest first. */
export function ancestorsOf(id: string, all: readonly ChainLink[]): ChainLink[] {
  const byId = new Map(all.map((a) => [a.id, a]));
  const out: ChainLink[] = [];
  let cur = byId.get(id);
  const seen = new Set<string>();
  while (cur?.parentId && !seen.has(cur.parentId)) {
    seen.add(cur.parentId);
    const p = byId.get(cur.parentId);
    if (!p) break;
    out.push(p);
    cur = p;
  }
  return out;
}

/**
 * When an assignment is completed: its DELEGATED ancestors are done too (the unit's work is the person's).
 * When the LEAD completes the document: every other open (or delegated) active assignment — the phối hợp —
 * is CLOSED with the reason CLOSED_ON_COMPLETION_REASON rather than left "chưa xử lý" without a word.
 */
export function completionUpdates(completedId: string, documentCompleted: boolean, all: readonly ChainLink[]): { done: string[]; closed: string[] } {
  const done = ancestorsOf(completedId, all)
    .filter((a) => a.active && a.state === DELEGATED)
    .map((a) => a.id);
  const closed: string[] = [];
  if (documentCompleted) {
    const skip = new Set([completedId, ...done]);
    for (const a of all) {
      if (!a.active || skip.has(a.id)) continue;
      if (a.state === 'PENDING' || a.state === 'IN_PROGRESS' || a.state === DELEGATED) closed.push(a.id);
    }
  }
  return { done, closed };
}

/** One line of the chain as printed: who assigned whom, with what instruction and deadline. */
export interface ChainNode<T extends ChainLink = ChainLink> {
  link: T;
  children: ChainNode<T>[];
}

/** The active chain as trees (roots = the leader's assignments; LEAD first, then creation order kept). */
export function chainTrees<T extends ChainLink>(all: readonly T[]): ChainNode<T>[] {
  const active = all.filter((a) => a.active);
  const ids = new Set(active.map((a) => a.id));
  const node = (a: T): ChainNode<T> => ({ link: a, children: active.filter((c) => c.parentId === a.id).map(node) });
  const roots = active.filter((a) => !a.parentId || !ids.has(a.parentId)).map(node);
  return [...roots.filter((r) => r.link.role === 'LEAD'), ...roots.filter((r) => r.link.role !== 'LEAD')];
}
