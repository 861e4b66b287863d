/**
 * OCR / digitisation library (issue 4). Entry points:
 *
 *   const pool = createOcrPool({ concurrency, dataDir });
 *   const r = await pool.digitise(buffer, { fileName, onPage });   // whole file
 *   const p = await pool.recognisePage(pageImage, { index, dpi });  // one page (queue job)
 *   const a = await pool.assemble([p0, p1, …], { source });          // pages → text, fields, PDF, thumbnail
 *   await pool.close();
 *
 * Errors with the input are `OcrInputError` (code + Vietnamese message).
 */
export { createOcrPool } from './pipeline';
export type { OcrPool, OcrPoolOptions, DigitiseOptions, DigitiseResult, PageResult, OcrWordOut } from './pipeline';
export { OcrInputError, isOcrInputError, type OcrErrorCode } from './errors';
export { detectKind, type InputKind } from './detect';
export { extractFields, extractFieldsFromText, DOC_TYPES, type ExtractedFields, type Field, type Urgency } from './fields';
export { parseVietnameseDate } from './dates';
export { cer, flexCer, levenshtein, normForCer } from './cer';
export { openPdf, type PdfPageSource } from './pdf';

import type { ExtractedFields } from './fields';

/** Field values only (what the CLI prints). */
export function fieldValues(f: ExtractedFields): { [K in keyof ExtractedFields]: ExtractedFields[K]['value'] } {
  const out = {} as { [K in keyof ExtractedFields]: ExtractedFields[K]['value'] };
  for (const k of Object.keys(f) as Array<keyof ExtractedFields>) (out as Record<string, unknown>)[k] = f[k].value;
  return out;
}
