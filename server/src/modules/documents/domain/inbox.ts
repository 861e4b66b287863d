/**
 * Inbox boxes (hộp văn bản) as DECLARATIVE predicates over a flat row, plus their sort order.
 *
 * The SQL layer builds one row per document (DOCUMENT-level boxes) or one row per document × ACTIVE
 * assignment (ASSIGNMENT-level boxes) with the fields of `InboxRow`, and translates each box's predicate
 * into a WHERE clause: `and`/`or`/`not` → AND/OR/NOT; `eq` → `=` (NULL on either side never matches, as in
 * SQL); `in` → `IN (…)`; `isNull` → `IS NULL`; `lt` → `<` (false on NULL); `includesViewer` →
 * `:viewerId = ANY(col)`; `viewerHasRole` → a constant from the viewer's roles; `viewerHasRoleIn` →
 * `col = ANY(:viewerRoles)`. `evaluateInboxPredicate` is the reference interpreter (and what the tests
 * run), so the SQL must agree with it. Visibility (access.ts) still applies on top.
 *
 * Sort (INBOX_ORDER): urgency HOA_TOC > THUONG_KHAN > KHAN > THUONG, then deadline ascending with no
 * deadline last, then received time ascending (oldest first: these are work queues, first in first out),
 * then id for a stable order.
 */
import type { Role } from '../../identity/roles';
import type { PlainDate } from './calendar';
import type { AssigneeTarget } from './annotation';
import type { AssignmentState, IncomingState } from './incoming-workflow';
import { urgencyRank, type Urgency } from './markings';
import type { Direction } from './numbering';
import type { OutgoingState } from './outgoing-workflow';

export { urgencyRank } from './markings';

/** One row as the SQL layer produces it. */
export interface InboxRow {
  /** Document id. */
  id: string;
  direction: Direction;
  agencyId: string;
  /** Document state (IncomingState or OutgoingState). */
  state: IncomingState | OutgoingState;
  urgency: Urgency;
  /** Effective deadline of the row: the assignment's deadline, else the document's due date (hạn xử lý). */
  deadline: PlainDate | null;
  /** When it arrived (incoming: received/registered; outgoing: created or last submitted). */
  receivedAt: Date;
  // incoming, document level
  submittedToUserId: string | null;
  returnedToUserId: string | null;
  annotatedByUserId: string | null;
  // incoming, assignment level (all null on document rows)
  assignmentId: string | null;
  assignmentTarget: AssigneeTarget | null;
  assignmentUnitId: string | null;
  assignmentUserId: string | null;
  assignmentState: AssignmentState | null;
  // outgoing: owner of the current approval step, and the signer
  drafterUserId: string | null;
  /** Current step of kind USER. */
  approverUserId: string | null;
  /** Current step of kind ROLE. */
  approverRole: Role | null;
  /** Current ROLE step scoped to the drafting unit: that unit; null = agency-wide. */
  approverUnitId: string | null;
  signerUserId: string | null;
  watcherUserIds: readonly string[];
  /** Lấy lại / thu hồi / thay thế (exchange/business): a withdrawn record is locked and waits in no box. */
  withdrawnAt: Date | null;
}

export type InboxField = Exclude<keyof InboxRow, 'watcherUserIds'>;

export interface InboxViewer {
  userId: string;
  agencyId: string;
  unitId: string | null;
  roles: readonly Role[];
}

export type Operand = { viewer: 'userId' | 'agencyId' | 'unitId' } | { today: true } | { value: string | number | boolean };

export type InboxPredicate =
  | { op: 'and'; of: readonly InboxPredicate[] }
  | { op: 'or'; of: readonly InboxPredicate[] }
  | { op: 'not'; of: InboxPredicate }
  | { op: 'eq'; field: InboxField; to: Operand }
  | { op: 'in'; field: InboxField; values: readonly string[] }
  | { op: 'isNull'; field: InboxField }
  | { op: 'lt'; field: InboxField; to: Operand }
  | { op: 'includesViewer'; field: 'watcherUserIds' }
  | { op: 'viewerHasRole'; role: Role }
  | { op: 'viewerHasRoleIn'; field: 'approverRole' };

export const INBOX_BOXES_ORDERED = [
  'TO_REGISTER',
  'TO_ANNOTATE',
  'TO_PROCESS',
  'IN_PROGRESS',
  'OVERDUE',
  'TO_APPROVE',
  'TO_SIGN',
  'TO_ISSUE',
  'WATCHING',
  'DRAFTS',
] as const;
export type InboxBox = (typeof INBOX_BOXES_ORDERED)[number];

export interface InboxBoxDefinition {
  box: InboxBox;
  label: string;
  /** DOCUMENT: one row per document; ASSIGNMENT: one row per document × active assignment. */
  level: 'DOCUMENT' | 'ASSIGNMENT';
  predicate: InboxPredicate;
}

