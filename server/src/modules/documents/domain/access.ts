/**
 * Who may see a document (pure). The SQL layer must implement the same rule in its WHERE clause; the
 * tests here are the reference.
 *
 * A NON-SECRET document is visible to:
 * - the văn thư (VAN_THU) and the leaders (LANH_DAO) of the agency that owns the record;
 * - its assignees: people handling an assignment, and the heads (TRUONG_PHONG) of assigned units;
 * - its watchers and the other people in its chain (participants: the leaders it was submitted to or
 *   annotated by; the drafter, approvers and signer of an outgoing document), and explicitly named readers;
 *   all of these only within the owning agency (a stale id from another agency grants nothing);
 * - the văn thư and leaders of each recipient agency it has been DELIVERED to (not before delivery,
 *   and not after a recall is accepted — the service removes the agency from `deliveredToAgencyIds`).
 *   Other people of the recipient agency see the recipient's own incoming record, governed by this rule.
 *
 * A SECRET document (Mật, Tối mật, Tuyệt mật) is visible ONLY to the people named on it (`namedReaderIds`),
 * and only if they belong to the owning agency or to a delivered recipient agency. No role sees secret
 * documents by default — not the văn thư, not leaders, not administrators: the service must name the
 * văn thư who registers it, the leader, the assignees.
 *
 * - the archivists (LUU_TRU) of the owning agency, once it is in the agency archive (`archived`: transferred
 *   with its hồ sơ — nộp lưu — or imported as a paper-archive document). Leaders already see their agency's.
 *
 * Nobody else: not other members of an assigned unit (until the unit head designates them), not
 * QUAN_TRI (administrators manage users, not content), not LUU_TRU before the document reaches the archive.
 *
 * WHAT they see (the facet): the owning agency sees the whole record (FULL). A recipient agency sees the
 * document as it was sent (RECIPIENT): the issued files (bản chính, phụ lục — not the draft versions), the
 * delivery facts (issue, delivery, recipient statuses) and nothing of the sender's internal handling
 * (comments, assignments, watchers, the rest of the audit trail). Nghị định 30/2020/NĐ-CP, Điều 16–17:
 * what is sent is the issued document; the drafting record stays in the sender's hồ sơ.
 */
import type { Role } from '../../identity/roles';
import { isSecret, type Secrecy } from './markings';

export interface AccessViewer {
  userId: string;
  agencyId: string;
  unitId: string | null;
  roles: readonly Role[];
}

export interface DocumentAccessInfo {
  /** The agency owning this record: the receiving agency (incoming) or the issuing agency (outgoing). */
  agencyId: string;
  secrecy: Secrecy;
  /** People handling (or who handled) an assignment. */
  assigneeUserIds: readonly string[];
  /** Units assigned; their heads may see the document. */
  assigneeUnitIds: readonly string[];
  watcherIds: readonly string[];
  /** People in the chain: submitted-to / annotating leaders, drafter, approvers, signer. */
  participantUserIds?: readonly string[];
  /** Secret documents: the only people who may see it. Non-secret: extra readers of the owning agency. */
  namedReaderIds: readonly string[];
  /** Recipient agencies the document has been delivered to (outgoing). */
  deliveredToAgencyIds: readonly string[];
  /** In the agency archive (Document.archivedAt set). Absent = false. */
  archived?: boolean;
}

export type AccessGrant =
  | 'NAMED_READER'
  | 'AGENCY_VAN_THU'
  | 'AGENCY_LEADER'
  | 'ASSIGNEE'
  | 'UNIT_HEAD'
  | 'WATCHER'
  | 'PARTICIPANT'
  | 'RECIPIENT_AGENCY'
  | 'ARCHIVIST';

/**
 * One condition of an access rule, on the viewer and the document's access facts. The rules below are DATA:
 * `accessGrant` interprets them here, and access-sql.ts translates the very same list into the SQL WHERE
 * clause of every list query (inbox boxes, registers), so the two cannot drift apart.
 */
