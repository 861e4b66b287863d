/**
 * Native Tesseract (the `tesseract` command, e.g. Debian's tesseract-ocr + tesseract-ocr-vie) behind the same
 * recognise() as the tesseract.js pool: about three times faster per page than the wasm build on the same core.
 * One process per page image, at most `concurrency` at once, each single-threaded (OMP_THREAD_LIMIT=1: pages in
 * parallel across cores scale better than OpenMP inside one page). Output is Tesseract's TSV (words with boxes and
 * confidences, grouped into lines), mapped onto the OcrLine shape the pipeline already reads.
 *
 * Chosen by OCR_ENGINE: `native`, `wasm` (tesseract.js), or `auto` (default): native when `tesseract --list-langs`
 * names every language needed, otherwise tesseract.js, which needs nothing installed.
 */
import { execFileSync, spawn } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PSM } from 'tesseract.js';
import type { Box, OcrLine, OcrWord, RecogniseOut } from './engine';
import { pgmPixels, TesseractHosts } from './tesseract-host';

export type Rect = { left: number; top: number; width: number; height: number };
/**
 * A rectangle to read, cut from the page; or `crop`, its pixels already cut and changed (a PGM of the rectangle
 * clipped to the page from (floor(left), floor(top)), as `cropPgm` cuts it — e.g. with a stamp's ink removed).
 */
export type RectRead = Rect & { crop?: Buffer };

/** What the pipeline needs from an OCR engine: recognise one page image (or one rectangle of it). */
export interface Recogniser {
  readonly name: 'native' | 'wasm';
  recognise(image: Buffer, dpi: number, opts?: { rect?: Rect; psm?: PSM }): Promise<RecogniseOut>;
  /** Several rectangles of one page image, each as an image of its own, in one call (native: one process). */
  recogniseRects(image: Buffer, dpi: number, rects: RectRead[], psm: PSM): Promise<RecogniseOut[]>;
  warm(): Promise<void>;
  close(): Promise<void>;
}

const JOB_TIMEOUT_MS = Number(process.env.OCR_JOB_TIMEOUT_MS) || 180_000;

const available = new Map<string, boolean>();

