/**
 * Administration (quản trị): the agency tree, units, user accounts (update, (de)activate, password reset),
 * one's own password and sessions, and the sessions of others for administrators.
 * Who may do what: admin.policy.ts (checked here, before anything is read for another agency's objects:
 * a non-administrator gets FORBIDDEN, an agency administrator reaching into another agency NOT_FOUND).
 * Every change writes an audit event in its transaction, with the agency of the changed object, so that
 * agency's administrators see it in their audit log. Passwords never reach the audit data.
 */
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Services } from '../../services';
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput, conflict, forbidden, notFound } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import type { Scope, Tx } from '../../shared/scope';
import { AuditEvent } from '../audit/audit-event.entity';
import { Agency } from '../identity/entities/agency.entity';
import { LoginThrottle } from '../identity/entities/login-throttle.entity';
import { Session } from '../identity/entities/session.entity';
import { Unit } from '../identity/entities/unit.entity';
import { User } from '../identity/entities/user.entity';
import { isOperatorAdmin } from '../identity/identity.policy';
import { hashPassword, verifyPassword } from '../identity/password';
import { isRole, type Role } from '../identity/roles';
import { agencyDeactivationBlocked, canAdministerAgency, canEndSessionOf, canManageAgencies, isAdmin, selfLockout, type Access, type PolicyContext } from './admin.policy';
import { validateAgencyCode } from './agency-code';
import { treeOrder, wouldCreateCycle } from './agency-tree';
import { checkPassword, generateTemporaryPassword } from './password-policy';
import { unitAbbrProblem } from '../../../../schema/validation/admin-user';

export interface CreateAgencyArgs {
  code: string;
  name: string;
  abbr: string;
  place?: string | null;
  parentId?: string | null;
}
export interface UpdateAgencyArgs {
  id: string;
  code?: string | null;
  name?: string | null;
  abbr?: string | null;
  place?: string | null;
  /** undefined: unchanged; null: top-level. */
  parentId?: string | null;
}
export interface SetActiveArgs {
  id: string;
  active: boolean;
}
export interface CreateUnitArgs {
  agencyId?: string | null;
  name: string;
  abbr: string;
}
export interface UpdateUnitArgs {
  id: string;
  name?: string | null;
  abbr?: string | null;
}
export interface UpdateUserArgs {
  id: string;
  fullName?: string | null;
  title?: string | null;
  /** undefined: unchanged; null: no unit. */
  unitId?: string | null;
  roles?: readonly string[] | null;
}

/** Most agencies a tree answer holds (a province with its communes is well below). */
export const MAX_TREE_AGENCIES = 5000;
/** Wrong current passwords allowed in changePassword per window, per user (counted from the audit log). */
export const CHANGE_PASSWORD_MAX_FAILURES = 5;
export const CHANGE_PASSWORD_WINDOW_MS = 15 * 60_000;
/** Most sessions listed at once. */
const MAX_SESSIONS = 100;

const ABBR_RE = /^[\p{L}\p{N}&.-]{1,20}$/u;

const text = (s: string | null | undefined): string => (s ?? '').normalize('NFC').trim();

function requireId(id: string | null | undefined, field: string, what: string): string {
  if (!id || !isUuid(id)) throw badInput(`Mã ${what} không hợp lệ.`, field);
  return id;
}

function nameOf(raw: string, field: string, what: string, max = 300): string {
  const v = text(raw);
  if (!v) throw badInput(`Vui lòng nhập tên ${what}.`, field);
  if (v.length > max) throw badInput(`Tên ${what} không được dài quá ${max} ký tự.`, field);
  return v;
}

function abbrOf(raw: string, field = 'abbr'): string {
  const v = text(raw);
  if (!ABBR_RE.test(v)) throw badInput('Tên viết tắt gồm 1–20 chữ cái, chữ số hoặc & . - (không có dấu cách), ví dụ UBND, SNV, KH&ĐT.', field);
  return v;
}

