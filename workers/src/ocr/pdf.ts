/**
 * PDF input without any canvas:
 * - pdf-lib (CommonJS, in-process) validates the file, counts pages and takes the embedded page image
 *   straight out of image-only pages (DCTDecode → the JPEG bytes as they are; 8-bit Flate → raw pixels).
 * - pdfjs-dist 5 legacy (ESM, in a worker thread so it also loads under jest's CommonJS runtime) reads the
 *   text layer of pages that have one, and decodes images pdf-lib cannot (CCITT, JBIG2, JPX, predictors…)
 *   through the operator list. Nothing is rendered.
 *
 * Untrusted input (issue "Trust", finding 9): a file is first checked cheaply (a PDF ends with "%%EOF"), then
 * parsed once by pdf-lib in a worker thread with a time and memory budget (terminated on expiry → CORRUPT_PDF,
 * never retried), so a hostile file cannot block the worker's event loop and stall the other scans. Only a file
 * that parsed within the budget is loaded in-process. Encrypted PDFs (finding 11) that open without a password
 * (owner password only: printing/copying restrictions) are read entirely through pdfjs, which decrypts them;
 * a PDF that needs a password to open fails with ENCRYPTED_PDF.
 */
import crypto from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import {
  PDFDocument,
  PDFName,
  PDFDict,
  PDFRawStream,
  PDFArray,
  PDFNumber,
  PDFRef,
  PDFStream,
  EncryptedPDFError,
  decodePDFRawStream,
  type PDFPage,
} from 'pdf-lib';
import { inflateSync } from 'node:zlib';
import { OcrInputError } from './errors';

/** What one PDF page gives us before OCR. */
export type PdfPageSource =
  | { kind: 'jpeg'; data: Buffer; widthPt: number; heightPt: number; rotate: number }
  | { kind: 'raw'; data: Buffer; width: number; height: number; channels: 1 | 3 | 4; widthPt: number; heightPt: number; rotate: number }
  | { kind: 'text'; words: PdfTextWord[]; widthPt: number; heightPt: number; rotate: number }
  | { kind: 'blank'; widthPt: number; heightPt: number; rotate: number };

/** A text-layer word in PDF points, top-left origin. */
export type PdfTextWord = { text: string; x0: number; y0: number; x1: number; y1: number };

export type PdfHandle = {
  numPages: number;
  /** null for an encrypted PDF (read through pdfjs only). */
  doc: PDFDocument | null;
  encrypted: boolean;
  page(index: number): Promise<PdfPageSource>;
  close(): Promise<void>;
};

/** Time and memory allowed to parse one untrusted PDF (worker thread, terminated when exceeded). */
export type PdfBudget = {
  /** pdf-lib's parse of the whole file. Default env OCR_PDF_PARSE_TIMEOUT_MS or 20 s. */
  parseTimeoutMs: number;
  /** One pdfjs call (open, one page's text or image). Default 4 × parseTimeoutMs. */
  pageTimeoutMs: number;
  /** V8 old generation of each parsing thread, MB. Default 768. */
  memoryMb: number;
};

const envInt = (name: string): number | undefined => {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : undefined;
};

export function pdfBudget(over: Partial<PdfBudget> = {}): PdfBudget {
  const parseTimeoutMs = over.parseTimeoutMs ?? envInt('OCR_PDF_PARSE_TIMEOUT_MS') ?? 20_000;
  return { parseTimeoutMs, pageTimeoutMs: over.pageTimeoutMs ?? parseTimeoutMs * 4, memoryMb: over.memoryMb ?? 768 };
}

/**
 * Structural pre-check without parsing (pure): a PDF must end with "%%EOF" (within its last 64 KB: some producers
 * append a little junk). Refuses truncated files and garbage behind a "%PDF-" header at once. Null when plausible.
 */
export function pdfStructureProblem(buf: Uint8Array): string | null {
  const tail = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).subarray(Math.max(0, buf.byteLength - 65536));
  if (tail.lastIndexOf('%%EOF', undefined, 'latin1') < 0) return 'Tệp PDF bị hỏng hoặc bị cắt cụt (thiếu phần cuối tệp).';
  return null;
}