/** Whether `binary` runs and has every language of `langs` (checked once per process). */
export function nativeTesseractAvailable(langs: readonly string[], binary = process.env.TESSERACT_BINARY || 'tesseract'): boolean {
  const key = `${binary}|${langs.join('+')}`;
  let ok = available.get(key);
  if (ok === undefined) {
    try {
      const out = execFileSync(binary, ['--list-langs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
      const have = new Set(out.split('\n').map((l) => l.trim()));
      ok = langs.every((l) => have.has(l));
    } catch {
      ok = false;
    }
    available.set(key, ok);
  }
  return ok;
}

/**
 * The rectangle `rect` of a binary PGM (P5, 8-bit) as a PGM of its own. Native Tesseract has no rectangle
 * option on the command line, so the image is cut before it is sent.
 */
export function cropPgm(pgm: Buffer, rect: Rect): Buffer {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('cropPgm: not an 8-bit binary PGM');
  const [w, h, max] = [Number(header[1]), Number(header[2]), Number(header[3])];
  if (max > 255) throw new Error('cropPgm: 16-bit PGM not supported');
  const x0 = Math.max(0, Math.min(w, Math.floor(rect.left)));
  const y0 = Math.max(0, Math.min(h, Math.floor(rect.top)));
  const x1 = Math.max(x0, Math.min(w, Math.ceil(rect.left + rect.width)));
  const y1 = Math.max(y0, Math.min(h, Math.ceil(rect.top + rect.height)));
  const cw = Math.max(1, x1 - x0);
  const ch = Math.max(1, y1 - y0);
  const data = pgm.subarray(header[0].length);
  const out = Buffer.alloc(cw * ch, 255);
  for (let y = 0; y < y1 - y0; y++) data.copy(out, y * cw, (y0 + y) * w + x0, (y0 + y) * w + x0 + (x1 - x0));
  return Buffer.concat([Buffer.from(`P5\n${cw} ${ch}\n255\n`, 'latin1'), out]);
}

/**
 * Tesseract's TSV (level, page, block, paragraph, line, word, left, top, width, height, conf, text) as lines of
 * words, boxes shifted by (dx, dy). Words without text are dropped; a line's box is its words' union.
 */
export function linesFromTsv(tsv: string, dx = 0, dy = 0, page?: number): RecogniseOut {
  const lines = new Map<string, OcrWord[]>();
  let confSum = 0;
  let confN = 0;
  for (const row of tsv.split('\n')) {
    const c = row.split('\t');
    if (c.length < 12 || c[0] !== '5') continue;
    if (page !== undefined && Number(c[1]) !== page) continue;
    const text = c.slice(11).join('\t').trim().normalize('NFC');
    if (!text) continue;
    const [left, top, width, height, conf] = [Number(c[6]), Number(c[7]), Number(c[8]), Number(c[9]), Number(c[10])];
    const bbox: Box = { x0: left + dx, y0: top + dy, x1: left + width + dx, y1: top + height + dy };
    const key = `${c[1]}.${c[2]}.${c[3]}.${c[4]}`;
    let words = lines.get(key);
    if (!words) lines.set(key, (words = []));
    words.push({ text, confidence: Math.max(0, conf), bbox });
    confSum += Math.max(0, conf);
    confN++;
  }
  const out: OcrLine[] = [];
  for (const words of lines.values())
    out.push({
      words,
      bbox: {
        x0: Math.min(...words.map((w) => w.bbox.x0)),
        y0: Math.min(...words.map((w) => w.bbox.y0)),
        x1: Math.max(...words.map((w) => w.bbox.x1)),
        y1: Math.max(...words.map((w) => w.bbox.y1)),
      },
    });
  return { lines: out, confidence: confN ? confSum / confN : 0 };
}

export class NativeEngine implements Recogniser {
  readonly name = 'native' as const;
  private running = 0;
  private waiters: Array<() => void> = [];
  private closed = false;
  private readonly children = new Set<ReturnType<typeof spawn>>();
  /** libtesseract kept loaded (tesseract-host.ts); null: the `tesseract` command for every image */
  private hosts: TesseractHosts | null;

  constructor(
    readonly opts: {
      concurrency: number;
      langs: string[];
      psm: PSM;
      binary?: string;
      tessdataDir?: string;
      /** `host` (default; env OCR_NATIVE_MODE): libtesseract kept loaded, the command where it cannot be loaded */
      mode?: 'host' | 'command';
      /** libtesseract's file names to try (comma-separated; default TESSERACT_LIBRARY, then the usual sonames) */
      library?: string;
    },
  ) {
    const mode = opts.mode ?? (process.env.OCR_NATIVE_MODE === 'command' ? 'command' : 'host');
    this.hosts = mode === 'host' && !opts.binary ? new TesseractHosts({ langs: opts.langs, tessdataDir: opts.tessdataDir, timeoutMs: JOB_TIMEOUT_MS, libraries: opts.library }) : null;
  }

  async warm(): Promise<void> {
    if (!nativeTesseractAvailable(this.opts.langs, this.binary)) throw new Error(`native Tesseract with ${this.opts.langs.join('+')} is not installed`);
  }

  /** How the pages are read: 'host' (libtesseract kept loaded) or 'command' (one `tesseract` per image). */
  get mode(): 'host' | 'command' {
    return this.hosts && !this.hosts.unavailable ? 'host' : 'command';
  }

  /** Process ids of the loaded hosts (diagnostics, tests). */
  hostPids(): number[] {
    return this.hosts?.pids() ?? [];
  }

  private get binary(): string {
    return this.opts.binary ?? (process.env.TESSERACT_BINARY || 'tesseract');
  }

  private async slot(): Promise<() => void> {
    if (this.closed) throw new Error('OCR engine is closed');
    if (this.running >= this.opts.concurrency) await new Promise<void>((r) => this.waiters.push(r));
    if (this.closed) throw new Error('OCR engine is closed');
    this.running++;
    return () => {
      this.running--;
      this.waiters.shift()?.();
    };
  }

  /** OCR a PGM page image (or the rectangle `rect` of it, with its own page segmentation). */
  async recognise(image: Buffer, dpi: number, opts: { rect?: Rect; psm?: PSM } = {}): Promise<RecogniseOut> {
    const tsv = await this.read([opts.rect ? cropPgm(image, opts.rect) : image], dpi, opts.psm ?? this.opts.psm);
    return linesFromTsv(tsv, opts.rect ? Math.max(0, Math.floor(opts.rect.left)) : 0, opts.rect ? Math.max(0, Math.floor(opts.rect.top)) : 0);
  }

  /**
   * The rectangles `rects` of a PGM page image, each read as an image of its own with `psm`, in ONE call (a host
   * request, or one command with a list file of crops: the model is loaded once, not once per rectangle).
   */
  async recogniseRects(image: Buffer, dpi: number, rects: RectRead[], psm: PSM): Promise<RecogniseOut[]> {
    if (!rects.length) return [];
    const tsv = await this.read(
      rects.map((r) => r.crop ?? cropPgm(image, r)),
      dpi,
      psm,
    );
    return rects.map((r, i) => linesFromTsv(tsv, Math.max(0, Math.floor(r.left)), Math.max(0, Math.floor(r.top)), i + 1));
  }

  /** Tesseract's TSV of PGM images (pages numbered from 1 in their order), read by a host or by the command. */
  private async read(images: Buffer[], dpi: number, psm: PSM): Promise<string> {
    const release = await this.slot();
    try {
      if (this.hosts && !this.hosts.unavailable) {
        try {
          return await this.hosts.read(images.map(pgmPixels), dpi, Number(psm));
        } catch (e) {
          // a library that cannot be loaded here: the command from now on; any other failure is this image's
          if (!this.hosts.unavailable) throw e;
        }
      }
      if (images.length === 1) return await this.run(images[0], dpi, psm);
      const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'congvan-ocr-'));
      try {
        const files = images.map((_b, i) => path.join(dir, `r${i}.pgm`));
        await Promise.all(images.map((b, i) => fsp.writeFile(files[i], b)));
        const list = path.join(dir, 'list.txt');
        await fsp.writeFile(list, files.join('\n') + '\n');
        return await this.run(list, dpi, psm);
      } finally {
        await fsp.rm(dir, { recursive: true, force: true });
      }
    } finally {
      release();
    }
  }

  /** Runs Tesseract on `input` (image bytes through stdin, or the path of a list file of images). */
  private run(input: Buffer | string, dpi: number, psm: PSM): Promise<string> {
    const args = [typeof input === 'string' ? input : 'stdin', 'stdout', '-l', this.opts.langs.join('+'), '--oem', '1', '--psm', String(psm), '--dpi', String(Math.round(dpi))];
    if (this.opts.tessdataDir) args.push('--tessdata-dir', this.opts.tessdataDir);
    // the same settings as the tesseract.js pool: no inverted second reading, single spaces between words
    args.push('-c', 'tessedit_do_invert=0', '-c', 'preserve_interword_spaces=0', 'tsv');
    return new Promise((resolve, reject) => {
      const child = spawn(this.binary, args, { env: { ...process.env, OMP_THREAD_LIMIT: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
      this.children.add(child);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      const timer = setTimeout(() => child.kill('SIGKILL'), JOB_TIMEOUT_MS);
      timer.unref();
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.stdin.on('error', () => undefined); // a child that dies early: reported through 'close'
      child.on('error', (e) => {
        clearTimeout(timer);
        this.children.delete(child);
        reject(e);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        this.children.delete(child);
        if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
        else reject(new Error(`tesseract ${signal ? `killed (${signal})` : `exited ${code}`}: ${Buffer.concat(err).toString('utf8').trim().slice(-300)}`));
      });
      child.stdin.end(typeof input === 'string' ? undefined : input);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.hosts?.close();
    for (const c of this.children) c.kill('SIGKILL');
    for (const w of this.waiters.splice(0)) w();
  }
}
