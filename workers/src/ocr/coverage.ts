/**
 * Ink the first reading left out. Tesseract's page segmentation now and then drops a whole text line — next to
 * show-through from the back of the sheet, a stamp or a rule it may take the line for part of an image region —
 * and the words are then simply missing from the result (seen: the closing line "… biết, thực hiện./." of a
 * notice, gone at one scan resolution and read at another). A text line of ink that no recognised word covers is
 * found here, from the pixels alone, so that the second pass can read it as a block of its own.
 *
 * Pure: pixels and boxes in, rectangles out.
 */
import type { Box } from './engine';
import type { Grey } from './preprocess';
import type { Rect } from './native-engine';

export type CoverageOptions = {
  /** grey level below which a pixel is ink (the prepared page: paper white, ink stretched to full contrast) */
  inkBelow: number;
  /** at most this many rectangles per page (each costs a small reading) */
  maxRects: number;
};

export const DEFAULT_COVERAGE: CoverageOptions = { inkBelow: 110, maxRects: 6 };

/**
 * Rectangles around runs of text-line-sized ink that none of `words` covers (each word box widened by a third of
 * a line height) and that lie outside `exclude` (regions read again anyway). `lh` is the page's text line height
 * in pixels. A band of ink counts as a text line when it is 0.4–2.5 line heights tall and its ink runs, word gaps
 * bridged, at least three line heights wide: specks, rules and tall marks (stamps, signatures) are left alone.
 */
export function uncoveredInk(g: Grey, words: Box[], lh: number, exclude: Rect[] = [], opts: CoverageOptions = DEFAULT_COVERAGE): Rect[] {
  const { width: W, height: H } = g;
  if (!(lh > 4) || !W || !H) return [];
  const data = g.data;
  // covered: word boxes (widened) and excluded regions, as a mask
  const covered = new Uint8Array(W * H);
  const mark = (x0: number, y0: number, x1: number, y1: number) => {
    const a = Math.max(0, Math.floor(x0));
    const b = Math.min(W, Math.ceil(x1));
    if (b <= a) return;
    for (let y = Math.max(0, Math.floor(y0)), ye = Math.min(H, Math.ceil(y1)); y < ye; y++) covered.fill(1, y * W + a, y * W + b);
  };
  const pad = lh / 3;
  for (const b of words) mark(b.x0 - pad, b.y0 - pad, b.x1 + pad, b.y1 + pad);
  for (const r of exclude) mark(r.left, r.top, r.left + r.width, r.top + r.height);
  // rows with uncovered ink (every second column is enough to see a text line)
  const rowInk = new Uint32Array(H);
  for (let y = 0; y < H; y++) {
    const row = y * W;
    let n = 0;
    for (let x = 0; x < W; x += 2) if (data[row + x] < opts.inkBelow && !covered[row + x]) n++;
    rowInk[y] = n;
  }
  const minRow = Math.max(3, lh / 4);
  const bands: Array<[number, number]> = [];
  for (let y = 0; y < H; ) {
    if (rowInk[y] < minRow) {
      y++;
      continue;
    }
    let end = y;
    let gap = 0;
    let yy = y + 1;
    for (; yy < H && gap <= lh / 4; yy++) {
      if (rowInk[yy] >= minRow) {
        end = yy;
        gap = 0;
      } else gap++;
    }
    bands.push([y, end + 1]);
    y = end + 1;
  }
  const out: Array<Rect & { ink: number }> = [];
  for (const [y0, y1] of bands) {
    const h = y1 - y0;
    if (h < 0.4 * lh || h > 2.5 * lh) continue;
    // columns with uncovered ink in the band (a column of a stroke, not of a speck: at least 15 % of the band's
    // height), then the widest run of them with word gaps (≤ 1.5 line heights) bridged
    const colInk = new Uint32Array(W);
    for (let y = y0; y < y1; y++) {
      const row = y * W;
      for (let x = 0; x < W; x++) if (data[row + x] < opts.inkBelow && !covered[row + x]) colInk[x]++;
    }
    let best: [number, number, number] | null = null;
    let start = -1;
    let last = -1;
    let ink = 0;
    const close = () => {
      if (start >= 0 && (!best || last - start > best[1] - best[0])) best = [start, last + 1, ink];
    };
    const minCol = Math.max(2, 0.15 * h);
    for (let x = 0; x < W; x++) {
      if (colInk[x] < minCol) continue;
      if (start < 0 || x - last > 1.5 * lh) {
        close();
        start = x;
        ink = 0;
      }
      last = x;
      ink += colInk[x];
    }
    close();
    if (!best) continue;
    const [x0, x1, n] = best as [number, number, number];
    if (x1 - x0 < 3 * lh) continue;
    // a text line is mostly paper between its strokes: a solid bar (a rule drawn thick, a filled box) is not
    if (n > 0.6 * (x1 - x0) * h) continue;
    const left = Math.max(0, Math.round(x0 - lh / 2));
    const top = Math.max(0, Math.round(y0 - lh / 3));
    out.push({ left, top, width: Math.min(W, Math.round(x1 + lh / 2)) - left, height: Math.min(H, Math.round(y1 + lh / 3)) - top, ink: n });
  }
  return out
    .sort((a, b) => b.ink - a.ink)
    .slice(0, opts.maxRects)
    .sort((a, b) => a.top - b.top)
    .map(({ left, top, width, height }) => ({ left, top, width, height }));
}
