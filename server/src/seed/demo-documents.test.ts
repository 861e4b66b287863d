/**
 * The demo documents (issue 9), seeded through the real services on a fresh demo database: symbols fit type and
 * issuer, trích yếu do not repeat the type, dates are this year's, the issuers are the 2026 bodies; and the drafts'
 * PDFs are laid out as their type (text layer read back with poppler's pdftotext).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestRuntime, type TestRuntime } from '../../../test/src/support/runtime';
import { Document } from '../modules/documents/entities/document.entity';
import { addDays, localDateOf } from '../modules/documents/domain';
import { seedDemoDocuments, renderDemoPdf } from './demo-documents';
import { demoPlan, layoutDemoDocument } from './demo-layout';
import { checkSubject, checkSymbol } from './demo-rules';

let t: TestRuntime;
beforeAll(async () => {
  t = await createTestRuntime();
});
afterAll(async () => t?.close());

function pdfText(buf: Buffer): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'demo-pdf-')), 'd.pdf');
  fs.writeFileSync(file, buf);
  try {
    return execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' }).normalize('NFC').replace(/\s+/g, ' ');
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

/** Where the last of `parts` ends when they all occur in `text` in that order; −1 when one is missing or out of order. */
function inOrder(text: string, parts: string[]): number {
  let at = 0;
  for (const p of parts) {
    const i = text.indexOf(p, at);
    if (i < 0) return -1;
    at = i + p.length;
  }
  return at;
}

describe('seedDemoDocuments', () => {
  it('creates the demo once, with symbols, trích yếu and issuers that fit their dates', async () => {
    expect(await seedDemoDocuments(t.rt.services)).toBe(10);
    expect(await seedDemoDocuments(t.rt.services)).toBe(0);

    const em = t.rt.orm.em.fork();
    const docs = await em.find(Document, {}, { populate: ['agency', 'issuerAgency'] });
    const today = localDateOf(t.rt.services.clock.now());
    const withSymbol = docs.filter((d) => d.symbol);
    expect(withSymbol.length).toBeGreaterThanOrEqual(8);
    for (const d of docs) {
      expect([d.subject, checkSubject(d.typeName, d.subject)]).toEqual([d.subject, null]);
      if (!d.issuedDate) continue;
      // dated in the last days, and a paper names its own year first (early in January: the year just ended)
      const issued = String(d.issuedDate);
      expect([d.subject, issued >= addDays(today, -10) && issued <= today]).toEqual([d.subject, true]);
      const firstYear = /\b(20\d\d)\b/.exec(d.subject)?.[1];
      if (firstYear) expect([d.subject, firstYear]).toEqual([d.subject, issued.slice(0, 4)]);
    }
    for (const d of withSymbol) {
      // The issuer's abbreviation: its agency's (issued here or delivered from here), else the symbol's own.
      const issuer = d.issuerAgency?.abbr ?? (d.direction === 'OUTGOING' ? d.agency.abbr : null);
      const abbr = issuer ?? d.symbol!.split('/')[1].split('-')[0];
      expect([d.symbol, checkSymbol(d.symbol!, d.typeName, abbr)]).toEqual([d.symbol, null]);
    }
    const symbols = withSymbol.map((d) => d.symbol);
    expect(symbols).toEqual(expect.arrayContaining(['152/TTr-SYT', '89/BC-SNV', '4521/BNV-CCHC', '8123/BTC-ĐT']));
    expect(symbols.some((s) => /^\d{2,}\/UBND-KT$/.test(s!))).toBe(true);
    // The Kế hoạch (signed, numbered when issued) and the Quyết định (draft) carry their type, not "V/v".
    expect(docs.filter((d) => d.typeCode === 'KH' || d.typeCode === 'QĐ').map((d) => [d.typeName, d.state])).toEqual(
      expect.arrayContaining([
        ['Kế hoạch', 'SIGNED'],
        ['Quyết định', 'DRAFT'],
      ]),
    );
    expect(symbols.some((s) => /^\d{2,}\/STC-NS$/.test(s!))).toBe(true);
    // Issuers are the 2026 bodies: Sở Y tế in the system, the ministries by name; nobody merged away in 2025.
    const issuers = docs.map((d) => d.issuerAgency?.name ?? d.issuerName ?? '');
    expect(issuers).toEqual(expect.arrayContaining(['Sở Y tế tỉnh Bắc Ninh', 'Bộ Nội vụ', 'Bộ Tài chính']));
    const everything = JSON.stringify(docs.map((d) => [d.subject, d.issuerName, d.externalRecipients, d.agency.name]));
    expect(everything).not.toMatch(/huyện|Kế hoạch và Đầu tư|Thông tin và Truyền thông/);
    // The công văn issued to xã Lương Tài waits there to be registered.
    expect(docs.some((d) => d.agency.name === 'Ủy ban nhân dân xã Lương Tài' && d.state === 'RECEIVED')).toBe(true);

    // Two hồ sơ of the year in the lưu trữ viên's danh mục, each with one finished document: both may be closed.
    const archivist = await t.as('luutru');
    const { edges } = await t.rt.services.records.list(archivist, { filter: { year: Number(today.slice(0, 4)) } });
    expect(edges.map((e) => [e.node.fileNotation, e.node.retentionYears, e.node.state])).toEqual([
      ['01.KT', 20, 'OPEN'],
      ['02.KT', 10, 'OPEN'],
    ]);
    for (const { node } of edges) {
      // (the archivist reads an incoming document of the hồ sơ once it is transferred; its creator reads both now)
      expect((await t.rt.services.records.documentsOf(await t.as('chuyenvien'), node)).map((d) => d.document.state)).toEqual([node.fileNotation === '01.KT' ? 'DONE' : 'ISSUED']);
      await t.rt.services.records.close(archivist, node.id);
    }
  });
});

