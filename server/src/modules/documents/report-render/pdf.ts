/**
 * PDF rendering of registers (landscape A4, a bordered table whose header repeats on every page) and of the
 * phiếu giải quyết (portrait A4), with pdfkit and the DejaVu Serif fonts (full Vietnamese coverage; Liberation
 * and the PDF base-14 fonts lack many Vietnamese glyphs). Pages are numbered "Trang x/y".
 */
import path from 'node:path';
import { cellText, type FormDocument, type RegisterTable, type ReportHeading, upperVi } from './model';
import { pdfkit } from '../../../shared/lazy-modules';

const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONTS = {
  serif: 'DejaVuSerif.ttf',
  serifBold: 'DejaVuSerif-Bold.ttf',
  serifItalic: 'DejaVuSerif-Italic.ttf',
  cond: 'DejaVuSerifCondensed.ttf',
  condBold: 'DejaVuSerifCondensed-Bold.ttf',
} as const;
type FontName = keyof typeof FONTS;

const MARGIN = 36; // 0.5 inch
const FOOTER = 18;
const CELL_PAD = 3;
const BODY_SIZE = 8.5;
/** A cell's text is cut (with an ellipsis) beyond this; a register row never spans pages. */
const MAX_CELL_CHARS = 2000;

type Doc = PDFKit.PDFDocument;

function newDoc(layout: 'portrait' | 'landscape', title: string): Doc {
  const PDFDocument = pdfkit();
  const doc = new PDFDocument({
    size: 'A4',
    layout,
    margins: { top: MARGIN, bottom: MARGIN + FOOTER, left: MARGIN, right: MARGIN },
    bufferPages: true,
    autoFirstPage: true,
    font: path.join(FONT_DIR, FONTS.serif),
    info: { Title: title, Producer: 'Công Văn', Creator: 'Công Văn' },
    lang: 'vi-VN',
  });
  for (const [name, file] of Object.entries(FONTS)) doc.registerFont(name, path.join(FONT_DIR, file));
  return doc;
}

function finish(doc: Doc): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

const font = (doc: Doc, f: FontName, size: number): Doc => doc.font(f).fontSize(size);

/** Agency block (top left), title and sub-titles (centred). Returns the y below it. */
function drawHeading(doc: Doc, h: ReportHeading): number {
  const left = MARGIN;
  const blockWidth = Math.min(300, doc.page.width / 2 - MARGIN);
  let y = MARGIN;
  if (h.parentAgencyName) {
    font(doc, 'serif', 10).text(upperVi(h.parentAgencyName), left, y, { width: blockWidth, align: 'center' });
    y = doc.y;
  }
  font(doc, 'serifBold', 10).text(upperVi(h.agencyName), left, y, { width: blockWidth, align: 'center' });
  y = doc.y + 2;
  const lineW = 70;
  doc
    .moveTo(left + (blockWidth - lineW) / 2, y)
    .lineTo(left + (blockWidth + lineW) / 2, y)
    .lineWidth(0.6)
    .stroke();
  y += 16;
  const width = doc.page.width - 2 * MARGIN;
  font(doc, 'serifBold', 14).text(h.title, MARGIN, y, { width, align: 'center' });
  y = doc.y + 2;
  for (const s of h.subtitles) {
    font(doc, 'serif', 10.5).text(s, MARGIN, y, { width, align: 'center' });
    y = doc.y;
  }
  return y + 10;
}

