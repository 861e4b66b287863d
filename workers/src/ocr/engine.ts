/**
 * tesseract.js 7 worker pool, fully offline: traineddata from @tesseract.js-data/<lang>/<model>
 * (gzip), unpacked once into <dataDir>/tesseract-cache/<model>/tessdata. Workers are created once and reused;
 * each runs the single-threaded wasm core in its own worker thread, so the pool size is the parallelism.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { createWorker, OEM, PSM, type Worker as TWorker, type Page } from 'tesseract.js';
import { cropPgm, type RectRead } from './native-engine';

export type OcrLine = { words: OcrWord[]; bbox: Box; baseline?: { x0: number; y0: number; x1: number; y1: number } };
export type Box = { x0: number; y0: number; x1: number; y1: number };
export type OcrWord = { text: string; confidence: number; bbox: Box; choices?: string[] };

export type EngineOptions = {
  concurrency: number;
  dataDir: string;
  langs: string[];
  /** '4.0.0_best_int' (LSTM only, smaller) or '4.0.0' */
  model: string;
  psm: PSM;
};

export type RecogniseOut = { lines: OcrLine[]; confidence: number };

/** The longest one recognise call may take before its worker is considered broken (a page takes ~3 s). */
const JOB_TIMEOUT_MS = Number(process.env.OCR_JOB_TIMEOUT_MS) || 180_000;

function langPathFor(lang: string, model: string): string {
  const pkg = path.dirname(require.resolve(`@tesseract.js-data/${lang}/package.json`));
  const p = path.join(pkg, model);
  if (!fs.existsSync(path.join(p, `${lang}.traineddata.gz`))) throw new Error(`OCR model missing: ${p}/${lang}.traineddata.gz`);
  return p;
}

/**
 * The uncompressed traineddata of `langs` in `<cachePath>/tessdata`, each written to a temporary file and renamed
 * into place. Several processes start OCR at once (API, workers, the CLI import): tesseract.js's own cache writes
 * the file in place, so a process starting while another was still writing read a truncated model ("Error
 * opening data file ./vie.traineddata", then a crash). A rename is atomic: a reader sees no file or the whole one.
 */
