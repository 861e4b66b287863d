import { Migration } from '@mikro-orm/migrations';

export class Migration20261206062203_Exchange extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "exchange_outbox" ("id" uuid not null, "kind" varchar(10) not null, "business_type" int null, "status_code" varchar(2) null, "description" text null, "edxml_document_id" varchar(200) not null, "sender_code" varchar(35) not null, "recipient_code" varchar(35) not null, "peer_id" uuid null, "document_id" uuid null, "recipient_id" uuid null, "dedup_seq" int not null default 0, "depends_on" uuid null, "data" jsonb null, "payload_key" text null, "payload_sha256" varchar(64) null, "payload_size" bigint null, "state" varchar(10) not null default 'QUEUED', "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "lease_until" timestamptz null, "last_error" text null, "ack" varchar(100) null, "created_at" timestamptz not null default now(), "sent_at" timestamptz null, "delivered_at" timestamptz null, constraint "exchange_outbox_pkey" primary key ("id"));`);
    this.addSql(`create index "exchange_outbox_depends_on_index" on "exchange_outbox" ("depends_on");`);
    this.addSql(`create index "exchange_outbox_edxml_document_id_sender_code_reci_4c74c_index" on "exchange_outbox" ("edxml_document_id", "sender_code", "recipient_code");`);
    this.addSql(`create index "exchange_outbox_state_next_attempt_at_index" on "exchange_outbox" ("state", "next_attempt_at");`);

    this.addSql(`create table "exchange_inbox" ("id" uuid not null, "dedup_key" varchar(64) not null, "kind" varchar(10) not null, "business_type" int null, "status_code" varchar(2) null, "sender_code" varchar(35) not null, "recipient_code" varchar(35) not null, "edxml_document_id" varchar(200) not null, "value" jsonb not null, "files" jsonb not null, "via" varchar(10) not null, "peer_id" uuid null, "message_id" varchar(100) null, "state" varchar(10) not null default 'RECEIVED', "reason" text null, "applied_document_id" uuid null, "last_status_code" varchar(2) null, "received_at" timestamptz not null default now(), "applied_at" timestamptz null, constraint "exchange_inbox_pkey" primary key ("id"));`);
    this.addSql(`create index "exchange_inbox_applied_document_id_index" on "exchange_inbox" ("applied_document_id");`);
    this.addSql(`create index "exchange_inbox_state_index" on "exchange_inbox" ("state");`);
    this.addSql(`create index "exchange_inbox_edxml_document_id_sender_code_recip_e4a0e_index" on "exchange_inbox" ("edxml_document_id", "sender_code", "recipient_code");`);
    this.addSql(`alter table "exchange_inbox" add constraint "exchange_inbox_dedup_key_unique" unique ("dedup_key");`);

    this.addSql(`alter table "exchange_outbox" add constraint "exchange_outbox_document_id_foreign" foreign key ("document_id") references "document" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "exchange_outbox" add constraint "exchange_outbox_recipient_id_foreign" foreign key ("recipient_id") references "recipient" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "exchange_inbox" add constraint "exchange_inbox_applied_document_id_foreign" foreign key ("applied_document_id") references "document" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "recipient" add column "agency_code" varchar(35) null, add column "transport_state" varchar(10) null, add column "transport_error" text null;`);
    this.addSql(`update "recipient" r set "agency_code" = a."code" from "agency" a where a."id" = r."agency_id";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "exchange_outbox" cascade;`);

    this.addSql(`drop table if exists "exchange_inbox" cascade;`);

    this.addSql(`alter table "recipient" drop column "agency_code", drop column "transport_state", drop column "transport_error";`);
  }

}
