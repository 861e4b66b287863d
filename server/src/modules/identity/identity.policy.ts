import type { Actor } from '../../shared/scope';
import type { Role } from './roles';

/**
 * Authorisation rules of the identity module (pure). Services call these; the UI only mirrors them.
 * `isOperatorAdmin`: QUAN_TRI of the operator agency (đơn vị vận hành) administers every agency.
 */
export interface PolicyContext {
  actor: Actor;
  actorAgencyIsOperator: boolean;
}

export const hasRole = (actor: Actor, ...roles: Role[]): boolean => roles.some((r) => actor.roles.includes(r));

export const isOperatorAdmin = (c: PolicyContext): boolean => c.actorAgencyIsOperator && hasRole(c.actor, 'QUAN_TRI');

/** May list and manage the users of `agencyId`. */
export const canManageUsersOf = (c: PolicyContext, agencyId: string): boolean =>
  isOperatorAdmin(c) || (hasRole(c.actor, 'QUAN_TRI') && c.actor.agencyId === agencyId);

/** The organisation chart (agencies, units) is visible to every signed-in user of the deployment. */
export const canViewOrganisation = (_c: PolicyContext): boolean => true;

/** May change the agency's configuration (document types, numbering, approval chain): its own QUAN_TRI. */
export const canConfigureAgency = (actor: Actor, agencyId: string): boolean => actor.agencyId === agencyId && hasRole(actor, 'QUAN_TRI');