export function unpackedModels(langs: readonly string[], model: string, cachePath: string): string {
  const dir = path.join(cachePath, 'tessdata');
  fs.mkdirSync(dir, { recursive: true });
  for (const lang of langs) {
    const dst = path.join(dir, `${lang}.traineddata`);
    if (fs.existsSync(dst)) continue;
    const tmp = `${dst}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.part`;
    try {
      fs.writeFileSync(tmp, zlib.gunzipSync(fs.readFileSync(path.join(langPathFor(lang, model), `${lang}.traineddata.gz`))));
      fs.renameSync(tmp, dst);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  return dir;
}

export class EnginePool {
  readonly name = 'wasm' as const;
  private idle: TWorker[] = [];
  private all: Promise<TWorker>[] = [];
  private waiters: Array<(w: TWorker) => void> = [];
  private closed = false;
  /** Each worker's creation promise (the entry in `all`), to drop it when the worker is replaced. */
  private created = new Map<TWorker, Promise<TWorker>>();

  constructor(readonly opts: EngineOptions) {}

  private async create(): Promise<TWorker> {
    const { langs, model, dataDir } = this.opts;
    if (path.isAbsolute(model)) {
      // a directory of uncompressed .traineddata (e.g. Debian's /usr/share/tesseract-ocr/5/tessdata)
      const w = await createWorker(langs.join('+'), OEM.LSTM_ONLY, { langPath: model, gzip: false, cacheMethod: 'none', errorHandler: () => undefined });
      await w.setParameters({ tessedit_pageseg_mode: this.opts.psm });
      return w;
    }
    const cachePath = path.resolve(dataDir, 'tesseract-cache', model);
    const w = await createWorker(langs.join('+'), OEM.LSTM_ONLY, {
      langPath: unpackedModels(langs, model, cachePath),
      gzip: false,
      cacheMethod: 'none',
      errorHandler: () => undefined,
    });
    // no second, inverted reading of poor lines (white-on-black text does not occur in these documents)
    await w.setParameters({ tessedit_pageseg_mode: this.opts.psm, preserve_interword_spaces: '0', debug_file: '/dev/null', tessedit_do_invert: '0' });
    return w;
  }

  /** Starts all workers now (otherwise they start on first use). */
  async warm(): Promise<void> {
    while (this.all.length < this.opts.concurrency) {
      const p = this.create();
      this.all.push(p);
      p.then((w) => {
        this.created.set(w, p);
        this.release(w);
      }).catch(() => undefined);
    }
    await Promise.all(this.all);
  }

  private release(w: TWorker) {
    const next = this.waiters.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  private async acquire(): Promise<TWorker> {
    if (this.closed) throw new Error('OCR pool is closed');
    const w = this.idle.pop();
    if (w) return w;
    if (this.all.length < this.opts.concurrency) {
      const p = this.create();
      this.all.push(p);
      const w2 = await p;
      this.created.set(w2, p);
      return w2;
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /**
   * Runs `fn` with exclusive use of one worker. A worker that does not answer within JOB_TIMEOUT_MS (a wasm
   * crash or a lost message) is terminated and replaced, and the call fails so that the queue retries it.
   */
  async with<T>(fn: (w: TWorker) => Promise<T>): Promise<T> {
    const w = await this.acquire();
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    try {
      return await Promise.race([
        fn(w),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            timedOut = true;
            reject(new Error(`OCR worker did not answer within ${JOB_TIMEOUT_MS / 1000} s`));
          }, JOB_TIMEOUT_MS);
          timer.unref();
        }),
      ]);
    } finally {
      clearTimeout(timer);
      if (timedOut) this.replace(w);
      else this.release(w);
    }
  }

  /** Drops a broken worker and lets the next acquire create a fresh one. */
  private replace(w: TWorker): void {
    this.all = this.all.filter((p) => p !== this.created.get(w));
    this.created.delete(w);
    void w.terminate().catch(() => undefined);
    const next = this.waiters.shift();
    if (next && !this.closed) {
      const p = this.create();
      this.all.push(p);
      p.then((nw) => {
        this.created.set(nw, p);
        next(nw);
      }, () => undefined);
    }
  }

  /** OCR `image` (any Leptonica-readable bytes, PGM is cheapest); optionally only `rect` with another PSM. */
  async recognise(image: Buffer, dpi: number, opts: { rect?: { left: number; top: number; width: number; height: number }; psm?: PSM } = {}): Promise<RecogniseOut> {
    return this.with(async (w) => {
      const psm = opts.psm ?? this.opts.psm;
      await w.setParameters({ user_defined_dpi: String(Math.round(dpi)), tessedit_pageseg_mode: psm });
      if (!opts.rect) {
        const r = await w.recognize(image, {}, { text: false, blocks: true });
        return { lines: linesOf(r.data), confidence: r.data.confidence };
      }
      return this.readCrop(w, image, opts.rect);
    });
  }

  /**
   * One rectangle of a PGM page, sent as a crop of its own: tesseract.js would copy and decode the whole page for
   * every rectangle (≈ 45 ms of CPU each on an A4 page); the words come back in page coordinates.
   */
  private async readCrop(w: TWorker, pgm: Buffer, rect: RectRead): Promise<RecogniseOut> {
    const r = await w.recognize(rect.crop ?? cropPgm(pgm, rect), {}, { text: false, blocks: true });
    const dx = Math.max(0, Math.floor(rect.left));
    const dy = Math.max(0, Math.floor(rect.top));
    const move = <B extends Box>(b: B): B => ({ ...b, x0: b.x0 + dx, x1: b.x1 + dx, y0: b.y0 + dy, y1: b.y1 + dy });
    const lines = linesOf(r.data).map((l) => ({ ...l, bbox: move(l.bbox), baseline: l.baseline && move(l.baseline), words: l.words.map((x) => ({ ...x, bbox: move(x.bbox) })) }));
    return { lines, confidence: r.data.confidence };
  }

  /** Several rectangles of one PGM page image (or their own changed crops), one after the other on one worker, each sent as its crop. */
  async recogniseRects(image: Buffer, dpi: number, rects: RectRead[], psm: PSM): Promise<RecogniseOut[]> {
    if (!rects.length) return [];
    return this.with(async (w) => {
      await w.setParameters({ user_defined_dpi: String(Math.round(dpi)), tessedit_pageseg_mode: psm });
      const out: RecogniseOut[] = [];
      for (const rect of rects) out.push(await this.readCrop(w, image, rect));
      return out;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const ws = await Promise.allSettled(this.all);
    await Promise.allSettled(ws.map((r) => (r.status === 'fulfilled' ? r.value.terminate() : Promise.resolve())));
    this.all = [];
    this.idle = [];
  }
}

function linesOf(page: Page): OcrLine[] {
  const out: OcrLine[] = [];
  for (const b of page.blocks ?? [])
    for (const p of b.paragraphs)
      for (const l of p.lines) {
        const words: OcrWord[] = l.words
          .filter((w) => w.text.trim().length > 0)
          .map((w) => ({
            text: w.text.normalize('NFC'),
            confidence: w.confidence,
            bbox: { ...w.bbox },
            choices: w.choices?.length > 1 ? w.choices.map((c) => c.text.normalize('NFC')) : undefined,
          }));
        if (words.length) out.push({ words, bbox: { ...l.bbox }, baseline: l.baseline ? { ...l.baseline } : undefined });
      }
  return out;
}
