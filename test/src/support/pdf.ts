/**
 * Small real PDFs for tests: one blank A4 page titled `tag`, with fixed dates so that the same tag gives the
 * same bytes (and sha256) every time; different tags give different files.
 */
import { PDFDocument } from 'pdf-lib';

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
