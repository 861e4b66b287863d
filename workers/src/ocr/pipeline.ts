/**
 * Digitisation pipeline: input file → pages → (preprocess → OCR → layout → post-correction) per page,
 * in parallel on the engine pool → assemble (text, fields, searchable PDF, thumbnail).
 *
 * Page-level work (`recognisePage`) only needs the page image, so a queue can run the pages of one
 * document as separate jobs and call `assemble` with the results afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { PSM } from 'tesseract.js';
import { detectKind, type InputKind } from './detect';
import { OcrInputError } from './errors';
import { EnginePool, type Box, type OcrLine, type OcrWord, type RecogniseOut } from './engine';
import { uncoveredInk } from './coverage';
import { NativeEngine, nativeTesseractAvailable, type Recogniser, type Rect, type RectRead } from './native-engine';
import { layoutPage, union, type Segment } from './layout';
import { openPdf, type PdfBudget, type PdfHandle, type PdfPageSource, type PdfTextWord } from './pdf';
import { DEFAULT_MAX_PIXELS, DEFAULT_PREPROCESS, isBlank, isSideways, loadGrey, preprocess, reorient, rotateGrey, toPgm, withoutLightInk, type Grey, type Prepared, type PreprocessOptions, type RawInput } from './preprocess';
import { postCorrectLine, type PostCorrectOptions, DEFAULT_POSTCORRECT } from './postcorrect';
import { extractFields, isNoiNhan, type Directory, type ExtractedFields } from './fields';
import { lmCorrectLine, type LmCorrector } from './lm';
import { buildSearchablePdf, writeSearchablePdf, type PdfPageInput, type PdfSource } from './searchable-pdf';

export type OcrWordOut = { text: string; confidence: number; bbox: Box };

export type PageResult = {
  index: number;
  /** pixel size of the page image the boxes refer to */
  width: number;
  height: number;
  dpi: number;
  text: string;
  /** reading-order lines (each with its words) */
  lines: Array<{ text: string; bbox: Box; col: Segment['col']; words: OcrWordOut[] }>;
  words: OcrWordOut[];
  /** mean word confidence 0..100 (100 for a text layer) */
  confidence: number;
  hadTextLayer: boolean;
  /** orientation + deskew applied, degrees */
  rotation: number;
  /** how many times the whole page was recognised: 1, more only when its first reading was not confident (orientation) */
  passes?: number;
  ms: number;
  /** JPEG of the cleaned page (what the searchable PDF shows); absent for text-layer pages and when spooled */
  image?: Buffer;
  /**
   * `digitise` does not hold the page JPEGs until assembly (a 500-page file would keep ~250 MB): each is written
   * to a temporary file as soon as its page is read, and read back one at a time while the PDF is built. The
   * files are removed when `digitise` returns.
   */
  imageFile?: string;
  /** the page JPEG loaded on demand (queue assembly: read from object storage one page at a time) */
  loadImage?: () => Promise<Buffer>;
  /** reading-order segments before post-correction (only with `keepRaw`, for measurements) */
  raw?: Array<{ col: Segment['col']; words: OcrWord[] }>;
};

export type DigitiseResult = {
  kind: InputKind;
  pages: PageResult[];
  text: string;
  fields: ExtractedFields;
  /** the searchable PDF; empty when it was written to `searchablePdfFile` */
  searchablePdf: Buffer;
  thumbnail: Buffer;
  ms: number;
};

export type OcrPoolOptions = {
  /** parallel OCR workers (default env OCR_CONCURRENCY or the number of cores) */
  concurrency?: number;
  /** OCR engine: native `tesseract`, tesseract.js (`wasm`), or `auto` (default env OCR_ENGINE, else auto: native when installed with the languages) */
  engine?: OcrEngineChoice;
  /** CONGVAN_DATA_DIR; the traineddata cache goes to <dataDir>/tesseract-cache */
  dataDir?: string;
  langs?: string[];
  model?: string;
  psm?: PSM;
  maxPages?: number;
  /** per page image, pixels (sharp limitInputPixels); default DEFAULT_MAX_PIXELS */
  maxPixels?: number;
  /** time/memory budget for parsing untrusted PDFs (worker thread); default pdfBudget() */
  pdfBudget?: Partial<PdfBudget>;
  preprocess?: Partial<PreprocessOptions>;
  postCorrect?: Partial<PostCorrectOptions>;
  /** JPEG quality of the page images in the searchable PDF */
  jpegQuality?: number;
  thumbnailWidth?: number;
  /** second reading of the signer block under the stamp (default true) */
  signerPass?: boolean;
  /** which regions the second pass reads again (default all four; `missed`: lines the first reading lost or garbled; benchmark ablations) */
  secondPassRegions?: Array<'header' | 'signer' | 'list' | 'missed'>;
  /** the signer block read again without the stamp's grey ink when it has a stamp (`withoutLightInk`; default true) */
  stampPass?: boolean;
  /** page segmentation for the signer block re-read (default 6, one block; measured better than 11) */
  signerPsm?: PSM;
  /**
   * a header or signer region is read a second time only when the mean confidence of its first reading is
   * below this (0..100; default 101: always). Fixed, not tuned on the corpus.
   */
  rereadBelow?: number;
  /** keep the uncorrected words in PageResult.raw (benchmark ablations) */
  keepRaw?: boolean;
  /**
   * Vietnamese language model for post-correction (`buildLm` from the deployment's own issued documents plus the
   * well-formed syllables, and `learnConfusions`); none by default. Applied after the rule steps of `postCorrect`.
   */
  lm?: LmCorrector | null;
  /** the deployment's agencies and people: an issuer or signer read close to an entry takes its spelling */
  directory?: Directory;
};