/** A unit's abbreviation: as an agency's, and never one a secret symbol's "-M" could be mistaken for. */
function unitAbbrOf(raw: string, field = 'abbr'): string {
  const v = abbrOf(raw, field);
  const problem = unitAbbrProblem(v);
  if (problem) throw badInput(problem, field);
  return v;
}

/** The Access outcome as an error: FORBIDDEN for non-administrators, NOT_FOUND across agencies. */
function enforce(a: Access, what: string, forbiddenMessage = 'Chỉ quản trị hệ thống mới thực hiện được thao tác này.'): void {
  if (a === 'FORBIDDEN') throw forbidden(forbiddenMessage);
  if (a === 'NOT_FOUND') throw notFound(what);
}

/** Ends the open sessions of a user (all, or all but one); returns how many. */
async function endSessionsOf(tx: Tx, userId: string, now: Date, except: string | null = null): Promise<number> {
  const where = except ? { user: userId, revokedAt: null, id: { $ne: except } } : { user: userId, revokedAt: null };
  return tx.em.nativeUpdate(Session, where, { revokedAt: now });
}

/** Administration services; see the header. */
export class AdminService {
  constructor(private readonly services: Pick<Services, 'clock'>) {}

  private async policy(scope: Scope): Promise<PolicyContext> {
    const actor = scope.requireActor();
    const agency = await scope.em.findOneOrFail(Agency, { id: actor.agencyId });
    return { actor, actorAgencyIsOperator: agency.operator };
  }

  /** Runs the transaction, turning a unique-constraint race into CONFLICT on `field`. */
  private async write<T>(scope: Scope, fn: (tx: Tx) => Promise<T>, unique?: { field: string; message: string }): Promise<T> {
    try {
      return await scope.transaction(fn);
    } catch (e) {
      if (unique && e instanceof UniqueConstraintViolationException) throw conflict(unique.message, { field: unique.field });
      throw e;
    }
  }

  // ───────────────────────── Agencies ─────────────────────────

  async agencyTree(scope: Scope, includeInactive?: boolean | null): Promise<{ agency: Agency; depth: number }[]> {
    const pc = await this.policy(scope);
    if (includeInactive && !isOperatorAdmin(pc)) throw forbidden('Chỉ quản trị của đơn vị vận hành mới xem được các cơ quan đã ngừng hoạt động.');
    const rows = await scope.em.find(Agency, includeInactive ? {} : { active: true }, { orderBy: { code: 'asc' }, limit: MAX_TREE_AGENCIES });
    return treeOrder(rows.map((a) => ({ id: a.id, parentId: a.parent?.id ?? null, code: a.code, agency: a }))).map((x) => ({ agency: x.node.agency, depth: x.depth }));
  }

  async createAgency(scope: Scope, input: CreateAgencyArgs): Promise<Agency> {
    const pc = await this.policy(scope);
    enforce(canManageAgencies(pc), 'Cơ quan', 'Chỉ quản trị của đơn vị vận hành mới thêm được cơ quan.');
    const name = nameOf(input.name, 'name', 'cơ quan');
    const abbr = abbrOf(input.abbr);
    const place = text(input.place) || null;
    if (place && place.length > 100) throw badInput('Địa danh không được dài quá 100 ký tự.', 'place');
    return this.write(
      scope,
      async (tx) => {
        let parent: Agency | null = null;
        if (input.parentId) {
          parent = await tx.em.findOne(Agency, { id: requireId(input.parentId, 'parentId', 'cơ quan chủ quản'), active: true });
          if (!parent) throw badInput('Cơ quan chủ quản không tồn tại hoặc đã ngừng hoạt động.', 'parentId');
        }
        const code = validateAgencyCode(input.code, parent?.code ?? null);
        if (!code.ok) throw badInput(code.message, 'code');
        if (await tx.em.count(Agency, { code: code.value.code })) throw conflict(`Mã định danh ${code.value.code} đã được dùng cho cơ quan khác.`, { field: 'code' });
        const agency = tx.em.create(Agency, { code: code.value.code, name, abbr, place, parent, active: true, operator: false, timeZone: 'Asia/Ho_Chi_Minh', createdAt: new Date() });
        tx.audit({ action: 'agency.create', targetType: 'agency', targetId: agency.id, agencyId: agency.id, data: { code: agency.code, name, abbr, place, parentId: parent?.id ?? null } });
        return agency;
      },
      { field: 'code', message: 'Mã định danh đã được dùng cho cơ quan khác.' },
    );
  }

