/**
 * Translation of the DECLARATIVE inbox box predicates (domain/inbox.ts) into SQL, plus the per-box
 * candidate pre-filters that let PostgreSQL use indexes.
 *
 * Every box query is `<candidate pre-filter> AND <exact predicate> AND <visibility> [AND <filter>]`:
 * - the exact predicate is produced mechanically from INBOX_BOXES[box].predicate by `predicateSql`, with
 *   two-valued logic (`COALESCE(x = y, FALSE)`) so that NOT behaves like the reference interpreter
 *   (`evaluateInboxPredicate`), where a comparison with NULL is simply false;
 * - the pre-filter is a hand-written NECESSARY condition of the box (a superset of its rows) written so that
 *   it matches the partial indexes (literal states, the viewer's ids as parameters). It never decides
 *   membership on its own: the exact predicate always re-checks;
 * - visibility: the access rule of domain/access.ts itself (ACCESS_RULES translated by access-sql.ts), not a
 *   copy: a box never shows a document its viewer may not open.
 *
 * Row shape (InboxRow → SQL): one row per document (DOCUMENT level) or per document × ACTIVE assignment
 * (ASSIGNMENT level, `a`), grouped back to one row per document with the earliest effective deadline.
 */
import { INBOX_BOXES, type InboxBox, type InboxField, type InboxPredicate, type InboxViewer, type Operand } from './domain/inbox';
import type { PlainDate } from './domain/calendar';
import { documentVisibleSql } from './access-sql';

/**
 * Collects positional parameters (`?`): call `p()` in the order the placeholders appear in the SQL text. MikroORM's `execute` inlines them as escaped literals (pg
 * escapeLiteral), so an array parameter becomes a comma list: pass scalars, or wrap in ARRAY[…].
 */
export class SqlParams {
  readonly values: unknown[] = [];
  /** A placeholder for `v`, cast when `cast` is given. */
  p(v: unknown, cast?: string): string {
    this.values.push(v);
    return cast ? `?::${cast}` : '?';
  }
}

type SqlType = 'uuid' | 'text' | 'date' | 'timestamptz';

const STEP = `(d.approval_chain -> d.approval_step)`;

