import { Migration } from '@mikro-orm/migrations';

export class Migration20261206062018_ExchangePeers extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "exchange_nonce" ("peer_code" varchar(64) not null, "nonce" varchar(64) not null, "expires_at" timestamptz not null, constraint "exchange_nonce_pkey" primary key ("peer_code", "nonce"));`);
    this.addSql(`create index "exchange_nonce_expires_at_index" on "exchange_nonce" ("expires_at");`);

    this.addSql(`create table "exchange_peer" ("id" uuid not null, "code" varchar(64) not null, "name" text not null, "base_url" text not null, "keys" jsonb not null, "active" boolean not null default true, "source" varchar(10) not null default 'CLI', "last_sync_at" timestamptz null, "last_sync_error" text null, "created_at" timestamptz not null default now(), constraint "exchange_peer_pkey" primary key ("id"));`);
    this.addSql(`alter table "exchange_peer" add constraint "exchange_peer_code_unique" unique ("code");`);

    this.addSql(`create table "exchange_directory" ("agency_code" varchar(35) not null, "name" text not null, "parent_code" varchar(35) null, "peer_id" uuid null, "active" boolean not null default true, "synced_at" timestamptz not null default now(), constraint "exchange_directory_pkey" primary key ("agency_code"));`);
    this.addSql(`create index "exchange_directory_peer_id_index" on "exchange_directory" ("peer_id");`);
    this.addSql(`create index "exchange_directory_name_trgm" on "exchange_directory" using gin (f_unaccent(lower("name")) gin_trgm_ops);`);

    this.addSql(`alter table "exchange_directory" add constraint "exchange_directory_peer_id_foreign" foreign key ("peer_id") references "exchange_peer" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "exchange_directory" drop constraint "exchange_directory_peer_id_foreign";`);

    this.addSql(`drop table if exists "exchange_nonce" cascade;`);

    this.addSql(`drop table if exists "exchange_peer" cascade;`);

    this.addSql(`drop table if exists "exchange_directory" cascade;`);
  }

}
