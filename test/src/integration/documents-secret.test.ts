/**
 * Secret documents as the law has them (issue 9), over the real API and PostgreSQL: Mật, Tối mật, Tuyệt mật
 * documents are registered by their metadata only (no file stored, nothing OCR'd, nothing half-written), are
 * numbered in their own registers, printed in their own books (never inside the ordinary ones), carry the
 * circulation markings, and an outgoing secret symbol never equals an ordinary one.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { NumberSequence } from '../../../server/src/modules/documents/entities/misc.entities';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { DocumentFile } from '../../../server/src/modules/documents/entities/document-file.entity';
import { Assignment } from '../../../server/src/modules/documents/entities/assignment.entity';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { registerYear } from '../../../server/src/modules/documents/domain';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';
import { settleExchange } from '../support/exchange';
import { gqlUpload, listObjects, sha256, uniquePdf } from './documents-incoming-helpers';
import { approveSignAndIssue } from '../support/issuing';

type Err = { message: string; extensions?: { code?: string; field?: string } };
interface Doc {
  id: string;
  incomingNumber: number | null;
  registerKey: string | null;
  secrecy: string;
  circulation: string[];
  files: { id: string }[];
}
const FIELDS = 'id incomingNumber registerKey secrecy circulation files { id }';
const REGISTER = `mutation($input: RegisterIncomingInput!) { registerIncoming(input: $input) { ${FIELDS} } }`;
const DOCUMENT = `query($id: ID!) { document(id: $id) { ${FIELDS} } }`;
const REPORT = `query($kind: RegisterReportKind!, $secret: Boolean, $from: Date, $to: Date) {
  registerReport(kind: $kind, format: XLSX, secret: $secret, from: $from, to: $to) { fileName url rows } }`;

let s: TestServer;
const tok: Record<string, string> = {};
const token = async (u: string) => (tok[u] ??= await loginToken(s.url, u));
const as = async <T = Record<string, unknown>>(u: string, q: string, v: Record<string, unknown> = {}) => gql<T>(s.url, q, v, { token: await token(u) });
const em = () => s.runtime.rt.orm.em.fork();
const err = (r: { errors?: Err[] | null }) => r.errors?.[0];
let seq = 1;
const paper = (over: Record<string, unknown> = {}) => ({
  issuerName: 'Công an tỉnh Bắc Ninh',
  symbol: `${seq++}/CAT-PV01`,
  issuedDate: '2026-11-20',
  subject: `Tài liệu ${Math.random().toString(36).slice(2)}`,
  ...over,
});

async function lastNumber(key: string, year = registerYear(s.runtime.rt.services.clock.now())): Promise<number> {
  const agency = await em().findOneOrFail(Agency, { code: '000.00.00.H27' });
  return (await em().findOne(NumberSequence, { agency: agency.id, key, year }))?.lastNumber ?? 0;
}

/** Rows of a report's XLSX (all cell values after the header row that starts with `firstHeader`). */
async function reportRows(url: string, firstHeader: string): Promise<unknown[][]> {
  const key = decodeURIComponent(new URL(url).pathname.replace(/^\/files\//, ''));
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await s.runtime.rt.services.storage.getBuffer(key)) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  let header = 0;
  ws.eachRow((row, n) => {
    if (!header && row.getCell(1).value === firstHeader) header = n;
  });
  const rows: unknown[][] = [];
  for (let r = header + 2; r <= ws.rowCount; r++) {
    const values = Array.from({ length: 10 }, (_, i) => ws.getRow(r).getCell(i + 1).value);
    if (values.filter((v) => v !== null && v !== undefined && v !== '').length > 1) rows.push(values);
  }
  return rows;
}

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => s?.stop());