/** SQL of each InboxRow field: [document-level expression, assignment-level expression], and its type. */
const FIELDS: Record<InboxField, { doc: string; asg: string; type: SqlType }> = {
  id: { doc: 'd.id', asg: 'd.id', type: 'uuid' },
  direction: { doc: 'd.direction', asg: 'd.direction', type: 'text' },
  agencyId: { doc: 'd.agency_id', asg: 'd.agency_id', type: 'uuid' },
  state: { doc: 'd.state', asg: 'd.state', type: 'text' },
  urgency: { doc: 'd.urgency', asg: 'd.urgency', type: 'text' },
  deadline: { doc: 'd.deadline', asg: 'COALESCE(a.deadline, d.deadline)', type: 'date' },
  receivedAt: { doc: 'COALESCE(d.received_at, d.created_at)', asg: 'COALESCE(d.received_at, d.created_at)', type: 'timestamptz' },
  submittedToUserId: { doc: 'd.submitted_to_id', asg: 'd.submitted_to_id', type: 'uuid' },
  returnedToUserId: { doc: 'd.returned_to_id', asg: 'd.returned_to_id', type: 'uuid' },
  withdrawnAt: { doc: 'd.withdrawn_at', asg: 'd.withdrawn_at', type: 'timestamptz' },
  annotatedByUserId: { doc: 'd.annotated_by_id', asg: 'd.annotated_by_id', type: 'uuid' },
  assignmentId: { doc: 'NULL::uuid', asg: 'a.id', type: 'uuid' },
  assignmentTarget: { doc: 'NULL::text', asg: 'a.target', type: 'text' },
  assignmentUnitId: { doc: 'NULL::uuid', asg: 'a.unit_id', type: 'uuid' },
  assignmentUserId: { doc: 'NULL::uuid', asg: 'a.user_id', type: 'uuid' },
  assignmentState: { doc: 'NULL::text', asg: 'a.state', type: 'text' },
  drafterUserId: { doc: 'd.drafter_id', asg: 'd.drafter_id', type: 'uuid' },
  // The current approval step (approval_chain[approval_step]) while IN_APPROVAL. A DRAFTING_UNIT role step of
  // a drafter without a unit has no owner (outgoing-workflow isStepOwner), so its role is NULL here.
  approverUserId: {
    doc: `(CASE WHEN d.state = 'IN_APPROVAL' AND ${STEP}->>'kind' = 'USER' THEN ${STEP}->>'userId' END)`,
    asg: `(CASE WHEN d.state = 'IN_APPROVAL' AND ${STEP}->>'kind' = 'USER' THEN ${STEP}->>'userId' END)`,
    type: 'text',
  },
  approverRole: {
    doc: `(CASE WHEN d.state = 'IN_APPROVAL' AND ${STEP}->>'kind' = 'ROLE' AND (${STEP}->>'scope' IS DISTINCT FROM 'DRAFTING_UNIT' OR d.drafter_unit_id IS NOT NULL) THEN ${STEP}->>'role' END)`,
    asg: `(CASE WHEN d.state = 'IN_APPROVAL' AND ${STEP}->>'kind' = 'ROLE' AND (${STEP}->>'scope' IS DISTINCT FROM 'DRAFTING_UNIT' OR d.drafter_unit_id IS NOT NULL) THEN ${STEP}->>'role' END)`,
    type: 'text',
  },
  approverUnitId: {
    doc: `(CASE WHEN d.state = 'IN_APPROVAL' AND ${STEP}->>'kind' = 'ROLE' AND ${STEP}->>'scope' = 'DRAFTING_UNIT' THEN d.drafter_unit_id::text END)`,
    asg: `(CASE WHEN d.state = 'IN_APPROVAL' AND ${STEP}->>'kind' = 'ROLE' AND ${STEP}->>'scope' = 'DRAFTING_UNIT' THEN d.drafter_unit_id::text END)`,
    type: 'text',
  },
  signerUserId: { doc: 'd.signer_id', asg: 'd.signer_id', type: 'uuid' },
};

export interface PredicateContext {
  viewer: InboxViewer;
  today: PlainDate;
  level: 'DOCUMENT' | 'ASSIGNMENT';
  params: SqlParams;
}

function operandValue(o: Operand, c: PredicateContext): string | number | boolean | null {
  if ('viewer' in o) return c.viewer[o.viewer];
  if ('today' in o) return c.today;
  return o.value;
}

function col(field: InboxField, c: PredicateContext): { sql: string; type: SqlType } {
  const f = FIELDS[field];
  return { sql: c.level === 'DOCUMENT' ? f.doc : f.asg, type: f.type };
}

/** Sub-queries (watchers) cost more than column tests: evaluate them last (same meaning, no side effects). */
function cost(p: InboxPredicate): number {
  if (p.op === 'includesViewer') return 100;
  if (p.op === 'and' || p.op === 'or') return p.of.reduce((s, q) => s + cost(q), 0);
  if (p.op === 'not') return cost(p.of);
  return 1;
}
const cheapFirst = (ps: readonly InboxPredicate[]) => [...ps].sort((a, b) => cost(a) - cost(b));

/**
 * SQL of a predicate, two-valued (never NULL), with the same meaning as `evaluateInboxPredicate`.
 * Expects the document as `d` and (ASSIGNMENT level) the assignment as `a`.
 */
