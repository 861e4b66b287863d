/**
 * The worker's OcrEngine (server/src/infra/ocr/ocr.ts) on the tesseract.js pipeline: one pool of
 * single-threaded tesseract workers per process, created once and reused for every job.
 */
import fs from 'node:fs';
import type { OcrAssembled, OcrEngine, OcrKnowledgeSources, OcrKnowledgeStats, OcrPageData, OcrPageImage, OcrPageOutput } from '../../../server/src/infra/ocr/ocr';
import { isOcrInputError } from './errors';
import { buildLm, PRIOR_COSTS } from './lm';
import { createOcrPool, type OcrPool, type OcrPoolOptions, type PageResult } from './pipeline';
import { knownSyllables } from './postcorrect';

/**
 * The language model and directory from the deployment's own data: syllable and bigram statistics of its
 * born-digital text plus the well-formed syllables (`knownSyllables`), the prior confusion costs (no OCR/truth pairs in
 * production), and its agencies and people (names deduplicated after NFC and trimming).
 */
export function knowledgeFrom(sources: OcrKnowledgeSources): { lm: NonNullable<OcrPoolOptions['lm']>; directory: NonNullable<OcrPoolOptions['directory']>; stats: OcrKnowledgeStats } {
  const lm = buildLm(sources.texts, knownSyllables());
  const uniq = (xs: string[]) => [...new Set(xs.map((x) => x.normalize('NFC').replace(/\s+/g, ' ').trim()).filter((x) => x.length >= 4))];
  const directory = { agencies: uniq(sources.agencies), people: uniq(sources.people) };
  return {
    lm: { lm, costs: PRIOR_COSTS },
    directory,
    stats: { texts: sources.texts.length, syllables: lm.uni.size, bigrams: lm.bi.size, agencies: directory.agencies.length, people: directory.people.length },
  };
}

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
  const fromData = (d: OcrPageData, image: OcrPageImage): PageResult =>
    ({
      ...d,
      lines: d.lines as PageResult['lines'],
      words: (d.lines as PageResult['lines']).flatMap((l) => l.words),
      image: Buffer.isBuffer(image) ? image : undefined,
      loadImage: typeof image === 'function' ? image : undefined,
    }) as PageResult;

  return {
    pool,
    inspect: (input) => pool.inspect(input),
    async page(input, index, key): Promise<OcrPageOutput> {
      const p = await pool.pageOf(input, index, key);
      return { data: toData(p), image: p.image ?? null };
    },
    forget: (key) => pool.forget(key),
    async assemble(pages, source, opts): Promise<OcrAssembled> {
      const results = pages.map((p) => fromData(p.data, p.image));
      const readable = results.reduce((n, p) => n + p.words.filter((w) => w.confidence >= 60).reduce((m, w) => m + (w.text.match(/[\p{L}\p{N}]/gu) ?? []).length, 0), 0);
      const a = await pool.assemble(results, { source, fileName: opts.fileName, searchablePdfFile: opts.pdfFile });
      const searchablePdfSize = (await fs.promises.stat(opts.pdfFile)).size;
      return { text: a.text, fields: a.fields as unknown as Record<string, unknown>, searchablePdfSize, thumbnail: a.thumbnail, noText: readable < MIN_READABLE };
    },
    learn(sources) {
      const k = knowledgeFrom(sources);
      pool.setKnowledge({ lm: k.lm, directory: k.directory });
      return k.stats;
    },
    inputProblem: (e) => (isOcrInputError(e) ? { code: e.code, message: e.message } : null),
    close: () => pool.close(),
  };
}
