import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../config/config';
import { AppError, badInput, conflict, forbidden, notFound, unauthenticated } from '../../shared/errors';
import { isUuid } from '../../shared/ids';
import { decodeCursor, likePattern, pageSize, toConnection, type Connection } from '../../shared/pagination';
import type { Actor, Scope } from '../../shared/scope';
import { Agency } from './entities/agency.entity';
import { LoginThrottle } from './entities/login-throttle.entity';
import { Session } from './entities/session.entity';
import { Unit } from './entities/unit.entity';
import { User } from './entities/user.entity';
import { canManageUsersOf, type PolicyContext } from './identity.policy';
import { getDummyHash, hashPassword, verifyPassword } from './password';
import { isRole, type Role } from './roles';
import type { TokenService } from './tokens';

export interface LoginResult {
  token: string;
  expiresAt: Date;
  user: User;
}

export interface CreateUserInput {
  username: string;
  fullName: string;
  title?: string | null;
  password: string;
  agencyId: string;
  unitId?: string | null;
  roles: string[];
}

const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,99}$/;

export const toActor = (u: User, sessionId: string | null): Actor => ({
  userId: u.id,
  username: u.username,
  fullName: u.fullName,
  agencyId: u.agency.id,
  unitId: u.unit?.id ?? null,
  roles: [...u.roles],
  sessionId,
});

/** Sign-in, sessions, organisation chart and user administration. */
export class IdentityService {
  constructor(
    private readonly config: Pick<Config, 'sessionTtlHours' | 'loginMaxFailures' | 'loginLockMinutes'>,
    private readonly tokens: TokenService,
  ) {}

  /** Resolves a bearer token into an actor; null with a reason when it is not acceptable. */
  async authenticate(em: EntityManager, token: string): Promise<{ actor: Actor } | { error: 'EXPIRED' | 'INVALID' | 'REVOKED' }> {
    const claims = await this.tokens.verify(token);
    if ('error' in claims) return claims;
    if (!isUuid(claims.sessionId) || !isUuid(claims.userId)) return { error: 'INVALID' };
    const session = await em.findOne(Session, { id: claims.sessionId }, { populate: ['user', 'user.agency', 'user.unit'] });
    if (!session || session.user.id !== claims.userId) return { error: 'INVALID' };
    if (session.revokedAt) return { error: 'REVOKED' };
    if (session.expiresAt.getTime() <= Date.now()) return { error: 'EXPIRED' };
    if (!session.user.active) return { error: 'REVOKED' };
    return { actor: toActor(session.user, session.id) };
  }

  async login(scope: Scope, usernameRaw: string, password: string): Promise<LoginResult> {
    const username = usernameRaw.normalize('NFC').trim().toLowerCase();
    if (!username || !password) throw badInput('Vui lòng nhập tên đăng nhập và mật khẩu.', username ? 'password' : 'username');
    if (username.length > 100 || password.length > 1024) throw badInput('Tên đăng nhập hoặc mật khẩu quá dài.');

    const throttle = await scope.em.findOne(LoginThrottle, { username });
    if (throttle?.lockedUntil && throttle.lockedUntil.getTime() > Date.now()) {
      const minutes = Math.ceil((throttle.lockedUntil.getTime() - Date.now()) / 60_000);
      throw unauthenticated(`Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau ${minutes} phút.`, {
        reason: 'LOGIN_THROTTLED',
        retryAfterSeconds: Math.ceil((throttle.lockedUntil.getTime() - Date.now()) / 1000),
      });
    }

    const user = await scope.em.findOne(User, { username }, { populate: ['passwordHash', 'agency', 'unit'] });
    const ok = user ? user.active && (await verifyPassword(password, user.passwordHash)) : (await verifyPassword(password, await getDummyHash()), false);
    if (!ok || !user) {
      await this.recordFailure(scope, username, user?.id ?? null, user?.agency.id ?? null);
      throw unauthenticated('Tên đăng nhập hoặc mật khẩu không đúng.', { reason: 'BAD_CREDENTIALS' });
    }

    const expiresAt = new Date(Date.now() + this.config.sessionTtlHours * 3600_000);
    const session = await scope.transaction(async (tx) => {
      const s = tx.em.create(Session, { user, expiresAt, ip: scope.meta.ip ?? null, userAgent: scope.meta.userAgent?.slice(0, 500) ?? null, createdAt: new Date() });
      user.lastLoginAt = new Date();
      await tx.em.nativeDelete(LoginThrottle, { username });
      tx.audit({ action: 'auth.login', targetType: 'user', targetId: user.id, agencyId: user.agency.id, data: { sessionId: s.id } });
      return s;
    });
    const token = await this.tokens.sign({ sessionId: session.id, userId: user.id, expiresAt });
    return { token, expiresAt, user };
  }

