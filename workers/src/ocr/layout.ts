/**
 * Reading order for Decree 30 pages (pure functions).
 *
 * Tesseract reads the two-column header (organ | national motto) and footer (Nơi nhận | signer) row by
 * row and sometimes merges both columns into one line. We split lines at wide gaps into segments,
 * classify each segment as wide / left / right / centre relative to the text block, and emit every run
 * of column segments as "left column top-to-bottom, then right column".
 */
import type { Box, OcrLine, OcrWord } from './engine';
import { isNoiNhan } from './fields';

export type Segment = { words: OcrWord[]; bbox: Box; col: 'wide' | 'left' | 'right' | 'center' };
export type LaidOut = { lines: Segment[]; words: OcrWord[]; text: string };

/** The box around `ws`' boxes. */
export const union = (ws: { bbox: Box }[]): Box => ({
  x0: Math.min(...ws.map((w) => w.bbox.x0)),
  y0: Math.min(...ws.map((w) => w.bbox.y0)),
  x1: Math.max(...ws.map((w) => w.bbox.x1)),
  y1: Math.max(...ws.map((w) => w.bbox.y1)),
});

const median = (a: number[]) => {
  if (!a.length) return 0;
  const s = [...a].sort((x, y) => x - y);
  return s[Math.floor(s.length / 2)];
};

/** Splits a recognised line wherever the horizontal gap between two words is much wider than a space. */
export function splitAtGaps(line: OcrLine): OcrWord[][] {
  const ws = [...line.words].sort((a, b) => a.bbox.x0 - b.bbox.x0);
  const h = median(ws.map((w) => w.bbox.y1 - w.bbox.y0)) || 1;
  const parts: OcrWord[][] = [];
  let cur: OcrWord[] = [];
  for (const w of ws) {
    const prev = cur[cur.length - 1];
    if (prev && (w.bbox.x0 - prev.bbox.x1 > Math.max(1.6 * h, 30) || startsMotto(w, ws[ws.indexOf(w) + 1]))) {
      parts.push(cur);
      cur = [];
    }
    cur.push(w);
  }
  if (cur.length) parts.push(cur);
  return parts;
}

const plain = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

/** The national motto starts here ("CỘNG HÒA …", "Độc lập …"): the right header column, never a continuation. */
function startsMotto(w: OcrWord, next: OcrWord | undefined): boolean {
  const a = plain(w.text);
  const b = next ? plain(next.text) : '';
  return (a === 'cong' && b.startsWith('hoa')) || a === 'conghoa' || (a === 'doc' && b.startsWith('lap')) || a.startsWith('doclap');
}

