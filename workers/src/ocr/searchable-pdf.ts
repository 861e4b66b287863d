/**
 * Searchable PDF: each OCR'd page is its page image with an invisible text layer (render mode 3)
 * placed word by word on the recognised boxes, so that search, copy and selection work in any viewer.
 * Pages that already had a text layer are copied from the source PDF unchanged. An encrypted source (owner
 * password only) cannot be copied from: it already carries its text layer, so it is returned as it is.
 */
import fs from 'node:fs';
import path from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import {
  EncryptedPDFError,
  PDFDocument,
  PDFOperator,
  PDFOperatorNames,
  PDFNumber,
  TextRenderingMode,
  beginText,
  endText,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  pushGraphicsState,
  popGraphicsState,
  type PDFFont,
} from 'pdf-lib';
import type { Box } from './engine';

export type PdfPageInput =
  | {
      kind: 'image';
      /** JPEG (or PNG) of the page as shown */
      image: Buffer;
      imageType: 'jpeg' | 'png';
      width: number;
      height: number;
      dpi: number;
      lines: Array<{ words: Array<{ text: string; bbox: Box }> }>;
    }
  | { kind: 'copy'; sourceIndex: number };

let fontBytes: Buffer | null = null;

/** A font with Vietnamese glyphs for the (invisible) text layer. */
function loadFont(): Buffer {
  if (fontBytes) return fontBytes;
  const candidates: string[] = [];
  try {
    candidates.push(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'));
  } catch {
    /* not installed in this workspace */
  }
  candidates.push(
    '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
    '/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf',
    path.join(process.cwd(), 'node_modules/dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
  );
  for (const c of candidates) if (fs.existsSync(c)) return (fontBytes = fs.readFileSync(c));
  throw new Error('No TrueType font with Vietnamese glyphs found for the PDF text layer (dejavu-fonts-ttf)');
}

export async function buildSearchablePdf(pages: PdfPageInput[], source?: Buffer, title?: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  if (title) doc.setTitle(title);
  doc.setProducer('Công Văn OCR');
  let font: PDFFont | null = null;
  const getFont = async () => (font ??= await doc.embedFont(loadFont(), { subset: true }));
  let src: PDFDocument | null = null;

  for (const p of pages) {
    if (p.kind === 'copy') {
      try {
        src ??= await PDFDocument.load(source!, { updateMetadata: false });
      } catch (e) {
        // pdf-lib's ES5 build breaks `instanceof` on its error classes: check the name and message too.
        if (source && (e instanceof EncryptedPDFError || /encrypted/i.test(String((e as Error)?.message)))) return source;
        throw e;
      }
      const [copied] = await doc.copyPages(src, [p.sourceIndex]);
      doc.addPage(copied);
      continue;
    }
    const wPt = (p.width * 72) / p.dpi;
    const hPt = (p.height * 72) / p.dpi;
    const page = doc.addPage([wPt, hPt]);
    const img = p.imageType === 'jpeg' ? await doc.embedJpg(p.image) : await doc.embedPng(p.image);
    page.drawImage(img, { x: 0, y: 0, width: wPt, height: hPt });
    const words = p.lines.flatMap((l) => l.words).filter((w) => w.text.trim());
    if (!words.length) continue;
    const f = await getFont();
    const key = page.node.newFontDictionary(f.name, f.ref);
    const k = 72 / p.dpi;
    const ops: PDFOperator[] = [pushGraphicsState(), beginText(), setTextRenderingMode(TextRenderingMode.Invisible)];
    for (const w of words) {
      const text = w.text.normalize('NFC');
      const bw = (w.bbox.x1 - w.bbox.x0) * k;
      const bh = (w.bbox.y1 - w.bbox.y0) * k;
      if (bw <= 0 || bh <= 0) continue;
      const size = Math.max(1, bh * 0.85);
      const natural = f.widthOfTextAtSize(text, size);
      const tz = natural > 0 ? Math.min(1000, Math.max(10, (100 * bw) / natural)) : 100;
      ops.push(
        setFontAndSize(key, size),
        PDFOperator.of(PDFOperatorNames.SetTextHorizontalScaling, [PDFNumber.of(round(tz))]),
        setTextMatrix(1, 0, 0, 1, round(w.bbox.x0 * k), round(hPt - w.bbox.y1 * k + bh * 0.18)),
        showText(f.encodeText(text)),
      );
    }
    ops.push(endText(), popGraphicsState());
    page.pushOperators(...ops);
  }
  return Buffer.from(await doc.save({ useObjectStreams: true }));
}

const round = (n: number) => Math.round(n * 100) / 100;