type ProbeResult = { numPages: number; encrypted: boolean };

/**
 * pdf-lib's parser copies every stream out of the file (`bytes.slice`): a 500-page scan would be held twice. Given
 * this view of the file, its slices are views into it instead (the file is not changed by parsing; streams are
 * only read). Issue 14: a 500-page PDF keeps the worker under 500 MB.
 */
function asViews(b: Uint8Array): Uint8Array {
  const v = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  Object.defineProperty(v, 'slice', { value: (start?: number, end?: number) => v.subarray(start, end) });
  return v;
}

/** Worker source: pdf-lib parses each file it is sent and counts its pages; plain JS (same under tsx, ts-jest, compiled). */
const PROBE_WORKER_SRC = `
const { parentPort, workerData } = require('node:worker_threads');
const { PDFDocument } = require(workerData.pdfLib);
parentPort.postMessage({ ready: true });
// the file is shared with the caller (no copy), and pdf-lib's stream slices are views into it (see asViews)
const asViews = (b) => Object.defineProperty(b, 'slice', { value: (start, end) => b.subarray(start, end) });
parentPort.on('message', async (data) => {
  try {
    const doc = await PDFDocument.load(asViews(new Uint8Array(data)), { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
    let numPages = 0;
    try { numPages = doc.getPageCount(); } catch (e) { if (!doc.isEncrypted) throw e; }
    parentPort.postMessage({ ok: true, numPages, encrypted: doc.isEncrypted });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String((e && e.message) || e) });
  }
});
`;

/**
 * How long a new parser thread may take to start (load pdf-lib or pdfjs) before it is given up as an internal
 * failure (retried, never CORRUPT_PDF: starting a thread is not the file's doing).
 */
const THREAD_START_TIMEOUT_MS = 60_000;

/**
 * Resolves when a new thread has loaded its library (it posts `{ ready: true }` first). A file's time budget starts
 * then, not when the thread is created: on a busy machine starting the thread alone took 1.5 s of the test's
 * 1.5-second budget, and a valid PDF was refused as CORRUPT_PDF (CI, 7 Dec). Call right after `new Worker`: a message
 * nobody listens for is lost.
 */
function whenThreadReady(worker: Worker): Promise<void> {
  const ready = new Promise<void>((resolve, reject) => {
    const done = (fn: () => void) => {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onFailure).off('exit', onFailure);
      fn();
    };
    const onMessage = (m: unknown) => {
      if ((m as { ready?: unknown } | null)?.ready === true) done(resolve);
    };
    const onFailure = (e: unknown) => done(() => reject(new Error(`OCR: the PDF parser thread did not start (${e instanceof Error ? e.message : `exit ${String(e)}`})`)));
    const timer = setTimeout(() => onFailure(new Error(`no answer within ${THREAD_START_TIMEOUT_MS} ms`)), THREAD_START_TIMEOUT_MS);
    timer.unref();
    worker.on('message', onMessage).on('error', onFailure).on('exit', onFailure);
  });
  ready.catch(() => undefined); // awaited by the caller; never an unhandled rejection if the caller went away
  return ready;
}

/** Files that passed the probe (by sha256): the page jobs of one file do not parse it in a thread again. */
const probed = new Map<string, ProbeResult>();
const PROBE_CACHE_SIZE = 64;
/** A file at least this big is parsed by a thread that ends after it (its parse leaves a big heap behind). */
const PROBE_REUSE_MAX_BYTES = 16 * 1024 * 1024;
/** Probe threads kept for the next files, and how long an unused one lives on (its heap is then given back). */
const PROBE_KEEP = 2;
const PROBE_IDLE_MS = 30_000;

/**
 * Probe threads. A thread lives on for the next file: a new one per file cost ~140 ms of CPU (a fresh isolate
 * loading pdf-lib), as much as the PDF assembly of a one-page scan. Files never queue behind each other — a file
 * that finds no free thread gets a new one — so a hostile file holds up nothing but itself; a thread whose file ran
 * over the budget (time or memory) or was big is ended.
 */
