import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';

describe('bad HTTP/GraphQL input gets a typed error and the server keeps serving', () => {
  let s: TestServer;
  let token: string;
  beforeAll(async () => {
    s = await startTestServer({ env: { MAX_BODY_BYTES: '20000', GRAPHQL_MAX_DEPTH: '8', GRAPHQL_MAX_COST: '3000' } });
    token = await loginToken(s.url, 'vanthu');
  });
  afterAll(async () => s?.stop());

  const post = (body: string, ct = 'application/json') => fetch(`${s.url}/graphql`, { method: 'POST', headers: { 'content-type': ct }, body });

  it('malformed JSON → 400 BAD_USER_INPUT', async () => {
    const r = await post('{"query": "{ health }"');
    expect(r.status).toBe(400);
    const b = (await r.json()) as { errors: { extensions: { code: string }; message: string }[] };
    expect(b.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(b.errors[0].message).toMatch(/JSON/);
  });

  it('body over the limit → 413 BAD_USER_INPUT', async () => {
    const r = await post(JSON.stringify({ query: `{ health } # ${'x'.repeat(30000)}` }));
    expect(r.status).toBe(413);
    const b = (await r.json()) as { errors: { extensions: { code: string } }[] };
    expect(b.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('syntax errors, unknown fields and wrong variables → BAD_USER_INPUT', async () => {
    const syntax = await gql(s.url, '{ me { ', {}, { token });
    expect(syntax.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const unknown = await gql(s.url, '{ me { password } }', {}, { token });
    expect(unknown.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const vars = await gql(s.url, 'query($f:Int){ agencies(first:$f){ totalCount } }', { f: 'many' }, { token });
    expect(vars.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('a query too deep or too costly is refused before it runs', async () => {
    const deep = '{ me { agency { parent { parent { parent { parent { parent { parent { parent { code } } } } } } } } } }';
    const d = await gql(s.url, deep, {}, { token });
    expect(d.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    expect(d.data ?? null).toBeNull();
    const wide = `{ ${Array.from({ length: 25 }, (_, i) => `a${i}: agencies(first: 100) { edges { node { units { agency { units { abbr name } } } } } }`).join(' ')} }`;
    const c = await gql(s.url, wide, {}, { token });
    expect(c.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('a negative page size is a typed input error', async () => {
    const r = await gql(s.url, '{ agencies(first: -1) { totalCount } }', {}, { token });
    expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('a coercion error never shows graphql-js English: BAD_USER_INPUT with the input path and a Vietnamese message', async () => {
    type Err = { message: string; extensions: { code: string; field?: string } };
    const stats = 'query($from: Date!, $to: Date!){ statistics(from: $from, to: $to){ incoming } }';
    // 31/02 does not exist; a year of five digits (22026) neither.
    for (const from of ['2026-02-31', '22026-02-01', '1899-12-31']) {
      const r = await gql(s.url, stats, { from, to: '2026-03-01' }, { token });
      const e = r.errors![0] as unknown as Err;
      expect(e.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'from' });
      expect(e.message).toBe('Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.');
    }
    // A date inside an input object: the field is the path inside it (lead.deadline), as the services name fields.
    const annotate = 'mutation($input: AnnotateInput!){ annotate(documentId: "1", input: $input){ id } }';
    const a = await gql(s.url, annotate, { input: { lead: { unitId: '1', deadline: '2026-02-31' } } }, { token });
    const ae = a.errors!.map((x) => x as unknown as Err).find((x) => x.extensions.field === 'lead.deadline');
    expect(ae).toBeDefined();
    expect(ae!.message).toBe('Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.');
    // An invalid enum value and a missing variable.
    const en = await gql(s.url, 'query($k: RegisterReportKind!){ registerReport(kind: $k, format: PDF){ fileName } }', { k: 'NOPE' }, { token });
    expect((en.errors![0] as unknown as Err).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'k' });
    const miss = await gql(s.url, stats, { from: '2026-01-01' }, { token });
    expect((miss.errors![0] as unknown as Err).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    for (const r of [en, miss]) for (const e of r.errors!) expect(e.message).not.toMatch(/Variable|Expected|got invalid value/);
  });

  it('still serves after all of the above, and answers the probes', async () => {
    const ok = await gql<{ me: { username: string } }>(s.url, '{ me { username } }', {}, { token });
    expect(ok.data!.me.username).toBe('vanthu');
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${s.url}/readyz`)).json()).toEqual({ status: 'ready' });
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    expect(metrics).toMatch(/congvan_http_request_duration_seconds_bucket/);
  });

  it('a cookie is not honoured on a cross-site-sendable POST (multipart) without the CSRF header', async () => {
    const login = await gql(s.url, 'mutation { login(username: "luutru", password: "congvan2026") { token } }');
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
    const form = () => {
      const f = new FormData();
      f.append('operations', JSON.stringify({ query: 'mutation { logout }' }));
      f.append('map', '{}');
      return f;
    };
    const forged = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { cookie }, body: form() });
    const b = (await forged.json()) as { errors: { extensions: { code: string } }[] };
    expect(b.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // The session survived; a GET query (read-only) with the cookie works, as EventSource needs.
    const get = await fetch(`${s.url}/graphql?query=${encodeURIComponent('{ me { username } }')}`, { headers: { cookie, accept: 'application/json' } });
    expect(((await get.json()) as { data: { me: { username: string } } }).data.me.username).toBe('luutru');
    const withHeader = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { cookie, 'x-congvan-csrf': '1' }, body: form() });
    expect(((await withHeader.json()) as { data: { logout: boolean } }).data.logout).toBe(true);
  });
});