// --- small builders -----------------------------------------------------------------------------------
const and = (...of: InboxPredicate[]): InboxPredicate => ({ op: 'and', of });
const or = (...of: InboxPredicate[]): InboxPredicate => ({ op: 'or', of });
const not = (of: InboxPredicate): InboxPredicate => ({ op: 'not', of });
const eq = (field: InboxField, to: Operand): InboxPredicate => ({ op: 'eq', field, to });
const is = (field: InboxField, value: string): InboxPredicate => eq(field, { value });
const isIn = (field: InboxField, values: readonly string[]): InboxPredicate => ({ op: 'in', field, values });
const isNull = (field: InboxField): InboxPredicate => ({ op: 'isNull', field });
const me = { viewer: 'userId' } as const;
const myAgency = eq('agencyId', { viewer: 'agencyId' });
const role = (r: Role): InboxPredicate => ({ op: 'viewerHasRole', role: r });
const incoming = is('direction', 'INCOMING');
const outgoing = is('direction', 'OUTGOING');
const documentRow = isNull('assignmentId');
const assignmentRow = not(isNull('assignmentId'));
/** Head of the assignment's unit. */
const headOfAssignmentUnit = and(role('TRUONG_PHONG'), eq('assignmentUnitId', { viewer: 'unitId' }));
const mineOrMyUnits = or(eq('assignmentUserId', me), headOfAssignmentUnit);

const BOXES: readonly InboxBoxDefinition[] = [
  {
    box: 'TO_REGISTER',
    label: 'Chờ vào sổ, trình',
    level: 'DOCUMENT',
    predicate: and(
      incoming,
      documentRow,
      myAgency,
      role('VAN_THU'),
      isNull('withdrawnAt'),
      or(isIn('state', ['RECEIVED', 'REGISTERED']), and(is('state', 'RETURNED'), isNull('returnedToUserId'))),
    ),
  },
  {
    box: 'TO_ANNOTATE',
    label: 'Chờ bút phê',
    level: 'DOCUMENT',
    predicate: and(
      incoming,
      documentRow,
      myAgency,
      isNull('withdrawnAt'),
      or(and(is('state', 'SUBMITTED'), eq('submittedToUserId', me)), and(is('state', 'RETURNED'), eq('returnedToUserId', me))),
    ),
  },
  {
    box: 'TO_PROCESS',
    label: 'Chờ xử lý',
    level: 'ASSIGNMENT',
    predicate: and(
      incoming,
      assignmentRow,
      myAgency,
      is('assignmentState', 'PENDING'),
      or(eq('assignmentUserId', me), and(headOfAssignmentUnit, isNull('assignmentUserId'))),
    ),
  },
  {
    box: 'IN_PROGRESS',
    label: 'Đang xử lý',
    level: 'ASSIGNMENT',
    predicate: and(
      incoming,
      assignmentRow,
      myAgency,
      or(
        and(is('assignmentState', 'IN_PROGRESS'), mineOrMyUnits),
        // the unit head follows what they handed to a colleague
        and(is('assignmentState', 'PENDING'), headOfAssignmentUnit, not(isNull('assignmentUserId')), not(eq('assignmentUserId', me))),
      ),
    ),
  },
  {
    box: 'OVERDUE',
    label: 'Quá hạn',
    level: 'ASSIGNMENT',
    predicate: and(incoming, assignmentRow, myAgency, isIn('assignmentState', ['PENDING', 'IN_PROGRESS']), mineOrMyUnits, {
      op: 'lt',
      field: 'deadline',
      to: { today: true },
    }),
  },
  {
    box: 'TO_APPROVE',
    label: 'Chờ duyệt',
    level: 'DOCUMENT',
    predicate: and(
      outgoing,
      myAgency,
      is('state', 'IN_APPROVAL'),
      or(
        eq('approverUserId', me),
        and({ op: 'viewerHasRoleIn', field: 'approverRole' }, or(isNull('approverUnitId'), eq('approverUnitId', { viewer: 'unitId' }))),
      ),
    ),
  },
  {
    box: 'TO_SIGN',
    label: 'Chờ ký',
    level: 'DOCUMENT',
    predicate: and(outgoing, myAgency, is('state', 'APPROVED'), or(eq('signerUserId', me), and(isNull('signerUserId'), role('LANH_DAO')))),
  },
  {
    box: 'TO_ISSUE',
    label: 'Chờ phát hành',
    level: 'DOCUMENT',
    predicate: and(outgoing, myAgency, is('state', 'SIGNED'), role('VAN_THU')),
  },
  {
    box: 'WATCHING',
    label: 'Theo dõi',
    level: 'DOCUMENT',
    predicate: and(
      documentRow,
      myAgency,
      or(
        { op: 'includesViewer', field: 'watcherUserIds' },
        // the leader follows the documents they annotated until done
        and(incoming, eq('annotatedByUserId', me), isIn('state', ['ASSIGNED', 'IN_PROGRESS'])),
        // the drafter follows their submitted drafts until issued
        and(outgoing, eq('drafterUserId', me), isIn('state', ['IN_APPROVAL', 'APPROVED', 'SIGNED'])),
      ),
    ),
  },
  {
    box: 'DRAFTS',
    label: 'Dự thảo của tôi',
    level: 'DOCUMENT',
    // the drafter's own drafts, including those returned for rework
    predicate: and(outgoing, myAgency, eq('drafterUserId', me), isIn('state', ['DRAFT', 'RETURNED_TO_DRAFTER'])),
  },
];