  private async recordFailure(scope: Scope, username: string, userId: string | null, agencyId: string | null): Promise<void> {
    const windowMs = this.config.loginLockMinutes * 60_000;
    await scope.transaction(async (tx) => {
      // Row-locked upsert so that parallel failures on several replicas all count.
      const rows = await tx.em.execute<{ failures: number }[]>(
        `insert into login_throttle (username, failures, first_failure_at, locked_until) values (?, 1, now(), null)
         on conflict (username) do update set
           failures = case when login_throttle.first_failure_at < now() - (? * interval '1 millisecond') then 1 else login_throttle.failures + 1 end,
           first_failure_at = case when login_throttle.first_failure_at < now() - (? * interval '1 millisecond') then now() else login_throttle.first_failure_at end
         returning failures`,
        [username, windowMs, windowMs],
      );
      const failures = rows[0]?.failures ?? 1;
      if (failures >= this.config.loginMaxFailures) {
        await tx.em.execute(`update login_throttle set locked_until = now() + (? * interval '1 millisecond') where username = ?`, [windowMs, username]);
      }
      tx.audit({ action: 'auth.login_failed', targetType: 'user', targetId: userId, agencyId, data: { username, failures } });
    });
  }

  async logout(scope: Scope): Promise<boolean> {
    const actor = scope.requireActor();
    if (!actor.sessionId) return false;
    await scope.transaction(async (tx) => {
      await tx.em.nativeUpdate(Session, { id: actor.sessionId!, revokedAt: null }, { revokedAt: new Date() });
      tx.audit({ action: 'auth.logout', targetType: 'user', targetId: actor.userId, data: { sessionId: actor.sessionId } });
    });
    return true;
  }

  async me(scope: Scope): Promise<User> {
    const actor = scope.requireActor();
    return scope.em.findOneOrFail(User, { id: actor.userId }, { populate: ['agency', 'unit'] });
  }

  private async policy(scope: Scope): Promise<PolicyContext> {
    const actor = scope.requireActor();
    const agency = await scope.em.findOneOrFail(Agency, { id: actor.agencyId });
    return { actor, actorAgencyIsOperator: agency.operator };
  }

  async agencies(scope: Scope, args: { first?: number | null; after?: string | null; search?: string | null }): Promise<Connection<Agency>> {
    scope.requireActor();
    const limit = pageSize(args.first);
    const after = decodeCursor(args.after, 1);
    const qb = scope.em.createQueryBuilder(Agency, 'a').where({ active: true });
    const search = args.search?.normalize('NFC').trim();
    if (search) {
      if (search.length > 200) throw badInput('Từ khóa tìm kiếm quá dài.', 'search');
      const like = likePattern(search);
      qb.andWhere(`(f_unaccent(lower(a.name)) like f_unaccent(?) or lower(a.abbr) like ? or a.code ilike ?)`, [like, like, like]);
    }
    const totalCount = await qb.clone().getCount();
    if (after) qb.andWhere({ code: { $gt: String(after[0]) } });
    const rows = await qb.orderBy({ code: 'asc' }).limit(limit + 1).getResultList();
    return toConnection(rows, limit, (a) => [a.code], totalCount, !!after);
  }

  async agency(scope: Scope, id: string): Promise<Agency | null> {
    scope.requireActor();
    if (!isUuid(id)) return null;
    return scope.em.findOne(Agency, { id, active: true });
  }

  async units(scope: Scope, agencyId?: string | null): Promise<Unit[]> {
    const actor = scope.requireActor();
    const id = agencyId ?? actor.agencyId;
    if (!isUuid(id)) throw badInput('Mã cơ quan không hợp lệ.', 'agencyId');
    return scope.em.find(Unit, { agency: id }, { orderBy: { name: 'asc' } });
  }