const probeThreads: Array<{ worker: Worker; memoryMb: number; idle: NodeJS.Timeout }> = [];
/** Each probe thread's start (see whenThreadReady); settled for a kept thread. */
const probeThreadReady = new WeakMap<Worker, Promise<void>>();
let probeThreadsStarted = 0;

/** How many probe threads were started (tests: the thread is reused across files). */
export function probeThreadCount(): number {
  return probeThreadsStarted;
}

function takeProbeThread(memoryMb: number): Worker {
  const i = probeThreads.findIndex((t) => t.memoryMb === memoryMb);
  if (i >= 0) {
    const [t] = probeThreads.splice(i, 1);
    clearTimeout(t.idle);
    t.worker.ref();
    return t.worker;
  }
  probeThreadsStarted++;
  const worker = new Worker(PROBE_WORKER_SRC, {
    eval: true,
    workerData: { pdfLib: require.resolve('pdf-lib') },
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 64 },
  });
  probeThreadReady.set(worker, whenThreadReady(worker));
  return worker;
}

function giveBackProbeThread(worker: Worker, memoryMb: number): void {
  if (probeThreads.length >= PROBE_KEEP) {
    void worker.terminate();
    return;
  }
  // idle: it neither keeps the process alive nor holds its heap for long
  worker.unref();
  const t = {
    worker,
    memoryMb,
    idle: setTimeout(() => {
      const i = probeThreads.indexOf(t);
      if (i >= 0) probeThreads.splice(i, 1);
      void worker.terminate();
    }, PROBE_IDLE_MS),
  };
  t.idle.unref();
  probeThreads.push(t);
}

/** Parses `buf` with pdf-lib in a worker thread within `budget`; CORRUPT_PDF when it fails or runs out of budget. */
export async function probePdf(buf: Buffer, budget: PdfBudget = pdfBudget()): Promise<ProbeResult> {
  const problem = pdfStructureProblem(buf);
  if (problem) throw new OcrInputError('CORRUPT_PDF', problem);
  const sha = crypto.createHash('sha256').update(buf).digest('hex');
  const cached = probed.get(sha);
  if (cached) return cached;
  // one shared copy for the thread (structured cloning would copy the file into it, and pdf-lib copy it again)
  const shared = new SharedArrayBuffer(buf.byteLength);
  new Uint8Array(shared).set(buf);
  const worker = takeProbeThread(budget.memoryMb);
  try {
    await probeThreadReady.get(worker);
  } catch (e) {
    void worker.terminate();
    throw e;
  }
  const result = await new Promise<ProbeResult>((resolve, reject) => {
    let settled = false;
    const settle = (reusable: boolean, fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (reusable && buf.byteLength < PROBE_REUSE_MAX_BYTES) giveBackProbeThread(worker, budget.memoryMb);
      else void worker.terminate();
      fn();
    };
    const timer = setTimeout(
      () => settle(false, () => reject(new OcrInputError('CORRUPT_PDF', `Tệp PDF bị hỏng hoặc quá phức tạp: không đọc được trong ${Math.round(budget.parseTimeoutMs / 1000)} giây.`, 'parse timeout'))),
      budget.parseTimeoutMs,
    );
    const onMessage = (m: { ok: true; numPages: number; encrypted: boolean } | { ok: false; error: string }) =>
      settle(true, () => (m.ok ? resolve({ numPages: m.numPages, encrypted: m.encrypted }) : reject(corruptOrEncrypted(m.error))));
    const onError = (e: Error & { code?: string }) =>
      settle(false, () =>
        reject(
          e.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new OcrInputError('CORRUPT_PDF', 'Tệp PDF bị hỏng hoặc quá phức tạp: vượt quá bộ nhớ cho phép khi đọc.', e.message)
            : new OcrInputError('CORRUPT_PDF', 'Tệp PDF bị hỏng hoặc không đọc được.', e.message),
        ),
      );
    const onExit = (code: number) => settle(false, () => reject(new OcrInputError('CORRUPT_PDF', 'Tệp PDF bị hỏng hoặc không đọc được.', `parser exited (${code})`)));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    worker.postMessage(shared);
  });
  probed.set(sha, result);
  if (probed.size > PROBE_CACHE_SIZE) probed.delete(probed.keys().next().value as string);
  return result;
}

