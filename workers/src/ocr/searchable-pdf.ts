/**
 * Searchable PDF: each OCR'd page is its page image with an invisible text layer (render mode 3)
 * placed word by word on the recognised boxes, so that search, copy and selection work in any viewer.
 * Pages that already had a text layer are copied from the source PDF unchanged. An encrypted source (owner
 * password only) cannot be copied from: it already carries its text layer, so it is returned as it is.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import {
  EncryptedPDFError,
  JpegEmbedder,
  PDFDocument,
  PDFHexString,
  PDFOperator,
  PDFOperatorNames,
  PDFNumber,
  PDFString,
  TextRenderingMode,
  beginText,
  endText,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  pushGraphicsState,
  popGraphicsState,
  concatTransformationMatrix,
  drawObject,
  type PDFRef,
} from 'pdf-lib';
import type { Box } from './engine';

export type PdfPageInput =
  | {
      kind: 'image';
      /** JPEG (or PNG) of the page as shown, or a function that reads it (called once, while the page is built) */
      image: Buffer | (() => Promise<Buffer>);
      imageType: 'jpeg' | 'png';
      width: number;
      height: number;
      dpi: number;
      lines: Array<{ words: Array<{ text: string; bbox: Box }> }>;
    }
  | { kind: 'copy'; sourceIndex: number };

/**
 * The text layer is drawn in render mode 3 (invisible), so its font needs no glyphs and no shaping: a "glyphless"
 * font, as Tesseract's PDF renderer (src/api/pdfrenderer.cpp) and OCRmyPDF write it. Tesseract's pdf.ttf
 * (workers/assets/glyphless.ttf, Apache-2.0) has one empty glyph; a Type0 font with Identity-H shows each UTF-16
 * code unit of a word as the CID of the same value, every CID maps to that glyph (CIDToGIDMap) and advances
 * GLYPHLESS_DW, and the ToUnicode CMap maps each code back to itself. Embedding DejaVuSans instead cost fontkit's
 * OpenType layout of every distinct word (~90 ms CPU per one-page document, more for the first ones).
 */
const GLYPHLESS_DW = 500; // 1/1000 em: pdf.ttf's glyph is 1024 of 2048 units wide
/** Font size and baseline of a word, as fractions of its box height (the baseline above the box's bottom). */
const SIZE_OF_BOX = 0.85;
const BASELINE_IN_BOX = 0.18;

type GlyphlessBytes = { ttf: Buffer; fontFile: Buffer; cidToGid: Buffer; toUnicode: Buffer };
let glyphlessBytes: GlyphlessBytes | null = null;

/**
 * workers/assets/<name>, found from the sources (workers/src/ocr) and from the compiled output
 * (dist/workers/src/ocr, next to which the runtime image has workers/assets): the nearest ancestor holding it.
 */
function assetFile(name: string): string {
  for (let dir = __dirname; ; ) {
    const f = path.join(dir, 'workers', 'assets', name);
    if (fs.existsSync(f)) return f;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`searchable PDF: workers/assets/${name} not found above ${__dirname}`);
    dir = parent;
  }
}

