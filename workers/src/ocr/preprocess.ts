/**
 * Page image preprocessing for OCR (sharp + small pure-JS passes on the 8-bit grey raster):
 * greyscale → resample to the target resolution → background flattening (uneven paper, edge shadow,
 * show-through) with contrast stretch → light denoise → deskew (projection-profile search, ±5°). The page is
 * read as it comes first: orientation (90/180/270) is decided by the caller from OCR confidence, and only for a
 * page read with low confidence (`reorient`; `isSideways` orders the tries).
 */
import sharp from 'sharp';
import { OcrInputError } from './errors';

sharp.cache(false);

/**
 * Plain Uint8Array view of a Buffer: hot pixel loops index it instead of the Buffer, which is an order
 * of magnitude slower inside some VM contexts (jest).
 */
const u8 = (b: Buffer | Uint8Array) => new Uint8Array(b.buffer, b.byteOffset, b.length);

/** 8-bit single-channel raster. */
export type Grey = { data: Buffer; width: number; height: number };

export type PreprocessOptions = {
  /** scans below this resolution are upsampled to it */
  minDpi: number;
  /** scans above this resolution are downsampled to it */
  maxDpi: number;
  /** resolution of the input when known (JPEG density, PDF page size); otherwise guessed from A4 */
  sourceDpi?: number;
  maxPixels: number;
  flatten: boolean;
  /**
   * after flattening, grey at or above this level becomes white paper (0..255): the mottled paper of hard scans and
   * show-through otherwise stay light grey and make Tesseract drop whole lines
   */
  whiteAbove: number;
  denoise: boolean;
  deskew: boolean;
  /** the caller tries the other orientations when the page as it comes reads with low confidence */
  orientation: boolean;
};

/**
 * Largest page image accepted, in pixels (OCR_MAX_PIXELS overrides). 64 Mpx holds A4 at 600 dpi (35 Mpx) and
 * A3 at 450 dpi; beyond it decoding alone costs over a gigabyte (a 9000×9000 PNG drove a worker to 1.2 GB and
 * failed as INTERNAL: issue "Trust", finding 11), so such images fail at once with IMAGE_TOO_LARGE.
 */
export const DEFAULT_MAX_PIXELS = 64_000_000;

export const DEFAULT_PREPROCESS: PreprocessOptions = {
  minDpi: 190,
  maxDpi: 260,
  maxPixels: DEFAULT_MAX_PIXELS,
  flatten: true,
  whiteAbove: 250,
  denoise: true,
  deskew: true,
  orientation: true,
};

export type Prepared = Grey & {
  dpi: number;
  /** degrees applied (orientation + deskew), for the record */
  rotation: number;
  skew: number;
};

export type RawInput = { data: Buffer; width: number; height: number; channels: 1 | 3 | 4 };

/** Loads any sharp-readable image (or raw pixels) as 8-bit grey, enforcing the pixel limit. */
export async function loadGrey(input: Buffer | RawInput, maxPixels: number, page = 0): Promise<Grey & { density?: number }> {
  try {
    let img: sharp.Sharp;
    let density: number | undefined;
    if (Buffer.isBuffer(input)) {
      img = sharp(input, { limitInputPixels: maxPixels, page, sequentialRead: true, failOn: 'error' });
      const meta = await img.metadata();
      density = meta.density && meta.density > 30 ? meta.density : undefined;
    } else {
      if (input.width * input.height > maxPixels) throw new OcrInputError('IMAGE_TOO_LARGE', tooLargeMsg(input.width, input.height, maxPixels));
      img = sharp(input.data, { raw: { width: input.width, height: input.height, channels: input.channels }, limitInputPixels: maxPixels });
    }
    const { data, info } = await img.flatten({ background: '#ffffff' }).greyscale().raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 1) throw new Error(`expected 1 channel, got ${info.channels}`);
    return { data, width: info.width, height: info.height, density };
  } catch (e) {
    if (e instanceof OcrInputError) throw e;
    const msg = String((e as Error)?.message ?? e);
    if (/pixel limit/i.test(msg)) throw new OcrInputError('IMAGE_TOO_LARGE', tooLargeMsg(0, 0, maxPixels), msg);
    throw new OcrInputError('CORRUPT_IMAGE', 'Ảnh bị hỏng hoặc không đọc được.', msg);
  }
}

const tooLargeMsg = (w: number, h: number, max: number) =>
  `Ảnh quá lớn${w ? ` (${w}×${h} điểm ảnh)` : ''}: giới hạn ${Math.round(max / 1e6)} triệu điểm ảnh mỗi trang.`;

