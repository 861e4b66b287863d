import { Entity, Index, OneToOne, Property } from '@mikro-orm/core';
import { Document } from '../documents/entities/document.entity';

/**
 * The search index of one document (one row per document, written only by the `search.index` job through
 * the PostgreSQL search provider — never by hand). Filter columns are copies of the document's facts so that
 * candidates are found and filtered in this narrow table; the access rule is still checked on `document`.
 * tsv_exact / tsv_folded: tsvectors built by domain/text.ts (weights A symbol + trích yếu, B issuer + signer,
 * C body: born-digital PDF text and OCR text). title_folded: folded symbol, trích yếu, issuer, signer and the
 * start of the body, for the trigram fallback (OCR errors, misspellings).
 */
@Entity({ tableName: 'search_document' })
// Matching narrowed by agency (btree_gin): one GIN holds (agency, lexeme) pairs; a multi-column GIN also
// serves a condition on the second column alone (the deployment-wide search of system tools).
@Index({ name: 'search_document_agency_tsv_idx', expression: 'create index "search_document_agency_tsv_idx" on "search_document" using gin ("agency_id", "tsv_folded")' })
@Index({
  name: 'search_document_agency_title_trgm_idx',
  expression: 'create index "search_document_agency_title_trgm_idx" on "search_document" using gin ("agency_id", "title_folded" gin_trgm_ops)',
})
// Newest first within an agency (and a year): candidates in recency order without sorting every match.
@Index({ name: 'search_document_agency_date_idx', expression: 'create index "search_document_agency_date_idx" on "search_document" ("agency_id", "doc_date" desc, "document_id")' })
@Index({ name: 'search_document_agency_year_idx', expression: 'create index "search_document_agency_year_idx" on "search_document" ("agency_id", "year", "doc_date" desc)' })
@Index({ name: 'search_document_date_idx', expression: 'create index "search_document_date_idx" on "search_document" ("doc_date" desc, "document_id")' })
export class SearchDocument {
  @OneToOne({ entity: () => Document, primary: true, owner: true, deleteRule: 'cascade', fieldName: 'document_id' })
  document!: Document;

  @Property({ type: 'uuid' })
  agencyId!: string;

  /** Year of the document date (register year, else of the date below). */
  @Property({ type: 'integer', nullable: true })
  year?: number | null;

  /** Ngày văn bản: issued date, else received / created date. */
  @Property({ type: 'date', nullable: true })
  docDate?: string | null;

  @Property({ type: 'string', length: 10 })
  direction!: string;

  @Property({ type: 'string', length: 10, nullable: true })
  typeCode?: string | null;

  @Property({ type: 'string', length: 100 })
  typeName!: string;

  @Property({ type: 'text', nullable: true })
  issuer?: string | null;

  @Property({ type: 'text', nullable: true })
  signer?: string | null;

  /** Units concerned: the drafting unit (outgoing), the assigned units (incoming). */
  @Property({ type: 'json', nullable: true })
  unitIds?: string[] | null;

  @Property({ type: 'boolean', default: false })
  hasScan: boolean = false;

  @Property({ type: 'boolean', default: false })
  archived: boolean = false;

  @Property({ type: 'string', length: 12 })
  secrecy!: string;

  @Property({ type: 'unknown', columnType: 'tsvector', lazy: true })
  tsvExact!: unknown;

  @Property({ type: 'unknown', columnType: 'tsvector', lazy: true })
  tsvFolded!: unknown;

  @Property({ type: 'text' })
  titleFolded!: string;

  /** The searchable body (PDF text, OCR text), pages in order; pageStarts[i] = offset of page i+1. */
  @Property({ type: 'text', nullable: true, lazy: true })
  body?: string | null;

  @Property({ type: 'json', nullable: true })
  pageStarts?: number[] | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  indexedAt: Date = new Date();
}