  async updateAgency(scope: Scope, input: UpdateAgencyArgs): Promise<Agency> {
    const pc = await this.policy(scope);
    enforce(canManageAgencies(pc), 'Cơ quan', 'Chỉ quản trị của đơn vị vận hành mới sửa được cơ quan.');
    const id = requireId(input.id, 'id', 'cơ quan');
    return this.write(
      scope,
      async (tx) => {
        const agency = await tx.em.findOne(Agency, { id }, { populate: ['parent'] });
        if (!agency) throw notFound('Cơ quan');
        const changes: Record<string, [unknown, unknown]> = {};
        const set = <K extends 'name' | 'abbr' | 'place' | 'code'>(k: K, v: Agency[K]) => {
          if (agency[k] !== v) {
            changes[k] = [agency[k], v];
            agency[k] = v;
          }
        };
        if (input.name != null) set('name', nameOf(input.name, 'name', 'cơ quan'));
        if (input.abbr != null) set('abbr', abbrOf(input.abbr));
        if (input.place !== undefined) {
          const place = text(input.place) || null;
          if (place && place.length > 100) throw badInput('Địa danh không được dài quá 100 ký tự.', 'place');
          set('place', place);
        }
        let parent = agency.parent ?? null;
        if (input.parentId !== undefined && (input.parentId ?? null) !== (parent?.id ?? null)) {
          if (input.parentId) {
            parent = await tx.em.findOne(Agency, { id: requireId(input.parentId, 'parentId', 'cơ quan chủ quản'), active: true });
            if (!parent) throw badInput('Cơ quan chủ quản không tồn tại hoặc đã ngừng hoạt động.', 'parentId');
            const nodes = (await tx.em.execute<{ id: string; parent_id: string | null; code: string }[]>('select id, parent_id, code from agency')).map((a) => ({
              id: a.id,
              parentId: a.parent_id,
              code: a.code,
            }));
            if (wouldCreateCycle(nodes, agency.id, parent.id)) throw badInput('Không thể đặt cơ quan dưới chính nó hoặc dưới cơ quan cấp dưới của nó.', 'parentId');
          } else parent = null;
          changes.parentId = [agency.parent?.id ?? null, parent?.id ?? null];
          agency.parent = parent;
        }
        if (input.code != null || changes.parentId) {
          const code = validateAgencyCode(input.code ?? agency.code, parent?.code ?? null);
          if (!code.ok) throw badInput(code.message, 'code');
          if (code.value.code !== agency.code && (await tx.em.count(Agency, { code: code.value.code, id: { $ne: agency.id } })))
            throw conflict(`Mã định danh ${code.value.code} đã được dùng cho cơ quan khác.`, { field: 'code' });
          set('code', code.value.code);
        }
        if (Object.keys(changes).length) tx.audit({ action: 'agency.update', targetType: 'agency', targetId: agency.id, agencyId: agency.id, data: { changes } });
        return agency;
      },
      { field: 'code', message: 'Mã định danh đã được dùng cho cơ quan khác.' },
    );
  }