export type DigitiseOptions = {
  fileName?: string;
  /** ignored for detection (magic bytes decide); kept for logging */
  mime?: string;
  onPage?: (done: number, total: number) => void;
  /** build the searchable PDF (default true) */
  searchablePdf?: boolean;
  /**
   * write the searchable PDF to this file instead of returning it (`searchablePdf` is then empty): a 500-page scan
   * makes a ~100 MB PDF that would otherwise be held whole in memory
   */
  searchablePdfFile?: string;
};

export type OcrPool = {
  digitise(input: Buffer, opts?: DigitiseOptions): Promise<DigitiseResult>;
  /** Kind and page count (queue jobs split a file into pages with this). */
  inspect(input: Buffer): Promise<{ kind: InputKind; pages: number }>;
  /**
   * One page of an input, OCR'd (or read from its text layer). With `key` (the file's sha256) the parsed file is
   * kept open for the next pages of the same file, and `input` may be a loader called only when it is not open.
   */
  pageOf(input: Buffer | (() => Promise<Buffer>), index: number, key?: string): Promise<PageResult>;
  /** Lets go of the input kept open for `key` (every page of it is read). */
  forget(key: string): Promise<void>;
  /** OCR one page image (encoded image or raw pixels); `index` only labels the result */
  recognisePage(image: Buffer | RawInput, opts?: { index?: number; dpi?: number }): Promise<PageResult>;
  /** one page of a PDF as `openPdf(buf).page(i)` returns it (image → OCR, text layer → kept) */
  recognisePdfPage(src: PdfPageSource, index: number): Promise<PageResult>;
  /** text-layer page (words in PDF points, top-left origin) → PageResult without OCR */
  textLayerPage(words: PdfTextWord[], widthPt: number, heightPt: number, index: number): PageResult;
  /**
   * Text, fields, searchable PDF and thumbnail of recognised pages. `source` (the original file, or a loader called
   * only when a page with a text layer is copied from it); `searchablePdfFile` as in `digitise`.
   */
  assemble(pages: PageResult[], opts?: { source?: PdfSource; fileName?: string; searchablePdf?: boolean; searchablePdfFile?: string }): Promise<Omit<DigitiseResult, 'kind' | 'ms'>>;
  /**
   * Replaces the language model and/or the directory used by the pages and assemblies that start from now on
   * (the worker refreshes them from the deployment's database; a key left out keeps its current value).
   */
  setKnowledge(k: { lm?: LmCorrector | null; directory?: Directory }): void;
  /** The language model and directory in use. */
  knowledge(): { lm: LmCorrector | null; directory: Directory | undefined };
  warm(): Promise<void>;
  close(): Promise<void>;
  readonly concurrency: number;
  /** which engine reads the pages */
  readonly engine: 'native' | 'wasm';
};

