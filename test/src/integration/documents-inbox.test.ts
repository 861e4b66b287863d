/**
 * Inbox boxes on real PostgreSQL (demo province): the SQL must agree with the domain's reference interpreter
 * (domain/inbox.ts) AND the access rule (domain/access.ts, through documents.policy) for every user and every box, hide secret documents from non-readers and other agencies'
 * documents from everyone, paginate by keyset without duplicates or gaps, sort by urgency then deadline, and
 * filter (search without diacritics).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import type { InboxBox } from '../../../server/src/modules/documents/domain';
import { DEFAULT_APPROVAL_CHAIN, VN_TIME_ZONE, accessGrant, canView, foldVietnamese, localDateOf } from '../../../server/src/modules/documents/domain';
import { canExportSecretRegister, registerExportScope, registerShowsRow } from '../../../server/src/modules/documents/domain/register-access';
import { documentVisibleSql, registerRowVisibleSql } from '../../../server/src/modules/documents/access-sql';
import { accessInfoForMany } from '../../../server/src/modules/documents/documents.policy';
import { Recipient } from '../../../server/src/modules/documents/entities/misc.entities';
import { SqlParams } from '../../../server/src/modules/documents/inbox-sql';
import type { InboxConnection } from '../../../server/src/modules/documents/inbox.service';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';
import {
  INBOX_BOXES_ORDERED,
  SNV,
  UBND,
  expectedBox,
  loadPeople,
  makeAssignment,
  makeIncoming,
  makeMember,
  makeOutgoing,
  referenceRows,
  tick,
  viewerOfUser,
  type People,
} from './documents-inbox-fixtures';

const TODAY = '2026-03-10';
const NOW = new Date('2026-03-10T02:00:00Z'); // 09:00 in Hà Nội

const ALL_USERS = ['vanthu', 'chuyenvien', 'truongphong', 'lanhdao', 'luutru', 'quantri', 'snv.vanthu', 'snv.lanhdao', 'snv.chuyenvien', 'snv.truongphong'];

async function allPages(t: TestRuntime, username: string, box: InboxBox, first: number, filter?: Record<string, unknown>): Promise<string[]> {
  const scope = await t.as(username);
  const ids: string[] = [];
  const totals = new Set<number>();
  let after: string | null = null;
  for (let i = 0; i < 200; i++) {
    const page: InboxConnection = await t.rt.services.inbox.inbox(scope, box, { first, after, filter, withTotal: i % 2 === 0 });
    ids.push(...page.edges.map((e) => e.node.id));
    if (i % 2 === 0) totals.add(page.totalCount);
    expect(page.edges.length).toBeLessThanOrEqual(first);
    if (!page.pageInfo.hasNextPage) {
      // every page reports the whole box's count
      expect([...totals]).toEqual([ids.length]);
      return ids;
    }
    after = page.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

describe('inbox (real PostgreSQL)', () => {
  let t: TestRuntime;
  let em: EntityManager;
  let p: People;
  const named: Record<string, Document> = {};

  beforeAll(async () => {
    t = await createTestRuntime();
    t.rt.services.clock.now = () => NOW;
    em = t.rt.orm.em.fork();
    p = await loadPeople(em);
    const A = p.agency(UBND);
    const B = p.agency(SNV);
    const KT = p.unit(UBND, 'KT');
    const NC = p.unit(UBND, 'NC');
    const u = p.u;
    const inc = (key: string, patch: Partial<Document>) => (named[key] = makeIncoming(em, { agency: A, ...patch }));
    const out = (key: string, patch: Partial<Document>) => (named[key] = makeOutgoing(em, { agency: A, drafter: u('chuyenvien'), drafterUnit: KT, ...patch }));

    // văn thư: chờ vào sổ
    inc('received', { state: 'RECEIVED', electronic: true, incomingNumber: null });
    inc('registeredHoaToc', { state: 'REGISTERED', urgency: 'HOA_TOC' });
    inc('returnedToVanThu', { state: 'RETURNED', returnedTo: null });
    // lấy lại (15) before registration: locked, in no box
    inc('withdrawnReceived', { state: 'RECEIVED', electronic: true, incomingNumber: null, withdrawnAt: new Date(), withdrawnKind: 'RECALLED' });
    inc('withdrawnSubmitted', { state: 'SUBMITTED', submittedTo: u('lanhdao'), withdrawnAt: new Date(), withdrawnKind: 'REVOKED' });
    // lãnh đạo: chờ bút phê
    inc('returnedToLeader', { state: 'RETURNED', returnedTo: u('lanhdao'), submittedTo: u('lanhdao') });
    inc('submitted', { state: 'SUBMITTED', submittedTo: u('lanhdao'), urgency: 'KHAN' });
    const secretRead = inc('secretRead', { state: 'SUBMITTED', submittedTo: u('lanhdao'), secrecy: 'MAT' });
    makeMember(em, secretRead, u('lanhdao'), 'READER');
    inc('secretUnread', { state: 'SUBMITTED', submittedTo: u('lanhdao'), secrecy: 'TOI_MAT' });
    // phân công
    const unitPending = inc('unitPending', { state: 'ASSIGNED', annotatedBy: u('lanhdao'), submittedTo: u('lanhdao'), deadline: '2026-03-20' });
    makeAssignment(em, unitPending, { unit: KT, target: 'UNIT', deadline: '2026-03-20' });
    makeAssignment(em, unitPending, { unit: NC, target: 'UNIT', role: 'COORDINATOR', deadline: '2026-03-25' });
    const overdue = inc('overdue', { state: 'IN_PROGRESS', annotatedBy: u('lanhdao'), deadline: '2026-03-05' });
    makeAssignment(em, overdue, { unit: KT, user: u('chuyenvien'), target: 'UNIT', state: 'IN_PROGRESS', deadline: '2026-03-05' });
    const handedOver = inc('handedOver', { state: 'ASSIGNED', annotatedBy: u('lanhdao') });
    makeAssignment(em, handedOver, { unit: KT, user: u('chuyenvien'), target: 'UNIT', state: 'PENDING', deadline: '2026-04-01' });
    // two active assignments of the same person on one document: one row in the box, earliest deadline
    const twice = inc('twice', { state: 'ASSIGNED', annotatedBy: u('lanhdao') });
    makeAssignment(em, twice, { user: u('chuyenvien'), unit: KT, target: 'USER', deadline: '2026-04-10' });
    makeAssignment(em, twice, { user: u('chuyenvien'), unit: KT, target: 'USER', role: 'COORDINATOR', deadline: '2026-03-15' });
    const superseded = inc('superseded', { state: 'ASSIGNED', annotatedBy: u('lanhdao') });
    makeAssignment(em, superseded, { user: u('chuyenvien'), target: 'USER', active: false });
    makeAssignment(em, superseded, { unit: NC, target: 'UNIT' });
    // a secret assignment for someone who is not a named reader stays hidden
    const secretAssigned = inc('secretAssigned', { state: 'ASSIGNED', secrecy: 'MAT', annotatedBy: u('lanhdao') });
    makeAssignment(em, secretAssigned, { user: u('chuyenvien'), unit: KT, target: 'USER' });
    makeMember(em, secretAssigned, u('lanhdao'), 'READER');
    // watchers
    const watched = inc('watchedDone', { state: 'DONE', completedAt: new Date() });
    makeMember(em, watched, u('luutru'), 'WATCHER');
    const watchedSecret = inc('watchedSecret', { state: 'DONE', secrecy: 'MAT' });
    makeMember(em, watchedSecret, u('luutru'), 'WATCHER');

    // outgoing
    out('draft', { state: 'DRAFT' });
    const step0 = out('approveStep0', { state: 'IN_APPROVAL', approvalChain: [...DEFAULT_APPROVAL_CHAIN], approvalStep: 0 });
    // the service names the owners of the current step as readers (outgoing.service stepOwners): without it the
    // trưởng phòng could not open the draft, so no box may offer it to them
    makeMember(em, step0, u('truongphong'), 'READER');
    out('approveStep1', { state: 'IN_APPROVAL', approvalChain: [...DEFAULT_APPROVAL_CHAIN], approvalStep: 1, urgency: 'THUONG_KHAN' });
    out('approveUser', { state: 'IN_APPROVAL', approvalChain: [{ kind: 'USER', userId: u('luutru').id }], approvalStep: 0 });
    out('noUnitStep', { state: 'IN_APPROVAL', drafterUnit: null, approvalChain: [...DEFAULT_APPROVAL_CHAIN], approvalStep: 0 });
    out('toSignAny', { state: 'APPROVED' });
    out('toSignNamed', { state: 'APPROVED', signer: u('lanhdao') });
    out('toIssue', { state: 'SIGNED' });
    out('issued', { state: 'ISSUED' });

    // another agency: never visible across the agency line, even with ids of our users in it
    const snvInc = makeIncoming(em, { agency: B, state: 'RECEIVED' });
    named.snvReceived = snvInc;
    const snvStale = makeIncoming(em, { agency: B, state: 'SUBMITTED', submittedTo: u('lanhdao') });
    named.snvStale = snvStale;
    const snvAssigned = makeIncoming(em, { agency: B, state: 'ASSIGNED', annotatedBy: u('lanhdao') });
    makeAssignment(em, snvAssigned, { user: u('chuyenvien'), target: 'USER' });
    named.snvAssigned = snvAssigned;
    makeMember(em, snvAssigned, u('luutru'), 'WATCHER');
    named.snvSigned = makeOutgoing(em, { agency: B, state: 'SIGNED', drafter: u('snv.chuyenvien') });

    // delivered to Sở Nội vụ: its gatekeepers see the sender's record; not once the recall is accepted; a
    // secret one only for the reader named there
    const deliver = (doc: Document, to: Document, status: string) =>
      em.create(Recipient, { document: doc, agency: B, name: B.name, deliveredDocument: to, status });
    deliver(named.issued, snvInc, 'RECEIVED');
    deliver(out('issuedRecalled', { state: 'ISSUED' }), snvStale, 'RECALL_ACCEPTED');
    const issuedSecret = out('issuedSecret', { state: 'ISSUED', secrecy: 'MAT' });
    deliver(issuedSecret, snvAssigned, 'DELIVERED');
    makeMember(em, issuedSecret, u('snv.vanthu'), 'READER');
    issuedSecret.issuedDate = '2026-03-02';
    named.issued.issuedDate = '2026-03-02';

    // registered (số đến) and closed: in the register, in no box; one secret row with a named reader, one without
    const reg = (key: string, n: number, patch: Partial<Document>) =>
      inc(key, { state: 'DONE', completedAt: new Date(), registerKey: patch.secrecy ? 'INCOMING_SECRET' : 'INCOMING', registerYear: 2026, incomingNumber: n, ...patch });
    reg('regOrdinary', 901, {});
    makeMember(em, reg('regSecretNamed', 902, { secrecy: 'MAT' }), u('lanhdao'), 'READER');
    reg('regSecretHidden', 903, { secrecy: 'TOI_MAT' });
    await em.flush();
  });
  afterAll(async () => t?.close());

  const ids = (...keys: string[]) => keys.map((k) => named[k].id);
  /** The box's documents among those created here (the demo province may hold other documents). */
  const boxOf = async (username: string, box: InboxBox) => {
    const mine = new Set(Object.values(named).map((d) => d.id));
    return (await allPages(t, username, box, 100)).filter((id) => mine.has(id));
  };

  it('puts each document in the right boxes for each role', async () => {
    expect(new Set(await boxOf('vanthu', 'TO_REGISTER'))).toEqual(new Set(ids('received', 'registeredHoaToc', 'returnedToVanThu')));
    expect((await boxOf('vanthu', 'TO_REGISTER'))[0]).toBe(named.registeredHoaToc.id); // hỏa tốc first
    expect(await boxOf('vanthu', 'TO_ISSUE')).toEqual(ids('toIssue'));
    expect(await boxOf('snv.vanthu', 'TO_REGISTER')).toEqual(ids('snvReceived'));
    expect(await boxOf('snv.vanthu', 'TO_ISSUE')).toEqual(ids('snvSigned'));

    // lãnh đạo: the secret one they are named on, not the one they are not; urgency KHAN first
    expect(await boxOf('lanhdao', 'TO_ANNOTATE')).toEqual(ids('submitted', 'returnedToLeader', 'secretRead'));
    expect(new Set(await boxOf('lanhdao', 'TO_SIGN'))).toEqual(new Set(ids('toSignAny', 'toSignNamed')));
    expect(await boxOf('lanhdao', 'TO_APPROVE')).toEqual(ids('approveStep1'));
    expect(new Set(await boxOf('lanhdao', 'WATCHING'))).toEqual(new Set(ids('unitPending', 'overdue', 'handedOver', 'twice', 'superseded', 'secretAssigned')));

    // trưởng phòng KT: the undistributed unit assignment, the colleague's work, overdue ones, approvals of the unit
    expect(await boxOf('truongphong', 'TO_PROCESS')).toEqual(ids('unitPending'));
    expect(await boxOf('truongphong', 'IN_PROGRESS')).toEqual(ids('overdue', 'twice', 'handedOver'));
    expect(await boxOf('truongphong', 'OVERDUE')).toEqual(ids('overdue'));
    expect(await boxOf('truongphong', 'TO_APPROVE')).toEqual(ids('approveStep0'));

    // chuyên viên: own assignments once each (earliest deadline first), not the superseded one, not the
    // secret one, not the other agency's; drafts in approval under WATCHING
    expect(await boxOf('chuyenvien', 'TO_PROCESS')).toEqual(ids('twice', 'handedOver'));
    expect(await boxOf('chuyenvien', 'IN_PROGRESS')).toEqual(ids('overdue'));
    expect(await boxOf('chuyenvien', 'OVERDUE')).toEqual(ids('overdue'));
    expect(new Set(await boxOf('chuyenvien', 'WATCHING'))).toEqual(new Set(ids('approveStep0', 'approveStep1', 'approveUser', 'noUnitStep', 'toSignAny', 'toSignNamed', 'toIssue')));

    expect(await boxOf('luutru', 'WATCHING')).toEqual(ids('watchedDone'));
    expect(await boxOf('luutru', 'TO_APPROVE')).toEqual(ids('approveUser'));
    for (const box of INBOX_BOXES_ORDERED) expect(await boxOf('quantri', box)).toEqual([]);
    // a drafting-unit step of a drafter without a unit waits for nobody (outgoing-workflow isStepOwner)
    for (const n of ['truongphong', 'snv.truongphong', 'lanhdao']) expect(await boxOf(n, 'TO_APPROVE')).not.toContain(named.noUnitStep.id);
  });

  it('agrees with the domain interpreter for every user and box, and counts match', async () => {
    const ref = await referenceRows(t.rt.orm.em.fork());
    for (const username of ALL_USERS) {
      const viewer = viewerOfUser(p.u(username));
      const counts = await t.rt.services.inbox.inboxCounts(await t.as(username));
      expect(counts.map((c) => c.box)).toEqual([...INBOX_BOXES_ORDERED]);
      for (const box of INBOX_BOXES_ORDERED) {
        const expected = expectedBox(ref, box, viewer, TODAY);
        const got = await allPages(t, username, box, 3);
        expect({ username, box, ids: got }).toEqual({ username, box, ids: expected });
        expect({ username, box, count: counts.find((c) => c.box === box)!.count }).toEqual({ username, box, count: expected.length });
        const page = await t.rt.services.inbox.inbox(await t.as(username), box, { first: 1, withTotal: true });
        expect(page.totalCount).toBe(expected.length);
      }
    }
    // other agencies' documents never show up for UBND users
    const foreign = new Set(ids('snvReceived', 'snvStale', 'snvAssigned', 'snvSigned'));
    for (const username of ['vanthu', 'chuyenvien', 'truongphong', 'lanhdao', 'luutru']) {
      for (const box of INBOX_BOXES_ORDERED) for (const id of await boxOf(username, box)) expect(foreign.has(id)).toBe(false);
    }
  });

  it('search across every box: the access rule decides the results and the boxes are the reference boxes, for every user', async () => {
    const ref = await referenceRows(t.rt.orm.em.fork());
    const docs = await t.rt.orm.em.fork().find(Document, {}, { populate: ['issuerAgency'] });
    const mine = new Set(Object.values(named).map((d) => d.id));
    const words = foldVietnamese('thử nghiệm').split(' ');
    const text = (d: Document) => foldVietnamese(`${d.symbol ?? ''} ${d.subject} ${d.issuerName ?? d.issuerAgency?.name ?? ''}`);
    const ts = (d: Document) => (d.receivedAt ?? d.createdAt).getTime();
    for (const username of ALL_USERS) {
      const viewer = viewerOfUser(p.u(username));
      const scope = await t.as(username);
      const expected = docs
        .filter((d) => mine.has(d.id) && d.agency.id === viewer.agencyId && canView(viewer, ref.access.get(d.id)!) && words.every((w) => text(d).includes(w)))
        .sort((a, b) => ts(b) - ts(a) || (a.id < b.id ? 1 : -1))
        .map((d) => d.id);
      const boxesOf = new Map(INBOX_BOXES_ORDERED.map((b) => [b, new Set(expectedBox(ref, b, viewer, TODAY))]));
      const got: { id: string; boxes: string[] }[] = [];
      let after: string | null = null;
      for (let i = 0; i < 100; i++) {
        const page: Awaited<ReturnType<typeof t.rt.services.inbox.search>> = await t.rt.services.inbox.search(scope, { search: 'thu nghiem', first: 3, after });
        got.push(...page.edges.map((e) => ({ id: e.node.id, boxes: e.boxes })));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      const gotMine = got.filter((g) => mine.has(g.id));
      expect({ username, ids: gotMine.map((g) => g.id) }).toEqual({ username, ids: expected });
      for (const g of gotMine) {
        expect({ username, id: g.id, boxes: g.boxes }).toEqual({ username, id: g.id, boxes: INBOX_BOXES_ORDERED.filter((b) => boxesOf.get(b)!.has(g.id)) });
      }
    }
    // a document in none of the văn thư's boxes is still found, and says so
    const vanthu = await t.rt.services.inbox.search(await t.as('vanthu'), { search: 'thu nghiem', first: 100 });
    const done = vanthu.edges.find((e) => e.node.id === named.watchedDone.id);
    expect(done?.boxes).toEqual([]);
  });

  it('derives its visibility SQL from the access rule: SQL and policy agree for every user and document', async () => {
    const em2 = t.rt.orm.em.fork();
    const docs = await em2.find(Document, {});
    const infos = await accessInfoForMany(em2, docs);
    const grants = new Set<string>();
    for (const username of ALL_USERS) {
      const viewer = viewerOfUser(p.u(username));
      const params = new SqlParams();
      const sql = `SELECT d.id FROM document d WHERE ${documentVisibleSql(viewer, params)} ORDER BY d.id`;
      const got = (await em2.getConnection().execute<{ id: string }[]>(sql, params.values)).map((r) => r.id);
      const expected = docs.filter((d) => canView(viewer, infos.get(d.id)!)).map((d) => d.id);
      expect({ username, ids: got }).toEqual({ username, ids: expected.sort() });
      // the form for queries already limited to the viewer's agency (boxes, registers)
      const p2 = new SqlParams();
      const own = `SELECT d.id FROM document d WHERE d.agency_id = ${p2.p(viewer.agencyId, 'uuid')} AND ${documentVisibleSql(viewer, p2, { ownAgencyOnly: true })} ORDER BY d.id`;
      const gotOwn = (await em2.getConnection().execute<{ id: string }[]>(own, p2.values)).map((r) => r.id);
      expect({ username, ids: gotOwn }).toEqual({ username, ids: docs.filter((d) => d.agency.id === viewer.agencyId && canView(viewer, infos.get(d.id)!)).map((d) => d.id).sort() });
      for (const d of docs) grants.add(accessGrant(viewer, infos.get(d.id)!) ?? 'NONE');
    }
    // the data exercise every rule (and the recall / the secret delivered document)
    expect([...grants].sort()).toEqual(['AGENCY_LEADER', 'AGENCY_VAN_THU', 'ASSIGNEE', 'NAMED_READER', 'NONE', 'PARTICIPANT', 'RECIPIENT_AGENCY', 'UNIT_HEAD', 'WATCHER']);
    const snvVanThu = viewerOfUser(p.u('snv.vanthu'));
    expect(accessGrant(snvVanThu, infos.get(named.issued.id)!)).toBe('RECIPIENT_AGENCY');
    expect(accessGrant(snvVanThu, infos.get(named.issuedRecalled.id)!)).toBeNull();
    expect(accessGrant(snvVanThu, infos.get(named.issuedSecret.id)!)).toBe('NAMED_READER');
    expect(accessGrant(viewerOfUser(p.u('snv.lanhdao')), infos.get(named.issuedSecret.id)!)).toBeNull();
  });

  it('registers show the rows of the same rule: SQL, policy and the exported registers agree for every holder', async () => {
    const em2 = t.rt.orm.em.fork();
    const docs = await em2.find(Document, {});
    const infos = await accessInfoForMany(em2, docs);
    const range = { from: '2024-01-01', to: '2026-12-31' };
    const inRange = (day: string | null | undefined) => !!day && day >= range.from && day <= range.to;
    for (const username of ALL_USERS) {
      const viewer = viewerOfUser(p.u(username));
      const params = new SqlParams();
      const agencyParam = params.p(viewer.agencyId, 'uuid');
      const sql = `SELECT d.id FROM document d WHERE d.agency_id = ${agencyParam} AND ${registerRowVisibleSql(viewer, params)} ORDER BY d.id`;
      const got = (await em2.getConnection().execute<{ id: string }[]>(sql, params.values)).map((r) => r.id);
      const shown = docs.filter((d) => registerShowsRow(viewer, infos.get(d.id)!));
      expect({ username, ids: got }).toEqual({ username, ids: shown.map((d) => d.id).sort() });
      if (!registerExportScope(viewer, 'INCOMING')) continue;
      // the exported registers list exactly those rows: the ordinary books the ordinary documents, the secret
      // books (văn thư, lãnh đạo) the secret ones the viewer is named on
      const scope = await t.as(username);
      for (const secret of canExportSecretRegister(viewer) ? [false, true] : [false]) {
        const book = shown.filter((d) => (d.secrecy !== 'THUONG') === secret);
        const incoming = await t.rt.services.reports.registerReport(scope, { kind: 'INCOMING', format: 'XLSX', secret, ...range });
        const expectedIn = book.filter((d) => d.direction === 'INCOMING' && d.incomingNumber != null && d.receivedAt && inRange(localDateOf(d.receivedAt, VN_TIME_ZONE)));
        expect({ username, secret, rows: incoming.rows }).toEqual({ username, secret, rows: expectedIn.length });
        const outgoing = await t.rt.services.reports.registerReport(scope, { kind: 'OUTGOING', format: 'XLSX', secret, ...range });
        const expectedOut = book.filter((d) => d.direction === 'OUTGOING' && d.state === 'ISSUED' && inRange(d.issuedDate));
        expect({ username, secret, rows: outgoing.rows }).toEqual({ username, secret, rows: expectedOut.length });
      }
    }
    // the secret rows: only the named reader's register has theirs
    const idsOf = (username: string) => docs.filter((d) => registerShowsRow(viewerOfUser(p.u(username)), infos.get(d.id)!)).map((d) => d.id);
    expect(idsOf('lanhdao')).toEqual(expect.arrayContaining(ids('regOrdinary', 'regSecretNamed')));
    expect(idsOf('lanhdao')).not.toContain(named.regSecretHidden.id);
    expect(idsOf('vanthu')).not.toContain(named.regSecretNamed.id);
  });

  it('OVERDUE follows today in Asia/Ho_Chi_Minh', async () => {
    // 2026-03-05 23:30 in Hà Nội (16:30Z): the 05/03 deadline is still met
    t.rt.services.clock.now = () => new Date('2026-03-05T16:30:00Z');
    expect(await boxOf('chuyenvien', 'OVERDUE')).toEqual([]);
    // 00:30 on 06/03 in Hà Nội (17:30Z on the 5th): overdue
    t.rt.services.clock.now = () => new Date('2026-03-05T17:30:00Z');
    expect(await boxOf('chuyenvien', 'OVERDUE')).toEqual(ids('overdue'));
    t.rt.services.clock.now = () => NOW;
  });

  it('paginates by keyset across many pages without duplicates or gaps, even when rows move', async () => {
    const A = p.agency(UBND);
    const urg = ['THUONG', 'KHAN', 'THUONG_KHAN', 'HOA_TOC'] as const;
    const same = tick();
    for (let i = 0; i < 47; i++) {
      makeIncoming(em, {
        agency: A,
        state: i % 2 ? 'REGISTERED' : 'RECEIVED',
        urgency: urg[i % 4],
        deadline: i % 3 ? null : `2026-03-${String(10 + (i % 15)).padStart(2, '0')}`,
        // ties on every key but the id for a third of them
        receivedAt: i % 3 === 1 ? same : tick(),
        subject: `Văn bản phân trang ${i}`,
      });
    }
    await em.flush();
    // microsecond timestamps (bulk loads, now()) must survive the cursor
    await em.getConnection().execute(`UPDATE document SET received_at = received_at + (floor(random() * 900) + 1) * interval '1 microsecond' WHERE subject LIKE 'Văn bản phân trang %' AND received_at <> ?`, [same]);

    const ref = await referenceRows(t.rt.orm.em.fork());
    const expected = expectedBox(ref, 'TO_REGISTER', viewerOfUser(p.u('vanthu')), TODAY);
    expect(expected.length).toBeGreaterThanOrEqual(50);
    for (const size of [1, 4, 7, 50, 100]) {
      const got = await allPages(t, 'vanthu', 'TO_REGISTER', size);
      expect(got).toEqual(expected);
    }

    // a row leaving the box between pages does not shift the next page (no offset)
    const scope = await t.as('vanthu');
    const first = await t.rt.services.inbox.inbox(scope, 'TO_REGISTER', { first: 10 });
    const leaving = first.edges[3].node.id;
    await em.getConnection().execute(`UPDATE document SET state = 'SUBMITTED' WHERE id = ?`, [leaving]);
    const second = await t.rt.services.inbox.inbox(scope, 'TO_REGISTER', { first: 10, after: first.pageInfo.endCursor });
    expect(second.edges.map((e) => e.node.id)).toEqual(expected.slice(10, 20));
    expect(second.pageInfo.hasPreviousPage).toBe(true);
    await em.getConnection().execute(`UPDATE document SET state = 'REGISTERED' WHERE id = ?`, [leaving]);

    // sorted by urgency, then deadline (none last), then received time
    const docs = await t.rt.orm.em.fork().find(Document, { id: { $in: expected } });
    const byId = new Map(docs.map((d) => [d.id, d]));
    const rank = (id: string) => urg.indexOf(byId.get(id)!.urgency as (typeof urg)[number]);
    for (let i = 1; i < expected.length; i++) {
      const a = byId.get(expected[i - 1])!;
      const b = byId.get(expected[i])!;
      expect(rank(a.id)).toBeGreaterThanOrEqual(rank(b.id));
      if (rank(a.id) === rank(b.id) && b.deadline) expect(!!a.deadline && a.deadline <= b.deadline).toBe(true);
    }
  });

  it('filters by direction, urgency and free text without diacritics', async () => {
    const A = p.agency(UBND);
    const plan = makeIncoming(em, { agency: A, state: 'REGISTERED', symbol: '05/KH-UBND', typeName: 'Kế hoạch', subject: 'Triển khai CẢI CÁCH hành chính năm 2026' });
    const project = makeIncoming(em, { agency: A, state: 'REGISTERED', symbol: '12/ĐA-SNV', typeName: 'Đề án', subject: 'Đề án vị trí việc làm 100%_đạt' });
    await em.flush();
    const search = (s: string) => allPages(t, 'vanthu', 'TO_REGISTER', 20, { search: s });
    expect(await search('cai cach hanh chinh')).toEqual([plan.id]);
    expect(await search('Cải Cách')).toEqual([plan.id]);
    expect(await search('  trien   khai  ')).toEqual([plan.id]);
    expect(await search('kh-ubnd')).toEqual([plan.id]);
    expect(await search('de an vi tri')).toEqual([project.id]);
    expect(await search('đa-snv')).toEqual([project.id]);
    expect(await search('100%_')).toEqual([project.id]); // LIKE wildcards are literal
    expect(await search('%')).toEqual([project.id]);
    expect(await search('khong co van ban nay')).toEqual([]);
    const hoaToc = await allPages(t, 'vanthu', 'TO_REGISTER', 100, { urgency: 'HOA_TOC' });
    expect(hoaToc.length).toBeGreaterThan(0);
    const docs = await t.rt.orm.em.fork().find(Document, { id: { $in: hoaToc } });
    expect(docs.every((d) => d.urgency === 'HOA_TOC')).toBe(true);
    expect(await allPages(t, 'lanhdao', 'TO_SIGN', 10, { direction: 'INCOMING' })).toEqual([]);
    expect((await allPages(t, 'lanhdao', 'TO_SIGN', 10, { direction: 'OUTGOING' })).length).toBe(2);
    const page = await t.rt.services.inbox.inbox(await t.as('vanthu'), 'TO_REGISTER', { first: 5, filter: { search: 'phan trang' }, withTotal: true });
    expect(page.totalCount).toBe(47);
  });

  it('rejects bad arguments with BAD_USER_INPUT', async () => {
    const scope = await t.as('vanthu');
    const bad = async (args: Parameters<typeof t.rt.services.inbox.inbox>[2]) =>
      t.rt.services.inbox.inbox(scope, 'TO_REGISTER', args).then(
        () => null,
        (e: { code?: string }) => e.code,
      );
    expect(await bad({ first: 101 })).toBe('BAD_USER_INPUT');
    expect(await bad({ first: -1 })).toBe('BAD_USER_INPUT');
    expect(await bad({ after: 'not-a-cursor' })).toBe('BAD_USER_INPUT');
    expect(await bad({ after: Buffer.from(JSON.stringify([0, "'; drop table document; --", 'x', 'y'])).toString('base64url') })).toBe('BAD_USER_INPUT');
    // Well-formed but impossible dates inside a cursor used to reach PostgreSQL's ::timestamptz (INTERNAL).
    const cursor = (v: unknown[]) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const id = '00000000-0000-4000-8000-000000000000';
    expect(await bad({ after: cursor([0, '2026-01-01', '2026-99-99 99:99:99', id]) })).toBe('BAD_USER_INPUT');
    expect(await bad({ after: cursor([0, '2026-02-30', '2026-01-01 00:00:00+00', id]) })).toBe('BAD_USER_INPUT');
    expect(await bad({ filter: { urgency: 'RAT_KHAN' } })).toBe('BAD_USER_INPUT');
    expect(await bad({ filter: { search: 'x'.repeat(201) } })).toBe('BAD_USER_INPUT');
  });
});

