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
import { addFailure, decideAttempt, waitAfter, type FailureCounter, type ThrottlePolicy } from './login-throttle';
import type { Clock } from '../../services';

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
  /** The password was chosen by someone else (an administrator): the user must change it at first login. */
  mustChangePassword?: boolean;
}

/** The throttle's client key: the request's address (socket, or as TRUST_PROXY allows), at most 64 characters. */
const clientKey = (ip: string | null | undefined): string => (ip || 'unknown').slice(0, 64);

/** "5 giây" / "3 phút". */
const waitText = (seconds: number): string => (seconds <= 90 ? `${seconds} giây` : `${Math.ceil(seconds / 60)} phút`);

/** How precisely Session.lastSeenAt follows the requests (one write per session per this interval at most). */
export const SESSION_SEEN_GRANULARITY_MS = 5 * 60_000;

const USERNAME_RE = /^[a-z0-9][a-z0-9._-]{1,99}$/;

export const toActor = (u: User, sessionId: string | null): Actor => ({
  userId: u.id,
  username: u.username,
  fullName: u.fullName,
  agencyId: u.agency.id,
  unitId: u.unit?.id ?? null,
  roles: [...u.roles],
  sessionId,
  mustChangePassword: u.mustChangePassword,
});

/** Sign-in, sessions, organisation chart and user administration. */
export class IdentityService {
  constructor(
    private readonly config: Pick<
      Config,
      'sessionTtlHours' | 'loginMaxFailures' | 'loginLockMinutes' | 'loginDelaySeconds' | 'loginMaxDelaySeconds' | 'loginNameMaxFailures'
    >,
    private readonly tokens: TokenService,
    /** Time for sessions and the login throttle (tests move it instead of sleeping). */
    readonly clock: Clock = { now: () => new Date() },
  ) {}

  /** Resolves a bearer token into an actor; null with a reason when it is not acceptable. */
  async authenticate(em: EntityManager, token: string): Promise<{ actor: Actor } | { error: 'EXPIRED' | 'INVALID' | 'REVOKED' }> {
    const claims = await this.tokens.verify(token);
    if ('error' in claims) return claims;
    if (!isUuid(claims.sessionId) || !isUuid(claims.userId)) return { error: 'INVALID' };
    const session = await em.findOne(Session, { id: claims.sessionId }, { populate: ['user', 'user.agency', 'user.unit'] });
    if (!session || session.user.id !== claims.userId) return { error: 'INVALID' };
    if (session.revokedAt) return { error: 'REVOKED' };
    if (session.expiresAt.getTime() <= this.clock.now().getTime()) return { error: 'EXPIRED' };
    // A deactivated account, or an account of a deactivated agency, is signed out at once.
    if (!session.user.active || !session.user.agency.active) return { error: 'REVOKED' };
    await this.markSeen(em, session);
    return { actor: toActor(session.user, session.id) };
  }

  /**
   * Records that the session was used, at most once per SESSION_SEEN_GRANULARITY_MS: most requests write
   * nothing. Outside any transaction; a failure only loses this hint.
   */
  private async markSeen(em: EntityManager, session: Session): Promise<void> {
    const now = this.clock.now();
    if (session.lastSeenAt && now.getTime() - session.lastSeenAt.getTime() < SESSION_SEEN_GRANULARITY_MS) return;
    await em.getConnection().execute('update session set last_seen_at = ? where id = ?', [now, session.id]);
    session.lastSeenAt = now;
  }