  async setAgencyActive(scope: Scope, input: SetActiveArgs): Promise<Agency> {
    const pc = await this.policy(scope);
    enforce(canManageAgencies(pc), 'Cơ quan', 'Chỉ quản trị của đơn vị vận hành mới thay đổi được trạng thái cơ quan.');
    const id = requireId(input.id, 'id', 'cơ quan');
    const now = this.services.clock.now();
    return this.write(scope, async (tx) => {
      const agency = await tx.em.findOne(Agency, { id });
      if (!agency) throw notFound('Cơ quan');
      if (agency.active === input.active) return agency;
      let endedSessions = 0;
      if (!input.active) {
        const blocked = agencyDeactivationBlocked(pc, agency);
        if (blocked) throw badInput(blocked, 'id');
        if (await tx.em.count(Agency, { parent: agency, active: true }))
          throw conflict('Cơ quan còn cơ quan cấp dưới đang hoạt động: hãy chuyển hoặc ngừng hoạt động các cơ quan đó trước.');
        const [r] = await tx.em.execute<{ n: string }[]>(
          `with ended as (update session s set revoked_at = ? from app_user u where s.user_id = u.id and u.agency_id = ? and s.revoked_at is null returning 1) select count(*) as n from ended`,
          [now, agency.id],
        );
        endedSessions = Number(r?.n ?? 0);
      } else if (agency.parent && !(await tx.em.findOne(Agency, { id: agency.parent.id, active: true })))
        throw conflict('Cơ quan chủ quản đã ngừng hoạt động: hãy kích hoạt cơ quan chủ quản trước.');
      agency.active = input.active;
      tx.audit({ action: input.active ? 'agency.activate' : 'agency.deactivate', targetType: 'agency', targetId: agency.id, agencyId: agency.id, data: { endedSessions } });
      return agency;
    });
  }

  // ───────────────────────── Units ─────────────────────────

  /** Loads an agency the caller may administer: FORBIDDEN for non-administrators, NOT_FOUND otherwise. */
  private async administeredAgency(scope: Scope, pc: PolicyContext, agencyId: string): Promise<Agency> {
    if (!isAdmin(pc)) throw forbidden('Chỉ quản trị hệ thống mới thực hiện được thao tác này.');
    enforce(canAdministerAgency(pc, agencyId), 'Cơ quan');
    const agency = await scope.em.findOne(Agency, { id: agencyId });
    if (!agency) throw notFound('Cơ quan');
    return agency;
  }

  async adminUnits(scope: Scope, agencyId?: string | null, includeInactive?: boolean | null): Promise<Unit[]> {
    const pc = await this.policy(scope);
    const agency = await this.administeredAgency(scope, pc, requireId(agencyId ?? pc.actor.agencyId, 'agencyId', 'cơ quan'));
    return scope.em.find(Unit, includeInactive === false ? { agency, active: true } : { agency }, { orderBy: { name: 'asc', id: 'asc' } });
  }

  /** A unit the caller may administer (FORBIDDEN / NOT_FOUND as above). */
  private async administeredUnit(em: EntityManager, pc: PolicyContext, id: string): Promise<Unit> {
    if (!isAdmin(pc)) throw forbidden('Chỉ quản trị hệ thống mới thực hiện được thao tác này.');
    const unit = await em.findOne(Unit, { id: requireId(id, 'id', 'đơn vị') });
    if (!unit || canAdministerAgency(pc, unit.agency.id) !== 'OK') throw notFound('Đơn vị');
    return unit;
  }

  async createUnit(scope: Scope, input: CreateUnitArgs): Promise<Unit> {
    const pc = await this.policy(scope);
    const agency = await this.administeredAgency(scope, pc, requireId(input.agencyId ?? pc.actor.agencyId, 'agencyId', 'cơ quan'));
    if (!agency.active) throw badInput('Cơ quan đã ngừng hoạt động.', 'agencyId');
    const name = nameOf(input.name, 'name', 'đơn vị');
    const abbr = unitAbbrOf(input.abbr);
    const duplicate = { field: 'abbr', message: `Tên viết tắt "${abbr}" đã được dùng cho đơn vị khác của cơ quan.` };
    return this.write(
      scope,
      async (tx) => {
        if (await tx.em.count(Unit, { agency: agency.id, abbr })) throw conflict(duplicate.message, { field: 'abbr' });
        const unit = tx.em.create(Unit, { agency: agency.id, name, abbr, active: true, createdAt: new Date() });
        tx.audit({ action: 'unit.create', targetType: 'unit', targetId: unit.id, agencyId: agency.id, data: { name, abbr } });
        return unit;
      },
      duplicate,
    );
  }

