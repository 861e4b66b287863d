import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';

/** Reads Server-Sent Events from a GraphQL subscription until `count` `next` events arrived. */
async function collect(url: string, query: string, variables: Record<string, unknown>, token: string, count: number, signal: AbortSignal): Promise<unknown[]> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal,
  });
  const events: unknown[] = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const chunk = buf.slice(0, i);
      buf = buf.slice(i + 2);
      const data = chunk.split('\n').find((l) => l.startsWith('data:'));
      if (chunk.startsWith('event: next') && data) events.push(JSON.parse(data.slice(5)));
    }
  }
  await reader.cancel().catch(() => undefined);
  return events;
}

describe('subscriptions over SSE, across the PostgreSQL pub/sub', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.stop());

  it('inboxChanged fires for the agency when a document is registered; documentChanged is authorised', async () => {
    const clerk = await loginToken(s.url, 'vanthu');
    const leader = await loginToken(s.url, 'lanhdao');
    const outsider = await loginToken(s.url, 'snv.vanthu');
    const ac = new AbortController();
    const inbox = collect(s.url, 'subscription { inboxChanged { documentId } }', {}, leader, 1, ac.signal);
    await new Promise((r) => setTimeout(r, 500));
    const reg = await gql<{ registerIncoming: { id: string } }>(
      s.url,
      'mutation($i: RegisterIncomingInput!){ registerIncoming(input:$i){ id } }',
      { i: { issuerName: 'Bộ Nội vụ', symbol: '12/BNV-TCBC', issuedDate: '2026-11-20', typeName: 'Công văn', subject: 'V/v thử nghiệm thông báo trực tiếp' } },
      { token: clerk },
    );
    expect(reg.errors).toBeUndefined();
    const id = reg.data!.registerIncoming.id;
    const [ev] = (await inbox) as { data: { inboxChanged: { documentId: string } } }[];
    expect(ev.data.inboxChanged.documentId).toBe(id);

    // Another agency cannot subscribe to the document.
    const denied = await fetch(`${s.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${outsider}` },
      body: JSON.stringify({ query: 'subscription($id: ID!) { documentChanged(id: $id) { id } }', variables: { id } }),
    });
    const body = (await denied.json()) as { errors?: { extensions: { code: string } }[] };
    expect(body.errors?.[0].extensions.code).toBe('NOT_FOUND');

    // The clerk watching the document sees its state change when it is submitted.
    const leaderId = (await gql<{ me: { id: string } }>(s.url, '{ me { id } }', {}, { token: leader })).data!.me.id;
    const changes = collect(s.url, 'subscription($id: ID!) { documentChanged(id: $id) { id status } }', { id }, clerk, 1, ac.signal);
    await new Promise((r) => setTimeout(r, 500));
    const sub = await gql(s.url, 'mutation($d: ID!, $l: ID!){ submitForAnnotation(documentId: $d, leaderId: $l){ id } }', { d: id, l: leaderId }, { token: clerk });
    expect(sub.errors).toBeUndefined();
    const [c] = (await changes) as { data: { documentChanged: { id: string; status: string } } }[];
    expect(c.data.documentChanged).toEqual({ id, status: 'SUBMITTED' });
    ac.abort();
  });
});