describe('metadata only: no file of a secret document is stored or OCR’d', () => {
  it('registerIncoming with a file: BAD_USER_INPUT on files; no object, no OCR, no document, no number', async () => {
    const bytes = uniquePdf();
    const sha = sha256(bytes);
    const objectsBefore = listObjects(path.join(s.runtime.dataDir, 'objects'));
    const secretBefore = await lastNumber('INCOMING_SECRET');
    const input = paper({ secrecy: 'MAT', files: [null] });
    const r = await gqlUpload<{ registerIncoming: Doc }>(s.url, REGISTER, { input }, [{ path: 'variables.input.files.0', name: 'mat.pdf', bytes, type: 'application/pdf' }], await token('vanthu'));
    expect(err(r)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'files' });
    expect(err(r)?.message).toMatch(/mật/i);
    expect(listObjects(path.join(s.runtime.dataDir, 'objects'))).toEqual(objectsBefore);
    const con = em().getConnection();
    expect(await con.execute(`select 1 from stored_object where sha256 = ?`, [sha])).toEqual([]);
    expect(await con.execute(`select 1 from ocr_result where sha256 = ?`, [sha])).toEqual([]);
    expect(await em().count(Document, { subject: input.subject })).toBe(0);
    expect(await lastNumber('INCOMING_SECRET')).toBe(secretBefore);

    // The same document without the file is registered, in the secret register.
    const ok = await as<{ registerIncoming: Doc }>('vanthu', REGISTER, { input: { ...input, files: undefined } });
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.registerIncoming).toMatchObject({ registerKey: 'INCOMING_SECRET', incomingNumber: secretBefore + 1, secrecy: 'MAT', files: [] });
  });

  it('uploadScan declared secret and registering a scan into a secret document are refused', async () => {
    const bytes = uniquePdf();
    const up = await gqlUpload<{ uploadScan: { id: string } }>(
      s.url,
      'mutation($f: Upload!, $s: Secrecy) { uploadScan(file: $f, secrecy: $s) { id } }',
      { f: null, s: 'TOI_MAT' },
      [{ path: 'variables.f', name: 'toi-mat.pdf', bytes, type: 'application/pdf' }],
      await token('vanthu'),
    );
    expect(err(up)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'secrecy' });
    expect(await em().getConnection().execute(`select 1 from stored_object where sha256 = ?`, [sha256(bytes)])).toEqual([]);

    // An ordinary scan cannot become part of a secret document either.
    const scan = await gqlUpload<{ uploadScan: { id: string } }>(
      s.url,
      'mutation($f: Upload!) { uploadScan(file: $f) { id } }',
      { f: null },
      [{ path: 'variables.f', name: 'quet.pdf', bytes: uniquePdf(), type: 'application/pdf' }],
      await token('vanthu'),
    );
    expect(scan.errors).toBeUndefined();
    const before = await lastNumber('INCOMING_SECRET');
    const r = await as('vanthu', REGISTER, { input: paper({ secrecy: 'TUYET_MAT', fileIds: [scan.data!.uploadScan.id] }) });
    expect(err(r)?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'fileIds' });
    expect(await lastNumber('INCOMING_SECRET')).toBe(before);
  });

  it('a secret draft takes no file, nor does a progress report on a secret document; it is issued without one', async () => {
    const out = s.runtime.rt.services.outgoing;
    const pdf = new File([new Uint8Array(uniquePdf())], 'du-thao.pdf', { type: 'application/pdf' });
    await expect(out.createDraft(await s.runtime.as('chuyenvien'), { typeCode: 'BC', subject: 'Báo cáo mật', secrecy: 'MAT', files: [pdf] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      extra: { field: 'files' },
    });
    // An ordinary draft with a file cannot become secret (its file is already on the system) …
    const ordinary = await out.createDraft(await s.runtime.as('chuyenvien'), { typeCode: 'BC', subject: 'Báo cáo thường', files: [pdf] });
    await expect(out.updateDraft(await s.runtime.as('chuyenvien'), ordinary.id, { secrecy: 'MAT' })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'secrecy' } });
    // … and a secret draft gets no new version.
    const secret = await out.createDraft(await s.runtime.as('chuyenvien'), { typeCode: 'BC', subject: 'Báo cáo mật', secrecy: 'MAT', circulation: ['LUU_HANH_NOI_BO'] });
    await expect(out.updateDraft(await s.runtime.as('chuyenvien'), secret.id, { files: [pdf] })).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'files' } });

    // Progress with a file on a secret incoming document.
    const inc = s.runtime.rt.services.incoming;
    const lanhdao = await em().findOneOrFail(User, { username: 'lanhdao' });
    const chuyenvien = await em().findOneOrFail(User, { username: 'chuyenvien' });
    const doc = await inc.registerIncoming(await s.runtime.as('vanthu'), paper({ secrecy: 'MAT' }));
    await inc.submitForAnnotation(await s.runtime.as('vanthu'), doc.id, lanhdao.id);
    await inc.annotate(await s.runtime.as('lanhdao'), doc.id, { lead: { userId: chuyenvien.id } });
    const assignment = await em().findOneOrFail(Assignment, { document: doc.id, user: chuyenvien.id });
    await expect(inc.addProgress(await s.runtime.as('chuyenvien'), assignment.id, 'Đã dự thảo', pdf)).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'file' } });
    expect(await em().count(DocumentFile, { document: doc.id })).toBe(0);
    // without a file the progress note is taken
    await inc.addProgress(await s.runtime.as('chuyenvien'), assignment.id, 'Đã dự thảo trên giấy');
  });
});