function corruptOrEncrypted(message: string): OcrInputError {
  if (/encrypt/i.test(message)) return new OcrInputError('ENCRYPTED_PDF', ENCRYPTED_MESSAGE);
  return new OcrInputError('CORRUPT_PDF', 'Tệp PDF bị hỏng hoặc không đọc được.', message);
}

const ENCRYPTED_MESSAGE = 'Tệp PDF được bảo vệ bằng mật khẩu mở tệp; hãy gỡ mật khẩu rồi tải lên lại.';

function checkPageCount(numPages: number, maxPages: number, buf: Buffer): void {
  if (numPages === 0) {
    // pdf-lib tolerates a missing/broken page tree: tell "truncated" from "really empty" by the trailer
    const tail = buf.subarray(Math.max(0, buf.length - 2048)).toString('latin1');
    if (!/%%EOF/.test(tail)) throw new OcrInputError('CORRUPT_PDF', 'Tệp PDF bị hỏng hoặc bị cắt cụt (thiếu phần cuối tệp).');
    throw new OcrInputError('EMPTY_PDF', 'Tệp PDF không có trang nào.');
  }
  if (numPages > maxPages)
    throw new OcrInputError('TOO_MANY_PAGES', `Tệp PDF có ${numPages} trang, vượt giới hạn ${maxPages} trang mỗi tệp; hãy tách tệp.`);
}

/** An encrypted PDF that opens without a password: every page through pdfjs (which decrypts). */
async function openEncrypted(buf: Buffer, maxPages: number, budget: PdfBudget): Promise<PdfHandle> {
  const js = new PdfJsWorker(buf, budget.pageTimeoutMs);
  try {
    const { numPages } = await js.open();
    checkPageCount(numPages, maxPages, buf);
    return {
      numPages,
      doc: null,
      encrypted: true,
      async page(index: number): Promise<PdfPageSource> {
        const t = await js.text(index);
        const box = { widthPt: t.widthPt ?? 595, heightPt: t.heightPt ?? 842, rotate: t.rotate ?? 0 };
        if (t.words.some((w) => w.text.trim().length > 0)) return { kind: 'text', words: t.words, ...box };
        const r = await js.image(index);
        if (r) return { kind: 'raw', data: r.data, width: r.width, height: r.height, channels: r.channels, ...box };
        return { kind: 'blank', ...box };
      },
      close: () => js.close(),
    };
  } catch (e) {
    await js.close();
    throw e;
  }
}

