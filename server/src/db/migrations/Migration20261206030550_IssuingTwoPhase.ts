import { Migration } from '@mikro-orm/migrations';

export class Migration20261206030550_IssuingTwoPhase extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "signing_delegation" ("id" uuid not null, "agency_id" uuid not null, "delegate_id" uuid not null, "mode" varchar(5) not null, "principal" text not null, "decision_ref" text not null, "scope" text null, "valid_from" date not null, "valid_to" date null, "created_by_id" uuid null, "created_at" timestamptz not null default now(), "revoked_at" timestamptz null, constraint "signing_delegation_pkey" primary key ("id"));`);
    this.addSql(`create index "signing_delegation_agency_id_delegate_id_index" on "signing_delegation" ("agency_id", "delegate_id");`);

    this.addSql(`create table "number_reservation" ("id" uuid not null, "agency_id" uuid not null, "register_key" varchar(40) not null, "register_year" int not null, "number" int not null, "symbol" text not null, "issued_date" date not null, "document_id" uuid not null, "status" varchar(10) not null default 'RESERVED', "reason" text null, "attempts" int not null default 0, "last_error" text null, "reserved_by_id" uuid null, "reserved_at" timestamptz not null, "settled_at" timestamptz null, constraint "number_reservation_pkey" primary key ("id"));`);
    this.addSql(`create index "number_reservation_document_id_index" on "number_reservation" ("document_id");`);
    this.addSql(`create index "number_reservation_status_reserved_at_index" on "number_reservation" ("status", "reserved_at");`);
    this.addSql(`alter table "number_reservation" add constraint "number_reservation_number_unique" unique ("agency_id", "register_key", "register_year", "number");`);

    this.addSql(`create table "document_issuing" ("document_id" uuid not null, "authority_mode" varchar(10) null, "authority_collective" text null, "authority_principal" text null, "authority_lines" jsonb null, "legal_normative" boolean not null default false, "personal_signed_sha256" varchar(64) null, "signature_placement" jsonb null, "copy_form" varchar(5) null, "copy_of_id" uuid null, "paper" boolean not null default false, "archive_copies" jsonb null, "updated_at" timestamptz not null default now(), constraint "document_issuing_pkey" primary key ("document_id"));`);

    this.addSql(`alter table "signing_delegation" add constraint "signing_delegation_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "signing_delegation" add constraint "signing_delegation_delegate_id_foreign" foreign key ("delegate_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "signing_delegation" add constraint "signing_delegation_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "number_reservation" add constraint "number_reservation_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "number_reservation" add constraint "number_reservation_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "number_reservation" add constraint "number_reservation_reserved_by_id_foreign" foreign key ("reserved_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "document_issuing" add constraint "document_issuing_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "document_issuing" add constraint "document_issuing_copy_of_id_foreign" foreign key ("copy_of_id") references "document" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "signing_delegation" cascade;`);

    this.addSql(`drop table if exists "number_reservation" cascade;`);

    this.addSql(`drop table if exists "document_issuing" cascade;`);
  }

}
