/**
 * Who may see and touch an incoming document, over GraphQL HTTP: other agencies, staff not assigned,
 * administrators and archivists get NOT_FOUND (never a hint that it exists) for the document, its file URLs,
 * its history and every mutation; people who see it but lack the role get FORBIDDEN; secret documents only
 * for the people named; signed file URLs cannot be forged.
 */
import crypto from 'node:crypto';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { Unit } from '../../../server/src/modules/identity/entities/unit.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';
import { REGISTER, atServer, gqlUpload, scan, sha256, uniquePdf } from './documents-incoming-helpers';

const FULL = `query($id: ID!) { document(id: $id) { id status duplicateOf { id } files { id url fileName } assignments { id user { username } }
  history { action actor { username } } allowedActions } }`;
const SUBMIT = `mutation($d: ID!, $l: ID!) { submitForAnnotation(documentId: $d, leaderId: $l) { id } }`;
const ANNOTATE = `mutation($d: ID!, $i: AnnotateInput!) { annotate(documentId: $d, input: $i) { id assignments { id active user { username } } } }`;
const RETURN = `mutation($d: ID!, $a: ID, $r: String!) { returnDocument(documentId: $d, assignmentId: $a, reason: $r) { id } }`;
const REJECT = `mutation($d: ID!) { rejectIncoming(documentId: $d, reason: "Sai") { id } }`;
const WATCH = `mutation($d: ID!, $on: Boolean!) { watch(documentId: $d, on: $on) { id watchers { username } } }`;
const REASSIGN = `mutation($a: ID!, $u: ID!) { reassign(assignmentId: $a, userId: $u) { id } }`;
const PROGRESS = `mutation($a: ID!) { addProgress(assignmentId: $a, text: "Đang xử lý") { id } }`;
const COMPLETE = `mutation($a: ID!) { completeAssignment(assignmentId: $a) { id } }`;

type Err = { errors?: { message: string; extensions?: Record<string, unknown> }[] };
const code = (r: Err) => r.errors?.[0]?.extensions?.code;