const envInt = (name: string): number | undefined => {
  const v = process.env[name];
  const n = v ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

/** CPU milliseconds of `/proc/<pid>/stat` (user + system; `self`'s waited-for children with `children`). */
function statCpuMs(pid: number | 'self', children = false): number {
  try {
    const st = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return (children ? Number(f[13]) + Number(f[14]) : Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return 0;
  }
}

/** OCR_DEBUG: CPU milliseconds spent by the engine's processes so far (finished `tesseract` commands and live hosts). */
function engineCpuMs(engine: Recogniser): number {
  const hosts = (engine as Partial<Pick<NativeEngine, 'hostPids'>>).hostPids?.() ?? [];
  return statCpuMs('self', true) + hosts.reduce((s, pid) => s + statCpuMs(pid), 0);
}

/** Letters of the words read with at least 50 % confidence: how much a reading of a region holds. */
const goodLetters = (ws: OcrWord[]) => ws.filter((w) => w.confidence >= 50).reduce((n, w) => n + (w.text.match(/\p{L}/gu) ?? []).length, 0);

/** Whether box `b`'s middle lies on the row `row` (± 0.3 line heights). */
const onRow = (row: Box, b: Box, lh: number) => (b.y0 + b.y1) / 2 >= row.y0 - lh * 0.3 && (b.y0 + b.y1) / 2 <= row.y1 + lh * 0.3;

/** A first-reading line whose words' mean confidence is below this is read again on its own (0..100). */
const DOUBTFUL_LINE = 60;
/** At most this many such lines per page. */
const MAX_DOUBTFUL = 6;

const meanConf = (ws: OcrWord[]) => (ws.length ? ws.reduce((a, w) => a + w.confidence, 0) / ws.length : 0);

/** The median height of the lines of at least two words: the page's text line height (0 without such lines). */
function bodyLineHeight(lines: OcrLine[]): number {
  const hs = lines.filter((l) => l.words.length >= 2).map((l) => l.bbox.y1 - l.bbox.y0).sort((a, b) => a - b);
  return hs.length ? hs[hs.length >> 1] : 0;
}

/** Whether the centre of `b` lies in `rect`. */
const inRect = (rect: Rect, b: Box) => {
  const cx = (b.x0 + b.x1) / 2;
  const cy = (b.y0 + b.y1) / 2;
  return cx >= rect.left && cx <= rect.left + rect.width && cy >= rect.top && cy <= rect.top + rect.height;
};

export type OcrEngineChoice = 'auto' | 'native' | 'wasm';

/** The engine `choice` (else OCR_ENGINE, else auto) resolves to on this machine; `native` without Tesseract fails. */
export function chooseEngine(choice: OcrEngineChoice | undefined, langs: readonly string[]): 'native' | 'wasm' {
  const c = choice ?? (process.env.OCR_ENGINE as OcrEngineChoice | undefined) ?? 'auto';
  if (c !== 'auto' && c !== 'native' && c !== 'wasm') throw new Error(`OCR_ENGINE must be auto, native or wasm, not ${String(c)}`);
  if (c === 'wasm') return 'wasm';
  const have = nativeTesseractAvailable(langs);
  if (c === 'native' && !have) throw new Error(`OCR_ENGINE=native but \`tesseract\` with ${langs.join('+')} is not installed`);
  return have ? 'native' : 'wasm';
}

export function createOcrPool(o: OcrPoolOptions = {}): OcrPool {
  const concurrency = o.concurrency ?? envInt('OCR_CONCURRENCY') ?? Math.max(1, os.availableParallelism());
  const dataDir = path.resolve(o.dataDir ?? process.env.CONGVAN_DATA_DIR ?? './.data');
  const maxPages = o.maxPages ?? envInt('OCR_MAX_PAGES') ?? 500;
  const maxPixels = o.maxPixels ?? envInt('OCR_MAX_PIXELS') ?? DEFAULT_MAX_PIXELS;
  const pdfBudget = o.pdfBudget ?? {};
  const pre: PreprocessOptions = { ...DEFAULT_PREPROCESS, maxPixels, ...o.preprocess };
  const pc: PostCorrectOptions = { ...DEFAULT_POSTCORRECT, ...o.postCorrect };
  const jpegQuality = o.jpegQuality ?? 60;
  const thumbW = o.thumbnailWidth ?? 300;
  const signerRegion = o.signerPass ?? true;
  const signerPsm = o.signerPsm ?? PSM.SINGLE_BLOCK;
  const stampPass = o.stampPass ?? true;
  const rereadBelow = o.rereadBelow ?? 101;
  const passRegions = new Set(o.secondPassRegions ?? ['header', 'signer', 'list', 'missed']);
  const langs = o.langs ?? ['vie'];
  const psm = o.psm ?? PSM.SINGLE_COLUMN;
  let lm: LmCorrector | null = o.lm ?? null;
  let directory: Directory | undefined = o.directory;
  const baseEngine: Recogniser =
    chooseEngine(o.engine, langs) === 'native'
      ? new NativeEngine({ concurrency, langs, psm })
      : new EnginePool({ concurrency, dataDir, langs, model: o.model ?? '4.0.0_best_int', psm });
  const engine: Recogniser = !process.env.OCR_DEBUG
    ? baseEngine
    : {
        name: baseEngine.name,
        warm: () => baseEngine.warm(),
        close: () => baseEngine.close(),
        async recognise(image, dpi, ro) {
          const t = Date.now();
          const c0 = engineCpuMs(baseEngine);
          const r = await baseEngine.recognise(image, dpi, ro);
          process.stderr.write(`  recognise ${ro?.rect ? `rect ${ro.rect.width}x${ro.rect.height}` : 'page'} psm ${ro?.psm ?? psm}: ${Date.now() - t} ms wall, ${engineCpuMs(baseEngine) - c0} ms engine CPU, conf ${r.confidence.toFixed(0)}\n`);
          return r;
        },
        async recogniseRects(image, dpi, rects, rpsm) {
          const t = Date.now();
          const c0 = engineCpuMs(baseEngine);
          const r = await baseEngine.recogniseRects(image, dpi, rects, rpsm);
          process.stderr.write(`  recognise ${rects.length} rects psm ${rpsm}: ${Date.now() - t} ms wall, ${engineCpuMs(baseEngine) - c0} ms engine CPU\n`);
          return r;
        },
      };

  async function ocrGrey(prepared: Grey & { dpi: number }): Promise<{ lines: OcrLine[]; conf: number }> {
    const r = await engine.recognise(toPgm(prepared), prepared.dpi);
    return { lines: r.lines, conf: meanConf(r.lines.flatMap((l) => l.words)) };
  }

  async function recogniseGrey(g: Grey, index: number, sourceDpi: number | undefined, spool?: string): Promise<PageResult> {
    const t0 = Date.now();
    const p0 = await preprocess(g, { ...pre, sourceDpi });
    const tPre = Date.now();
    if (isBlank(p0)) return finishPage(index, p0, p0.dpi, [], 0, p0.rotation, t0, spool);
    // the page as it comes first; below 60 % confidence the other orientations, the likeliest first
    const first = await ocrGrey(p0);
    let best: { p: Prepared; lines: OcrLine[]; conf: number } = { p: p0, ...first };
    let passes = 1;
    if (pre.orientation && best.conf < 60)
      for (const extra of isSideways(p0) ? [90, -90, 180] : [180, 90, -90]) {
        const p = await reorient(p0, extra, pre.deskew);
        const r = await ocrGrey(p);
        passes++;
        if (r.conf > best.conf + 10) best = { p, ...r };
        if (best.conf >= 60) break;
      }
    const tOcr = Date.now();
    const b = best;
    const lines = await secondPass(b.p, b.lines);
    const res = await finishPage(index, b.p, b.p.dpi, lines, b.conf, b.p.rotation + b.p.skew, t0, spool);
    if (process.env.OCR_DEBUG) process.stderr.write(`page ${index}: pre ${tPre - t0} ocr ${tOcr - tPre} (${passes} passes) second pass+finish ${Date.now() - tOcr} ms\n`);
    return { ...res, passes };
  }

  type Region = { rect: Rect; lh: number; kind?: 'signer' | 'list' | 'missed' };

  /**
   * The second pass: regions that single-column reading gets wrong are read again, each as one block — the
   * two columns of the header (organ | motto), the signer block under the stamp and the "Nơi nhận" list beside
   * it — and what the first reading lost: a text line of ink that no word covers (`uncoveredInk`) and a line read
   * with little confidence (mean under DOUBTFUL_LINE), the latter without its light ink (show-through, a stamp)
   * where it has any. Page segmentation drops or garbles such lines beside the mirrored text of the sheet's back;
   * both kinds are rare (5 of 31 corpus pages) and cheap, and their words are taken only when read confidently.
   * All regions are found from the first reading and recognised in ONE engine call (native: one host request for
   * all of them); a header or signer region is read again only when its first reading is not already confident
   * (`rereadBelow`).
   */
  async function secondPass(p: Grey & { dpi: number }, lines: OcrLine[]): Promise<OcrLine[]> {
    if (!signerRegion) return lines;
    const found = [...(passRegions.has('header') ? headerRegions(p, lines) : []), ...signerRegions(p, lines).filter((r) => passRegions.has(r.kind))];
    const regions: Region[] = found.filter((r) => meanConf(lines.flatMap((l) => l.words).filter((w) => inRect(r.rect, w.bbox))) < rereadBelow);
    // what the first reading left out or got as noise, outside the regions above: text lines of ink no word covers,
    // and lines read with little confidence (read again without light ink — show-through, a stamp — where they have it)
    const lh = bodyLineHeight(lines);
    const crops: Array<Buffer | undefined> = regions.map(() => undefined);
    if (passRegions.has('missed') && lh) {
      const missed = uncoveredInk(p, lines.flatMap((l) => l.words.map((w) => w.bbox)), lh, found.map((r) => r.rect));
      const doubtful = lines
        .filter((l) => l.words.length && meanConf(l.words) < DOUBTFUL_LINE && l.bbox.x1 - l.bbox.x0 >= 3 * lh && l.bbox.y1 - l.bbox.y0 <= 3 * lh)
        .filter((l) => !found.some((r) => inRect(r.rect, l.bbox)))
        .sort((a, b) => meanConf(a.words) - meanConf(b.words))
        .slice(0, MAX_DOUBTFUL);
      for (const rect of missed) {
        regions.push({ rect, lh, kind: 'missed' });
        crops.push(undefined);
      }
      // a garbled line's box may stop short of its ink: such a line is read across the page's text width
      const textLeft = Math.min(...lines.map((l) => l.bbox.x0));
      const textRight = Math.max(...lines.map((l) => l.bbox.x1));
      for (const l of doubtful) {
        const pad = Math.round(lh / 4);
        const left = Math.max(0, Math.min(l.bbox.x0, textLeft) - pad);
        const right = Math.min(p.width, Math.max(l.bbox.x1, textRight) + pad);
        const rect = { left, top: Math.max(0, l.bbox.y0 - pad), width: right - left, height: l.bbox.y1 - l.bbox.y0 + 2 * pad };
        const clean = withoutLightInk(p, rect);
        regions.push({ rect, lh, kind: 'missed' });
        crops.push(clean ? toPgm(clean) : undefined);
      }
      if (process.env.OCR_DEBUG) for (const r of regions.filter((x) => x.kind === 'missed')) process.stderr.write(`  read again: ${JSON.stringify(r.rect)}\n`);
    }
    if (!regions.length) return lines;
    // the signer block once more without the stamp's grey ink, when it has a stamp (in the same engine call: a
    // native process costs ~0.1 s of CPU before it reads anything); kept only where it reads better
    const signer = regions.find((r) => r.kind === 'signer');
    const clean = signer && stampPass ? withoutLightInk(p, signer.rect) : null;
    const rects: RectRead[] = regions.map((r, i) => ({ ...r.rect, crop: crops[i] }));
    if (signer && clean) rects.push({ ...signer.rect, crop: toPgm(clean) });
    const results = await engine.recogniseRects(toPgm(p), p.dpi, rects, signerPsm);
    let out = lines;
    // a line read again across the page's width may reach into the header or signer block: those words are theirs
    const outside = (r: RecogniseOut): RecogniseOut => ({
      ...r,
      lines: r.lines
        .map((l) => ({ ...l, words: l.words.filter((w) => !found.some((f) => inRect(f.rect, w.bbox))) }))
        .filter((l) => l.words.length)
        .map((l) => ({ ...l, bbox: union(l.words) })),
    });
    regions.forEach((r, i) => (out = r.kind === 'missed' ? applyReread(out, r, outside(results[i]), 60) : applyReread(out, r, results[i])));
    if (signer && clean) out = applyRereadByRow(out, signer, results[regions.length]);
    return out;
  }

  /**
   * The signer block sits under a stamp and signature; page segmentation often drops it as an image.
   * The region right of "Nơi nhận" (the signer block) and the list itself: in single-column mode the list
   * lines share rows with the (bigger, bold) signer lines and get garbled.
   */
  function signerRegions(p: Grey & { dpi: number }, lines: OcrLine[]): Array<Region & { kind: 'signer' | 'list' }> {
    const nnLine = lines.find((l) => isNoiNhan(l.words.map((w) => w.text).join(' ')));
    if (!nnLine) return [];
    // the unit of spacing and the region's top: the engine's line (measured best); where the list and its right edge
    // are: the heading's own words — the engine's line may run on into the bigger signer title beside it, and the
    // list then seemed to start below that title's first line
    const lh = nnLine.bbox.y1 - nnLine.bbox.y0;
    const sorted = [...nnLine.words].sort((a, b) => a.bbox.x0 - b.bbox.x0);
    const end = sorted.findIndex((_w, i) => isNoiNhan(sorted.slice(0, i + 1).map((x) => x.text).join(' ')));
    const head = sorted.slice(0, end >= 0 ? end + 1 : 1);
    const nn = { bbox: union(head) };
    // the region starts right of the "Nơi nhận" list: end of the first run of words of each list line
    let listRight = nn.bbox.x0;
    for (const l of lines) {
      if (l.bbox.y0 < nn.bbox.y0 - lh / 2 || l.bbox.y0 > nn.bbox.y0 + p.height * 0.3) continue;
      const ws = [...l.words].sort((a, b) => a.bbox.x0 - b.bbox.x0);
      if (!ws.length || Math.abs(ws[0].bbox.x0 - nn.bbox.x0) > 2 * lh) continue;
      let end = ws[0].bbox.x1;
      for (let i = 1; i < ws.length && ws[i].bbox.x0 - end < 1.6 * lh; i++) end = ws[i].bbox.x1;
      if (end < p.width * 0.62) listRight = Math.max(listRight, end);
    }
    const left = Math.round(Math.max(p.width * 0.45, listRight + lh));
    const top = Math.max(0, Math.round(nnLine.bbox.y0 - lh));
    const height = Math.min(p.height - top, Math.round(p.height * 0.3));
    if (height < 4 * lh) return [];
    const out: Array<Region & { kind: 'signer' | 'list' }> = [{ rect: { left, top, width: p.width - left, height }, lh, kind: 'signer' }];
    let listBottom = nn.bbox.y1;
    for (const l of lines)
      if (l.bbox.y0 > nn.bbox.y0 && l.bbox.y0 < nn.bbox.y0 + p.height * 0.3 && Math.abs(Math.min(...l.words.map((w) => w.bbox.x0)) - nn.bbox.x0) < 2 * lh)
        listBottom = Math.max(listBottom, l.bbox.y1);
    const listLeft = Math.max(0, Math.round(nn.bbox.x0 - lh));
    const listTop = Math.max(0, Math.round(nn.bbox.y1 + lh * 0.1));
    const listRect = { left: listLeft, top: listTop, width: left - Math.round(lh / 2) - listLeft, height: Math.min(p.height - listTop, Math.round(listBottom + lh * 0.6) - listTop) };
    if (listRect.width > 4 * lh && listRect.height > lh) out.push({ rect: listRect, lh, kind: 'list' });
    return out;
  }

  /**
   * The two-column header (organ | national motto) has the same problem as the footer: rows of both
   * columns are read as one line. Each column of the top two-column zone, as a block.
   */
  function headerRegions(p: Grey & { dpi: number }, lines: OcrLine[]): Region[] {
    const lo = layoutPage(lines, p.width);
    const segs: Segment[] = [];
    for (const sg of lo.lines) {
      if (sg.bbox.y0 > p.height * 0.4) break;
      if (sg.col === 'wide') break;
      if (sg.col === 'center' && segs.length) break;
      if (sg.col !== 'center') segs.push(sg);
    }
    const L = segs.filter((x) => x.col === 'left');
    const R = segs.filter((x) => x.col === 'right');
    if (!L.length || !R.length) return [];
    const lh = Math.max(10, Math.round(L.reduce((a, x) => a + (x.bbox.y1 - x.bbox.y0), 0) / L.length));
    const rLeft = Math.min(...R.map((x) => x.bbox.x0));
    const lRight = Math.max(...L.map((x) => x.bbox.x1));
    if (lRight >= rLeft) return [];
    const mid = Math.round((lRight + rLeft) / 2);
    const span = (xs: Segment[]) => ({ top: Math.max(0, Math.min(...xs.map((x) => x.bbox.y0)) - Math.round(lh / 2)), bottom: Math.min(p.height, Math.max(...xs.map((x) => x.bbox.y1)) + Math.round(lh / 2)) });
    const ls = span(L);
    const lx0 = Math.max(0, Math.min(...L.map((x) => x.bbox.x0)) - lh);
    const rs = span(R);
    return [
      { rect: { left: lx0, top: ls.top, width: mid - lx0, height: ls.bottom - ls.top }, lh },
      { rect: { left: mid, top: rs.top, width: Math.min(p.width, Math.max(...R.map((x) => x.bbox.x1)) + lh) - mid, height: rs.bottom - rs.top }, lh },
    ];
  }

  /**
   * The second reading `r` of a region replaces the first one's words there when it holds more confidently
   * read text; first-reading words on rows the second one missed are kept.
   */
  function applyReread(lines: OcrLine[], region: Region, r: RecogniseOut, minConf = 40): OcrLine[] {
    const { rect, lh } = region;
    const good = (ls: OcrLine[]) => goodLetters(ls.flatMap((l) => l.words));
    const before = lines.map((l) => ({ ...l, words: l.words.filter((w) => inRect(rect, w.bbox)) })).filter((l) => l.words.length);
    const after = r.lines.map((l) => ({ ...l, words: l.words.filter((w) => w.confidence >= minConf) })).filter((l) => l.words.length);
    if (good(after) <= good(before)) return lines;
    const rowsAfter = after.map((l) => l.bbox);
    const covered = (b: Box) => rowsAfter.some((r) => onRow(r, b, lh));
    const kept = lines
      .map((l) => ({ ...l, words: l.words.filter((w) => !inRect(rect, w.bbox) || !covered(w.bbox)) }))
      .filter((l) => l.words.length)
      .map((l) => ({ ...l, bbox: union(l.words) }));
    return [...kept, ...after];
  }

  /**
   * Like `applyReread`, row by row: each row of the second reading replaces the words of the current reading on that
   * row when it holds more confidently read letters; a row the second reading holds no better (the signer's name,
   * clear of the stamp either way) keeps its words.
   */
  function applyRereadByRow(lines: OcrLine[], region: Region, r: RecogniseOut): OcrLine[] {
    const { rect, lh } = region;
    const current = lines.flatMap((l) => l.words).filter((w) => inRect(rect, w.bbox));
    const won = r.lines
      .map((l) => ({ ...l, words: l.words.filter((w) => w.confidence >= 40) }))
      .filter((l) => l.words.length && goodLetters(l.words) > goodLetters(current.filter((w) => onRow(l.bbox, w.bbox, lh))));
    if (!won.length) return lines;
    const kept = lines
      .map((l) => ({ ...l, words: l.words.filter((w) => !inRect(rect, w.bbox) || !won.some((a) => onRow(a.bbox, w.bbox, lh))) }))
      .filter((l) => l.words.length)
      .map((l) => ({ ...l, bbox: union(l.words) }));
    return [...kept, ...won];
  }

  async function finishPage(index: number, p: Grey, dpi: number, lines: OcrLine[], conf: number, rotation: number, t0: number, spool?: string): Promise<PageResult> {
    const lo = layoutPage(lines, p.width);
    const outLines = lo.lines.map((s: Segment) => {
      const corrected = postCorrectLine(s.words, pc);
      const words = (lm ? lmCorrectLine(corrected, lm) : corrected).map((w) => ({ text: w.text, confidence: Math.round(w.confidence * 10) / 10, bbox: w.bbox }));
      return { text: words.map((w) => w.text).join(' '), bbox: s.bbox, col: s.col, words };
    });
    const image = await sharp(p.data, { raw: { width: p.width, height: p.height, channels: 1 } })
      .jpeg({ quality: jpegQuality, mozjpeg: false })
      .withMetadata({ density: dpi })
      .toBuffer();
    let imageFile: string | undefined;
    if (spool) {
      imageFile = path.join(spool, `p${index}.jpg`);
      await fs.promises.writeFile(imageFile, image);
    }
    return {
      index,
      width: p.width,
      height: p.height,
      dpi,
      text: outLines.map((l) => l.text).join('\n'),
      lines: outLines,
      words: outLines.flatMap((l) => l.words),
      confidence: Math.round(conf * 10) / 10,
      hadTextLayer: false,
      rotation: Math.round(rotation * 100) / 100,
      ms: Date.now() - t0,
      image: imageFile ? undefined : image,
      imageFile,
      raw: o.keepRaw ? lo.lines.map((s) => ({ col: s.col, words: s.words })) : undefined,
    };
  }

  function textLayerPage(words: PdfTextWord[], widthPt: number, heightPt: number, index: number): PageResult {
    const dpi = 72;
    const lines: OcrLine[] = [];
    // group words into lines by vertical overlap, in y order
    const sorted = [...words].sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0);
    for (const w of sorted) {
      const word = { text: w.text.normalize('NFC'), confidence: 100, bbox: { x0: w.x0, y0: w.y0, x1: w.x1, y1: w.y1 } };
      const l = lines.find((ln) => {
        const o = Math.min(ln.bbox.y1, w.y1) - Math.max(ln.bbox.y0, w.y0);
        return o > 0.5 * Math.min(ln.bbox.y1 - ln.bbox.y0, w.y1 - w.y0);
      });
      if (l) {
        l.words.push(word);
        l.bbox = { x0: Math.min(l.bbox.x0, w.x0), y0: Math.min(l.bbox.y0, w.y0), x1: Math.max(l.bbox.x1, w.x1), y1: Math.max(l.bbox.y1, w.y1) };
      } else lines.push({ words: [word], bbox: { ...word.bbox } });
    }
    const lo = layoutPage(lines, widthPt);
    const outLines = lo.lines.map((s) => ({ text: s.words.map((w) => w.text).join(' '), bbox: s.bbox, col: s.col, words: s.words.map((w) => ({ text: w.text, confidence: 100, bbox: w.bbox })) }));
    return {
      index,
      width: Math.round(widthPt),
      height: Math.round(heightPt),
      dpi,
      text: outLines.map((l) => l.text).join('\n'),
      lines: outLines,
      words: outLines.flatMap((l) => l.words),
      confidence: 100,
      hadTextLayer: true,
      rotation: 0,
      ms: 0,
    };
  }

  async function recognisePage(image: Buffer | RawInput, opts: { index?: number; dpi?: number } = {}): Promise<PageResult> {
    const g = await loadGrey(image, maxPixels);
    return recogniseGrey(g, opts.index ?? 0, opts.dpi ?? g.density);
  }

  async function pdfPage(src: PdfPageSource, index: number, spool?: string): Promise<PageResult> {
    if (src.kind === 'text') return textLayerPage(src.words, src.widthPt, src.heightPt, index);
    const wIn = (src.rotate % 180 === 0 ? src.widthPt : src.heightPt) / 72;
    let g: Grey;
    if (src.kind === 'blank') {
      const width = Math.max(1, Math.round(wIn * 100));
      const height = Math.max(1, Math.round(((src.rotate % 180 === 0 ? src.heightPt : src.widthPt) / 72) * 100));
      if (width * height > maxPixels) throw new OcrInputError('IMAGE_TOO_LARGE', 'Trang PDF quá lớn.');
      g = { data: Buffer.alloc(width * height, 255), width, height };
      return finishPage(index, g, 100, [], 0, 0, Date.now(), spool);
    }
    try {
      g = await loadGrey(src.kind === 'jpeg' ? src.data : { data: src.data, width: src.width, height: src.height, channels: src.channels }, maxPixels);
    } catch (e) {
      if (e instanceof OcrInputError && e.code === 'CORRUPT_IMAGE')
        throw new OcrInputError('CORRUPT_PDF', `Tệp PDF bị hỏng: ảnh của trang ${index + 1} không đọc được (tệp bị cắt cụt?).`, e.detail);
      throw e;
    }
    if (src.rotate) g = await rotateGrey(g, src.rotate);
    const dpi = wIn > 0 ? g.width / wIn : undefined;
    return recogniseGrey(g, index, dpi && dpi > 30 && dpi < 1500 ? dpi : undefined, spool);
  }

  /** Runs `fn` over indices 0..n-1 with at most `limit` in flight, in order of start. */
  async function mapLimited<T>(n: number, limit: number, fn: (i: number) => Promise<T>, onDone?: (done: number) => void): Promise<T[]> {
    const out = new Array<T>(n);
    let next = 0;
    let done = 0;
    let failed: unknown = null;
    const runners = Array.from({ length: Math.min(limit, n) }, async () => {
      while (next < n && !failed) {
        const i = next++;
        try {
          out[i] = await fn(i);
        } catch (e) {
          failed ??= e;
        }
        onDone?.(++done);
      }
    });
    await Promise.all(runners);
    if (failed) throw failed;
    return out;
  }

  async function assemble(pages: PageResult[], opts: { source?: PdfSource; fileName?: string; searchablePdf?: boolean; searchablePdfFile?: string } = {}) {
    const sorted = [...pages].sort((a, b) => a.index - b.index);
    const text = sorted.map((p) => p.text).join('\n');
    const fields = extractFields(sorted.map((p) => ({ lines: p.lines, width: p.width, height: p.height })), directory);
    const imageOf = (p: PageResult): Buffer | (() => Promise<Buffer>) | null => p.image ?? p.loadImage ?? (p.imageFile ? () => fs.promises.readFile(p.imageFile!) : null);
    const pdfPages: PdfPageInput[] = sorted.map((p) => {
      const image = p.hadTextLayer ? null : imageOf(p);
      return !image ? { kind: 'copy', sourceIndex: p.index } : { kind: 'image', image, imageType: 'jpeg', width: p.width, height: p.height, dpi: p.dpi, lines: p.lines };
    });
    let searchablePdf: Buffer = Buffer.alloc(0);
    if (opts.searchablePdf !== false) {
      if (opts.searchablePdfFile) await writeSearchablePdf(pdfPages, opts.searchablePdfFile, opts.source, opts.fileName);
      else searchablePdf = await buildSearchablePdf(pdfPages, opts.source, opts.fileName);
    }
    const first = sorted.map(imageOf).find((x) => x !== null);
    const thumbnail = first
      ? await sharp(typeof first === 'function' ? await first() : first).resize({ width: thumbW }).jpeg({ quality: 70 }).toBuffer()
      : await sharp({ create: { width: thumbW, height: Math.round(thumbW * 1.414), channels: 3, background: '#ffffff' } }).jpeg().toBuffer();
    return { pages: sorted, text, fields, searchablePdf, thumbnail };
  }

  async function digitise(input: Buffer, opts: DigitiseOptions = {}): Promise<DigitiseResult> {
    const t0 = Date.now();
    if (!input.length) throw new OcrInputError('EMPTY_FILE', 'Tệp rỗng (0 byte).');
    const kind = detectKind(input);
    const spool = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'congvan-ocr-pages-'));
    try {
      return await digitiseInto(input, kind, spool, opts, t0);
    } finally {
      await fs.promises.rm(spool, { recursive: true, force: true });
    }
  }

  async function digitiseInto(input: Buffer, kind: InputKind, spool: string, opts: DigitiseOptions, t0: number): Promise<DigitiseResult> {
    let pages: PageResult[];
    let source: Buffer | undefined;
    if (kind === 'pdf') {
      const pdf = await openPdf(input, maxPages, pdfBudget);
      source = input;
      try {
        opts.onPage?.(0, pdf.numPages);
        pages = await mapLimited(pdf.numPages, concurrency + 1, async (i) => pdfPage(await pdf.page(i), i, spool), (d) => opts.onPage?.(d, pdf.numPages));
      } finally {
        await pdf.close();
      }
    } else if (kind === 'jpeg' || kind === 'png' || kind === 'tiff' || kind === 'webp') {
      let n = 1;
      try {
        const meta = await sharp(input, { limitInputPixels: maxPixels }).metadata();
        n = kind === 'tiff' ? (meta.pages ?? 1) : 1;
        if (meta.width && meta.height && meta.width * meta.height > maxPixels)
          throw new OcrInputError('IMAGE_TOO_LARGE', `Ảnh quá lớn (${meta.width}×${meta.height} điểm ảnh): giới hạn ${Math.round(maxPixels / 1e6)} triệu điểm ảnh mỗi trang.`);
      } catch (e) {
        if (e instanceof OcrInputError) throw e;
        const msg = String((e as Error)?.message ?? e);
        if (/pixel limit/i.test(msg)) throw new OcrInputError('IMAGE_TOO_LARGE', `Ảnh quá lớn: giới hạn ${Math.round(maxPixels / 1e6)} triệu điểm ảnh mỗi trang.`, msg);
        throw new OcrInputError('CORRUPT_IMAGE', 'Ảnh bị hỏng hoặc không đọc được.', msg);
      }
      if (n > maxPages) throw new OcrInputError('TOO_MANY_PAGES', `Ảnh TIFF có ${n} trang, vượt giới hạn ${maxPages} trang mỗi tệp.`);
      opts.onPage?.(0, n);
      pages = await mapLimited(
        n,
        concurrency + 1,
        async (i) => {
          const g = await loadGrey(input, maxPixels, i);
          return recogniseGrey(g, i, g.density, spool);
        },
        (d) => opts.onPage?.(d, n),
      );
    } else {
      throw new OcrInputError('UNSUPPORTED_TYPE', 'Định dạng tệp không được hỗ trợ: chỉ nhận PDF, JPEG, PNG, TIFF (nhận diện theo nội dung tệp, không theo tên).');
    }
    // text = at least a few words read with reasonable confidence (a photo or noise gives junk at low confidence)
    const readable = pages.reduce((n, p) => n + p.words.filter((w) => w.confidence >= 60).reduce((m, w) => m + (w.text.match(/[\p{L}\p{N}]/gu) ?? []).length, 0), 0);
    if (readable < 10)
      throw new OcrInputError('NO_TEXT', 'Không nhận dạng được chữ nào trong tệp (trang trắng hoặc ảnh không có chữ).');
    const a = await assemble(pages, { source, fileName: opts.fileName, searchablePdf: opts.searchablePdf, searchablePdfFile: opts.searchablePdfFile });
    return { kind, ...a, ms: Date.now() - t0 };
  }

  /** Kind and page count of an input, checked as digitise checks it (for page-level queue jobs). */
  async function inspect(input: Buffer): Promise<{ kind: InputKind; pages: number }> {
    if (!input.length) throw new OcrInputError('EMPTY_FILE', 'Tệp rỗng (0 byte).');
    const kind = detectKind(input);
    if (kind === 'pdf') {
      const pdf = await openPdf(input, maxPages, pdfBudget);
      try {
        return { kind, pages: pdf.numPages };
      } finally {
        await pdf.close();
      }
    }
    if (kind === 'jpeg' || kind === 'png' || kind === 'tiff' || kind === 'webp') {
      let meta: sharp.Metadata;
      try {
        meta = await sharp(input, { limitInputPixels: maxPixels }).metadata();
      } catch (e) {
        const msg = String((e as Error)?.message ?? e);
        if (/pixel limit/i.test(msg)) throw new OcrInputError('IMAGE_TOO_LARGE', `Ảnh quá lớn: giới hạn ${Math.round(maxPixels / 1e6)} triệu điểm ảnh mỗi trang.`, msg);
        throw new OcrInputError('CORRUPT_IMAGE', 'Ảnh bị hỏng hoặc không đọc được.', msg);
      }
      if (meta.width && meta.height && meta.width * meta.height > maxPixels)
        throw new OcrInputError('IMAGE_TOO_LARGE', `Ảnh quá lớn (${meta.width}×${meta.height} điểm ảnh): giới hạn ${Math.round(maxPixels / 1e6)} triệu điểm ảnh mỗi trang.`);
      const n = kind === 'tiff' ? (meta.pages ?? 1) : 1;
      if (n > maxPages) throw new OcrInputError('TOO_MANY_PAGES', `Ảnh TIFF có ${n} trang, vượt giới hạn ${maxPages} trang mỗi tệp.`);
      return { kind, pages: n };
    }
    throw new OcrInputError('UNSUPPORTED_TYPE', 'Định dạng tệp không được hỗ trợ: chỉ nhận PDF, JPEG, PNG, TIFF (nhận diện theo nội dung tệp, không theo tên).');
  }

  /**
   * Open inputs of page jobs, by key (the file's sha256): the page jobs of one file that run in this process one
   * after the other (or side by side) read and parse it once. Held while in use and for OPEN_IDLE_MS after;
   * at most OPEN_MAX idle files are kept.
   */
  type OpenInput = { input: Buffer; pdf: PdfHandle | null; users: number; idle?: NodeJS.Timeout; forget?: boolean };
  const open = new Map<string, Promise<OpenInput>>();
  const OPEN_IDLE_MS = 120_000;
  const OPEN_MAX = 1;
  const closeOpen = async (key: string) => {
    const p = open.get(key);
    if (!p) return;
    open.delete(key);
    const o = await p.catch(() => null);
    if (o?.idle) clearTimeout(o.idle);
    await o?.pdf?.close();
  };
  async function acquire(key: string, load: () => Promise<Buffer>): Promise<OpenInput> {
    let p = open.get(key);
    if (!p) {
      p = (async () => {
        const input = await load();
        return { input, pdf: detectKind(input) === 'pdf' ? await openPdf(input, maxPages, pdfBudget) : null, users: 0 };
      })();
      open.set(key, p);
      p.catch(() => open.delete(key));
    }
    const o = await p;
    o.users++;
    if (o.idle) clearTimeout(o.idle);
    o.idle = undefined;
    return o;
  }
  function release(key: string, o: OpenInput): void {
    if (--o.users > 0) return;
    if (o.forget) {
      void closeOpen(key);
      return;
    }
    o.idle = setTimeout(() => void closeOpen(key), OPEN_IDLE_MS);
    o.idle.unref();
    // keep at most OPEN_MAX idle inputs (the oldest go first)
    const idle = [...open.keys()].filter((k) => k !== key);
    for (const k of idle.slice(0, Math.max(0, idle.length - OPEN_MAX + 1))) void open.get(k)?.then((x) => (x.users ? undefined : closeOpen(k)));
  }

  /** Drops the open input `key` (at once, or when its last page in flight is done): its pages are all read. */
  async function forget(key: string): Promise<void> {
    const p = open.get(key);
    if (!p) return;
    const o = await p.catch(() => null);
    if (o && o.users > 0) o.forget = true;
    else await closeOpen(key);
  }

  /**
   * Page `index` of an input (PDF page with or without a text layer, TIFF frame, image), as digitise reads it.
   * With `key` (the file's sha256) the input may be a loader, called only when this process has not the file
   * open already.
   */
  async function pageOf(input: Buffer | (() => Promise<Buffer>), index: number, key?: string): Promise<PageResult> {
    if (key) {
      const o = await acquire(key, typeof input === 'function' ? input : async () => input);
      try {
        if (o.pdf) return await pdfPage(await o.pdf.page(index), index);
        const g = await loadGrey(o.input, maxPixels, index);
        return await recogniseGrey(g, index, g.density);
      } finally {
        release(key, o);
      }
    }
    const buf = typeof input === 'function' ? await input() : input;
    const kind = detectKind(buf);
    if (kind === 'pdf') {
      const pdf = await openPdf(buf, maxPages, pdfBudget);
      try {
        return await pdfPage(await pdf.page(index), index);
      } finally {
        await pdf.close();
      }
    }
    const g = await loadGrey(buf, maxPixels, index);
    return recogniseGrey(g, index, g.density);
  }

  return {
    digitise,
    inspect,
    pageOf,
    forget,
    recognisePage,
    recognisePdfPage: pdfPage,
    textLayerPage,
    assemble,
    setKnowledge(k) {
      if (k.lm !== undefined) lm = k.lm;
      if (k.directory !== undefined) directory = k.directory;
    },
    knowledge: () => ({ lm, directory }),
    warm: () => engine.warm(),
    close: async () => {
      for (const k of [...open.keys()]) await closeOpen(k);
      await engine.close();
    },
    concurrency,
    engine: engine.name,
  };
}
