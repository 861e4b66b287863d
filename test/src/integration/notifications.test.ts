/**
 * Thông báo (the bell) over HTTP, real server and PostgreSQL: a reminder job run writes a notification that
 * the assignee counts, lists (with the document link) and marks read; nobody marks another user's; the
 * live count is pushed over SSE after the commit that writes it (database trigger → LISTEN/NOTIFY);
 * keyset paging; no link to a document the reader may not see.
 */
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { runDeadlineReminders } from '../../../server/src/modules/documents/documents.jobs';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { Notification } from '../../../server/src/modules/documents/entities/misc.entities';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';
import { openSubscription } from '../support/sse';

const COUNT = '{ unreadNotificationCount }';
const LIST = `query($f: Int, $a: String, $u: Boolean) { notifications(first: $f, after: $a, unreadOnly: $u) {
  edges { cursor node { id kind text createdAt readAt document { id subject } } } pageInfo { hasNextPage endCursor } } }`;
const MARK = 'mutation($ids: [ID!], $all: Boolean) { markNotificationsRead(ids: $ids, all: $all) }';
const REGISTER = 'mutation($i: RegisterIncomingInput!){ registerIncoming(input:$i){ id } }';
const SUBMIT = 'mutation($d: ID!, $l: ID!) { submitForAnnotation(documentId: $d, leaderId: $l) { id } }';
const ANNOTATE = 'mutation($d: ID!, $i: AnnotateInput!) { annotate(documentId: $d, input: $i) { id } }';