describe('access to incoming documents (real PostgreSQL, demo province)', () => {
  let s: TestServer;
  const tok: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const units: Record<string, string> = {};
  const token = async (u: string) => (tok[u] ??= await loginToken(s.url, u));
  const as = async <T = Record<string, unknown>>(u: string, q: string, v: Record<string, unknown> = {}) => gql<T>(s.url, q, v, { token: await token(u) });

  let docId = '';
  let leadId = '';
  let fileUrl = '';
  const pdf = scan('dev03.pdf');

  beforeAll(async () => {
    s = await startTestServer();
    const em = s.runtime.rt.orm.em.fork();
    for (const u of await em.find(User, {})) ids[u.username] = u.id;
    const ubnd = await em.findOneOrFail(Agency, { code: '000.00.00.H27' });
    for (const u of await em.find(Unit, { agency: ubnd })) units[u.abbr] = u.id;

    const reg = await gqlUpload<{ registerIncoming: { id: string; files: { url: string }[] } }>(
      s.url,
      REGISTER,
      { input: { issuerName: 'Sở Y tế tỉnh Bắc Giang', symbol: '88/SYT-NVY', issuedDate: '2026-11-10', subject: 'Về việc phòng chống dịch', files: [null] } },
      [{ path: 'variables.input.files.0', name: 'Công văn 88.pdf', bytes: pdf }],
      await token('vanthu'),
    );
    expect(reg.errors).toBeUndefined();
    docId = reg.data!.registerIncoming.id;
    fileUrl = reg.data!.registerIncoming.files[0].url;
    await as('vanthu', SUBMIT, { d: docId, l: ids.lanhdao });
    const ann = await as<{ annotate: { assignments: { id: string }[] } }>('lanhdao', ANNOTATE, { d: docId, i: { lead: { unitId: units.KT }, instruction: 'Phòng KT xử lý' } });
    expect(ann.errors).toBeUndefined();
    leadId = ann.data!.annotate.assignments[0].id;
  });
  afterAll(async () => s?.stop());

  it('shows the document, its file and its history to the văn thư, the leader and the assigned unit head', async () => {
    for (const u of ['vanthu', 'lanhdao', 'truongphong']) {
      const r = await as<{ document: { id: string; files: { url: string }[]; history: { action: string }[] } }>(u, FULL, { id: docId });
      expect(r.errors).toBeUndefined();
      expect(r.data!.document.id).toBe(docId);
      expect(r.data!.document.history.map((h) => h.action)).toEqual(['document.register', 'document.submit', 'document.annotate']);
      const res = await fetch(atServer(s.url, r.data!.document.files[0].url));
      expect(res.status).toBe(200);
      expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(sha256(pdf));
    }
  });

  it('answers NOT_FOUND to other agencies, unassigned staff, administrators and archivists — for reads and every mutation', async () => {
    for (const u of ['snv.vanthu', 'snv.lanhdao', 'luongtai.truongphong', 'chuyenvien', 'luutru', 'quantri']) {
      const read = await as(u, FULL, { id: docId });
      expect([u, code(read)]).toEqual([u, 'NOT_FOUND']);
      expect(read.errors![0].message).toBe('Văn bản không tồn tại hoặc bạn không có quyền xem.');
      expect(read.data?.document ?? null).toBeNull();
      const attempts: [string, Record<string, unknown>][] = [
        [SUBMIT, { d: docId, l: ids.lanhdao }],
        [ANNOTATE, { d: docId, i: { lead: { unitId: units.KT } } }],
        [RETURN, { d: docId, r: 'Trả lại' }],
        [RETURN, { d: docId, a: leadId, r: 'Trả lại' }],
        [REJECT, { d: docId }],
        [WATCH, { d: docId, on: true }],
        [REASSIGN, { a: leadId, u: ids[u] }],
        [PROGRESS, { a: leadId }],
        [COMPLETE, { a: leadId }],
      ];
      for (const [q, v] of attempts) {
        const r = await as(u, q, v);
        expect([u, q.slice(9, 30), code(r)]).toEqual([u, q.slice(9, 30), 'NOT_FOUND']);
      }
      const reg = await as(u, REGISTER, { input: { documentId: docId } });
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(code(reg));
    }
    // Nothing changed.
    const r = await as<{ document: { status: string; history: unknown[] } }>('vanthu', FULL, { id: docId });
    expect(r.data!.document.status).toBe('ASSIGNED');
    expect(r.data!.document.history).toHaveLength(3);
  });

  it('answers NOT_FOUND for malformed and unknown ids', async () => {
    for (const id of ['abc', "1' or '1'='1", crypto.randomUUID(), '00000000-0000-0000-0000-000000000000']) {
      expect(code(await as('vanthu', FULL, { id }))).toBe('NOT_FOUND');
      expect(code(await as('vanthu', WATCH, { d: id, on: true }))).toBe('NOT_FOUND');
      expect(code(await as('truongphong', COMPLETE, { a: id }))).toBe('NOT_FOUND');
      expect(code(await as('lanhdao', RETURN, { d: docId, a: id, r: 'x' }))).toBe('NOT_FOUND');
    }
  });

  it('answers FORBIDDEN to people who see the document but may not take the action', async () => {
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['truongphong', ANNOTATE, { d: docId, i: { lead: { unitId: units.TH } } }, 'Chỉ lãnh đạo đã bút phê mới được điều chỉnh bút phê.'],
      ['vanthu', ANNOTATE, { d: docId, i: { lead: { unitId: units.TH } } }, 'Chỉ lãnh đạo đã bút phê mới được điều chỉnh bút phê.'],
      ['truongphong', SUBMIT, { d: docId, l: ids.lanhdao }, 'Chỉ văn thư mới được trình văn bản đến.'],
      ['vanthu', COMPLETE, { a: leadId }, 'Bạn không được giao xử lý văn bản này.'],
      ['lanhdao', REASSIGN, { a: leadId, u: ids.chuyenvien }, 'Chỉ trưởng đơn vị được giao mới được giao xử lý trong đơn vị.'],
      ['lanhdao', PROGRESS, { a: leadId }, 'Bạn không được giao xử lý văn bản này.'],
    ];
    for (const [u, q, v, msg] of cases) {
      const r = await as(u, q, v);
      expect([u, r.errors?.[0]?.message, code(r)]).toEqual([u, msg, 'FORBIDDEN']);
    }
    // The unit head may only hand it to a person of the unit.
    const outside = await as('truongphong', REASSIGN, { a: leadId, u: ids.luutru });
    expect(outside.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
    const otherAgency = await as('truongphong', REASSIGN, { a: leadId, u: ids['snv.chuyenvien'] });
    expect(otherAgency.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'userId' });
  });

  it('gives access by designation and watching, and takes it away on unwatch', async () => {
    expect(code(await as('chuyenvien', FULL, { id: docId }))).toBe('NOT_FOUND');
    const re = await as<{ reassign: { id: string } }>('truongphong', REASSIGN, { a: leadId, u: ids.chuyenvien });
    expect(re.errors).toBeUndefined();
    const cv = await as<{ document: { allowedActions: string[]; assignments: { id: string; allowedActions: string[] }[] } }>(
      'chuyenvien',
      'query($id: ID!) { document(id: $id) { allowedActions assignments { id allowedActions } } }',
      { id: docId },
    );
    // the person's assignment is the child of the leader's (bút phê chain, documents-chain.test.ts)
    const mine = cv.data!.document.assignments.find((a) => a.id === re.data!.reassign.id)!;
    expect(mine.allowedActions).toEqual(expect.arrayContaining(['ADD_PROGRESS', 'COMPLETE', 'RETURN']));
    expect(mine.allowedActions).not.toContain('REASSIGN');
    expect(cv.data!.document.allowedActions).toEqual([]);

    // luutru: invisible until made a watcher by someone who sees it… watching is only for viewers.
    expect(code(await as('luutru', WATCH, { d: docId, on: true }))).toBe('NOT_FOUND');
    const w = await as<{ watch: { watchers: { username: string }[] } }>('chuyenvien', WATCH, { d: docId, on: true });
    expect(w.data!.watch.watchers).toEqual([{ username: 'chuyenvien' }]);
    const un = await as<{ watch: { watchers: unknown[] } }>('chuyenvien', WATCH, { d: docId, on: false });
    expect(un.data!.watch.watchers).toEqual([]);
  });

  it('cannot be downloaded with a forged or altered signed URL', async () => {
    const good = new URL(atServer(s.url, fileUrl));
    expect((await fetch(good)).status).toBe(200);
    const badSig = new URL(good);
    badSig.searchParams.set('sig', 'A'.repeat(good.searchParams.get('sig')!.length));
    expect((await fetch(badSig)).status).toBeGreaterThanOrEqual(400);
    const longer = new URL(good);
    longer.searchParams.set('exp', String(Number(good.searchParams.get('exp')) + 86400));
    expect((await fetch(longer)).status).toBeGreaterThanOrEqual(400);
    // Another object's key with this signature.
    const other = new URL(good);
    other.pathname = other.pathname.replace(/[0-9a-f]{64}$/, sha256(Buffer.from('x')));
    expect((await fetch(other)).status).toBeGreaterThanOrEqual(400);
  });

  it('keeps secret documents to the people named, and never reveals them through duplicateOf', async () => {
    const secret = await as<{ registerIncoming: { id: string } }>('vanthu', REGISTER, {
      input: { issuerName: 'Công an tỉnh Bắc Ninh', symbol: '09/CAT-PV01', issuedDate: '2026-11-12', subject: 'Tài liệu mật', secrecy: 'MAT' },
    });
    expect(secret.errors).toBeUndefined();
    const sid = secret.data!.registerIncoming.id;
    expect(code(await as('lanhdao', FULL, { id: sid }))).toBe('NOT_FOUND'); // not named yet
    await as('vanthu', SUBMIT, { d: sid, l: ids.lanhdao });
    expect((await as('lanhdao', FULL, { id: sid })).errors).toBeUndefined(); // named when it was submitted to them
    const ann = await as('lanhdao', ANNOTATE, { d: sid, i: { lead: { userId: ids.chuyenvien } } });
    expect(ann.errors).toBeUndefined();
    expect((await as('chuyenvien', FULL, { id: sid })).errors).toBeUndefined();
    // The head of the chuyên viên's unit is not named: no access, although he heads the unit.
    for (const u of ['truongphong', 'quantri', 'luutru', 'snv.lanhdao']) expect([u, code(await as(u, FULL, { id: sid }))]).toEqual([u, 'NOT_FOUND']);

    // A non-secret registration of the same document is flagged; the link shows only to people named on the secret one.
    const secret2 = await as<{ registerIncoming: { id: string } }>('vanthu', REGISTER, {
      input: { issuerName: 'Công an tỉnh Bắc Ninh', symbol: '10/CAT-PV01', issuedDate: '2026-11-12', subject: 'Tài liệu mật 2', secrecy: 'MAT' },
    });
    const copy = await as<{ registerIncoming: { id: string; duplicateOf: { id: string } | null } }>('vanthu', REGISTER, {
      input: { issuerName: 'Công an tỉnh Bắc Ninh', symbol: '10/CAT-PV01', issuedDate: '2026-11-12', subject: 'Bản sao thường', allowDuplicate: true },
    });
    expect(copy.data!.registerIncoming.duplicateOf).toEqual({ id: secret2.data!.registerIncoming.id });
    const leaderView = await as<{ document: { duplicateOf: unknown } }>('lanhdao', FULL, { id: copy.data!.registerIncoming.id });
    expect(leaderView.errors).toBeUndefined();
    expect(leaderView.data!.document.duplicateOf).toBeNull();
  });

  it('a scan never becomes part of a MẬT document (metadata only): refused, and the scan stays its uploader’s', async () => {
    const up = await gqlUpload<{ uploadScan: { id: string } }>(
      s.url,
      'mutation($f: Upload!) { uploadScan(file: $f) { id } }',
      { f: null },
      [{ path: 'variables.f', name: 'Tài liệu mật.pdf', bytes: uniquePdf(), type: 'application/pdf' }],
      await token('vanthu'),
    );
    expect(up.errors).toBeUndefined();
    const scanId = up.data!.uploadScan.id;
    const SCAN = `query($id: ID!) { scan(id: $id) { id url ocr { status text } } }`;
    const RETRY = `mutation($f: ID!) { retryOcr(fileId: $f) { status } }`;
    // Before registration: its uploader (the văn thư), not any member of the agency, not another agency.
    expect((await as('vanthu', SCAN, { id: scanId })).errors).toBeUndefined();
    for (const u of ['chuyenvien', 'snv.vanthu']) expect([u, code(await as(u, SCAN, { id: scanId }))]).toEqual([u, 'NOT_FOUND']);

    // Secret documents are registered by their metadata only (Luật BVBMNN 2018, issue 9): the scan is refused.
    const reg = await as<{ registerIncoming: { id: string } }>('vanthu', REGISTER, {
      input: { issuerName: 'Công an tỉnh Bắc Ninh', symbol: '21/CAT-PV01', issuedDate: '2026-11-12', subject: 'Tài liệu mật có bản quét', secrecy: 'MAT', fileIds: [scanId] },
    });
    expect(code(reg)).toBe('BAD_USER_INPUT');
    // Still only its uploader's, also for its OCR progress / retry.
    expect((await as('vanthu', SCAN, { id: scanId })).errors).toBeUndefined();
    for (const u of ['chuyenvien', 'truongphong', 'lanhdao', 'quantri', 'luutru']) {
      expect([u, code(await as(u, SCAN, { id: scanId }))]).toEqual([u, 'NOT_FOUND']);
      expect([u, code(await as(u, RETRY, { f: scanId }))]).toEqual([u, 'NOT_FOUND']);
    }
  });
});
