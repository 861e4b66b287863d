/**
 * A viewer's personal access set (search at scale): for a viewer WITHOUT an agency-wide grant (not văn thư,
 * leader or archivist: a chuyên viên, a trưởng phòng …) every rule of ACCESS_RULES that can hold for them
 * needs a fact naming them or their unit — an assignment, a watcher / named-reader membership, a place in the
 * document's chain. The documents carrying such a fact are found through indexes (assignment.user_id /
 * unit_id, document_member.user_id, the participant GIN indexes of document), so a search narrows its
 * candidates to that set first instead of visiting every match of a big agency to test the rule row by row.
 *
 * The set is a SUPERSET of what the viewer may read (a rule's conditions must ALL hold, so a document granted
 * by a rule carries that rule's personal fact); the access predicate itself (documents/access-sql.ts) is still
 * applied on top, unchanged — the narrowing changes the plan, never the result. Derived from the same rule
 * list as access.ts and access-sql.ts, so a new rule cannot be forgotten here: a rule without a personal
 * condition makes the viewer "agency-wide" (no narrowing).
 */
import { ACCESS_RULES, type AccessCondition, type AccessViewer } from '../documents/domain/access';
import type { SqlParams } from '../documents/inbox-sql';

export type PersonalAnchor = 'assigneeUserIds' | 'watcherIds' | 'participantUserIds' | 'namedReaderIds' | 'assigneeUnitIds';

/** The participant columns of `document` (documents.policy.ts participantsOf; access-sql.ts PARTICIPANT_COLUMNS). */
export const PARTICIPANT_COLUMNS = ['submitted_to_id', 'annotated_by_id', 'returned_to_id', 'drafter_id', 'signer_id', 'signed_by_id', 'issued_by_id'] as const;
/** The indexed expression of the participant GIN index (migration SearchPersonalSet): the same text, or PostgreSQL will not use it. */
export const PARTICIPANT_ARRAY_SQL = `ARRAY[${PARTICIPANT_COLUMNS.map((c) => `d.${c}`).join(', ')}]`;

const personal = (c: AccessCondition): PersonalAnchor | null => ('viewerIn' in c ? c.viewerIn : 'viewerUnitIn' in c ? c.viewerUnitIn : null);

/**
 * The anchors of the viewer's rules (searching their own agency), or null when some rule that can hold for them
 * needs no personal fact (an agency-wide grant: văn thư, leader, archivist) — then there is no narrowing.
 */
export function personalAnchors(viewer: AccessViewer): Set<PersonalAnchor> | null {
  const anchors = new Set<PersonalAnchor>();
  for (const rule of ACCESS_RULES) {
    const cannotHold = rule.when.some(
      (c) =>
        ('viewerRole' in c && !c.viewerRole.some((r) => viewer.roles.includes(r))) ||
        ('viewerUnitIn' in c && !viewer.unitId) ||
        // the search covers the viewer's own agency only: "delivered to the viewer's agency" never holds there
        ('doc' in c && c.doc === 'DELIVERED_TO_VIEWER_AGENCY'),
    );
    if (cannotHold) continue;
    const anchor = rule.when.map(personal).find((a): a is PersonalAnchor => a !== null);
    if (!anchor) return null;
    anchors.add(anchor);
  }
  return anchors;
}

/**
 * `s.document_id IN (…)`: the documents of the viewer's agency carrying one of the anchors' facts, or null when
 * the viewer has an agency-wide grant. `s` is the search_document row.
 */
export function personalSetSql(viewer: AccessViewer, params: SqlParams): string | null {
  const anchors = personalAnchors(viewer);
  if (!anchors) return null;
  const parts: string[] = [];
  if (anchors.has('assigneeUserIds')) parts.push(`SELECT xa.document_id FROM assignment xa WHERE xa.user_id = ${params.p(viewer.userId, 'uuid')}`);
  if (anchors.has('assigneeUnitIds') && viewer.unitId) parts.push(`SELECT xu.document_id FROM assignment xu WHERE xu.unit_id = ${params.p(viewer.unitId, 'uuid')}`);
  const kinds = [anchors.has('watcherIds') ? 'WATCHER' : null, anchors.has('namedReaderIds') ? 'READER' : null].filter((k): k is string => k !== null);
  if (kinds.length) parts.push(`SELECT xm.document_id FROM document_member xm WHERE xm.user_id = ${params.p(viewer.userId, 'uuid')} AND xm.kind IN (${kinds.map((k) => params.p(k)).join(', ')})`);
  if (anchors.has('participantUserIds')) {
    parts.push(`SELECT d.id FROM document d WHERE ${PARTICIPANT_ARRAY_SQL} @> ARRAY[${params.p(viewer.userId, 'uuid')}]`);
    parts.push(`SELECT d.id FROM document d WHERE d.approval_chain @> jsonb_build_array(jsonb_build_object('kind', 'USER', 'userId', ${params.p(viewer.userId, 'text')}))`);
  }
  if (!parts.length) return 'FALSE';
  return `s.document_id IN (${parts.join(' UNION ')})`;
}