export type AccessCondition =
  /** Mật, Tối mật, Tuyệt mật. */
  | { doc: 'SECRET' }
  | { doc: 'NOT_SECRET' }
  /** The viewer belongs to the agency owning the record. */
  | { doc: 'OWN_AGENCY' }
  /** The record was delivered to the viewer's agency (an agency other than the owner). */
  | { doc: 'DELIVERED_TO_VIEWER_AGENCY' }
  /** Either of the two above. */
  | { doc: 'OWN_OR_DELIVERED' }
  /** In the agency archive (nộp lưu / imported archive). */
  | { doc: 'ARCHIVED' }
  /** The viewer has one of these roles. */
  | { viewerRole: readonly Role[] }
  /** The viewer is in this list of the document's facts. */
  | { viewerIn: 'assigneeUserIds' | 'watcherIds' | 'participantUserIds' | 'namedReaderIds' }
  /** The viewer's unit is one of the assigned units. */
  | { viewerUnitIn: 'assigneeUnitIds' };

export interface AccessRule {
  grant: AccessGrant;
  /** All must hold. */
  when: readonly AccessCondition[];
}

const GATEKEEPERS: readonly Role[] = ['VAN_THU', 'LANH_DAO'];

/** The access rule, in order: the first rule that holds gives the grant. */
export const ACCESS_RULES: readonly AccessRule[] = [
  { grant: 'NAMED_READER', when: [{ doc: 'SECRET' }, { viewerIn: 'namedReaderIds' }, { doc: 'OWN_OR_DELIVERED' }] },
  { grant: 'AGENCY_VAN_THU', when: [{ doc: 'NOT_SECRET' }, { doc: 'OWN_AGENCY' }, { viewerRole: ['VAN_THU'] }] },
  { grant: 'AGENCY_LEADER', when: [{ doc: 'NOT_SECRET' }, { doc: 'OWN_AGENCY' }, { viewerRole: ['LANH_DAO'] }] },
  { grant: 'ASSIGNEE', when: [{ doc: 'NOT_SECRET' }, { doc: 'OWN_AGENCY' }, { viewerIn: 'assigneeUserIds' }] },
  { grant: 'UNIT_HEAD', when: [{ doc: 'NOT_SECRET' }, { doc: 'OWN_AGENCY' }, { viewerRole: ['TRUONG_PHONG'] }, { viewerUnitIn: 'assigneeUnitIds' }] },
  { grant: 'WATCHER', when: [{ doc: 'NOT_SECRET' }, { doc: 'OWN_AGENCY' }, { viewerIn: 'watcherIds' }] },
  { grant: 'PARTICIPANT', when: [{ doc: 'NOT_SECRET' }, { doc: 'OWN_AGENCY' }, { viewerIn: 'participantUserIds' }] },
  { grant: 'NAMED_READER', when: [{ doc: 'NOT_SECRET' }, { doc: 'OWN_AGENCY' }, { viewerIn: 'namedReaderIds' }] },
  { grant: 'RECIPIENT_AGENCY', when: [{ doc: 'NOT_SECRET' }, { doc: 'DELIVERED_TO_VIEWER_AGENCY' }, { viewerRole: GATEKEEPERS }] },
  { grant: 'ARCHIVIST', when: [{ doc: 'NOT_SECRET' }, { doc: 'OWN_AGENCY' }, { viewerRole: ['LUU_TRU'] }, { doc: 'ARCHIVED' }] },
];

/** Does one condition hold (the reference meaning of each condition; access-sql.ts must agree)? */
export function accessConditionHolds(c: AccessCondition, viewer: AccessViewer, doc: DocumentAccessInfo): boolean {
  if ('viewerRole' in c) return c.viewerRole.some((r) => viewer.roles.includes(r));
  if ('viewerIn' in c) return (doc[c.viewerIn] ?? []).includes(viewer.userId);
  if ('viewerUnitIn' in c) return viewer.unitId !== null && doc[c.viewerUnitIn].includes(viewer.unitId);
  const own = viewer.agencyId === doc.agencyId;
  const delivered = !own && doc.deliveredToAgencyIds.includes(viewer.agencyId);
  switch (c.doc) {
    case 'SECRET':
      return isSecret(doc.secrecy);
    case 'NOT_SECRET':
      return !isSecret(doc.secrecy);
    case 'OWN_AGENCY':
      return own;
    case 'DELIVERED_TO_VIEWER_AGENCY':
      return delivered;
    case 'OWN_OR_DELIVERED':
      return own || delivered;
    case 'ARCHIVED':
      return doc.archived === true;
  }
}

