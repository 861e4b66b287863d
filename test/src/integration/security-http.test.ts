/**
 * Issue "Trust", findings 3, 8 and 11, tried from outside over real HTTP against the real API and PostgreSQL:
 * the CSRF guard and CORS, the upload limit, NUL and control characters, malformed cursors, the trusted
 * proxy, /metrics protection, production defaults (no introspection, no GraphiQL, no internals in errors)
 * and database errors in the logs.
 */
import { loadConfig } from '../../../server/src/config/config';
import { safeErrorSerializer } from '../../../server/src/shared/logger';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';

const EVIL = 'https://evil.example';
const PORTAL = 'https://cong-thong-tin.example.gov.vn';

async function sessionCookie(url: string, username: string): Promise<string> {
  const r = await gql(url, 'mutation($u:String!){ login(username:$u, password:"congvan2026") { token } }', { u: username });
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0];
  if (!cookie.startsWith('cv_session=')) throw new Error(`no session cookie: ${JSON.stringify(r.errors)}`);
  return cookie;
}

type Body = { data?: Record<string, unknown> | null; errors?: { message: string; extensions: Record<string, unknown> }[] };

describe('HTTP hardening (development defaults)', () => {
  let s: TestServer;
  let token: string;
  beforeAll(async () => {
    s = await startTestServer({ env: { CORS_ORIGINS: PORTAL, METRICS_TOKEN: 'bi-mat-cua-prometheus' } });
    token = await loginToken(s.url, 'quantri');
  });
  afterAll(async () => s?.stop());

  const loggedIn = async (cookie: string) => {
    const r = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query: '{ me { username } }' }) });
    return ((await r.json()) as Body).data?.me != null;
  };

  it('finding 3: a form whose charset merely says application/json does not get the cookie honoured', async () => {
    const cookie = await sessionCookie(s.url, 'luutru');
    const forged = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { origin: EVIL, cookie, 'content-type': 'application/x-www-form-urlencoded;charset=application/json' },
      body: 'query=mutation{logout}',
    });
    const b = (await forged.json()) as Body;
    expect(b.data?.logout).not.toBe(true);
    expect(b.errors![0].extensions.code).toBe('UNAUTHENTICATED');
    // Same without an Origin header (older browsers, some redirects).
    const noOrigin = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded;charset=application/json' },
      body: 'query=mutation{logout}',
    });
    expect(((await noOrigin.json()) as Body).errors![0].extensions.code).toBe('UNAUTHENTICATED');
    // text/plain (also sendable cross-site) is not a GraphQL request at all.
    const plain = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { cookie, 'content-type': 'text/plain; a=application/json' }, body: '{"query":"mutation{logout}"}' });
    expect(plain.status).toBe(415);
    expect(await loggedIn(cookie)).toBe(true);
  });

  it('finding 3: a foreign Origin never gets cookie authentication, even on JSON or GET; our own origin does', async () => {
    const cookie = await sessionCookie(s.url, 'luutru');
    const json = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { origin: EVIL, cookie, 'content-type': 'application/json' }, body: JSON.stringify({ query: 'mutation { logout }' }) });
    expect(((await json.json()) as Body).errors![0].extensions.code).toBe('UNAUTHENTICATED');
    const get = await fetch(`${s.url}/graphql?query=${encodeURIComponent('{ me { username } }')}`, { headers: { origin: EVIL, cookie, accept: 'application/json' } });
    expect(((await get.json()) as Body).errors![0].extensions.code).toBe('UNAUTHENTICATED');
    const nul = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { origin: 'null', cookie, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { username } }' }) });
    expect(((await nul.json()) as Body).errors![0].extensions.code).toBe('UNAUTHENTICATED');
    for (const origin of [new URL(s.url).origin, PORTAL]) {
      const own = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { origin, cookie, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify({ query: '{ me { username } }' }) });
      expect(((await own.json()) as { data: { me: { username: string } } }).data.me.username).toBe('luutru');
    }
    // Multipart still needs the custom header (and an acceptable origin).
    const form = () => {
      const f = new FormData();
      f.append('operations', JSON.stringify({ query: '{ me { username } }' }));
      f.append('map', '{}');
      return f;
    };
    const mp = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { cookie }, body: form() });
    expect(((await mp.json()) as Body).errors![0].extensions.code).toBe('UNAUTHENTICATED');
    const mpEvil = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { cookie, origin: EVIL, 'x-congvan-csrf': '1' }, body: form() });
    expect(((await mpEvil.json()) as Body).errors![0].extensions.code).toBe('UNAUTHENTICATED');
    const mpOk = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { cookie, 'x-congvan-csrf': '1' }, body: form() });
    expect(((await mpOk.json()) as { data: { me: { username: string } } }).data.me.username).toBe('luutru');
  });

  it('finding 3: a forged cross-site login form gets no session cookie (login CSRF)', async () => {
    for (const headers of [{ origin: EVIL }, {}] as Record<string, string>[]) {
      const r = await fetch(`${s.url}/graphql`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: `query=${encodeURIComponent('mutation { login(username: "snv.chuyenvien", password: "congvan2026") { token } }')}`,
      });
      expect(r.headers.get('set-cookie')).toBeNull();
    }
    const json = await gql(s.url, 'mutation { login(username: "snv.chuyenvien", password: "congvan2026") { token } }', {}, { headers: { origin: EVIL } });
    expect(json.headers.get('set-cookie')).toBeNull();
    const own = await gql(s.url, 'mutation { login(username: "snv.chuyenvien", password: "congvan2026") { token } }', {}, { headers: { origin: new URL(s.url).origin } });
    expect(own.headers.get('set-cookie')).toMatch(/^cv_session=/);
  });

  it('finding 3: CORS answers only the configured origins', async () => {
    const preflight = (origin: string) =>
      fetch(`${s.url}/graphql`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const evil = await preflight(EVIL);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.headers.get('access-control-allow-credentials')).toBeNull();
    const portal = await preflight(PORTAL);
    expect(portal.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(portal.headers.get('access-control-allow-credentials')).toBe('true');
    const post = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { origin: EVIL, 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('finding 11: NUL in a variable or a literal is BAD_USER_INPUT with the field; control and bidi characters are dropped, text is NFC', async () => {
    const v = await gql(s.url, 'query($q:String){ agencies(search:$q){ totalCount } }', { q: 'Bắc\u0000Ninh' }, { token });
    expect(v.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'q' });
    expect(v.errors![0].message).toMatch(/ký tự NUL/);
    const lit = await gql(s.url, '{ agencies(search: "B\\u0000") { totalCount } }', {}, { token });
    expect(lit.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'agencies.search' });
    const nested = await gql(s.url, 'mutation($i:CreateUserInput!){ createUser(input:$i){ id } }', {
      i: { username: 'nul.test', fullName: 'A\u0000', password: 'mat-khau-dai', agencyId: '00000000-0000-4000-8000-000000000000', roles: ['CHUYEN_VIEN'] },
    }, { token });
    expect(nested.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'i.fullName' });

    const me = await gql<{ me: { agency: { id: string } } }>(s.url, '{ me { agency { id } } }', {}, { token });
    const agencyId = me.data!.me.agency.id;
    const created = await gql<{ createUser: { fullName: string; title: string } }>(
      s.url,
      'mutation($i:CreateUserInput!){ createUser(input:$i){ fullName title } }',
      // BEL, RLO … PDF, a C1 control, and a decomposed "ễ" (e + combining circumflex + combining tilde).
      { i: { username: 'kiem.tra', fullName: 'Nguy\u0065\u0302\u0303n\u0007 \u202EVăn\u202C B\u0085', title: 'Chuyên\tviên', password: 'mat-khau-dai', agencyId, roles: ['CHUYEN_VIEN'] } },
      { token },
    );
    expect(created.errors).toBeUndefined();
    expect(created.data!.createUser.fullName).toBe('Nguyễn Văn B');
    expect(created.data!.createUser.title).toBe('Chuyên\tviên');
    // The password was kept as typed (only NUL is refused there): the new user signs in with it.
    expect(await loginToken(s.url, 'kiem.tra', 'mat-khau-dai')).toBeTruthy();
  });

  it('finding 11: malformed cursors are BAD_USER_INPUT, never INTERNAL', async () => {
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const after of ['%%%không-phải-base64', b64({ a: 1 }), b64([{ code: 'x' }]), b64(['\u0000']), b64([1, 2]), 'e30', 'x'.repeat(5000)]) {
      const r = await gql(s.url, 'query($a:String){ agencies(after:$a){ totalCount } }', { a: after }, { token });
      expect([after.slice(0, 20), r.errors?.[0].extensions]).toEqual([after.slice(0, 20), expect.objectContaining({ code: 'BAD_USER_INPUT', field: 'after' })]);
    }
    const vt = await loginToken(s.url, 'vanthu');
    for (const after of ['%%%', b64([0, 'x', 'y', 'z']), b64({})]) {
      const r = await gql(s.url, 'query($a:String){ inbox(box: TO_REGISTER, after:$a){ totalCount } }', { a: after }, { token: vt });
      expect(r.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    }
  });

  it('finding 11: X-Forwarded-For is ignored unless TRUST_PROXY names the proxy; TRUST_PROXY=true is refused', async () => {
    await gql(s.url, 'mutation { login(username: "snv.luutru", password: "sai") { token } }', {}, { headers: { 'x-forwarded-for': '203.0.113.66' } });
    const em = s.runtime.rt.orm.em.fork();
    const ev = await em.find(AuditEvent, { action: 'auth.login_failed' });
    const mine = ev.filter((e) => (e.data as { username?: string })?.username === 'snv.luutru');
    expect(mine).toHaveLength(1);
    expect(mine[0].ip).not.toBe('203.0.113.66');
    expect(mine[0].ip).toMatch(/127\.0\.0\.1|::1/);
    expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(() => loadConfig({ CORS_ORIGINS: 'không phải URL' })).toThrow(/CORS_ORIGINS/);
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example/path, http://b.example:8080' }).corsOrigins).toEqual(['https://a.example', 'http://b.example:8080']);
  });

  it('finding 11: /metrics needs the bearer METRICS_TOKEN when one is set', async () => {
    expect((await fetch(`${s.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer sai' } })).status).toBe(401);
    const ok = await fetch(`${s.url}/metrics`, { headers: { authorization: 'Bearer bi-mat-cua-prometheus' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/congvan_http_request_duration_seconds/);
  });

  it('finding 11: database errors are logged without the SQL and its parameters (a secret trích yếu)', async () => {
    const em = s.runtime.rt.orm.em.fork();
    const secret = 'Trích yếu MẬT về kế hoạch XYZ';
    let err: unknown;
    try {
      await em.getConnection().execute(`select length(?::text) as n where ? = 'x'`, [`${secret}\u0000`, secret]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeDefined();
    expect(String((err as Error).message)).toContain(secret); // what the driver says: the reason for the serialiser
    const logged = JSON.stringify(safeErrorSerializer(err));
    expect(logged).not.toContain(secret);
    expect(logged).not.toMatch(/select length/);
    expect(logged).toMatch(/invalid message format|UTF8|0x00/); // PostgreSQL's own reason stays
  });
});

describe('HTTP hardening (NODE_ENV=production)', () => {
  let s: TestServer;
  let token: string;
  beforeAll(async () => {
    s = await startTestServer({ env: { NODE_ENV: 'production' } });
    token = await loginToken(s.url, 'vanthu');
  });
  afterAll(async () => s?.stop());

  it('introspection and GraphiQL are off; errors carry no internals', async () => {
    const intro = await gql(s.url, '{ __schema { types { name } } }', {}, { token });
    expect(intro.data ?? null).toBeNull();
    expect(intro.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const type = await gql(s.url, '{ __type(name: "Document") { name } }', {}, { token });
    expect(type.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect((await gql<{ __typename: string }>(s.url, '{ __typename }', {}, { token })).data!.__typename).toBe('Query');

    const page = await fetch(`${s.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/GraphiQL|graphiql/);

    for (const q of ['{ me { password } }', '{ me { ', 'query($f:Int){ agencies(first:$f){ totalCount } }']) {
      const r = await gql(s.url, q, { f: 'nhiều' }, { token });
      for (const e of r.errors!) {
        expect(Object.keys(e.extensions ?? {})).not.toEqual(expect.arrayContaining(['originalError']));
        expect(JSON.stringify(e)).not.toMatch(/stack|\bat .*\.js:\d+/);
      }
    }
  });

  it('/metrics refuses without a configured METRICS_TOKEN', async () => {
    expect((await fetch(`${s.url}/metrics`)).status).toBe(403);
  });
});