export function predicateSql(p: InboxPredicate, c: PredicateContext): string {
  switch (p.op) {
    case 'and':
      return p.of.length ? `(${cheapFirst(p.of).map((q) => predicateSql(q, c)).join(' AND ')})` : 'TRUE';
    case 'or':
      return p.of.length ? `(${cheapFirst(p.of).map((q) => predicateSql(q, c)).join(' OR ')})` : 'FALSE';
    case 'not':
      return `(NOT ${predicateSql(p.of, c)})`;
    case 'eq': {
      const { sql, type } = col(p.field, c);
      const v = operandValue(p.to, c);
      if (v === null || sql.startsWith('NULL::')) return 'FALSE';
      return `COALESCE(${sql} = ${c.params.p(v, type)}, FALSE)`;
    }
    case 'lt': {
      const { sql, type } = col(p.field, c);
      const v = operandValue(p.to, c);
      if (v === null || sql.startsWith('NULL::')) return 'FALSE';
      return `COALESCE(${sql} < ${c.params.p(v, type)}, FALSE)`;
    }
    case 'in': {
      const { sql } = col(p.field, c);
      if (!p.values.length || sql.startsWith('NULL::')) return 'FALSE';
      return `COALESCE(${sql} IN (${p.values.map((v) => c.params.p(v)).join(', ')}), FALSE)`;
    }
    case 'isNull':
      return `(${col(p.field, c).sql} IS NULL)`;
    case 'includesViewer':
      return `EXISTS (SELECT 1 FROM document_member wm WHERE wm.document_id = d.id AND wm.user_id = ${c.params.p(c.viewer.userId, 'uuid')} AND wm.kind = 'WATCHER')`;
    case 'viewerHasRole':
      return c.viewer.roles.includes(p.role) ? 'TRUE' : 'FALSE';
    case 'viewerHasRoleIn': {
      if (!c.viewer.roles.length) return 'FALSE';
      return `COALESCE(${col(p.field, c).sql} IN (${c.viewer.roles.map((r) => c.params.p(r)).join(', ')}), FALSE)`;
    }
  }
}

/**
 * Who may see the document: the access rule itself (domain/access.ts), translated by access-sql.ts. Every box
 * is limited to the viewer's agency (by its exact predicate), so the translation may take that as given.
 */
export function visibilitySql(viewer: InboxViewer, params: SqlParams): string {
  return documentVisibleSql(viewer, params, { ownAgencyOnly: true });
}

/** Columns of `assignment` the box predicates read (all in the covering open-assignment indexes). */
const ASSIGNMENT_COLUMNS = 'x.id, x.document_id, x.unit_id, x.user_id, x.deadline, x.state, x.target';

/**
 * The viewer's ACTIVE assignments in `states` as a derived table `a`: handled by them, or (unit heads) assigned
 * to their unit. Two index-only branches (assignment_user_open_idx, assignment_unit_open_idx) rather than an
 * OR the planner may turn into a full index scan.
 */
function myAssignments(v: InboxViewer, params: SqlParams, states: string): string {
  const me = params.p(v.userId, 'uuid');
  let sql = `SELECT ${ASSIGNMENT_COLUMNS} FROM assignment x WHERE x.user_id = ${me} AND x.active AND x.state IN (${states})`;
  if (v.roles.includes('TRUONG_PHONG') && v.unitId) {
    sql +=
      ` UNION ALL SELECT ${ASSIGNMENT_COLUMNS} FROM assignment x WHERE x.unit_id = ${params.p(v.unitId, 'uuid')} AND x.active AND x.state IN (${states})` +
      ` AND x.user_id IS DISTINCT FROM ${params.p(v.userId, 'uuid')}`;
  }
  return `(${sql}) a`;
}

const ASSIGNMENT_STATES: Partial<Record<InboxBox, string>> = {
  TO_PROCESS: `'PENDING'`,
  IN_PROGRESS: `'PENDING', 'IN_PROGRESS'`,
  OVERDUE: `'PENDING', 'IN_PROGRESS'`,
};

/**
 * A necessary condition of each box (a superset of its rows), shaped for the indexes. `null` = the box is
 * empty for this viewer whatever the data (e.g. TO_REGISTER for someone who is not a văn thư).
 * The agency is tested here only where an (agency, direction, state) index scan is the way in; elsewhere the
 * exact predicate tests it (a plain test would tempt the planner into AND-ing a 100 000-row agency bitmap).
 */