/** The font program and the two maps, flate-compressed once per process (the CIDToGIDMap alone is 128 KiB). */
function glyphless(): GlyphlessBytes {
  if (glyphlessBytes) return glyphlessBytes;
  const ttf = fs.readFileSync(assetFile('glyphless.ttf'));
  // 2 bytes (big-endian GID) per CID 0..65535, all GID 1
  const cidToGid = Buffer.alloc(2 * 65536);
  for (let i = 1; i < cidToGid.length; i += 2) cidToGid[i] = 1;
  // bfrange may only vary the last byte of a code: one range per high byte, at most 100 ranges per block;
  // the surrogate block is left out (a word's code points outside the BMP are written as U+FFFD)
  const ranges: string[] = [];
  for (let hi = 0; hi < 256; hi++) {
    if (hi >= 0xd8 && hi <= 0xdf) continue;
    const h = hi.toString(16).toUpperCase().padStart(2, '0');
    ranges.push(`<${h}00> <${h}FF> <${h}00>`);
  }
  const blocks: string[] = [];
  for (let i = 0; i < ranges.length; i += 100) {
    const b = ranges.slice(i, i + 100);
    blocks.push(`${b.length} beginbfrange\n${b.join('\n')}\nendbfrange`);
  }
  const cmap = [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...blocks,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
  return (glyphlessBytes = {
    ttf,
    fontFile: zlib.deflateSync(ttf),
    cidToGid: zlib.deflateSync(cidToGid),
    toUnicode: zlib.deflateSync(Buffer.from(cmap, 'latin1')),
  });
}

/** The glyphless Type0 font's objects in `doc` (once per document); its reference for the pages' resources. */
function embedGlyphless(doc: PDFDocument): PDFRef {
  const g = glyphless();
  const ctx = doc.context;
  const flate = (bytes: Buffer, extra: Record<string, number> = {}) => ctx.register(ctx.stream(bytes, { Filter: 'FlateDecode', ...extra }));
  const descriptor = ctx.register(
    ctx.obj({
      Type: 'FontDescriptor',
      FontName: 'GlyphLessFont',
      Flags: 5, // FixedPitch, Symbolic
      FontBBox: [0, 0, GLYPHLESS_DW, 1000],
      ItalicAngle: 0,
      // where the words are placed in their boxes (buildInto): text extractors that take the height of a word
      // from the descriptor (poppler) then give back the OCR box
      Ascent: Math.round((1000 * (1 - BASELINE_IN_BOX)) / SIZE_OF_BOX),
      Descent: -Math.round((1000 * BASELINE_IN_BOX) / SIZE_OF_BOX),
      CapHeight: Math.round((1000 * (1 - BASELINE_IN_BOX)) / SIZE_OF_BOX),
      StemV: 80,
      FontFile2: flate(g.fontFile, { Length1: g.ttf.length }),
    }),
  );
  const cidFont = ctx.register(
    ctx.obj({
      Type: 'Font',
      Subtype: 'CIDFontType2',
      BaseFont: 'GlyphLessFont',
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      FontDescriptor: descriptor,
      DW: GLYPHLESS_DW,
      CIDToGIDMap: flate(g.cidToGid),
    }),
  );
  return ctx.register(
    ctx.obj({
      Type: 'Font',
      Subtype: 'Type0',
      BaseFont: 'GlyphLessFont',
      Encoding: 'Identity-H',
      DescendantFonts: [cidFont],
      ToUnicode: flate(g.toUnicode),
    }),
  );
}

/** A word as Identity-H codes: its UTF-16 code units, one CID each (outside the BMP: U+FFFD). */
function glyphlessCodes(text: string): { hex: string; count: number } {
  let hex = '';
  let count = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const u = cp > 0xffff || (cp >= 0xd800 && cp <= 0xdfff) ? 0xfffd : cp;
    hex += u.toString(16).toUpperCase().padStart(4, '0');
    count++;
  }
  return { hex, count };
}

/** The original file, in memory or read on demand (only when a page with a text layer is copied from it). */
export type PdfSource = Buffer | (() => Promise<Buffer>);

/** The searchable PDF as one Buffer (small files, tests). */
export async function buildSearchablePdf(pages: PdfPageInput[], source?: PdfSource, title?: string): Promise<Buffer> {
  const r = await buildInto(pages, source, title, null);
  if (r.kind === 'file') throw new Error('searchable PDF: written to no file');
  return r.kind === 'buffer' ? r.buffer : r.source;
}

/**
 * The searchable PDF written to `file`, never whole in memory: the page images are copied in one at a time (a
 * 500-page scan makes a ~100 MB PDF, which the worker would otherwise hold next to the input). Returns its size.
 */
export async function writeSearchablePdf(pages: PdfPageInput[], file: string, source?: PdfSource, title?: string): Promise<number> {
  const fh = await fs.promises.open(file, 'w');
  try {
    const r = await buildInto(pages, source, title, fh);
    if (r.kind === 'file') return r.size;
    const bytes = r.kind === 'buffer' ? r.buffer : r.source;
    await fh.write(bytes);
    return bytes.length;
  } finally {
    await fh.close();
  }
}

type Built = { kind: 'buffer'; buffer: Buffer } | { kind: 'file'; size: number } | { kind: 'source'; source: Buffer };