/** Guess the scan resolution from the page size assuming A4/Letter-ish paper (≈ 8.3 in wide). */
export function guessDpi(width: number, height: number): number {
  const shortSide = Math.min(width, height);
  return Math.max(50, Math.round(shortSide / 8.27));
}

export async function preprocess(g: Grey, opts: PreprocessOptions): Promise<Prepared> {
  const srcDpi = opts.sourceDpi ?? guessDpi(g.width, g.height);
  let cur: Grey = g;
  let dpi = srcDpi;
  const want = srcDpi < opts.minDpi ? opts.minDpi : srcDpi > opts.maxDpi ? opts.maxDpi : srcDpi;
  const scale = Math.min(2, want / srcDpi);
  if (Math.abs(scale - 1) > 0.05) {
    const width = Math.max(1, Math.round(g.width * scale));
    const height = Math.max(1, Math.round(g.height * scale));
    const data = await sharp(g.data, { raw: { width: g.width, height: g.height, channels: 1 } })
      .resize(width, height, { kernel: scale > 1 ? 'cubic' : 'lanczos3' })
      .toColourspace('b-w')
      .raw()
      .toBuffer();
    cur = { data, width, height };
    dpi = srcDpi * scale;
  }
  if (opts.flatten) cur = flattenBackground(cur, opts.whiteAbove);

  if (opts.denoise) cur = median3(cur);
  let skew = 0;
  if (opts.deskew) {
    skew = estimateSkew(cur);
    if (Math.abs(skew) >= 0.1) cur = await rotateGrey(cur, -skew);
  }
  return { ...cur, dpi, rotation: 0, skew };
}

/**
 * The prepared page turned by `degrees` (90, 180, -90) and deskewed again: the deskew of the page as it came was
 * measured on lines that were not horizontal. A projection profile alone does not decide orientation: a sparse
 * last page (two columns, "Nơi nhận" | signer) or an edge shadow looks "sideways" to it, and such pages were read
 * three times before the first confident reading.
 */
export async function reorient(p: Prepared, degrees: number, deskew = true): Promise<Prepared> {
  let cur = await rotateGrey(p, degrees);
  let skew = 0;
  if (deskew && degrees % 180 !== 0) {
    skew = estimateSkew(cur);
    if (Math.abs(skew) >= 0.1) cur = await rotateGrey(cur, -skew);
  }
  return { ...cur, dpi: p.dpi, rotation: p.rotation + degrees, skew: p.skew + skew };
}

export async function rotateGrey(g: Grey, degrees: number): Promise<Grey> {
  const { data, info } = await sharp(g.data, { raw: { width: g.width, height: g.height, channels: 1 } })
    .rotate(degrees, { background: { r: 255, g: 255, b: 255 } })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels === 1) return { data, width: info.width, height: info.height };
  // sharp may hand back extra channels after rotate with a background: keep the first
  const out = new Uint8Array(info.width * info.height);
  const src = u8(data);
  for (let i = 0; i < out.length; i++) out[i] = src[i * info.channels];
  return { data: Buffer.from(out.buffer), width: info.width, height: info.height };
}

/**
 * Divides by a smooth estimate of the paper (90th percentile per block, then interpolated), so that
 * uneven paper, edge shadow and faint show-through become white while ink keeps its darkness;
 * then stretches the ink range to full contrast.
 */