function candidateSql(box: InboxBox, v: InboxViewer, today: PlainDate, params: SqlParams): string | null {
  const agency = () => `d.agency_id = ${params.p(v.agencyId, 'uuid')}`;
  const me = () => params.p(v.userId, 'uuid');
  switch (box) {
    case 'TO_REGISTER':
      if (!v.roles.includes('VAN_THU')) return null;
      return `${agency()} AND d.direction = 'INCOMING' AND d.state IN ('RECEIVED', 'REGISTERED', 'RETURNED')`;
    case 'TO_ANNOTATE':
      // (the agency is checked by the exact predicate: a plain test here would make the planner AND in an agency index)
      return `((d.state = 'SUBMITTED' AND d.submitted_to_id = ${me()}) OR (d.state = 'RETURNED' AND d.returned_to_id = ${me()}))`;
    case 'TO_PROCESS':
    case 'IN_PROGRESS':
      return 'TRUE'; // the assignments come from myAssignments()
    case 'OVERDUE':
      return `COALESCE(a.deadline, d.deadline) < ${params.p(today, 'date')}`;
    case 'TO_APPROVE':
      return `${agency()} AND d.direction = 'OUTGOING' AND d.state = 'IN_APPROVAL'`;
    case 'TO_SIGN':
      return `${agency()} AND d.direction = 'OUTGOING' AND d.state = 'APPROVED'${v.roles.includes('LANH_DAO') ? '' : ` AND d.signer_id = ${me()}`}`;
    case 'TO_ISSUE':
      if (!v.roles.includes('VAN_THU')) return null;
      return `${agency()} AND d.direction = 'OUTGOING' AND d.state = 'SIGNED'`;
    case 'DRAFTS':
      return `d.drafter_id = ${me()} AND d.state IN ('DRAFT', 'RETURNED_TO_DRAFTER')`;
    case 'WATCHING':
      // three index conditions OR-ed into one bitmap scan of `document` (no join back by id)
      return (
        `((d.annotated_by_id = ${me()} AND d.state IN ('ASSIGNED', 'IN_PROGRESS'))` +
        ` OR (d.drafter_id = ${me()} AND d.state IN ('IN_APPROVAL', 'APPROVED', 'SIGNED'))` +
        ` OR d.id = ANY(ARRAY(SELECT m.document_id FROM document_member m WHERE m.user_id = ${me()} AND m.kind = 'WATCHER')))`
      );
  }
}

/** Urgency rank, negated so that every sort key is ascending: HOA_TOC -3 … THUONG 0. */
export const NEG_URGENCY_RANK_SQL = `(CASE d.urgency WHEN 'HOA_TOC' THEN -3 WHEN 'THUONG_KHAN' THEN -2 WHEN 'KHAN' THEN -1 ELSE 0 END)`;

export interface InboxSqlFilter {
  direction?: 'INCOMING' | 'OUTGOING' | null;
  urgency?: string | null;
  /** Already folded (foldVietnamese) free text. */
  search?: string | null;
  /** Only these documents (the boxes of a search result page). */
  ids?: readonly string[] | null;
}

/** The searchable text of `d`: số và ký hiệu, trích yếu, nơi ban hành (name typed, else the issuing agency's). */
const SEARCH_TEXT_SQL =
  `lower(f_unaccent(COALESCE(d.symbol, '') || ' ' || d.subject || ' ' || ` +
  `COALESCE(d.issuer_name, (SELECT ia.name FROM agency ia WHERE ia.id = d.issuer_agency_id), '')))`;

/**
 * Every word must occur in the text (diacritics and case ignored; LIKE wildcards literal); a word of digits also
 * matches the số đến exactly ("15" finds số đến 15).
 */
