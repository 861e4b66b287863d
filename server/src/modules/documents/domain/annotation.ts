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

export interface AnnotationInput {
  /** Ý kiến chỉ đạo. Optional text. */
  instruction?: string | null;
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

  if (forInfo) {
    if (input.lead) errors.push({ field: 'lead', message: 'Văn bản "để biết" không giao đơn vị, cá nhân chủ trì.' });
    if (coordinatorInputs.length) {
      errors.push({ field: 'coordinators', message: 'Văn bản "để biết" không giao đơn vị, cá nhân phối hợp.' });
    }
    return errors.length ? { ok: false, errors } : { ok: true, value: { instruction, forInfo, lead: null, coordinators: [], watcherUserIds } };
  }

  if (!input.lead) {
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
  if (errors.length || !lead) return { ok: false, errors };
  return { ok: true, value: { instruction, forInfo, lead, coordinators, watcherUserIds } };
}
