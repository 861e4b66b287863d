/**
 * Who is acting, and the role/relation predicates the workflow and inbox rules share (pure).
 */
import type { Role } from '../../identity/roles';

/** A signed-in user as the domain sees them. */
export interface Actor {
  userId: string;
  agencyId: string;
  unitId: string | null;
  roles: readonly Role[];
}

/** An actor plus the clock (and id source) of one request: every transition gets it. */
export interface ActorContext extends Actor {
  /** The current instant; the domain never reads the clock itself. */
  now: Date;
  /** The agency's time zone (default Asia/Ho_Chi_Minh) for "today". */
  timeZone?: string;
  /** Id source for created records (assignments); default: UUID v7. Pass a counter in tests. */
  newId?: () => string;
}

/** Another person named in an action (the leader submitted to, the colleague re-assigned to …). */
export type PersonRef = Actor;

export const hasRole = (a: Pick<Actor, 'roles'>, role: Role): boolean => a.roles.includes(role);

/** Văn thư of that agency. */
export const isVanThuOf = (a: Actor, agencyId: string): boolean => a.agencyId === agencyId && hasRole(a, 'VAN_THU');

/** Lãnh đạo of that agency. */
export const isLeaderOf = (a: Actor, agencyId: string): boolean => a.agencyId === agencyId && hasRole(a, 'LANH_DAO');

/** Trưởng phòng (head) of that unit. Units belong to one agency, so the unit id suffices. */
export const isUnitHeadOf = (a: Actor, unitId: string | null | undefined): boolean =>
  !!unitId && a.unitId === unitId && hasRole(a, 'TRUONG_PHONG');

/** May receive a submitted incoming document (trình): a leader, or a unit head (e.g. Chánh Văn phòng). */
export const canReceiveSubmission = (p: PersonRef, agencyId: string): boolean =>
  p.agencyId === agencyId && (hasRole(p, 'LANH_DAO') || hasRole(p, 'TRUONG_PHONG'));
