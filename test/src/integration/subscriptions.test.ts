import { gql, loginToken } from '../support/gql';
import { openSubscription } from '../support/sse';
import { startTestServer, type TestServer } from '../support/server';

/** Reads Server-Sent Events from a GraphQL subscription until `count` `next` events arrived. */
async function collect(url: string, query: string, variables: Record<string, unknown>, token: string, count: number, signal: AbortSignal): Promise<unknown[]> {
  const stream = openSubscription(url, query, variables, token, signal);
  const events = await stream.next(count);
  await stream.close();
  return events;
}

const REGISTER = 'mutation($i: RegisterIncomingInput!){ registerIncoming(input:$i){ id } }';
// A new số ký hiệu each time: the same one would be refused as a duplicate before numbering.
let symbolSeq = 70;
const incoming = (subject: string) => ({ i: { issuerName: 'Bộ Nội vụ', symbol: `${symbolSeq++}/BNV-TCBC`, issuedDate: '2026-11-20', typeName: 'Công văn', subject } });

describe('subscriptions over SSE, across the PostgreSQL pub/sub', () => {
  let s: TestServer;
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((f) => f()));
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

  it('documentChanged resolves every event afresh (assignments made after the first event show up)', async () => {
    const clerk = await loginToken(s.url, 'vanthu');
    const leader = await loginToken(s.url, 'lanhdao');
    const reg = await gql<{ registerIncoming: { id: string } }>(s.url, REGISTER, incoming('V/v thử cập nhật trực tiếp'), { token: clerk });
    const id = reg.data!.registerIncoming.id;
    const ids = Object.fromEntries(
      await Promise.all(['lanhdao', 'chuyenvien'].map(async (u) => [u, (await gql<{ me: { id: string } }>(s.url, '{ me { id } }', {}, { token: await loginToken(s.url, u) })).data!.me.id])),
    ) as Record<string, string>;
    const ac = new AbortController();
    const bound = setTimeout(() => ac.abort(), 20_000);
    cleanups.push(() => {
      clearTimeout(bound);
      ac.abort();
    });
    const stream = openSubscription(s.url, 'subscription($id: ID!) { documentChanged(id: $id) { status assignments { user { username } } } }', { id }, leader, ac.signal);
    await new Promise((r) => setTimeout(r, 500));
    expect((await gql(s.url, 'mutation($d: ID!, $l: ID!){ submitForAnnotation(documentId: $d, leaderId: $l){ id } }', { d: id, l: ids.lanhdao }, { token: clerk })).errors).toBeUndefined();
    await stream.read((ev) => ev.length >= 1);
    const ann = await gql(s.url, 'mutation($d: ID!, $i: AnnotateInput!){ annotate(documentId: $d, input: $i){ id } }', { d: id, i: { lead: { userId: ids.chuyenvien } } }, { token: leader });
    expect(ann.errors).toBeUndefined();
    const { events } = await stream.read((ev) => ev.some((e) => (e.data?.documentChanged as { status: string } | undefined)?.status === 'ASSIGNED'));
    await stream.close();
    const last = events.map((e) => e.data?.documentChanged as { status: string; assignments: { user: { username: string } | null }[] }).find((d) => d?.status === 'ASSIGNED');
    expect(last?.assignments.map((a) => a.user?.username)).toEqual(['chuyenvien']);
  });

  it('a subscription does not survive logout: the next event ends the stream with UNAUTHENTICATED', async () => {
    const clerk = await loginToken(s.url, 'vanthu');
    const watcher = await loginToken(s.url, 'vanthu');
    const reg = await gql<{ registerIncoming: { id: string } }>(s.url, REGISTER, incoming('V/v thử đóng luồng khi đăng xuất'), { token: clerk });
    expect(reg.errors).toBeUndefined();
    const id = reg.data!.registerIncoming.id;
    const ac = new AbortController();
    const bound = setTimeout(() => ac.abort(), 20_000);
    cleanups.push(() => {
      clearTimeout(bound);
      ac.abort();
    });
    const stream = openSubscription(s.url, 'subscription($id: ID!) { documentChanged(id: $id) { id status } }', { id }, watcher, ac.signal);
    await new Promise((r) => setTimeout(r, 500));
    const out = await gql<{ logout: boolean }>(s.url, 'mutation { logout }', {}, { token: watcher });
    expect(out.data?.logout).toBe(true);
    const leaderId = (await gql<{ me: { id: string } }>(s.url, '{ me { id } }', {}, { token: await loginToken(s.url, 'lanhdao') })).data!.me.id;
    const sub = await gql(s.url, 'mutation($d: ID!, $l: ID!){ submitForAnnotation(documentId: $d, leaderId: $l){ id } }', { d: id, l: leaderId }, { token: clerk });
    expect(sub.errors).toBeUndefined();
    const { events, completed } = await stream.read((ev) => ev.length >= 2);
    clearTimeout(bound);
    await stream.close();
    // No data after logout: one error event, then the server closes the stream.
    expect(events.map((e) => e.data?.documentChanged ?? null)).toEqual([null]);
    expect(events[0].errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(completed).toBe(true);
  });

  it('inboxChanged tells a member only about documents they may see', async () => {
    const clerk = await loginToken(s.url, 'vanthu');
    const staff = await loginToken(s.url, 'chuyenvien');
    const ac = new AbortController();
    const bound = setTimeout(() => ac.abort(), 20_000);
    cleanups.push(() => {
      clearTimeout(bound);
      ac.abort();
    });
    const stream = openSubscription(s.url, 'subscription { inboxChanged { documentId } }', {}, staff, ac.signal);
    await new Promise((r) => setTimeout(r, 500));
    // A document only the văn thư and leaders may see, then the chuyên viên's own draft.
    const hidden = await gql<{ registerIncoming: { id: string } }>(s.url, REGISTER, incoming('V/v văn bản chuyên viên không được thấy'), { token: clerk });
    expect(hidden.errors).toBeUndefined();
    const own = await gql<{ createDraft: { id: string } }>(
      s.url,
      'mutation($i: CreateDraftInput!){ createDraft(input:$i){ id } }',
      { i: { typeCode: 'KH', subject: 'Dự thảo của chuyên viên' } },
      { token: staff },
    );
    expect(own.errors).toBeUndefined();
    const ownId = own.data!.createDraft.id;
    const { events } = await stream.read((ev) => ev.some((e) => (e.data?.inboxChanged as { documentId: string } | undefined)?.documentId === ownId));
    clearTimeout(bound);
    await stream.close();
    const ids = events.map((e) => (e.data?.inboxChanged as { documentId: string | null }).documentId);
    expect(ids).toContain(ownId);
    expect(ids).not.toContain(hidden.data!.registerIncoming.id);
  });
});
