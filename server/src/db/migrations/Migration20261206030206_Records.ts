import { Migration } from '@mikro-orm/migrations';

export class Migration20261206030206_Records extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "retention_item" ("id" uuid not null, "agency_id" uuid null, "code" varchar(40) not null, "name" text not null, "years" int null, constraint "retention_item_pkey" primary key ("id"));`);
    this.addSql(`alter table "retention_item" add constraint "retention_item_code_unique" unique ("agency_id", "code");`);

    this.addSql(`create table "record_transfer" ("id" uuid not null, "agency_id" uuid not null, "unit_id" uuid null, "transferred_by_id" uuid null, "transferred_at" timestamptz not null default now(), "note" text null, constraint "record_transfer_pkey" primary key ("id"));`);
    this.addSql(`create index "record_transfer_agency_id_transferred_at_index" on "record_transfer" ("agency_id", "transferred_at");`);

    this.addSql(`create table "record_disposal" ("id" uuid not null, "agency_id" uuid not null, "decision_number" varchar(80) not null, "decision_date" date not null, "note" text null, "items" jsonb not null, "document_count" int not null, "deleted_objects" int not null default 0, "disposed_by_id" uuid null, "created_at" timestamptz not null default now(), constraint "record_disposal_pkey" primary key ("id"));`);
    this.addSql(`create index "record_disposal_agency_id_created_at_index" on "record_disposal" ("agency_id", "created_at");`);

    this.addSql(`create table "archive_record" ("id" uuid not null, "agency_id" uuid not null, "year" int not null, "file_notation" varchar(40) not null, "file_code" varchar(120) not null, "title" text not null, "retention_years" int null, "retention_code" varchar(40) null, "unit_id" uuid null, "creator_id" uuid null, "state" varchar(12) not null default 'OPEN', "closed_at" timestamptz null, "transferred_at" timestamptz null, "transfer_id" uuid null, "legal_hold" boolean not null default false, "legal_hold_reason" text null, "legal_hold_at" timestamptz null, "disposed_at" timestamptz null, "disposal_id" uuid null, "metadata" jsonb null, "metadata_unverified" boolean not null default false, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, constraint "archive_record_pkey" primary key ("id"));`);
    this.addSql(`create index "archive_record_agency_id_year_state_index" on "archive_record" ("agency_id", "year", "state");`);
    this.addSql(`alter table "archive_record" add constraint "archive_record_notation_unique" unique ("agency_id", "year", "file_notation");`);

    this.addSql(`alter table "retention_item" add constraint "retention_item_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "record_transfer" add constraint "record_transfer_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "record_transfer" add constraint "record_transfer_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "record_transfer" add constraint "record_transfer_transferred_by_id_foreign" foreign key ("transferred_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "record_disposal" add constraint "record_disposal_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "record_disposal" add constraint "record_disposal_disposed_by_id_foreign" foreign key ("disposed_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "archive_record" add constraint "archive_record_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "archive_record" add constraint "archive_record_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "archive_record" add constraint "archive_record_creator_id_foreign" foreign key ("creator_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "archive_record" add constraint "archive_record_transfer_id_foreign" foreign key ("transfer_id") references "record_transfer" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "archive_record" add constraint "archive_record_disposal_id_foreign" foreign key ("disposal_id") references "record_disposal" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "document" add column "record_id" uuid null, add column "record_order" int null, add column "archived_at" timestamptz null, add column "archive_metadata" jsonb null, add column "metadata_unverified" boolean not null default false;`);
    this.addSql(`alter table "document" add constraint "document_record_id_foreign" foreign key ("record_id") references "archive_record" ("id") on update cascade on delete restrict;`);
    this.addSql(`create index "document_agency_archived_idx" on "document" ("agency_id", "archived_at") where "archived_at" is not null;`);
    this.addSql(`create unique index "document_record_order_unique" on "document" ("record_id", "record_order") where "record_id" is not null;`);
    // The deployment's default retention table (agency null; an agency may add its own items). Values are the usual
    // Thông tư 10/2022/TT-BNV periods; an administrator adjusts them to the circular's table.
    this.addSql(`insert into "retention_item" ("id", "agency_id", "code", "name", "years") values
      (gen_random_uuid(), null, 'VV', 'Vĩnh viễn', null),
      (gen_random_uuid(), null, '70', '70 năm', 70),
      (gen_random_uuid(), null, '50', '50 năm', 50),
      (gen_random_uuid(), null, '20', '20 năm', 20),
      (gen_random_uuid(), null, '10', '10 năm', 10),
      (gen_random_uuid(), null, '5', '05 năm', 5);`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "archive_record" drop constraint "archive_record_transfer_id_foreign";`);

    this.addSql(`alter table "archive_record" drop constraint "archive_record_disposal_id_foreign";`);

    this.addSql(`alter table "document" drop constraint "document_record_id_foreign";`);

    this.addSql(`drop table if exists "retention_item" cascade;`);

    this.addSql(`drop table if exists "record_transfer" cascade;`);

    this.addSql(`drop table if exists "record_disposal" cascade;`);

    this.addSql(`drop table if exists "archive_record" cascade;`);

    this.addSql(`drop index "document_agency_archived_idx";`);
    this.addSql(`drop index "document_record_order_unique";`);
    this.addSql(`alter table "document" drop column "record_id", drop column "record_order", drop column "archived_at", drop column "archive_metadata", drop column "metadata_unverified";`);
  }

}
