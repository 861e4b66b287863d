import { Migration } from '@mikro-orm/migrations';

export class Migration20261123165933_Documents extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "agency_settings" ("agency_id" uuid not null, "outgoing_numbering" varchar(10) not null default 'SHARED', "approval_chain" jsonb null, "document_types" jsonb null, "holidays" jsonb null, constraint "agency_settings_pkey" primary key ("agency_id"));`);

    this.addSql(`create table "number_sequence" ("agency_id" uuid not null, "key" varchar(40) not null, "year" int not null, "last_number" int not null default 0, constraint "number_sequence_pkey" primary key ("agency_id", "key", "year"));`);

    this.addSql(`create table "document" ("id" uuid not null, "agency_id" uuid not null, "direction" varchar(10) not null, "state" varchar(24) not null, "type_code" varchar(10) null, "type_name" varchar(100) not null, "number" int null, "symbol" varchar(80) null, "incoming_number" int null, "register_key" varchar(40) null, "register_year" int null, "issued_date" date null, "received_at" timestamptz null, "subject" text not null, "signer_name" text null, "signer_title" text null, "urgency" varchar(12) not null default 'THUONG', "secrecy" varchar(12) not null default 'THUONG', "page_count" int null, "copies" int null, "issuer_agency_id" uuid null, "issuer_name" text null, "electronic" boolean not null default false, "source_document_id" uuid null, "reply_to_id" uuid null, "dup_key" text null, "duplicate_of_id" uuid null, "submitted_to_id" uuid null, "returned_to_id" uuid null, "return_reason" text null, "instruction" text null, "annotated_by_id" uuid null, "annotated_at" timestamptz null, "deadline" date null, "completed_at" timestamptz null, "drafter_id" uuid null, "drafter_unit_id" uuid null, "signer_id" uuid null, "approval_chain" jsonb null, "approval_step" int null, "signed_at" timestamptz null, "signed_by_id" uuid null, "issued_at" timestamptz null, "issued_by_id" uuid null, "external_recipients" jsonb null, "idempotency_key" varchar(100) null, "created_by_id" uuid null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, constraint "document_pkey" primary key ("id"));`);
    this.addSql(`create index "document_agency_id_dup_key_index" on "document" ("agency_id", "dup_key");`);
    this.addSql(`create index "document_agency_id_direction_received_at_index" on "document" ("agency_id", "direction", "received_at");`);
    this.addSql(`create index "document_agency_id_direction_state_index" on "document" ("agency_id", "direction", "state");`);
    this.addSql(`alter table "document" add constraint "document_idempotency_unique" unique ("agency_id", "idempotency_key");`);
    this.addSql(`create unique index "document_outgoing_number_unique" on "document" ("agency_id", "register_key", "register_year", "number") where "direction" = 'OUTGOING' and "number" is not null;`);
    this.addSql(`alter table "document" add constraint "document_incoming_number_unique" unique ("agency_id", "register_key", "register_year", "incoming_number");`);

    this.addSql(`create table "recipient" ("id" uuid not null, "document_id" uuid not null, "agency_id" uuid null, "name" text not null, "delivered_document_id" uuid null, "status" varchar(20) null, "status_code" varchar(2) null, "status_at" timestamptz null, "note" text null, constraint "recipient_pkey" primary key ("id"));`);
    this.addSql(`create index "recipient_agency_id_index" on "recipient" ("agency_id");`);
    this.addSql(`create index "recipient_document_id_index" on "recipient" ("document_id");`);

    this.addSql(`create table "notification" ("id" uuid not null, "user_id" uuid not null, "kind" varchar(40) not null, "document_id" uuid null, "text" text not null, "created_at" timestamptz not null default now(), "read_at" timestamptz null, constraint "notification_pkey" primary key ("id"));`);
    this.addSql(`create index "notification_user_id_read_at_index" on "notification" ("user_id", "read_at");`);

    this.addSql(`create table "document_member" ("id" uuid not null, "document_id" uuid not null, "user_id" uuid not null, "kind" varchar(10) not null, "created_at" timestamptz not null default now(), constraint "document_member_pkey" primary key ("id"));`);
    this.addSql(`create index "document_member_user_id_kind_index" on "document_member" ("user_id", "kind");`);
    this.addSql(`alter table "document_member" add constraint "document_member_document_id_user_id_kind_unique" unique ("document_id", "user_id", "kind");`);

    this.addSql(`create table "document_file" ("id" uuid not null, "document_id" uuid not null, "kind" varchar(16) not null, "version" int not null default 1, "storage_key" text not null, "sha256" varchar(64) not null, "file_name" text not null, "content_type" varchar(100) not null, "size" bigint not null, "page_count" int null, "uploaded_by_id" uuid null, "created_at" timestamptz not null default now(), "ocr_status" varchar(10) null, "ocr_pages_done" int null, "ocr_error" text null, "searchable_pdf_key" text null, "thumbnail_key" text null, "ocr_data_key" text null, "ocr_text" text null, "ocr_fields" jsonb null, constraint "document_file_pkey" primary key ("id"));`);
    this.addSql(`create index "document_file_sha256_index" on "document_file" ("sha256");`);
    this.addSql(`create index "document_file_document_id_kind_version_index" on "document_file" ("document_id", "kind", "version");`);

    this.addSql(`create table "document_comment" ("id" uuid not null, "document_id" uuid not null, "author_id" uuid not null, "kind" varchar(10) not null, "text" text not null, "created_at" timestamptz not null default now(), constraint "document_comment_pkey" primary key ("id"));`);
    this.addSql(`create index "document_comment_document_id_index" on "document_comment" ("document_id");`);

    this.addSql(`create table "assignment" ("id" uuid not null, "document_id" uuid not null, "role" varchar(12) not null, "target" varchar(6) not null, "unit_id" uuid null, "user_id" uuid null, "deadline" date null, "state" varchar(12) not null, "active" boolean not null default true, "parent_id" uuid null, "assigned_by_id" uuid null, "instruction" text null, "draft_file_id" uuid null, "return_reason" text null, "created_at" timestamptz not null default now(), "started_at" timestamptz null, "completed_at" timestamptz null, "last_reminder_kind" varchar(10) null, "last_reminder_on" date null, constraint "assignment_pkey" primary key ("id"));`);
    this.addSql(`create index "assignment_document_id_active_index" on "assignment" ("document_id", "active");`);
    this.addSql(`create index "assignment_unit_id_active_state_index" on "assignment" ("unit_id", "active", "state");`);
    this.addSql(`create index "assignment_user_id_active_state_index" on "assignment" ("user_id", "active", "state");`);

    this.addSql(`create table "progress_note" ("id" uuid not null, "assignment_id" uuid not null, "author_id" uuid not null, "text" text not null, "file_id" uuid null, "created_at" timestamptz not null default now(), constraint "progress_note_pkey" primary key ("id"));`);
    this.addSql(`create index "progress_note_assignment_id_index" on "progress_note" ("assignment_id");`);

    this.addSql(`alter table "agency_settings" add constraint "agency_settings_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "number_sequence" add constraint "number_sequence_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "document" add constraint "document_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "document" add constraint "document_issuer_agency_id_foreign" foreign key ("issuer_agency_id") references "agency" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "document" add constraint "document_source_document_id_foreign" foreign key ("source_document_id") references "document" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "document" add constraint "document_reply_to_id_foreign" foreign key ("reply_to_id") references "document" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "document" add constraint "document_duplicate_of_id_foreign" foreign key ("duplicate_of_id") references "document" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "document" add constraint "document_submitted_to_id_foreign" foreign key ("submitted_to_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "document" add constraint "document_returned_to_id_foreign" foreign key ("returned_to_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "document" add constraint "document_annotated_by_id_foreign" foreign key ("annotated_by_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "document" add constraint "document_drafter_id_foreign" foreign key ("drafter_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "document" add constraint "document_drafter_unit_id_foreign" foreign key ("drafter_unit_id") references "unit" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "document" add constraint "document_signer_id_foreign" foreign key ("signer_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "document" add constraint "document_signed_by_id_foreign" foreign key ("signed_by_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "document" add constraint "document_issued_by_id_foreign" foreign key ("issued_by_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "document" add constraint "document_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "recipient" add constraint "recipient_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "recipient" add constraint "recipient_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "recipient" add constraint "recipient_delivered_document_id_foreign" foreign key ("delivered_document_id") references "document" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "notification" add constraint "notification_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "notification" add constraint "notification_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "document_member" add constraint "document_member_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "document_member" add constraint "document_member_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "document_file" add constraint "document_file_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "document_file" add constraint "document_file_uploaded_by_id_foreign" foreign key ("uploaded_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "document_comment" add constraint "document_comment_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "document_comment" add constraint "document_comment_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "assignment" add constraint "assignment_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "assignment" add constraint "assignment_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "assignment" add constraint "assignment_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "assignment" add constraint "assignment_parent_id_foreign" foreign key ("parent_id") references "assignment" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "assignment" add constraint "assignment_assigned_by_id_foreign" foreign key ("assigned_by_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "assignment" add constraint "assignment_draft_file_id_foreign" foreign key ("draft_file_id") references "document_file" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "progress_note" add constraint "progress_note_assignment_id_foreign" foreign key ("assignment_id") references "assignment" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "progress_note" add constraint "progress_note_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "progress_note" add constraint "progress_note_file_id_foreign" foreign key ("file_id") references "document_file" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "document" drop constraint "document_source_document_id_foreign";`);

    this.addSql(`alter table "document" drop constraint "document_reply_to_id_foreign";`);

    this.addSql(`alter table "document" drop constraint "document_duplicate_of_id_foreign";`);

    this.addSql(`alter table "recipient" drop constraint "recipient_document_id_foreign";`);

    this.addSql(`alter table "recipient" drop constraint "recipient_delivered_document_id_foreign";`);

    this.addSql(`alter table "notification" drop constraint "notification_document_id_foreign";`);

    this.addSql(`alter table "document_member" drop constraint "document_member_document_id_foreign";`);

    this.addSql(`alter table "document_file" drop constraint "document_file_document_id_foreign";`);

    this.addSql(`alter table "document_comment" drop constraint "document_comment_document_id_foreign";`);

    this.addSql(`alter table "assignment" drop constraint "assignment_document_id_foreign";`);

    this.addSql(`alter table "assignment" drop constraint "assignment_draft_file_id_foreign";`);

    this.addSql(`alter table "progress_note" drop constraint "progress_note_file_id_foreign";`);

    this.addSql(`alter table "assignment" drop constraint "assignment_parent_id_foreign";`);

    this.addSql(`alter table "progress_note" drop constraint "progress_note_assignment_id_foreign";`);

    this.addSql(`drop table if exists "agency_settings" cascade;`);

    this.addSql(`drop table if exists "number_sequence" cascade;`);

    this.addSql(`drop table if exists "document" cascade;`);

    this.addSql(`drop table if exists "recipient" cascade;`);

    this.addSql(`drop table if exists "notification" cascade;`);

    this.addSql(`drop table if exists "document_member" cascade;`);

    this.addSql(`drop table if exists "document_file" cascade;`);

    this.addSql(`drop table if exists "document_comment" cascade;`);

    this.addSql(`drop table if exists "assignment" cascade;`);

    this.addSql(`drop table if exists "progress_note" cascade;`);
  }

}