export function searchSql(folded: string, params: SqlParams): string[] {
  const parts: string[] = [];
  for (const word of folded.split(' ').filter(Boolean)) {
    const like = `${SEARCH_TEXT_SQL} LIKE ${params.p(`%${escapeLike(word)}%`)}`;
    parts.push(/^\d{1,9}$/.test(word) ? `(${like} OR COALESCE(d.incoming_number = ${params.p(Number(word), 'int')}, FALSE))` : like);
  }
  return parts;
}

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

function filterSql(f: InboxSqlFilter | undefined, params: SqlParams): string {
  const parts: string[] = [];
  if (f?.direction) parts.push(`d.direction = ${params.p(f.direction)}`);
  if (f?.urgency) parts.push(`d.urgency = ${params.p(f.urgency)}`);
  if (f?.search) parts.push(...searchSql(f.search, params));
  if (f?.ids) parts.push(f.ids.length ? `d.id IN (${f.ids.map((id) => params.p(id, 'uuid')).join(', ')})` : 'FALSE');
  return parts.length ? ` AND ${parts.join(' AND ')}` : '';
}

/**
 * One row per document of the box: `id`, and the sort key `nrank` (negated urgency rank), `dkey` (effective
 * deadline, 'infinity' when none), `ts` (received/created). ORDER BY nrank, dkey, ts, id = INBOX_ORDER.
 * Returns null when the box is necessarily empty for the viewer.
 */
export function boxRowsSql(box: InboxBox, viewer: InboxViewer, today: PlainDate, params: SqlParams, filter?: InboxSqlFilter): string | null {
  const def = INBOX_BOXES[box];
  // (the derived table's parameters come first: they precede the WHERE clause in the SQL text)
  const source = def.level === 'ASSIGNMENT' ? `${myAssignments(viewer, params, ASSIGNMENT_STATES[box]!)} JOIN document d ON d.id = a.document_id` : 'document d';
  const candidate = candidateSql(box, viewer, today, params);
  if (candidate === null) return null;
  const exact = predicateSql(def.predicate, { viewer, today, level: def.level, params });
  const visible = visibilitySql(viewer, params);
  const extra = filterSql(filter, params);
  const ts = 'COALESCE(d.received_at, d.created_at)';
  if (def.level === 'DOCUMENT') {
    return (
      `SELECT d.id, ${NEG_URGENCY_RANK_SQL} AS nrank, COALESCE(d.deadline, 'infinity'::date) AS dkey, ${ts} AS ts` +
      ` FROM document d WHERE ${candidate} AND ${exact} AND ${visible}${extra}`
    );
  }
  return (
    `SELECT d.id, ${NEG_URGENCY_RANK_SQL} AS nrank, MIN(COALESCE(a.deadline, d.deadline, 'infinity'::date)) AS dkey, ${ts} AS ts` +
    ` FROM ${source} WHERE ${candidate} AND ${exact} AND ${visible}${extra} GROUP BY d.id`
  );
}

/**
 * Counts of the three ASSIGNMENT-level boxes in one scan of the viewer's open assignments (their candidate
 * sets are all within it): one row per document with a flag per box, then `c_TO_PROCESS`, `c_IN_PROGRESS`,
 * `c_OVERDUE`.
 */
export function assignmentBoxCountsSql(viewer: InboxViewer, today: PlainDate, params: SqlParams): string {
  const names = ['TO_PROCESS', 'IN_PROGRESS', 'OVERDUE'] as const;
  // parameters in the order of the SQL text: select list, FROM, WHERE
  const flags = names.map((box) => `bool_or(${predicateSql(INBOX_BOXES[box].predicate, { viewer, today, level: 'ASSIGNMENT', params })}) AS "f_${box}"`);
  const source = `${myAssignments(viewer, params, `'PENDING', 'IN_PROGRESS'`)} JOIN document d ON d.id = a.document_id`;
  const visible = visibilitySql(viewer, params);
  const counts = names.map((box) => `count(*) FILTER (WHERE g."f_${box}") AS "c_${box}"`);
  return `SELECT ${counts.join(', ')} FROM (SELECT ${flags.join(', ')} FROM ${source} WHERE ${visible} GROUP BY d.id) g`;
}