  async updateUnit(scope: Scope, input: UpdateUnitArgs): Promise<Unit> {
    const pc = await this.policy(scope);
    const duplicate = { field: 'abbr', message: 'Tên viết tắt đã được dùng cho đơn vị khác của cơ quan.' };
    return this.write(
      scope,
      async (tx) => {
        const unit = await this.administeredUnit(tx.em, pc, input.id);
        const changes: Record<string, [unknown, unknown]> = {};
        if (input.name != null) {
          const name = nameOf(input.name, 'name', 'đơn vị');
          if (name !== unit.name) {
            changes.name = [unit.name, name];
            unit.name = name;
          }
        }
        if (input.abbr != null) {
          const abbr = unitAbbrOf(input.abbr);
          if (abbr !== unit.abbr) {
            if (await tx.em.count(Unit, { agency: unit.agency.id, abbr, id: { $ne: unit.id } })) throw conflict(duplicate.message, { field: 'abbr' });
            changes.abbr = [unit.abbr, abbr];
            unit.abbr = abbr;
          }
        }
        if (Object.keys(changes).length) tx.audit({ action: 'unit.update', targetType: 'unit', targetId: unit.id, agencyId: unit.agency.id, data: { changes } });
        return unit;
      },
      duplicate,
    );
  }

  async setUnitActive(scope: Scope, input: SetActiveArgs): Promise<Unit> {
    const pc = await this.policy(scope);
    return this.write(scope, async (tx) => {
      const unit = await this.administeredUnit(tx.em, pc, input.id);
      if (unit.active === input.active) return unit;
      if (!input.active) {
        const staff = await tx.em.count(User, { unit, active: true });
        if (staff) throw conflict(`Đơn vị còn ${staff} người dùng đang hoạt động: hãy chuyển họ sang đơn vị khác trước.`);
      }
      unit.active = input.active;
      tx.audit({ action: input.active ? 'unit.activate' : 'unit.deactivate', targetType: 'unit', targetId: unit.id, agencyId: unit.agency.id });
      return unit;
    });
  }

  // ───────────────────────── Users ─────────────────────────

  /** A user the caller may administer: FORBIDDEN for non-administrators, NOT_FOUND across agencies. */
  private async administeredUser(em: EntityManager, pc: PolicyContext, id: string, field = 'id'): Promise<User> {
    if (!isAdmin(pc)) throw forbidden('Chỉ quản trị hệ thống mới thực hiện được thao tác này.');
    const user = await em.findOne(User, { id: requireId(id, field, 'người dùng') }, { populate: ['agency', 'unit'] });
    if (!user || canAdministerAgency(pc, user.agency.id) !== 'OK') throw notFound('Người dùng');
    return user;
  }

  async updateUser(scope: Scope, input: UpdateUserArgs): Promise<User> {
    const pc = await this.policy(scope);
    return this.write(scope, async (tx) => {
      const user = await this.administeredUser(tx.em, pc, input.id);
      const changes: Record<string, [unknown, unknown]> = {};
      if (input.fullName != null) {
        const fullName = nameOf(input.fullName, 'fullName', 'người dùng', 200);
        if (fullName !== user.fullName) {
            changes.fullName = [user.fullName, fullName];
            user.fullName = fullName;
          }
      }
      if (input.title !== undefined) {
        const title = text(input.title) || null;
        if (title && title.length > 200) throw badInput('Chức vụ không được dài quá 200 ký tự.', 'title');
        if (title !== (user.title ?? null)) {
            changes.title = [user.title ?? null, title];
            user.title = title;
          }
      }
      if (input.unitId !== undefined && (input.unitId ?? null) !== (user.unit?.id ?? null)) {
        let unit: Unit | null = null;
        if (input.unitId) {
          unit = await tx.em.findOne(Unit, { id: requireId(input.unitId, 'unitId', 'đơn vị'), agency: user.agency.id, active: true });
          if (!unit) throw badInput('Đơn vị không thuộc cơ quan của người dùng hoặc đã ngừng hoạt động.', 'unitId');
        }
        changes.unitId = [user.unit?.id ?? null, unit?.id ?? null];
        user.unit = unit;
      }
      if (input.roles != null) {
        const roles = [...new Set(input.roles)];
        if (roles.length === 0) throw badInput('Người dùng phải có ít nhất một vai trò.', 'roles');
        if (!roles.every(isRole)) throw badInput('Vai trò không hợp lệ.', 'roles');
        const lockout = selfLockout(pc, user.id, { roles });
        if (lockout) throw badInput(lockout, 'roles');
        const before = [...user.roles].sort();
        const after = [...roles].sort() as Role[];
        if (before.join() !== after.join()) {
            changes.roles = [before, after];
            user.roles = after;
          }
      }
      if (Object.keys(changes).length) tx.audit({ action: 'user.update', targetType: 'user', targetId: user.id, agencyId: user.agency.id, data: { changes } });
      return user;
    });
  }