/** Why the viewer may see the document (the first matching rule), or null if they may not. */
export function accessGrant(viewer: AccessViewer, doc: DocumentAccessInfo): AccessGrant | null {
  for (const rule of ACCESS_RULES) if (rule.when.every((c) => accessConditionHolds(c, viewer, doc))) return rule.grant;
  return null;
}

/** May the viewer see the document? */
export function canView(viewer: AccessViewer, doc: DocumentAccessInfo): boolean {
  return accessGrant(viewer, doc) !== null;
}

/** What a viewer sees of a document they may see: the whole record, or the record as it was sent. */
export type ViewFacet = 'FULL' | 'RECIPIENT';

/** What the viewer sees of the document: FULL for the owning agency, RECIPIENT for a delivered agency, null for nothing. */
export function viewFacet(viewer: AccessViewer, doc: DocumentAccessInfo): ViewFacet | null {
  if (accessGrant(viewer, doc) === null) return null;
  return viewer.agencyId === doc.agencyId ? 'FULL' : 'RECIPIENT';
}

/** File kinds a RECIPIENT sees: the issued bản chính and phụ lục (never the draft versions). */
export const RECIPIENT_FILE_KINDS: readonly string[] = ['MAIN', 'ATTACHMENT'];

/** History (audit) actions a RECIPIENT sees: the delivery facts. */
export const RECIPIENT_HISTORY_ACTIONS: readonly string[] = ['document.issue', 'document.deliver', 'document.recipient_status'];

/** May a viewer with this facet see a file of this kind? */
export const facetShowsFile = (facet: ViewFacet, kind: string): boolean => facet === 'FULL' || RECIPIENT_FILE_KINDS.includes(kind);

/**
 * May a viewer with this facet see a history event? A recipient: the delivery facts about its own agency
 * (the issue; the status reports of its own record, not other recipients' — their refusals are theirs).
 */
export function facetShowsHistory(
  facet: ViewFacet,
  event: { action: string; targetType: string; data?: Record<string, unknown> | null },
  viewerAgencyId: string,
): boolean {
  if (facet === 'FULL') return true;
  if (event.targetType !== 'document' || !RECIPIENT_HISTORY_ACTIONS.includes(event.action)) return false;
  const about = event.data?.recipientAgencyId;
  return about === undefined || about === viewerAgencyId;
}

/** May a viewer with this facet see a recipient row (nơi nhận)? A recipient: only its own agency's row. */
export const facetShowsRecipient = (facet: ViewFacet, recipientAgencyId: string | null, viewerAgencyId: string): boolean =>
  facet === 'FULL' || recipientAgencyId === viewerAgencyId;

/** Internal handling (comments, assignments, watchers, progress) is for the FULL facet only. */
export const facetShowsInternal = (facet: ViewFacet): boolean => facet === 'FULL';

/**
 * Who may see a scan (bản quét uploaded before registration, or imported). Secrecy follows the bytes: once
 * a document of the agency holds them, only those who may see one of those documents see the scan (a scan
 * registered into a MẬT document is as secret as the document). Before that: its uploader and the agency's
 * văn thư (who registers imported scans). Never another agency.
 */
export interface ScanAccessInfo {
  agencyId: string;
  uploaderId: string | null;
  /** For each document of the agency holding the scan's bytes: may the viewer see it (canView)? */
  attachedVisible: readonly boolean[];
}

export function canViewScan(viewer: AccessViewer, scan: ScanAccessInfo): boolean {
  if (viewer.agencyId !== scan.agencyId) return false;
  if (scan.attachedVisible.length) return scan.attachedVisible.some(Boolean);
  return scan.uploaderId === viewer.userId || viewer.roles.includes('VAN_THU');
}