export async function openPdf(buf: Buffer, maxPages: number, budgetOver: Partial<PdfBudget> = {}): Promise<PdfHandle> {
  const budget = pdfBudget(budgetOver);
  const probe = await probePdf(buf, budget);
  if (probe.encrypted) return openEncrypted(buf, maxPages, budget);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(asViews(buf), { updateMetadata: false, throwOnInvalidObject: false });
  } catch (e) {
    if (e instanceof EncryptedPDFError || /encrypt/i.test(String((e as Error)?.message)))
      throw new OcrInputError('ENCRYPTED_PDF', 'Tệp PDF được mã hóa (có mật khẩu); hãy gỡ mật khẩu rồi tải lên lại.');
    throw new OcrInputError('CORRUPT_PDF', 'Tệp PDF bị hỏng hoặc không đọc được.', String((e as Error)?.message ?? e));
  }
  let numPages: number;
  try {
    numPages = doc.getPageCount();
  } catch (e) {
    throw new OcrInputError('CORRUPT_PDF', 'Tệp PDF bị hỏng: không đọc được danh sách trang.', String((e as Error)?.message ?? e));
  }
  checkPageCount(numPages, maxPages, buf);

  let js: PdfJsWorker | null = null;
  const pdfjs = () => (js ??= new PdfJsWorker(buf, budget.pageTimeoutMs));
  const pages = doc.getPages();

  return {
    numPages,
    doc,
    encrypted: false,
    async page(index: number): Promise<PdfPageSource> {
      const p = pages[index];
      const { width: widthPt, height: heightPt } = p.getSize();
      const rotate = ((p.getRotation().angle % 360) + 360) % 360;
      let content: string;
      try {
        content = pageContent(p);
      } catch (e) {
        throw new OcrInputError('CORRUPT_PDF', `Trang ${index + 1} của tệp PDF bị hỏng.`, String((e as Error)?.message ?? e));
      }
      if (/\bBT\b[\s\S]*?(Tj|TJ|'|")[\s\S]*?\bET\b/.test(content)) {
        const t = await pdfjs().text(index);
        if (t.words.some((w) => w.text.trim().length > 0)) return { kind: 'text', words: t.words, widthPt, heightPt, rotate };
      }
      const img = largestImage(p);
      if (img) {
        const fast = directImage(img);
        if (fast?.kind === 'jpeg') return { ...fast, widthPt, heightPt, rotate };
        if (fast?.kind === 'raw') return { ...fast, widthPt, heightPt, rotate };
      }
      if (img || /\bDo\b/.test(content)) {
        const r = await pdfjs().image(index);
        if (r) return { kind: 'raw', data: r.data, width: r.width, height: r.height, channels: r.channels, widthPt, heightPt, rotate };
      }
      return { kind: 'blank', widthPt, heightPt, rotate };
    },
    async close() {
      if (js) await js.close();
    },
  };
}

function pageContent(p: PDFPage): string {
  const c = p.node.Contents();
  if (!c) return '';
  const streams: PDFStream[] = [];
  if (c instanceof PDFArray) {
    for (let i = 0; i < c.size(); i++) {
      const s = c.lookup(i);
      if (s instanceof PDFStream) streams.push(s);
    }
  } else streams.push(c);
  return streams
    .map((s) => {
      if (s instanceof PDFRawStream) return Buffer.from(decodePDFRawStream(s).decode()).toString('latin1');
      return Buffer.from(s.getContents()).toString('latin1');
    })
    .join('\n');
}

function largestImage(p: PDFPage): PDFRawStream | null {
  const res = p.node.Resources();
  const xo = res?.lookup(PDFName.of('XObject'));
  if (!(xo instanceof PDFDict)) return null;
  let best: PDFRawStream | null = null;
  let bestArea = 0;
  for (const [, ref] of xo.entries()) {
    const obj = ref instanceof PDFRef ? p.doc.context.lookup(ref) : ref;
    if (!(obj instanceof PDFRawStream)) continue;
    if (obj.dict.get(PDFName.of('Subtype')) !== PDFName.of('Image')) continue;
    const w = num(obj.dict.lookup(PDFName.of('Width')));
    const h = num(obj.dict.lookup(PDFName.of('Height')));
    if (w * h > bestArea) {
      bestArea = w * h;
      best = obj;
    }
  }
  return best;
}

const num = (o: unknown) => (o instanceof PDFNumber ? o.asNumber() : 0);

