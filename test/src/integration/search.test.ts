/**
 * Search (issue 10) on real PostgreSQL with the real services: documents registered / issued / delivered
 * through the services queue `search.index` jobs in their transaction, the real job handler indexes them,
 * and `Query.search` (service and HTTP) finds them — folded and exact diacritics, phrases, symbol forms,
 * OCR text with its page — and never shows, counts or snippets a document its viewer may not read.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { toActor } from '../../../server/src/modules/identity/identity.service';
import { visibleDocumentIds } from '../../../server/src/modules/documents/documents.policy';
import { enqueueSearchIndexForFile, searchIndexJob, SEARCH_INDEX_JOB } from '../../../server/src/modules/search/search.jobs';
import type { SearchArgs } from '../../../server/src/modules/search/search.service';
import { AppError } from '../../../server/src/shared/errors';
import type { TestRuntime } from '../support/runtime';
import { startTestServer, type TestServer } from '../support/server';
import { gql, loginToken } from '../support/gql';
import { uniquePdf } from './documents-incoming-helpers';
import { settleExchange } from '../support/exchange';
import { approveAndSign } from '../support/issuing';

jest.setTimeout(120_000);

const TAG = `tg${Date.now().toString(36)}`; // a word only this run's documents contain

describe('search (real PostgreSQL)', () => {
  let s: TestServer;
  let t: TestRuntime;
  const ids: Record<string, string> = {};

  const em = (): EntityManager => t.rt.orm.em.fork() as EntityManager;
  const queued = async (): Promise<string[]> =>
    (await em().execute<{ data: { documentId: string } }[]>(`select data from pgboss.job where name = ? and state = 'created'`, [SEARCH_INDEX_JOB])).map((r) => r.data.documentId);
  /** Runs the queued search.index jobs with the real handler (as the worker would), then marks them done. */
  const runIndexJobs = async (): Promise<string[]> => {
    const jobs = await em().execute<{ id: string; data: { documentId: string } }[]>(`select id, data from pgboss.job where name = ? and state = 'created'`, [SEARCH_INDEX_JOB]);
    for (const j of jobs) {
      await searchIndexJob.handler(j.data, { services: t.rt.services, engines: {}, newScope: () => t.system(), jobId: j.id });
      await em().execute(`update pgboss.job set state = 'completed' where id = ?`, [j.id]);
    }
    return jobs.map((j) => j.data.documentId);
  };
  const search = async (username: string, args: Partial<SearchArgs> & { query: string }) => t.rt.services.search.search(await t.as(username), args);
  const found = async (username: string, query: string, filter?: SearchArgs['filter']) => (await search(username, { query, filter, first: 100 })).edges.map((e) => e.node.document.id);
  /** Full-text matches only (without the trigram fallback's near matches). */
  const matched = async (username: string, query: string) => {
    const r = await search(username, { query, first: 100 });
    return r.mode === 'FULL_TEXT' ? r.edges.map((e) => e.node.document.id) : [];
  };

  beforeAll(async () => {
    s = await startTestServer();
    t = s.runtime;
    const vanthu = await t.as('vanthu');
    const m = em();
    const cv = await m.findOneOrFail(User, { username: 'chuyenvien' });
    const lanhdao = await m.findOneOrFail(User, { username: 'lanhdao' });
    const reg = async (key: string, input: Record<string, unknown>) => {
      ids[key] = (await t.rt.services.incoming.registerIncoming(vanthu, { issuedDate: '2026-11-02', receivedAt: new Date('2026-11-05T02:00:00Z'), ...input } as never)).id;
    };
    await reg('sell', { issuerName: 'Sở Tài chính tỉnh Bắc Ninh', symbol: '05/KH-UBND', typeCode: 'KH', typeName: 'Kế hoạch', subject: `Kế hoạch bán đấu giá tài sản công ${TAG}`, signerName: 'Nguyễn Văn An' });
    await reg('board', { issuerName: 'Sở Nội vụ tỉnh Bắc Ninh', symbol: '17/QĐ-SNV', typeCode: 'QĐ', typeName: 'Quyết định', subject: `Quyết định thành lập ban chỉ đạo chuyển đổi số ${TAG}`, signerName: 'Trần Thị Bình' });
    await reg('reader', { issuerName: 'Sở Y tế', symbol: '88/SYT-NV', subject: `Công văn về tiêm chủng mở rộng ${TAG}`, readerIds: [cv.id] });
    await reg('secret', { issuerName: 'Công an tỉnh', symbol: '33/CAT-PV01', subject: `Tài liệu mật về an ninh ${TAG}`, secrecy: 'MAT', readerIds: [lanhdao.id] });
    await reg('scan', {
      issuerName: 'UBND huyện Lương Tài',
      symbol: '12/BC-UBND',
      typeCode: 'BC',
      typeName: 'Báo cáo',
      subject: `Báo cáo tình hình kinh tế xã hội ${TAG}`,
      files: [new File([new Uint8Array(uniquePdf())], 'bao-cao.pdf', { type: 'application/pdf' })],
    });
    // Sở Nội vụ has a document with the same words: another agency's, never found from UBND tỉnh.
    ids.other = (await t.rt.services.incoming.registerIncoming(await t.as('snv.vanthu'), { issuerName: 'Bộ Nội vụ', symbol: '05/KH-BNV', subject: `Kế hoạch bán đấu giá của Sở ${TAG}`, issuedDate: '2026-11-02' } as never)).id;
  });
  afterAll(async () => s?.stop());

  it('registration queues search.index in its transaction; the job indexes the document', async () => {
    const q = await queued();
    for (const k of ['sell', 'board', 'reader', 'secret', 'scan', 'other']) expect(q).toContain(ids[k]);
    // nothing is searchable before the job ran
    expect((await search('vanthu', { query: TAG })).totalCount).toBe(0);
    await runIndexJobs();
    expect((await found('vanthu', TAG)).sort()).toEqual([ids.sell, ids.board, ids.reader, ids.secret, ids.scan].sort());
  });

  it('finds words typed without diacritics; typed with diacritics, exact matches rank above folded ones', async () => {
    expect(await found('vanthu', `quyet dinh thanh lap ${TAG}`)).toEqual([ids.board]);
    // "bán" (sell) and "ban" (board) both match; typed "bán" the exact one comes first, typed "ban" the other way round
    const sold = await search('vanthu', { query: `bán ${TAG}` });
    expect(sold.edges.map((e) => e.node.document.id)).toEqual([ids.sell, ids.board]);
    const board = await search('vanthu', { query: `ban ${TAG}` });
    expect(board.edges.map((e) => e.node.document.id)).toEqual([ids.board, ids.sell]);
    expect(sold.edges[0].node.snippets[0]).toContain('<mark>bán</mark>');
    expect(sold.mode).toBe('FULL_TEXT');
  });

  it('phrases, prefixes and symbols as typed', async () => {
    expect(await found('vanthu', `"đấu giá tài sản" ${TAG}`)).toEqual([ids.sell]);
    expect(await matched('vanthu', `"tài sản đấu giá" ${TAG}`)).toEqual([]);
    expect(await found('vanthu', `chuyển đổ* ${TAG}`)).toEqual([ids.board]);
    for (const s of ['05/KH-UBND', '05/KH', 'KH-UBND', '05 / KH-UBND', '05/kh-ubnd']) expect(await found('vanthu', s)).toEqual([ids.sell]);
    // issuer and signer are searched too
    expect(await found('vanthu', `nguyen van an ${TAG}`)).toEqual([ids.sell]);
  });

  it('filters and facets (counted over the candidates)', async () => {
    const r = await search('vanthu', { query: TAG, filter: { type: 'KH' } });
    expect(r.edges.map((e) => e.node.document.id)).toEqual([ids.sell]);
    const all = await search('vanthu', { query: TAG });
    const type = all.facets.find((f) => f.field === 'type')!;
    expect(type.buckets).toEqual(expect.arrayContaining([{ value: 'KH', label: 'Kế hoạch', count: 1 }, { value: 'QĐ', label: 'Quyết định', count: 1 }]));
    expect((await search('vanthu', { query: TAG, filter: { year: 2026, direction: 'INCOMING' } })).totalCount).toBe(5);
    expect((await search('vanthu', { query: TAG, filter: { dateFrom: '2026-11-03' } })).totalCount).toBe(0);
    expect((await search('vanthu', { query: TAG, filter: { issuer: 'Sở Y tế' } })).edges.map((e) => e.node.document.id)).toEqual([ids.reader]);
  });

  it('the bút phê queues the index again: the assigned unit becomes a filter', async () => {
    const m = em();
    const lanhdao = await m.findOneOrFail(User, { username: 'lanhdao' });
    const cv = await m.findOneOrFail(User, { username: 'chuyenvien' }, { populate: ['unit'] });
    const kt = cv.unit!.id;
    expect((await search('vanthu', { query: TAG, filter: { unitId: kt } })).totalCount).toBe(0);
    await t.rt.services.incoming.submitForAnnotation(await t.as('vanthu'), ids.board, lanhdao.id);
    await t.rt.services.incoming.annotate(await t.as('lanhdao'), ids.board, { instruction: 'Phòng Kinh tế chủ trì', lead: { unitId: kt } });
    expect(await runIndexJobs()).toEqual([ids.board]);
    expect((await search('vanthu', { query: TAG, filter: { unitId: kt } })).edges.map((e) => e.node.document.id)).toEqual([ids.board]);
    // the unit facet names the unit; a click filters by its id
    const unit = (await search('vanthu', { query: TAG })).facets.find((f) => f.field === 'unit')!;
    expect(unit.buckets).toEqual([{ value: kt, label: cv.unit!.name, count: 1 }]);
  });

  it('the hồ sơ facet: documents filed into a hồ sơ, named by its notation and title (read from the document: no reindex)', async () => {
    const vanthu = await t.as('vanthu');
    const r = await t.rt.services.records.create(vanthu, { year: 2026, fileNotation: `TK.${TAG}`.slice(0, 30), title: 'Hồ sơ thử tìm kiếm', retentionYears: 5 });
    await t.rt.services.records.fileDocument(vanthu, r.id, ids.sell);
    expect(await runIndexJobs()).toEqual([ids.sell]);
    const all = await search('vanthu', { query: TAG });
    expect(all.facets.find((f) => f.field === 'record')!.buckets).toEqual([{ value: r.id, label: `${r.fileNotation} — Hồ sơ thử tìm kiếm`, count: 1 }]);
    expect((await search('vanthu', { query: TAG, filter: { recordId: r.id } })).edges.map((e) => e.node.document.id)).toEqual([ids.sell]);
  });

  it('OCR text of a scan is found when its OCR finishes, with the page of the hit', async () => {
    const m = em();
    const [file] = await m.execute<{ sha256: string }[]>(`select sha256 from document_file where document_id = ?`, [ids.scan]);
    const pages = ['BÁO CÁO tình hình kinh tế', `Trang hai: sản lượng lúa vụ mùa đạt 5,8 tấn/ha ở xã Phú Hòa ${TAG}`];
    // What the OCR pipeline leaves behind (ocr.jobs.ts assemble): page data in storage, the result DONE.
    for (let i = 0; i < pages.length; i++) {
      const put = await t.rt.services.storage.put(Buffer.from(JSON.stringify({ index: i, text: pages[i], lines: [] })), { contentType: 'application/json' });
      await m.execute(
        `insert into ocr_page (sha256, page_index, status, data_key) values (?, ?, 'DONE', ?) on conflict (sha256, page_index) do update set status = 'DONE', data_key = excluded.data_key`,
        [file.sha256, i, put.key],
      );
    }
    await m.execute(`update ocr_result set status = 'DONE', pages_total = 2, pages_done = 2, text = ? where sha256 = ?`, [pages.join('\n'), file.sha256]);
    expect(await matched('vanthu', 'san luong lua')).toEqual([]);
    await t.system().transaction(async (tx) => enqueueSearchIndexForFile(tx, file.sha256));
    expect(await runIndexJobs()).toEqual([ids.scan]);
    const r = await search('vanthu', { query: 'san luong lua Phu Hoa' });
    expect(r.edges.map((e) => e.node.document.id)).toEqual([ids.scan]);
    expect(r.edges[0].node.page).toBe(2);
    expect(r.edges[0].node.snippets.join(' ')).toContain('<mark>sản</mark> <mark>lượng</mark> <mark>lúa</mark>');
  });

  it('an OCR error in the text: no exact match, the trigram fallback finds it', async () => {
    const r = await search('vanthu', { query: 'tinh hinh kinh tee xa hoi' });
    expect(r.mode).toBe('SIMILAR');
    expect(r.edges.map((e) => e.node.document.id)).toContain(ids.scan);
  });

  it('issuing an outgoing document and delivering it queue the index of both records', async () => {
    const snv = await em().findOneOrFail(User, { username: 'snv.vanthu' }, { populate: ['agency'] });
    const draft = await t.rt.services.outgoing.createDraft(await t.as('chuyenvien'), {
      typeCode: 'KH',
      subject: `Kế hoạch tổng kết phong trào thi đua ${TAG}`,
      recipientAgencyIds: [snv.agency.id],
      files: [new File([new Uint8Array(uniquePdf())], 'du-thao.pdf', { type: 'application/pdf' })],
    });
    await approveAndSign(t, draft.id);
    expect(await queued()).not.toContain(draft.id); // drafts are not indexed
    await t.rt.services.outgoing.issue(await t.as('vanthu'), draft.id);
    await settleExchange(t); // delivery goes through the exchange (issue 13): the recipient's record now exists
    const [delivered] = await em().find(Document, { sourceDocument: draft.id });
    const q = await queued();
    expect(q).toEqual(expect.arrayContaining([draft.id, delivered.id]));
    await runIndexJobs();
    expect(await found('vanthu', `thi dua ${TAG}`)).toEqual([draft.id]);
    expect(await found('snv.vanthu', `thi dua ${TAG}`)).toEqual([delivered.id]);
  });

  it('every role of both agencies finds, counts and gets snippets of exactly the documents it may read', async () => {
    const m = em();
    const users = await m.find(User, { username: { $like: '%' } }, { populate: ['agency', 'unit'] });
    const docs = await m.find(Document, { subject: { $like: `%${TAG}%` } });
    expect(docs.length).toBeGreaterThanOrEqual(8);
    let checked = 0;
    for (const u of users.filter((x) => /^(snv\.)?(vanthu|chuyenvien|truongphong|lanhdao|luutru|quantri)$/.test(x.username))) {
      const actor = toActor(u, null);
      const visible = await visibleDocumentIds(m, actor, docs);
      // search covers the viewer's own agency (a delivered document is found through the agency's own record)
      const expected = docs.filter((d) => visible.has(d.id) && d.agency.id === actor.agencyId).map((d) => d.id).sort();
      const r = await search(u.username, { query: TAG, first: 100 });
      expect({ user: u.username, ids: r.edges.map((e) => e.node.document.id).sort() }).toEqual({ user: u.username, ids: expected });
      expect(r.totalCount).toBe(expected.length);
      const facetTotal = r.facets.find((f) => f.field === 'direction')?.buckets.reduce((s, b) => s + b.count, 0) ?? 0;
      expect(facetTotal).toBe(expected.length);
      checked++;
    }
    expect(checked).toBe(12);
    // the secret document: its named readers only (the registering văn thư and the named leader)
    expect(await found('vanthu', `"an ninh" ${TAG}`)).toEqual([ids.secret]);
    expect(await found('lanhdao', `"an ninh" ${TAG}`)).toEqual([ids.secret]);
    expect(await matched('chuyenvien', `"an ninh" ${TAG}`)).toEqual([]);
    for (const u of ['chuyenvien', 'truongphong', 'luutru', 'quantri', 'snv.vanthu', 'snv.lanhdao']) {
      const r = await search(u, { query: `"an ninh" ${TAG}` });
      expect(r.edges.map((e) => e.node.document.id)).not.toContain(ids.secret);
      expect(r.edges.flatMap((e) => e.node.snippets).join(' ')).not.toContain('an ninh');
    }
    expect(await found('chuyenvien', `tiem chung ${TAG}`)).toEqual([ids.reader]);
    // the other agency's document is not even counted in a facet or by the trigram fallback
    const similar = await search('vanthu', { query: 'ban dau gia cua so' });
    expect(similar.edges.map((e) => e.node.document.id)).not.toContain(ids.other);
  });

  it('bad input: clear results or BAD_USER_INPUT, never a 500', async () => {
    const bad = async (query: string, extra: Partial<SearchArgs> = {}) => {
      try {
        await search('vanthu', { query, ...extra });
        return null;
      } catch (e) {
        expect(e).toBeInstanceOf(AppError);
        return (e as AppError).code;
      }
    };
    expect(await bad('x'.repeat(10_000))).toBe('BAD_USER_INPUT');
    for (const q of ['%', '_', '\\', '"', "'", '!!!...???', '   ']) expect(await bad(q)).toBe('BAD_USER_INPUT');
    expect(await bad('100%')).toBeNull();
    expect(await bad(`"đấu giá tài sản ${TAG}`)).toBeNull(); // unbalanced quote: read without it
    expect(await found('vanthu', `"đấu giá tài sản ${TAG}`)).toEqual([ids.sell]);
    expect(await found('vanthu', `Quyết định thành lập ${TAG}`.normalize('NFD'))).toEqual([ids.board]);
    expect(await matched('vanthu', `a_b%c\\d ${TAG}`)).toEqual([]);
    expect(await bad(TAG, { first: 0 })).toBe('BAD_USER_INPUT');
    expect(await bad(TAG, { after: 'garbage' })).toBe('BAD_USER_INPUT');
    expect(await bad(TAG, { filter: { recordId: 'x' } })).toBe('BAD_USER_INPUT');
    expect(await bad(TAG, { filter: { dateFrom: '2026-13-45x' } })).toBe('BAD_USER_INPUT');
  });

  it('pages with a cursor', async () => {
    const p1 = await search('vanthu', { query: TAG, first: 2 });
    expect(p1.edges).toHaveLength(2);
    expect(p1.pageInfo.hasNextPage).toBe(true);
    const p2 = await search('vanthu', { query: TAG, first: 2, after: p1.pageInfo.endCursor });
    expect(p2.pageInfo.hasPreviousPage).toBe(true);
    const all = (await search('vanthu', { query: TAG, first: 100 })).edges.map((e) => e.node.document.id);
    expect([...p1.edges, ...p2.edges].map((e) => e.node.document.id)).toEqual(all.slice(0, 4));
  });

  it('reindex rebuilds the whole index from the documents (npm run cli -- reindex)', async () => {
    const before = await search('vanthu', { query: TAG, first: 100 });
    await em().execute(`delete from search_document`);
    expect((await search('vanthu', { query: TAG })).totalCount).toBe(0);
    const r = await t.rt.services.search.reindexAll(t.system(), { batch: 3 });
    expect(r.indexed).toBeGreaterThanOrEqual(8);
    const after = await search('vanthu', { query: TAG, first: 100 });
    expect(after.edges.map((e) => [e.node.document.id, e.node.page, e.node.snippets])).toEqual(before.edges.map((e) => [e.node.document.id, e.node.page, e.node.snippets]));
    const [audit] = await em().execute<{ n: number }[]>(`select count(*)::int as n from audit_event where action = 'search.reindex'`);
    expect(audit.n).toBe(1);
  });

  describe('over HTTP', () => {
    const Q = `query($q: String!, $f: SearchFilter, $first: Int, $after: String) { search(query: $q, filter: $f, first: $first, after: $after) {
      totalCount totalCountCapped candidatesCapped mode
      edges { cursor node { score snippets page document { id symbol subject } } }
      pageInfo { hasNextPage endCursor } facets { field buckets { value label count } } } }`;

    it('answers the contract; bad input is BAD_USER_INPUT with the field, not a 500', async () => {
      const token = await loginToken(s.url, 'vanthu');
      const ok = await gql<{ search: { totalCount: number; edges: { node: { document: { symbol: string } } }[] } }>(s.url, Q, { q: '05/KH' }, { token });
      expect(ok.errors).toBeUndefined();
      expect(ok.data!.search.edges.map((e) => e.node.document.symbol)).toEqual(['05/KH-UBND']);
      for (const q of ['x'.repeat(10_000), '%_\\']) {
        const r = await gql(s.url, Q, { q }, { token });
        expect(r.status).toBe(200);
        expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
      }
      const anon = await gql(s.url, Q, { q: TAG });
      expect(anon.errors![0].extensions!.code).toBe('UNAUTHENTICATED');
    });

    it('bad filters go to their field (the rules the web form shares: schema/validation/search.ts); never a 500', async () => {
      const token = await loginToken(s.url, 'vanthu');
      const cases: [Record<string, unknown>, string][] = [
        [{ year: 1800 }, 'filter.year'],
        [{ dateFrom: '2026-11-05', dateTo: '2026-11-01' }, 'filter.dateTo'],
        [{ recordId: 'not-a-uuid' }, 'filter.recordId'],
        [{ unitId: "1' or '1'='1" }, 'filter.unitId'],
      ];
      for (const [f, field] of cases) {
        const r = await gql(s.url, Q, { q: TAG, f }, { token });
        expect(r.status).toBe(200);
        expect(r.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      }
      // a query in decomposed Unicode (NFD), quotes and a symbol with spaces: results, not errors
      for (const q of [`Quyết định thành lập ${TAG}`.normalize('NFD'), `"bán đấu giá ${TAG}`, '05 / KH-UBND', `'${TAG}'`]) {
        const r = await gql<{ search: { edges: unknown[] } }>(s.url, Q, { q }, { token });
        expect(r.errors).toBeUndefined();
        expect(r.data!.search.edges.length).toBeGreaterThan(0);
      }
    });

    const HIT = `query($d: ID!, $q: String!, $p: Int) { searchHitPage(documentId: $d, query: $q, page: $p) { page pageCount imageUrl boxes { x y width height text } pagesWithHits } }`;

    it('searchHitPage: null without a digitised file, bad input at its field, NOT_FOUND for what the caller may not read', async () => {
      const token = await loginToken(s.url, 'vanthu');
      const none = await gql<{ searchHitPage: unknown }>(s.url, HIT, { d: ids.sell, q: 'đấu giá' }, { token });
      expect(none.errors).toBeUndefined();
      expect(none.data!.searchHitPage).toBeNull();
      const long = await gql(s.url, HIT, { d: ids.sell, q: 'x'.repeat(10_000) }, { token });
      expect(long.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'query' });
      const page0 = await gql(s.url, HIT, { d: ids.sell, q: 'đấu', p: 0 }, { token });
      expect(page0.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'page' });
      const other = await gql(s.url, HIT, { d: ids.other, q: 'đấu giá' }, { token });
      expect(other.errors![0].extensions!.code).toBe('NOT_FOUND');
      const secret = await gql(s.url, HIT, { d: ids.secret, q: 'an ninh' }, { token: await loginToken(s.url, 'chuyenvien') });
      expect(secret.errors![0].extensions!.code).toBe('NOT_FOUND');
      const garbage = await gql(s.url, HIT, { d: 'nope', q: 'x' }, { token });
      expect(garbage.errors![0].extensions!.code).toBe('NOT_FOUND');
    });
  });
});
