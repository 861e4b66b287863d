import { Migration } from '@mikro-orm/migrations';

export class Migration20261123172245_Ocr extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "ocr_page" ("sha256" varchar(64) not null, "page_index" int not null, "status" varchar(10) not null default 'PENDING', "data_key" text null, "image_key" text null, "ms" int null, constraint "ocr_page_pkey" primary key ("sha256", "page_index"));`);

    this.addSql(`create table "ocr_result" ("sha256" varchar(64) not null, "storage_key" text not null, "status" varchar(10) not null default 'PENDING', "kind" varchar(10) null, "pages_total" int null, "pages_done" int not null default 0, "error_code" varchar(40) null, "error" text null, "searchable_pdf_key" text null, "thumbnail_key" text null, "data_key" text null, "text" text null, "fields" jsonb null, "attempts" int not null default 0, "ms" int null, "created_at" timestamptz not null default now(), "finished_at" timestamptz null, constraint "ocr_result_pkey" primary key ("sha256"));`);

    this.addSql(`create table "scan" ("id" uuid not null, "agency_id" uuid not null, "uploaded_by_id" uuid null, "source" varchar(10) not null default 'UPLOAD', "storage_key" text not null, "sha256" varchar(64) not null, "file_name" text not null, "content_type" varchar(100) not null, "size" bigint not null, "import_path" text null, "created_at" timestamptz not null default now(), constraint "scan_pkey" primary key ("id"));`);
    this.addSql(`create index "scan_sha256_index" on "scan" ("sha256");`);
    this.addSql(`create index "scan_agency_id_created_at_index" on "scan" ("agency_id", "created_at");`);

    this.addSql(`alter table "scan" add constraint "scan_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "scan" add constraint "scan_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "app_user" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "ocr_page" cascade;`);

    this.addSql(`drop table if exists "ocr_result" cascade;`);

    this.addSql(`drop table if exists "scan" cascade;`);
  }

}
