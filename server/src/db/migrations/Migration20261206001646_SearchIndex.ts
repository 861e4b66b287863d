import { Migration } from '@mikro-orm/migrations';

/**
 * Search (issue 10): the search_document index (modules/search/search-document.entity.ts). pg_trgm for the
 * trigram fallback, btree_gin for the (agency_id, tsv_folded) GIN that narrows matching to one agency. Rows
 * are written by the `search.index` job; `npm run cli -- reindex` fills the table for existing documents.
 */
export class Migration20261206001646_SearchIndex extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create extension if not exists btree_gin;`);
    this.addSql(`create table "search_document" ("document_id" uuid not null, "agency_id" uuid not null, "year" int null, "doc_date" date null, "direction" varchar(10) not null, "type_code" varchar(10) null, "type_name" varchar(100) not null, "issuer" text null, "signer" text null, "unit_ids" jsonb null, "has_scan" boolean not null default false, "archived" boolean not null default false, "secrecy" varchar(12) not null, "tsv_exact" tsvector not null, "tsv_folded" tsvector not null, "title_folded" text not null, "body" text null, "page_starts" jsonb null, "indexed_at" timestamptz not null default now(), constraint "search_document_pkey" primary key ("document_id"));`);
    this.addSql(`create index "search_document_date_idx" on "search_document" ("doc_date" desc, "document_id");`);
    this.addSql(`create index "search_document_agency_year_idx" on "search_document" ("agency_id", "year", "doc_date" desc);`);
    this.addSql(`create index "search_document_agency_date_idx" on "search_document" ("agency_id", "doc_date" desc, "document_id");`);
    this.addSql(`create index "search_document_agency_title_trgm_idx" on "search_document" using gin ("agency_id", "title_folded" gin_trgm_ops);`);
    this.addSql(`create index "search_document_agency_tsv_idx" on "search_document" using gin ("agency_id", "tsv_folded");`);

    this.addSql(`alter table "search_document" add constraint "search_document_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "search_document" cascade;`);
  }

}
