import { Migration } from '@mikro-orm/migrations';

/**
 * stored_object: every object the application put into object storage, with its last claim (issue "Trust",
 * finding 1: the storage garbage collector replaces request-time deletes). Objects stored by older versions
 * are ADOPTED here from the tables that reference them (claimed now), never deleted.
 */
export class Migration20261205210915_StoredObject extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "stored_object" ("key" text not null, "sha256" varchar(64) not null, "size" bigint null, "created_at" timestamptz not null default now(), "last_claimed_at" timestamptz not null default now(), constraint "stored_object_pkey" primary key ("key"));`);
    this.addSql(`create index "stored_object_last_claimed_at_idx" on "stored_object" ("last_claimed_at");`);
    this.addSql(`insert into "stored_object" ("key", "sha256", "size")
      select k, right(k, 64), max(s) from (
        select "storage_key" as k, "size" as s from "document_file"
        union all select "storage_key", "size" from "scan"
        union all select "storage_key", null from "ocr_result"
        union all select "searchable_pdf_key", null from "ocr_result"
        union all select "thumbnail_key", null from "ocr_result"
        union all select "data_key", null from "ocr_result"
        union all select "data_key", null from "ocr_page"
        union all select "image_key", null from "ocr_page"
      ) refs where k like 'sha256/%' group by k
      on conflict ("key") do nothing;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "stored_object" cascade;`);
  }

}
