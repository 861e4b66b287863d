/**
 * Administration of units, users, passwords and sessions over GraphQL (real API, real PostgreSQL, demo
 * province): the "done when" path (a unit, a user, a role, a reset, the forced change), every crossing of an
 * agency boundary or of the administrator role, and sessions ending when they must.
 */
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { Unit } from '../../../server/src/modules/identity/entities/unit.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { gql, loginToken, type GqlResponse } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';

type Ext = { code?: string; field?: string; reason?: string };
const ext = (r: GqlResponse<unknown>): Ext => (r.errors?.[0]?.extensions ?? {}) as Ext;

describe('administration of units, users, passwords and sessions', () => {
  let s: TestServer;
  let call: <T = Record<string, unknown>>(token: string, query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => Promise<GqlResponse<T>>;
  const idOf = async (username: string) => (await s.runtime.rt.orm.em.fork().findOneOrFail(User, { username })).id;
  const auditCount = (where: Record<string, unknown>) => s.runtime.rt.orm.em.fork().count(AuditEvent, where);

  beforeAll(async () => {
    s = await startTestServer();
    call = (token, query, variables = {}, headers = {}) => gql(s.url, query, variables, { token, headers });
  });
  afterAll(async () => s?.stop());

  it('quantri creates a unit and a user, gives the chuyên viên role, resets the password; the user must change it, then works', async () => {
    const admin = await loginToken(s.url, 'quantri');
    const me = await call<{ me: { agency: { id: string } } }>(admin, '{ me { agency { id } } }');
    const agencyId = me.data!.me.agency.id;

    const unit = await call<{ createUnit: { id: string; abbr: string; active: boolean } }>(admin, 'mutation($i: CreateUnitInput!){ createUnit(input:$i){ id abbr active } }', {
      i: { name: 'Phòng Chuyển đổi số', abbr: 'CĐS' },
    });
    expect(unit.errors).toBeUndefined();
    expect(unit.data!.createUnit).toMatchObject({ abbr: 'CĐS', active: true });
    // "M" and "…-M" are kept for secret symbols (07/UBND-KT-M): a unit may not be called so.
    for (const abbr of ['M', 'KT-M']) {
      const bad = await call(admin, 'mutation($i: CreateUnitInput!){ createUnit(input:$i){ id } }', { i: { name: 'Phòng M', abbr } });
      expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'abbr' });
    }
    const unitId = unit.data!.createUnit.id;

    const created = await call<{ createUser: { id: string; mustChangePassword: boolean } }>(admin, 'mutation($i: CreateUserInput!){ createUser(input:$i){ id mustChangePassword } }', {
      i: { username: 'tran.moi', fullName: 'Trần Văn Mới', password: 'Ban-dau-2026', agencyId, unitId, roles: ['VAN_THU'] },
    });
    expect(created.errors).toBeUndefined();
    // The administrator chose this password: it must be replaced at the first login.
    expect(created.data!.createUser.mustChangePassword).toBe(true);
    const userId = created.data!.createUser.id;

    const upd = await call<{ updateUser: { roles: string[]; title: string; unit: { abbr: string } } }>(
      admin,
      'mutation($i: UpdateUserInput!){ updateUser(input:$i){ roles title unit { abbr } } }',
      { i: { id: userId, roles: ['CHUYEN_VIEN'], title: 'Chuyên viên' } },
    );
    expect(upd.errors).toBeUndefined();
    expect(upd.data!.updateUser).toEqual({ roles: ['CHUYEN_VIEN'], title: 'Chuyên viên', unit: { abbr: 'CĐS' } });

    const reset = await call<{ resetPassword: { temporaryPassword: string; user: { mustChangePassword: boolean } } }>(
      admin,
      'mutation($i: ResetPasswordInput!){ resetPassword(input:$i){ temporaryPassword user { mustChangePassword } } }',
      { i: { userId } },
    );
    expect(reset.errors).toBeUndefined();
    const temp = reset.data!.resetPassword.temporaryPassword;
    expect(temp).toMatch(/^.{4}-.{4}-.{4}$/);
    // The first password no longer works; the temporary one does.
    const old = await gql(s.url, 'mutation { login(username: "tran.moi", password: "Ban-dau-2026") { token } }');
    expect(ext(old).code).toBe('UNAUTHENTICATED');
    const t = await loginToken(s.url, 'tran.moi', temp);

    const meNew = await call<{ me: { username: string; mustChangePassword: boolean; roles: string[] } }>(t, '{ me { username mustChangePassword roles } }');
    expect(meNew.data!.me).toEqual({ username: 'tran.moi', mustChangePassword: true, roles: ['CHUYEN_VIEN'] });
    // Everything else waits for the new password.
    for (const q of ['{ colleagues { id } }', '{ mySessions { id } }', '{ units { id } }', '{ agencies { totalCount } }']) {
      const r = await call(t, q);
      expect([q, ext(r)]).toEqual([q, expect.objectContaining({ code: 'FORBIDDEN', reason: 'PASSWORD_CHANGE_REQUIRED' })]);
      expect(r.errors![0].message).toMatch(/đổi mật khẩu/);
    }

    const CHANGE = 'mutation($i: ChangePasswordInput!){ changePassword(input:$i){ username mustChangePassword } }';
    const wrong = await call(t, CHANGE, { i: { currentPassword: 'sai-mat-khau-1', newPassword: 'Sông-Hồng-2026' } });
    expect(ext(wrong)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    const weak = await call(t, CHANGE, { i: { currentPassword: temp, newPassword: 'congvan2026' } });
    expect(ext(weak)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    expect(weak.errors![0].message).toMatch(/phổ biến/);
    const short = await call(t, CHANGE, { i: { currentPassword: temp, newPassword: 'Ngan-1' } });
    expect(ext(short)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    const same = await call(t, CHANGE, { i: { currentPassword: temp, newPassword: temp } });
    expect(ext(same)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
    const named = await call(t, CHANGE, { i: { currentPassword: temp, newPassword: 'tran.moi-2026!' } });
    expect(ext(named)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });

    const changed = await call<{ changePassword: { mustChangePassword: boolean } }>(t, CHANGE, { i: { currentPassword: temp, newPassword: 'Sông-Hồng-2026' } });
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.changePassword.mustChangePassword).toBe(false);
    const works = await call<{ colleagues: { id: string }[] }>(t, '{ colleagues { id } }');
    expect(works.errors).toBeUndefined();
    expect(works.data!.colleagues.length).toBeGreaterThan(3);
    const tempAgain = await gql(s.url, 'mutation($p:String!){ login(username: "tran.moi", password: $p) { token } }', { p: temp });
    expect(ext(tempAgain).code).toBe('UNAUTHENTICATED');
    expect(await loginToken(s.url, 'tran.moi', 'Sông-Hồng-2026')).toBeTruthy();

    for (const action of ['unit.create', 'user.create', 'user.update', 'user.password_reset', 'user.password_change'])
      expect([action, await auditCount({ action, agencyId })]).toEqual([action, 1]);
    // No password in any audit row.
    const em = s.runtime.rt.orm.em.fork();
    const rows = await em.find(AuditEvent, { targetId: userId });
    expect(JSON.stringify(rows.map((r) => r.data))).not.toMatch(new RegExp(`${temp}|Sông-Hồng|Ban-dau`));
  });

  it('limits guesses of the current password from an open session', async () => {
    const t = await loginToken(s.url, 'lanhdao');
    const CHANGE = 'mutation($i: ChangePasswordInput!){ changePassword(input:$i){ id } }';
    for (let i = 1; i <= 5; i++) {
      const r = await call(t, CHANGE, { i: { currentPassword: `doan-sai-${i}`, newPassword: 'Sông-Hồng-2026' } });
      expect([i, ext(r), r.errors![0].message]).toEqual([i, expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'currentPassword' }), 'Mật khẩu hiện tại không đúng.']);
    }
    // Even the right password now waits.
    const blocked = await call(t, CHANGE, { i: { currentPassword: 'congvan2026', newPassword: 'Sông-Hồng-2026' } });
    expect(ext(blocked)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    expect(blocked.errors![0].message).toMatch(/thử lại sau 15 phút/);
    expect(await loginToken(s.url, 'lanhdao', 'congvan2026')).toBeTruthy();
    expect(await auditCount({ action: 'user.password_change_failed', targetId: await idOf('lanhdao') })).toBe(5);
  });

  it('an agency administrator reaching into another agency gets NOT_FOUND and changes nothing', async () => {
    const snvAdmin = await loginToken(s.url, 'snv.quantri');
    const victim = await idOf('chuyenvien');
    const em = s.runtime.rt.orm.em.fork();
    const ubndUnit = await em.findOneOrFail(Unit, { abbr: 'KT', agency: { code: '000.00.00.H27' } });
    const ubndId = ubndUnit.agency.id;
    const before = await em.findOneOrFail(User, { id: victim }, { populate: ['passwordHash'] });
    const attempts: [string, Record<string, unknown>][] = [
      ['mutation($i: UpdateUserInput!){ updateUser(input:$i){ id } }', { i: { id: victim, fullName: 'Bị Sửa', roles: ['QUAN_TRI'] } }],
      ['mutation($i: ResetPasswordInput!){ resetPassword(input:$i){ temporaryPassword } }', { i: { userId: victim } }],
      ['mutation($i: SetActiveInput!){ setUserActive(input:$i){ id } }', { i: { id: victim, active: false } }],
      ['mutation($u: ID!){ endUserSessions(userId:$u) }', { u: victim }],
      ['query($u: ID!){ userSessions(userId:$u){ id } }', { u: victim }],
      ['mutation($i: CreateUnitInput!){ createUnit(input:$i){ id } }', { i: { agencyId: ubndId, name: 'Phòng lạ', abbr: 'LA' } }],
      ['mutation($i: UpdateUnitInput!){ updateUnit(input:$i){ id } }', { i: { id: ubndUnit.id, name: 'Đổi tên' } }],
      ['mutation($i: SetActiveInput!){ setUnitActive(input:$i){ id } }', { i: { id: ubndUnit.id, active: false } }],
      ['query($a: ID){ adminUnits(agencyId:$a){ id } }', { a: ubndId }],
    ];
    for (const [q, v] of attempts) {
      const r = await call(snvAdmin, q, v);
      expect([q, ext(r).code]).toEqual([q, 'NOT_FOUND']);
    }
    const em2 = s.runtime.rt.orm.em.fork();
    const after = await em2.findOneOrFail(User, { id: victim }, { populate: ['passwordHash'] });
    expect({ n: after.fullName, r: after.roles, a: after.active, h: after.passwordHash, m: after.mustChangePassword }).toEqual({
      n: before.fullName,
      r: before.roles,
      a: true,
      h: before.passwordHash,
      m: false,
    });
    expect((await em2.findOneOrFail(Unit, { id: ubndUnit.id })).name).toBe(ubndUnit.name);
    // Its own agency works (the same calls are not refused for every target).
    const own = await call<{ adminUnits: { id: string }[] }>(snvAdmin, '{ adminUnits { id } }');
    expect(own.errors).toBeUndefined();
    expect(own.data!.adminUnits.length).toBeGreaterThan(0);
  });

  it('a chuyên viên calling administration gets FORBIDDEN', async () => {
    const cv = await loginToken(s.url, 'chuyenvien');
    const other = await idOf('vanthu');
    const self = await idOf('chuyenvien');
    const attempts: [string, Record<string, unknown>][] = [
      ['mutation($i: CreateUnitInput!){ createUnit(input:$i){ id } }', { i: { name: 'Phòng mới', abbr: 'PM' } }],
      ['mutation($i: UpdateUserInput!){ updateUser(input:$i){ id } }', { i: { id: self, roles: ['QUAN_TRI'] } }],
      ['mutation($i: UpdateUserInput!){ updateUser(input:$i){ id } }', { i: { id: other, fullName: 'X' } }],
      ['mutation($i: ResetPasswordInput!){ resetPassword(input:$i){ temporaryPassword } }', { i: { userId: other } }],
      ['mutation($i: SetActiveInput!){ setUserActive(input:$i){ id } }', { i: { id: other, active: false } }],
      ['mutation($u: ID!){ endUserSessions(userId:$u) }', { u: other }],
      ['{ adminUnits { id } }', {}],
      ['{ auditEvents { edges { cursor } } }', {}],
      ['mutation { exportAuditEvents(format: CSV) { url } }', {}],
      ['mutation($i: CreateAgencyInput!){ createAgency(input:$i){ id } }', { i: { code: '000.00.30.H27', name: 'Cơ quan X', abbr: 'X' } }],
      ['{ users { totalCount } }', {}],
    ];
    for (const [q, v] of attempts) {
      const r = await call(cv, q, v);
      expect([q, ext(r).code]).toEqual([q, 'FORBIDDEN']);
    }
    expect((await s.runtime.rt.orm.em.fork().findOneOrFail(User, { id: self })).roles).toEqual(['CHUYEN_VIEN']);
  });

  it('refuses bad input with the field, and an administrator cannot lock themselves out', async () => {
    const admin = await loginToken(s.url, 'quantri');
    const self = await idOf('quantri');
    const cv = await idOf('chuyenvien');
    const snvUnit = await s.runtime.rt.orm.em.fork().findOneOrFail(Unit, { agency: { code: '000.00.02.H27' } });
    const cases: [string, Record<string, unknown>, Ext][] = [
      ['mutation($i: UpdateUserInput!){ updateUser(input:$i){ id } }', { i: { id: cv, roles: [] } }, { code: 'BAD_USER_INPUT', field: 'roles' }],
      ['mutation($i: UpdateUserInput!){ updateUser(input:$i){ id } }', { i: { id: cv, fullName: '   ' } }, { code: 'BAD_USER_INPUT', field: 'fullName' }],
      ['mutation($i: UpdateUserInput!){ updateUser(input:$i){ id } }', { i: { id: cv, unitId: snvUnit.id } }, { code: 'BAD_USER_INPUT', field: 'unitId' }],
      ['mutation($i: UpdateUserInput!){ updateUser(input:$i){ id } }', { i: { id: 'không-phải-id' } }, { code: 'BAD_USER_INPUT', field: 'id' }],
      ['mutation($i: UpdateUserInput!){ updateUser(input:$i){ id } }', { i: { id: self, roles: ['VAN_THU'] } }, { code: 'BAD_USER_INPUT', field: 'roles' }],
      ['mutation($i: SetActiveInput!){ setUserActive(input:$i){ id } }', { i: { id: self, active: false } }, { code: 'BAD_USER_INPUT', field: 'id' }],
      ['mutation($i: ResetPasswordInput!){ resetPassword(input:$i){ user { id } } }', { i: { userId: self } }, { code: 'BAD_USER_INPUT', field: 'userId' }],
      ['mutation($i: ResetPasswordInput!){ resetPassword(input:$i){ user { id } } }', { i: { userId: cv, temporaryPassword: '123' } }, { code: 'BAD_USER_INPUT', field: 'temporaryPassword' }],
      ['mutation($i: CreateUnitInput!){ createUnit(input:$i){ id } }', { i: { name: 'Văn phòng 2', abbr: 'VP' } }, { code: 'CONFLICT', field: 'abbr' }],
      ['mutation($i: CreateUnitInput!){ createUnit(input:$i){ id } }', { i: { name: 'Có dấu cách', abbr: 'A B' } }, { code: 'BAD_USER_INPUT', field: 'abbr' }],
      ['mutation($i: CreateUnitInput!){ createUnit(input:$i){ id } }', { i: { name: '', abbr: 'AB' } }, { code: 'BAD_USER_INPUT', field: 'name' }],
      ['{ users(role: QUAN_TRI, unitId: "x") { totalCount } }', {}, { code: 'BAD_USER_INPUT', field: 'unitId' }],
    ];
    for (const [q, v, want] of cases) {
      const r = await call(admin, q, v);
      expect([JSON.stringify(v), ext(r)]).toEqual([JSON.stringify(v), expect.objectContaining(want)]);
      expect(r.errors![0].message).toMatch(/[àáảãạăâđèéêìíòóôơùúưỳý]/i);
    }
    const em = s.runtime.rt.orm.em.fork();
    expect((await em.findOneOrFail(User, { id: self })).roles).toEqual(['QUAN_TRI']);
    expect((await em.findOneOrFail(User, { id: cv })).roles).toEqual(['CHUYEN_VIEN']);
  });

  it('filters users by unit, role and state, with paging', async () => {
    const admin = await loginToken(s.url, 'quantri');
    const kt = await s.runtime.rt.orm.em.fork().findOneOrFail(Unit, { abbr: 'KT', agency: { code: '000.00.00.H27' } });
    const Q = 'query($u: ID, $r: Role, $a: Boolean, $f: Int, $after: String){ users(unitId:$u, role:$r, active:$a, first:$f, after:$after){ totalCount edges { node { username } } pageInfo { hasNextPage endCursor } } }';
    type R = { users: { totalCount: number; edges: { node: { username: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const byUnit = await call<R>(admin, Q, { u: kt.id });
    expect(byUnit.data!.users.edges.map((e) => e.node.username).sort()).toEqual(['chuyenvien', 'truongphong']);
    const byRole = await call<R>(admin, Q, { r: 'LANH_DAO' });
    expect(byRole.data!.users.edges.map((e) => e.node.username)).toEqual(['lanhdao']);
    const inactive = await call<R>(admin, Q, { a: false });
    expect(inactive.data!.users.totalCount).toBe(0);
    const p1 = await call<R>(admin, Q, { f: 2 });
    const p2 = await call<R>(admin, Q, { f: 2, after: p1.data!.users.pageInfo.endCursor });
    expect(p1.data!.users.pageInfo.hasNextPage).toBe(true);
    const names = [...p1.data!.users.edges, ...p2.data!.users.edges].map((e) => e.node.username);
    expect(new Set(names).size).toBe(4);
    expect([...names].sort()).toEqual(names);
  });

  it('deactivating a user ends their sessions at once; reactivating lets them sign in again', async () => {
    const admin = await loginToken(s.url, 'quantri');
    const lt = await idOf('luutru');
    const a = await loginToken(s.url, 'luutru');
    const b = await loginToken(s.url, 'luutru');
    expect((await call(a, '{ me { id } }')).errors).toBeUndefined();
    const off = await call<{ setUserActive: { active: boolean } }>(admin, 'mutation($i: SetActiveInput!){ setUserActive(input:$i){ active } }', { i: { id: lt, active: false } });
    expect(off.data!.setUserActive.active).toBe(false);
    for (const tok of [a, b]) expect(ext(await call(tok, '{ me { id } }'))).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_EXPIRED' });
    const login = await gql(s.url, 'mutation { login(username: "luutru", password: "congvan2026") { token } }');
    expect(ext(login).code).toBe('UNAUTHENTICATED');
    // The sessions were ended in the database, not only refused: reactivation does not revive them.
    await call(admin, 'mutation($i: SetActiveInput!){ setUserActive(input:$i){ active } }', { i: { id: lt, active: true } });
    expect(ext(await call(a, '{ me { id } }')).code).toBe('UNAUTHENTICATED');
    expect(await loginToken(s.url, 'luutru')).toBeTruthy();
    expect(await auditCount({ action: 'user.deactivate', targetId: lt })).toBe(1);
    expect(await auditCount({ action: 'user.activate', targetId: lt })).toBe(1);
  });

  it('lists and ends one’s own sessions; an administrator ends all of a user’s; others cannot', async () => {
    const a = (await gql<{ login: { token: string } }>(s.url, 'mutation { login(username: "truongphong", password: "congvan2026") { token } }', {}, { headers: { 'user-agent': 'Máy A' } })).data!.login.token;
    const b = (await gql<{ login: { token: string } }>(s.url, 'mutation { login(username: "truongphong", password: "congvan2026") { token } }', {}, { headers: { 'user-agent': 'Máy B' } })).data!.login.token;
    type S = { mySessions: { id: string; userAgent: string; current: boolean; ip: string; createdAt: string }[] };
    const list = await call<S>(a, '{ mySessions { id userAgent current ip createdAt } }');
    expect(list.errors).toBeUndefined();
    const mine = list.data!.mySessions;
    expect(mine.filter((x) => x.current).map((x) => x.userAgent)).toEqual(['Máy A']);
    expect(mine.map((x) => x.userAgent)).toEqual(expect.arrayContaining(['Máy A', 'Máy B']));
    const sessionB = mine.find((x) => x.userAgent === 'Máy B')!.id;

    // lastSeenAt follows use: set at sign-in, moved forward by a request once it is older than the granularity.
    const em = s.runtime.rt.orm.em.fork();
    await em.getConnection().execute(`update session set last_seen_at = now() - interval '1 hour' where id = ?`, [sessionB]);
    const [stale] = await em.getConnection().execute<{ t: Date }[]>('select last_seen_at as t from session where id = ?', [sessionB]);
    expect((await call(b, '{ me { id } }')).errors).toBeUndefined();
    const [fresh] = await em.getConnection().execute<{ t: Date }[]>('select last_seen_at as t from session where id = ?', [sessionB]);
    expect(new Date(fresh.t).getTime()).toBeGreaterThan(new Date(stale.t).getTime());
    const seen = await call<{ mySessions: { id: string; lastSeenAt: string | null }[] }>(b, '{ mySessions { id lastSeenAt } }');
    expect(seen.data!.mySessions.find((x) => x.id === sessionB)!.lastSeenAt).toBe(new Date(fresh.t).toISOString());

    // Someone else (not an administrator) cannot end it, nor learn that it exists.
    const vt = await loginToken(s.url, 'vanthu');
    expect(ext(await call(vt, 'mutation($id: ID!){ endSession(id:$id){ id } }', { id: sessionB })).code).toBe('NOT_FOUND');
    // Another agency's administrator neither.
    const snv = await loginToken(s.url, 'snv.quantri');
    expect(ext(await call(snv, 'mutation($id: ID!){ endSession(id:$id){ id } }', { id: sessionB })).code).toBe('NOT_FOUND');
    expect((await call(b, '{ me { id } }')).errors).toBeUndefined();

    const ended = await call<{ endOtherSessions: number }>(a, 'mutation { endOtherSessions }');
    expect(ended.data!.endOtherSessions).toBeGreaterThanOrEqual(1);
    expect(ext(await call(b, '{ me { id } }')).code).toBe('UNAUTHENTICATED');
    expect((await call(a, '{ me { id } }')).errors).toBeUndefined();

    // The agency's administrator sees and ends the user's sessions.
    const admin = await loginToken(s.url, 'quantri');
    const tp = await idOf('truongphong');
    const theirs = await call<{ userSessions: { id: string; current: boolean }[] }>(admin, 'query($u: ID!){ userSessions(userId:$u){ id current } }', { u: tp });
    expect(theirs.data!.userSessions).toHaveLength(1);
    expect(theirs.data!.userSessions[0].current).toBe(false);
    const all = await call<{ endUserSessions: number }>(admin, 'mutation($u: ID!){ endUserSessions(userId:$u) }', { u: tp });
    expect(all.data!.endUserSessions).toBe(1);
    expect(ext(await call(a, '{ me { id } }')).code).toBe('UNAUTHENTICATED');
    expect(await auditCount({ action: 'user.sessions_end', targetId: tp })).toBe(1);
    expect(await auditCount({ action: 'session.end_others', targetId: tp })).toBe(1);

    // One's own session by id.
    const c = await loginToken(s.url, 'truongphong');
    const cur = (await call<S>(c, '{ mySessions { id current } }')).data!.mySessions.find((x) => x.current)!.id;
    const one = await call<{ endSession: { id: string } }>(c, 'mutation($id: ID!){ endSession(id:$id){ id } }', { id: cur });
    expect(one.data!.endSession.id).toBe(cur);
    expect(ext(await call(c, '{ me { id } }')).code).toBe('UNAUTHENTICATED');
  });

  it('a unit with active staff cannot be deactivated; a deactivated unit leaves the pickers and takes no staff', async () => {
    const admin = await loginToken(s.url, 'quantri');
    const em = s.runtime.rt.orm.em.fork();
    const kt = await em.findOneOrFail(Unit, { abbr: 'KT', agency: { code: '000.00.00.H27' } });
    const busy = await call(admin, 'mutation($i: SetActiveInput!){ setUnitActive(input:$i){ active } }', { i: { id: kt.id, active: false } });
    expect(ext(busy).code).toBe('CONFLICT');

    const created = await call<{ createUnit: { id: string } }>(admin, 'mutation { createUnit(input: { name: "Tổ công tác tạm thời", abbr: "TCT" }) { id } }');
    const id = created.data!.createUnit.id;
    const off = await call<{ setUnitActive: { active: boolean } }>(admin, 'mutation($i: SetActiveInput!){ setUnitActive(input:$i){ active } }', { i: { id, active: false } });
    expect(off.data!.setUnitActive.active).toBe(false);
    const picker = await call<{ units: { id: string }[] }>(admin, '{ units { id } }');
    expect(picker.data!.units.map((u) => u.id)).not.toContain(id);
    const adminList = await call<{ adminUnits: { id: string; active: boolean }[] }>(admin, '{ adminUnits { id active } }');
    expect(adminList.data!.adminUnits).toContainEqual({ id, active: false });
    const cv = await idOf('chuyenvien');
    const move = await call(admin, 'mutation($i: UpdateUserInput!){ updateUser(input:$i){ id } }', { i: { id: cv, unitId: id } });
    expect(ext(move)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'unitId' });
    const renamed = await call<{ updateUnit: { name: string; abbr: string } }>(admin, 'mutation($i: UpdateUnitInput!){ updateUnit(input:$i){ name abbr } }', {
      i: { id, name: 'Tổ công tác đặc biệt', abbr: 'TCĐB' },
    });
    expect(renamed.data!.updateUnit).toEqual({ name: 'Tổ công tác đặc biệt', abbr: 'TCĐB' });
    expect(await auditCount({ targetId: id })).toBe(3);
  });
});
