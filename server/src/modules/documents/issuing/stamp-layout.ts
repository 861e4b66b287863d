/**
 * Where the number, the place and date, and the signing authority go on the page (NĐ 30 Phụ lục I), from
 * the text positions of the draft (pure; the positions come from pdf-text.ts).
 *
 * A draft is written as the issued document will look, with the blanks the văn thư fills in:
 *   ô 3 (left, under the agency name)      "Số:        /QĐ-UBND"          → the number in the blank before "/"
 *   ô 4 (right, under the tiêu ngữ)        "Bắc Ninh, ngày    tháng    năm 2026" → the day and the month
 *   ô 7 (signer block)                    "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", blank, the signer's name
 * We fill the blanks (like a văn thư with a pen) rather than redraw the lines, so nothing the drafter wrote is
 * covered, and the stamp is an incremental update that keeps the signer's signature valid. A blank whose
 * printed notation differs from the symbol being given (a KH placeholder on a QĐ, a missing year group on a
 * legal normative document), a date or number already filled in, or a signer block without the authority
 * line is a thể thức error: the văn thư returns the document for correction.
 * A page without any text (a scan, or a blank test page) gets the lines written at the App. I positions.
 */
import type { Measure, PdfPageText, PdfWord } from './pdf-text';

export interface StampItem {
  /** 0-based page. */
  page: number;
  /** Left end of the text's baseline, points, origin bottom-left. */
  x: number;
  y: number;
  text: string;
  size: number;
  bold?: boolean;
  italic?: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface StampRequest {
  /** Full symbol, e.g. "05/QĐ-UBND" or "05/2026/QĐ-UBND". */
  symbol: string;
  /** ISO local date of issue. */
  date: string;
  /** Địa danh ("Bắc Ninh"). */
  place: string;
  /** Signer block lines expected on the page (authorityLines). */
  authorityLines: string[];
}

export interface StampPlan {
  items: StampItem[];
  /** Thể thức problems (Vietnamese); the văn thư must return the document when any. */
  problems: string[];
  /** True when the page had no text and the lines were placed at the default positions. */
  defaultPositions: boolean;
}

const norm = (s: string) => s.normalize('NFC').replace(/\s+/gu, ' ').trim();
const sameLine = (a: PdfWord, b: PdfWord) => Math.abs(a.yMin - b.yMin) < 2 && Math.abs(a.yMax - b.yMax) < 2;
/** DejaVu/Times: the bbox height is ≈ 1.164 × the font size and the baseline ≈ 20 % of it above the bottom. */
const sizeOf = (w: PdfWord) => Math.max(6, Math.min(20, (w.yMax - w.yMin) / 1.164));
const baselineOf = (w: PdfWord, pageHeight: number) => pageHeight - (w.yMax - 0.2028 * (w.yMax - w.yMin));

/** The word right of `w` on the same line (nearest), if within `maxGap` points. */
function rightOf(words: readonly PdfWord[], w: PdfWord, maxGap: number): PdfWord | undefined {
  let best: PdfWord | undefined;
  for (const o of words) {
    if (o === w || !sameLine(o, w) || o.xMin < w.xMax - 0.5 || o.xMin - w.xMax > maxGap) continue;
    if (!best || o.xMin < best.xMin) best = o;
  }
  return best;
}

/** Finds `line` (words separated by single spaces) as consecutive words of one printed line. */
export function findLine(page: PdfPageText, line: string): PdfWord[] | null {
  const tokens = norm(line).toLocaleUpperCase('vi-VN').split(' ');
  for (const w of page.words) {
    if (norm(w.text).toLocaleUpperCase('vi-VN') !== tokens[0]) continue;
    const found = [w];
    let cur = w;
    for (const t of tokens.slice(1)) {
      const next = rightOf(page.words, cur, 3 * sizeOf(cur));
      if (!next || norm(next.text).toLocaleUpperCase('vi-VN') !== t) break;
      found.push(next);
      cur = next;
    }
    if (found.length === tokens.length) return found;
  }
  return null;
}

function plainParts(date: string): { day: string; month: string; year: string } {
  const [y, m, d] = date.split('-').map(Number);
  return { day: String(d).padStart(2, '0'), month: m <= 2 ? String(m).padStart(2, '0') : String(m), year: String(y) };
}

const fmtDay = (date: string) => `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;

/** Plans the number and date stamp on the first page and checks the signer block (any page). */
export function planStamp(pages: readonly PdfPageText[], req: StampRequest, measure: Measure): StampPlan {
  const problems: string[] = [];
  const items: StampItem[] = [];
  const first = pages[0];
  if (!first) return { items, problems: ['Tệp văn bản không có trang nào.'], defaultPositions: false };
  const slash = req.symbol.indexOf('/');
  const numberText = req.symbol.slice(0, slash);
  const notation = req.symbol.slice(slash); // "/QĐ-UBND"
  const { day, month, year } = plainParts(req.date);

  if (!pages.some((p) => p.words.length)) {
    // No text layer: the App. I positions of an A4 page (ô 3 left column, ô 4 right column, ô 7 signer block).
    const w = first.width;
    const h = first.height;
    const leftCenter = w * 0.283;
    const rightCenter = w * 0.68;
    const size = 13;
    const so = `Số: ${req.symbol}`;
    items.push({ page: 0, x: leftCenter - measure(so, size) / 2, y: h - 105, text: so, size });
    const dateLine = `${req.place ? `${req.place}, ` : ''}ngày ${day} tháng ${month} năm ${year}`;
    items.push({ page: 0, x: rightCenter - measure(dateLine, size, 'italic') / 2, y: h - 105, text: dateLine, size, italic: true });
    const last = pages.length - 1;
    req.authorityLines.forEach((l, i) => {
      items.push({ page: last, x: rightCenter - measure(l, size, 'bold') / 2, y: h * 0.36 - i * 16, text: l, size, bold: true });
    });
    return { items, problems, defaultPositions: true };
  }

  // ── ô 3: "Số:" then the notation with a blank before it
  const so = first.words.find((w) => /^Số:?$/u.test(norm(w.text)));
  if (!so) problems.push('Dự thảo không có dòng "Số:" (ô số 3, Phụ lục I Nghị định 30/2020).');
  else {
    let next = rightOf(first.words, so, 12 * sizeOf(so));
    if (next && norm(next.text) === ':' ) next = rightOf(first.words, next, 12 * sizeOf(so));
    const printed = next ? norm(next.text) : '';
    if (!next || !printed.startsWith('/')) {
      problems.push(/^\d/u.test(printed) ? `Dòng "Số:" đã ghi sẵn "${printed}": số do văn thư cấp khi phát hành.` : 'Dòng "Số:" của dự thảo không có ký hiệu sau chỗ trống ("Số:      /QĐ-UBND").');
    } else if (printed !== notation) {
      problems.push(`Ký hiệu trên dự thảo "${printed}" khác ký hiệu được cấp "${notation}" (Số: ${req.symbol}).`);
    } else {
      const size = sizeOf(next);
      const width = measure(numberText, size);
      const gap = next.xMin - so.xMax;
      if (gap < width + 0.2 * size) problems.push('Dòng "Số:" không còn chỗ trống để ghi số.');
      else items.push({ page: 0, x: next.xMin - width - 0.5, y: baselineOf(next, first.height), text: numberText, size });
    }
  }

  // ── ô 4: "…, ngày    tháng    năm 2026"
  const ngay = first.words.find((w) => norm(w.text).toLowerCase() === 'ngày' && findAfter(first, w, 'tháng'));
  if (!ngay) problems.push('Dự thảo không có dòng địa danh và ngày ban hành ("…, ngày … tháng … năm …").');
  else {
    const thang = findAfter(first, ngay, 'tháng')!;
    const nam = findAfter(first, thang, 'năm');
    const between = (a: PdfWord, b: PdfWord) => first.words.filter((o) => sameLine(o, a) && o.xMin >= a.xMax - 0.5 && o.xMax <= b.xMin + 0.5);
    if (!nam) problems.push('Dòng ngày ban hành thiếu chữ "năm".');
    else if (between(ngay, thang).length || between(thang, nam).length) problems.push('Ngày ban hành đã được ghi sẵn trên dự thảo: ngày do văn thư ghi khi phát hành.');
    else {
      const size = sizeOf(ngay);
      const y = baselineOf(ngay, first.height);
      const place = (a: PdfWord, b: PdfWord, t: string) => ({ page: 0, x: (a.xMax + b.xMin) / 2 - measure(t, size, 'italic') / 2, y, text: t, size, italic: true });
      if (thang.xMin - ngay.xMax < measure(day, size, 'italic') + 0.3 * size) problems.push('Dòng ngày ban hành không còn chỗ trống để ghi ngày.');
      else items.push(place(ngay, thang, day));
      if (nam.xMin - thang.xMax < measure(month, size, 'italic') + 0.3 * size) problems.push('Dòng ngày ban hành không còn chỗ trống để ghi tháng.');
      else items.push(place(thang, nam, month));
      const yr = rightOf(first.words, nam, 3 * size);
      if (!yr) items.push({ page: 0, x: nam.xMax + 0.3 * size, y, text: year, size, italic: true });
      else if (norm(yr.text).replace(/[.,]$/u, '') !== year) problems.push(`Năm trên dự thảo (${norm(yr.text)}) khác năm ban hành ${year} (ngày ${fmtDay(req.date)}).`);
    }
  }

  // ── ô 7: the authority lines (thẩm quyền ký) must be printed in the signer block
  for (const line of req.authorityLines) {
    if (!pages.some((p) => findLine(p, line))) problems.push(`Khối chữ ký chưa ghi "${line}" (thẩm quyền ký, Điều 13 Nghị định 30/2020).`);
  }
  return { items, problems, defaultPositions: false };
}

function findAfter(page: PdfPageText, w: PdfWord, text: string): PdfWord | undefined {
  const cands = page.words.filter((o) => sameLine(o, w) && o.xMin > w.xMax && o.xMin - w.xMax < 120 && norm(o.text).toLowerCase() === text);
  return cands.sort((a, b) => a.xMin - b.xMin)[0];
}

/**
 * Where the signer's signature image goes: between the last authority/title line and the signer's name
 * (App. I ô 7), centred on the name; else (no text) the default signer block of the last page.
 */
export function signatureRect(pages: readonly PdfPageText[], signerName: string | null, authorityLines: readonly string[]): { page: number; rect: Rect } {
  for (let i = pages.length - 1; i >= 0; i--) {
    const p = pages[i];
    const name = signerName ? findLine(p, signerName) : null;
    if (!name) continue;
    const top = Math.min(...name.map((w) => w.yMin));
    const left = Math.min(...name.map((w) => w.xMin));
    const right = Math.max(...name.map((w) => w.xMax));
    const title = authorityLines.length ? findLine(p, authorityLines[authorityLines.length - 1]) : null;
    const above = title ? Math.max(...title.map((w) => w.yMax)) : top - 70;
    const height = Math.max(30, Math.min(80, top - above - 4));
    const width = Math.min(170, height * 2.2);
    const cx = (left + right) / 2;
    return { page: i, rect: { x: cx - width / 2, y: p.height - (top - 2), width, height } };
  }
  const last = pages.length - 1;
  const p = pages[last] ?? { width: 595, height: 842 };
  const cx = p.width * 0.68;
  const yTop = p.height * 0.36 - authorityLines.length * 16;
  return { page: Math.max(0, last), rect: { x: cx - 75, y: yTop - 70, width: 150, height: 62 } };
}
