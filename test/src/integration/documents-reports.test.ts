/**
 * Sổ đăng ký / phiếu giải quyết exports on real PostgreSQL: each kind in PDF (text extracted with pdftotext)
 * and XLSX (parsed back with exceljs), secret rows, other agencies, authorisation, and the signed download URL.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { AgencySettings, ProgressNote, Recipient } from '../../../server/src/modules/documents/entities/misc.entities';
import type { RegisterReportArgs, ReportFileResult } from '../../../server/src/modules/documents/reports.service';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';
import { SNV, UBND, loadPeople, makeAssignment, makeIncoming, makeMember, makeOutgoing, type People } from './documents-inbox-fixtures';

const NOW = new Date('2026-03-10T03:00:00Z'); // 10:00 on 10/03/2026 in Hà Nội
const RANGE = { from: '2026-03-01', to: '2026-03-10' };
const at = (vnDay: string, hh = 9) => new Date(`${vnDay}T${String(hh).padStart(2, '0')}:00:00+07:00`);

/** Reads the stored object behind a report's signed URL (local driver: /files/<key>?…). */
async function bytesOf(t: TestRuntime, r: ReportFileResult): Promise<Buffer> {
  const key = decodeURIComponent(new URL(r.url).pathname.replace(/^\/files\//, ''));
  return t.rt.services.storage.getBuffer(key);
}

function pdfText(buf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-pdf-'));
  try {
    const file = path.join(dir, 'r.pdf');
    fs.writeFileSync(file, buf);
    // one space for every run of white space: table cells wrap their text over several lines
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
      .normalize('NFC')
      .replace(/[ \t\r\n]+/g, ' ');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

interface Sheet {
  ws: ExcelJS.Worksheet;
  headerRow: number;
  headers: string[];
  /** Data rows (after the header and the column-number row), as cell values. */
  rows: ExcelJS.CellValue[][];
}

async function readSheet(buf: Buffer, firstHeader: string): Promise<Sheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  let headerRow = 0;
  ws.eachRow((row, n) => {
    if (!headerRow && row.getCell(1).value === firstHeader) headerRow = n;
  });
  if (!headerRow) throw new Error(`header ${firstHeader} not found`);
  const width = ws.getRow(headerRow).cellCount;
  const headers = Array.from({ length: width }, (_, i) => String(ws.getRow(headerRow).getCell(i + 1).value));
  const rows: ExcelJS.CellValue[][] = [];
  for (let r = headerRow + 2; r <= ws.rowCount; r++) {
    const row = ws.getRow(r);
    const values = Array.from({ length: width }, (_, i) => row.getCell(i + 1).value);
    // data rows fill several columns (the footnote under the table fills one)
    if (values.filter((v) => v !== null && v !== undefined && v !== '').length > 1) rows.push(values);
  }
  return { ws, headerRow, headers, rows };
}

const utcDate = (d: string) => new Date(`${d}T00:00:00Z`);

describe('registers and phiếu giải quyết (real PostgreSQL)', () => {
  let t: TestRuntime;
  let em: EntityManager;
  let p: People;
  const d: Record<string, Document> = {};
  const report = async (username: string, args: RegisterReportArgs) => t.rt.services.reports.registerReport(await t.as(username), args);
  const codeOf = (promise: Promise<unknown>) =>
    promise.then(
      () => 'OK',
      (e: { code?: string; message?: string }) => e.code ?? e.message,
    );

  beforeAll(async () => {
    t = await createTestRuntime();
    t.rt.services.clock.now = () => NOW;
    em = t.rt.orm.em.fork();
    p = await loadPeople(em);
    const A = p.agency(UBND);
    const KT = p.unit(UBND, 'KT');
    const NC = p.unit(UBND, 'NC');
    const u = p.u;
    const reg = (key: string, n: number, patch: Partial<Document>) =>
      (d[key] = makeIncoming(em, { agency: A, state: 'ASSIGNED', registerKey: 'INCOMING', registerYear: 2026, incomingNumber: n, ...patch }));

    const plan = reg('plan', 101, {
      receivedAt: at('2026-03-02', 8),
      issuerName: 'UBND huyện Lương Tài',
      symbol: '05/KH-UBND',
      issuedDate: '2026-02-27',
      typeName: 'Kế hoạch',
      subject: 'Cải cách hành chính 2026',
      electronic: true,
      urgency: 'KHAN',
      submittedTo: u('lanhdao'),
      annotatedBy: u('lanhdao'),
      annotatedAt: at('2026-03-02', 14),
      instruction: 'Giao Phòng Kinh tế chủ trì, tham mưu trước ngày 20/3.',
      deadline: '2026-03-20',
    });
    const lead = makeAssignment(em, plan, { unit: KT, target: 'UNIT', deadline: '2026-03-20', assignedBy: u('lanhdao'), createdAt: at('2026-03-02', 14) });
    makeAssignment(em, plan, { unit: NC, target: 'UNIT', role: 'COORDINATOR', deadline: '2026-03-25', assignedBy: u('lanhdao'), createdAt: at('2026-03-02', 14) });
    const child = makeAssignment(em, plan, {
      unit: KT,
      user: u('chuyenvien'),
      target: 'UNIT',
      parent: lead,
      deadline: '2026-03-18',
      assignedBy: u('truongphong'),
      instruction: 'Đồng chí Hùng dự thảo báo cáo.',
      state: 'IN_PROGRESS',
      createdAt: at('2026-03-03', 9),
      startedAt: at('2026-03-03', 10),
    });
    em.create(ProgressNote, { assignment: child, author: u('chuyenvien'), text: 'Đề xuất ban hành kế hoạch triển khai trong tháng 3.', createdAt: at('2026-03-05', 9) });

    const done = reg('done', 102, {
      receivedAt: at('2026-03-03'),
      issuerName: 'Sở Nội vụ tỉnh Bắc Ninh',
      symbol: '12/SNV-CCHC',
      issuedDate: '2026-03-01',
      typeName: 'Công văn',
      subject: 'Báo cáo số liệu biên chế',
      state: 'DONE',
      deadline: '2026-03-06',
      completedAt: at('2026-03-08', 16),
      annotatedBy: u('lanhdao'),
    });
    makeAssignment(em, done, { unit: NC, target: 'UNIT', deadline: '2026-03-06', state: 'DONE', completedAt: at('2026-03-08', 16) });
    // trình (audit trail of the incoming service): the register's "Ngày chuyển"
    em.create(AuditEvent, { action: 'document.submit', targetType: 'document', targetId: done.id, agencyId: A.id, actorId: u('vanthu').id, at: at('2026-03-04', 23) });
    const overdue = reg('overdue', 103, { receivedAt: at('2026-03-04'), symbol: '07/TB-STC', typeName: 'Thông báo', subject: 'Thẩm định dự toán', deadline: '2026-03-08', state: 'IN_PROGRESS' });
    makeAssignment(em, overdue, { unit: KT, target: 'UNIT', deadline: '2026-03-08', state: 'IN_PROGRESS' });
    reg('forInfo', 104, { receivedAt: at('2026-03-05'), symbol: '01/GM-UBND', typeName: 'Giấy mời', subject: 'Họp giao ban', state: 'FOR_INFO' });
    const secret = reg('secret', 1, {
      receivedAt: at('2026-03-06'),
      registerKey: 'INCOMING_SECRET',
      secrecy: 'MAT',
      symbol: '02/CV-CA',
      typeName: 'Công văn',
      subject: 'Tài liệu mật thử nghiệm',
      state: 'ASSIGNED',
      circulation: ['XEM_XONG_TRA_LAI'],
    });
    makeMember(em, secret, u('lanhdao'), 'READER');
    makeAssignment(em, secret, { unit: KT, target: 'UNIT', deadline: '2026-03-30' });
    reg('older', 90, { receivedAt: at('2026-02-20'), symbol: '99/CV-X', subject: 'Văn bản tháng trước' });
    d.snv = makeIncoming(em, { agency: p.agency(SNV), state: 'REGISTERED', registerKey: 'INCOMING', registerYear: 2026, incomingNumber: 7, receivedAt: at('2026-03-04'), subject: 'Văn bản của Sở Nội vụ' });
    // not yet registered: no số đến, not in the register
    d.received = makeIncoming(em, { agency: A, state: 'RECEIVED', receivedAt: at('2026-03-07'), subject: 'Chưa vào sổ' });

    // outgoing
    const out = (key: string, patch: Partial<Document>) =>
      (d[key] = makeOutgoing(em, { agency: A, drafter: u('chuyenvien'), drafterUnit: KT, state: 'ISSUED', registerKey: 'OUTGOING', registerYear: 2026, ...patch }));
    const reply = out('reply', {
      number: 15,
      symbol: '15/UBND-KT',
      issuedDate: '2026-03-09',
      issuedAt: at('2026-03-09', 15),
      typeName: 'Công văn',
      subject: 'Trả lời về cải cách hành chính',
      signerName: 'Trần Văn Bình',
      copies: 4,
      replyTo: done,
      externalRecipients: ['Bộ Nội vụ'],
    });
    em.create(Recipient, { document: reply, agency: p.agency(SNV), name: 'Sở Nội vụ tỉnh Bắc Ninh', status: 'DELIVERED', statusCode: '01' });
    out('decision', { number: 3, symbol: '03/QĐ-UBND', registerKey: 'OUTGOING:QĐ', issuedDate: '2026-03-02', issuedAt: at('2026-03-02', 10), typeName: 'Quyết định', subject: 'Thành lập tổ công tác', signerName: 'Trần Văn Bình', copies: 2 });
    out('draft', { state: 'DRAFT', subject: 'Dự thảo chưa ban hành', registerKey: null, registerYear: null });
    out('outSecret', { number: 1, symbol: '01/UBND-MAT', registerKey: 'OUTGOING_SECRET', secrecy: 'TOI_MAT', issuedDate: '2026-03-04', subject: 'Văn bản đi tối mật' });
    await em.flush();
  });
  afterAll(async () => t?.close());

  it('INCOMING as XLSX: 10 columns, row values, dates as dates, no secret / foreign / out-of-range rows', async () => {
    const r = await report('vanthu', { kind: 'INCOMING', format: 'XLSX', ...RANGE });
    expect(r.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(r.fileName).toBe('Sổ đăng ký văn bản đến 2026-03-01_2026-03-10.xlsx');
    const s = await readSheet(await bytesOf(t, r), 'Ngày đến');
    expect(s.headers).toEqual([
      'Ngày đến',
      'Số đến',
      'Tác giả',
      'Số, ký hiệu văn bản',
      'Ngày tháng văn bản',
      'Tên loại và trích yếu nội dung văn bản',
      'Đơn vị hoặc người nhận',
      'Ngày chuyển',
      'Ký nhận',
      'Ghi chú',
    ]);
    const texts: string[] = [];
    s.ws.eachRow((row) => texts.push(String(row.getCell(1).value ?? '')));
    expect(texts).toContain('ỦY BAN NHÂN DÂN TỈNH BẮC NINH');
    expect(texts).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN');
    expect(texts).toContain('Từ ngày 01/03/2026 đến ngày 10/03/2026');
    expect(texts).toContain('Từ số 101 đến số 104');
    expect(s.rows.map((row) => row[1])).toEqual([101, 102, 103, 104]);
    expect(r.rows).toBe(4);
    const plan = s.rows[0];
    expect(plan[0]).toEqual(utcDate('2026-03-02'));
    expect(s.ws.getCell(s.headerRow + 2, 1).numFmt).toBe('dd/mm/yyyy');
    expect(plan.slice(2, 7)).toEqual(['UBND huyện Lương Tài', '05/KH-UBND', utcDate('2026-02-27'), 'Kế hoạch: Cải cách hành chính 2026', 'Chủ trì: Phòng Kinh tế; Phối hợp: Phòng Nội chính']);
    expect(plan[7]).toEqual(utcDate('2026-03-02')); // ngày chuyển: the bút phê
    expect(plan[9]).toBe('Văn bản điện tử; Khẩn');
    expect(s.rows[3][6]).toBe('Để biết');
    expect(s.rows[1][7]).toEqual(utcDate('2026-03-04')); // submitted at 23:00 on 04/03, Vietnam time
    const all = JSON.stringify(s.rows);
    for (const hidden of ['Tài liệu mật thử nghiệm', 'Văn bản tháng trước', 'Văn bản của Sở Nội vụ', 'Chưa vào sổ']) expect(all).not.toContain(hidden);
  });

  it('secret rows never enter the ordinary register; the secret register (secret: true) lists them for a named reader', async () => {
    const r = await report('lanhdao', { kind: 'INCOMING', format: 'XLSX', ...RANGE });
    const s = await readSheet(await bytesOf(t, r), 'Ngày đến');
    expect(s.rows.map((row) => row[1])).toEqual([101, 102, 103, 104]);
    const m = await report('lanhdao', { kind: 'INCOMING', format: 'XLSX', ...RANGE, secret: true });
    expect(m.fileName).toMatch(/^Sổ đăng ký văn bản đến mật /);
    const ms = await readSheet(await bytesOf(t, m), 'Ngày đến');
    expect(ms.rows.map((row) => row[1])).toEqual([1]);
    expect(ms.rows[0][5]).toBe('Công văn: Tài liệu mật thử nghiệm');
    expect(ms.rows[0][9]).toBe('Văn bản giấy; Mật; XEM XONG TRẢ LẠI');
    // the văn thư may print the secret register, but sees only the documents they are named on (none here)
    expect((await report('vanthu', { kind: 'INCOMING', format: 'XLSX', ...RANGE, secret: true })).rows).toBe(0);
  });

  it('INCOMING as PDF: landscape A4 with Vietnamese heading, columns and trích yếu', async () => {
    const r = await report('luutru', { kind: 'INCOMING', format: 'PDF', ...RANGE });
    expect(r.contentType).toBe('application/pdf');
    const buf = await bytesOf(t, r);
    expect(buf.subarray(0, 5).toString()).toBe('%PDF-');
    const info = execFileSync('pdfinfo', ['-'], { input: buf, encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
    const text = pdfText(buf);
    for (const s of [
      'ỦY BAN NHÂN DÂN TỈNH BẮC NINH',
      'SỔ ĐĂNG KÝ VĂN BẢN ĐẾN',
      'Năm 2026',
      'Từ ngày 01/03/2026 đến ngày 10/03/2026',
      'Từ số 101 đến số 104',
      'Ngày đến',
      'Tác giả',
      'Kế hoạch: Cải cách hành chính 2026',
      'UBND huyện Lương Tài',
      '05/KH-UBND',
      '02/03/2026',
      'Trang 1/1',
    ])
      expect(text).toContain(s);
    expect(text).not.toContain('Tài liệu mật thử nghiệm');
  });

  it('OUTGOING in both formats', async () => {
    const x = await readSheet(await bytesOf(t, await report('vanthu', { kind: 'OUTGOING', format: 'XLSX', ...RANGE })), 'Số, ký hiệu văn bản');
    expect(x.headers).toEqual([
      'Số, ký hiệu văn bản',
      'Ngày tháng văn bản',
      'Tên loại và trích yếu nội dung văn bản',
      'Người ký',
      'Nơi nhận văn bản',
      'Đơn vị, người nhận bản lưu',
      'Số lượng bản',
      'Ngày chuyển',
      'Ký nhận',
      'Ghi chú',
    ]);
    expect(x.rows).toHaveLength(2);
    expect(x.rows[0].slice(0, 8)).toEqual([
      '03/QĐ-UBND',
      utcDate('2026-03-02'),
      'Quyết định: Thành lập tổ công tác',
      'Trần Văn Bình',
      '',
      'Văn thư; Phòng Kinh tế',
      2,
      utcDate('2026-03-02'),
    ]);
    expect(x.rows[1].slice(0, 5)).toEqual(['15/UBND-KT', utcDate('2026-03-09'), 'Công văn: Trả lời về cải cách hành chính', 'Trần Văn Bình', 'Sở Nội vụ tỉnh Bắc Ninh; Bộ Nội vụ']);
    const text = pdfText(await bytesOf(t, await report('lanhdao', { kind: 'OUTGOING', format: 'PDF', ...RANGE })));
    for (const s of ['SỔ ĐĂNG KÝ VĂN BẢN ĐI', 'Người ký', 'Nơi nhận văn bản', '15/UBND-KT', 'Trần Văn Bình', 'Quyết định: Thành lập tổ công tác']) expect(text).toContain(s);
    expect(text).not.toContain('Dự thảo chưa ban hành');
    expect(text).not.toContain('Văn bản đi tối mật'); // lanhdao is not a named reader of it
  });

  it('FOLLOW_UP: 7 columns, deadlines, progress and replies; unit heads get their unit only', async () => {
    const x = await readSheet(await bytesOf(t, await report('vanthu', { kind: 'FOLLOW_UP', format: 'XLSX', ...RANGE })), 'Số đến');
    expect(x.headers).toEqual([
      'Số đến',
      'Tên loại, số, ký hiệu, ngày tháng, cơ quan ban hành văn bản',
      'Đơn vị hoặc người nhận',
      'Thời hạn giải quyết',
      'Tiến độ giải quyết',
      'Số, ký hiệu văn bản trả lời',
      'Ghi chú',
    ]);
    expect(x.rows.map((r) => r[0])).toEqual([101, 102, 103]);
    expect(x.rows[0].slice(1, 5)).toEqual([
      'Kế hoạch số 05/KH-UBND ngày 27/02/2026 của UBND huyện Lương Tài',
      'Chủ trì: Phòng Kinh tế; Phối hợp: Phòng Nội chính',
      utcDate('2026-03-20'),
      'Chờ giải quyết',
    ]);
    expect(x.rows[1][4]).toBe('Hoàn thành ngày 08/03/2026 (trễ hạn 2 ngày)');
    expect(x.rows[1][5]).toBe('15/UBND-KT');
    expect(x.rows[2][4]).toBe('Đang giải quyết — quá hạn 2 ngày');

    const unit = await readSheet(await bytesOf(t, await report('truongphong', { kind: 'FOLLOW_UP', format: 'XLSX', ...RANGE })), 'Số đến');
    expect(unit.rows.map((r) => r[0])).toEqual([101, 103]); // Phòng Kinh tế's documents only
    const text = pdfText(await bytesOf(t, await report('truongphong', { kind: 'FOLLOW_UP', format: 'PDF', ...RANGE })));
    for (const s of ['SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN', 'Tiến độ giải quyết', 'Thời hạn giải quyết', '20/03/2026']) expect(text).toContain(s);
  });

  it('PHIEU_GIAI_QUYET in both formats for a document the caller may see', async () => {
    const x = await report('chuyenvien', { kind: 'PHIEU_GIAI_QUYET', format: 'XLSX', documentId: d.plan.id });
    expect(x.rows).toBe(1);
    expect(x.fileName).toBe('Phiếu giải quyết văn bản đến số đến 101.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await bytesOf(t, x)) as unknown as ArrayBuffer);
    const cells: string[] = [];
    wb.worksheets[0].eachRow((row) => row.eachCell((c) => cells.push(String(c.value))));
    for (const s of [
      'PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN',
      '1. Ý kiến của lãnh đạo cơ quan',
      'Ý kiến chỉ đạo: Giao Phòng Kinh tế chủ trì, tham mưu trước ngày 20/3.',
      'Giao chủ trì: Phòng Kinh tế — thời hạn giải quyết: 20/03/2026',
      'Giao phối hợp: Phòng Nội chính — thời hạn giải quyết: 25/03/2026',
      'Ngày 02/03/2026',
      '2. Ý kiến của lãnh đạo đơn vị',
      '3. Ý kiến đề xuất của người giải quyết',
      'Tên loại và trích yếu',
      'Kế hoạch cải cách hành chính 2026',
      '05/KH-UBND',
    ])
      expect(cells).toContain(s);
    const leader = p.u('lanhdao').fullName;
    const head = p.u('truongphong').fullName;
    const handler = p.u('chuyenvien').fullName;
    expect(cells).toContain(leader);
    expect(cells).toContain(`${head} (Phòng Kinh tế) giao ${handler} giải quyết — thời hạn giải quyết: 18/03/2026. Ý kiến: Đồng chí Hùng dự thảo báo cáo.`);
    expect(cells).toContain(`05/03/2026 — ${handler}: Đề xuất ban hành kế hoạch triển khai trong tháng 3.`);

    const pdf = await report('lanhdao', { kind: 'PHIEU_GIAI_QUYET', format: 'PDF', documentId: d.plan.id });
    const buf = await bytesOf(t, pdf);
    expect(execFileSync('pdfinfo', ['-'], { input: buf, encoding: 'utf8' })).toMatch(/595\.28 x 841\.89 pts \(A4\)/);
    const text = pdfText(buf);
    for (const s of ['PHIẾU GIẢI QUYẾT VĂN BẢN ĐẾN', 'Ý kiến của lãnh đạo cơ quan', 'Giao chủ trì: Phòng Kinh tế', 'Ý kiến đề xuất của người giải quyết', 'Đề xuất ban hành kế hoạch', leader]) expect(text).toContain(s);
  });

  it('refuses callers without the right: FORBIDDEN for the registers, NOT_FOUND for documents they may not see', async () => {
    expect(await codeOf(report('chuyenvien', { kind: 'INCOMING', format: 'PDF' }))).toBe('FORBIDDEN');
    expect(await codeOf(report('quantri', { kind: 'OUTGOING', format: 'XLSX' }))).toBe('FORBIDDEN');
    expect(await codeOf(report('truongphong', { kind: 'INCOMING', format: 'XLSX' }))).toBe('FORBIDDEN');
    expect(await codeOf(report('chuyenvien', { kind: 'FOLLOW_UP', format: 'XLSX' }))).toBe('FORBIDDEN');
    // the secret registers: văn thư and leaders only (not the archive, not a unit head)
    expect(await codeOf(report('luutru', { kind: 'INCOMING', format: 'XLSX', secret: true }))).toBe('FORBIDDEN');
    expect(await codeOf(report('truongphong', { kind: 'FOLLOW_UP', format: 'XLSX', secret: true }))).toBe('FORBIDDEN');
    expect(await codeOf(report('snv.vanthu', { kind: 'PHIEU_GIAI_QUYET', format: 'PDF', documentId: d.plan.id }))).toBe('NOT_FOUND');
    expect(await codeOf(report('vanthu', { kind: 'PHIEU_GIAI_QUYET', format: 'PDF', documentId: d.secret.id }))).toBe('NOT_FOUND');
    expect(await codeOf(report('luutru', { kind: 'PHIEU_GIAI_QUYET', format: 'PDF', documentId: d.plan.id }))).toBe('NOT_FOUND');
    // another agency's văn thư gets their own register, never ours
    const snv = await readSheet(await bytesOf(t, await report('snv.vanthu', { kind: 'INCOMING', format: 'XLSX', ...RANGE })), 'Ngày đến');
    expect(JSON.stringify(snv.rows)).not.toContain('Cải cách hành chính 2026');
    expect(JSON.stringify(snv.rows)).toContain('Văn bản của Sở Nội vụ');
  });

  it('validates its arguments', async () => {
    expect(await codeOf(report('vanthu', { kind: 'INCOMING', format: 'PDF', from: '2026-03-10', to: '2026-03-01' }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(report('vanthu', { kind: 'INCOMING', format: 'PDF', from: '2026-02-30' }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(report('vanthu', { kind: 'PHIEU_GIAI_QUYET', format: 'PDF' }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(report('vanthu', { kind: 'PHIEU_GIAI_QUYET', format: 'PDF', documentId: d.reply.id }))).toBe('BAD_USER_INPUT');
    // defaults: 1 January of this year (Vietnam) to today
    const r = await report('vanthu', { kind: 'INCOMING', format: 'XLSX' });
    expect(r.fileName).toBe('Sổ đăng ký văn bản đến 2026-01-01_2026-03-10.xlsx');
    expect(r.rows).toBe(5); // the February one too
  });

  it('repeats the table header on every page of a long register and numbers the pages', async () => {
    const A = p.agency(UBND);
    for (let i = 0; i < 70; i++) {
      makeIncoming(em, {
        agency: A,
        state: 'REGISTERED',
        registerKey: 'INCOMING',
        registerYear: 2026,
        incomingNumber: 200 + i,
        receivedAt: at('2026-03-09', 9),
        issuerName: 'Ủy ban nhân dân xã Quảng Phú',
        symbol: `${i + 1}/UBND-VP`,
        typeName: 'Công văn',
        subject: `Đề nghị hỗ trợ kinh phí khắc phục hậu quả mưa lũ đợt ${i + 1} tại các thôn ven đê sông Đuống`,
      });
    }
    await em.flush();
    const r = await report('vanthu', { kind: 'INCOMING', format: 'PDF', ...RANGE });
    expect(r.rows).toBe(74);
    const buf = await bytesOf(t, r);
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', ['-'], { input: buf, encoding: 'utf8' }))![1]);
    expect(pages).toBeGreaterThan(2);
    const text = pdfText(buf);
    expect(text).toContain(`Trang ${pages}/${pages}`);
    expect(text.split('Ngày tháng văn bản').length - 1).toBe(pages); // header on every page
    expect(text.split('\f').filter((pg) => pg.includes('SỔ ĐĂNG KÝ')).length).toBe(1); // heading once
    expect(text).toContain('Đề nghị hỗ trợ kinh phí khắc phục hậu quả mưa lũ đợt 70');
  });

  it('column 7 of the sổ đến names the leader a document was submitted to: "Trình đ/c X, <chức vụ>"', async () => {
    const leader = p.u('lanhdao');
    makeIncoming(em, {
      agency: p.agency(UBND),
      state: 'SUBMITTED',
      registerKey: 'INCOMING',
      registerYear: 2026,
      incomingNumber: 400,
      receivedAt: at('2026-04-15', 9),
      issuerName: 'Sở Tài chính',
      symbol: '12/STC-NS',
      typeName: 'Công văn',
      subject: 'Về việc dự toán ngân sách',
      submittedTo: leader,
    });
    await em.flush();
    const r = await report('vanthu', { kind: 'INCOMING', format: 'XLSX', from: '2026-04-15', to: '2026-04-15' });
    const s = await readSheet(await bytesOf(t, r), 'Ngày đến');
    expect(leader.title).toBeTruthy();
    expect(s.rows.map((row) => row[6])).toEqual([`Trình đ/c ${leader.fullName}, ${leader.title}`]);
  });

  it('prints the sổ đến per incoming register: each has its own số đến, and an unknown register is refused', async () => {
    const A = p.agency(UBND);
    const day = { from: '2026-05-04', to: '2026-05-06' };
    em.create(AgencySettings, {
      agency: A,
      incomingRegisters: [
        { key: 'INCOMING', name: 'Sổ văn bản đến', active: true },
        { key: 'INCOMING:DON_THU', name: 'Sổ đơn thư', active: true },
      ],
    } as never);
    const doc = (registerKey: string, incomingNumber: number, subject: string) =>
      makeIncoming(em, { agency: A, state: 'REGISTERED', registerKey, registerYear: 2026, incomingNumber, receivedAt: at('2026-05-05', 9), typeName: 'Đơn', subject });
    doc('INCOMING', 501, 'Văn bản đến sổ chung');
    doc('INCOMING:DON_THU', 1, 'Đơn kiến nghị thứ nhất');
    doc('INCOMING:DON_THU', 2, 'Đơn kiến nghị thứ hai');
    await em.flush();

    const general = await readSheet(await bytesOf(t, await report('vanthu', { kind: 'INCOMING', format: 'XLSX', ...day })), 'Ngày đến');
    expect(general.rows.map((r) => r[1])).toEqual([501]);
    const r = await report('vanthu', { kind: 'INCOMING', format: 'XLSX', ...day, registerKey: 'INCOMING:DON_THU' });
    const petitions = await readSheet(await bytesOf(t, r), 'Ngày đến');
    expect(petitions.rows.map((row) => row[1])).toEqual([1, 2]);
    const texts: string[] = [];
    petitions.ws.eachRow((row) => texts.push(String(row.getCell(1).value ?? '')));
    expect(texts).toContain('SỔ ĐĂNG KÝ VĂN BẢN ĐẾN — SỔ ĐƠN THƯ');
    expect(texts).toContain('Từ số 1 đến số 2');
    expect(await codeOf(report('vanthu', { kind: 'INCOMING', format: 'XLSX', ...day, registerKey: 'INCOMING:KHONG_CO' }))).toBe('BAD_USER_INPUT');
    expect(await codeOf(report('vanthu', { kind: 'INCOMING', format: 'XLSX', ...day, registerKey: 'OUTGOING' }))).toBe('BAD_USER_INPUT');
  });
});

describe('registerReport over GraphQL and the download URL', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    const em = s.runtime.rt.orm.em.fork();
    const p = await loadPeople(em);
    makeIncoming(em, { agency: p.agency(UBND), state: 'REGISTERED', registerKey: 'INCOMING', registerYear: 2026, incomingNumber: 1, receivedAt: new Date(), subject: 'Tải về qua đường dẫn ký' });
    await em.flush();
  });
  afterAll(async () => s?.stop());

  it('returns a short-lived signed URL that serves the file, and audits the export', async () => {
    const token = await loginToken(s.url, 'vanthu');
    const q = `query($f: ReportFormat!) { registerReport(kind: INCOMING, format: $f) { fileName contentType url rows } }`;
    for (const [f, magic, type] of [
      ['PDF', '%PDF-', 'application/pdf'],
      ['XLSX', 'PK', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ] as const) {
      const r = await gql<{ registerReport: ReportFileResult }>(s.url, q, { f }, { token });
      expect(r.errors).toBeUndefined();
      const file = r.data!.registerReport;
      expect(file.rows).toBeGreaterThanOrEqual(1);
      const signed = new URL(file.url);
      expect(signed.pathname.startsWith('/files/sha256/')).toBe(true);
      expect(Number(signed.searchParams.get('exp')) * 1000 - Date.now()).toBeLessThanOrEqual(600_000);
      // the local driver took the public URL before the test server knew its port: same path on the test server
      const url = `${s.url}${signed.pathname}${signed.search}`;
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('content-disposition')).toContain("filename*=UTF-8''S%E1%BB%95");
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.subarray(0, magic.length).toString()).toBe(magic);
      // tampering with the signature is refused
      const bad = await fetch(url.replace(/sig=[^&]+/, 'sig=AAAA'));
      expect(bad.status).toBeGreaterThanOrEqual(400);
    }
    const em = s.runtime.rt.orm.em.fork();
    expect(await em.count(AuditEvent, { action: 'report.export' })).toBe(2);

    const other = await loginToken(s.url, 'chuyenvien');
    const denied = await gql(s.url, q, { f: 'PDF' }, { token: other });
    expect(denied.errors![0].extensions!.code).toBe('FORBIDDEN');
  });
});