export function flattenBackground(g: Grey, whiteAbove = 250): Grey {
  const { width: W, height: H } = g;
  const data = u8(g.data);
  const B = Math.max(16, Math.round(Math.min(W, H) / 48));
  const bw = Math.ceil(W / B);
  const bh = Math.ceil(H / B);
  const bg = new Float32Array(bw * bh);
  const hist = new Uint32Array(256);
  for (let by = 0; by < bh; by++) {
    for (let bx = 0; bx < bw; bx++) {
      hist.fill(0);
      const x0 = bx * B;
      const y0 = by * B;
      const x1 = Math.min(W, x0 + B);
      const y1 = Math.min(H, y0 + B);
      let n = 0;
      for (let y = y0; y < y1; y += 2) {
        const row = y * W;
        for (let x = x0; x < x1; x += 2) {
          hist[data[row + x]]++;
          n++;
        }
      }
      const target = n * 0.1;
      let acc = 0;
      let v = 255;
      for (; v > 0; v--) {
        acc += hist[v];
        if (acc >= target) break;
      }
      bg[by * bw + bx] = v;
    }
  }
  // a block full of ink (big bold title, stamp) has a dark percentile: take the max of the 3×3 neighbourhood
  const bg2 = new Float32Array(bw * bh);
  for (let by = 0; by < bh; by++)
    for (let bx = 0; bx < bw; bx++) {
      let m = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const yy = by + dy;
          const xx = bx + dx;
          if (yy >= 0 && yy < bh && xx >= 0 && xx < bw) m = Math.max(m, bg[yy * bw + xx]);
        }
      bg2[by * bw + bx] = Math.max(m, 40);
    }
  // a plain Uint8Array for the hot loop (Buffer index writes are much slower in some VM contexts, e.g. jest)
  const out = new Uint8Array(W * H);
  const src = data;
  // ink level: 1st percentile of the normalised image, found on a subsample
  const histN = new Uint32Array(256);
  // bilinear interpolation tables per column (no Math.* calls in the pixel loop: they are slow under jest's VM)
  const ix0 = new Int32Array(W);
  const ix1 = new Int32Array(W);
  const txs = new Float32Array(W);
  for (let x = 0; x < W; x++) {
    const fx = Math.min(bw - 1, Math.max(0, (x + 0.5) / B - 0.5));
    ix0[x] = Math.floor(fx);
    ix1[x] = Math.min(bw - 1, ix0[x] + 1);
    txs[x] = fx - ix0[x];
  }
  // the background interpolated along the two block rows around y, once per pair of block rows (the same values,
  // in doubles, as interpolating per pixel)
  const rowA = new Float64Array(W);
  const rowC = new Float64Array(W);
  let rowsOf = -1;
  for (let y = 0; y < H; y++) {
    const fy = Math.min(bh - 1, Math.max(0, (y + 0.5) / B - 0.5));
    const iy = Math.floor(fy);
    const ty = fy - iy;
    const iy2 = Math.min(bh - 1, iy + 1);
    if (iy !== rowsOf) {
      rowsOf = iy;
      const r0 = iy * bw;
      const r1 = iy2 * bw;
      for (let x = 0; x < W; x++) {
        const a = ix0[x];
        const c = ix1[x];
        const tx = txs[x];
        rowA[x] = bg2[r0 + a] * (1 - tx) + bg2[r0 + c] * tx;
        rowC[x] = bg2[r1 + a] * (1 - tx) + bg2[r1 + c] * tx;
      }
    }
    const sampleRow = (y & 3) === 0;
    for (let x = 0; x < W; x++) {
      const b = rowA[x] * (1 - ty) + rowC[x] * ty;
      let v = ((src[y * W + x] * 255) / b + 0.5) | 0;
      if (v > 255) v = 255;
      out[y * W + x] = v;
      if (sampleRow && (x & 3) === 0) histN[v]++;
    }
  }
  let total = 0;
  for (let v = 0; v < 255; v++) total += histN[v];
  // darkest 1.5 % of the non-white pixels → black
  let acc = 0;
  let lo = 0;
  for (; lo < 200; lo++) {
    acc += histN[lo];
    if (acc >= total * 0.015) break;
  }
  const hi = Math.max(128, Math.min(255, whiteAbove));
  if (lo > 0 && lo < hi - 40) {
    const lut = new Uint8Array(256);
    for (let v = 0; v < 256; v++) lut[v] = v <= lo ? 0 : v >= hi ? 255 : (((v - lo) * 255) / (hi - lo) + 0.5) | 0;
    for (let i = 0; i < out.length; i++) out[i] = lut[out[i]];
  } else {
    for (let i = 0; i < out.length; i++) if (out[i] >= hi) out[i] = 255;
  }
  return { data: Buffer.from(out.buffer, out.byteOffset, out.length), width: W, height: H };
}

/**
 * 3×3 median (the same result as libvips' `median(3)`, edges kept). Each column's three pixels of a row are sorted
 * once and shared by the three windows over them (rolled along the row in locals); a window's median is then the
 * median of the largest of its columns' minima, the median of their middles and the smallest of their maxima
 * (Paeth's 3×3 median). A third less CPU than a 19-exchange sorting network per pixel, which matters because a
 * flattened scan keeps little pure white to skip (70–80 % of the pixels of a photocopied page are not 255).
 */
