/**
 * The bút phê chain (issue 9) on real PostgreSQL over GraphQL HTTP: the leader's assignment is kept when the
 * unit head re-assigns (a child with its own instruction and deadline), the chain is on the API
 * (Assignment.parent / children), the phiếu giải quyết prints it (section 2 with signature spaces), completing
 * the document closes the open phối hợp with a recorded reason, and the văn thư's ANNUL action.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { Assignment } from '../../../server/src/modules/documents/entities/assignment.entity';
import type { ReportFileResult } from '../../../server/src/modules/documents/reports.service';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';
import { UBND, loadPeople, type People } from './documents-inbox-fixtures';

const NOW = new Date('2026-12-07T03:00:00Z'); // Monday 07/12/2026, 10:00 in Hà Nội

const CHAIN = `query($id: ID!) { document(id: $id) { id status allowedActions
  assignments { id role status active deadline instruction unit { abbr } user { username } assignedBy { username }
    parent { id } children { id user { username } deadline instruction } progress { text } allowedActions } } }`;
const REASSIGN = `mutation($a: ID!, $u: ID!, $dl: Date, $ins: String) { reassign(assignmentId: $a, userId: $u, deadline: $dl, instruction: $ins) { id status deadline instruction user { username } parent { id deadline instruction assignedBy { username } } } }`;

type A = {
  id: string;
  role: string;
  status: string;
  active: boolean;
  deadline: string | null;
  instruction: string | null;
  unit: { abbr: string } | null;
  user: { username: string } | null;
  assignedBy: { username: string } | null;
  parent: { id: string } | null;
  children: { id: string; user: { username: string } | null; deadline: string | null; instruction: string | null }[];
  progress: { text: string }[];
  allowedActions: string[];
};
type Doc = { id: string; status: string; allowedActions: string[]; assignments: A[] };

function pdfText(buf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-chain-'));
  try {
    const file = path.join(dir, 'p.pdf');
    fs.writeFileSync(file, buf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/[ \t\r\n]+/g, ' ');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('bút phê chain leader → unit → person (real PostgreSQL)', () => {
  let s: TestServer;
  let p: People;
  const tok: Record<string, string> = {};
  const token = async (u: string) => (tok[u] ??= await loginToken(s.url, u));
  const services = () => s.runtime.rt.services;
  const as = (u: string) => s.runtime.as(u);
  let seq = 0;

  beforeAll(async () => {
    s = await startTestServer();
    services().clock.now = () => NOW;
    p = await loadPeople(s.runtime.rt.orm.em.fork());
  });
  afterAll(async () => {
    await s?.stop();
  });

  /** Registered, submitted to lanhdao and annotated: KT chủ trì (13/12), TH phối hợp (15/12). */
  async function annotated(subject: string) {
    const vt = await as('vanthu');
    const doc = await services().incoming.registerIncoming(vt, {
      issuerName: 'Sở Kế hoạch và Đầu tư tỉnh Bắc Ninh',
      symbol: `${++seq}/TTr-SKHĐT`,
      issuedDate: '2026-12-01',
      typeName: 'Tờ trình',
      subject,
    });
    await services().incoming.submitForAnnotation(vt, doc.id, p.u('lanhdao').id);
    await services().incoming.annotate(await as('lanhdao'), doc.id, {
      instruction: 'Giao Phòng Kinh tế chủ trì, Phòng Tổng hợp phối hợp, tham mưu trình UBND tỉnh.',
      lead: { unitId: p.unit(UBND, 'KT').id, deadline: '2026-12-13' },
      coordinators: [{ unitId: p.unit(UBND, 'TH').id, deadline: '2026-12-15' }],
    });
    return doc;
  }
  const read = async (id: string, user = 'truongphong') => {
    const r = await gql<{ document: Doc }>(s.url, CHAIN, { id }, { token: await token(user) });
    expect(r.errors).toBeUndefined();
    return r.data!.document;
  };

  it("keeps the leader's assignment when the unit head re-assigns, and exposes the chain", async () => {
    const doc = await annotated('Về việc phê duyệt chủ trương đầu tư dự án cầu Phú Lâm');
    const before = await read(doc.id);
    const lead = before.assignments.find((a) => a.active && a.role === 'LEAD')!;

    // later than the leader's deadline: refused on the field
    const late = await gql(s.url, REASSIGN, { a: lead.id, u: p.u('chuyenvien').id, dl: '2026-12-14' }, { token: await token('truongphong') });
    expect(late.errors![0]).toMatchObject({ message: expect.stringContaining('13/12/2026'), extensions: { code: 'BAD_USER_INPUT', field: 'deadline' } });

    const re = await gql<{ reassign: { id: string; deadline: string; instruction: string; user: { username: string }; parent: { id: string; deadline: string; instruction: string | null; assignedBy: { username: string } } } }>(
      s.url,
      REASSIGN,
      { a: lead.id, u: p.u('chuyenvien').id, dl: '2026-12-10', ins: 'Đồng chí Minh dự thảo tờ trình.' },
      { token: await token('truongphong') },
    );
    expect(re.errors).toBeUndefined();
    const child = re.data!.reassign;
    expect(child).toMatchObject({ deadline: '2026-12-10', instruction: 'Đồng chí Minh dự thảo tờ trình.', user: { username: 'chuyenvien' } });
    // the leader's link is unchanged: its unit, deadline 13/12, assigned by the leader
    expect(child.parent).toMatchObject({ id: lead.id, deadline: '2026-12-13', assignedBy: { username: 'lanhdao' } });

    const after = await read(doc.id);
    const leaderLink = after.assignments.find((a) => a.id === lead.id)!;
    expect(leaderLink).toMatchObject({ status: 'DELEGATED', active: true, deadline: '2026-12-13', unit: { abbr: 'KT' }, user: null, assignedBy: { username: 'lanhdao' }, parent: null });
    expect(leaderLink.children).toEqual([{ id: child.id, user: { username: 'chuyenvien' }, deadline: '2026-12-10', instruction: 'Đồng chí Minh dự thảo tờ trình.' }]);
    const childLink = after.assignments.find((a) => a.id === child.id)!;
    expect(childLink).toMatchObject({ role: 'LEAD', status: 'PENDING', parent: { id: lead.id }, assignedBy: { username: 'truongphong' } });
    // the work is on the child; the delegated link offers nothing
    expect(leaderLink.allowedActions).toEqual([]);
    expect(childLink.allowedActions).toEqual(expect.arrayContaining(['REASSIGN', 'COMPLETE']));
    const cv = await read(doc.id, 'chuyenvien');
    expect(cv.assignments.find((a) => a.id === child.id)!.allowedActions).toEqual(expect.arrayContaining(['ADD_PROGRESS', 'COMPLETE']));

    // the audit event names both links
    const ev = await s.runtime.rt.orm.em.fork().findOneOrFail(AuditEvent, { action: 'document.reassign', targetId: doc.id });
    expect(ev.data).toMatchObject({ assignmentId: lead.id, childAssignmentId: child.id, parentAssignmentId: lead.id, deadline: '2026-12-10' });

    // the phiếu prints the whole chain, with both deadlines and signature spaces
    const phieu: ReportFileResult = await services().reports.registerReport(await as('lanhdao'), { kind: 'PHIEU_GIAI_QUYET', format: 'PDF', documentId: doc.id });
    const key = decodeURIComponent(new URL(phieu.url).pathname.replace(/^\/files\//, ''));
    const text = pdfText(await services().storage.getBuffer(key));
    const [leader, head, handler] = ['lanhdao', 'truongphong', 'chuyenvien'].map((u) => p.u(u).fullName);
    expect(text).toContain('Giao chủ trì: Phòng Kinh tế — thời hạn giải quyết: 13/12/2026');
    expect(text).toContain('Giao phối hợp: Phòng Tổng hợp — thời hạn giải quyết: 15/12/2026');
    expect(text).toContain(`${head} (Phòng Kinh tế) giao ${handler} giải quyết — thời hạn giải quyết: 10/12/2026. Ý kiến: Đồng chí Minh dự thảo tờ trình.`);
    expect(text).toContain('Tên loại và trích yếu: Tờ trình về việc phê duyệt chủ trương đầu tư dự án cầu Phú Lâm');
    expect(text).toMatch(new RegExp(`2\\. Ý kiến của lãnh đạo đơn vị .*\\(Ký, ghi rõ họ tên\\) ${head}`));
    expect(text).toMatch(new RegExp(`1\\. Ý kiến của lãnh đạo cơ quan .*\\(Ký, ghi rõ họ tên\\) ${leader}`));
    expect(text.match(/\(Ký, ghi rõ họ tên\)/g)).toHaveLength(3);
  });

  it('re-assigning again replaces the child under the same leader link; deadlines stay bounded by the leader', async () => {
    const doc = await annotated('Về việc bố trí vốn đầu tư công năm 2027');
    const lead = (await read(doc.id)).assignments.find((a) => a.active && a.role === 'LEAD')!;
    const tp = await as('truongphong');
    const first = await services().incoming.reassign(tp, lead.id, p.u('chuyenvien').id, { deadline: '2026-12-09' });
    // the demo KT has one chuyên viên: the head takes the work over (another person of the unit)
    const em = s.runtime.rt.orm.em.fork();
    const to = p.u('truongphong');
    await expect(services().incoming.reassign(tp, first.id, to.id, { deadline: '2026-12-14' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'deadline' } });
    const second = await services().incoming.reassign(tp, first.id, to.id);
    const rows = await em.find(Assignment, { document: doc.id, role: 'LEAD' }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(first.id)).toMatchObject({ active: false });
    expect(byId.get(second.id)).toMatchObject({ active: true, deadline: '2026-12-13', state: 'PENDING' });
    expect(byId.get(second.id)!.parent?.id).toBe(lead.id);
    expect(byId.get(lead.id)).toMatchObject({ active: true, state: 'DELEGATED', deadline: '2026-12-13' });
  });

  it('completing the document completes the delegated link and closes the open phối hợp with the reason', async () => {
    const doc = await annotated('Về việc thẩm định báo cáo nghiên cứu khả thi');
    const lead = (await read(doc.id)).assignments.find((a) => a.active && a.role === 'LEAD')!;
    const child = await services().incoming.reassign(await as('truongphong'), lead.id, p.u('chuyenvien').id, { deadline: '2026-12-10' });
    await services().incoming.completeAssignment(await as('chuyenvien'), child.id, 'Đã trình UBND tỉnh.');
    const d = await read(doc.id, 'lanhdao');
    expect(d.status).toBe('DONE');
    const st = (id: string) => d.assignments.find((a) => a.id === id)!;
    expect(st(child.id).status).toBe('DONE');
    expect(st(lead.id).status).toBe('DONE');
    const co = d.assignments.find((a) => a.active && a.role === 'COORDINATOR')!;
    expect(co.status).toBe('CLOSED');
    expect(co.progress.map((x) => x.text)).toEqual(['Đóng phân công: Văn bản đã hoàn thành.']);
    const ev = await s.runtime.rt.orm.em.fork().findOneOrFail(AuditEvent, { action: 'document.complete', targetId: doc.id });
    expect(ev.data).toMatchObject({ lead: true, doneAssignmentIds: [lead.id], closedAssignmentIds: [co.id], closedReason: 'Văn bản đã hoàn thành' });
  });

  it('offers ANNUL to the văn thư only, while the registration can be annulled', async () => {
    const vt = await as('vanthu');
    const doc = await services().incoming.registerIncoming(vt, { issuerName: 'UBND huyện Gia Bình', symbol: `${++seq}/UBND-VP`, issuedDate: '2026-12-02', subject: 'Vào sổ nhầm' });
    expect((await read(doc.id, 'vanthu')).allowedActions).toContain('ANNUL');
    // not the unit head (sees nothing of it yet), not another agency's văn thư
    for (const u of ['truongphong', 'snv.vanthu']) {
      const r = await gql<{ document: Doc }>(s.url, CHAIN, { id: doc.id }, { token: await token(u) });
      expect(r.data?.document?.allowedActions ?? []).not.toContain('ANNUL');
    }
    await services().incoming.annulRegistration(vt, doc.id, 'Vào sổ trùng văn bản số 12');
    const after = await read(doc.id, 'vanthu');
    expect(after.status).toBe('ANNULLED');
    expect(after.allowedActions).not.toContain('ANNUL');
  });
});
