/**
 * Register views (sổ văn bản đến / đi on screen, issue 9) and the search across every box, on real PostgreSQL:
 * documents registered through the incoming service (numbers drawn by it), annulled and submitted ones, secret
 * ones in their own register, outgoing issued documents in the per-type registers; numbers in order, keyset
 * paging, every filter, who may open which register, other agencies, and the search finding a document
 * wherever it is.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Document } from '../../../server/src/modules/documents/entities/document.entity';
import type { RegisterEntriesArgs, RegisterEntriesResult } from '../../../server/src/modules/documents/registers.service';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';
import { SNV, UBND, loadPeople, makeOutgoing, type People } from './documents-inbox-fixtures';

// A register year of its own: the demo province holds nothing numbered in 2031.
const YEAR = 2031;
const NOW = new Date('2031-03-20T03:00:00Z'); // 10:00 in Hà Nội
/** An instant on a Vietnam calendar day (09:00 there). */
const on = (day: string) => new Date(`${day}T02:00:00Z`);

async function allEntries(t: TestRuntime, username: string, args: Omit<RegisterEntriesArgs, 'first' | 'after'>, first = 2): Promise<RegisterEntriesResult['edges']> {
  const scope = await t.as(username);
  const out: RegisterEntriesResult['edges'] = [];
  const totals = new Set<number>();
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page: RegisterEntriesResult = await t.rt.services.registers.registerEntries(scope, { ...args, first, after });
    out.push(...page.edges);
    totals.add(page.totalCount);
    if (!page.pageInfo.hasNextPage) {
      expect([...totals]).toEqual([out.length]);
      return out;
    }
    after = page.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

describe('register views and search across boxes (real PostgreSQL)', () => {
  let t: TestRuntime;
  let p: People;
  const doc: Record<string, Document> = {};
  const INCOMING = { direction: 'INCOMING' as const, year: YEAR };
  const numbers = (edges: RegisterEntriesResult['edges']) => edges.map((e) => e.number);

  beforeAll(async () => {
    t = await createTestRuntime();
    t.rt.services.clock.now = () => NOW;
    const em: EntityManager = t.rt.orm.em.fork();
    p = await loadPeople(em);
    const vanthu = await t.as('vanthu');
    const reg = async (key: string, input: Record<string, unknown>) => {
      doc[key] = await t.rt.services.incoming.registerIncoming(vanthu, { issuedDate: '2031-02-25', ...input } as never);
      return doc[key];
    };
    await reg('kh', { issuerName: 'Sở Giáo dục và Đào tạo tỉnh Bắc Giang', symbol: '11/KH-SGDĐT', typeCode: 'KH', typeName: 'Kế hoạch', subject: 'Kế hoạch thi nghề sổ đăng ký', receivedAt: on('2031-03-02') });
    await reg('cv', { issuerName: 'Ủy ban nhân dân huyện Gia Bình', symbol: '22/UBND-VP', subject: 'Về việc đường giao thông nông thôn', receivedAt: on('2031-03-03') });
    await reg('secret', { issuerName: 'Công an tỉnh', symbol: '33/CAT-PV01', subject: 'Tài liệu mật về an ninh', secrecy: 'MAT', readerIds: [p.u('lanhdao').id], receivedAt: on('2031-03-03') });
    await reg('secretUnnamed', { issuerName: 'Công an tỉnh', symbol: '34/CAT-PV01', subject: 'Tài liệu mật thứ hai', secrecy: 'TOI_MAT', receivedAt: on('2031-03-04') });
    await reg('annulled', { issuerName: 'Sở Tài chính', symbol: '44/STC-NS', subject: 'Vào sổ nhầm hai lần', receivedAt: on('2031-03-05') });
    await reg('submitted', { issuerName: 'Sở Nội vụ tỉnh Bắc Ninh', symbol: '55/SNV-CCVC', subject: 'Về việc tuyển dụng viên chức năm 2031', receivedAt: on('2031-03-06') });
    await reg('later', { issuerName: 'Sở Giáo dục và Đào tạo tỉnh Bắc Giang', symbol: '66/SGDĐT-VP', subject: 'Công văn sau cùng', receivedAt: on('2031-03-09') });
    doc.annulled = await t.rt.services.incoming.annulRegistration(vanthu, doc.annulled.id, 'Trùng văn bản số đến 1');
    doc.submitted = await t.rt.services.incoming.submitForAnnotation(vanthu, doc.submitted.id, p.u('lanhdao').id);
    // Sở Nội vụ registers its own document in the same year
    await t.rt.services.incoming.registerIncoming(await t.as('snv.vanthu'), { issuerName: 'Bộ Nội vụ', symbol: '77/BNV', subject: 'Văn bản của Sở Nội vụ', issuedDate: '2031-02-25', receivedAt: on('2031-03-02') } as never);

    // outgoing, issued and numbered (written directly: the issue workflow has its own tests)
    const A = p.agency(UBND);
    const out = (key: string, number: number, registerKey: string, patch: Partial<Document>) =>
      (doc[key] = makeOutgoing(em, { agency: A, state: 'ISSUED', number, registerKey, registerYear: YEAR, drafter: p.u('chuyenvien'), drafterUnit: p.unit(UBND, 'KT'), ...patch }));
    out('out1', 1, 'OUTGOING', { symbol: '1/UBND-KT', issuedDate: '2031-03-01', subject: 'Công văn đi một' });
    out('out2', 2, 'OUTGOING', { symbol: '2/UBND-NC', issuedDate: '2031-03-04', subject: 'Công văn đi hai', drafterUnit: p.unit(UBND, 'NC') });
    out('qd1', 1, 'OUTGOING:QĐ', { symbol: '1/QĐ-UBND', typeCode: 'QĐ', typeName: 'Quyết định', issuedDate: '2031-03-02', subject: 'Quyết định một' });
    out('outSecret', 1, 'OUTGOING_SECRET', { symbol: '1/UBND-M', issuedDate: '2031-03-03', subject: 'Văn bản đi mật', secrecy: 'MAT' });
    out('outOtherYear', 9, 'OUTGOING', { symbol: '9/UBND-KT', issuedDate: '2030-12-30', subject: 'Năm trước', registerYear: YEAR - 1 });
    await em.flush();
  });
  afterAll(async () => t?.close());

  it('lists every ordinary incoming document of the year in number order, annulled ones with their number and reason', async () => {
    const edges = await allEntries(t, 'vanthu', INCOMING);
    expect(edges.map((e) => e.node.id)).toEqual([doc.kh, doc.cv, doc.annulled, doc.submitted, doc.later].map((d) => d.id));
    expect(numbers(edges)).toEqual([doc.kh, doc.cv, doc.annulled, doc.submitted, doc.later].map((d) => d.incomingNumber));
    expect(numbers(edges)).toEqual([...numbers(edges)].sort((a, b) => a - b));
    const annulled = edges.find((e) => e.node.id === doc.annulled.id)!;
    expect(annulled.node.state).toBe('ANNULLED');
    expect(annulled.annulledReason).toBe('Trùng văn bản số đến 1');
    expect(edges.filter((e) => e.annulledReason !== null)).toHaveLength(1);
    const kh = edges[0];
    expect(kh).toMatchObject({ registerKey: 'INCOMING', registerYear: YEAR, date: '2031-03-02', issuerName: 'Sở Giáo dục và Đào tạo tỉnh Bắc Giang' });
    // a page of one gives the same rows
    expect((await allEntries(t, 'vanthu', INCOMING, 1)).map((e) => e.node.id)).toEqual(edges.map((e) => e.node.id));
    // leaders and the archive see the same register
    for (const u of ['lanhdao', 'luutru']) expect((await allEntries(t, u, INCOMING, 50)).map((e) => e.node.id)).toEqual(edges.map((e) => e.node.id));
    // another year: nothing of this one
    expect((await allEntries(t, 'vanthu', { ...INCOMING, year: YEAR - 1 })).map((e) => e.node.id)).not.toContain(doc.kh.id);
  });

  it('filters by number range, dates, issuer, type, unit and state', async () => {
    const ids = async (filter: RegisterEntriesArgs['filter'], args: Omit<RegisterEntriesArgs, 'first' | 'after'> = INCOMING) =>
      (await allEntries(t, 'vanthu', { ...args, filter }, 50)).map((e) => e.node.id);
    const n = (d: Document) => d.incomingNumber!;
    expect(await ids({ numberFrom: n(doc.cv), numberTo: n(doc.submitted) })).toEqual([doc.cv.id, doc.annulled.id, doc.submitted.id]);
    expect(await ids({ numberFrom: n(doc.later) })).toEqual([doc.later.id]);
    expect(await ids({ receivedFrom: '2031-03-03', receivedTo: '2031-03-05' })).toEqual([doc.cv.id, doc.annulled.id]);
    expect(await ids({ receivedFrom: '2031-03-06', receivedTo: '2031-03-06' })).toEqual([doc.submitted.id]);
    expect(await ids({ issuedFrom: '2031-02-25', issuedTo: '2031-02-25' })).toHaveLength(5);
    expect(await ids({ issuedTo: '2031-02-24' })).toEqual([]);
    expect(await ids({ issuer: 'so giao duc' })).toEqual([doc.kh.id, doc.later.id]);
    expect(await ids({ issuer: 'GIA BÌNH' })).toEqual([doc.cv.id]);
    expect(await ids({ typeName: 'Kế hoạch' })).toEqual([doc.kh.id]);
    expect(await ids({ states: ['ANNULLED'] })).toEqual([doc.annulled.id]);
    expect(await ids({ states: ['SUBMITTED', 'ANNULLED'] })).toEqual([doc.annulled.id, doc.submitted.id]);
    // outgoing: every ordinary register of the year, or one of them; the drafting unit
    const OUT = { direction: 'OUTGOING' as const, year: YEAR };
    expect(await ids(undefined, OUT)).toEqual([doc.out1.id, doc.qd1.id, doc.out2.id]);
    expect(await ids(undefined, { ...OUT, registerKey: 'OUTGOING:QĐ' })).toEqual([doc.qd1.id]);
    expect(await ids({ unitId: p.unit(UBND, 'NC').id }, OUT)).toEqual([doc.out2.id]);
    expect(await ids({ issuedFrom: '2031-03-02', issuedTo: '2031-03-04' }, OUT)).toEqual([doc.qd1.id, doc.out2.id]);
    expect(await ids({ typeName: 'Quyết định' }, OUT)).toEqual([doc.qd1.id]);
  });

  it('keeps secret documents out of the ordinary registers and shows them in the secret register to those named on them', async () => {
    const secretIn = { ...INCOMING, secret: true };
    // the văn thư who registered both is named on both
    expect((await allEntries(t, 'vanthu', secretIn)).map((e) => e.node.id)).toEqual([doc.secret.id, doc.secretUnnamed.id]);
    expect((await allEntries(t, 'vanthu', secretIn)).map((e) => e.registerKey)).toEqual(['INCOMING_SECRET', 'INCOMING_SECRET']);
    // the leader only the one naming them
    expect((await allEntries(t, 'lanhdao', secretIn)).map((e) => e.node.id)).toEqual([doc.secret.id]);
    const ordinary = (await allEntries(t, 'vanthu', INCOMING, 50)).map((e) => e.node.id);
    expect(ordinary).not.toContain(doc.secret.id);
    expect(ordinary).not.toContain(doc.secretUnnamed.id);
    // outgoing likewise: the secret register is separate, and nobody is named on this one
    expect((await allEntries(t, 'vanthu', { direction: 'OUTGOING', year: YEAR, secret: true })).map((e) => e.node.id)).toEqual([]);
    expect((await allEntries(t, 'vanthu', { direction: 'OUTGOING', year: YEAR }, 50)).map((e) => e.node.id)).not.toContain(doc.outSecret.id);
    // a secret key asked as an ordinary register is refused
    await expect(t.rt.services.registers.registerEntries(await t.as('vanthu'), { ...INCOMING, registerKey: 'INCOMING_SECRET', secret: false })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('refuses those who may not open registers, and shows another agency nothing of ours', async () => {
    for (const u of ['chuyenvien', 'truongphong', 'quantri']) {
      await expect(t.rt.services.registers.registerEntries(await t.as(u), INCOMING)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    // the archive reads the ordinary registers, not the secret one
    await expect(t.rt.services.registers.registerEntries(await t.as('luutru'), { ...INCOMING, secret: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const snv = await allEntries(t, 'snv.vanthu', INCOMING, 50);
    expect(snv.map((e) => e.node.agency.id)).toEqual([p.agency(SNV).id]);
    expect(snv.map((e) => e.node.subject)).toEqual(['Văn bản của Sở Nội vụ']);
    expect(await allEntries(t, 'snv.lanhdao', { ...INCOMING, secret: true })).toEqual([]);
  });

  it('lists the registers each holder may open', async () => {
    const books = await t.rt.services.registers.registerBooks(await t.as('vanthu'), 'OUTGOING');
    const of = (y: number) => books.filter((b) => b.year === y).map((b) => [b.registerKey, b.secret, b.count]);
    expect(of(YEAR)).toEqual([
      ['OUTGOING', false, 2],
      ['OUTGOING:QĐ', false, 1],
    ]);
    expect(of(YEAR - 1)).toEqual(expect.arrayContaining([['OUTGOING', false, expect.any(Number)]]));
    const incoming = await t.rt.services.registers.registerBooks(await t.as('vanthu'), 'INCOMING');
    expect(incoming.filter((b) => b.year === YEAR).map((b) => [b.registerKey, b.secret, b.count])).toEqual([
      ['INCOMING', false, 5],
      ['INCOMING_SECRET', true, 2],
    ]);
    const archive = await t.rt.services.registers.registerBooks(await t.as('luutru'), 'INCOMING');
    expect(archive.some((b) => b.secret)).toBe(false);
    await expect(t.rt.services.registers.registerBooks(await t.as('chuyenvien'), 'INCOMING')).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('rejects bad arguments with the field', async () => {
    const bad = async (args: Partial<RegisterEntriesArgs>) => {
      try {
        await t.rt.services.registers.registerEntries(await t.as('vanthu'), { ...INCOMING, ...args });
        return null;
      } catch (e) {
        const err = e as { code: string; extra?: { field?: string } };
        return [err.code, err.extra?.field];
      }
    };
    expect(await bad({ year: 99 })).toEqual(['BAD_USER_INPUT', 'year']);
    expect(await bad({ filter: { receivedFrom: '31/03/2031' } })).toEqual(['BAD_USER_INPUT', 'filter.receivedFrom']);
    expect(await bad({ filter: { numberFrom: 5, numberTo: 2 } })).toEqual(['BAD_USER_INPUT', 'filter.numberTo']);
    expect(await bad({ filter: { states: ['NOPE'] } })).toEqual(['BAD_USER_INPUT', 'filter.states']);
    expect(await bad({ registerKey: 'OUTGOING' })).toEqual(['BAD_USER_INPUT', 'registerKey']);
    expect(await bad({ after: 'garbage' })).toEqual(['BAD_USER_INPUT', 'after']);
    expect(await bad({ first: 1000 })).toEqual(['BAD_USER_INPUT', 'first']);
  });

  it('search spans every box: the văn thư finds a submitted document that left "chờ vào sổ", with the boxes it is in', async () => {
    const search = async (username: string, text: string) => (await t.rt.services.inbox.search(await t.as(username), { search: text, first: 50 })).edges;
    // by trích yếu without diacritics: no longer in any of the văn thư's boxes, still found
    const byVanThu = await search('vanthu', 'tuyen dung vien chuc 2031');
    expect(byVanThu.map((e) => [e.node.id, e.node.state, e.boxes])).toEqual([[doc.submitted.id, 'SUBMITTED', []]]);
    // the leader it was submitted to sees it in their box
    expect((await search('lanhdao', 'tuyen dung vien chuc 2031')).map((e) => e.boxes)).toEqual([['TO_ANNOTATE']]);
    // by số ký hiệu, by issuer, by số đến
    expect((await search('vanthu', '55/snv')).map((e) => e.node.id)).toEqual([doc.submitted.id]);
    expect((await search('vanthu', 'gia binh')).map((e) => e.node.id)).toEqual([doc.cv.id]);
    expect((await search('vanthu', `${doc.later.incomingNumber} sau cung`)).map((e) => e.node.id)).toEqual([doc.later.id]);
    // one still in "chờ vào sổ" says so; newest first
    const sgd = await search('vanthu', 'so giao duc bac giang');
    expect(sgd.map((e) => [e.node.id, e.boxes])).toEqual([
      [doc.later.id, ['TO_REGISTER']],
      [doc.kh.id, ['TO_REGISTER']],
    ]);
    // the access rule holds: a chuyên viên finds nothing they may not open, nor another agency's
    expect(await search('chuyenvien', 'tuyen dung vien chuc 2031')).toEqual([]);
    expect(await search('snv.vanthu', 'tuyen dung vien chuc 2031')).toEqual([]);
    expect((await search('lanhdao', 'tai lieu mat')).map((e) => e.node.id)).toEqual([doc.secret.id]);
    // paging: one at a time gives the same, total counts them all
    const scope = await t.as('vanthu');
    const first = await t.rt.services.inbox.search(scope, { search: 'so giao duc bac giang', first: 1 });
    expect(first.totalCount).toBe(2);
    const second = await t.rt.services.inbox.search(scope, { search: 'so giao duc bac giang', first: 1, after: first.pageInfo.endCursor });
    expect([...first.edges, ...second.edges].map((e) => e.node.id)).toEqual([doc.later.id, doc.kh.id]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    await expect(t.rt.services.inbox.search(scope, { search: '   ' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });
});

describe('register views over GraphQL', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.stop());

  it('answers registerEntries, registerBooks and documentSearch; FORBIDDEN for a chuyên viên', async () => {
    const vanthu = await loginToken(s.url, 'vanthu');
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date()));
    const q = `query($year: Int!) {
      registerBooks(direction: INCOMING) { year registerKey secret count }
      registerEntries(direction: INCOMING, year: $year, first: 3, filter: { numberFrom: 1 }) { totalCount pageInfo { hasNextPage endCursor } edges { cursor number registerKey date issuerName annulledReason node { id incomingNumber status } } }
      documentSearch(search: "van ban", first: 2) { totalCount edges { cursor boxes node { id status } } }
    }`;
    const r = await gql<{
      registerBooks: { year: number; registerKey: string }[];
      registerEntries: { totalCount: number; edges: { number: number; node: { incomingNumber: number } }[] };
      documentSearch: { totalCount: number; edges: { boxes: string[] }[] };
    }>(s.url, q, { year }, { token: vanthu });
    expect(r.errors).toBeUndefined();
    expect(r.data!.registerBooks.some((b) => b.year === year && b.registerKey === 'INCOMING')).toBe(true);
    for (const e of r.data!.registerEntries.edges) expect(e.number).toBe(e.node.incomingNumber);
    expect(r.data!.registerEntries.totalCount).toBeGreaterThanOrEqual(r.data!.registerEntries.edges.length);
    expect(Array.isArray(r.data!.documentSearch.edges)).toBe(true);
    const cv = await gql(s.url, `query($year: Int!) { registerEntries(direction: INCOMING, year: $year) { totalCount } }`, { year }, { token: await loginToken(s.url, 'chuyenvien') });
    expect(cv.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
