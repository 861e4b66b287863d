/**
 * Search at scale, on real PostgreSQL (issue 10): the count is one narrow pass capped at COUNT_CAP + 1 (and says
 * so), only CANDIDATE_LIMIT candidates are ranked and paged, and a viewer without an agency-wide grant is
 * narrowed to their personal access set (search/personal-set.ts) — with exactly the documents the access rule
 * gives them, whichever fact names them: an assignment, a membership, a chain column, an approval-chain step.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { toActor } from '../../../server/src/modules/identity/identity.service';
import { visibleDocumentIds } from '../../../server/src/modules/documents/documents.policy';
import { CANDIDATE_LIMIT, COUNT_CAP } from '../../../server/src/modules/search/provider';
import { createTestRuntime, type TestRuntime } from '../support/runtime';

jest.setTimeout(120_000);

const TAG = `sc${Date.now().toString(36)}`;
const COPIES = COUNT_CAP + 4;

describe('search at scale (real PostgreSQL)', () => {
  let t: TestRuntime;
  const em = (): EntityManager => t.rt.orm.em.fork() as EntityManager;
  const clones: string[] = [];

  beforeAll(async () => {
    t = await createTestRuntime();
    const doc = await t.rt.services.incoming.registerIncoming(await t.as('vanthu'), {
      issuerName: 'Sở Xây dựng',
      symbol: '09/SXD-QLN',
      subject: `Công văn về quy hoạch đô thị ${TAG}`,
      issuedDate: '2026-10-01',
      receivedAt: new Date('2026-10-02T02:00:00Z'),
    } as never);
    await t.rt.services.search.indexDocument(em(), doc.id);
    // COPIES documents like it (and their index rows), in bulk: what a busy agency holds
    for (let i = 0; i < COPIES; i++) clones.push(randomUUID());
    const m = em();
    await m.execute(
      `insert into document select (jsonb_populate_record(null::document, to_jsonb(d) || jsonb_build_object('id', n.id, 'number', null, 'incoming_number', null, 'dup_key', null))).*
         from document d, unnest(?::uuid[]) n(id) where d.id = ?`,
      [`{${clones.join(',')}}`, doc.id],
    );
    await m.execute(
      `insert into search_document select (jsonb_populate_record(null::search_document, to_jsonb(s) || jsonb_build_object('document_id', n.id))).*
         from search_document s, unnest(?::uuid[]) n(id) where s.document_id = ?`,
      [`{${clones.join(',')}}`, doc.id],
    );
    clones.push(doc.id);
  });
  afterAll(async () => t?.close());

  it('counts up to COUNT_CAP + 1 and says so; ranks and pages only the candidates; facets over the matches read', async () => {
    const r = await t.rt.services.search.search(await t.as('vanthu'), { query: TAG, first: 100 });
    expect(r.totalCount).toBe(COUNT_CAP + 1);
    expect(r.totalCountCapped).toBe(true);
    expect(r.candidatesCapped).toBe(true);
    expect(r.edges).toHaveLength(100);
    const direction = r.facets.find((f) => f.field === 'direction')!;
    expect(direction.buckets).toEqual([{ value: 'INCOMING', label: 'Văn bản đến', count: COUNT_CAP + 1 }]);
    // paging ends with the candidates
    let after = r.pageInfo.endCursor;
    let seen = r.edges.length;
    for (;;) {
      const p = await t.rt.services.search.search(await t.as('vanthu'), { query: TAG, first: 100, after });
      seen += p.edges.length;
      if (!p.pageInfo.hasNextPage) break;
      after = p.pageInfo.endCursor;
    }
    expect(seen).toBe(CANDIDATE_LIMIT);
    // fewer matches than the cap: the exact count
    const few = await t.rt.services.search.search(await t.as('vanthu'), { query: `${TAG} 09/SXD-QLN`, filter: { year: 1999 } });
    expect([few.totalCount, few.totalCountCapped]).toEqual([0, false]);
  });

  it('a chuyên viên / trưởng phòng (no agency-wide grant) finds exactly what the rule gives them, by every kind of fact', async () => {
    const m = em();
    const cv = await m.findOneOrFail(User, { username: 'chuyenvien' }, { populate: ['agency', 'unit'] });
    const tp = await m.findOneOrFail(User, { username: 'truongphong' }, { populate: ['agency', 'unit'] });
    const [a, b, c, d, e, f] = clones;
    await m.execute(`insert into assignment (id, document_id, role, target, unit_id, user_id, state, active, created_at) values (?, ?, 'LEAD', 'USER', null, ?, 'DONE', false, now())`, [randomUUID(), a, cv.id]);
    await m.execute(`insert into assignment (id, document_id, role, target, unit_id, user_id, state, active, created_at) values (?, ?, 'SUPPORT', 'UNIT', ?, null, 'PENDING', true, now())`, [randomUUID(), b, tp.unit!.id]);
    await m.execute(`insert into document_member (id, document_id, user_id, kind, created_at) values (?, ?, ?, 'WATCHER', now())`, [randomUUID(), c, cv.id]);
    await m.execute(`update document set signed_by_id = ? where id = ?`, [cv.id, d]);
    await m.execute(`update document set approval_chain = jsonb_build_array(jsonb_build_object('kind', 'USER', 'userId', ?::text)) where id = ?`, [cv.id, e]);
    // a secret document naming nobody of them, with the chuyên viên in its chain: still not theirs
    await m.execute(`update document set secrecy = 'MAT', drafter_id = ? where id = ?`, [cv.id, f]);
    const docs = await m.find(Document, { id: { $in: clones } });
    for (const u of [cv, tp]) {
      const visible = await visibleDocumentIds(m, toActor(u, null), docs);
      const r = await t.rt.services.search.search(await t.as(u.username), { query: TAG, first: 100 });
      expect(r.edges.map((x) => x.node.document.id).sort()).toEqual([...visible].sort());
      expect(r.totalCount).toBe(visible.size);
    }
    const mine = (await t.rt.services.search.search(await t.as('chuyenvien'), { query: TAG, first: 100 })).edges.map((x) => x.node.document.id).sort();
    expect(mine).toEqual([a, c, d, e].sort());
    const head = (await t.rt.services.search.search(await t.as('truongphong'), { query: TAG, first: 100 })).edges.map((x) => x.node.document.id);
    expect(head).toEqual([b]);
  });
});