async function buildInto(pages: PdfPageInput[], sourceIn: PdfSource | undefined, title: string | undefined, fh: fs.promises.FileHandle | null): Promise<Built> {
  let source: Buffer | undefined;
  const sourceBytes = async () => (source ??= typeof sourceIn === 'function' ? await sourceIn() : sourceIn);
  const doc = await PDFDocument.create();
  if (title) doc.setTitle(title);
  doc.setProducer('Công Văn OCR');
  let font: PDFRef | null = null;
  let src: PDFDocument | null = null;
  // JPEG page images are not held by pdf-lib until save (a 500-page file would hold them all, then the saved
  // copy too): each image stream gets a short marker as its content, and the JPEGs are spliced in afterwards,
  // one at a time, straight into the output (spliceImages).
  const spliced: Spliced[] = [];
  const tag = crypto.randomBytes(6).toString('hex');

  for (const p of pages) {
    if (p.kind === 'copy') {
      try {
        src ??= await PDFDocument.load((await sourceBytes())!, { updateMetadata: false });
      } catch (e) {
        // pdf-lib's ES5 build breaks `instanceof` on its error classes: check the name and message too.
        if (source && (e instanceof EncryptedPDFError || /encrypted/i.test(String((e as Error)?.message)))) return { kind: 'source', source };
        throw e;
      }
      const [copied] = await doc.copyPages(src, [p.sourceIndex]);
      doc.addPage(copied);
      continue;
    }
    const wPt = (p.width * 72) / p.dpi;
    const hPt = (p.height * 72) / p.dpi;
    const page = doc.addPage([wPt, hPt]);
    const bytes = typeof p.image === 'function' ? await p.image() : p.image;
    if (p.imageType === 'jpeg') {
      const jpeg = await JpegEmbedder.for(bytes);
      const marker = Buffer.from(`%${MARKER}${tag}${String(spliced.length).padStart(8, '0')}%`, 'latin1');
      const ref = doc.context.register(
        doc.context.stream(marker, {
          Type: 'XObject',
          Subtype: 'Image',
          BitsPerComponent: jpeg.bitsPerComponent,
          Width: jpeg.width,
          Height: jpeg.height,
          ColorSpace: jpeg.colorSpace,
          Filter: 'DCTDecode',
          ...(jpeg.colorSpace === 'DeviceCMYK' ? { Decode: [1, 0, 1, 0, 1, 0, 1, 0] } : {}),
        }),
      );
      spliced.push({ marker, size: bytes.length, image: p.image });
      const name = page.node.newXObject('Im', ref);
      page.pushOperators(pushGraphicsState(), concatTransformationMatrix(wPt, 0, 0, hPt, 0, 0), drawObject(name), popGraphicsState());
    } else {
      const img = await doc.embedPng(bytes);
      page.drawImage(img, { x: 0, y: 0, width: wPt, height: hPt });
    }
    const words = p.lines.flatMap((l) => l.words).filter((w) => w.text.trim());
    if (!words.length) continue;
    const key = page.node.newFontDictionary('GlyphLessFont', (font ??= embedGlyphless(doc)));
    const k = 72 / p.dpi;
    const ops: PDFOperator[] = [pushGraphicsState(), beginText(), setTextRenderingMode(TextRenderingMode.Invisible)];
    for (const w of words) {
      const text = w.text.normalize('NFC');
      const bw = (w.bbox.x1 - w.bbox.x0) * k;
      const bh = (w.bbox.y1 - w.bbox.y0) * k;
      if (bw <= 0 || bh <= 0) continue;
      const size = Math.max(1, bh * SIZE_OF_BOX);
      const codes = glyphlessCodes(text);
      // every code advances GLYPHLESS_DW: Tz stretches the word to its box
      const natural = (codes.count * GLYPHLESS_DW * size) / 1000;
      const tz = natural > 0 ? Math.min(1000, Math.max(10, (100 * bw) / natural)) : 100;
      ops.push(
        setFontAndSize(key, size),
        PDFOperator.of(PDFOperatorNames.SetTextHorizontalScaling, [PDFNumber.of(round(tz))]),
        setTextMatrix(1, 0, 0, 1, round(w.bbox.x0 * k), round(hPt - w.bbox.y1 * k + bh * BASELINE_IN_BOX)),
        showText(PDFHexString.of(codes.hex)),
      );
    }
    ops.push(endText(), popGraphicsState());
    // written out and compressed now: pdf-lib would hold every word's operator objects of every page until save
    // (a 500-page file: ~280 MB of heap)
    const content = Buffer.from(ops.map((o) => o.toString()).join('\n'), 'latin1');
    page.node.addContentStream(doc.context.register(doc.context.flateStream(content)));
  }
  // a classic cross-reference table (no object streams): offsets that spliceImages can shift
  const out = await doc.save({ useObjectStreams: !spliced.length });
  const skeleton = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  if (!fh) return { kind: 'buffer', buffer: spliced.length ? await spliceImages(skeleton, spliced, tag) : skeleton };
  if (!spliced.length) {
    await fh.write(skeleton);
    return { kind: 'file', size: skeleton.length };
  }
  let size = 0;
  await spliceImages(skeleton, spliced, tag, async (b) => {
    await fh.write(b);
    size += b.length;
  });
  return { kind: 'file', size };
}