/** Junk from dust, stamps and page edges: a low-confidence token without a letter or digit. */
export function isNoiseWord(w: OcrWord): boolean {
  const t = w.text.trim();
  if (!t) return true;
  const alnum = (t.match(/[\p{L}\p{N}]/gu) ?? []).length;
  if (alnum === 0) return w.confidence < 60 || !/^[-–—.,;:!?…()"“”'/%+=*]+$/.test(t);
  if (w.confidence < 25 && alnum <= 2) return true;
  return false;
}

/**
 * A word read with low confidence that sits in a run of text — a word space after a confidently read word of its
 * height — is text that printed small or was partly covered ("- UBND huyện (b/c);" with "(b/c);" at 24 %), not
 * dust: dust and stamp debris stand apart from the words.
 */
export function inTextRun(words: OcrWord[], i: number): boolean {
  const w = words[i];
  const prev = words[i - 1];
  if (!prev || prev.confidence < 80 || isNoiseWord(prev)) return false;
  const h = prev.bbox.y1 - prev.bbox.y0;
  const hw = w.bbox.y1 - w.bbox.y0;
  const gap = w.bbox.x0 - prev.bbox.x1;
  return gap >= 0 && gap <= 0.6 * h && hw >= 0.6 * h && hw <= 1.5 * h && /[\p{L}\p{N}]/u.test(w.text);
}

export function layoutPage(lines: OcrLine[], pageWidth: number): LaidOut {
  const segs: Segment[] = [];
  for (const l of lines) {
    for (const part of splitAtGaps(l)) {
      const words = part.filter((w, i) => !isNoiseWord(w) || inTextRun(part, i));
      if (!words.length) continue;
      // a segment that is only noise-ish short tokens with low confidence is dropped entirely
      const conf = words.reduce((s, w) => s + w.confidence, 0) / words.length;
      const letters = words.map((w) => w.text).join('').replace(/[^\p{L}\p{N}]/gu, '').length;
      if (conf < 35 && letters <= 3) continue;
      // stamp / signature debris: one or two stray characters read with middling confidence
      if (letters <= 2 && conf < 75 && !/^\d+$/.test(words.map((w) => w.text).join(''))) continue;
      segs.push({ words, bbox: union(words), col: 'wide' });
    }
  }
  if (!segs.length) return { lines: [], words: [], text: '' };

  // text block: left/right edges of the long lines (body text), falling back to all segments
  const long = segs.filter((s) => s.bbox.x1 - s.bbox.x0 > pageWidth * 0.45);
  const L = long.length >= 3 ? median(long.map((s) => s.bbox.x0)) : Math.min(...segs.map((s) => s.bbox.x0));
  const R = long.length >= 3 ? median(long.map((s) => s.bbox.x1)) : Math.max(...segs.map((s) => s.bbox.x1));
  const tw = Math.max(1, R - L);
  for (const s of segs) {
    const rx0 = (s.bbox.x0 - L) / tw;
    const rx1 = (s.bbox.x1 - L) / tw;
    const rcx = (rx0 + rx1) / 2;
    if (rx1 - rx0 > 0.7) s.col = 'wide';
    else if (rx1 < 0.56 && rcx < 0.4) s.col = 'left';
    else if (rx0 > 0.45 || (rx0 > 0.3 && rcx > 0.58)) s.col = 'right';
    else s.col = 'center';
  }

  // sort by vertical position (centre), then emit runs of column segments left-then-right
  const sorted = [...segs].sort((a, b) => (a.bbox.y0 + a.bbox.y1) / 2 - (b.bbox.y0 + b.bbox.y1) / 2 || a.bbox.x0 - b.bbox.x0);
  const out: Segment[] = [];
  let zone: Segment[] = [];
  const flush = () => {
    const hasL = zone.some((s) => s.col === 'left');
    const hasR = zone.some((s) => s.col === 'right');
    if (hasL && hasR) {
      out.push(...zone.filter((s) => s.col === 'left'), ...zone.filter((s) => s.col === 'right'));
    } else out.push(...zone);
    zone = [];
  };
  for (const s of sorted) {
    if (s.col === 'left' || s.col === 'right') zone.push(s);
    else {
      flush();
      out.push(s);
    }
  }
  flush();
  // merge segments on the same row in the same column (tesseract sometimes splits a line in two)
  const merged: Segment[] = [];
  for (const s of out) {
    const p = merged[merged.length - 1];
    if (p && p.col === s.col && overlapY(p.bbox, s.bbox) > 0.5 && s.bbox.x0 >= p.bbox.x1 - 5) {
      p.words.push(...s.words);
      p.bbox = union(p.words);
    } else merged.push({ ...s, words: [...s.words] });
  }
  const laidOut = restoreListDashes(merged);
  const words = laidOut.flatMap((s) => s.words);
  const text = laidOut.map((s) => s.words.map((w) => w.text).join(' ')).join('\n');
  return { lines: laidOut, words, text };
}

/**
 * Every item of the "Nơi nhận" list starts with a dash (Decree 30/2020, appendix I); OCR often loses it on a
 * worn scan, or reads it as another mark. An item line (left column, under the heading, starting with a capital)
 * that begins indented by about a dash's width from the heading's left edge, without the dash, gets it back; a
 * lone mark in the dash's place (":", ".", "~") becomes the dash. Wrapped items continue in lower case and are
 * left alone.
 */
export function restoreListDashes<S extends { col: Segment['col']; words: OcrWord[] }>(segs: S[]): S[] {
  const at = segs.findIndex((s) => s.col !== 'right' && s.words.length && isNoiNhan(s.words.map((w) => w.text).join(' ')));
  if (at < 0) return segs;
  const head = union(segs[at].words);
  const lh = Math.max(1, head.y1 - head.y0);
  const out = segs.slice(0, at + 1);
  let i = at + 1;
  for (; i < segs.length; i++) {
    const s = segs[i];
    if (s.col === 'wide' || s.col === 'center') break;
    const box = s.words.length ? union(s.words) : null;
    if (!box || s.col === 'right' || box.x0 < head.x0 - lh) {
      out.push(s);
      continue;
    }
    const [first, second] = s.words;
    const indent = box.x0 - head.x0;
    if (/^[:;.,~_·]$/.test(first.text) && second && /^\p{Lu}/u.test(second.text)) {
      out.push({ ...s, words: [{ ...first, text: '-' }, ...s.words.slice(1)] });
    } else if (/^\p{Lu}/u.test(first.text) && indent > 0.3 * lh && indent < 1.6 * lh) {
      const dash: OcrWord = { ...first, text: '-', confidence: 50, bbox: { ...first.bbox, x0: Math.round(head.x0), x1: Math.round(head.x0 + 0.4 * lh) } };
      out.push({ ...s, words: [dash, ...s.words], ...('bbox' in s ? { bbox: union([dash, ...s.words]) } : {}) });
    } else out.push(s);
  }
  return [...out, ...segs.slice(i)];
}

function overlapY(a: Box, b: Box): number {
  const o = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  return o / Math.max(1, Math.min(a.y1 - a.y0, b.y1 - b.y0));
}
