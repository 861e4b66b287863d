/**
 * Văn bản đến end to end over GraphQL HTTP (real PostgreSQL, local object storage, demo province):
 * vào sổ with real scans → trình → bút phê → giao trong đơn vị → tiến độ + dự thảo → hoàn thành; số đến
 * rules (consecutive, 100 in parallel, nothing consumed by failures, 1 January reset, secret register),
 * duplicates, idempotency, concurrent bút phê, wrong-state actions, electronic arrivals and reminders.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { keyForSha256 } from '../../../server/src/infra/storage/storage';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { Unit } from '../../../server/src/modules/identity/entities/unit.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { allJobs } from '../../../server/src/jobs/index';
import { deadlineReminderJob, runDeadlineReminders } from '../../../server/src/modules/documents/documents.jobs';
import { settleExchange } from '../support/exchange';
import { Assignment } from '../../../server/src/modules/documents/entities/assignment.entity';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { AgencySettings, Notification, NumberSequence, Recipient } from '../../../server/src/modules/documents/entities/misc.entities';
import { AppError } from '../../../server/src/shared/errors';
import { collectStorageGarbage } from '../../../server/src/modules/storage-gc/storage-gc.service';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';
import { DOCUMENT, REGISTER, atServer, gqlUpload, listObjects, scan, sha256, uniquePdf } from './documents-incoming-helpers';

type Doc = {
  id: string;
  status: string;
  incomingNumber: number | null;
  registerYear: number | null;
  registerKey: string | null;
  symbol: string | null;
  typeCode: string | null;
  typeName: string;
  version: number;
  duplicateOf: { id: string } | null;
  completedAt: string | null;
  returnReason: string | null;
  files: { id: string; kind: string; fileName: string; contentType: string; size: number; pageCount: number | null; url: string; version: number }[];
  assignments: {
    id: string;
    role: string;
    status: string;
    active: boolean;
    deadline: string | null;
    unit: { abbr: string } | null;
    user: { username: string } | null;
    draftFile: { id: string; kind: string } | null;
    progress: { text: string; author: { username: string }; file: { id: string } | null }[];
  }[];
  allowedActions: string[];
  [k: string]: unknown;
};

const SUBMIT = `mutation($d: ID!, $l: ID!) { submitForAnnotation(documentId: $d, leaderId: $l) { id status version submittedTo { username } allowedActions } }`;
const ANNOTATE = `mutation($d: ID!, $i: AnnotateInput!) { annotate(documentId: $d, input: $i) { id status version deadline annotation { instruction forInfo annotatedBy { username } }
  assignments { id role status active deadline unit { abbr } user { username } } watchers { username } } }`;
const REASSIGN = `mutation($a: ID!, $u: ID!, $dl: Date, $ins: String) { reassign(assignmentId: $a, userId: $u, deadline: $dl, instruction: $ins) { id status deadline user { username } instruction } }`;
const PROGRESS = `mutation($a: ID!, $t: String!, $f: Upload) { addProgress(assignmentId: $a, text: $t, file: $f) { id status draftFile { id kind fileName } progress { text file { id kind } } } }`;
const COMPLETE = `mutation($a: ID!, $n: String) { completeAssignment(assignmentId: $a, note: $n) { id status completedAt } }`;
const RETURN = `mutation($d: ID!, $a: ID, $r: String!) { returnDocument(documentId: $d, assignmentId: $a, reason: $r) { id status returnReason } }`;
const REJECT = `mutation($d: ID!, $r: String!) { rejectIncoming(documentId: $d, reason: $r) { id status returnReason } }`;

const errCode = (r: { errors?: { extensions?: Record<string, unknown> }[] }) => r.errors?.[0]?.extensions?.code;

describe('văn bản đến over GraphQL (real PostgreSQL, demo province)', () => {
  let s: TestServer;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const unitIds: Record<string, string> = {};
  const token = async (u: string) => (tok[u] ??= await loginToken(s.url, u));
  const services = () => s.runtime.rt.services;
  const em = () => s.runtime.rt.orm.em.fork();
  const objectsRoot = () => path.join(s.runtime.dataDir, 'objects');

  const register = async (input: Record<string, unknown>, user = 'vanthu') => gql<{ registerIncoming: Doc }>(s.url, REGISTER, { input }, { token: await token(user) });
  // A new số ký hiệu each time: the same one would be refused as a duplicate before numbering.
  let symbolSeq = 100;
  const paper = (over: Record<string, unknown> = {}) => ({
    issuerName: 'Sở Tài nguyên và Môi trường tỉnh Hà Nam',
    symbol: `${symbolSeq++}/STNMT-VP`,
    issuedDate: '2026-11-20',
    subject: 'Về việc rà soát hồ sơ đất đai',
    ...over,
  });

  beforeAll(async () => {
    s = await startTestServer();
    const m = em();
    for (const u of await m.find(User, {}, { populate: ['agency'] })) ids[u.username] = u.id;
    const ubnd = await m.findOneOrFail(Agency, { code: '000.00.00.H27' });
    for (const u of await m.find(Unit, { agency: ubnd })) unitIds[u.abbr] = u.id;
    ids.__ubndLuongTai = (await m.findOneOrFail(Agency, { code: '000.00.41.H27' })).id;
  });
  afterAll(async () => s?.stop());

  it('runs the whole flow: vào sổ with a real scan → trình → bút phê → giao → tiến độ + dự thảo → hoàn thành', async () => {
    const pdf = scan('dev01.pdf');
    const nfdName = 'Kế hoạch 03 BCĐ.pdf'.normalize('NFD');
    const reg = await gqlUpload<{ registerIncoming: Doc }>(
      s.url,
      REGISTER,
      {
        input: {
          issuerName: 'Ban Chỉ đạo cải cách hành chính huyện Đông Anh',
          symbol: 'Số: 03/KH-BCĐ',
          issuedDate: '2015-04-24',
          subject: 'Tuyên truyền cải cách hành chính năm 2015',
          signerName: 'Vũ Đức Mạnh',
          signerTitle: 'KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN',
          urgency: 'KHAN',
          files: [null, null],
        },
      },
      [
        { path: 'variables.input.files.0', name: nfdName, bytes: pdf, type: 'application/pdf' },
        { path: 'variables.input.files.1', name: 'Trang 2.jpg', bytes: scan('dev01.p2.jpg'), type: 'image/jpeg' },
      ],
      await token('vanthu'),
    );
    expect(reg.errors).toBeUndefined();
    const d = reg.data!.registerIncoming;
    expect(d).toMatchObject({
      status: 'REGISTERED',
      direction: 'INCOMING',
      incomingNumber: 1,
      registerKey: 'INCOMING',
      registerYear: Number(new Date().toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).slice(0, 4)),
      symbol: '03/KH-BCĐ',
      number: 3,
      typeCode: 'KH',
      typeName: 'Kế hoạch',
      urgency: 'KHAN',
      electronic: false,
      issuer: { name: 'Ban Chỉ đạo cải cách hành chính huyện Đông Anh', agency: null },
      pageCount: 2,
    });
    expect(d.files.map((f) => [f.kind, f.fileName, f.contentType])).toEqual([
      ['MAIN', 'Kế hoạch 03 BCĐ.pdf', 'application/pdf'],
      ['ATTACHMENT', 'Trang 2.jpg', 'image/jpeg'],
    ]);
    expect(d.files[0].fileName).toBe(d.files[0].fileName.normalize('NFC'));
    expect(d.files[0].size).toBe(pdf.length);
    expect(d.allowedActions).toContain('SUBMIT');

    // The presigned URL downloads the very same bytes.
    const dl = await fetch(atServer(s.url, d.files[0].url));
    expect(dl.status).toBe(200);
    expect(sha256(new Uint8Array(await dl.arrayBuffer()))).toBe(sha256(pdf));
    expect(new URL(d.files[0].url).searchParams.get('exp')).toBeTruthy();
    const exp = Number(new URL(d.files[0].url).searchParams.get('exp'));
    expect(exp * 1000 - Date.now()).toBeLessThanOrEqual(600_000 + 5_000);

    // Trình lãnh đạo.
    const sub = await gql<{ submitForAnnotation: Doc }>(s.url, SUBMIT, { d: d.id, l: ids.lanhdao }, { token: await token('vanthu') });
    expect(sub.errors).toBeUndefined();
    expect(sub.data!.submitForAnnotation).toMatchObject({ status: 'SUBMITTED', submittedTo: { username: 'lanhdao' } });
    const asLeader = await gql<{ document: Doc }>(s.url, DOCUMENT, { id: d.id }, { token: await token('lanhdao') });
    expect(asLeader.data!.document.allowedActions).toEqual(expect.arrayContaining(['ANNOTATE', 'RETURN']));

    // Bút phê: KT chủ trì, TH phối hợp, deadlines, a watcher.
    const deadline = new Date(Date.now() + 10 * 86400_000).toISOString().slice(0, 10);
    const coDeadline = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);
    const ann = await gql<{ annotate: Doc }>(
      s.url,
      ANNOTATE,
      {
        d: d.id,
        i: {
          instruction: 'Giao Phòng Kinh tế chủ trì, Phòng Tổng hợp phối hợp tham mưu.',
          lead: { unitId: unitIds.KT, deadline },
          coordinators: [{ unitId: unitIds.TH, deadline: coDeadline }],
          watcherIds: [ids.luutru],
        },
      },
      { token: await token('lanhdao') },
    );
    expect(ann.errors).toBeUndefined();
    const a1 = ann.data!.annotate;
    expect(a1).toMatchObject({ status: 'ASSIGNED', deadline, annotation: { instruction: 'Giao Phòng Kinh tế chủ trì, Phòng Tổng hợp phối hợp tham mưu.', forInfo: false, annotatedBy: { username: 'lanhdao' } } });
    expect(a1.assignments.map((a) => [a.role, a.unit?.abbr, a.user, a.deadline, a.status])).toEqual([
      ['LEAD', 'KT', null, deadline, 'PENDING'],
      ['COORDINATOR', 'TH', null, coDeadline, 'PENDING'],
    ]);
    expect(a1.watchers).toEqual([{ username: 'luutru' }]);
    const lead = a1.assignments[0];

    // Trưởng phòng KT sees it, chuyên viên does not yet (unit assignment not designated).
    expect(errCode(await gql(s.url, DOCUMENT, { id: d.id }, { token: await token('chuyenvien') }))).toBe('NOT_FOUND');
    // Per-assignment actions are on the assignment (an enum), not on the document.
    const tp = await gql<{ document: { allowedActions: string[]; assignments: { id: string; allowedActions: string[] }[] } }>(
      s.url,
      'query($id: ID!) { document(id: $id) { allowedActions assignments { id allowedActions } } }',
      { id: d.id },
      { token: await token('truongphong') },
    );
    expect(tp.data!.document.allowedActions).not.toContain('REASSIGN');
    expect(tp.data!.document.assignments.find((x) => x.id === lead.id)!.allowedActions).toEqual(expect.arrayContaining(['REASSIGN', 'ADD_PROGRESS', 'COMPLETE']));
    for (const other of tp.data!.document.assignments.filter((x) => x.id !== lead.id)) expect(other.allowedActions).toEqual([]);

    // A later personal deadline than the leader's is refused.
    const late = await gql(s.url, REASSIGN, { a: lead.id, u: ids.chuyenvien, dl: new Date(Date.now() + 20 * 86400_000).toISOString().slice(0, 10) }, { token: await token('truongphong') });
    expect(late.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'deadline' });
    const innerDeadline = new Date(Date.now() + 8 * 86400_000).toISOString().slice(0, 10);
    const re = await gql<{ reassign: { id: string; user: { username: string }; deadline: string; instruction: string } }>(
      s.url,
      REASSIGN,
      { a: lead.id, u: ids.chuyenvien, dl: innerDeadline, ins: 'Đồng chí Minh dự thảo văn bản trả lời.' },
      { token: await token('truongphong') },
    );
    expect(re.errors).toBeUndefined();
    expect(re.data!.reassign).toMatchObject({ user: { username: 'chuyenvien' }, deadline: innerDeadline, instruction: 'Đồng chí Minh dự thảo văn bản trả lời.' });
    // the bút phê chain: the person's assignment is a child of the leader's (see documents-chain.test.ts)
    const personal = re.data!.reassign.id;

    // Chuyên viên: progress with a draft reply (REPLY_DRAFT), then completes.
    const draft = scan('dev02.pdf');
    const pr = await gqlUpload<{ addProgress: { status: string; draftFile: { id: string; kind: string; fileName: string }; progress: { text: string; file: { id: string } | null }[] } }>(
      s.url,
      PROGRESS,
      { a: personal, t: 'Đã dự thảo công văn trả lời, trình trưởng phòng.', f: null },
      [{ path: 'variables.f', name: 'Dự thảo trả lời.pdf', bytes: draft }],
      await token('chuyenvien'),
    );
    expect(pr.errors).toBeUndefined();
    expect(pr.data!.addProgress).toMatchObject({ status: 'IN_PROGRESS', draftFile: { kind: 'REPLY_DRAFT', fileName: 'Dự thảo trả lời.pdf' } });
    expect(pr.data!.addProgress.progress).toEqual([{ text: 'Đã dự thảo công văn trả lời, trình trưởng phòng.', file: { id: pr.data!.addProgress.draftFile.id, kind: 'REPLY_DRAFT' } }]);
    const mid = await gql<{ document: Doc }>(s.url, DOCUMENT, { id: d.id }, { token: await token('chuyenvien') });
    expect(mid.data!.document.status).toBe('IN_PROGRESS');
    expect(mid.data!.document.files.map((f) => f.kind)).toEqual(['MAIN', 'ATTACHMENT', 'REPLY_DRAFT']);

    const done = await gql<{ completeAssignment: { status: string; completedAt: string } }>(s.url, COMPLETE, { a: personal, n: 'Đã ban hành văn bản trả lời.' }, { token: await token('chuyenvien') });
    expect(done.errors).toBeUndefined();
    expect(done.data!.completeAssignment.status).toBe('DONE');
    const fin = await gql<{ document: Doc & { history: { action: string; actor: { username: string } | null }[] } }>(
      s.url,
      `query($id: ID!) { document(id: $id) { status completedAt overdue assignments { role status } history { action actor { username } } } }`,
      { id: d.id },
      { token: await token('vanthu') },
    );
    expect(fin.data!.document).toMatchObject({ status: 'DONE', overdue: false });
    expect(fin.data!.document.completedAt).toBeTruthy();
    expect(fin.data!.document.history.map((h) => h.action)).toEqual([
      'document.register',
      'document.submit',
      'document.annotate',
      'document.reassign',
      'document.progress',
      'document.complete',
    ]);
    expect(fin.data!.document.history.map((h) => h.actor?.username)).toEqual(['vanthu', 'vanthu', 'lanhdao', 'truongphong', 'chuyenvien', 'chuyenvien']);

    // Notifications: the leader on trình, the KT/TH heads on bút phê, the chuyên viên on giao, the leader on completion.
    const notes = await em().find(Notification, { document: d.id }, { populate: ['user'] });
    const byKind = (k: string) => notes.filter((n) => n.kind === k).map((n) => n.user.username).sort();
    expect(byKind('DOCUMENT_SUBMITTED')).toEqual(['lanhdao']);
    expect(byKind('DOCUMENT_ASSIGNED')).toEqual(['chuyenvien', 'truongphong']);
    expect(byKind('DOCUMENT_WATCH')).toEqual(['luutru']);
    expect(byKind('DOCUMENT_COMPLETED')).toEqual(['lanhdao']);
  });

  it('numbers consecutively; a failed registration consumes no number and leaves no document and no orphan object', async () => {
    const first = await register(paper());
    expect(first.errors).toBeUndefined();
    const n = first.data!.registerIncoming.incomingNumber!;
    const objectsBefore = listObjects(objectsRoot());
    const docsBefore = await em().count(Document, {});
    const auditsBefore = await em().count(AuditEvent, { action: 'document.register' });

    // A JPEG named .pdf: refused by content, before anything is stored.
    const fake = await gqlUpload(s.url, REGISTER, { input: { ...paper(), files: [null] } }, [{ path: 'variables.input.files.0', name: 'Công văn đến.pdf', bytes: scan('dev01.p1.jpg') }], await token('vanthu'));
    expect(fake.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'files' });
    expect(fake.errors![0].message).toBe(`Tệp "Công văn đến.pdf" có phần mở rộng .pdf nhưng nội dung là JPEG.`);
    // Bytes of no accepted type.
    const exe = await gqlUpload(s.url, REGISTER, { input: { ...paper(), files: [null] } }, [{ path: 'variables.input.files.0', name: 'setup.exe', bytes: Buffer.from('MZ\x90\x00not a document') }], await token('vanthu'));
    expect(exe.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'files' });

    // A brand-new file stored, then the transaction fails AFTER the number was taken (reader of another agency).
    const fresh = uniquePdf();
    const bad = await gqlUpload(
      s.url,
      REGISTER,
      { input: { ...paper({ subject: 'Không được vào sổ' }), readerIds: [ids['snv.lanhdao']], files: [null] } },
      [{ path: 'variables.input.files.0', name: 'Tệp mới.pdf', bytes: fresh }],
      await token('vanthu'),
    );
    expect(bad.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'readerIds' });
    // Requests never delete stored objects (finding 1): the unreferenced upload stays until the storage collector
    // removes it once its claim is older than the grace period (here: no grace).
    expect(await services().storage.stat(keyForSha256(sha256(fresh)))).not.toBeNull();
    await collectStorageGarbage(services(), { graceMs: 0 });
    expect(await services().storage.stat(keyForSha256(sha256(fresh)))).toBeNull();
    expect(listObjects(objectsRoot())).toEqual(objectsBefore);
    expect(await em().count(Document, {})).toBe(docsBefore);
    expect(await em().count(Document, { subject: 'Không được vào sổ' })).toBe(0);
    expect(await em().count(AuditEvent, { action: 'document.register' })).toBe(auditsBefore);

    // An existing object (same bytes as an attached file) is never deleted by a failed request.
    const shared = scan('dev01.pdf');
    const bad2 = await gqlUpload(s.url, REGISTER, { input: { ...paper(), readerIds: [ids['snv.lanhdao']], files: [null] } }, [{ path: 'variables.input.files.0', name: 'x.pdf', bytes: shared }], await token('vanthu'));
    expect(errCode(bad2)).toBe('BAD_USER_INPUT');
    expect(await services().storage.stat(keyForSha256(sha256(shared)))).not.toBeNull();

    const next = await register(paper());
    expect(next.data!.registerIncoming.incomingNumber).toBe(n + 1);
    const again = await register(paper());
    expect(again.data!.registerIncoming.incomingNumber).toBe(n + 2);
  });

  it('gives 100 parallel registrations the numbers 1..100 with no gap and no duplicate', async () => {
    const scopes = await Promise.all(Array.from({ length: 100 }, () => s.runtime.as('snv.vanthu')));
    const docs = await Promise.all(
      scopes.map((sc, i) =>
        services().incoming.registerIncoming(sc, { issuerName: 'UBND huyện Gia Bình', symbol: `${i + 1}/UBND-VP`, issuedDate: '2026-11-02', subject: `Văn bản thứ ${i + 1}` }),
      ),
    );
    const numbers = docs.map((d) => d.incomingNumber!).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const snv = await em().findOneOrFail(Agency, { code: '000.00.02.H27' });
    const seq = await em().find(NumberSequence, { agency: snv });
    expect(seq.map((q) => [q.key, q.lastNumber])).toEqual([['INCOMING', 100]]);
    expect(new Set(docs.map((d) => d.registerYear)).size).toBe(1);
  });

  it('starts a new register on 1 January (Vietnam time): 2026-12-31T17:30Z counts for 2027', async () => {
    const clock = services().clock;
    const realNow = clock.now;
    try {
      clock.now = () => new Date('2026-12-31T16:59:00Z'); // 23:59 on 31/12/2026 in Hà Nội
      const a = await register(paper({ issuedDate: '2026-12-30' }), 'stc.vanthu');
      expect(a.errors).toBeUndefined();
      expect(a.data!.registerIncoming).toMatchObject({ registerYear: 2026, incomingNumber: 1 });
      const b = await register(paper({ issuedDate: '2026-12-30' }), 'stc.vanthu');
      expect(b.data!.registerIncoming).toMatchObject({ registerYear: 2026, incomingNumber: 2 });
      clock.now = () => new Date('2026-12-31T17:30:00Z'); // 00:30 on 1/1/2027
      const c = await register(paper({ issuedDate: '2026-12-30' }), 'stc.vanthu');
      expect(c.data!.registerIncoming).toMatchObject({ registerYear: 2027, incomingNumber: 1 });
      const d = await register(paper({ issuedDate: '2027-01-01' }), 'stc.vanthu');
      expect(d.data!.registerIncoming).toMatchObject({ registerYear: 2027, incomingNumber: 2 });
    } finally {
      clock.now = realNow;
    }
  });

  it('numbers secret documents in their own register and shows them only to the people named', async () => {
    const normal = await register(paper());
    const n = normal.data!.registerIncoming.incomingNumber!;
    const secret = await register(paper({ secrecy: 'MAT', subject: 'Văn bản mật về công tác bảo vệ', readerIds: [ids.lanhdao] }));
    expect(secret.errors).toBeUndefined();
    const sd = secret.data!.registerIncoming;
    expect(sd).toMatchObject({ registerKey: 'INCOMING_SECRET', incomingNumber: 1, secrecy: 'MAT' });
    const secret2 = await register(paper({ secrecy: 'TOI_MAT', subject: 'Văn bản tối mật' }));
    expect(secret2.data!.registerIncoming).toMatchObject({ registerKey: 'INCOMING_SECRET', incomingNumber: 2 });
    expect((await register(paper())).data!.registerIncoming.incomingNumber).toBe(n + 1);

    for (const u of ['vanthu', 'lanhdao']) {
      const r = await gql<{ document: Doc }>(s.url, DOCUMENT, { id: sd.id }, { token: await token(u) });
      expect(r.data?.document.id).toBe(sd.id);
    }
    for (const u of ['truongphong', 'chuyenvien', 'luutru', 'quantri', 'snv.vanthu']) {
      const r = await gql(s.url, DOCUMENT, { id: sd.id }, { token: await token(u) });
      expect(errCode(r)).toBe('NOT_FOUND');
    }
    // The leader (not named on the second one) does not see it either.
    expect(errCode(await gql(s.url, DOCUMENT, { id: secret2.data!.registerIncoming.id }, { token: await token('lanhdao') }))).toBe('NOT_FOUND');
  });

  it('flags a possible duplicate (same issuer, number/symbol and date, written differently) registered anyway ("vẫn vào sổ")', async () => {
    const a = await register({ issuerName: 'Ủy ban nhân dân huyện Lương Tài', symbol: '12/UBND-VP', issuedDate: '2026-11-02', subject: 'Về việc báo cáo tình hình' });
    const again = { issuerName: 'uy ban nhan dan huyen  luong tai', symbol: 'Số 12 / UBND – VP', issuedDate: '2026-11-02', subject: 'Báo cáo tình hình (bản gửi lại)' };
    expect((await register(again)).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', duplicateOf: [a.data!.registerIncoming.id] });
    const b = await register({ ...again, allowDuplicate: true });
    expect(b.errors).toBeUndefined();
    expect(b.data!.registerIncoming.duplicateOf).toEqual({ id: a.data!.registerIncoming.id });
    expect(b.data!.registerIncoming.incomingNumber).toBe(a.data!.registerIncoming.incomingNumber! + 1);
    const c = await register({ issuerName: 'Ủy ban nhân dân huyện Lương Tài', symbol: '12/UBND-VP', issuedDate: '2026-11-03', subject: 'Khác ngày' });
    expect(c.data!.registerIncoming.duplicateOf).toBeNull();
  });

  it('returns the first document for a retried registration (idempotencyKey), even in parallel', async () => {
    const key = `reg-${crypto.randomUUID()}`;
    const a = await register(paper({ idempotencyKey: key }));
    const b = await register(paper({ idempotencyKey: key, subject: 'Khác nội dung' }));
    expect(b.data!.registerIncoming.id).toBe(a.data!.registerIncoming.id);
    expect(b.data!.registerIncoming.incomingNumber).toBe(a.data!.registerIncoming.incomingNumber);

    const key2 = `reg-${crypto.randomUUID()}`;
    const before = (await register(paper())).data!.registerIncoming.incomingNumber!;
    const many = await Promise.all(Array.from({ length: 5 }, () => register(paper({ idempotencyKey: key2 }))));
    expect(many.every((r) => !r.errors)).toBe(true);
    expect(new Set(many.map((r) => r.data!.registerIncoming.id)).size).toBe(1);
    expect(many[0].data!.registerIncoming.incomingNumber).toBe(before + 1);
    expect((await register(paper())).data!.registerIncoming.incomingNumber).toBe(before + 2);
  });

  it('validates the form with Vietnamese messages and the offending field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [paper({ subject: '   ' }), 'subject'],
      [paper({ issuerName: null }), 'issuerName'],
      [paper({ symbol: 'không phải ký hiệu' }), 'symbol'],
      [paper({ symbol: '05/KH-UBND', typeCode: 'QĐ' }), 'typeCode'],
      [paper({ typeCode: 'XYZ' }), 'typeCode'],
      [paper({ issuedDate: '2999-01-01' }), 'issuedDate'],
      [paper({ pageCount: 0 }), 'pageCount'],
      [paper({ issuerAgencyId: 'abc' }), 'issuerAgencyId'],
      [paper({ symbol: null }), 'typeName'],
    ];
    for (const [input, field] of cases) {
      const r = await register(input);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(r.errors![0].message).toMatch(/[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/);
    }
    // The type follows from the symbol; công văn (no type code) from "12/UBND-VP".
    const kh = await register(paper({ symbol: '7/kh-ubnd', issuerAgencyId: ids.__ubndLuongTai }));
    expect(kh.data!.registerIncoming).toMatchObject({ symbol: '07/KH-UBND', typeCode: 'KH', typeName: 'Kế hoạch', issuer: { agency: { code: '000.00.41.H27' } } });
    const cv = await register(paper({ symbol: '12/UBND-VP' }));
    expect(cv.data!.registerIncoming).toMatchObject({ typeCode: null, typeName: 'Công văn' });
    // Only the văn thư registers.
    for (const u of ['lanhdao', 'chuyenvien']) expect(errCode(await register(paper(), u))).toBe('FORBIDDEN');
  });

  it('lets two simultaneous bút phê not both win: exactly one succeeds, the other gets CONFLICT', async () => {
    const d = (await register(paper())).data!.registerIncoming;
    const sub = await gql<{ submitForAnnotation: Doc }>(s.url, SUBMIT, { d: d.id, l: ids.lanhdao }, { token: await token('vanthu') });
    const version = sub.data!.submitForAnnotation.version;
    const input = (unit: string) => ({ instruction: `Giao ${unit}`, lead: { unitId: unitIds[unit] }, expectedVersion: version });
    const [r1, r2] = await Promise.all([
      gql(s.url, ANNOTATE, { d: d.id, i: input('KT') }, { token: await token('lanhdao') }),
      gql(s.url, ANNOTATE, { d: d.id, i: input('NC') }, { token: await token('lanhdao') }),
    ]);
    const outcomes = [r1, r2].map((r) => (r.errors ? String(errCode(r)) : 'OK')).sort();
    expect(outcomes).toEqual(['CONFLICT', 'OK']);
    const loser = [r1, r2].find((r) => r.errors)!;
    expect(loser.errors![0].message).toMatch(/cập nhật/);
    const assignments = await em().find(Assignment, { document: d.id, active: true });
    expect(assignments).toHaveLength(1);
    // A stale version is refused later too; the current one is accepted (re-annotation supersedes).
    const stale = await gql(s.url, ANNOTATE, { d: d.id, i: input('TH') }, { token: await token('lanhdao') });
    expect(errCode(stale)).toBe('CONFLICT');
    const cur = await gql<{ document: Doc }>(s.url, DOCUMENT, { id: d.id }, { token: await token('lanhdao') });
    const ok = await gql<{ annotate: Doc }>(s.url, ANNOTATE, { d: d.id, i: { ...input('TH'), expectedVersion: cur.data!.document.version } }, { token: await token('lanhdao') });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.annotate.assignments.filter((a) => a.active).map((a) => a.unit?.abbr)).toEqual(['TH']);
    expect(ok.data!.annotate.assignments.filter((a) => !a.active)).toHaveLength(1);
  });

  it('refuses actions that do not fit the state with CONFLICT and a reason; returns go back up the chain', async () => {
    const d = (await register(paper())).data!.registerIncoming;
    const notYet = await gql(s.url, ANNOTATE, { d: d.id, i: { lead: { unitId: unitIds.KT } } }, { token: await token('lanhdao') });
    expect(notYet.errors![0]).toMatchObject({ message: 'Văn bản không ở trạng thái chờ bút phê.', extensions: { code: 'CONFLICT' } });
    const rej = await gql(s.url, REJECT, { d: d.id, r: 'Sai địa chỉ' }, { token: await token('vanthu') });
    expect(rej.errors![0].extensions!.code).toBe('CONFLICT');
    const reReg = await register({ documentId: d.id });
    expect(errCode(reReg)).toBe('CONFLICT');

    await gql(s.url, SUBMIT, { d: d.id, l: ids.lanhdao }, { token: await token('vanthu') });
    const twice = await gql(s.url, SUBMIT, { d: d.id, l: ids.lanhdao }, { token: await token('vanthu') });
    expect(twice.errors![0]).toMatchObject({ message: 'Văn bản đã được trình.', extensions: { code: 'CONFLICT' } });
    // Submitting to a chuyên viên is refused (not a leader).
    const d2 = (await register(paper())).data!.registerIncoming;
    const toStaff = await gql(s.url, SUBMIT, { d: d2.id, l: ids.chuyenvien }, { token: await token('vanthu') });
    expect(toStaff.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'leaderId' });
    const toOther = await gql(s.url, SUBMIT, { d: d2.id, l: ids['snv.lanhdao'] }, { token: await token('vanthu') });
    expect(toOther.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'leaderId' });

    // The leader returns it to the văn thư (reason required), the văn thư submits again.
    const noReason = await gql(s.url, RETURN, { d: d.id, r: '  ' }, { token: await token('lanhdao') });
    expect(noReason.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const back = await gql<{ returnDocument: Doc }>(s.url, RETURN, { d: d.id, r: 'Thiếu phụ lục kèm theo' }, { token: await token('lanhdao') });
    expect(back.data!.returnDocument).toMatchObject({ status: 'RETURNED', returnReason: 'Thiếu phụ lục kèm theo' });
    expect((await em().find(Notification, { document: d.id, kind: 'DOCUMENT_RETURNED' }, { populate: ['user'] })).map((x) => x.user.username)).toEqual(['vanthu']);
    const resub = await gql<{ submitForAnnotation: Doc }>(s.url, SUBMIT, { d: d.id, l: ids.lanhdao }, { token: await token('vanthu') });
    expect(resub.data!.submitForAnnotation.status).toBe('SUBMITTED');

    // Bút phê to a person; the lead returns it to the leader; the leader re-annotates.
    const ann = await gql<{ annotate: Doc }>(s.url, ANNOTATE, { d: d.id, i: { lead: { userId: ids.chuyenvien } } }, { token: await token('lanhdao') });
    expect(ann.data!.annotate.assignments[0]).toMatchObject({ user: { username: 'chuyenvien' }, unit: { abbr: 'KT' } });
    const aid = ann.data!.annotate.assignments[0].id;
    const ret = await gql<{ returnDocument: Doc }>(s.url, RETURN, { d: d.id, a: aid, r: 'Không thuộc lĩnh vực phòng Kinh tế' }, { token: await token('chuyenvien') });
    expect(ret.errors).toBeUndefined();
    expect(ret.data!.returnDocument).toMatchObject({ status: 'RETURNED', returnReason: 'Không thuộc lĩnh vực phòng Kinh tế' });
    const afterReturn = await gql(s.url, COMPLETE, { a: aid }, { token: await token('chuyenvien') });
    expect(afterReturn.errors![0]).toMatchObject({ message: 'Phân công đã bị trả lại.', extensions: { code: 'CONFLICT' } });
    const reAnn = await gql<{ annotate: Doc }>(s.url, ANNOTATE, { d: d.id, i: { lead: { unitId: unitIds.KT }, forInfo: false } }, { token: await token('lanhdao') });
    expect(reAnn.data!.annotate.status).toBe('ASSIGNED');
    const lead = reAnn.data!.annotate.assignments.find((a) => a.active)!;
    await gql(s.url, COMPLETE, { a: lead.id }, { token: await token('truongphong') });
    const doneTwice = await gql(s.url, COMPLETE, { a: lead.id }, { token: await token('truongphong') });
    expect(doneTwice.errors![0]).toMatchObject({ message: 'Phân công đã hoàn thành.', extensions: { code: 'CONFLICT' } });
    const progressAfter = await gql(s.url, `mutation($a: ID!) { addProgress(assignmentId: $a, text: "x") { id } }`, { a: lead.id }, { token: await token('truongphong') });
    expect(errCode(progressAfter)).toBe('CONFLICT');

    // Để biết: no assignees, FOR_INFO.
    const d3 = (await register(paper())).data!.registerIncoming;
    await gql(s.url, SUBMIT, { d: d3.id, l: ids.lanhdao }, { token: await token('vanthu') });
    const info = await gql<{ annotate: Doc }>(s.url, ANNOTATE, { d: d3.id, i: { forInfo: true, instruction: 'Để biết' } }, { token: await token('lanhdao') });
    expect(info.data!.annotate).toMatchObject({ status: 'FOR_INFO', annotation: { forInfo: true }, assignments: [] });

    // The person designated by the unit head hands it back to the unit head (still pending at the unit).
    const d4 = (await register(paper())).data!.registerIncoming;
    await gql(s.url, SUBMIT, { d: d4.id, l: ids.lanhdao }, { token: await token('vanthu') });
    const a4 = (await gql<{ annotate: Doc }>(s.url, ANNOTATE, { d: d4.id, i: { lead: { unitId: unitIds.KT } } }, { token: await token('lanhdao') })).data!.annotate.assignments[0];
    await gql(s.url, REASSIGN, { a: a4.id, u: ids.chuyenvien }, { token: await token('truongphong') });
    const handBack = await gql<{ returnDocument: Doc }>(s.url, RETURN, { d: d4.id, r: 'Đang đi công tác' }, { token: await token('chuyenvien') });
    expect(handBack.data!.returnDocument.status).toBe('ASSIGNED');
    const atUnit = await gql<{ document: Doc }>(s.url, DOCUMENT, { id: d4.id }, { token: await token('truongphong') });
    // the leader's link stays delegated; the person's child is back at the unit (bút phê chain)
    expect(atUnit.data!.document.assignments[0]).toMatchObject({ id: a4.id, status: 'DELEGATED', unit: { abbr: 'KT' } });
    expect(atUnit.data!.document.assignments.find((a) => a.id !== a4.id)).toMatchObject({ status: 'PENDING', user: null, unit: { abbr: 'KT' }, returnReason: 'Đang đi công tác' });
    expect((await em().find(Notification, { document: d4.id, kind: 'DOCUMENT_RETURNED' }, { populate: ['user'] })).map((x) => x.user.username)).toEqual(['truongphong']);
  });

  it('resolves the fields of a document with a fixed number of queries, however many assignments and notes (DataLoaders)', async () => {
    const QUERY = `query($id: ID!) { document(id: $id) { id overdue allowedActions annotation { annotatedBy { username } } files { url uploadedBy { username } }
      assignments { role overdue unit { abbr } user { username unit { abbr } } assignedBy { username } draftFile { id } progress { text author { username } file { id } } }
      watchers { username } history { action actor { username } } } }`;
    const make = async (coordinators: string[]) => {
      const d = (await register(paper())).data!.registerIncoming;
      await gql(s.url, SUBMIT, { d: d.id, l: ids.lanhdao }, { token: await token('vanthu') });
      const ann = await gql<{ annotate: Doc }>(
        s.url,
        ANNOTATE,
        { d: d.id, i: { lead: { userId: ids.chuyenvien }, coordinators: coordinators.map((u) => ({ userId: ids[u] })), watcherIds: coordinators.map((u) => ids[u]) } },
        { token: await token('lanhdao') },
      );
      for (const a of ann.data!.annotate.assignments) {
        const who = a.user!.username;
        await gql(s.url, `mutation($a: ID!) { addProgress(assignmentId: $a, text: "Ghi nhận") { id } }`, { a: a.id }, { token: await token(who) });
      }
      return d.id;
    };
    const small = await make([]);
    const big = await make(['truongphong', 'luutru', 'quantri']);
    const knex = s.runtime.rt.orm.em.getConnection().getKnex();
    let n = 0;
    let seen: string[] = [];
    const count = (q: { sql?: string }) => {
      n++;
      seen.push(String(q.sql).slice(0, 160));
    };
    knex.on('query', count);
    const queriesFor = async (id: string) => {
      const tok = await token('lanhdao');
      n = 0;
      seen = [];
      const r = await gql(s.url, QUERY, { id }, { token: tok });
      expect(r.errors).toBeUndefined();
      if (process.env.DEBUG_QUERIES) console.log(seen.join('\n'));
      return n;
    };
    try {
      const q1 = await queriesFor(small);
      const q4 = await queriesFor(big);
      expect(q1).toBeGreaterThan(5);
      // DataLoader batches per tick: whether the progress authors' users are loaded in the same batch as the
      // assignees' depends on timing (one query more or less), while one query per assignment (N+1) would add
      // at least 3 here for every relation resolved per row.
      expect(Math.abs(q4 - q1)).toBeLessThanOrEqual(1);
    } finally {
      knex.removeListener('query', count);
    }
  });

  it('lists the document types of the agency (Decree 30 defaults)', async () => {
    const r = await gql<{ documentTypes: { code: string | null; name: string }[] }>(s.url, '{ documentTypes { code name } }', {}, { token: await token('vanthu') });
    expect(r.data!.documentTypes).toEqual(expect.arrayContaining([{ code: 'KH', name: 'Kế hoạch' }, { code: 'QĐ', name: 'Quyết định' }, { code: null, name: 'Công văn' }]));
    expect(r.data!.documentTypes.length).toBeGreaterThanOrEqual(29);
  });

  it('registers and rejects electronic arrivals from another agency and reports the status back to the sender', async () => {
    const sys = s.runtime.system();
    const snv = await sys.em.findOneOrFail(Agency, { code: '000.00.02.H27' });
    const ubnd = await sys.em.findOneOrFail(Agency, { code: '000.00.00.H27' });
    const deliver = async (symbol: string) => {
      const out = await sys.transaction(async (tx) => {
        const now = new Date();
        const out = tx.em.create(Document, {
          agency: snv,
          direction: 'OUTGOING',
          state: 'ISSUED',
          typeName: 'Công văn',
          subject: `Về việc triển khai ${symbol}`,
          symbol,
          number: Number(symbol.split('/')[0]),
          issuedDate: '2026-11-20',
          urgency: 'THUONG',
          secrecy: 'THUONG',
          issuedAt: now,
          createdAt: now,
          updatedAt: now,
          version: 1,
        });
        tx.em.create(Recipient, { document: out, agency: ubnd, name: ubnd.name });
        await tx.em.flush();
        const o = await s.runtime.rt.services.exchange.queueIssued(tx, out, now);
        expect(o.queued).toHaveLength(1);
        return out.id;
      });
      // Through the exchange: outbox → local transport → inbox → incoming record "chờ vào sổ", 01 back.
      await settleExchange(s);
      const r = await s.runtime.system().em.findOneOrFail(Recipient, { document: out });
      return { out, incoming: r.deliveredDocument!.id };
    };

    const a = await deliver('15/SNV-VP');
    const arrived = await gql<{ document: Doc }>(s.url, DOCUMENT, { id: a.incoming }, { token: await token('vanthu') });
    expect(arrived.data!.document).toMatchObject({ status: 'RECEIVED', electronic: true, incomingNumber: null, issuer: { agency: { code: '000.00.02.H27' } } });
    expect(arrived.data!.document.allowedActions).toEqual(expect.arrayContaining(['REGISTER', 'REJECT']));
    const before = (await register(paper())).data!.registerIncoming.incomingNumber!;
    const reg = await register({ documentId: a.incoming, urgency: 'KHAN' });
    expect(reg.errors).toBeUndefined();
    expect(reg.data!.registerIncoming).toMatchObject({ id: a.incoming, status: 'REGISTERED', incomingNumber: before + 1, symbol: '15/SNV-VP', typeName: 'Công văn', urgency: 'KHAN', electronic: true });

    const RECIPIENTS = `query($id: ID!) { document(id: $id) { recipients { status statusCode note agency { code } } } }`;
    const seen = async () => (await settleExchange(s), await gql<{ document: { recipients: unknown[] } }>(s.url, RECIPIENTS, { id: a.out }, { token: await token('snv.vanthu') })).data!.document.recipients;
    expect(await seen()).toEqual([{ status: 'RECEIVED', statusCode: '03', note: `Số đến: ${before + 1}`, agency: { code: '000.00.00.H27' } }]);

    await gql(s.url, SUBMIT, { d: a.incoming, l: ids.lanhdao }, { token: await token('vanthu') });
    await gql(s.url, ANNOTATE, { d: a.incoming, i: { lead: { userId: ids.chuyenvien } } }, { token: await token('lanhdao') });
    expect(await seen()).toEqual([expect.objectContaining({ status: 'ASSIGNED', statusCode: '04' })]);

    const b = await deliver('16/SNV-VP');
    const noReason = await gql(s.url, REJECT, { d: b.incoming, r: '' }, { token: await token('vanthu') });
    expect(noReason.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const rej = await gql<{ rejectIncoming: Doc }>(s.url, REJECT, { d: b.incoming, r: 'Gửi nhầm cơ quan' }, { token: await token('vanthu') });
    expect(rej.data!.rejectIncoming).toMatchObject({ status: 'REJECTED', returnReason: 'Gửi nhầm cơ quan' });
    await settleExchange(s);
    const rb = await gql<{ document: { recipients: unknown[] } }>(s.url, RECIPIENTS, { id: b.out }, { token: await token('snv.vanthu') });
    expect(rb.data!.document.recipients).toEqual([{ status: 'REJECTED', statusCode: '02', note: 'Gửi nhầm cơ quan', agency: { code: '000.00.00.H27' } }]);
    expect(errCode(await register({ documentId: b.incoming }))).toBe('CONFLICT');
    // The sender's văn thư cannot act on the recipient's record.
    expect(errCode(await gql(s.url, SUBMIT, { d: a.incoming, l: ids['snv.lanhdao'] }, { token: await token('snv.vanthu') }))).toBe('NOT_FOUND');
  });

  it('reminds assignees before, on and after the deadline (working days, agency holidays), once per kind and day', async () => {
    expect(allJobs.map((j) => j.name)).toContain(deadlineReminderJob.name);
    expect(deadlineReminderJob.cron).toBe('0 7 * * *');
    const clock = services().clock;
    const realNow = clock.now;
    try {
      clock.now = () => new Date('2026-12-01T02:00:00Z');
      const d = (await register(paper({ issuedDate: '2026-11-30' }))).data!.registerIncoming;
      await gql(s.url, SUBMIT, { d: d.id, l: ids.lanhdao }, { token: await token('vanthu') });
      const ann = await gql<{ annotate: Doc }>(s.url, ANNOTATE, { d: d.id, i: { lead: { userId: ids.chuyenvien, deadline: '2026-12-10' } } }, { token: await token('lanhdao') });
      expect(ann.errors).toBeUndefined();
      const reminders = async (docId: string) =>
        (await em().find(Notification, { document: docId, kind: { $like: 'DEADLINE_%' } }, { populate: ['user'], orderBy: { createdAt: 'asc', id: 'asc' } })).map((n) => `${n.kind}:${n.user.username}`);
      const run = (day: string) => runDeadlineReminders(services(), s.runtime.system(), { day });

      await run('2026-12-08');
      expect(await reminders(d.id)).toEqual([]);
      await run('2026-12-09'); // one working day before Thursday 10/12
      expect(await reminders(d.id)).toEqual(['DEADLINE_UPCOMING:chuyenvien']);
      await run('2026-12-09'); // rerun: nothing new
      expect(await reminders(d.id)).toEqual(['DEADLINE_UPCOMING:chuyenvien']);
      await run('2026-12-10');
      await run('2026-12-11');
      await run('2026-12-12'); // Saturday: nothing
      await run('2026-12-11');
      expect(await reminders(d.id)).toEqual(['DEADLINE_UPCOMING:chuyenvien', 'DEADLINE_DUE:chuyenvien', 'DEADLINE_OVERDUE:chuyenvien']);
      clock.now = () => new Date('2026-12-11T02:00:00Z');
      const od = await gql<{ document: Doc }>(s.url, DOCUMENT, { id: d.id }, { token: await token('chuyenvien') });
      expect(od.data!.document).toMatchObject({ overdue: true });
      expect(od.data!.document.assignments[0]).toMatchObject({ overdue: true });

      // With 9/12 a holiday of the agency, the UPCOMING reminder moves to Tuesday 8/12; the job runs it.
      clock.now = () => new Date('2026-12-01T02:00:00Z');
      const ubnd = await em().findOneOrFail(Agency, { code: '000.00.00.H27' });
      const m = em();
      m.persist(m.create(AgencySettings, { agency: ubnd, outgoingNumbering: 'SHARED', holidays: ['2026-12-09'] }));
      await m.flush();
      const d2 = (await register(paper({ issuedDate: '2026-11-30' }))).data!.registerIncoming;
      await gql(s.url, SUBMIT, { d: d2.id, l: ids.lanhdao }, { token: await token('vanthu') });
      await gql(s.url, ANNOTATE, { d: d2.id, i: { lead: { unitId: unitIds.KT, deadline: '2026-12-10' } } }, { token: await token('lanhdao') });
      const ctx = { services: services(), engines: {}, newScope: () => s.runtime.system(), jobId: 'test' };
      await deadlineReminderJob.handler({ day: '2026-12-09' }, ctx);
      expect(await reminders(d2.id)).toEqual([]);
      await deadlineReminderJob.handler({ day: '2026-12-08' }, ctx);
      expect(await reminders(d2.id)).toEqual(['DEADLINE_UPCOMING:truongphong']); // unit assignment: its head
      await expect(deadlineReminderJob.handler({ day: '08/12/2026' }, ctx)).rejects.toBeInstanceOf(AppError);

      // Public holidays count without any agency edit: Giỗ Tổ Hùng Vương 2027 (10/3 âm lịch, computed from the lunar
      // calendar) is Friday 16/04/2027, so for a deadline on Monday 19/04 the UPCOMING reminder comes on Thursday 15/04.
      const d3 = (await register(paper({ issuedDate: '2026-11-30' }))).data!.registerIncoming;
      await gql(s.url, SUBMIT, { d: d3.id, l: ids.lanhdao }, { token: await token('vanthu') });
      const ann3 = await gql(s.url, ANNOTATE, { d: d3.id, i: { lead: { userId: ids.chuyenvien, deadline: '2027-04-19' } } }, { token: await token('lanhdao') });
      expect(ann3.errors).toBeUndefined();
      await deadlineReminderJob.handler({ day: '2027-04-16' }, ctx);
      expect(await reminders(d3.id)).toEqual([]);
      await deadlineReminderJob.handler({ day: '2027-04-15' }, ctx);
      expect(await reminders(d3.id)).toEqual(['DEADLINE_UPCOMING:chuyenvien']);
    } finally {
      clock.now = realNow;
    }
  });
});
