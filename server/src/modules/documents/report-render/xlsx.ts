/**
 * XLSX rendering (exceljs): the heading rows (agency, title, sub-titles), a bordered header row with column
 * numbers, wrapped text, column widths, dates as real Excel dates shown dd/mm/yyyy, A4 landscape print setup
 * with the header rows repeated on every printed page.
 */
import type ExcelJS from 'exceljs';
import { excelJS } from '../../../shared/lazy-modules';
import { plainDateParts } from '../domain/calendar';
import { type Cell, type FormDocument, type RegisterTable, type ReportHeading, upperVi } from './model';

const FONT = 'Times New Roman';
const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

function newBook(): ExcelJS.Workbook {
  const wb = new (excelJS().Workbook)();
  wb.creator = 'Công Văn';
  wb.created = new Date();
  return wb;
}

/** A calendar date as an Excel date (midnight UTC, so the serial is the date whatever the reader's zone). */
const excelDate = (d: string): Date => {
  const { year, month, day } = plainDateParts(d);
  return new Date(Date.UTC(year, month - 1, day));
};

function setCell(c: ExcelJS.Cell, v: Cell): void {
  if (v === null || v === undefined) c.value = null;
  else if (typeof v === 'object') {
    c.value = excelDate(v.date);
    c.numFmt = 'dd/mm/yyyy';
  } else c.value = v;
}

/** Writes the heading in rows 1…n over `span` columns; returns the next free row number. */
function writeHeading(ws: ExcelJS.Worksheet, h: ReportHeading, span: number): number {
  let r = 1;
  const leftSpan = Math.max(1, Math.min(span, Math.ceil(span / 2)));
  const line = (text: string, opts: { bold?: boolean; size?: number; italic?: boolean; full?: boolean }) => {
    const last = opts.full ? span : leftSpan;
    if (last > 1) ws.mergeCells(r, 1, r, last);
    const c = ws.getCell(r, 1);
    c.value = text;
    c.font = { name: FONT, size: opts.size ?? 12, bold: !!opts.bold, italic: !!opts.italic };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    r++;
  };
  if (h.parentAgencyName) line(upperVi(h.parentAgencyName), {});
  line(upperVi(h.agencyName), { bold: true });
  r++;
  line(h.title, { bold: true, size: 14, full: true });
  for (const s of h.subtitles) line(s, { full: true });
  return r + 1;
}

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Sổ đăng ký as a worksheet. */
export async function renderRegisterXlsx(t: RegisterTable): Promise<Buffer> {
  const wb = newBook();
  const ws = wb.addWorksheet(t.sheetName, {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 } },
    headerFooter: { oddFooter: '&RTrang &P/&N' },
  });
  const n = t.columns.length;
  t.columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.width;
  });
  let r = writeHeading(ws, t, n);
  const headerRow = r;
  t.columns.forEach((c, i) => {
    const cell = ws.getCell(r, i + 1);
    cell.value = c.header;
    cell.font = { name: FONT, size: 11, bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.border = THIN;
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
    const num = ws.getCell(r + 1, i + 1);
    num.value = `(${i + 1})`;
    num.font = { name: FONT, size: 9, italic: true };
    num.alignment = { horizontal: 'center' };
    num.border = THIN;
  });
  r += 2;
  ws.pageSetup.printTitlesRow = `${headerRow}:${headerRow + 1}`;
  ws.views = [{ state: 'frozen', ySplit: headerRow + 1 }];
  if (!t.rows.length) {
    ws.mergeCells(r, 1, r, n);
    const c = ws.getCell(r, 1);
    c.value = t.emptyText;
    c.font = { name: FONT, size: 11, italic: true };
    c.alignment = { horizontal: 'center' };
    c.border = THIN;
    r++;
  }
  for (const row of t.rows) {
    row.forEach((v, i) => {
      const c = ws.getCell(r, i + 1);
      setCell(c, v);
      c.font = { name: FONT, size: 11 };
      c.alignment = { vertical: 'top', wrapText: true, horizontal: t.columns[i].align ?? (typeof v === 'object' && v ? 'center' : 'left') };
      c.border = THIN;
    });
    r++;
  }
  if (t.footnote) {
    const c = ws.getCell(r + 1, 1);
    c.value = t.footnote;
    c.font = { name: FONT, size: 9, italic: true };
  }
  return toBuffer(wb);
}

/** Phiếu giải quyết văn bản đến as a worksheet (label column + text column). */
export async function renderFormXlsx(f: FormDocument): Promise<Buffer> {
  const wb = newBook();
  const ws = wb.addWorksheet(f.sheetName, { pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.getColumn(1).width = 28;
  ws.getColumn(2).width = 80;
  let r = writeHeading(ws, f, 2);
  for (const [label, value] of f.fields) {
    const a = ws.getCell(r, 1);
    a.value = label;
    a.font = { name: FONT, size: 12, bold: true };
    a.alignment = { vertical: 'top', wrapText: true };
    const b = ws.getCell(r, 2);
    b.value = value;
    b.font = { name: FONT, size: 12 };
    b.alignment = { vertical: 'top', wrapText: true };
    r++;
  }
  r++;
  f.sections.forEach((s, i) => {
    ws.mergeCells(r, 1, r, 2);
    const h = ws.getCell(r, 1);
    h.value = `${i + 1}. ${s.heading}`;
    h.font = { name: FONT, size: 12, bold: true };
    h.border = { top: { style: 'thin' } };
    r++;
    for (const line of s.lines) {
      ws.mergeCells(r, 1, r, 2);
      const c = ws.getCell(r, 1);
      c.value = line;
      c.font = { name: FONT, size: 12 };
      c.alignment = { wrapText: true, vertical: 'top' };
      r++;
    }
    for (const [text, bold] of [
      [s.dateLine, false],
      [s.signer, true],
    ] as const) {
      if (!text) continue;
      const c = ws.getCell(r, 2);
      c.value = text;
      c.font = { name: FONT, size: 12, italic: !bold, bold };
      c.alignment = { horizontal: 'right' };
      r++;
    }
    r++;
  });
  if (f.footnote) {
    const c = ws.getCell(r, 1);
    c.value = f.footnote;
    c.font = { name: FONT, size: 9, italic: true };
  }
  return toBuffer(wb);
}