/** The page image without decoding when the encoding allows it; null → let pdfjs decode it. */
function directImage(img: PDFRawStream): { kind: 'jpeg'; data: Buffer } | { kind: 'raw'; data: Buffer; width: number; height: number; channels: 1 | 3 } | null {
  const d = img.dict;
  const f = d.lookup(PDFName.of('Filter'));
  const filters: string[] = [];
  if (f instanceof PDFName) filters.push(f.asString());
  else if (f instanceof PDFArray) for (let i = 0; i < f.size(); i++) filters.push(String(f.lookup(i)));
  if (d.lookup(PDFName.of('DecodeParms')) && !(filters.length === 1 && filters[0] === '/DCTDecode')) return null;
  if (d.lookup(PDFName.of('Decode')) || d.lookup(PDFName.of('ImageMask'))) return null;
  const cs = d.lookup(PDFName.of('ColorSpace'));
  const csName = cs instanceof PDFName ? cs.asString() : null;
  if (filters.length === 1 && filters[0] === '/DCTDecode') {
    if (csName !== '/DeviceGray' && csName !== '/DeviceRGB') return null; // CMYK/ICC/Indexed: pdfjs converts
    return { kind: 'jpeg', data: Buffer.from(img.contents) };
  }
  const w = num(d.lookup(PDFName.of('Width')));
  const h = num(d.lookup(PDFName.of('Height')));
  const bpc = num(d.lookup(PDFName.of('BitsPerComponent')));
  const channels = csName === '/DeviceGray' ? 1 : csName === '/DeviceRGB' ? 3 : 0;
  if (bpc !== 8 || !channels) return null;
  let data: Buffer;
  if (filters.length === 0) data = Buffer.from(img.contents);
  else if (filters.length === 1 && filters[0] === '/FlateDecode') {
    try {
      data = inflateSync(img.contents);
    } catch {
      return null;
    }
  } else return null;
  if (data.length < w * h * channels) return null;
  return { kind: 'raw', data, width: w, height: h, channels: channels as 1 | 3 };
}

// ---------------------------------------------------------------- pdfjs in a worker thread

type JsReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string; name?: string };

/** Worker source: plain JS so that it runs the same under tsx, ts-jest and compiled output. */
const PDFJS_WORKER_SRC = `
const { parentPort, workerData } = require('node:worker_threads');
const pdfjsP = import(workerData.pdfjsUrl);
pdfjsP.then(() => parentPort.postMessage({ ready: true }));
let docP = null;
async function getDoc() {
  if (!docP) docP = (async () => {
    const pdfjs = await pdfjsP;
    const task = pdfjs.getDocument({ data: new Uint8Array(workerData.data), isEvalSupported: false, useSystemFonts: false,
      isOffscreenCanvasSupported: false, isImageDecoderSupported: false, disableFontFace: true, verbosity: 0,
      standardFontDataUrl: workerData.standardFontDataUrl, cMapUrl: workerData.cMapUrl, cMapPacked: true, wasmUrl: workerData.wasmUrl });
    return { pdfjs, doc: await task.promise };
  })();
  return docP;
}
async function open() {
  const { doc } = await getDoc();
  return { numPages: doc.numPages };
}
async function text(i) {
  const { doc } = await getDoc();
  const page = await doc.getPage(i + 1);
  const vp = page.getViewport({ scale: 1 });
  const view = page.view;
  const tc = await page.getTextContent();
  const words = [];
  for (const it of tc.items) {
    if (!it.str || !it.str.trim()) continue;
    const [a, b, c, d, e, f] = it.transform;
    const h = Math.hypot(c, d) || Math.hypot(a, b);
    const [x, y] = vp.convertToViewportPoint(e, f);
    const width = it.width;
    // split the run into words, distributing the width by character count
    const parts = it.str.split(/(\\s+)/);
    const total = it.str.length || 1;
    let off = 0;
    for (const p of parts) {
      if (p && !/^\\s+$/.test(p)) words.push({ text: p, x0: x + (width * off) / total, x1: x + (width * (off + p.length)) / total, y0: y - h * 0.85, y1: y + h * 0.2 });
      off += p.length;
    }
  }
  page.cleanup();
  return { words, widthPt: view[2] - view[0], heightPt: view[3] - view[1], rotate: ((page.rotate % 360) + 360) % 360 };
}
async function image(i) {
  const { pdfjs, doc } = await getDoc();
  const page = await doc.getPage(i + 1);
  const ops = await page.getOperatorList();
  let best = null;
  for (let k = 0; k < ops.fnArray.length; k++) {
    if (ops.fnArray[k] !== pdfjs.OPS.paintImageXObject && ops.fnArray[k] !== pdfjs.OPS.paintInlineImageXObject) continue;
    const arg = ops.argsArray[k][0];
    const img = typeof arg === 'string'
      ? await new Promise((res) => { const store = arg.startsWith('g_') ? page.commonObjs : page.objs; store.get(arg, res); })
      : arg;
    if (img && img.data && (!best || img.width * img.height > best.width * best.height)) best = img;
  }
  page.cleanup();
  if (!best) return null;
  const n = best.width * best.height;
  let channels = best.kind === 1 ? 1 : best.kind === 2 ? 3 : 4;
  let data;
  if (best.kind === 1) {
    // 1 bit per pixel, rows padded to bytes → 8-bit grey
    const rowBytes = (best.width + 7) >> 3;
    data = Buffer.alloc(n);
    for (let y = 0; y < best.height; y++) for (let x = 0; x < best.width; x++)
      data[y * best.width + x] = (best.data[y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1 ? 255 : 0;
  } else data = Buffer.from(best.data.buffer, best.data.byteOffset, n * channels);
  return { width: best.width, height: best.height, channels, data };
}
parentPort.on('message', async (m) => {
  try {
    const value = m.cmd === 'open' ? await open() : m.cmd === 'text' ? await text(m.page) : await image(m.page);
    parentPort.postMessage({ id: m.id, ok: true, value });
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, error: String(e && e.message || e), name: e && e.name });
  }
});
`;

