import { Migration } from '@mikro-orm/migrations';

export class Migration20261206031113_Signing extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "file_signature_check" ("sha256" varchar(64) not null, "signatures" jsonb not null, "anchors_hash" varchar(64) not null, "checked_at" timestamptz not null default now(), constraint "file_signature_check_pkey" primary key ("sha256"));`);

    this.addSql(`create table "signing_trust_anchor" ("id" uuid not null, "name" text not null, "certificate_pem" text not null, "issuing_certificate_pem" text null, "issuing_key_encrypted" bytea null, "created_at" timestamptz not null default now(), constraint "signing_trust_anchor_pkey" primary key ("id"));`);

    this.addSql(`create table "signing_credential" ("id" uuid not null, "agency_id" uuid not null, "user_id" uuid null, "kind" varchar(10) not null, "source" varchar(12) not null, "certificate_pem" text not null, "subject" text not null, "issuer" text not null, "serial_number" varchar(80) not null, "not_before" timestamptz not null, "not_after" timestamptz not null, "encrypted_key" bytea null, "image" bytea null, "active" boolean not null default true, "created_at" timestamptz not null default now(), constraint "signing_credential_pkey" primary key ("id"));`);
    this.addSql(`create index "signing_credential_user_id_active_index" on "signing_credential" ("user_id", "active");`);
    this.addSql(`create index "signing_credential_agency_id_kind_active_index" on "signing_credential" ("agency_id", "kind", "active");`);

    this.addSql(`create table "signing_session" ("id" uuid not null, "user_id" uuid not null, "file_id" uuid not null, "document_id" uuid not null, "status" varchar(12) not null default 'PREPARED', "kind" varchar(10) not null, "pdf" bytea not null, "contents_offset" int not null, "contents_hex_length" int not null, "signed_attributes" bytea not null, "certificate_pem" text not null, "signed_sha256" varchar(64) null, "signing_time" timestamptz not null, "expires_at" timestamptz not null, "created_at" timestamptz not null default now(), constraint "signing_session_pkey" primary key ("id"));`);
    this.addSql(`create index "signing_session_user_id_status_index" on "signing_session" ("user_id", "status");`);

    this.addSql(`alter table "signing_credential" add constraint "signing_credential_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "signing_credential" add constraint "signing_credential_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "signing_session" add constraint "signing_session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "signing_session" add constraint "signing_session_file_id_foreign" foreign key ("file_id") references "document_file" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "file_signature_check" cascade;`);

    this.addSql(`drop table if exists "signing_trust_anchor" cascade;`);

    this.addSql(`drop table if exists "signing_credential" cascade;`);

    this.addSql(`drop table if exists "signing_session" cascade;`);
  }

}
