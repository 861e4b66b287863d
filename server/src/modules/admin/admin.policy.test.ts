/** Administration rules: who administers what, and the self-lockout guards. */
import type { Actor } from '../../shared/scope';
import type { Role } from '../identity/roles';
import { agencyDeactivationBlocked, canAdministerAgency, canEndSessionOf, canManageAgencies, canViewAllAudit, selfLockout } from './admin.policy';

const actor = (roles: Role[], agencyId = 'snv', userId = 'u1'): Actor => ({ userId, username: 'x', fullName: 'X', agencyId, unitId: null, roles, sessionId: 's1' });
const operatorAdmin = { actor: actor(['QUAN_TRI'], 'ubnd'), actorAgencyIsOperator: true };
const agencyAdmin = { actor: actor(['QUAN_TRI'], 'snv'), actorAgencyIsOperator: false };
const staff = { actor: actor(['CHUYEN_VIEN', 'TRUONG_PHONG'], 'snv'), actorAgencyIsOperator: false };
const operatorStaff = { actor: actor(['VAN_THU'], 'ubnd'), actorAgencyIsOperator: true };

describe('admin.policy', () => {
  it('only the operator’s QUAN_TRI manage the agency tree and read every agency’s log', () => {
    expect(canManageAgencies(operatorAdmin)).toBe('OK');
    expect(canManageAgencies(agencyAdmin)).toBe('FORBIDDEN');
    expect(canManageAgencies(operatorStaff)).toBe('FORBIDDEN');
    expect(canViewAllAudit(operatorAdmin)).toBe(true);
    expect(canViewAllAudit(agencyAdmin)).toBe(false);
  });

  it('an agency’s QUAN_TRI administers it; another agency is NOT_FOUND; non-admins FORBIDDEN', () => {
    expect(canAdministerAgency(agencyAdmin, 'snv')).toBe('OK');
    expect(canAdministerAgency(agencyAdmin, 'stc')).toBe('NOT_FOUND');
    expect(canAdministerAgency(operatorAdmin, 'stc')).toBe('OK');
    expect(canAdministerAgency(staff, 'snv')).toBe('FORBIDDEN');
    expect(canAdministerAgency(operatorStaff, 'ubnd')).toBe('FORBIDDEN');
  });

  it('sessions: the owner, or an administrator of the owner’s agency', () => {
    expect(canEndSessionOf(staff, { userId: 'u1', agencyId: 'snv' })).toBe('OK');
    expect(canEndSessionOf(staff, { userId: 'u2', agencyId: 'snv' })).toBe('FORBIDDEN');
    expect(canEndSessionOf(agencyAdmin, { userId: 'u2', agencyId: 'snv' })).toBe('OK');
    expect(canEndSessionOf(agencyAdmin, { userId: 'u2', agencyId: 'stc' })).toBe('NOT_FOUND');
  });

  it('an administrator cannot lock themselves out', () => {
    expect(selfLockout(agencyAdmin, 'u1', { active: false })).toMatch(/tự khóa/);
    expect(selfLockout(agencyAdmin, 'u1', { roles: ['CHUYEN_VIEN'] })).toMatch(/vai trò quản trị/);
    expect(selfLockout(agencyAdmin, 'u1', { roles: ['QUAN_TRI', 'VAN_THU'] })).toBeNull();
    expect(selfLockout(agencyAdmin, 'u2', { active: false, roles: [] })).toBeNull();
  });

  it('neither the operator agency nor one’s own agency can be deactivated', () => {
    expect(agencyDeactivationBlocked(operatorAdmin, { id: 'ubnd', operator: true })).toMatch(/vận hành/);
    expect(agencyDeactivationBlocked(operatorAdmin, { id: 'ubnd', operator: false })).toMatch(/chính bạn/);
    expect(agencyDeactivationBlocked(operatorAdmin, { id: 'snv', operator: false })).toBeNull();
  });
});
