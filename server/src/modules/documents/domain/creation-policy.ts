/**
 * Who may START a document (pure): once it exists, what anyone may do with it is decided by the workflows
 * (incoming-workflow.ts, outgoing-workflow.ts) and who may see it by access.ts.
 * - Vào sổ văn bản đến: the văn thư (NĐ 30/2020/NĐ-CP Điều 20–21: văn thư tiếp nhận, đăng ký văn bản đến).
 * - Soạn dự thảo văn bản đi: chuyên viên, trưởng phòng, lãnh đạo (Điều 10: đơn vị, cá nhân được giao soạn thảo).
 * - Người ký: a leader of the agency (Điều 13: thẩm quyền ký thuộc người đứng đầu hoặc cấp phó).
 */
import type { Role } from '../../identity/roles';

export const DRAFTING_ROLES: readonly Role[] = ['CHUYEN_VIEN', 'TRUONG_PHONG', 'LANH_DAO'];

export const canRegisterIncoming = (viewer: { roles: readonly Role[] }): boolean => viewer.roles.includes('VAN_THU');

export const canDraftOutgoing = (viewer: { roles: readonly Role[] }): boolean => DRAFTING_ROLES.some((r) => viewer.roles.includes(r));

/** May this user be named as the signer (người ký) of the agency's documents? */
export const canBeSigner = (user: { roles: readonly Role[] }): boolean => user.roles.includes('LANH_DAO');
