import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';

const SETTINGS = '{ documentSettings { agency { code } outgoingNumbering approvalChain { kind role scope user { username } } documentTypes { code name } holidays } }';
const UPDATE = 'mutation($i: UpdateDocumentSettingsInput!){ updateDocumentSettings(input: $i){ outgoingNumbering approvalChain { kind role scope user { username } } holidays } }';

describe('per-agency documents settings over GraphQL', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.stop());

  it('shows the defaults, lets only the agency administrator change them, and new drafts follow the chain', async () => {
    const clerk = await loginToken(s.url, 'vanthu');
    const r = await gql<{ documentSettings: { agency: { code: string }; outgoingNumbering: string; approvalChain: unknown[]; documentTypes: { code: string | null; name: string }[] } }>(s.url, SETTINGS, {}, { token: clerk });
    expect(r.errors).toBeUndefined();
    expect(r.data!.documentSettings).toMatchObject({
      agency: { code: '000.00.00.H27' },
      outgoingNumbering: 'SHARED',
      approvalChain: [
        { kind: 'ROLE', role: 'TRUONG_PHONG', scope: 'DRAFTING_UNIT', user: null },
        { kind: 'ROLE', role: 'LANH_DAO', scope: 'AGENCY', user: null },
      ],
    });
    expect(r.data!.documentSettings.documentTypes).toHaveLength(32);

    const denied = await gql(s.url, UPDATE, { i: { outgoingNumbering: 'PER_TYPE' } }, { token: clerk });
    expect(denied.errors![0].extensions!.code).toBe('FORBIDDEN');
    const otherAdmin = await loginToken(s.url, 'snv.quantri');
    const snv = await gql<{ documentSettings: { agency: { code: string } } }>(s.url, SETTINGS, {}, { token: otherAdmin });
    expect(snv.data!.documentSettings.agency.code).toBe('000.00.02.H27'); // each agency sees and changes only its own

    const admin = await loginToken(s.url, 'quantri');
    const leaderId = (await gql<{ colleagues: { id: string }[] }>(s.url, '{ colleagues(roles: [LANH_DAO]) { id } }', {}, { token: admin })).data!.colleagues[0].id;
    const bad = await gql(s.url, UPDATE, { i: { approvalChain: [{ kind: 'ROLE', role: 'LANH_DAO', scope: 'EVERYWHERE' }] } }, { token: admin });
    expect(bad.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
    const ok = await gql<{ updateDocumentSettings: { outgoingNumbering: string; approvalChain: { kind: string; user: { username: string } | null }[]; holidays: string[] } }>(
      s.url,
      UPDATE,
      { i: { outgoingNumbering: 'PER_TYPE', approvalChain: [{ kind: 'USER', userId: leaderId, label: 'Phó Chủ tịch' }], holidays: ['2027-01-01'] } },
      { token: admin },
    );
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.updateDocumentSettings).toEqual({ outgoingNumbering: 'PER_TYPE', approvalChain: [{ kind: 'USER', role: null, scope: null, user: { username: 'lanhdao' } }], holidays: ['2027-01-01'] });

    // A new draft now goes straight to that leader.
    const drafter = await loginToken(s.url, 'chuyenvien');
    const d = await gql<{ createDraft: { id: string } }>(s.url, 'mutation { createDraft(input: { typeCode: "KH", subject: "Kế hoạch thử cấu hình" }) { id } }', {}, { token: drafter });
    expect(d.errors).toBeUndefined();
    await gql(s.url, 'mutation($d: ID!){ submitForApproval(documentId: $d){ id } }', { d: d.data!.createDraft.id }, { token: drafter });
    const leader = await loginToken(s.url, 'lanhdao');
    const box = await gql<{ inbox: { edges: { node: { id: string } }[] } }>(s.url, '{ inbox(box: TO_APPROVE) { edges { node { id } } } }', {}, { token: leader });
    expect(box.data!.inbox.edges.map((e) => e.node.id)).toContain(d.data!.createDraft.id);
    // Until it was submitted it sat in the drafter's "Dự thảo của tôi"; a returned draft comes back there.
    const rejected = await gql(s.url, 'mutation($d: ID!){ reject(documentId: $d, reason: "Bổ sung số liệu quý IV") { status } }', { d: d.data!.createDraft.id }, { token: leader });
    expect(rejected.errors).toBeUndefined();
    const drafts = await gql<{ inbox: { edges: { node: { id: string; status: string } }[] } }>(s.url, '{ inbox(box: DRAFTS) { edges { node { id status } } } }', {}, { token: drafter });
    expect(drafts.data!.inbox.edges.map((e) => e.node)).toEqual([{ id: d.data!.createDraft.id, status: 'RETURNED_TO_DRAFTER' }]);
    const counts = await gql<{ inboxCounts: { box: string; count: number }[] }>(s.url, '{ inboxCounts { box count } }', {}, { token: drafter });
    expect(counts.data!.inboxCounts.find((c) => c.box === 'DRAFTS')!.count).toBe(1);
    const notMine = await gql<{ inbox: { edges: unknown[] } }>(s.url, '{ inbox(box: DRAFTS) { edges { node { id } } } }', {}, { token: leader });
    expect(notMine.data!.inbox.edges).toEqual([]);
    const head = await loginToken(s.url, 'truongphong');
    const headBox = await gql<{ inbox: { edges: unknown[] } }>(s.url, '{ inbox(box: TO_APPROVE) { edges { node { id } } } }', {}, { token: head });
    expect(headBox.data!.inbox.edges).toEqual([]);
  });
});
