import { Migration } from '@mikro-orm/migrations';

export class Migration20261206062251_ExchangeBusiness extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "exchange_business_action" ("id" uuid not null, "document_id" uuid not null, "agency_id" uuid not null, "side" varchar(10) not null, "kind" varchar(10) not null, "state" varchar(10) not null, "reason" text null, "recipient_id" uuid null, "counterpart_name" text null, "counterpart_code" varchar(35) null, "answer_reason" text null, "replacing_document_id" uuid null, "replacing_edxml_id" varchar(200) null, "changes" jsonb null, "created_by_id" uuid null, "created_at" timestamptz not null default now(), "answered_by_id" uuid null, "answered_at" timestamptz null, constraint "exchange_business_action_pkey" primary key ("id"));`);
    this.addSql(`create index "exchange_business_action_recipient_id_index" on "exchange_business_action" ("recipient_id");`);
    this.addSql(`create index "exchange_business_action_document_id_created_at_index" on "exchange_business_action" ("document_id", "created_at");`);

    this.addSql(`create table "agency_assignment" ("id" uuid not null, "document_id" uuid not null, "role" varchar(12) not null, "agency_code" varchar(35) not null, "agency_name" text not null, "agency_id" uuid null, "deadline" date null, "instruction" text null, "recipient_id" uuid null, "state" varchar(12) not null default 'PENDING', "status_code" varchar(2) null, "status_note" text null, "active" boolean not null default true, "assigned_by_id" uuid null, "created_at" timestamptz not null default now(), "completed_at" timestamptz null, constraint "agency_assignment_pkey" primary key ("id"));`);
    this.addSql(`create index "agency_assignment_recipient_id_index" on "agency_assignment" ("recipient_id");`);
    this.addSql(`create index "agency_assignment_document_id_active_index" on "agency_assignment" ("document_id", "active");`);

    this.addSql(`alter table "exchange_business_action" add constraint "exchange_business_action_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "exchange_business_action" add constraint "exchange_business_action_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "exchange_business_action" add constraint "exchange_business_action_recipient_id_foreign" foreign key ("recipient_id") references "recipient" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "exchange_business_action" add constraint "exchange_business_action_replacing_document_id_foreign" foreign key ("replacing_document_id") references "document" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "exchange_business_action" add constraint "exchange_business_action_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "exchange_business_action" add constraint "exchange_business_action_answered_by_id_foreign" foreign key ("answered_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "agency_assignment" add constraint "agency_assignment_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "agency_assignment" add constraint "agency_assignment_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "agency_assignment" add constraint "agency_assignment_recipient_id_foreign" foreign key ("recipient_id") references "recipient" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "agency_assignment" add constraint "agency_assignment_assigned_by_id_foreign" foreign key ("assigned_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "document" add column "withdrawn_at" timestamptz null, add column "withdrawn_kind" varchar(10) null, add column "withdrawn_note" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "exchange_business_action" cascade;`);

    this.addSql(`drop table if exists "agency_assignment" cascade;`);

    this.addSql(`alter table "document" drop column "withdrawn_at", drop column "withdrawn_kind", drop column "withdrawn_note";`);
  }

}