describe('inbox over GraphQL', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    const em = s.runtime.rt.orm.em.fork();
    const p = await loadPeople(em);
    before = (await s.runtime.rt.services.inbox.inboxCounts(await s.runtime.as('vanthu'))).find((c) => c.box === 'TO_REGISTER')!.count;
    for (let i = 0; i < 3; i++) makeIncoming(em, { agency: p.agency(UBND), state: 'RECEIVED', subject: `Công văn điện tử số ${i}` });
    makeIncoming(em, { agency: p.agency(SNV), state: 'RECEIVED', subject: 'Công văn điện tử số 9 của Sở Nội vụ' });
    await em.flush();
  });
  let before = 0;
  afterAll(async () => s?.stop());

  it('answers inbox and inboxCounts for the signed-in user', async () => {
    const token = await loginToken(s.url, 'vanthu');
    const q = `query($after: String) { inbox(box: TO_REGISTER, first: 2, after: $after, filter: { search: "cong van dien tu so" }) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id subject } } } inboxCounts { box count } }`;
    const r1 = await gql<{ inbox: InboxConnection & { edges: { node: { subject: string } }[] }; inboxCounts: { box: string; count: number }[] }>(s.url, q, {}, { token });
    expect(r1.errors).toBeUndefined();
    expect(r1.data!.inbox.totalCount).toBe(3);
    expect(r1.data!.inbox.edges).toHaveLength(2);
    expect(r1.data!.inbox.pageInfo.hasNextPage).toBe(true);
    expect(r1.data!.inboxCounts.find((c) => c.box === 'TO_REGISTER')!.count).toBe(before + 3);
    expect(r1.data!.inboxCounts).toHaveLength(10);
    const r2 = await gql<{ inbox: { edges: { node: { subject: string } }[]; pageInfo: { hasNextPage: boolean } } }>(s.url, q, { after: r1.data!.inbox.pageInfo.endCursor }, { token });
    expect(r2.data!.inbox.edges).toHaveLength(1);
    expect(r2.data!.inbox.pageInfo.hasNextPage).toBe(false);
    const subjects = [...r1.data!.inbox.edges, ...r2.data!.inbox.edges].map((e) => e.node.subject).sort();
    expect(subjects).toEqual(['Công văn điện tử số 0', 'Công văn điện tử số 1', 'Công văn điện tử số 2']);

    const none = await gql(s.url, '{ inboxCounts { box count } }');
    expect(none.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    const bad = await gql(s.url, '{ inbox(box: TO_REGISTER, after: "xyz") { totalCount } }', {}, { token });
    expect(bad.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
  });
});
