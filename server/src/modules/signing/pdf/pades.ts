/**
 * PAdES B-B signing of a PDF in two steps, so that the key may live anywhere (server PKCS#12, USB token):
 *   preparePdfSignature(pdf, opts, chain) → { pdf with placeholder, signedAttributes, digest }
 *   (sign `signedAttributes` with RSA PKCS#1 v1.5 / SHA-256 — equivalently the DigestInfo of `digest`)
 *   embedSignature(prepared, signatureValue, chain) → signed PDF
 * Every signature is an incremental update (see incremental.ts): earlier signatures stay valid.
 *
 * The ByteRange/Contents handling is done here rather than with @signpdf/signpdf: its SignPdf.sign() computes
 * the ranges and calls a Signer in one call, which cannot span the HTTP round trip to a token helper.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFFont, PDFHexString, PDFImage, PDFName, PDFPage, PDFRef } from 'pdf-lib';
import { buildCms, buildSignedAttributes } from '../crypto/cms';
import { IncrementalDoc } from './incremental';
import type { PreparedSignature, Rect, SignOptions, SignaturePlacement } from './types';
import { fontkit } from '../../../shared/lazy-modules';

/** Bytes reserved for the CMS (hex-encoded in /Contents): a 3-certificate RSA-4096 chain fits. */
export const CONTENTS_BYTES = 12288;

const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const fontCache = new Map<string, Uint8Array>();
export function fontBytes(style: 'regular' | 'bold' | 'italic' = 'regular'): Uint8Array {
  const file = { regular: 'DejaVuSerif.ttf', bold: 'DejaVuSerif-Bold.ttf', italic: 'DejaVuSerif-Italic.ttf' }[style];
  let b = fontCache.get(file);
  if (!b) {
    b = fs.readFileSync(path.join(FONT_DIR, file));
    fontCache.set(file, b);
  }
  return b;
}

/** PDF date string in Vietnam time: D:YYYYMMDDHHmmSS+07'00'. */
export function pdfDate(d: Date): string {
  const v = new Date(d.getTime() + 7 * 3600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `D:${v.getUTCFullYear()}${p(v.getUTCMonth() + 1)}${p(v.getUTCDate())}${p(v.getUTCHours())}${p(v.getUTCMinutes())}${p(v.getUTCSeconds())}+07'00'`;
}

export function hasSignatures(pdf: Uint8Array): boolean {
  return Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength).includes('/ByteRange');
}

/** An unsigned file is first rewritten by pdf-lib (a clean, classic-xref base); a signed one is only appended to. */
async function base(pdf: Uint8Array): Promise<Uint8Array> {
  if (hasSignatures(pdf)) return pdf;
  const doc = await PDFDocument.load(pdf, { updateMetadata: false }).catch((e: unknown) => {
    throw new Error(e instanceof Error && /encrypt/i.test(e.message) ? 'Tệp PDF được mã hóa, không thể ký.' : 'Tệp không phải PDF hợp lệ.');
  });
  return doc.save({ useObjectStreams: false });
}

function pageAt(doc: PDFDocument, index: number): PDFPage {
  const n = doc.getPageCount();
  const i = index < 0 ? n + index : index;
  if (i < 0 || i >= n) throw new Error(`Trang ${index + 1} không có trong tệp (${n} trang).`);
  return doc.getPage(i);
}

const isPng = (b: Uint8Array) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;

async function embedImage(doc: PDFDocument, b: Uint8Array): Promise<PDFImage> {
  return isPng(b) ? doc.embedPng(b) : doc.embedJpg(b);
}

/** Fits lines of text into a box: the font size shrinks (down to 5 pt) until the longest line fits. */
function textOps(font: PDFFont, fontName: string, lines: string[], box: Rect, size0: number): string {
  let size = size0;
  const widest = () => Math.max(...lines.map((l) => font.widthOfTextAtSize(l, size)));
  while (size > 5 && (widest() > box.width || lines.length * size * 1.25 > box.height)) size -= 0.5;
  const lineH = size * 1.25;
  const top = box.y + (box.height + lines.length * lineH) / 2 - size;
  return lines
    .map((l, i) => `BT /${fontName} ${size} Tf 0 0 0 rg ${box.x.toFixed(2)} ${(top - i * lineH).toFixed(2)} Td ${font.encodeText(l).toString()} Tj ET`)
    .join('\n');
}

