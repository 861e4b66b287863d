/**
 * Opening a search hit: the page of a document's digitised bản chính where the query's words are, with the OCR
 * word boxes of those words (fractions of the page image), so that the viewer highlights them on the scan.
 * Permissions: the caller must be able to read the document (documents.policy loadVisibleDocument).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ObjectStorage } from '../../infra/storage/storage';
import { badInput } from '../../shared/errors';
import type { Scope } from '../../shared/scope';
import { loadVisibleDocument } from '../documents/documents.policy';
import { foldWord, matcherOf, parseQuery, tokenize } from './domain';

interface PageWord {
  text: string;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}
interface PageData {
  width?: number;
  height?: number;
  text?: string;
  /** The stored page data (server/src/infra/ocr/ocr.ts OcrPageData) keeps the words in their lines. */
  lines?: { words?: PageWord[] }[];
  words?: PageWord[];
}

/** Every word of a page, in reading order. */
const wordsOf = (data: PageData): PageWord[] => data.words ?? (data.lines ?? []).flatMap((l) => l.words ?? []);

export interface HitBox {
  x: number;
  y: number;
  width: number;
  height: number;
  text: string;
}

export interface HitPage {
  page: number;
  pageCount: number;
  imageUrl: string | null;
  width: number;
  height: number;
  boxes: HitBox[];
  pagesWithHits: number[];
}

/** Does a word read by OCR match the query (each of its tokens folded, as the snippets do)? */
export function wordMatches(text: string, matches: (foldedWord: string) => boolean): boolean {
  const tokens = tokenize(text);
  return tokens.length > 0 && tokens.some((t) => matches(foldWord(t.text)));
}

/** Boxes (fractions of the page) of the words that match. Pure. */
export function boxesOf(data: PageData, matches: (foldedWord: string) => boolean): HitBox[] {
  const w = data.width ?? 0;
  const h = data.height ?? 0;
  if (!w || !h) return [];
  const r = (n: number) => Math.round(n * 10_000) / 10_000;
  return wordsOf(data)
    .filter((word) => wordMatches(word.text, matches))
    .map((word) => ({
      x: r(word.bbox.x0 / w),
      y: r(word.bbox.y0 / h),
      width: r((word.bbox.x1 - word.bbox.x0) / w),
      height: r((word.bbox.y1 - word.bbox.y0) / h),
      text: word.text,
    }));
}

export async function searchHitPage(scope: Scope, storage: ObjectStorage, args: { documentId: string; query: string; page?: number | null }): Promise<HitPage | null> {
  const em: EntityManager = scope.em;
  const doc = await loadVisibleDocument(scope, args.documentId);
  const parsed = parseQuery(args.query ?? '');
  if (!parsed.ok) throw badInput(parsed.reason, 'query');
  if (args.page != null && (!Number.isInteger(args.page) || args.page < 1 || args.page > 100_000)) throw badInput('Số trang không hợp lệ.', 'page');
  // The bản chính's digitisation first (the same file order as the search index: search.service.ts documentInput).
  const [file] = await em.execute<{ sha256: string }[]>(
    `select f.sha256 from document_file f join ocr_result o on o.sha256 = f.sha256 and o.status = 'DONE'
     where f.document_id = ? order by (f.kind = 'MAIN') desc, f.created_at, f.id limit 1`,
    [doc.id],
  );
  if (!file) return null;
  const pages = await em.execute<{ page_index: number; data_key: string | null; image_key: string | null }[]>(
    `select page_index, data_key, image_key from ocr_page where sha256 = ? and status = 'DONE' order by page_index`,
    [file.sha256],
  );
  if (!pages.length) return null;
  const matches = matcherOf(parsed.query);
  const read = async (p: { data_key: string | null }): Promise<PageData> => (p.data_key ? (JSON.parse((await storage.getBuffer(p.data_key)).toString('utf8')) as PageData) : {});
  // Pages with hits (a document has a few pages: each page's data is small JSON).
  const datas = await Promise.all(pages.map(read));
  const pagesWithHits = datas.map((d, i) => (wordsOf(d).some((w) => wordMatches(w.text, matches)) ? i + 1 : 0)).filter((n) => n > 0);
  const wanted = args.page ?? pagesWithHits[0] ?? 1;
  const index = Math.min(Math.max(wanted, 1), pages.length) - 1;
  const data = datas[index];
  const p = pages[index];
  const imageUrl = p.image_key ? await storage.presignedGetUrl(p.image_key, { fileName: `trang-${index + 1}.jpg`, contentType: 'image/jpeg', disposition: 'inline', expiresSeconds: 600 }) : null;
  return {
    page: index + 1,
    pageCount: pages.length,
    imageUrl,
    width: data.width ?? 0,
    height: data.height ?? 0,
    boxes: boxesOf(data, matches),
    pagesWithHits,
  };
}
