/**
 * Tìm kiếm: the search API (validation, permissions, cursor) over a SearchProvider, and the indexer that
 * turns a document (fields, files' PDF / OCR text by page) into the provider's input.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { badInput } from '../../shared/errors';
import type { Scope } from '../../shared/scope';
import type { ObjectStorage } from '../../infra/storage/storage';
import { Document } from '../documents/entities/document.entity';
import { parseQuery } from './domain';
import type { SearchDocumentInput, SearchFilterInput, SearchProvider, SearchResult } from './provider';
import { PgSearchProvider } from './pg-provider';
import { searchViewer } from './search.policy';
import { searchFilterProblem } from '../../../../schema/validation/search';
import { searchHitPage, type HitPage } from './hit-page';

export const DEFAULT_PAGE = 20;
export const MAX_PAGE = 100;

export interface SearchArgs {
  query: string;
  filter?: (SearchFilterInput & { recordId?: string | null }) | null;
  first?: number | null;
  after?: string | null;
}

export interface SearchConnectionResult {
  edges: { cursor: string; node: { score: number; snippets: string[]; page: number | null; document: Document } }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
  totalCountCapped: boolean;
  candidatesCapped: boolean;
  facets: SearchResult['facets'];
  mode: SearchResult['mode'];
}

const cursorOf = (offset: number) => Buffer.from(`s:${offset}`, 'utf8').toString('base64url');
function offsetOf(cursor: string): number {
  const m = /^s:(\d{1,6})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!m) throw badInput('Con trỏ phân trang không hợp lệ.', 'after');
  return Number(m[1]) + 1;
}

const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

export class SearchService {
  constructor(
    private readonly deps: { storage: ObjectStorage },
    readonly provider: SearchProvider = new PgSearchProvider(),
  ) {}

  async search(scope: Scope, args: SearchArgs): Promise<SearchConnectionResult> {
    const actor = scope.requireActor();
    const first = args.first ?? DEFAULT_PAGE;
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw badInput(`Số kết quả mỗi trang phải từ 1 đến ${MAX_PAGE}.`, 'first');
    const offset = args.after ? offsetOf(args.after) : 0;
    const parsed = parseQuery(args.query ?? '');
    if (!parsed.ok) throw badInput(parsed.reason, 'query');
    const f = args.filter ?? {};
    if (f.recordId != null && !isUuid(f.recordId)) throw badInput('Hồ sơ không hợp lệ.', 'filter.recordId');
    if (f.unitId != null && !isUuid(f.unitId)) throw badInput('Đơn vị không hợp lệ.', 'filter.unitId');
    for (const k of ['dateFrom', 'dateTo'] as const) if (f[k] != null && !isDate(f[k]!)) throw badInput('Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.', `filter.${k}`);
    // The same rules as the web form (schema/validation/search.ts).
    const problem = searchFilterProblem(f);
    if (problem) throw badInput(problem.message, `filter.${problem.field}`);
    const hasFilter = Object.entries(f).some(([, v]) => v != null && v !== '');
    if (!parsed.query.terms.length && !hasFilter) {
      // Nothing to search for: an empty box, or only punctuation (%, _, \, quotes).
      if ((args.query ?? '').trim()) throw badInput('Từ khóa không có chữ hoặc số nào để tìm.', 'query');
      throw badInput('Nhập từ khóa hoặc chọn bộ lọc để tìm kiếm.', 'query');
    }
    const r = await this.provider.search(scope.em, {
      query: parsed.query.terms.length ? parsed.query : null,
      filter: { ...f, issuer: f.issuer?.normalize('NFC') ?? null, signer: f.signer?.normalize('NFC') ?? null, type: f.type?.normalize('NFC') ?? null },
      viewer: searchViewer(actor),
      offset,
      first,
    });
    const docs = r.hits.length ? await scope.em.find(Document, { id: { $in: r.hits.map((h) => h.documentId) } }) : [];
    const byId = new Map(docs.map((d) => [d.id, d]));
    const edges = r.hits
      .map((h, i) => ({ h, i, d: byId.get(h.documentId) }))
      .filter((x): x is { h: (typeof r.hits)[number]; i: number; d: Document } => !!x.d)
      .map(({ h, i, d }) => ({ cursor: cursorOf(offset + i), node: { score: h.score, snippets: h.snippets, page: h.page, document: d } }));
    return {
      edges,
      pageInfo: { hasNextPage: r.hasNextPage, hasPreviousPage: offset > 0, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
      totalCount: r.totalCount,
      totalCountCapped: r.totalCountCapped,
      candidatesCapped: r.candidatesCapped,
      facets: r.facets,
      mode: r.mode,
    };
  }

  /** Opening a hit: the page of the document's scan with the query's words boxed (hit-page.ts). */
  hitPage(scope: Scope, args: { documentId: string; query: string; page?: number | null }): Promise<HitPage | null> {
    return searchHitPage(scope, this.deps.storage, args);
  }

  /** The provider's input for one document from its current state; null when it does not exist (or is an outgoing draft). */
  async documentInput(em: EntityManager, documentId: string): Promise<SearchDocumentInput | null> {
    const [d] = await em.execute<
      {
        id: string;
        agency_id: string;
        agency_name: string;
        direction: string;
        state: string;
        type_code: string | null;
        type_name: string;
        symbol: string | null;
        subject: string;
        issuer_name: string | null;
        signer_name: string | null;
        signed_by_name: string | null;
        secrecy: string;
        electronic: boolean;
        drafter_unit_id: string | null;
        year: number | null;
        doc_date: string | null;
        archived_at: string | null;
      }[]
    >(
      `select d.id, d.agency_id, a.name as agency_name, d.direction, d.state, d.type_code, d.type_name, d.symbol, d.subject, d.issuer_name, d.signer_name,
              su.full_name as signed_by_name, d.secrecy, d.electronic, d.drafter_unit_id, d.archived_at,
              coalesce(d.register_year, extract(year from coalesce(d.issued_date, d.received_at, d.created_at))::int) as year,
              coalesce(d.issued_date, d.received_at::date, d.created_at::date)::text as doc_date
       from document d join agency a on a.id = d.agency_id left join app_user su on su.id = d.signed_by_id where d.id = ?`,
      [documentId],
    );
    if (!d) return null;
    // Drafts are not searchable: a document enters the index when it is registered or issued.
    if (d.direction === 'OUTGOING' && d.state !== 'ISSUED') return null;
    const units = await em.execute<{ unit_id: string }[]>(`select distinct unit_id from assignment where document_id = ? and unit_id is not null`, [documentId]);
    const files = await em.execute<{ sha256: string; kind: string; content_type: string; status: string | null; text: string | null }[]>(
      `select f.sha256, f.kind, f.content_type, o.status, o.text from document_file f left join ocr_result o on o.sha256 = f.sha256
       where f.document_id = ? order by (f.kind = 'MAIN') desc, f.created_at, f.id`,
      [documentId],
    );
    // Body: the bản chính's pages (page starts kept for the hit page), then the other files' text.
    let body = '';
    let pageStarts: number[] | null = null;
    const seen = new Set<string>();
    for (const f of files) {
      if (seen.has(f.sha256) || f.status !== 'DONE') continue;
      seen.add(f.sha256);
      const pages = pageStarts === null ? await this.pageTexts(em, f.sha256) : null;
      if (pages && pages.length) {
        pageStarts = [];
        for (const p of pages) {
          pageStarts.push(body.length);
          body += p + '\n';
        }
        pageStarts.push(body.length); // end of the paged text: hits after it have no page
      } else if (f.text) {
        body += f.text + '\n';
      }
    }
    const hasScan = files.some((f) => f.content_type.startsWith('image/')) || (!d.electronic && files.length > 0);
    const unitIds = [...new Set([d.drafter_unit_id, ...units.map((u) => u.unit_id)].filter((x): x is string => !!x))];
    return {
      documentId: d.id,
      agencyId: d.agency_id,
      year: d.year,
      docDate: d.doc_date,
      direction: d.direction,
      typeCode: d.type_code,
      typeName: d.type_name,
      symbol: d.symbol,
      subject: d.subject,
      issuer: d.direction === 'OUTGOING' ? (d.issuer_name ?? d.agency_name) : d.issuer_name,
      signer: d.signer_name ?? d.signed_by_name,
      unitIds,
      hasScan,
      // In the agency archive: transferred with its hồ sơ, or imported from the paper archive (records module).
      archived: d.archived_at != null || d.state === 'ARCHIVED',
      secrecy: d.secrecy,
      body: body || null,
      pageStarts,
    };
  }

  /** Text of each page of a digitised file (ocr_page data in object storage), in order. */
  private async pageTexts(em: EntityManager, sha256: string): Promise<string[]> {
    const rows = await em.execute<{ data_key: string | null }[]>(`select data_key from ocr_page where sha256 = ? and status = 'DONE' order by page_index`, [sha256]);
    const out: string[] = [];
    for (const r of rows) {
      if (!r.data_key) return [];
      const data = JSON.parse((await this.deps.storage.getBuffer(r.data_key)).toString('utf8')) as { text?: string };
      out.push(data.text ?? '');
    }
    return out;
  }

  /** Writes (or removes) one document's index entry from its current state (the search.index job). */
  async indexDocument(em: EntityManager, documentId: string): Promise<'indexed' | 'removed'> {
    const input = await this.documentInput(em, documentId);
    if (!input) {
      await this.provider.remove(em, documentId);
      return 'removed';
    }
    await this.provider.index(em, input);
    return 'indexed';
  }

  /** Rebuilds the whole index (npm run cli -- reindex), in id order, resumable from `afterId`. */
  async reindexAll(scope: Scope, opts: { batch?: number; afterId?: string; onProgress?: (done: number, total: number) => void } = {}): Promise<{ indexed: number; removed: number }> {
    const batch = opts.batch ?? 200;
    const [{ n: total }] = await scope.em.execute<{ n: number }[]>(`select count(*)::int as n from document`);
    let after = opts.afterId ?? '00000000-0000-0000-0000-000000000000';
    const out = { indexed: 0, removed: 0 };
    for (;;) {
      const ids = await scope.em.execute<{ id: string }[]>(`select id from document where id > ? order by id limit ?`, [after, batch]);
      if (!ids.length) break;
      const inputs: SearchDocumentInput[] = [];
      for (const { id } of ids) {
        const input = await this.documentInput(scope.em, id);
        if (input) inputs.push(input);
        else await this.provider.remove(scope.em, id);
      }
      await this.provider.indexMany(scope.em, inputs);
      out.indexed += inputs.length;
      out.removed += ids.length - inputs.length;
      after = ids[ids.length - 1].id;
      opts.onProgress?.(out.indexed + out.removed, total);
    }
    // Entries whose document is gone (the foreign key cascades, so this is only a safety net).
    await scope.em.execute(`delete from search_document s where not exists (select 1 from document d where d.id = s.document_id)`);
    await scope.transaction(async (tx) => {
      tx.audit({ action: 'search.reindex', targetType: 'search', agencyId: null, data: out });
    });
    return out;
  }
}