class PdfJsWorker {
  private worker: Worker;
  /** The thread has loaded pdfjs; each call's budget starts after it (see whenThreadReady). */
  private readonly ready: Promise<void>;
  private seq = 0;
  private waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(
    data: Buffer,
    private readonly timeoutMs: number,
  ) {
    const root = path.dirname(require.resolve('pdfjs-dist/package.json'));
    const url = (p: string) => pathToFileURL(path.join(root, p)).href + '/';
    this.worker = new Worker(PDFJS_WORKER_SRC, {
      eval: true,
      workerData: {
        data,
        pdfjsUrl: pathToFileURL(path.join(root, 'legacy/build/pdf.mjs')).href,
        standardFontDataUrl: url('standard_fonts'),
        cMapUrl: url('cmaps'),
        wasmUrl: url('wasm'),
      },
      resourceLimits: { maxOldGenerationSizeMb: 1024 },
    });
    this.ready = whenThreadReady(this.worker);
    this.worker.on('message', (m: JsReply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.ok) w.resolve(m.value);
      else if (m.name === 'PasswordException') w.reject(new OcrInputError('ENCRYPTED_PDF', ENCRYPTED_MESSAGE));
      else w.reject(new OcrInputError('CORRUPT_PDF', 'Tệp PDF bị hỏng: không đọc được nội dung trang.', m.error));
    });
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', () => this.failAll(new Error('pdfjs worker exited')));
  }

  private failAll(e: Error) {
    for (const w of this.waiting.values()) w.reject(new OcrInputError('CORRUPT_PDF', 'Tệp PDF bị hỏng: không đọc được nội dung trang.', e.message));
    this.waiting.clear();
  }

  /** One request; past the time budget the thread is terminated and every pending request fails (CORRUPT_PDF). */
  private async call<T>(cmd: 'open' | 'text' | 'image', page: number): Promise<T> {
    await this.ready;
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.failAll(new Error(`pdfjs: no answer within ${this.timeoutMs} ms`));
        void this.worker.terminate();
      }, this.timeoutMs);
      const done = <A extends unknown[]>(fn: (...a: A) => void) => (...a: A) => {
        clearTimeout(timer);
        fn(...a);
      };
      this.waiting.set(id, { resolve: done(resolve as (v: unknown) => void), reject: done(reject) });
      this.worker.postMessage({ id, cmd, page });
    });
  }

  open() {
    return this.call<{ numPages: number }>('open', 0);
  }

  text(page: number) {
    return this.call<{ words: PdfTextWord[]; widthPt?: number; heightPt?: number; rotate?: number }>('text', page);
  }

  async image(page: number) {
    const r = await this.call<{ width: number; height: number; channels: 1 | 3 | 4; data: Uint8Array } | null>('image', page);
    return r ? { ...r, data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength) } : null;
  }

  async close() {
    await this.worker.terminate();
  }
}