describe('own registers and symbols', () => {
  it('secret and ordinary incoming documents are numbered independently; the ordinary register never lists a secret row', async () => {
    const ordinaryBefore = await lastNumber('INCOMING');
    const secretBefore = await lastNumber('INCOMING_SECRET');
    const lanhdao = await em().findOneOrFail(User, { username: 'lanhdao' });
    const m1 = await as<{ registerIncoming: Doc }>('vanthu', REGISTER, { input: paper({ secrecy: 'MAT', subject: 'Mật thứ nhất', readerIds: [lanhdao.id], circulation: ['XEM_XONG_TRA_LAI'] }) });
    const o1 = await as<{ registerIncoming: Doc }>('vanthu', REGISTER, { input: paper({ subject: 'Thường thứ nhất', circulation: ['LUU_HANH_NOI_BO'] }) });
    const m2 = await as<{ registerIncoming: Doc }>('vanthu', REGISTER, { input: paper({ secrecy: 'TOI_MAT', subject: 'Tối mật thứ hai', readerIds: [lanhdao.id] }) });
    expect([m1, o1, m2].map((r) => r.errors)).toEqual([undefined, undefined, undefined]);
    expect(m1.data!.registerIncoming).toMatchObject({ registerKey: 'INCOMING_SECRET', incomingNumber: secretBefore + 1 });
    expect(o1.data!.registerIncoming).toMatchObject({ registerKey: 'INCOMING', incomingNumber: ordinaryBefore + 1 });
    expect(m2.data!.registerIncoming).toMatchObject({ registerKey: 'INCOMING_SECRET', incomingNumber: secretBefore + 2 });

    // The ordinary register (printed by the leader, who is named on both secret documents): no secret row.
    const ordinary = await as<{ registerReport: { url: string; rows: number } }>('lanhdao', REPORT, { kind: 'INCOMING' });
    expect(ordinary.errors).toBeUndefined();
    const rows = await reportRows(ordinary.data!.registerReport.url, 'Ngày đến');
    const subjects = rows.map((r) => String(r[5]));
    expect(subjects.some((x) => x.includes('Thường thứ nhất'))).toBe(true);
    expect(subjects.filter((x) => x.includes('mật'))).toEqual([]);
    const numbers = rows.map((r) => r[1]);
    expect(new Set(numbers).size).toBe(numbers.length); // never two rows with the same số đến
    expect(rows.find((r) => String(r[5]).includes('Thường thứ nhất'))![9]).toContain('LƯU HÀNH NỘI BỘ');

    // The secret register: its own book, only secret rows, with the marking in Ghi chú.
    const secret = await as<{ registerReport: { fileName: string; url: string; rows: number } }>('lanhdao', REPORT, { kind: 'INCOMING', secret: true });
    expect(secret.errors).toBeUndefined();
    expect(secret.data!.registerReport.fileName).toMatch(/^Sổ đăng ký văn bản đến mật /);
    const srows = await reportRows(secret.data!.registerReport.url, 'Ngày đến');
    expect(srows.every((r) => /mật/i.test(String(r[9])))).toBe(true); // earlier secret documents the leader is named on
    const mine = srows.filter((r) => Number(r[1]) > secretBefore);
    expect(mine.map((r) => [r[1], String(r[5]).replace(/^.*: /, ''), r[9]])).toEqual([
      [secretBefore + 1, 'Mật thứ nhất', 'Văn bản giấy; Mật; XEM XONG TRẢ LẠI'],
      [secretBefore + 2, 'Tối mật thứ hai', 'Văn bản giấy; Tối mật'],
    ]);
  });

  it('the secret registers are printed by văn thư and leaders only', async () => {
    for (const u of ['luutru', 'truongphong', 'chuyenvien', 'quantri']) {
      for (const kind of ['INCOMING', 'OUTGOING', 'FOLLOW_UP']) {
        const r = await as(u, REPORT, { kind, secret: true });
        expect([u, kind, err(r)?.extensions?.code]).toEqual([u, kind, 'FORBIDDEN']);
      }
    }
    for (const u of ['vanthu', 'lanhdao']) expect((await as(u, REPORT, { kind: 'OUTGOING', secret: true })).errors).toBeUndefined();
  });

  it('an outgoing secret symbol never equals an ordinary one of the same year (both number 1)', async () => {
    const clock = s.runtime.rt.services.clock;
    const real = clock.now;
    clock.now = () => new Date('2033-03-02T03:00:00Z'); // a fresh register year: both sequences start at 1
    try {
      const out = s.runtime.rt.services.outgoing;
      const snv = await em().findOneOrFail(Agency, { code: '000.00.02.H27' });
      const flow = async (secrecy: 'THUONG' | 'MAT', files: File[]) => {
        const d = await out.createDraft(await s.runtime.as('chuyenvien'), {
          typeCode: 'BC',
          subject: `Báo cáo ${secrecy}`,
          secrecy,
          files,
          recipientAgencyIds: [snv.id],
          circulation: secrecy === 'MAT' ? ['XEM_XONG_TRA_LAI'] : [],
        });
        return approveSignAndIssue(s.runtime, d.id);
      };
      const ordinary = await flow('THUONG', [new File([new Uint8Array(uniquePdf())], 'bc.pdf', { type: 'application/pdf' })]);
      const secret = await flow('MAT', []);
      expect(ordinary).toMatchObject({ number: 1, registerKey: 'OUTGOING', registerYear: 2033, symbol: '01/BC-UBND' });
      expect(secret).toMatchObject({ number: 1, registerKey: 'OUTGOING_SECRET', registerYear: 2033, symbol: '01/BC-UBND-M', circulation: ['XEM_XONG_TRA_LAI'] });
      expect(await em().count(DocumentFile, { document: secret.id })).toBe(0);

      // The ordinary one arrived electronically at Sở Nội vụ (through the exchange): with its file on the system, it
      // cannot be registered as secret.
      await settleExchange(s);
      const arrived = await em().findOneOrFail(Document, { sourceDocument: ordinary.id });
      await expect(s.runtime.rt.services.incoming.registerIncoming(await s.runtime.as('snv.vanthu'), { documentId: arrived.id, secrecy: 'MAT' })).rejects.toMatchObject({
        code: 'BAD_USER_INPUT',
        extra: { field: 'secrecy' },
      });
      expect((await em().findOneOrFail(Document, { id: arrived.id })).state).toBe('RECEIVED');

      // Ordinary register of 2033: the ordinary one only; the secret register: the secret one (văn thư named on it).
      const range = { from: '2033-01-01', to: '2033-12-31' };
      const o = await as<{ registerReport: { url: string } }>('vanthu', REPORT, { kind: 'OUTGOING', ...range });
      expect((await reportRows(o.data!.registerReport.url, 'Số, ký hiệu văn bản')).map((r) => r[0])).toEqual(['01/BC-UBND']);
      const m = await as<{ registerReport: { url: string } }>('vanthu', REPORT, { kind: 'OUTGOING', secret: true, ...range });
      const mrows = await reportRows(m.data!.registerReport.url, 'Số, ký hiệu văn bản');
      expect(mrows.map((r) => [r[0], r[9]])).toEqual([['01/BC-UBND-M', 'Mật; XEM XONG TRẢ LẠI']]);
    } finally {
      clock.now = real;
    }
  });
});

