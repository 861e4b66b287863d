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
  /** Size in bytes of the searchable PDF written to the `pdfFile` the caller named. */
  searchablePdfSize: number;
  thumbnail: Buffer;
  /** True when hardly anything readable was found (a blank page, a photo). */
  noText: boolean;
}

/**
 * What the deployment knows that helps reading its scans (issue 14), loaded from its database by the worker
 * (server/src/modules/ocr/ocr.knowledge.ts): born-digital Vietnamese text (issued documents' text, trích yếu of
 * register entries) for the language model, and the directory of agencies and people for issuer and signer.
 */
export interface OcrKnowledgeSources {
  texts: string[];
  agencies: string[];
  people: string[];
}

/** What a learnt knowledge holds (for logs and tests). */
export interface OcrKnowledgeStats {
  texts: number;
  syllables: number;
  bigrams: number;
  agencies: number;
  people: number;
}

/** A page image for assembly: in memory, absent, or loaded on demand (one at a time while the PDF is built). */
export type OcrPageImage = Buffer | null | (() => Promise<Buffer>);

/** A problem with the input itself (corrupt, encrypted, too large …): final, never retried. */
export interface OcrInputProblem {
  code: string;
  message: string;
}

export interface OcrEngine {
  inspect(input: Buffer): Promise<{ kind: string; pages: number }>;
  /**
   * Page `index` of the input. With `key` (the file's sha256) the engine keeps the parsed file open for the next
   * pages of the same file, and `input` may be a loader it calls only when it does not have the file open.
   */
  page(input: Buffer | (() => Promise<Buffer>), index: number, key?: string): Promise<OcrPageOutput>;
  /** Lets go of the file kept open for `key` (all its pages are read). */
  forget?(key: string): Promise<void>;
  /**
   * Text, fields and thumbnail of the recognised pages; the searchable PDF is written to `opts.pdfFile` (a 500-page
   * scan makes a ~100 MB PDF: never held whole in memory). `source` (the original file) is read only when a page
   * with a text layer has to be copied from it.
   */
  assemble(pages: Array<{ data: OcrPageData; image: OcrPageImage }>, source: () => Promise<Buffer>, opts: { pdfFile: string; fileName?: string }): Promise<OcrAssembled>;
  /** Builds the language model and directory from `sources` and uses them for the pages read from now on. */
  learn?(sources: OcrKnowledgeSources): OcrKnowledgeStats;
  /** The input problem behind an error thrown by the engine, or null for an unexpected failure. */
  inputProblem(e: unknown): OcrInputProblem | null;
  close(): Promise<void>;
}
