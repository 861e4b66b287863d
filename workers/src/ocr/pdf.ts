/**
 * PDF input without any canvas:
 * - pdf-lib (CommonJS, in-process) validates the file, counts pages and takes the embedded page image
 *   straight out of image-only pages (DCTDecode → the JPEG bytes as they are; 8-bit Flate → raw pixels).
 * - pdfjs-dist 5 legacy (ESM, in a worker thread so it also loads under jest's CommonJS runtime) reads the
 *   text layer of pages that have one, and decodes images pdf-lib cannot (CCITT, JBIG2, JPX, predictors…)
 *   through the operator list. Nothing is rendered.
 */
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
  doc: PDFDocument;
  page(index: number): Promise<PdfPageSource>;
  close(): Promise<void>;
};

export async function openPdf(buf: Buffer, maxPages: number): Promise<PdfHandle> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(buf, { updateMetadata: false, throwOnInvalidObject: false });
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
  if (numPages === 0) {
    // pdf-lib tolerates a missing/broken page tree: tell "truncated" from "really empty" by the trailer
    const tail = buf.subarray(Math.max(0, buf.length - 2048)).toString('latin1');
    if (!/%%EOF/.test(tail)) throw new OcrInputError('CORRUPT_PDF', 'Tệp PDF bị hỏng hoặc bị cắt cụt (thiếu phần cuối tệp).');
    throw new OcrInputError('EMPTY_PDF', 'Tệp PDF không có trang nào.');
  }
  if (numPages > maxPages)
    throw new OcrInputError('TOO_MANY_PAGES', `Tệp PDF có ${numPages} trang, vượt giới hạn ${maxPages} trang mỗi tệp; hãy tách tệp.`);

  let js: PdfJsWorker | null = null;
  const pdfjs = () => (js ??= new PdfJsWorker(buf));
  const pages = doc.getPages();

  return {
    numPages,
    doc,
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
let docP = null;
async function getDoc() {
  if (!docP) docP = (async () => {
    const pdfjs = await import(workerData.pdfjsUrl);
    const task = pdfjs.getDocument({ data: new Uint8Array(workerData.data), isEvalSupported: false, useSystemFonts: false,
      isOffscreenCanvasSupported: false, isImageDecoderSupported: false, disableFontFace: true, verbosity: 0,
      standardFontDataUrl: workerData.standardFontDataUrl, cMapUrl: workerData.cMapUrl, cMapPacked: true, wasmUrl: workerData.wasmUrl });
    return { pdfjs, doc: await task.promise };
  })();
  return docP;
}
async function text(i) {
  const { doc } = await getDoc();
  const page = await doc.getPage(i + 1);
  const vp = page.getViewport({ scale: 1 });
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
  return { words };
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
    const value = m.cmd === 'text' ? await text(m.page) : await image(m.page);
    parentPort.postMessage({ id: m.id, ok: true, value });
  } catch (e) {
    parentPort.postMessage({ id: m.id, ok: false, error: String(e && e.message || e), name: e && e.name });
  }
});
`;

class PdfJsWorker {
  private worker: Worker;
  private seq = 0;
  private waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  constructor(data: Buffer) {
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
    this.worker.on('message', (m: JsReply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.ok) w.resolve(m.value);
      else if (m.name === 'PasswordException') w.reject(new OcrInputError('ENCRYPTED_PDF', 'Tệp PDF được mã hóa (có mật khẩu).'));
      else w.reject(new OcrInputError('CORRUPT_PDF', 'Tệp PDF bị hỏng: không đọc được nội dung trang.', m.error));
    });
    this.worker.on('error', (e) => this.failAll(e));
    this.worker.on('exit', () => this.failAll(new Error('pdfjs worker exited')));
  }

  private failAll(e: Error) {
    for (const w of this.waiting.values()) w.reject(new OcrInputError('CORRUPT_PDF', 'Tệp PDF bị hỏng: không đọc được nội dung trang.', e.message));
    this.waiting.clear();
  }

  private call<T>(cmd: 'text' | 'image', page: number): Promise<T> {
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, cmd, page });
    });
  }

  text(page: number) {
    return this.call<{ words: PdfTextWord[] }>('text', page);
  }

  async image(page: number) {
    const r = await this.call<{ width: number; height: number; channels: 1 | 3 | 4; data: Uint8Array } | null>('image', page);
    return r ? { ...r, data: Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength) } : null;
  }

  async close() {
    await this.worker.terminate();
  }
}