  async login(scope: Scope, usernameRaw: string, password: string): Promise<LoginResult> {
    const username = usernameRaw.normalize('NFC').trim().toLowerCase();
    if (!username || !password) throw badInput('Vui lòng nhập tên đăng nhập và mật khẩu.', username ? 'password' : 'username');
    if (username.length > 100 || password.length > 1024) throw badInput('Tên đăng nhập hoặc mật khẩu quá dài.');
    const client = clientKey(scope.meta.ip);

    // Claim the attempt before checking the password: it is counted as a failure in advance, under row
    // locks, so parallel guesses from one address cannot all slip through the same free slot.
    const claim = await this.claimAttempt(scope, username, client);
    if (!claim.ok) {
      const seconds = Math.max(1, Math.ceil(claim.retryAfterMs / 1000));
      throw unauthenticated(`Tài khoản tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau ${waitText(seconds)}.`, {
        reason: 'LOGIN_THROTTLED',
        retryAfterSeconds: seconds,
      });
    }

    const user = await scope.em.findOne(User, { username }, { populate: ['passwordHash', 'agency', 'unit'] });
    const ok = user ? user.active && user.agency.active && (await verifyPassword(password, user.passwordHash)) : (await verifyPassword(password, await getDummyHash()), false);
    if (!ok || !user) {
      const policy = this.throttlePolicy();
      await scope.transaction(async (tx) => {
        tx.audit({
          action: 'auth.login_failed',
          targetType: 'user',
          targetId: user?.id ?? null,
          agencyId: user?.agency.id ?? null,
          data: { username, client, failures: claim.failures, nameFailures: claim.nameFailures, waitSeconds: Math.ceil(waitAfter(claim.failures, policy.freeFailures, policy) / 1000) },
        });
      });
      throw unauthenticated('Tên đăng nhập hoặc mật khẩu không đúng.', { reason: 'BAD_CREDENTIALS' });
    }

    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.sessionTtlHours * 3600_000);
    const session = await scope.transaction(async (tx) => {
      const s = tx.em.create(Session, { user, expiresAt, ip: scope.meta.ip ?? null, userAgent: scope.meta.userAgent?.slice(0, 500) ?? null, createdAt: now, lastSeenAt: now });
      user.lastLoginAt = now;
      // Success: this address starts afresh; the attempt claimed in advance is taken off the name's count.
      await tx.em.nativeDelete(LoginThrottle, { username, client });
      await tx.em.execute(`update login_throttle set failures = greatest(failures - 1, 0) where username = ? and client = '*'`, [username]);
      // the user signing in is who acted (the request has no signed-in user yet): the log shows them, not "the system"
      tx.audit({ action: 'auth.login', targetType: 'user', targetId: user.id, agencyId: user.agency.id, actorId: user.id, data: { sessionId: s.id } });
      return s;
    });
    const token = await this.tokens.sign({ sessionId: session.id, userId: user.id, expiresAt });
    return { token, expiresAt, user };
  }

  private throttlePolicy(): ThrottlePolicy {
    const c = this.config;
    return {
      freeFailures: c.loginMaxFailures,
      baseDelayMs: c.loginDelaySeconds * 1000,
      maxDelayMs: c.loginMaxDelaySeconds * 1000,
      windowMs: c.loginLockMinutes * 60_000,
      nameMaxFailures: c.loginNameMaxFailures,
    };
  }

  /**
   * Locks the (name, '*') and (name, address) counters, decides whether this attempt may proceed and, if so,
   * counts it as a failure of both (a success takes it back). Lock order is always '*' first: no deadlocks.
   */
  private async claimAttempt(scope: Scope, username: string, client: string): Promise<{ ok: true; failures: number; nameFailures: number } | { ok: false; retryAfterMs: number }> {
    const policy = this.throttlePolicy();
    const now = this.clock.now();
    return scope.em.transactional(async (em) => {
      type Row = { failures: number; first_failure_at: Date; last_failure_at: Date };
      const lock = async (c: string): Promise<FailureCounter | null> => {
        await em.execute(
          `insert into login_throttle (username, client, failures, first_failure_at, last_failure_at) values (?, ?, 0, ?, ?) on conflict do nothing`,
          [username, c, now, now],
        );
        const [r] = await em.execute<Row[]>(`select failures, first_failure_at, last_failure_at from login_throttle where username = ? and client = ? for update`, [username, c]);
        return r && r.failures > 0 ? { failures: r.failures, firstFailureAt: new Date(r.first_failure_at), lastFailureAt: new Date(r.last_failure_at) } : null;
      };
      const name = await lock('*');
      const pair = await lock(client);
      const d = decideAttempt(pair, name, now, policy);
      if (!d.ok) return d;
      const p = addFailure(pair, now, policy.windowMs);
      const n = addFailure(name, now, policy.windowMs);
      const save = (c: string, v: FailureCounter) =>
        em.execute(`update login_throttle set failures = ?, first_failure_at = ?, last_failure_at = ? where username = ? and client = ?`, [
          v.failures,
          v.firstFailureAt,
          v.lastFailureAt,
          username,
          c,
        ]);
      await save('*', n);
      await save(client, p);
      return { ok: true as const, failures: p.failures, nameFailures: n.failures };
    });
  }

  async logout(scope: Scope): Promise<boolean> {
    const actor = scope.requireActor({ allowPasswordChange: true });
    if (!actor.sessionId) return false;
    await scope.transaction(async (tx) => {
      await tx.em.nativeUpdate(Session, { id: actor.sessionId!, revokedAt: null }, { revokedAt: new Date() });
      tx.audit({ action: 'auth.logout', targetType: 'user', targetId: actor.userId, data: { sessionId: actor.sessionId } });
    });
    return true;
  }

  async me(scope: Scope): Promise<User> {
    const actor = scope.requireActor({ allowPasswordChange: true });
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
    // Pickers offer active units only; the administration lists all (admin module).
    return scope.em.find(Unit, { agency: id, active: true }, { orderBy: { name: 'asc' } });
  }

  async users(
    scope: Scope,
    args: { first?: number | null; after?: string | null; agencyId?: string | null; search?: string | null; unitId?: string | null; role?: string | null; active?: boolean | null },
  ): Promise<Connection<User>> {
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
    if (args.unitId) {
      if (!isUuid(args.unitId)) throw badInput('Mã đơn vị không hợp lệ.', 'unitId');
      qb.andWhere({ unit: args.unitId });
    }
    if (args.role) {
      if (!isRole(args.role)) throw badInput('Vai trò không hợp lệ.', 'role');
      qb.andWhere(`? = any(u.roles)`, [args.role]);
    }
    if (args.active != null) qb.andWhere({ active: args.active });
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
    // The administrator chose the password: the new user replaces it at the first login.
    return createUserUnchecked(scope, { ...input, mustChangePassword: true });
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
      unit = await tx.em.findOne(Unit, { id: input.unitId, agency, active: true });
      if (!unit) throw badInput('Đơn vị không thuộc cơ quan đã chọn hoặc đã ngừng hoạt động.', 'unitId');
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
      mustChangePassword: input.mustChangePassword ?? false,
      createdAt: new Date(),
    });
    tx.audit({ action: 'user.create', targetType: 'user', targetId: user.id, agencyId: agency.id, data: { username, roles } });
    return user;
  });
}

export { AppError };
