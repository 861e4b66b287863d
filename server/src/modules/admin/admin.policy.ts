/**
 * Administration rules (pure; one rule per capability, enforced in the services, mirrored by the UI).
 * - The agency tree (create, rename, move, deactivate agencies): only QUAN_TRI of the operator agency
 *   (đơn vị vận hành, `Agency.operator`).
 * - Units, users, sessions of others, the audit log of an agency: its own QUAN_TRI, or the operator's.
 * Outcomes: 'OK'; 'FORBIDDEN' for someone who is no administrator at all; 'NOT_FOUND' for an agency
 * administrator reaching into another agency (never reveal that it exists).
 */
import { hasRole, isOperatorAdmin, type PolicyContext } from '../identity/identity.policy';
import type { Role } from '../identity/roles';

export type { PolicyContext };
export type Access = 'OK' | 'FORBIDDEN' | 'NOT_FOUND';

/** Any administrator (of an agency or of the deployment). */
export const isAdmin = (c: PolicyContext): boolean => hasRole(c.actor, 'QUAN_TRI');

/** Manage the agency tree: create, rename, move, (de)activate agencies. */
export const canManageAgencies = (c: PolicyContext): Access => (isOperatorAdmin(c) ? 'OK' : 'FORBIDDEN');

/** Administer what belongs to `agencyId`: units, users (and their sessions), the audit log. */
export function canAdministerAgency(c: PolicyContext, agencyId: string): Access {
  if (!isAdmin(c)) return 'FORBIDDEN';
  if (isOperatorAdmin(c) || c.actor.agencyId === agencyId) return 'OK';
  return 'NOT_FOUND';
}

/** Read the audit log of every agency at once (no agency filter). */
export const canViewAllAudit = (c: PolicyContext): boolean => isOperatorAdmin(c);

/**
 * An administrator may not lock themselves out: deactivate their own account or take their own QUAN_TRI
 * role away (another administrator must do it). Returns the reason, or null.
 */
export function selfLockout(c: PolicyContext, targetUserId: string, change: { active?: boolean; roles?: readonly Role[] }): string | null {
  if (c.actor.userId !== targetUserId) return null;
  if (change.active === false) return 'Bạn không thể tự khóa tài khoản của mình.';
  if (change.roles && !change.roles.includes('QUAN_TRI')) return 'Bạn không thể tự bỏ vai trò quản trị của mình.';
  return null;
}

/** The operator agency and the administrator's own agency cannot be deactivated (nobody could administer). */
export function agencyDeactivationBlocked(c: PolicyContext, agency: { id: string; operator: boolean }): string | null {
  if (agency.operator) return 'Không thể ngừng hoạt động đơn vị vận hành hệ thống.';
  if (agency.id === c.actor.agencyId) return 'Không thể ngừng hoạt động cơ quan của chính bạn.';
  return null;
}

/** A session may be ended by its owner, or by an administrator of the owner's agency. */
export function canEndSessionOf(c: PolicyContext, owner: { userId: string; agencyId: string }): Access {
  if (owner.userId === c.actor.userId) return 'OK';
  return canAdministerAgency(c, owner.agencyId);
}
