/**
 * The agency tree (operator only, identifier codes validated) and the audit log (filters, keyset paging,
 * agency boundaries, CSV/XLSX export through a signed URL) over GraphQL, on the real API and PostgreSQL.
 */
import ExcelJS from 'exceljs';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { gql, loginToken, type GqlResponse } from '../support/gql';
import { LocalDays } from '../support/local-days';
import { startTestServer, type TestServer } from '../support/server';

const days = new LocalDays();

type Ext = { code?: string; field?: string; reason?: string };
const ext = (r: GqlResponse<unknown>): Ext => (r.errors?.[0]?.extensions ?? {}) as Ext;

const TREE = 'query($all: Boolean){ agencyTree(includeInactive:$all){ depth agency { id code abbr active parent { code } } } }';
type Tree = { agencyTree: { depth: number; agency: { id: string; code: string; abbr: string; active: boolean; parent: { code: string } | null } }[] };
const AUDIT = `query($f: AuditEventFilter, $n: Int, $after: String){ auditEvents(filter:$f, first:$n, after:$after){
  edges { cursor node { id at action targetType targetId targetLabel data agency { code } actor { username } } } pageInfo { hasNextPage endCursor } } }`;
type AuditNode = { id: string; at: string; action: string; targetType: string; targetId: string | null; targetLabel: string | null; data: unknown; agency: { code: string } | null; actor: { username: string } | null };
type Audit = { auditEvents: { edges: { cursor: string; node: AuditNode }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };

describe('agency tree and audit log', () => {
  let s: TestServer;
  let op: string;
  let call: <T = Record<string, unknown>>(token: string, query: string, variables?: Record<string, unknown>) => Promise<GqlResponse<T>>;
  const agency = (code: string) => s.runtime.rt.orm.em.fork().findOneOrFail(Agency, { code });

  beforeAll(async () => {
    s = await startTestServer();
    call = (token, query, variables = {}) => gql(s.url, query, variables, { token });
    op = await loginToken(s.url, 'quantri');
  });
  afterAll(async () => s?.stop());

  it('shows the tree depth-first: the province, its Sở and xã, the centre under its Sở', async () => {
    const r = await call<Tree>(op, TREE);
    expect(r.errors).toBeUndefined();
    const rows = r.data!.agencyTree.map((x) => `${x.depth}:${x.agency.code}`);
    expect(rows[0]).toBe('0:000.00.00.H27');
    expect(rows.indexOf('2:000.01.06.H27')).toBe(rows.indexOf('1:000.00.06.H27') + 1);
    expect(r.data!.agencyTree.every((x) => x.agency.active)).toBe(true);
  });

  it('the operator creates, renames, moves and deactivates an agency, with the identifier code validated', async () => {
    const ubnd = await agency('000.00.00.H27');
    const syt = await agency('000.00.06.H27');
    const CREATE = 'mutation($i: CreateAgencyInput!){ createAgency(input:$i){ id code name abbr place active operator parent { code } } }';
    const base = { name: 'Sở Xây dựng tỉnh Bắc Ninh', abbr: 'SXD', place: 'Bắc Ninh', parentId: ubnd.id };
    const bad: [Record<string, unknown>, Ext][] = [
      [{ ...base, code: '123' }, { code: 'BAD_USER_INPUT', field: 'code' }],
      [{ ...base, code: '000.00.20.H30' }, { code: 'BAD_USER_INPUT', field: 'code' }],
      [{ ...base, code: '000.00.00.H27' }, { code: 'BAD_USER_INPUT', field: 'code' }],
      [{ ...base, code: '000.00.02.H27' }, { code: 'CONFLICT', field: 'code' }],
      [{ ...base, code: '000.00.20.H27', name: ' ' }, { code: 'BAD_USER_INPUT', field: 'name' }],
      [{ ...base, code: '000.00.20.H27', abbr: 'S X D' }, { code: 'BAD_USER_INPUT', field: 'abbr' }],
      [{ ...base, code: '000.00.20.H27', parentId: '01900000-0000-7000-8000-000000000000' }, { code: 'BAD_USER_INPUT', field: 'parentId' }],
    ];
    for (const [i, want] of bad) {
      const r = await call(op, CREATE, { i });
      expect([i, ext(r)]).toEqual([i, expect.objectContaining(want)]);
    }
    const created = await call<{ createAgency: { id: string; code: string; active: boolean; operator: boolean; parent: { code: string } } }>(op, CREATE, {
      i: { ...base, code: ' 000.00.20.h27 ' },
    });
    expect(created.errors).toBeUndefined();
    expect(created.data!.createAgency).toMatchObject({ code: '000.00.20.H27', active: true, operator: false, parent: { code: '000.00.00.H27' } });
    const id = created.data!.createAgency.id;
    const tree = (await call<Tree>(op, TREE)).data!.agencyTree;
    expect(tree.find((x) => x.agency.id === id)).toMatchObject({ depth: 1 });

    const UPDATE = 'mutation($i: UpdateAgencyInput!){ updateAgency(input:$i){ code name abbr parent { code } } }';
    // Moving under the Sở Y tế needs a code under the Sở's.
    expect(ext(await call(op, UPDATE, { i: { id, parentId: syt.id } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'code' });
    const moved = await call<{ updateAgency: unknown }>(op, UPDATE, { i: { id, parentId: syt.id, code: '000.02.06.H27', name: 'Trung tâm Giám định y khoa', abbr: 'GĐYK' } });
    expect(moved.errors).toBeUndefined();
    expect(moved.data!.updateAgency).toEqual({ code: '000.02.06.H27', name: 'Trung tâm Giám định y khoa', abbr: 'GĐYK', parent: { code: '000.00.06.H27' } });
    // No cycles: the province cannot go under its own descendant.
    expect(ext(await call(op, UPDATE, { i: { id: ubnd.id, parentId: id } }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'parentId' });

    const ACTIVE = 'mutation($i: SetActiveInput!){ setAgencyActive(input:$i){ active } }';
    // The operator agency, and a Sở that still has an active body under it, stay active.
    expect(ext(await call(op, ACTIVE, { i: { id: ubnd.id, active: false } }))).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(ext(await call(op, ACTIVE, { i: { id: syt.id, active: false } })).code).toBe('CONFLICT');
    const off = await call<{ setAgencyActive: { active: boolean } }>(op, ACTIVE, { i: { id, active: false } });
    expect(off.data!.setAgencyActive.active).toBe(false);
    expect((await call<Tree>(op, TREE)).data!.agencyTree.map((x) => x.agency.id)).not.toContain(id);
    expect((await call<Tree>(op, TREE, { all: true })).data!.agencyTree.find((x) => x.agency.id === id)).toMatchObject({ depth: 2, agency: { active: false } });

    const em = s.runtime.rt.orm.em.fork();
    for (const action of ['agency.create', 'agency.update', 'agency.deactivate']) expect([action, await em.count(AuditEvent, { action, targetId: id, agencyId: id })]).toEqual([action, 1]);
  });

  it('deactivating an agency signs its staff out and keeps them out until it is reactivated', async () => {
    const stc = await agency('000.00.03.H27');
    const t = await loginToken(s.url, 'stc.vanthu');
    const ACTIVE = 'mutation($i: SetActiveInput!){ setAgencyActive(input:$i){ active } }';
    expect((await call<{ setAgencyActive: { active: boolean } }>(op, ACTIVE, { i: { id: stc.id, active: false } })).data!.setAgencyActive.active).toBe(false);
    expect(ext(await call(t, '{ me { id } }')).code).toBe('UNAUTHENTICATED');
    expect(ext(await gql(s.url, 'mutation { login(username: "stc.vanthu", password: "congvan2026") { token } }')).code).toBe('UNAUTHENTICATED');
    await call(op, ACTIVE, { i: { id: stc.id, active: true } });
    // The sessions were ended, not only refused while the agency was inactive.
    expect(ext(await call(t, '{ me { id } }')).code).toBe('UNAUTHENTICATED');
    expect(await loginToken(s.url, 'stc.vanthu')).toBeTruthy();
    const ev = await s.runtime.rt.orm.em.fork().findOneOrFail(AuditEvent, { action: 'agency.deactivate', targetId: stc.id });
    expect(ev.data).toMatchObject({ endedSessions: expect.any(Number) });
    expect((ev.data as { endedSessions: number }).endedSessions).toBeGreaterThanOrEqual(1);
  });

  it('only the operator’s administrators manage the tree', async () => {
    const snv = await loginToken(s.url, 'snv.quantri');
    const own = await agency('000.00.02.H27');
    const r1 = await call(snv, 'mutation { createAgency(input: { code: "000.00.21.H27", name: "Cơ quan mới", abbr: "CQM" }) { id } }');
    expect(ext(r1).code).toBe('FORBIDDEN');
    const r2 = await call(snv, 'mutation($i: UpdateAgencyInput!){ updateAgency(input:$i){ id } }', { i: { id: own.id, name: 'Đổi tên' } });
    expect(ext(r2).code).toBe('FORBIDDEN');
    const r3 = await call(snv, 'mutation($i: SetActiveInput!){ setAgencyActive(input:$i){ id } }', { i: { id: own.id, active: false } });
    expect(ext(r3).code).toBe('FORBIDDEN');
    expect(ext(await call(snv, TREE, { all: true })).code).toBe('FORBIDDEN');
    expect((await agency('000.00.02.H27')).name).toBe(own.name);
    expect(await s.runtime.rt.orm.em.fork().count(Agency, { code: '000.00.21.H27' })).toBe(0);
  });

  it('the audit log: own agency only, filters, keyset paging without gaps or repeats', async () => {
    const snv = await loginToken(s.url, 'snv.quantri');
    const snvAgency = await agency('000.00.02.H27');
    const ubnd = await agency('000.00.00.H27');
    // Some events in SNV: logins, a unit, a user change.
    await loginToken(s.url, 'snv.vanthu');
    await loginToken(s.url, 'snv.lanhdao');
    const unit = await call<{ createUnit: { id: string } }>(snv, 'mutation { createUnit(input: { name: "Phòng Công chức", abbr: "CC" }) { id } }');
    expect(unit.errors).toBeUndefined();

    const all = await call<Audit>(snv, AUDIT, { n: 100 });
    expect(all.errors).toBeUndefined();
    const nodes = all.data!.auditEvents.edges.map((e) => e.node);
    expect(nodes.length).toBeGreaterThanOrEqual(4);
    expect(nodes.every((n) => n.agency?.code === '000.00.02.H27')).toBe(true);
    // Newest first.
    expect(nodes.map((n) => n.at)).toEqual([...nodes.map((n) => n.at)].sort().reverse());
    expect(nodes[0]).toMatchObject({ action: 'unit.create', targetType: 'unit', targetId: unit.data!.createUnit.id, targetLabel: 'Phòng Công chức', actor: { username: 'snv.quantri' } });
    // a login is the act of the user who signed in, and names them
    const vanthu = await s.runtime.rt.orm.em.fork().findOneOrFail(User, { username: 'snv.vanthu' });
    expect(nodes.find((n) => n.action === 'auth.login' && n.targetId === vanthu.id)).toMatchObject({ actor: { username: 'snv.vanthu' }, targetLabel: `${vanthu.fullName} (snv.vanthu)` });

    // Another agency's log: NOT_FOUND; the operator may pick any agency, or see all.
    expect(ext(await call(snv, AUDIT, { f: { agencyId: ubnd.id } })).code).toBe('NOT_FOUND');
    const opView = await call<Audit>(op, AUDIT, { f: { agencyId: snvAgency.id }, n: 100 });
    expect(opView.data!.auditEvents.edges.map((e) => e.node.id)).toEqual(nodes.map((n) => n.id));
    const opAll = await call<Audit>(op, AUDIT, { n: 100 });
    expect(new Set(opAll.data!.auditEvents.edges.map((e) => e.node.agency?.code)).size).toBeGreaterThan(1);

    // Paging two by two gives exactly the same sequence.
    const paged: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 100; i++) {
      const p: GqlResponse<Audit> = await call<Audit>(snv, AUDIT, { n: 2, after });
      expect(p.errors).toBeUndefined();
      paged.push(...p.data!.auditEvents.edges.map((e) => e.node.id));
      if (!p.data!.auditEvents.pageInfo.hasNextPage) break;
      after = p.data!.auditEvents.pageInfo.endCursor;
    }
    expect(paged).toEqual(nodes.map((n) => n.id));

    // Filters.
    const adminId = (await s.runtime.rt.orm.em.fork().findOneOrFail(User, { username: 'snv.quantri' })).id;
    const byActor = await call<Audit>(snv, AUDIT, { f: { actorId: adminId }, n: 100 });
    expect(byActor.data!.auditEvents.edges.map((e) => e.node.action)).toContain('unit.create');
    expect(byActor.data!.auditEvents.edges.every((e) => e.node.actor?.username === 'snv.quantri')).toBe(true);
    expect(byActor.data!.auditEvents.edges.length).toBeLessThan(nodes.length);
    const logins = await call<Audit>(snv, AUDIT, { f: { action: 'auth.' }, n: 100 });
    expect(logins.data!.auditEvents.edges.length).toBeGreaterThanOrEqual(3);
    expect(logins.data!.auditEvents.edges.every((e) => e.node.action.startsWith('auth.'))).toBe(true);
    const exact = await call<Audit>(snv, AUDIT, { f: { action: 'unit.create' } });
    expect(exact.data!.auditEvents.edges.map((e) => e.node.targetId)).toEqual([unit.data!.createUnit.id]);
    const byTarget = await call<Audit>(snv, AUDIT, { f: { targetType: 'unit', targetId: unit.data!.createUnit.id } });
    expect(byTarget.data!.auditEvents.edges).toHaveLength(1);
    // every event so far happened on the days this file ran (from its start to now, in Asia/Ho_Chi_Minh)
    const todays = await call<Audit>(snv, AUDIT, { f: { from: days.first, to: days.last }, n: 100 });
    expect(todays.data!.auditEvents.edges.length).toBe(nodes.length);
    const past = await call<Audit>(snv, AUDIT, { f: { from: '2020-01-01', to: '2020-12-31' } });
    expect(past.data!.auditEvents.edges).toHaveLength(0);

    // Bad filters and cursors: BAD_USER_INPUT with the field.
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const badCases: [Record<string, unknown>, string][] = [
      [{ f: { from: '2026-12-02', to: '2026-12-01' } }, 'from'],
      [{ f: { actorId: 'abc' } }, 'actorId'],
      [{ f: { action: "x' or 1=1" } }, 'action'],
      [{ after: b64(['2026-99-99 00:00:00+00', '01900000-0000-7000-8000-000000000000']) }, 'after'],
      [{ after: b64(['2026-12-01 00:00:00+00', 'not-a-uuid']) }, 'after'],
    ];
    // An impossible date is refused by the Date scalar itself, before the service.
    expect(ext(await call(snv, AUDIT, { f: { from: '2026-02-30' } })).code).toBe('BAD_USER_INPUT');
    for (const [v, field] of badCases) expect([v, ext(await call(snv, AUDIT, v))]).toEqual([v, expect.objectContaining({ code: 'BAD_USER_INPUT', field })]);
  });

  it('the audit log filters by document', async () => {
    const em = s.runtime.rt.orm.em.fork();
    const ubnd = await agency('000.00.00.H27');
    // A document event written as a service would (the demo province has no documents in this database).
    const documentId = '01900000-0000-7000-8000-00000000d0c1';
    await s.runtime.system().transaction(async (tx) => {
      tx.audit({ action: 'document.register', targetType: 'document', targetId: documentId, agencyId: ubnd.id, data: { incomingNumber: 1 } });
      tx.audit({ action: 'document.annotate', targetType: 'document', targetId: documentId, agencyId: ubnd.id });
    });
    const r = await call<Audit>(op, AUDIT, { f: { documentId } });
    expect(r.data!.auditEvents.edges.map((e) => e.node.action).sort()).toEqual(['document.annotate', 'document.register']);
    expect(r.data!.auditEvents.edges[0].node.actor).toBeNull();

    // Events at the very same instant are paged by id: none lost, none repeated.
    const same = new Date('2026-06-01T01:02:03.456Z');
    const ids = await s.runtime.system().transaction(async (tx) =>
      Array.from({ length: 5 }, (_x, i) => {
        const ev = tx.audit({ action: 'document.progress', targetType: 'document', targetId: documentId, agencyId: ubnd.id, data: { i } });
        ev.at = same;
        return ev.id;
      }),
    );
    const paged: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const p: GqlResponse<Audit> = await call<Audit>(op, AUDIT, { f: { documentId, action: 'document.progress' }, n: 2, after });
      paged.push(...p.data!.auditEvents.edges.map((e) => e.node.id));
      if (!p.data!.auditEvents.pageInfo.hasNextPage) break;
      after = p.data!.auditEvents.pageInfo.endCursor;
    }
    expect(paged).toEqual([...ids].sort().reverse());
    const snv = await loginToken(s.url, 'snv.quantri');
    const other = await call<Audit>(snv, AUDIT, { f: { documentId } });
    expect(other.data!.auditEvents.edges).toHaveLength(0);
    expect(await em.count(AuditEvent, { targetId: documentId })).toBe(7);
  });

  it('exports the filtered log as CSV and XLSX through a short-lived signed URL', async () => {
    const snv = await loginToken(s.url, 'snv.quantri');
    const EXPORT = 'mutation($f: AuditEventFilter, $fmt: AuditExportFormat!){ exportAuditEvents(filter:$f, format:$fmt){ fileName contentType url rows } }';
    type E = { exportAuditEvents: { fileName: string; contentType: string; url: string; rows: number } };
    const listed = await call<Audit>(snv, AUDIT, { f: { action: 'auth.' }, n: 100 });
    const n = listed.data!.auditEvents.edges.length;

    const csv = await call<E>(snv, EXPORT, { f: { action: 'auth.' }, fmt: 'CSV' });
    expect(csv.errors).toBeUndefined();
    expect(csv.data!.exportAuditEvents).toMatchObject({ rows: n, contentType: expect.stringMatching(/^text\/csv/), fileName: expect.stringMatching(/^Nhật ký hệ thống .*\.csv$/) });
    const signed = new URL(csv.data!.exportAuditEvents.url);
    expect(signed.search).toMatch(/sig=/);
    const res = await fetch(`${s.url}${signed.pathname}${signed.search}`);
    expect(res.status).toBe(200);
    const body = Buffer.from(await res.arrayBuffer()).toString('utf8');
    expect(body.charCodeAt(0)).toBe(0xfeff);
    const lines = body.slice(1).trim().split('\r\n');
    expect(lines[0]).toBe('Thời điểm,Người thực hiện,Tên đăng nhập,Thao tác,Loại đối tượng,Mã đối tượng,Cơ quan,Địa chỉ IP,Chi tiết');
    expect(lines).toHaveLength(n + 1);
    expect(lines.slice(1).every((l) => /,auth\.\w+,user,/.test(l))).toBe(true);
    expect(body).toContain('000.00.02.H27');
    // A tampered signature is refused.
    expect((await fetch(`${s.url}${signed.pathname}${signed.search.replace(/sig=[^&]+/, 'sig=AAAA')}`)).status).toBeGreaterThanOrEqual(400);

    const xlsx = await call<E>(snv, EXPORT, { fmt: 'XLSX' });
    expect(xlsx.errors).toBeUndefined();
    const x = new URL(xlsx.data!.exportAuditEvents.url);
    const xres = await fetch(`${s.url}${x.pathname}${x.search}`);
    expect(xres.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await xres.arrayBuffer()) as never);
    const ws = wb.worksheets[0];
    expect(ws.getRow(1).getCell(4).value).toBe('Thao tác');
    expect(ws.rowCount).toBe(xlsx.data!.exportAuditEvents.rows + 1);
    // Every row is of the caller's agency.
    for (let i = 2; i <= ws.rowCount; i++) expect(ws.getRow(i).getCell(7).value).toBe('000.00.02.H27');

    // The export is audited, in the agency's log.
    const em = s.runtime.rt.orm.em.fork();
    expect(await em.count(AuditEvent, { action: 'audit.export', agencyId: (await agency('000.00.02.H27')).id })).toBe(2);
    // Another agency's export: NOT_FOUND.
    const ubnd = await agency('000.00.00.H27');
    expect(ext(await call(snv, EXPORT, { f: { agencyId: ubnd.id }, fmt: 'CSV' })).code).toBe('NOT_FOUND');
  });
});