export function median3(g: Grey): Grey {
  const { width: W, height: H } = g;
  const src = u8(g.data);
  const out = new Uint8Array(W * H);
  out.set(src);
  for (let y = 1; y < H - 1; y++) {
    const r = y * W;
    // the window's three columns, each sorted (l ≤ m ≤ h), rolled along the row
    let a = src[r - W], b = src[r], c = src[r + W], t: number;
    if (a > b) { t = a; a = b; b = t; }
    if (b > c) { t = b; b = c; c = t; }
    if (a > b) { t = a; a = b; b = t; }
    let l0 = a, m0 = b, h0 = c;
    a = src[r - W + 1]; b = src[r + 1]; c = src[r + W + 1];
    if (a > b) { t = a; a = b; b = t; }
    if (b > c) { t = b; b = c; c = t; }
    if (a > b) { t = a; a = b; b = t; }
    let l1 = a, m1 = b, h1 = c;
    for (let x = 1; x < W - 1; x++) {
      a = src[r - W + x + 1]; b = src[r + x + 1]; c = src[r + W + x + 1];
      if (a > b) { t = a; a = b; b = t; }
      if (b > c) { t = b; b = c; c = t; }
      if (a > b) { t = a; a = b; b = t; }
      const l = Math.max(l0, l1, a);
      const h = Math.min(h0, h1, c);
      let p = m0, q = m1;
      if (p > q) { t = p; p = q; q = t; }
      if (q > b) q = b;
      const m = p > q ? p : q;
      out[r + x] = l > m ? (m > h ? m : l > h ? h : l) : l > h ? l : m > h ? h : m;
      l0 = l1; m0 = m1; h0 = h1;
      l1 = a; m1 = b; h1 = c;
    }
  }
  return { data: Buffer.from(out.buffer, out.byteOffset, out.length), width: W, height: H };
}

/** Dark pixels of a ~1000 px wide downsample, as coordinates (for the projection profiles). */
function darkPoints(g: Grey): { xs: Float32Array; ys: Float32Array; n: number; w: number; h: number } {
  const data = u8(g.data);
  const step = Math.max(1, Math.round(Math.max(g.width, g.height) / 1400));
  const w = Math.floor(g.width / step);
  const h = Math.floor(g.height / step);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let y = 0; y < h; y++) {
    const row = y * step * g.width;
    for (let x = 0; x < w; x++) {
      if (data[row + x * step] < 128) {
        xs.push(x);
        ys.push(y);
      }
    }
  }
  return { xs: Float32Array.from(xs), ys: Float32Array.from(ys), n: xs.length, w, h };
}

function profileScore(p: { xs: Float32Array; ys: Float32Array; n: number; w: number; h: number }, deg: number, vertical = false): number {
  const a = (deg * Math.PI) / 180;
  const s = Math.sin(a);
  const c = Math.cos(a);
  const size = Math.ceil(Math.hypot(p.w, p.h)) + 2;
  const bins = new Float64Array(size * 2);
  const off = size;
  for (let i = 0; i < p.n; i++) {
    const x = p.xs[i];
    const y = p.ys[i];
    const v = vertical ? x * c + y * s : y * c - x * s;
    bins[(v + off + 0.5) | 0]++;
  }
  let sum = 0;
  for (let i = 1; i < bins.length; i++) {
    const d = bins[i] - bins[i - 1];
    sum += d * d;
  }
  return sum;
}

/** Skew in degrees in [-5, 5]: positive = content turned clockwise (lines descend to the right); undo with rotate(-skew). */
export function estimateSkew(g: Grey): number {
  const p = darkPoints(g);
  if (p.n < 200) return 0;
  let best = 0;
  let bestScore = -1;
  for (let d = -5; d <= 5.0001; d += 0.25) {
    const sc = profileScore(p, d);
    if (sc > bestScore) {
      bestScore = sc;
      best = d;
    }
  }
  const c = best;
  for (let d = c - 0.25; d <= c + 0.25001; d += 0.05) {
    const sc = profileScore(p, d);
    if (sc > bestScore) {
      bestScore = sc;
      best = d;
    }
  }
  return Math.round(best * 100) / 100;
}

/** Fraction of empty bins between the first and last non-empty bin of the projection at angle `deg`. */
function blankFraction(p: { xs: Float32Array; ys: Float32Array; n: number; w: number; h: number }, deg: number, vertical: boolean): number {
  const a = (deg * Math.PI) / 180;
  const s = Math.sin(a);
  const c = Math.cos(a);
  const size = Math.ceil(Math.hypot(p.w, p.h)) + 2;
  const bins = new Uint32Array(size * 2);
  for (let i = 0; i < p.n; i++) {
    const v = vertical ? p.xs[i] * c + p.ys[i] * s : p.ys[i] * c - p.xs[i] * s;
    bins[(v + size + 0.5) | 0]++;
  }
  // dust: a bin counts as ink only with ≥ 10 % of the 90th-percentile bin count
  const nz = Array.from(bins).filter((b) => b > 0).sort((x, y) => x - y);
  if (!nz.length) return 0;
  const min = Math.max(2, nz[Math.floor(nz.length * 0.9)] * 0.1);
  let first = -1;
  let last = -1;
  for (let i = 0; i < bins.length; i++)
    if (bins[i] >= min) {
      if (first < 0) first = i;
      last = i;
    }
  if (first < 0 || last <= first) return 0;
  let blank = 0;
  for (let i = first; i <= last; i++) if (bins[i] < min) blank++;
  return blank / (last - first + 1);
}

