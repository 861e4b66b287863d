/**
 * The OCR engine as the job handlers see it (implemented in workers/src/ocr on tesseract.js).
 * A file is inspected once, its pages are recognised independently (one queue job each, in parallel
 * across workers), and the page results are assembled into text, fields, a searchable PDF and a thumbnail.
 */
export interface OcrPageData {
  index: number;
  width: number;
  height: number;
  dpi: number;
  text: string;
  /** Reading-order lines with their words, boxes and confidences (JSON-serialisable). */
  lines: unknown[];
  confidence: number;
  hadTextLayer: boolean;
  rotation: number;
  ms: number;
}

export interface OcrPageOutput {
  data: OcrPageData;
  /** The cleaned page image shown in the searchable PDF (absent for pages with a text layer). */
  image: Buffer | null;
}

export interface OcrAssembled {
  text: string;
  /** Decree 30 fields, each { value, confidence }. */
  fields: Record<string, unknown>;
  searchablePdf: Buffer;
  thumbnail: Buffer;
  /** True when hardly anything readable was found (a blank page, a photo). */
  noText: boolean;
}

/** A problem with the input itself (corrupt, encrypted, too large …): final, never retried. */
export interface OcrInputProblem {
  code: string;
  message: string;
}

export interface OcrEngine {
  inspect(input: Buffer): Promise<{ kind: string; pages: number }>;
  page(input: Buffer, index: number): Promise<OcrPageOutput>;
  assemble(pages: Array<{ data: OcrPageData; image: Buffer | null }>, source: Buffer, fileName?: string): Promise<OcrAssembled>;
  /** The input problem behind an error thrown by the engine, or null for an unexpected failure. */
  inputProblem(e: unknown): OcrInputProblem | null;
  close(): Promise<void>;
}