  async setUserActive(scope: Scope, input: SetActiveArgs): Promise<User> {
    const pc = await this.policy(scope);
    const now = this.services.clock.now();
    return this.write(scope, async (tx) => {
      const user = await this.administeredUser(tx.em, pc, input.id);
      const lockout = selfLockout(pc, user.id, { active: input.active });
      if (lockout) throw badInput(lockout, 'id');
      if (user.active === input.active) return user;
      const endedSessions = input.active ? 0 : await endSessionsOf(tx, user.id, now);
      user.active = input.active;
      tx.audit({ action: input.active ? 'user.activate' : 'user.deactivate', targetType: 'user', targetId: user.id, agencyId: user.agency.id, data: { endedSessions } });
      return user;
    });
  }

  /**
   * Gives a user a temporary password (generated unless given): their sessions end, their failed-login
   * counters are cleared, and they must choose a new password after signing in.
   */
  async resetPassword(scope: Scope, input: { userId: string; temporaryPassword?: string | null }): Promise<{ user: User; temporaryPassword: string }> {
    const pc = await this.policy(scope);
    if (pc.actor.userId === input.userId) throw badInput('Hãy dùng chức năng đổi mật khẩu cho tài khoản của chính bạn.', 'userId');
    const now = this.services.clock.now();
    const given = input.temporaryPassword != null && input.temporaryPassword !== '';
    return this.write(scope, async (tx) => {
      const user = await this.administeredUser(tx.em, pc, input.userId, 'userId');
      const temporaryPassword = given ? input.temporaryPassword!.normalize('NFC') : generateTemporaryPassword();
      if (given) {
        const check = checkPassword(temporaryPassword, user);
        if (!check.ok) throw badInput(check.message, 'temporaryPassword');
      }
      user.passwordHash = await hashPassword(temporaryPassword);
      user.mustChangePassword = true;
      const endedSessions = await endSessionsOf(tx, user.id, now);
      await tx.em.nativeDelete(LoginThrottle, { username: user.username });
      tx.audit({ action: 'user.password_reset', targetType: 'user', targetId: user.id, agencyId: user.agency.id, data: { generated: !given, endedSessions } });
      return { user, temporaryPassword };
    });
  }