/**
 * True when the text lines run vertically (page scanned at 90° or 270°): horizontal text leaves many
 * empty rows between lines but hardly any empty columns; sideways text the other way round.
 */
export function isSideways(g: Grey): boolean {
  const p = darkPoints(g);
  if (p.n < 500) return false;
  let h = 0;
  let v = 0;
  for (let d = -5; d <= 5.001; d += 0.5) {
    h = Math.max(h, blankFraction(p, d, false));
    v = Math.max(v, blankFraction(p, d, true));
  }
  return v > 0.15 && v > 2 * h;
}

/** Encodes a grey raster as binary PGM (P5): the cheapest format for Leptonica to read. */
export function toPgm(g: Grey): Buffer {
  const header = Buffer.from(`P5\n${g.width} ${g.height}\n255\n`, 'latin1');
  return Buffer.concat([header, g.data]);
}

/**
 * The rectangle `rect` of the page cut out with its light ink removed, or null when the rectangle holds no more
 * light ink than text has at its edges. Two kinds of light ink cover text on the scans: the stamp (đóng dấu, red in
 * the original; Decree 30 art. 33 puts it over the signature, across the left third of it and the signer's title)
 * and show-through, the mirrored text of the sheet's back seen through the paper. Both print lighter than the black
 * text: the dark pixels of the region split in two by Otsu's threshold, and light ink shows as more mid-grey pixels
 * (above the threshold) than text-dark ones — text alone has only its anti-aliased edges there (0.5–0.9 of its dark
 * pixels on the corpus scans, 2.2 with a stamp). Pixels above the threshold become white, so the text under the
 * ring or between the mirrored lines reads as printed. The crop starts at (floor(left), floor(top)), clipped to
 * the page, as `cropPgm` cuts it.
 */
export function withoutLightInk(g: Grey, rect: { left: number; top: number; width: number; height: number }, minRatio = 1.2): Grey | null {
  const data = u8(g.data);
  const x0 = Math.max(0, Math.min(g.width, Math.floor(rect.left)));
  const y0 = Math.max(0, Math.min(g.height, Math.floor(rect.top)));
  const x1 = Math.max(x0, Math.min(g.width, Math.ceil(rect.left + rect.width)));
  const y1 = Math.max(y0, Math.min(g.height, Math.ceil(rect.top + rect.height)));
  const BG = 220;
  const hist = new Float64Array(256);
  let n = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) {
      const v = data[y * g.width + x];
      if (v < BG) {
        hist[v]++;
        n++;
      }
    }
  if (n < 500) return null;
  let sum = 0;
  for (let i = 0; i < BG; i++) sum += i * hist[i];
  let sB = 0;
  let wB = 0;
  let best = 0;
  let T = 0;
  for (let i = 0; i < BG; i++) {
    wB += hist[i];
    if (!wB) continue;
    const wF = n - wB;
    if (!wF) break;
    sB += i * hist[i];
    const between = wB * wF * (sB / wB - (sum - sB) / wF) ** 2;
    if (between > best) {
      best = between;
      T = i;
    }
  }
  let dark = 0;
  for (let i = 0; i <= T; i++) dark += hist[i];
  if (!dark || (n - dark) / dark < minRatio) return null;
  const cw = x1 - x0;
  const out = Buffer.alloc(cw * (y1 - y0));
  for (let y = y0; y < y1; y++)
    for (let x = x0, i = y * g.width + x0, o = (y - y0) * cw; x < x1; x++, i++, o++) out[o] = data[i] > T ? 255 : data[i];
  return { data: out, width: cw, height: y1 - y0 };
}

/** True when the page has (almost) no ink at all. */
export function isBlank(g: Grey): boolean {
  const data = u8(g.data);
  let dark = 0;
  const step = 3;
  let n = 0;
  for (let y = 0; y < g.height; y += step)
    for (let x = 0; x < g.width; x += step) {
      n++;
      if (data[y * g.width + x] < 100) dark++;
    }
  return dark / n < 0.0004;
}
