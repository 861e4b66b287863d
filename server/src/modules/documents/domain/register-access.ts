/**
 * Who may print the registers (sổ đăng ký văn bản đến / đi, sổ theo dõi giải quyết — NĐ 30/2020/NĐ-CP Phụ
 * lục IV) and see the agency's statistics, and which rows of a register a viewer sees (pure).
 *
 * - Registers: VAN_THU, LANH_DAO and LUU_TRU of the agency (the register is the agency's book, kept by its văn
 *   thư and handed to the archive); FOLLOW_UP also TRUONG_PHONG, limited to the documents assigned to their unit.
 * - Rows: every ordinary document of the agency; a secret one (Mật …, numbered in its own register) only for
 *   a viewer who may see it by the document access rule (access.ts: the people named on it).
 * - Statistics (aggregate figures, no document content), each role its scope: LANH_DAO, VAN_THU and LUU_TRU the
 *   whole agency (AGENCY); the QUAN_TRI of the operator agency (đơn vị vận hành) any agency; a TRUONG_PHONG
 *   the work assigned to their unit (UNIT); a CHUYEN_VIEN their own assignments (SELF).
 */
import type { Role } from '../../identity/roles';
import { canView, type AccessViewer, type DocumentAccessInfo } from './access';
import { isSecret } from './markings';

export const REGISTER_ROLES: readonly Role[] = ['VAN_THU', 'LANH_DAO', 'LUU_TRU'];
export const STATISTICS_ROLES: readonly Role[] = ['LANH_DAO', 'VAN_THU', 'LUU_TRU'];

const hasAny = (v: Pick<AccessViewer, 'roles'>, roles: readonly Role[]) => roles.some((r) => v.roles.includes(r));

export type RegisterKind = 'INCOMING' | 'OUTGOING' | 'FOLLOW_UP';

/**
 * Which part of the register the viewer may print: the whole agency's, only their unit's (FOLLOW_UP for a
 * unit head), or nothing (null).
 */
export function registerExportScope(viewer: AccessViewer, kind: RegisterKind): { kind: 'AGENCY' } | { kind: 'UNIT'; unitId: string } | null {
  if (hasAny(viewer, REGISTER_ROLES)) return { kind: 'AGENCY' };
  if (kind === 'FOLLOW_UP' && viewer.roles.includes('TRUONG_PHONG') && viewer.unitId) return { kind: 'UNIT', unitId: viewer.unitId };
  return null;
}

/**
 * The secret registers (sổ đăng ký văn bản đến / đi mật, and the follow-up of secret documents — issue 9):
 * only VAN_THU and LANH_DAO of the agency print them (the văn thư keeps the book, the head of the agency answers
 * for it; LUU_TRU and unit heads do not). Each row still only for a viewer named on that document (registerShowsRow).
 */
export const SECRET_REGISTER_ROLES: readonly Role[] = ['VAN_THU', 'LANH_DAO'];

/** May the viewer print the secret registers of their agency? */
export function canExportSecretRegister(viewer: Pick<AccessViewer, 'roles'>): boolean {
  return hasAny(viewer, SECRET_REGISTER_ROLES);
}

/** Does the register of the viewer's agency show this document to them? (access-sql.ts registerRowVisibleSql) */
export function registerShowsRow(viewer: AccessViewer, doc: DocumentAccessInfo): boolean {
  return viewer.agencyId === doc.agencyId && (!isSecret(doc.secrecy) || canView(viewer, doc));
}

/** The part of the statistics a viewer sees: the agency's, their unit's (trưởng phòng), their own (chuyên viên). */
export type StatisticsScope = { kind: 'AGENCY' } | { kind: 'UNIT'; unitId: string } | { kind: 'SELF'; userId: string };

/** Which statistics of `agencyId` the viewer may see (null: none). The widest scope of their roles wins. */
export function statisticsScope(viewer: AccessViewer, agencyId: string, viewerAgencyIsOperator: boolean): StatisticsScope | null {
  const own = viewer.agencyId === agencyId;
  if (own && hasAny(viewer, STATISTICS_ROLES)) return { kind: 'AGENCY' };
  if (viewerAgencyIsOperator && viewer.roles.includes('QUAN_TRI')) return { kind: 'AGENCY' };
  if (own && viewer.roles.includes('TRUONG_PHONG') && viewer.unitId) return { kind: 'UNIT', unitId: viewer.unitId };
  if (own && viewer.roles.includes('CHUYEN_VIEN')) return { kind: 'SELF', userId: viewer.userId };
  return null;
}

/** May the viewer see (some of) the statistics of `agencyId`? */
export function canViewStatistics(viewer: AccessViewer, agencyId: string, viewerAgencyIsOperator: boolean): boolean {
  return statisticsScope(viewer, agencyId, viewerAgencyIsOperator) !== null;
}

/** Does the question need to know whether the viewer's agency is the operator (a DB read)? */
export const statisticsNeedsOperatorCheck = (viewer: AccessViewer, agencyId: string): boolean =>
  !(viewer.agencyId === agencyId && hasAny(viewer, STATISTICS_ROLES)) && viewer.roles.includes('QUAN_TRI');