/** "Trang x/y" and the footnote on every page. */
function drawFooters(doc: Doc, footnote: string | undefined): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0; // writing in the margin must not add a page
    const y = doc.page.height - MARGIN - 10;
    const width = doc.page.width - 2 * MARGIN;
    font(doc, 'serifItalic', 8);
    if (footnote) doc.text(footnote, MARGIN, y, { width, align: 'left', lineBreak: false });
    doc.text(`Trang ${i - range.start + 1}/${range.count}`, MARGIN, y, { width, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
}

const clip = (s: string) => (s.length > MAX_CELL_CHARS ? `${s.slice(0, MAX_CELL_CHARS)}…` : s);

/** Sổ đăng ký: landscape A4, heading, then the table (header and column numbers repeated on each page). */
export async function renderRegisterPdf(t: RegisterTable): Promise<Buffer> {
  const doc = newDoc('landscape', t.title);
  const tableWidth = doc.page.width - 2 * MARGIN;
  const total = t.columns.reduce((s, c) => s + c.width, 0);
  const widths = t.columns.map((c) => (c.width / total) * tableWidth);
  const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((s, w) => s + w, 0));
  const bottom = () => doc.page.height - doc.page.margins.bottom;

  const measure = (texts: string[], f: FontName, size: number): number => {
    font(doc, f, size);
    return Math.max(...texts.map((s, i) => doc.heightOfString(s || ' ', { width: widths[i] - 2 * CELL_PAD }))) + 2 * CELL_PAD;
  };

  const drawRow = (texts: string[], y: number, h: number, f: FontName, size: number, center: boolean) => {
    font(doc, f, size);
    texts.forEach((s, i) => {
      doc.lineWidth(0.5).rect(xs[i], y, widths[i], h).stroke();
      const align = center ? 'center' : (t.columns[i].align ?? 'left');
      doc.text(s, xs[i] + CELL_PAD, y + CELL_PAD, { width: widths[i] - 2 * CELL_PAD, height: h - 2 * CELL_PAD, align, ellipsis: true });
    });
  };

  const headers = t.columns.map((c) => c.header);
  const numbers = t.columns.map((_, i) => `(${i + 1})`);
  const drawHeader = (y: number): number => {
    const h1 = measure(headers, 'condBold', BODY_SIZE);
    drawRow(headers, y, h1, 'condBold', BODY_SIZE, true);
    const h2 = measure(numbers, 'cond', 7.5);
    drawRow(numbers, y + h1, h2, 'cond', 7.5, true);
    return y + h1 + h2;
  };

  let y = drawHeader(drawHeading(doc, t));
  const bodyRows = t.rows.length ? t.rows.map((r) => r.map((c) => clip(cellText(c)))) : null;
  if (!bodyRows) {
    const h = measure([t.emptyText], 'cond', BODY_SIZE);
    font(doc, 'serifItalic', BODY_SIZE);
    doc.lineWidth(0.5).rect(MARGIN, y, tableWidth, h).stroke();
    doc.text(t.emptyText, MARGIN + CELL_PAD, y + CELL_PAD, { width: tableWidth - 2 * CELL_PAD, align: 'center' });
  }
  for (const texts of bodyRows ?? []) {
    const pageSpace = bottom() - MARGIN - 60; // room under a repeated header on a fresh page
    const h = Math.min(measure(texts, 'cond', BODY_SIZE), pageSpace);
    if (y + h > bottom()) {
      doc.addPage();
      y = drawHeader(MARGIN);
    }
    drawRow(texts, y, h, 'cond', BODY_SIZE, false);
    y += h;
  }
  drawFooters(doc, t.footnote);
  return finish(doc);
}

/** Phiếu giải quyết văn bản đến: portrait A4, heading, document fields, then the opinion sections. */
export async function renderFormPdf(f: FormDocument): Promise<Buffer> {
  const doc = newDoc('portrait', f.title);
  const width = doc.page.width - 2 * MARGIN;
  let y = drawHeading(doc, f);
  doc.x = MARGIN;
  doc.y = y;
  for (const [label, value] of f.fields) {
    font(doc, 'serifBold', 10.5).text(`${label}: `, MARGIN, doc.y, { continued: true, width });
    font(doc, 'serif', 10.5).text(value || '…', { width });
  }
  y = doc.y + 8;
  f.sections.forEach((s, i) => {
    doc.moveTo(MARGIN, y).lineTo(MARGIN + width, y).lineWidth(0.5).stroke();
    doc.y = y + 6;
    font(doc, 'serifBold', 11).text(`${i + 1}. ${s.heading}`, MARGIN, doc.y, { width });
    doc.moveDown(0.3);
    for (const line of s.lines) font(doc, 'serif', 10.5).text(line, MARGIN + 10, doc.y, { width: width - 10 });
    // signature space (issue 9): date, "(Ký, ghi rõ họ tên)", room to sign, then the name if known
    const signX = MARGIN + width / 2;
    const signW = width / 2;
    font(doc, 'serifItalic', 10.5).text(s.dateLine ?? 'Ngày …/…/……', signX, doc.y + 4, { width: signW, align: 'center' });
    font(doc, 'serifItalic', 9.5).text('(Ký, ghi rõ họ tên)', signX, doc.y, { width: signW, align: 'center' });
    doc.y += 30;
    if (s.signer) font(doc, 'serifBold', 10.5).text(s.signer, signX, doc.y, { width: signW, align: 'center' });
    y = doc.y + 10;
  });
  drawFooters(doc, f.footnote);
  return finish(doc);
}