describe('circulation markings', () => {
  it('round-trip on registration and are shown to readers; unknown values are refused with the field', async () => {
    const r = await as<{ registerIncoming: Doc }>('vanthu', REGISTER, { input: paper({ circulation: ['LUU_HANH_NOI_BO', 'XEM_XONG_TRA_LAI', 'LUU_HANH_NOI_BO'] }) });
    expect(r.errors).toBeUndefined();
    expect(r.data!.registerIncoming.circulation).toEqual(['XEM_XONG_TRA_LAI', 'LUU_HANH_NOI_BO']);
    const seen = await as<{ document: Doc }>('lanhdao', DOCUMENT, { id: r.data!.registerIncoming.id });
    expect(seen.data!.document.circulation).toEqual(['XEM_XONG_TRA_LAI', 'LUU_HANH_NOI_BO']);
    const none = await as<{ registerIncoming: Doc }>('vanthu', REGISTER, { input: paper() });
    expect(none.data!.registerIncoming.circulation).toEqual([]);
    // GraphQL refuses a value outside the enum before our code runs; the service refuses it with the field.
    await expect(s.runtime.rt.services.incoming.registerIncoming(await s.runtime.as('vanthu'), { ...paper(), circulation: ['KHONG_PHO_BIEN'] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      extra: { field: 'circulation' },
    });
  });
});
