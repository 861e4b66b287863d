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
 * Nobody else: not other members of an assigned unit (until the unit head designates them), not
 * QUAN_TRI (administrators manage users, not content), not LUU_TRU (archives are a later stage).
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
}

export type AccessGrant =
  | 'NAMED_READER'
  | 'AGENCY_VAN_THU'
  | 'AGENCY_LEADER'
  | 'ASSIGNEE'
  | 'UNIT_HEAD'
  | 'WATCHER'
  | 'PARTICIPANT'
  | 'RECIPIENT_AGENCY';

const isGatekeeper = (v: AccessViewer) => v.roles.includes('VAN_THU') || v.roles.includes('LANH_DAO');

/** Why the viewer may see the document (the first matching rule), or null if they may not. */
export function accessGrant(viewer: AccessViewer, doc: DocumentAccessInfo): AccessGrant | null {
  const own = viewer.agencyId === doc.agencyId;
  const recipient = !own && doc.deliveredToAgencyIds.includes(viewer.agencyId);
  const named = doc.namedReaderIds.includes(viewer.userId);

  if (isSecret(doc.secrecy)) return named && (own || recipient) ? 'NAMED_READER' : null;

  if (own) {
    if (viewer.roles.includes('VAN_THU')) return 'AGENCY_VAN_THU';
    if (viewer.roles.includes('LANH_DAO')) return 'AGENCY_LEADER';
    if (doc.assigneeUserIds.includes(viewer.userId)) return 'ASSIGNEE';
    if (viewer.roles.includes('TRUONG_PHONG') && viewer.unitId !== null && doc.assigneeUnitIds.includes(viewer.unitId)) return 'UNIT_HEAD';
    if (doc.watcherIds.includes(viewer.userId)) return 'WATCHER';
    if (doc.participantUserIds?.includes(viewer.userId)) return 'PARTICIPANT';
    if (named) return 'NAMED_READER';
    return null;
  }
  if (recipient && isGatekeeper(viewer)) return 'RECIPIENT_AGENCY';
  return null;
}

/** May the viewer see the document? */
export function canView(viewer: AccessViewer, doc: DocumentAccessInfo): boolean {
  return accessGrant(viewer, doc) !== null;
}
