/**
 * Text positions of a PDF (for finding the "Số:" and date placeholders of a draft), read with poppler's
 * `pdftotext -bbox` (poppler-utils is installed on the machines and in the production image; pdf.js is not).
 * And text widths in the font the stamp is written with (DejaVu Serif, as the signing module's stampText).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { AppError } from '../../../shared/errors';
import { fontkit } from '../../../shared/lazy-modules';

export interface PdfWord {
  text: string;
  /** Points, origin TOP-left of the page (as pdftotext reports them). */
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface PdfPageText {
  width: number;
  height: number;
  words: PdfWord[];
}

const decode = (s: string) =>
  s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&').normalize('NFC');

/** Parses the XHTML of `pdftotext -bbox`. */
export function parseBboxHtml(html: string): PdfPageText[] {
  const pages: PdfPageText[] = [];
  const pageRe = /<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g;
  const wordRe = /<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">([\s\S]*?)<\/word>/g;
  for (const m of html.matchAll(pageRe)) {
    const words: PdfWord[] = [];
    for (const w of m[3].matchAll(wordRe)) {
      words.push({ xMin: Number(w[1]), yMin: Number(w[2]), xMax: Number(w[3]), yMax: Number(w[4]), text: decode(w[5]) });
    }
    pages.push({ width: Number(m[1]), height: Number(m[2]), words });
  }
  return pages;
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024, timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

/**
 * Words with their boxes, page by page. A file poppler cannot parse (a damaged cross-reference table that
 * pdf-lib still repairs) has no readable text layer: its pages come back without words (pdf-lib sizes).
 * INTERNAL error when poppler is missing, BAD_USER_INPUT when neither can read the file.
 */
export async function pdfWords(pdf: Uint8Array): Promise<PdfPageText[]> {
  const dir = await mkdtemp(path.join(tmpdir(), 'congvan-bbox-'));
  try {
    const file = path.join(dir, 'in.pdf');
    await writeFile(file, pdf);
    const html = await run('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-']);
    return parseBboxHtml(html);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('INTERNAL', 'Máy chủ thiếu công cụ pdftotext (poppler-utils) để đọc vị trí chữ trong tệp PDF.');
    try {
      const doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false });
      return doc.getPages().map((p) => {
        try {
          return { ...p.getSize(), words: [] };
        } catch {
          return { width: 595.28, height: 841.89, words: [] }; // no MediaBox: A4
        }
      });
    } catch {
      throw new AppError('BAD_USER_INPUT', 'Không đọc được tệp PDF để ghi số, ngày ban hành: tệp bị hỏng.', { field: 'files' });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ── widths in DejaVu Serif (regular / italic / bold) ───────────────────────────────────────────────

type FkFont = { unitsPerEm: number; layout(text: string): { advanceWidth: number } };
const fonts = new Map<string, FkFont>();

async function font(style: 'regular' | 'italic' | 'bold'): Promise<FkFont> {
  const hit = fonts.get(style);
  if (hit) return hit;
  const dir = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  const file = style === 'italic' ? 'DejaVuSerif-Italic.ttf' : style === 'bold' ? 'DejaVuSerif-Bold.ttf' : 'DejaVuSerif.ttf';
  const f = fontkit().create(await readFile(path.join(dir, file))) as unknown as FkFont;
  fonts.set(style, f);
  return f;
}

/** A text measurer for the stamp layout: width in points of `text` at `size`. */
export type Measure = (text: string, size: number, style?: 'regular' | 'italic' | 'bold') => number;

export async function dejaVuMeasure(): Promise<Measure> {
  const [r, i, b] = await Promise.all([font('regular'), font('italic'), font('bold')]);
  return (text, size, style = 'regular') => {
    const f = style === 'italic' ? i : style === 'bold' ? b : r;
    return (f.layout(text.normalize('NFC')).advanceWidth * size) / f.unitsPerEm;
  };
}
