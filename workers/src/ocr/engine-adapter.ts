/**
 * The worker's OcrEngine (server/src/infra/ocr/ocr.ts) on the tesseract.js pipeline: one pool of
 * single-threaded tesseract workers per process, created once and reused for every job.
 */
import type { OcrAssembled, OcrEngine, OcrPageData, OcrPageOutput } from '../../../server/src/infra/ocr/ocr';
import { isOcrInputError } from './errors';
import { createOcrPool, type OcrPool, type OcrPoolOptions, type PageResult } from './pipeline';

/** Readable characters (letters/digits read with confidence ≥ 60) below which a file counts as having no text. */
const MIN_READABLE = 10;

export function createOcrEngine(opts: OcrPoolOptions = {}): OcrEngine & { pool: OcrPool } {
  const pool = createOcrPool(opts);
  const toData = (p: PageResult): OcrPageData => ({
    index: p.index,
    width: p.width,
    height: p.height,
    dpi: p.dpi,
    text: p.text,
    lines: p.lines,
    confidence: p.confidence,
    hadTextLayer: p.hadTextLayer,
    rotation: p.rotation,
    ms: p.ms,
  });
  const fromData = (d: OcrPageData, image: Buffer | null): PageResult =>
    ({ ...d, lines: d.lines as PageResult['lines'], words: (d.lines as PageResult['lines']).flatMap((l) => l.words), image: image ?? undefined }) as PageResult;

  return {
    pool,
    inspect: (input) => pool.inspect(input),
    async page(input, index): Promise<OcrPageOutput> {
      const p = await pool.pageOf(input, index);
      return { data: toData(p), image: p.image ?? null };
    },
    async assemble(pages, source, fileName): Promise<OcrAssembled> {
      const results = pages.map((p) => fromData(p.data, p.image));
      const readable = results.reduce((n, p) => n + p.words.filter((w) => w.confidence >= 60).reduce((m, w) => m + (w.text.match(/[\p{L}\p{N}]/gu) ?? []).length, 0), 0);
      const a = await pool.assemble(results, { source, fileName });
      return { text: a.text, fields: a.fields as unknown as Record<string, unknown>, searchablePdf: a.searchablePdf, thumbnail: a.thumbnail, noText: readable < MIN_READABLE };
    },
    inputProblem: (e) => (isOcrInputError(e) ? { code: e.code, message: e.message } : null),
    close: () => pool.close(),
  };
}