/** Where spliceImages writes, chunk by chunk in order, instead of into one Buffer of the final size. */
export type SpliceSink = (chunk: Buffer) => Promise<void>;

const MARKER = 'CongVanImage';
type Spliced = { marker: Buffer; size: number; image: Buffer | (() => Promise<Buffer>) };

/**
 * The saved skeleton with each image marker replaced by its JPEG: the stream's /Length, the cross-reference
 * offsets after each splice and `startxref` are shifted by what each splice adds. The output is allocated once
 * (or, with `sink`, handed over chunk by chunk); each JPEG is read (again) only while it is copied in.
 */
export async function spliceImages(skel: Buffer, items: Spliced[], tag: string, sink?: SpliceSink): Promise<Buffer> {
  const prefix = Buffer.from(`%${MARKER}${tag}`, 'latin1');
  type Cut = { at: number; end: number; insert: Buffer | number };
  const cuts: Cut[] = [];
  for (let pos = skel.indexOf(prefix); pos >= 0; pos = skel.indexOf(prefix, pos + 1)) {
    const i = Number(skel.subarray(pos + prefix.length, pos + prefix.length + 8).toString('latin1'));
    const it = items[i];
    if (!it || !skel.subarray(pos, pos + it.marker.length).equals(it.marker)) throw new Error('searchable PDF: image marker mismatch');
    // "/Length <n>" of this stream's dictionary, just before "stream"
    const dictStart = skel.lastIndexOf('<<', pos);
    const lenAt = skel.indexOf('/Length ', dictStart);
    if (dictStart < 0 || lenAt < 0 || lenAt > pos) throw new Error('searchable PDF: image stream without /Length');
    const numAt = lenAt + '/Length '.length;
    let numEnd = numAt;
    while (skel[numEnd] >= 0x30 && skel[numEnd] <= 0x39) numEnd++;
    cuts.push({ at: numAt, end: numEnd, insert: Buffer.from(String(it.size), 'latin1') });
    cuts.push({ at: pos, end: pos + it.marker.length, insert: i });
  }
  if (cuts.length !== items.length * 2) throw new Error('searchable PDF: image markers not found');
  cuts.sort((a, b) => a.at - b.at);
  const sizeOf = (c: Cut) => (typeof c.insert === 'number' ? items[c.insert].size : c.insert.length);
  const shift = (offset: number) => {
    let d = 0;
    for (const c of cuts) if (c.at < offset) d += sizeOf(c) - (c.end - c.at);
    return d;
  };
  // cross-reference table and startxref of the skeleton
  const sx = skel.lastIndexOf('startxref');
  const xrefAt = Number(/startxref\s+(\d+)/.exec(skel.subarray(sx).toString('latin1'))?.[1]);
  if (!Number.isFinite(xrefAt) || skel.subarray(xrefAt, xrefAt + 4).toString('latin1') !== 'xref') throw new Error('searchable PDF: no cross-reference table');
  const tail = skel.subarray(xrefAt, sx).toString('latin1');
  // entries are "oooooooooo ggggg n" (20 bytes with the end of line); shift the in-use ones
  const total = shift(Number.MAX_SAFE_INTEGER);
  const newTail = tail.replace(/^(\d{10}) (\d{5}) n/gm, (_m, off: string, gen: string) => `${String(Number(off) + shift(Number(off))).padStart(10, '0')} ${gen} n`);
  const startxref = `startxref\n${xrefAt + total}\n%%EOF\n`;
  const size = xrefAt + total + newTail.length + startxref.length;
  let out: Buffer | null = null;
  let w = 0;
  const put =
    sink ??
    (async (b: Buffer) => {
      w += b.copy((out ??= Buffer.allocUnsafe(size)), w);
    });
  let r = 0;
  for (const c of cuts) {
    await put(skel.subarray(r, c.at));
    await put(typeof c.insert === 'number' ? await load(items[c.insert]) : c.insert);
    r = c.end;
  }
  await put(skel.subarray(r, xrefAt));
  await put(Buffer.from(newTail + startxref, 'latin1'));
  return sink ? Buffer.alloc(0) : (out ?? Buffer.alloc(0)).subarray(0, w);
}

async function load(it: Spliced): Promise<Buffer> {
  const b = typeof it.image === 'function' ? await it.image() : it.image;
  if (b.length !== it.size) throw new Error('searchable PDF: a page image changed while the PDF was built');
  return b;
}

const round = (n: number) => Math.round(n * 100) / 100;