  /** Changes one's own password (allowed while a change is required); ends the user's other sessions. */
  async changePassword(scope: Scope, input: { currentPassword: string; newPassword: string }): Promise<User> {
    const actor = scope.requireActor({ allowPasswordChange: true });
    const now = this.services.clock.now();
    const user = await scope.em.findOneOrFail(User, { id: actor.userId }, { populate: ['passwordHash', 'agency', 'unit'] });
    if (!input.currentPassword) throw badInput('Vui lòng nhập mật khẩu hiện tại.', 'currentPassword');
    // Guessing the current password from an open session (an unlocked computer) is limited like a login.
    const since = new Date(now.getTime() - CHANGE_PASSWORD_WINDOW_MS);
    const failures = await scope.em.count(AuditEvent, { action: 'user.password_change_failed', targetType: 'user', targetId: user.id, at: { $gt: since } });
    if (failures >= CHANGE_PASSWORD_MAX_FAILURES)
      throw badInput(`Bạn đã nhập sai mật khẩu hiện tại ${failures} lần. Vui lòng thử lại sau ${CHANGE_PASSWORD_WINDOW_MS / 60_000} phút.`, 'currentPassword');
    if (input.currentPassword.length > 1024 || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
      await scope.transaction(async (tx) => {
        tx.audit({ action: 'user.password_change_failed', targetType: 'user', targetId: user.id, agencyId: user.agency.id, data: { sessionId: actor.sessionId } });
      });
      throw badInput('Mật khẩu hiện tại không đúng.', 'currentPassword');
    }
    const next = input.newPassword.normalize('NFC');
    if (next === input.currentPassword.normalize('NFC')) throw badInput('Mật khẩu mới phải khác mật khẩu hiện tại.', 'newPassword');
    const check = checkPassword(next, user);
    if (!check.ok) throw badInput(check.message, 'newPassword');
    const hash = await hashPassword(next);
    return this.write(scope, async (tx) => {
      const u = await tx.em.findOneOrFail(User, { id: user.id }, { populate: ['agency', 'unit'] });
      u.passwordHash = hash;
      const wasRequired = u.mustChangePassword;
      u.mustChangePassword = false;
      const endedSessions = await endSessionsOf(tx, u.id, now, actor.sessionId);
      tx.audit({ action: 'user.password_change', targetType: 'user', targetId: u.id, agencyId: u.agency.id, data: { required: wasRequired, endedSessions } });
      return u;
    });
  }

  // ───────────────────────── Sessions ─────────────────────────

  private openSessions(scope: Scope, userId: string): Promise<Session[]> {
    return scope.em.find(
      Session,
      { user: userId, revokedAt: null, expiresAt: { $gt: this.services.clock.now() } },
      { orderBy: { createdAt: 'desc', id: 'desc' }, limit: MAX_SESSIONS },
    );
  }

  async mySessions(scope: Scope): Promise<Session[]> {
    const actor = scope.requireActor();
    return this.openSessions(scope, actor.userId);
  }

  async userSessions(scope: Scope, userId: string): Promise<Session[]> {
    const pc = await this.policy(scope);
    const user = await this.administeredUser(scope.em, pc, userId, 'userId');
    return this.openSessions(scope, user.id);
  }

  /** Ends one session: the owner's own, or (administrators) one of a user of their agency; else NOT_FOUND. */
  async endSession(scope: Scope, id: string): Promise<Session> {
    const pc = await this.policy(scope);
    const sessionId = requireId(id, 'id', 'phiên đăng nhập');
    const now = this.services.clock.now();
    return this.write(scope, async (tx) => {
      const s = await tx.em.findOne(Session, { id: sessionId }, { populate: ['user', 'user.agency'] });
      if (!s || canEndSessionOf(pc, { userId: s.user.id, agencyId: s.user.agency.id }) !== 'OK') throw notFound('Phiên đăng nhập');
      if (!s.revokedAt) {
        s.revokedAt = now;
        tx.audit({ action: 'session.end', targetType: 'user', targetId: s.user.id, agencyId: s.user.agency.id, data: { sessionId: s.id } });
      }
      return s;
    });
  }

  async endOtherSessions(scope: Scope): Promise<number> {
    const actor = scope.requireActor();
    const now = this.services.clock.now();
    return this.write(scope, async (tx) => {
      const n = await endSessionsOf(tx, actor.userId, now, actor.sessionId);
      tx.audit({ action: 'session.end_others', targetType: 'user', targetId: actor.userId, agencyId: actor.agencyId, data: { endedSessions: n } });
      return n;
    });
  }

  async endUserSessions(scope: Scope, userId: string): Promise<number> {
    const pc = await this.policy(scope);
    const now = this.services.clock.now();
    return this.write(scope, async (tx) => {
      const user = await this.administeredUser(tx.em, pc, userId, 'userId');
      const n = await endSessionsOf(tx, user.id, now, user.id === pc.actor.userId ? pc.actor.sessionId : null);
      tx.audit({ action: 'user.sessions_end', targetType: 'user', targetId: user.id, agencyId: user.agency.id, data: { endedSessions: n } });
      return n;
    });
  }
}

