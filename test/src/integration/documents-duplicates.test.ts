/**
 * Văn bản đến: duplicates caught BEFORE the số đến is drawn ("vẫn vào sổ" as an explicit choice), paper
 * registration without any file, hủy vào sổ (the number stays in the register, marked "hủy"), and an earlier ngày đến for a paper document (NĐ 30/2020 Điều 22: each
 * document is registered once; every number drawn stays in the register). Real PostgreSQL, GraphQL over HTTP.
 */
import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { Assignment } from '../../../server/src/modules/documents/entities/assignment.entity';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { gql, loginToken } from '../support/gql';
import { LocalDays } from '../support/local-days';
import { startTestServer, type TestServer } from '../support/server';
import { REGISTER, gqlUpload, uniquePdf } from './documents-incoming-helpers';

type Doc = { id: string; status: string; incomingNumber: number | null; duplicateOf: { id: string } | null; receivedDate: string | null; files: { id: string; kind: string }[] };
type Err = { message: string; extensions?: Record<string, unknown> };

describe('duplicates before the số đến, paper without a scan, earlier ngày đến', () => {
  let s: TestServer;
  const tok: Record<string, string> = {};
  const token = async (u: string) => (tok[u] ??= await loginToken(s.url, u));
  const em = () => s.runtime.rt.orm.em.fork();
  const register = async (input: Record<string, unknown>, user = 'vanthu') => gql<{ registerIncoming: Doc }>(s.url, REGISTER, { input }, { token: await token(user) });
  const unique = () => crypto.randomUUID().slice(0, 8);
  const paper = (over: Record<string, unknown> = {}) => ({
    issuerName: 'Sở Giáo dục và Đào tạo tỉnh Bắc Giang',
    symbol: `${Math.floor(Math.random() * 9000) + 1000}/SGDĐT-VP`,
    issuedDate: '2026-11-20',
    subject: `Về việc tổng kết năm học ${unique()}`,
    ...over,
  });
  const firstError = (r: { errors?: Err[] }) => r.errors?.[0];
  const vtOpts = (t: string) => ({ token: t });

  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.stop());

  it('answers CONFLICT with duplicateOf before numbering (same issuer, symbol, date written differently) and takes no number', async () => {
    const subjectB = `Báo cáo gửi lại ${unique()}`;
    const a = await register({ issuerName: 'Ủy ban nhân dân huyện Gia Bình', symbol: '27/UBND-VP', issuedDate: '2026-11-05', subject: 'Về việc báo cáo tình hình' });
    expect(a.errors).toBeUndefined();
    const n = a.data!.registerIncoming.incomingNumber!;

    const b = { issuerName: 'uy ban nhan dan huyen  GIA BINH', symbol: 'Số 27 / UBND – VP', issuedDate: '2026-11-05', subject: subjectB };
    const refused = await register(b);
    expect(refused.data).toBeNull();
    const err = firstError(refused)!;
    expect(err.extensions).toMatchObject({ code: 'CONFLICT', reason: 'DUPLICATE', duplicateOf: [a.data!.registerIncoming.id] });
    expect(err.message).toMatch(/vào sổ/);
    // Nothing kept: no record, no audit event, no number consumed.
    expect(await em().count(Document, { subject: subjectB })).toBe(0);
    const next = await register(paper());
    expect(next.data!.registerIncoming.incomingNumber).toBe(n + 1);

    // "Vẫn vào sổ": registered, flagged after the fact as before.
    const forced = await register({ ...b, allowDuplicate: true });
    expect(forced.errors).toBeUndefined();
    expect(forced.data!.registerIncoming).toMatchObject({ status: 'REGISTERED', incomingNumber: n + 2, duplicateOf: { id: a.data!.registerIncoming.id } });
    const audit = await em().findOneOrFail(AuditEvent, { action: 'document.register', targetId: forced.data!.registerIncoming.id });
    expect(audit.data).toMatchObject({ duplicateOfId: a.data!.registerIncoming.id });

    // Another date is another document.
    const other = await register({ ...b, issuedDate: '2026-11-06', subject: `Khác ngày ${unique()}` });
    expect(other.errors).toBeUndefined();
    expect(other.data!.registerIncoming.duplicateOf).toBeNull();
  });

  it('catches the same scan (sha256) registered again under another symbol', async () => {
    const bytes = uniquePdf(`dup-${unique()}`);
    const up = async (input: Record<string, unknown>) =>
      gqlUpload<{ registerIncoming: Doc }>(s.url, REGISTER, { input: { ...input, files: [null] } }, [{ path: 'variables.input.files.0', name: 'scan.pdf', bytes, type: 'application/pdf' }], await token('vanthu'));
    const first = await up(paper());
    expect(first.errors).toBeUndefined();
    const again = await up(paper({ issuerName: 'Sở Y tế tỉnh Bắc Giang' }));
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', duplicateOf: [first.data!.registerIncoming.id] });
    const forced = await up(paper({ issuerName: 'Sở Y tế tỉnh Bắc Giang', allowDuplicate: true }));
    expect(forced.errors).toBeUndefined();
    expect(forced.data!.registerIncoming.incomingNumber).toBe(first.data!.registerIncoming.incomingNumber! + 1);
  });

  it('does not count a document of another agency, nor reveal it', async () => {
    const input = paper();
    expect((await register(input, 'snv.vanthu')).errors).toBeUndefined();
    const mine = await register(input);
    expect(mine.errors).toBeUndefined();
    expect(mine.data!.registerIncoming.duplicateOf).toBeNull();
  });

  it('does not reveal a secret document the văn thư may not see: it is no duplicate for them (flagged after the fact, hidden)', async () => {
    const m = em();
    const vt = await m.findOneOrFail(User, { username: 'vanthu' }, { populate: ['agency', 'unit'] });
    const other = m.create(User, { username: `vanthu2-${unique()}`, fullName: 'Văn thư hai', agency: vt.agency, unit: vt.unit, roles: ['VAN_THU'], passwordHash: 'x', active: true, createdAt: new Date() });
    await m.flush();
    const input = paper({ secrecy: 'MAT' });
    const secret = await s.runtime.rt.services.incoming.registerIncoming(await s.runtime.as('vanthu'), input);
    // The second văn thư is not named on the secret one: registering the same document is not refused…
    const copy = await s.runtime.rt.services.incoming.registerIncoming(await s.runtime.as(other.username), { ...input, secrecy: 'THUONG' });
    expect(copy.incomingNumber).toBeGreaterThan(0);
    // …the link is recorded, but the API shows it only to those who may see the secret document.
    expect((await em().findOneOrFail(Document, { id: copy.id })).duplicateOf?.id).toBe(secret.id);
    const seen = await gql<{ document: { duplicateOf: { id: string } | null } }>(s.url, `query($id: ID!) { document(id: $id) { duplicateOf { id } } }`, { id: copy.id }, { token: await token('vanthu') });
    expect(seen.data!.document.duplicateOf).toEqual({ id: secret.id });
    // The named văn thư does see it before numbering.
    await expect(s.runtime.rt.services.incoming.registerIncoming(await s.runtime.as('vanthu'), { ...input, secrecy: 'THUONG', subject: `Bản khác ${unique()}` })).rejects.toMatchObject({
      code: 'CONFLICT',
      extra: { duplicateOf: expect.arrayContaining([secret.id]) },
    });
  });

  it('registers a paper document by hand without any file', async () => {
    const r = await register(paper());
    expect(r.errors).toBeUndefined();
    expect(r.data!.registerIncoming).toMatchObject({ status: 'REGISTERED', files: [] });
    expect(r.data!.registerIncoming.incomingNumber).toBeGreaterThan(0);
  });

  it('sets the ngày đến of a paper document received earlier; the số đến stays in registration order', async () => {
    const before = await register(paper());
    const earlier = '2026-11-21T02:00:00.000Z';
    const late = await register(paper({ receivedAt: earlier }));
    expect(late.errors).toBeUndefined();
    expect(new Date(late.data!.registerIncoming.receivedDate!).toISOString()).toBe(earlier);
    expect(late.data!.registerIncoming.incomingNumber).toBe(before.data!.registerIncoming.incomingNumber! + 1);

    const future = await register(paper({ receivedAt: new Date(Date.now() + 3_600_000).toISOString() }));
    expect(firstError(future)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'receivedAt' });
    const beforeIssue = await register(paper({ issuedDate: '2026-11-20', receivedAt: '2026-11-18T02:00:00.000Z' }));
    expect(firstError(beforeIssue)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'receivedAt' });
  });

  it('annuls a wrong registration: ANNULLED, number kept in the register marked "hủy", assignments closed, out of the boxes', async () => {
    const days = new LocalDays();
    const users = new Map((await em().find(User, { username: { $in: ['lanhdao', 'chuyenvien'] } })).map((u) => [u.username, u.id]));
    const d = (await register(paper())).data!.registerIncoming;
    const vt = await token('vanthu');
    expect((await gql(s.url, `mutation($d: ID!, $l: ID!) { submitForAnnotation(documentId: $d, leaderId: $l) { id } }`, { d: d.id, l: users.get('lanhdao') }, { token: vt })).errors).toBeUndefined();
    const ann = await gql(s.url, `mutation($d: ID!, $i: AnnotateInput!) { annotate(documentId: $d, input: $i) { id status } }`, { d: d.id, i: { instruction: 'Xử lý', lead: { userId: users.get('chuyenvien') } } }, { token: await token('lanhdao') });
    expect(ann.errors).toBeUndefined();
    const TO_PROCESS = `{ inbox(box: TO_PROCESS, first: 100) { edges { node { id } } } }`;
    const boxIds = async () => ((await gql<{ inbox: { edges: { node: { id: string } }[] } }>(s.url, TO_PROCESS, {}, { token: await token('chuyenvien') })).data!.inbox.edges.map((e) => e.node.id));
    expect(await boxIds()).toContain(d.id);

    const ANNUL = `mutation($d: ID!, $r: String!) { annulRegistration(documentId: $d, reason: $r) { id status incomingNumber returnReason } }`;
    const incomingToday = async () =>
      (await s.runtime.rt.services.statistics.statistics(await s.runtime.as('lanhdao'), { from: days.first, to: days.last })).incoming;
    const before = await incomingToday();
    expect(firstError(await gql(s.url, ANNUL, { d: d.id, r: 'Vào sổ nhầm' }, { token: await token('lanhdao') }))?.extensions?.code).toBe('FORBIDDEN');
    expect(firstError(await gql(s.url, ANNUL, { d: d.id, r: '   ' }, vtOpts(vt)))?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const r = await gql<{ annulRegistration: { status: string; incomingNumber: number; returnReason: string } }>(s.url, ANNUL, { d: d.id, r: ' Vào sổ trùng với số đến trước ' }, vtOpts(vt));
    expect(r.errors).toBeUndefined();
    expect(r.data!.annulRegistration).toMatchObject({ status: 'ANNULLED', incomingNumber: d.incomingNumber, returnReason: 'Vào sổ trùng với số đến trước' });
    expect(firstError(await gql(s.url, ANNUL, { d: d.id, r: 'Lần nữa' }, vtOpts(vt)))?.extensions?.code).toBe('CONFLICT');

    const asg = await em().find(Assignment, { document: d.id });
    expect(asg.length).toBeGreaterThan(0);
    expect(asg.every((a) => !a.active && /hủy vào sổ/.test(a.returnReason ?? ''))).toBe(true);
    expect(await boxIds()).not.toContain(d.id);
    // Statistics count what was really received: an annulled registration is not an incoming document.
    expect(await incomingToday()).toBe(before - 1);
    const audit = await em().findOneOrFail(AuditEvent, { action: 'document.annul', targetId: d.id });
    expect(audit.data).toMatchObject({ reason: 'Vào sổ trùng với số đến trước', incomingNumber: d.incomingNumber });
    expect([...(audit.data as { closedAssignmentIds: string[] }).closedAssignmentIds].sort()).toEqual(asg.map((a) => a.id).sort());

    // An annulled record no longer blocks registering the same document again.
    const input = paper();
    const first = (await register(input)).data!.registerIncoming;
    await gql(s.url, ANNUL, { d: first.id, r: 'Sai cơ quan' }, vtOpts(vt));
    expect((await register(input)).errors).toBeUndefined();

    // Sổ đăng ký văn bản đến: the number is still there, marked.
    const rep = await gql<{ registerReport: { url: string } }>(s.url, `query($f: Date, $t: Date) { registerReport(kind: INCOMING, format: XLSX, from: $f, to: $t) { url } }`, { f: days.first, t: days.last }, vtOpts(vt));
    expect(rep.errors).toBeUndefined();
    const key = decodeURIComponent(new URL(rep.data!.registerReport.url).pathname.replace(/^\/files\//, ''));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await s.runtime.rt.services.storage.getBuffer(key)) as unknown as ArrayBuffer);
    const rows: string[][] = [];
    wb.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : v instanceof Date ? v.toISOString() : String(v)))));
    const mine = rows.find((row) => row[1] === String(d.incomingNumber));
    expect(mine).toBeDefined();
    expect(mine![mine!.length - 1]).toContain('hủy: Vào sổ trùng với số đến trước');
  });
});
