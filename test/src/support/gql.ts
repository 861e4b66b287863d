/** Minimal GraphQL-over-HTTP client for tests: returns status, data and errors as sent by the server. */
export interface GqlResponse<T = Record<string, unknown>> {
  status: number;
  data: T | null | undefined;
  errors: { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[] | undefined;
  headers: Headers;
}

export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  opts: { token?: string; cookie?: string; headers?: Record<string, string> } = {},
): Promise<GqlResponse<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.cookie) headers.cookie = opts.cookie;
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T | null; errors?: GqlResponse['errors'] };
  return { status: res.status, data: body.data, errors: body.errors, headers: res.headers };
}

export async function loginToken(url: string, username: string, password = 'congvan2026'): Promise<string> {
  const r = await gql<{ login: { token: string } }>(url, 'mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }', { u: username, p: password });
  if (!r.data?.login) throw new Error(`login ${username} failed: ${JSON.stringify(r.errors)}`);
  return r.data.login.token;
}
