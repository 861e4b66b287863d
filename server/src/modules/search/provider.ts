/**
 * The search provider: the small interface between the search service and the engine that indexes and
 * matches. PostgreSQL (pg-provider.ts) implements it today; a dedicated engine (OpenSearch) can take over at
 * national scale by implementing the same three calls — see the README "Search" section.
 *
 * Contract every provider keeps:
 * - permissions are applied INSIDE the engine's query, before ranking, counting, facets and snippets: a
 *   document the viewer may not read is never a candidate (documents/domain/access.ts ACCESS_RULES);
 * - never rank or count the whole match set: at most `CANDIDATE_LIMIT` candidates are ranked and faceted,
 *   counts stop at `COUNT_CAP` + 1;
 * - queries come parsed (domain/query.ts): the provider never sees the raw text.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AccessViewer } from '../documents/domain/access';
import type { ParsedQuery } from './domain';

/** Ranked candidates per query (the newest matches, then ranked): 10 pages of 20. */
export const CANDIDATE_LIMIT = 200;
/** Counts stop here: above it the UI says "hơn 1.000 kết quả" (one narrow pass over the newest matches, pg-provider.ts). */
export const COUNT_CAP = 1_000;
/** Candidates of the trigram fallback. */
export const SIMILAR_LIMIT = 200;

/** What is indexed of one document (built by search.service.ts from the document, its files and OCR). */
export interface SearchDocumentInput {
  documentId: string;
  agencyId: string;
  year: number | null;
  docDate: string | null;
  direction: string;
  typeCode: string | null;
  typeName: string;
  symbol: string | null;
  subject: string;
  issuer: string | null;
  signer: string | null;
  unitIds: string[];
  hasScan: boolean;
  archived: boolean;
  secrecy: string;
  /** Born-digital PDF text and OCR text of the document's files, pages in order. */
  body: string | null;
  /** Offset in `body` where each page starts. */
  pageStarts: number[] | null;
}

export interface SearchFilterInput {
  issuer?: string | null;
  type?: string | null;
  year?: number | null;
  dateFrom?: string | null;
  dateTo?: string | null;
  signer?: string | null;
  unitId?: string | null;
  direction?: string | null;
  hasScan?: boolean | null;
  archived?: boolean | null;
  /** Hồ sơ: documents filed into this record (document.record_id). */
  recordId?: string | null;
}

export interface SearchRequest {
  /** Null: filters only (browse, newest first). */
  query: ParsedQuery | null;
  filter: SearchFilterInput;
  /**
   * Whose permissions apply. `null` = the whole deployment without a permission filter: ONLY for system
   * tools (benchmark, diagnostics), never reachable from the API (search.service.ts always passes the actor).
   */
  viewer: AccessViewer | null;
  offset: number;
  first: number;
}

export interface SearchHitRow {
  documentId: string;
  score: number;
  snippets: string[];
  page: number | null;
}

export interface FacetBucket {
  value: string;
  label: string;
  count: number;
}

export interface SearchResult {
  hits: SearchHitRow[];
  totalCount: number;
  totalCountCapped: boolean;
  candidatesCapped: boolean;
  hasNextPage: boolean;
  facets: { field: string; buckets: FacetBucket[] }[];
  mode: 'FULL_TEXT' | 'SIMILAR' | 'BROWSE';
}

export interface SearchProvider {
  /** Writes (or replaces) one document's index entry. Idempotent. */
  index(em: EntityManager, doc: SearchDocumentInput): Promise<void>;
  /** The same for many documents at once (reindex). */
  indexMany(em: EntityManager, docs: readonly SearchDocumentInput[]): Promise<void>;
  /** Removes a document's entry (a deleted draft). */
  remove(em: EntityManager, documentId: string): Promise<void>;
  search(em: EntityManager, req: SearchRequest): Promise<SearchResult>;
}