interface Node {
  id: string;
  kind: string;
  text: string;
  createdAt: string;
  readAt: string | null;
  document: { id: string; subject: string } | null;
}
interface ListData {
  notifications: { edges: { cursor: string; node: Node }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

describe('notifications (the bell)', () => {
  let s: TestServer;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const token = async (u: string) => (tokens[u] ??= await loginToken(s.url, u));
  const em = () => s.runtime.rt.services.orm.em.fork();
  const count = async (u: string) => (await gql<{ unreadNotificationCount: number }>(s.url, COUNT, {}, { token: await token(u) })).data!.unreadNotificationCount;

  beforeAll(async () => {
    s = await startTestServer();
    for (const u of await em().find(User, {})) ids[u.username] = u.id;
  });
  afterAll(async () => s?.stop());

  it('a reminder run notifies the assignee: count, list with link, mark read; the live count is pushed', async () => {
    const ac = new AbortController();
    const live = openSubscription(s.url, 'subscription { notificationCountChanged }', {}, await token('lanhdao'), ac.signal);
    // The subscription must be listening before the change (no event is replayed).
    await new Promise((r) => setTimeout(r, 500));
    try {
      expect(await count('lanhdao')).toBe(0);
      const reg = await gql<{ registerIncoming: { id: string } }>(
        s.url,
        REGISTER,
        { i: { issuerName: 'Bộ Nội vụ', symbol: '91/BNV-TCBC', issuedDate: '2026-11-20', typeName: 'Công văn', subject: 'V/v thử nghiệm thông báo' } },
        { token: await token('vanthu') },
      );
      expect(reg.errors).toBeUndefined();
      const docId = reg.data!.registerIncoming.id;
      expect((await gql(s.url, SUBMIT, { d: docId, l: ids.lanhdao }, { token: await token('vanthu') })).errors).toBeUndefined();
      // Trình lãnh đạo → the leader's bell gets 1, pushed after the commit.
      const [pushed] = await live.next(1);
      expect(pushed.data).toEqual({ notificationCountChanged: 1 });
      expect(await count('lanhdao')).toBe(1);

      const ann = await gql(s.url, ANNOTATE, { d: docId, i: { lead: { userId: ids.chuyenvien, deadline: '2027-01-15' } } }, { token: await token('lanhdao') });
      expect(ann.errors).toBeUndefined();
      // chuyenvien was told of the assignment; clear it so that only the reminder is unread.
      expect(await count('chuyenvien')).toBe(1);
      expect((await gql(s.url, MARK, { all: true }, { token: await token('chuyenvien') })).data).toEqual({ markNotificationsRead: 1 });
      expect(await count('chuyenvien')).toBe(0);

      const run = await runDeadlineReminders(s.runtime.rt.services, s.runtime.system(), { day: '2027-01-14' });
      expect(run.notifications).toBe(1);
      expect(await count('chuyenvien')).toBe(1);

      const unread = await gql<ListData>(s.url, LIST, { u: true }, { token: await token('chuyenvien') });
      expect(unread.errors).toBeUndefined();
      const nodes = unread.data!.notifications.edges.map((e) => e.node);
      expect(nodes).toEqual([expect.objectContaining({ kind: 'DEADLINE_UPCOMING', readAt: null, document: { id: docId, subject: 'V/v thử nghiệm thông báo' } })]);
      const reminderId = nodes[0].id;

      // Another user cannot mark it: nothing changes, the owner's count stays.
      expect((await gql(s.url, MARK, { ids: [reminderId] }, { token: await token('vanthu') })).data).toEqual({ markNotificationsRead: 0 });
      expect(await count('chuyenvien')).toBe(1);
      // Bad input: typed errors, nothing changed.
      const none = await gql(s.url, MARK, {}, { token: await token('chuyenvien') });
      expect(none.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
      const junk = await gql(s.url, MARK, { ids: ['không-phải-mã'] }, { token: await token('chuyenvien') });
      expect(junk.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'ids' });
      expect(await count('chuyenvien')).toBe(1);

      expect((await gql(s.url, MARK, { ids: [reminderId] }, { token: await token('chuyenvien') })).data).toEqual({ markNotificationsRead: 1 });
      expect(await count('chuyenvien')).toBe(0);
      const all = await gql<ListData>(s.url, LIST, {}, { token: await token('chuyenvien') });
      expect(all.data!.notifications.edges.map((e) => e.node.kind)).toEqual(['DEADLINE_UPCOMING', 'DOCUMENT_ASSIGNED']);
      expect(all.data!.notifications.edges.every((e) => e.node.readAt !== null)).toBe(true);
      const audits = await em().find(AuditEvent, { action: 'notification.mark_read', targetId: ids.chuyenvien });
      expect(audits).toHaveLength(2);

      // Anonymous callers get nothing.
      expect((await gql(s.url, COUNT)).errors![0].extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    } finally {
      ac.abort();
      await live.close();
    }
  });

  it('the live count re-checks the session: after logout the next event ends the stream with UNAUTHENTICATED', async () => {
    const own = await loginToken(s.url, 'truongphong');
    const ac = new AbortController();
    const live = openSubscription(s.url, 'subscription { notificationCountChanged }', {}, own, ac.signal);
    await new Promise((r) => setTimeout(r, 500));
    try {
      const write = async (text: string) => {
        const m = em();
        m.create(Notification, { user: m.getReference(User, ids.truongphong), kind: 'DOCUMENT_ASSIGNED', text, createdAt: new Date() });
        await m.flush();
      };
      await write('Trước khi đăng xuất');
      const [first] = await live.next(1);
      expect(first.data).toEqual({ notificationCountChanged: 1 });
      expect((await gql<{ logout: boolean }>(s.url, 'mutation { logout }', {}, { token: own })).data?.logout).toBe(true);
      await write('Sau khi đăng xuất');
      const [, second] = await live.next(2);
      expect(second.data ?? null).toBeNull();
      expect(second.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'UNAUTHENTICATED' }) })]);
    } finally {
      ac.abort();
      await live.close();
    }
  });

  it('pages newest first without gaps or repeats, refuses forged cursors, and hides links to documents one may not see', async () => {
    const reg = await gql<{ registerIncoming: { id: string } }>(
      s.url,
      REGISTER,
      { i: { issuerName: 'Bộ Tài chính', symbol: '92/BTC-NSNN', issuedDate: '2026-11-20', typeName: 'Công văn', subject: 'V/v thử phân trang thông báo' } },
      { token: await token('vanthu') },
    );
    expect(reg.errors).toBeUndefined();
    const m = em();
    const doc = await m.findOneOrFail(Document, { id: reg.data!.registerIncoming.id });
    const user = m.getReference(User, ids['snv.luutru']);
    // The same document, told to someone of its agency who may see it: the link is there.
    m.create(Notification, { user: m.getReference(User, ids.vanthu), kind: 'DOCUMENT_ARRIVED', document: doc, text: 'Có văn bản', createdAt: new Date() });
    const base = Date.parse('2026-12-01T01:00:00Z');
    // Two rows share one instant: the id breaks the tie.
    for (let i = 0; i < 5; i++) m.create(Notification, { user, kind: i === 4 ? 'SOMETHING_NEW' : 'DOCUMENT_ARRIVED', document: doc, text: `Thông báo ${i}`, createdAt: new Date(base + Math.min(i, 3) * 60_000) });
    await m.flush();

    const seen: Node[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const r: Awaited<ReturnType<typeof gql<ListData>>> = await gql<ListData>(s.url, LIST, { f: 2, a: after }, { token: await token('snv.luutru') });
      expect(r.errors).toBeUndefined();
      seen.push(...r.data!.notifications.edges.map((e) => e.node));
      after = r.data!.notifications.pageInfo.endCursor;
      if (!r.data!.notifications.pageInfo.hasNextPage) break;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen.map((n) => n.id)).size).toBe(5);
    const times = seen.map((n) => Date.parse(n.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // Another agency's document: no link. An unknown kind: OTHER.
    expect(seen.every((n) => n.document === null)).toBe(true);
    expect(seen.filter((n) => n.kind === 'OTHER')).toHaveLength(1);

    const mine = await gql<ListData>(s.url, LIST, { f: 1 }, { token: await token('vanthu') });
    expect(mine.data!.notifications.edges[0].node.document).toEqual({ id: doc.id, subject: 'V/v thử phân trang thông báo' });

    const forged = await gql(s.url, LIST, { a: Buffer.from(JSON.stringify(['2026-99-99', 'x'])).toString('base64url') }, { token: await token('snv.luutru') });
    expect(forged.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
  it('a meeting notification links its meeting while the caller may see it; a participant removed gets no link', async () => {
    const meetings = s.runtime.rt.services.meetings;
    const vanthu = await s.runtime.as('vanthu');
    const start = new Date(Date.now() + 5 * 86_400_000);
    const m = await meetings.create(vanthu, {
      title: 'Họp thử liên kết thông báo',
      startsAt: start,
      endsAt: new Date(start.getTime() + 3_600_000),
      location: 'Phòng họp số 2',
      chairId: ids.lanhdao,
      secretaryId: ids.vanthu,
      memberIds: [ids.chuyenvien, ids.truongphong],
      guestIds: [],
    });
    await meetings.addItem(vanthu, m.s.id, { title: 'Nội dung 1' });
    await meetings.publishMeeting(vanthu, m.s.id);
    const MEETING_LIST = '{ notifications(first: 50) { edges { node { kind text meeting { id title } } } } }';
    type MeetingList = { notifications: { edges: { node: { kind: string; text: string; meeting: { id: string; title: string } | null } }[] } };
    const invitation = async (u: string) =>
      (await gql<MeetingList>(s.url, MEETING_LIST, {}, { token: await token(u) })).data!.notifications.edges
        .map((e) => e.node)
        .find((n) => n.kind === 'MEETING_INVITED' && n.text.includes('Họp thử liên kết thông báo'));
    expect((await invitation('chuyenvien'))?.meeting).toEqual({ id: m.s.id, title: 'Họp thử liên kết thông báo' });
    // truongphong is taken off the list: the invitation stays in the bell, without a link to a meeting they may not see.
    await meetings.update(vanthu, m.s.id, { memberIds: [ids.chuyenvien] });
    const left = await invitation('truongphong');
    expect(left).toBeDefined();
    expect(left!.meeting).toBeNull();
  });
});