describe('renderDemoPdf', () => {
  const plan = demoPlan('2026-12-06', { lanhdao: 'Phạm Quốc Hùng', 'snv.lanhdao': 'Lê Văn Hòa', 'syt.lanhdao': 'Vũ Thị Bích', 'stc.lanhdao': 'Trần Thị Kim Oanh' });

  it('a Kế hoạch: quốc hiệu, cơ quan, số, địa danh, KẾ HOẠCH + trích yếu once, nội dung, nơi nhận, người ký', async () => {
    const text = pdfText(await renderDemoPdf(layoutDemoDocument(plan.drafts.hoiNghi), plan.drafts.hoiNghi.subject));
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(inOrder(text, ['ỦY BAN NHÂN DÂN TỈNH BẮC NINH', 'Số:', '/KH-UBND', 'KẾ HOẠCH', 'Tổ chức Hội nghị tổng kết', 'I. MỤC ĐÍCH, YÊU CẦU', 'Nơi nhận:', 'PHÓ CHỦ TỊCH', 'Phạm Quốc Hùng'])).toBeGreaterThan(0);
    expect(text).not.toMatch(/Kế hoạch tổ chức Hội nghị|V\/v|Kính gửi/);
  });

  it('a công văn: V/v under the number, Kính gửi, no type title; a Sở under the UBND tỉnh', async () => {
    const text = pdfText(await renderDemoPdf(layoutDemoDocument(plan.drafts.duToan), plan.drafts.duToan.subject));
    expect(inOrder(text, ['UBND TỈNH BẮC NINH', 'SỞ TÀI CHÍNH', 'Số:', '/STC-NS', 'V/v bổ sung dự toán kinh phí năm 2026', 'Kính gửi:', 'Ủy ban nhân dân tỉnh Bắc Ninh', 'Nơi nhận:', 'KT. GIÁM ĐỐC', 'PHÓ GIÁM ĐỐC', 'Trần Thị Kim Oanh'])).toBeGreaterThan(0);
    expect(text).not.toMatch(/CÔNG VĂN/);
  });
});