/** The appearance stream (Form XObject) of a visible signature: image left, text right (or alone). */
async function appearance(idoc: IncrementalDoc, p: SignaturePlacement): Promise<PDFRef> {
  const doc = idoc.doc;
  const ctx = doc.context;
  const { width: w, height: h } = p.rect;
  const ops: string[] = [];
  const xobjects: Record<string, PDFRef> = {};
  const fonts: Record<string, PDFRef> = {};
  let textBox: Rect = { x: 2, y: 0, width: w - 4, height: h };
  if (p.image) {
    const img = await embedImage(doc, p.image);
    const hasText = !!p.text?.length;
    const scale = Math.min((hasText ? w * 0.6 : w) / img.width, h / img.height);
    const iw = img.width * scale;
    const ih = img.height * scale;
    const ix = hasText ? 0 : (w - iw) / 2;
    const iy = (h - ih) / 2;
    xobjects.Im1 = img.ref;
    ops.push(`q ${iw.toFixed(3)} 0 0 ${ih.toFixed(3)} ${ix.toFixed(3)} ${iy.toFixed(3)} cm /Im1 Do Q`);
    // The text goes to the right of the image; over it when there is too little room.
    textBox = w - iw > 60 ? { x: iw + 3, y: 0, width: w - iw - 5, height: h } : { x: 2, y: 0, width: w - 4, height: h };
  }
  if (p.text?.length) {
    doc.registerFontkit(fontkit());
    const font = await doc.embedFont(fontBytes('regular'), { subset: true });
    fonts.F1 = font.ref;
    ops.push(textOps(font, 'F1', p.text, textBox, p.fontSize ?? 10));
  }
  const stream = ctx.flateStream(ops.join('\n'), {
    Type: 'XObject',
    Subtype: 'Form',
    BBox: [0, 0, w, h],
    Resources: { XObject: xobjects, Font: fonts },
  });
  return ctx.register(stream);
}

const hexText = (s: string) => PDFHexString.fromText(s).toString();

/** Step 1: the PDF with a signature field and placeholder appended, and the signed attributes to sign. */
export async function preparePdfSignature(pdf: Uint8Array, opts: SignOptions, chainDer: Uint8Array[], fieldName?: string): Promise<PreparedSignature> {
  if (!chainDer.length) throw new Error('Thiếu chứng thư số của người ký.');
  const signingTime = opts.signingTime ?? new Date();
  const idoc = await IncrementalDoc.load(await base(pdf));
  const doc = idoc.doc;
  const ctx = doc.context;
  const placement = opts.placement ?? null;
  const page = pageAt(doc, placement?.page ?? 0);

  const form = idoc.acroForm();
  const fields = idoc.arrayOf(form, null, 'Fields');
  const name = fieldName ?? `${opts.kind === 'AGENCY' ? 'CoQuan' : 'CaNhan'}${fields.size() + 1}`;
  form.set(PDFName.of('SigFlags'), ctx.obj(3));

  const sigRef = idoc.reserveRaw();
  const rect = placement ? placement.rect : { x: 0, y: 0, width: 0, height: 0 };
  const widget = ctx.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: PDFHexString.fromText(name),
    F: 132, // Print | Locked
    Rect: [rect.x, rect.y, rect.x + rect.width, rect.y + rect.height],
    P: page.ref,
    V: sigRef,
  }) as PDFDict;
  if (placement && rect.width > 0 && rect.height > 0) widget.set(PDFName.of('AP'), ctx.obj({ N: await appearance(idoc, placement) }));
  const widgetRef = ctx.register(widget);
  idoc.arrayOf(page.node, page.ref, 'Annots').push(widgetRef);
  fields.push(widgetRef);

  const contentsPlaceholder = `<${'0'.repeat(CONTENTS_BYTES * 2)}>`;
  const byteRangePlaceholder = `[0 ${'9'.repeat(10)} ${'9'.repeat(10)} ${'9'.repeat(10)}]`;
  let dict = `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange ${byteRangePlaceholder} /Contents ${contentsPlaceholder} /M (${pdfDate(signingTime)})`;
  if (opts.reason) dict += ` /Reason ${hexText(opts.reason)}`;
  if (opts.name) dict += ` /Name ${hexText(opts.name)}`;
  if (opts.location) dict += ` /Location ${hexText(opts.location)}`;
  dict += ' >>';
  idoc.setRaw(sigRef, dict);

  const { bytes, offsets } = await idoc.build();
  const objStart = offsets.get(sigRef.objectNumber) as number;
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const contentsOffset = text.indexOf('/Contents <', objStart, 'latin1') + '/Contents '.length;
  const contentsEnd = contentsOffset + contentsPlaceholder.length;
  const brOffset = text.indexOf('/ByteRange [', objStart, 'latin1') + '/ByteRange '.length;
  const byteRange = [0, contentsOffset, contentsEnd, bytes.length - contentsEnd];
  const brText = `[${byteRange.join(' ')}`;
  if (brText.length + 1 > byteRangePlaceholder.length) throw new Error('Tệp quá lớn để ký.');
  text.write(`${brText.padEnd(byteRangePlaceholder.length - 1, ' ')}]`, brOffset, 'latin1');

  const digestOfContent = createHash('sha256').update(bytes.subarray(0, contentsOffset)).update(bytes.subarray(contentsEnd)).digest();
  const signedAttributes = buildSignedAttributes(digestOfContent, signingTime, chainDer[0]);
  return {
    pdf: bytes,
    contentsOffset,
    contentsHexLength: CONTENTS_BYTES * 2,
    signedAttributes,
    digest: createHash('sha256').update(signedAttributes).digest(),
    signingTime,
  };
}