  async users(scope: Scope, args: { first?: number | null; after?: string | null; agencyId?: string | null; search?: string | null }): Promise<Connection<User>> {
    const pc = await this.policy(scope);
    const agencyId = args.agencyId ?? pc.actor.agencyId;
    if (!isUuid(agencyId)) throw badInput('Mã cơ quan không hợp lệ.', 'agencyId');
    if (!canManageUsersOf(pc, agencyId)) throw forbidden('Chỉ quản trị hệ thống mới xem được danh sách người dùng.');
    const limit = pageSize(args.first);
    const after = decodeCursor(args.after, 1);
    const qb = scope.em.createQueryBuilder(User, 'u').where({ agency: agencyId });
    const search = args.search?.normalize('NFC').trim();
    if (search) {
      const like = likePattern(search);
      qb.andWhere(`(f_unaccent(lower(u.full_name)) like f_unaccent(?) or u.username like ?)`, [like, like]);
    }
    const totalCount = await qb.clone().getCount();
    if (after) qb.andWhere({ username: { $gt: String(after[0]) } });
    const rows = await qb.orderBy({ username: 'asc' }).limit(limit + 1).getResultList();
    await scope.em.populate(rows, ['agency', 'unit']);
    return toConnection(rows, limit, (u) => [u.username], totalCount, !!after);
  }

  /** Active staff of the caller's own agency (no other agency's staff list is exposed). */
  async colleagues(scope: Scope, args: { roles?: readonly string[] | null; unitId?: string | null; search?: string | null }): Promise<User[]> {
    const actor = scope.requireActor();
    const qb = scope.em.createQueryBuilder(User, 'u').where({ agency: actor.agencyId, active: true });
    if (args.roles?.length) {
      if (!args.roles.every(isRole)) throw badInput('Vai trò không hợp lệ.', 'roles');
      qb.andWhere(`u.roles && array[${args.roles.map(() => '?').join(', ')}]::text[]`, [...args.roles]);
    }
    if (args.unitId) {
      if (!isUuid(args.unitId)) throw badInput('Mã đơn vị không hợp lệ.', 'unitId');
      qb.andWhere({ unit: args.unitId });
    }
    const search = args.search?.normalize('NFC').trim();
    if (search) {
      if (search.length > 100) throw badInput('Từ khóa tìm kiếm quá dài.', 'search');
      const like = likePattern(search);
      qb.andWhere(`(f_unaccent(lower(u.full_name)) like f_unaccent(?) or u.username like ?)`, [like, like]);
    }
    return qb.orderBy({ fullName: 'asc', id: 'asc' }).limit(200).getResultList();
  }

  async createUser(scope: Scope, input: CreateUserInput): Promise<User> {
    const pc = await this.policy(scope);
    if (!isUuid(input.agencyId)) throw badInput('Mã cơ quan không hợp lệ.', 'agencyId');
    if (!canManageUsersOf(pc, input.agencyId)) throw forbidden('Bạn không có quyền tạo người dùng cho cơ quan này.');
    return createUserUnchecked(scope, input);
  }
}

/** Validates and creates a user; the caller has checked authorisation (CLI create-admin, seeding). */
export async function createUserUnchecked(scope: Scope, input: CreateUserInput): Promise<User> {
  const username = input.username.normalize('NFC').trim().toLowerCase();
  if (!USERNAME_RE.test(username)) throw badInput('Tên đăng nhập chỉ gồm chữ thường không dấu, số và . _ - (2–100 ký tự).', 'username');
  const fullName = input.fullName.normalize('NFC').trim();
  if (!fullName) throw badInput('Vui lòng nhập họ và tên.', 'fullName');
  if (input.password.length < 8) throw badInput('Mật khẩu phải có ít nhất 8 ký tự.', 'password');
  const roles = [...new Set(input.roles)];
  if (roles.length === 0 || !roles.every(isRole)) throw badInput('Vai trò không hợp lệ.', 'roles');
  const passwordHash = await hashPassword(input.password);
  return scope.transaction(async (tx) => {
    const agency = await tx.em.findOne(Agency, { id: input.agencyId });
    if (!agency) throw notFound('Cơ quan');
    let unit: Unit | null = null;
    if (input.unitId) {
      if (!isUuid(input.unitId)) throw badInput('Mã đơn vị không hợp lệ.', 'unitId');
      unit = await tx.em.findOne(Unit, { id: input.unitId, agency });
      if (!unit) throw badInput('Đơn vị không thuộc cơ quan đã chọn.', 'unitId');
    }
    if (await tx.em.count(User, { username })) throw conflict(`Tên đăng nhập "${username}" đã được sử dụng.`, { field: 'username' });
    const user = tx.em.create(User, {
      username,
      fullName,
      title: input.title?.normalize('NFC').trim() || null,
      agency,
      unit,
      roles: roles as Role[],
      passwordHash,
      active: true,
      createdAt: new Date(),
    });
    tx.audit({ action: 'user.create', targetType: 'user', targetId: user.id, agencyId: agency.id, data: { username, roles } });
    return user;
  });
}

export { AppError };