export const INBOX_BOXES: Readonly<Record<InboxBox, InboxBoxDefinition>> = Object.freeze(
  Object.fromEntries(BOXES.map((b) => [b.box, b])) as Record<InboxBox, InboxBoxDefinition>,
);

function operandValue(o: Operand, viewer: InboxViewer, today: PlainDate): string | number | boolean | null {
  if ('viewer' in o) return viewer[o.viewer];
  if ('today' in o) return today;
  return o.value;
}

/** Reference interpreter of a predicate (SQL NULL semantics for eq/lt). */
export function evaluateInboxPredicate(p: InboxPredicate, row: InboxRow, viewer: InboxViewer, today: PlainDate): boolean {
  switch (p.op) {
    case 'and':
      return p.of.every((q) => evaluateInboxPredicate(q, row, viewer, today));
    case 'or':
      return p.of.some((q) => evaluateInboxPredicate(q, row, viewer, today));
    case 'not':
      return !evaluateInboxPredicate(p.of, row, viewer, today);
    case 'eq': {
      const a = row[p.field];
      const b = operandValue(p.to, viewer, today);
      return a !== null && a !== undefined && b !== null && a === b;
    }
    case 'in': {
      const a = row[p.field];
      return typeof a === 'string' && p.values.includes(a);
    }
    case 'isNull':
      return row[p.field] === null || row[p.field] === undefined;
    case 'lt': {
      const a = row[p.field];
      const b = operandValue(p.to, viewer, today);
      return a !== null && a !== undefined && b !== null && (a as string | number) < (b as string | number);
    }
    case 'includesViewer':
      return row[p.field].includes(viewer.userId);
    case 'viewerHasRole':
      return viewer.roles.includes(p.role);
    case 'viewerHasRoleIn': {
      const r = row[p.field];
      return r !== null && viewer.roles.includes(r);
    }
  }
}

/** Does the row belong in the viewer's box today? */
export function matchesBox(box: InboxBox, row: InboxRow, viewer: InboxViewer, today: PlainDate): boolean {
  return evaluateInboxPredicate(INBOX_BOXES[box].predicate, row, viewer, today);
}

/** Every box the row appears in for this viewer (a row may be in several, e.g. IN_PROGRESS and OVERDUE). */
export function boxesOf(row: InboxRow, viewer: InboxViewer, today: PlainDate): InboxBox[] {
  return INBOX_BOXES_ORDERED.filter((b) => matchesBox(b, row, viewer, today));
}

export interface InboxOrderKey {
  key: 'urgencyRank' | 'deadline' | 'receivedAt' | 'id';
  direction: 'ASC' | 'DESC';
  nulls?: 'LAST';
}

/** The sort order, declaratively (SQL: ORDER BY urgency_rank DESC, deadline ASC NULLS LAST, received_at ASC, id ASC). */
export const INBOX_ORDER: readonly InboxOrderKey[] = Object.freeze([
  { key: 'urgencyRank', direction: 'DESC' },
  { key: 'deadline', direction: 'ASC', nulls: 'LAST' },
  { key: 'receivedAt', direction: 'ASC' },
  { key: 'id', direction: 'ASC' },
] as InboxOrderKey[]);

export type SortableInboxItem = Pick<InboxRow, 'id' | 'urgency' | 'deadline' | 'receivedAt'>;

/** Comparator implementing INBOX_ORDER. */
export function compareInboxItems(a: SortableInboxItem, b: SortableInboxItem): number {
  const u = urgencyRank(b.urgency) - urgencyRank(a.urgency);
  if (u) return u;
  if (a.deadline !== b.deadline) {
    if (a.deadline === null) return 1;
    if (b.deadline === null) return -1;
    return a.deadline < b.deadline ? -1 : 1;
  }
  const t = a.receivedAt.getTime() - b.receivedAt.getTime();
  if (t) return t;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** A sorted copy. */
export function sortInbox<T extends SortableInboxItem>(items: readonly T[]): T[] {
  return [...items].sort(compareInboxItems);
}
