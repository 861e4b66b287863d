/**
 * The document access rule (domain/access.ts ACCESS_RULES) as an SQL predicate on `document d`, built from
 * the SAME rule list: each AccessCondition has exactly one translation here, over the same facts that
 * documents.policy.ts `accessInfoForMany` loads (assignments of any state, document_member WATCHER / READER,
 * the chain columns and approval_chain USER steps, recipients delivered and not recalled). Conditions on the
 * viewer alone (roles, unit) are decided while building, so a viewer's predicate keeps only the rules that
 * can hold for them. The differential tests (documents-inbox.test.ts, documents-visibility.test.ts) check
 * that this predicate and `accessGrant` agree for every demo user and document.
 */
import { ACCESS_RULES, type AccessCondition, type AccessViewer } from './domain/access';
import { NOT_DELIVERED_STATUSES } from './documents.policy';
import type { SqlParams } from './inbox-sql';

const TRUE = 'TRUE';
const FALSE = 'FALSE';

/** People in the chain (documents.policy.ts participantsOf): these columns, and USER steps of approval_chain. */
const PARTICIPANT_COLUMNS = ['submitted_to_id', 'annotated_by_id', 'returned_to_id', 'drafter_id', 'signer_id', 'signed_by_id', 'issued_by_id'];

export interface VisibleSqlOptions {
  /**
   * The caller's query already limits `d` to the viewer's own agency (inbox boxes, registers): then "own
   * agency" is TRUE and "delivered to the viewer's agency" FALSE, and those tests are left out of the SQL.
   */
  ownAgencyOnly?: boolean;
}

function conditionSql(c: AccessCondition, v: AccessViewer, params: SqlParams, o: VisibleSqlOptions = {}): string {
  if ('viewerRole' in c) return c.viewerRole.some((r) => v.roles.includes(r)) ? TRUE : FALSE;
  if ('viewerUnitIn' in c) {
    if (!v.unitId) return FALSE;
    return `EXISTS (SELECT 1 FROM assignment xu WHERE xu.document_id = d.id AND xu.unit_id = ${params.p(v.unitId, 'uuid')})`;
  }
  if ('viewerIn' in c) {
    switch (c.viewerIn) {
      case 'assigneeUserIds':
        return `EXISTS (SELECT 1 FROM assignment xa WHERE xa.document_id = d.id AND xa.user_id = ${params.p(v.userId, 'uuid')})`;
      case 'watcherIds':
        return `EXISTS (SELECT 1 FROM document_member xw WHERE xw.document_id = d.id AND xw.user_id = ${params.p(v.userId, 'uuid')} AND xw.kind = 'WATCHER')`;
      case 'namedReaderIds':
        return `EXISTS (SELECT 1 FROM document_member xr WHERE xr.document_id = d.id AND xr.user_id = ${params.p(v.userId, 'uuid')} AND xr.kind = 'READER')`;
      case 'participantUserIds': {
        const cols = PARTICIPANT_COLUMNS.map((col) => `d.${col} = ${params.p(v.userId, 'uuid')}`).join(' OR ');
        const chain = `COALESCE(jsonb_typeof(d.approval_chain) = 'array' AND d.approval_chain @> jsonb_build_array(jsonb_build_object('kind', 'USER', 'userId', ${params.p(v.userId, 'text')})), FALSE)`;
        return `(COALESCE(${cols}, FALSE) OR ${chain})`;
      }
    }
  }
  const own = () => `d.agency_id = ${params.p(v.agencyId, 'uuid')}`;
  const delivered = () =>
    `(d.agency_id <> ${params.p(v.agencyId, 'uuid')} AND EXISTS (SELECT 1 FROM recipient xd WHERE xd.document_id = d.id AND xd.agency_id = ${params.p(v.agencyId, 'uuid')}` +
    ` AND xd.delivered_document_id IS NOT NULL AND (xd.status IS NULL OR xd.status <> ALL (ARRAY[${NOT_DELIVERED_STATUSES.map((s) => params.p(s)).join(', ')}]::text[]))))`;
  switch (c.doc) {
    case 'SECRET':
      return `d.secrecy <> 'THUONG'`;
    case 'NOT_SECRET':
      return `d.secrecy = 'THUONG'`;
    case 'OWN_AGENCY':
      return o.ownAgencyOnly ? TRUE : own();
    case 'DELIVERED_TO_VIEWER_AGENCY':
      return o.ownAgencyOnly ? FALSE : delivered();
    case 'OWN_OR_DELIVERED': {
      if (o.ownAgencyOnly) return TRUE;
      const first = own();
      return `(${first} OR ${delivered()})`;
    }
    case 'ARCHIVED':
      return `d.archived_at IS NOT NULL`;
  }
}

