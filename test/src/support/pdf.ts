/**
 * Small real PDFs for tests: one blank A4 page titled `tag`, with fixed dates so that the same tag gives the
 * same bytes (and sha256) every time; different tags give different files. And poppler's independent readers
 * (`pdftotext`, `pdfsig`) run on bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';

function withTmp<T>(bytes: Uint8Array, fn: (file: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'congvan-pdf-'));
  try {
    const file = path.join(dir, 'f.pdf');
    writeFileSync(file, bytes);
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text poppler reads from a PDF (`pdftotext -layout`). */
export const pdftotext = (b: Uint8Array): string => withTmp(b, (f) => execFileSync('pdftotext', ['-layout', f, '-'], { encoding: 'utf8' }));

/** What poppler's `pdfsig` says of a PDF's signatures (its report also when it exits non-zero). */
export const pdfsig = (b: Uint8Array): string =>
  withTmp(b, (f) => {
    try {
      return execFileSync('pdfsig', [f], { encoding: 'utf8' });
    } catch (e) {
      return String((e as { stdout?: string }).stdout ?? '');
    }
  });

async function taggedPdfBytes(tag: string): Promise<Uint8Array> {
  const d = await PDFDocument.create();
  d.addPage([595, 842]);
  d.setTitle(tag);
  d.setCreationDate(new Date(0));
  d.setModificationDate(new Date(0));
  return d.save();
}

export async function taggedPdf(tag: string): Promise<Buffer> {
  return Buffer.from(await taggedPdfBytes(tag));
}

/** The same as an upload (`File`, application/pdf) named `name`. */
export async function taggedPdfFile(name: string, tag: string): Promise<File> {
  return new File([Buffer.from(await taggedPdfBytes(tag))], name, { type: 'application/pdf' });
}