/** Step 3: puts the CMS (signed attributes + signature value + chain) into /Contents. */
export function embedSignature(prepared: PreparedSignature, signatureValue: Uint8Array, chainDer: Uint8Array[]): Uint8Array {
  const cms = buildCms(prepared.signedAttributes, signatureValue, chainDer);
  const hex = cms.toString('hex');
  if (hex.length > prepared.contentsHexLength) throw new Error('Chữ ký quá lớn so với chỗ dành sẵn.');
  const out = new Uint8Array(prepared.pdf);
  Buffer.from(out.buffer, out.byteOffset, out.byteLength).write(hex, prepared.contentsOffset + 1, 'latin1');
  return out;
}

export interface TextStamp {
  page: number;
  x: number;
  y: number;
  text: string;
  size?: number;
  bold?: boolean;
  italic?: boolean;
}

/**
 * Writes text on pages as an incremental update without a signature (e.g. the number and date after the
 * signer's signature): earlier signatures stay valid; the page's original content is wrapped in q … Q.
 */
export async function stampText(pdf: Uint8Array, items: TextStamp[]): Promise<Uint8Array> {
  const idoc = await IncrementalDoc.load(await base(pdf));
  const doc = idoc.doc;
  const ctx = doc.context;
  doc.registerFontkit(fontkit());
  const fonts = new Map<string, PDFFont>();
  const fontFor = async (s: 'regular' | 'bold' | 'italic') => {
    let f = fonts.get(s);
    if (!f) {
      f = await doc.embedFont(fontBytes(s), { subset: true });
      fonts.set(s, f);
    }
    return f;
  };
  const byPage = new Map<number, TextStamp[]>();
  for (const it of items) {
    const i = it.page < 0 ? doc.getPageCount() + it.page : it.page;
    byPage.set(i, [...(byPage.get(i) ?? []), it]);
  }
  for (const [i, list] of byPage) {
    const page = pageAt(doc, i);
    const fontNames: Record<string, PDFRef> = {};
    const ops: string[] = [];
    for (const it of list) {
      const style = it.bold ? 'bold' : it.italic ? 'italic' : 'regular';
      const font = await fontFor(style);
      const fname = `CVStamp${style}`;
      fontNames[fname] = font.ref;
      ops.push(`BT /${fname} ${it.size ?? 13} Tf 0 0 0 rg ${it.x.toFixed(2)} ${it.y.toFixed(2)} Td ${font.encodeText(it.text).toString()} Tj ET`);
    }
    // Resources: own copy on the page (inherited ones are copied down), fonts added under fresh names.
    let res = page.node.get(PDFName.of('Resources'));
    let resDict: PDFDict;
    if (res instanceof PDFRef) {
      idoc.touch(res);
      resDict = ctx.lookup(res, PDFDict);
    } else if (res instanceof PDFDict) {
      idoc.touch(page.ref);
      resDict = res;
    } else {
      res = page.node.Resources();
      resDict = res ? (res as PDFDict).clone(ctx) : (ctx.obj({}) as PDFDict);
      page.node.set(PDFName.of('Resources'), resDict);
      idoc.touch(page.ref);
    }
    const fontEntry = resDict.get(PDFName.of('Font'));
    let fontDict: PDFDict;
    if (fontEntry instanceof PDFRef) {
      idoc.touch(fontEntry);
      fontDict = ctx.lookup(fontEntry, PDFDict);
    } else if (fontEntry instanceof PDFDict) fontDict = fontEntry;
    else {
      fontDict = ctx.obj({}) as PDFDict;
      resDict.set(PDFName.of('Font'), fontDict);
    }
    for (const [n, ref] of Object.entries(fontNames)) fontDict.set(PDFName.of(n), ref);

    const contents = page.node.get(PDFName.of('Contents'));
    let old: PDFRef[] = [];
    if (contents instanceof PDFRef) {
      const target = ctx.lookup(contents);
      old = target instanceof PDFArray ? (target.asArray() as PDFRef[]) : [contents];
    } else if (contents instanceof PDFArray) old = contents.asArray() as PDFRef[];
    const pre = ctx.register(ctx.stream('q\n'));
    const post = ctx.register(ctx.flateStream(`\nQ\n${ops.join('\n')}\n`));
    page.node.set(PDFName.of('Contents'), ctx.obj([pre, ...old, post]));
    idoc.touch(page.ref);
  }
  return (await idoc.build()).bytes;
}

export async function pdfPageSizes(pdf: Uint8Array): Promise<{ width: number; height: number }[]> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  return doc.getPages().map((p) => p.getSize());
}
