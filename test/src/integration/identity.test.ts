import { TokenService } from '../../../server/src/modules/identity/tokens';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';

const ME = '{ me { id fullName username roles agency { code name } unit { abbr } } }';

describe('identity over GraphQL (real PostgreSQL, demo province)', () => {
  let s: TestServer;
  beforeAll(async () => {
    // A long first wait: the throttled attempt below can never come after it (no timing in the test).
    s = await startTestServer({ env: { LOGIN_MAX_FAILURES: '3', LOGIN_LOCK_MINUTES: '15', LOGIN_DELAY_SECONDS: '600' } });
  });
  afterAll(async () => s?.stop());

  it('logs the demo văn thư in and answers me with the token', async () => {
    const login = await gql<{ login: { token: string; user: { fullName: string } } }>(
      s.url,
      'mutation { login(username: "vanthu", password: "congvan2026") { token expiresAt user { fullName } } }',
    );
    expect(login.errors).toBeUndefined();
    expect(login.data!.login.user.fullName).toBe('Nguyễn Thị Hà');
    const setCookie = login.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/cv_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);

    const me = await gql<{ me: { id: string; fullName: string; roles: string[]; agency: { code: string; name: string } } }>(s.url, ME, {}, { token: login.data!.login.token });
    expect(me.errors).toBeUndefined();
    expect(me.data!.me).toMatchObject({ fullName: 'Nguyễn Thị Hà', roles: ['VAN_THU'], agency: { code: '000.00.00.H27', name: 'Ủy ban nhân dân tỉnh Bắc Ninh' } });

    // The web client authenticates with the cookie alone.
    const cookie = setCookie.split(';')[0];
    const viaCookie = await gql<{ me: { username: string } }>(s.url, ME, {}, { cookie });
    expect(viaCookie.data!.me.username).toBe('vanthu');

    // the audit log names who signed in as the one who acted (the nhật ký showed "Hệ thống" for every login)
    const [event] = await s.runtime.rt.orm.em.fork().find(AuditEvent, { action: 'auth.login', targetId: me.data!.me.id }, { orderBy: { at: 'desc' }, limit: 1 });
    expect(event.actorId).toBe(me.data!.me.id);
  });

  it('answers UNAUTHENTICATED without a token, with a forged token and with an expired one', async () => {
    const none = await gql(s.url, ME);
    expect(none.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    expect(none.errors![0].message).toMatch(/đăng nhập/);

    const forged = await new TokenService('not-the-secret-not-the-secret-not-the-secret').sign({ sessionId: '01900000-0000-7000-8000-000000000000', userId: '01900000-0000-7000-8000-000000000001', expiresAt: new Date(Date.now() + 3600_000) });
    const f = await gql(s.url, ME, {}, { token: forged });
    expect(f.errors![0].extensions!.code).toBe('UNAUTHENTICATED');

    const garbage = await gql(s.url, ME, {}, { token: 'abc.def.ghi' });
    expect(garbage.errors![0].extensions!.code).toBe('UNAUTHENTICATED');

    const expired = await s.runtime.rt.services.tokens.sign({ sessionId: '01900000-0000-7000-8000-000000000000', userId: '01900000-0000-7000-8000-000000000001', expiresAt: new Date(Date.now() - 1000) });
    const e = await gql(s.url, ME, {}, { token: expired });
    expect(e.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_EXPIRED' });
  });

  it('rejects a wrong password and an unknown user with the same typed error, then throttles', async () => {
    const wrong = await gql(s.url, 'mutation { login(username: "chuyenvien", password: "sai-mat-khau") { token } }');
    expect(wrong.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'BAD_CREDENTIALS' });
    expect(wrong.errors![0].message).toBe('Tên đăng nhập hoặc mật khẩu không đúng.');
    const unknown = await gql(s.url, 'mutation { login(username: "khongtontai", password: "x12345678") { token } }');
    expect(unknown.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'BAD_CREDENTIALS' });

    // Two more failures reach LOGIN_MAX_FAILURES=3 from this address: now even the right password must wait.
    await gql(s.url, 'mutation { login(username: "chuyenvien", password: "sai-1") { token } }');
    await gql(s.url, 'mutation { login(username: "chuyenvien", password: "sai-2") { token } }');
    const locked = await gql(s.url, 'mutation { login(username: "chuyenvien", password: "congvan2026") { token } }');
    expect(locked.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'LOGIN_THROTTLED' });
    expect(locked.errors![0].message).toMatch(/tạm khóa/);
    // Other users are unaffected.
    expect(await loginToken(s.url, 'truongphong')).toBeTruthy();

    const em = s.runtime.rt.orm.em.fork();
    expect(await em.count(AuditEvent, { action: 'auth.login_failed' })).toBeGreaterThanOrEqual(4);
  });

  it('logout revokes the session', async () => {
    const token = await loginToken(s.url, 'lanhdao');
    const out = await gql<{ logout: boolean }>(s.url, 'mutation { logout }', {}, { token });
    expect(out.data!.logout).toBe(true);
    const me = await gql(s.url, ME, {}, { token });
    expect(me.errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'SESSION_EXPIRED' });
    const em = s.runtime.rt.orm.em.fork();
    expect(await em.count(AuditEvent, { action: 'auth.logout' })).toBe(1);
  });

  it('lists agencies as a connection, searchable without diacritics', async () => {
    const token = await loginToken(s.url, 'luutru');
    const q = 'query($s:String,$f:Int,$a:String){ agencies(search:$s, first:$f, after:$a){ totalCount edges { cursor node { code name abbr parent { code } units { abbr } } } pageInfo { hasNextPage endCursor } } }';
    type R = { agencies: { totalCount: number; edges: { node: { code: string; name: string; parent: { code: string } | null } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } };
    const all = await gql<R>(s.url, q, { f: 4 }, { token });
    expect(all.errors).toBeUndefined();
    expect(all.data!.agencies.totalCount).toBe(13);
    expect(all.data!.agencies.edges).toHaveLength(4);
    expect(all.data!.agencies.pageInfo.hasNextPage).toBe(true);
    const next = await gql<R>(s.url, q, { f: 100, a: all.data!.agencies.pageInfo.endCursor }, { token });
    expect(next.data!.agencies.edges).toHaveLength(9);
    const codes = [...all.data!.agencies.edges, ...next.data!.agencies.edges].map((e) => e.node.code);
    expect(new Set(codes).size).toBe(13);

    const found = await gql<R>(s.url, q, { s: 'luong tai' }, { token });
    expect(found.data!.agencies.edges.map((e) => e.node.name)).toEqual(['Ủy ban nhân dân xã Lương Tài']);
    expect(found.data!.agencies.edges[0].node.parent!.code).toBe('000.00.00.H27');
    const byAbbr = await gql<R>(s.url, q, { s: 'SNV' }, { token });
    expect(byAbbr.data!.agencies.edges.map((e) => e.node.code)).toEqual(['000.00.02.H27']);

    const bad = await gql(s.url, q, { a: 'not-a-cursor' }, { token });
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('colleagues lists the active staff of the caller\'s own agency only, filterable by role and unit', async () => {
    const token = await loginToken(s.url, 'vanthu');
    const q = 'query($r:[Role!],$u:ID,$s:String){ colleagues(roles:$r, unitId:$u, search:$s){ username roles agency { code } unit { abbr } } }';
    type R = { colleagues: { username: string; roles: string[]; agency: { code: string }; unit: { abbr: string } | null }[] };
    const all = await gql<R>(s.url, q, {}, { token });
    expect(all.errors).toBeUndefined();
    expect(all.data!.colleagues.every((u) => u.agency.code === '000.00.00.H27')).toBe(true);
    expect(all.data!.colleagues.map((u) => u.username).sort()).toEqual(['chuyenvien', 'lanhdao', 'luutru', 'quantri', 'truongphong', 'vanthu']);
    const leaders = await gql<R>(s.url, q, { r: ['LANH_DAO', 'TRUONG_PHONG'] }, { token });
    expect(leaders.data!.colleagues.map((u) => u.username).sort()).toEqual(['lanhdao', 'truongphong']);
    const units = await gql<{ units: { id: string; abbr: string }[] }>(s.url, '{ units { id abbr } }', {}, { token });
    const kt = units.data!.units.find((u) => u.abbr === 'KT')!.id;
    const inKt = await gql<R>(s.url, q, { u: kt }, { token });
    expect(inKt.data!.colleagues.map((u) => u.username).sort()).toEqual(['chuyenvien', 'truongphong']);
    const byName = await gql<R>(s.url, q, { s: 'pham quoc' }, { token });
    expect(byName.data!.colleagues.map((u) => u.username)).toEqual(['lanhdao']);
    // Another agency's unit filters to nothing: no other agency's staff list leaks.
    const snvUnits = await gql<{ agencies: { edges: { node: { units: { id: string }[] } }[] } }>(s.url, '{ agencies(search: "SNV") { edges { node { units { id } } } } }', {}, { token });
    const other = await gql<R>(s.url, q, { u: snvUnits.data!.agencies.edges[0].node.units[0].id }, { token });
    expect(other.data!.colleagues).toEqual([]);
    const anon = await gql(s.url, q);
    expect(anon.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('only administrators list and create users, and only for agencies they administer', async () => {
    const usersQ = 'query($a:ID){ users(agencyId:$a, first: 50){ totalCount edges { node { username roles } } } }';
    const clerk = await loginToken(s.url, 'vanthu');
    const denied = await gql(s.url, usersQ, {}, { token: clerk });
    expect(denied.errors![0].extensions!.code).toBe('FORBIDDEN');

    // An agency admin (Sở Nội vụ) sees its own users but not another agency's.
    const snvAdmin = await loginToken(s.url, 'snv.quantri');
    const own = await gql<{ users: { totalCount: number } }>(s.url, usersQ, {}, { token: snvAdmin });
    expect(own.data!.users.totalCount).toBe(6);
    const agencies = await gql<{ agencies: { edges: { node: { id: string; code: string } }[] } }>(s.url, '{ agencies(first: 100) { edges { node { id code } } } }', {}, { token: snvAdmin });
    const ubndId = agencies.data!.agencies.edges.find((e) => e.node.code === '000.00.00.H27')!.node.id;
    const snvId = agencies.data!.agencies.edges.find((e) => e.node.code === '000.00.02.H27')!.node.id;
    const cross = await gql(s.url, usersQ, { a: ubndId }, { token: snvAdmin });
    expect(cross.errors![0].extensions!.code).toBe('FORBIDDEN');
    const crossCreate = await gql(
      s.url,
      'mutation($i: CreateUserInput!){ createUser(input:$i){ username } }',
      { i: { username: 'ke.xam.nhap', fullName: 'Kẻ Xâm Nhập', password: 'matkhau123', agencyId: ubndId, roles: ['LANH_DAO'] } },
      { token: snvAdmin },
    );
    expect(crossCreate.errors![0].extensions!.code).toBe('FORBIDDEN');

    // The operator's admin (provincial office) administers every agency.
    const opAdmin = await loginToken(s.url, 'quantri');
    const created = await gql<{ createUser: { username: string; agency: { code: string } } }>(
      s.url,
      'mutation($i: CreateUserInput!){ createUser(input:$i){ username agency { code } } }',
      { i: { username: 'snv.chuyenvien2', fullName: 'Nguyễn Văn Mới', password: 'matkhau123', agencyId: snvId, roles: ['CHUYEN_VIEN'] } },
      { token: opAdmin },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createUser).toEqual({ username: 'snv.chuyenvien2', agency: { code: '000.00.02.H27' } });
    const dup = await gql(
      s.url,
      'mutation($i: CreateUserInput!){ createUser(input:$i){ username } }',
      { i: { username: 'snv.chuyenvien2', fullName: 'Trùng', password: 'matkhau123', agencyId: snvId, roles: ['CHUYEN_VIEN'] } },
      { token: opAdmin },
    );
    expect(dup.errors![0].extensions).toMatchObject({ code: 'CONFLICT', field: 'username' });
    const weak = await gql(
      s.url,
      'mutation($i: CreateUserInput!){ createUser(input:$i){ username } }',
      { i: { username: 'snv.x', fullName: 'Yếu', password: '123', agencyId: snvId, roles: ['CHUYEN_VIEN'] } },
      { token: opAdmin },
    );
    expect(weak.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
    const em = s.runtime.rt.orm.em.fork();
    expect(await em.count(AuditEvent, { action: 'user.create' })).toBe(1);
  });
});
