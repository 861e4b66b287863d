/**
 * Who may do what with signing credentials (pure). Enforced in SigningService.
 * - personal certificate (upload PKCS#12 / register a token certificate): any active user, for themself;
 * - the agency certificate: quản trị of the agency uploads it; văn thư and quản trị see it
 *   (only the văn thư applies it, through the issuing flow — NĐ 30 Điều 32–33);
 * - external signing (prepare/complete): the caller, on a file of a document they may see.
 */
import type { Actor } from '../../shared/scope';

export const canManageAgencyCredential = (a: Actor): boolean => a.roles.includes('QUAN_TRI');
export const canSeeAgencyCredential = (a: Actor): boolean => a.roles.includes('QUAN_TRI') || a.roles.includes('VAN_THU');