/** Sub-queries cost more than column tests: rules are OR-ed cheapest first (OR is commutative in SQL). */
const isSubquery = (c: AccessCondition) => ('viewerIn' in c && c.viewerIn !== 'participantUserIds') || 'viewerUnitIn' in c || ('doc' in c && (c.doc === 'DELIVERED_TO_VIEWER_AGENCY' || c.doc === 'OWN_OR_DELIVERED'));
const ruleCost = (when: readonly AccessCondition[]) => when.filter(isSubquery).length;

/**
 * `d` is visible to the viewer (some ACCESS_RULES rule holds), two-valued (never NULL). Rules that cannot hold
 * for this viewer (a role or unit they lack, or — ownAgencyOnly — another agency) are left out; FALSE when
 * none can.
 */
export function documentVisibleSql(viewer: AccessViewer, params: SqlParams, options: VisibleSqlOptions = {}): string {
  const remaining: AccessCondition[][] = [];
  const ordered = [...ACCESS_RULES].sort((a, b) => ruleCost(a.when) - ruleCost(b.when));
  for (const rule of ordered) {
    // conditions decided without the database first: they decide whether the rule is in the SQL at all
    // (they spend no parameter, so the parameter order still follows the SQL text)
    const decided = (c: AccessCondition) => {
      if ('viewerRole' in c || ('viewerUnitIn' in c && !viewer.unitId)) return conditionSql(c, viewer, params, options);
      if (options.ownAgencyOnly && 'doc' in c && c.doc !== 'SECRET' && c.doc !== 'NOT_SECRET' && c.doc !== 'ARCHIVED') return conditionSql(c, viewer, params, options);
      return null;
    };
    const fixed = rule.when.map(decided);
    if (fixed.includes(FALSE)) continue;
    remaining.push(rule.when.filter((_c, i) => fixed[i] === null));
  }
  // Absorption (A OR (A AND B) = A): a rule whose remaining conditions include all of another's adds nothing —
  // e.g. for a leader "not secret" absorbs every other non-secret rule.
  const keys = remaining.map((r) => new Set(r.map((c) => JSON.stringify(c))));
  const kept = remaining.filter((_r, i) => !keys.some((other, j) => j !== i && [...other].every((k) => keys[i].has(k)) && (other.size < keys[i].size || j < i)));
  const rules = kept.map((rest) => (rest.length ? `(${rest.map((c) => conditionSql(c, viewer, params, options)).join(' AND ')})` : TRUE));
  return rules.length ? `COALESCE(${rules.join(' OR ')}, FALSE)` : FALSE;
}

/**
 * A row of the agency's register is shown (domain/register-access.ts registerShowsRow): every ordinary
 * document; a secret one only when the access rule lets the viewer see it. The caller limits `d` to the
 * viewer's agency.
 */
export function registerRowVisibleSql(viewer: AccessViewer, params: SqlParams, options: VisibleSqlOptions = {}): string {
  return `(d.secrecy = 'THUONG' OR ${documentVisibleSql(viewer, params, options)})`;
}
