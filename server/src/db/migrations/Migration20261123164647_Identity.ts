import { Migration } from '@mikro-orm/migrations';

export class Migration20261123164647_Identity extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "agency" ("id" uuid not null, "code" varchar(35) not null, "name" text not null, "abbr" varchar(20) not null, "place" varchar(100) null, "parent_id" uuid null, "time_zone" varchar(40) not null default 'Asia/Ho_Chi_Minh', "active" boolean not null default true, "operator" boolean not null default false, "created_at" timestamptz not null default now(), constraint "agency_pkey" primary key ("id"));`);
    this.addSql(`alter table "agency" add constraint "agency_code_unique" unique ("code");`);
    this.addSql(`create index "agency_parent_id_index" on "agency" ("parent_id");`);
    this.addSql(`create index "agency_name_trgm" on "agency" using gin (f_unaccent(lower("name")) gin_trgm_ops);`);

    this.addSql(`create table "audit_event" ("id" uuid not null, "at" timestamptz not null default now(), "actor_id" uuid null, "agency_id" uuid null, "action" varchar(80) not null, "target_type" varchar(40) not null, "target_id" uuid null, "data" jsonb null, "ip" varchar(64) null, constraint "audit_event_pkey" primary key ("id"));`);
    this.addSql(`create index "audit_event_agency_id_at_index" on "audit_event" ("agency_id", "at");`);
    this.addSql(`create index "audit_event_target_type_target_id_at_index" on "audit_event" ("target_type", "target_id", "at");`);

    this.addSql(`create table "login_throttle" ("username" varchar(100) not null, "failures" int not null default 0, "first_failure_at" timestamptz not null, "locked_until" timestamptz null, constraint "login_throttle_pkey" primary key ("username"));`);

    this.addSql(`create table "unit" ("id" uuid not null, "agency_id" uuid not null, "name" text not null, "abbr" varchar(20) not null, "created_at" timestamptz not null default now(), constraint "unit_pkey" primary key ("id"));`);
    this.addSql(`create index "unit_agency_id_index" on "unit" ("agency_id");`);
    this.addSql(`alter table "unit" add constraint "unit_agency_id_abbr_unique" unique ("agency_id", "abbr");`);

    this.addSql(`create table "app_user" ("id" uuid not null, "username" varchar(100) not null, "full_name" text not null, "title" text null, "email" varchar(200) null, "agency_id" uuid not null, "unit_id" uuid null, "roles" text[] not null, "password_hash" text not null, "active" boolean not null default true, "last_login_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "app_user_pkey" primary key ("id"));`);
    this.addSql(`alter table "app_user" add constraint "app_user_username_unique" unique ("username");`);
    this.addSql(`create index "app_user_agency_id_index" on "app_user" ("agency_id");`);
    this.addSql(`create index "app_user_unit_id_index" on "app_user" ("unit_id");`);

    this.addSql(`create table "session" ("id" uuid not null, "user_id" uuid not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "revoked_at" timestamptz null, "ip" varchar(64) null, "user_agent" text null, constraint "session_pkey" primary key ("id"));`);
    this.addSql(`create index "session_user_id_index" on "session" ("user_id");`);

    this.addSql(`alter table "agency" add constraint "agency_parent_id_foreign" foreign key ("parent_id") references "agency" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "unit" add constraint "unit_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "app_user" add constraint "app_user_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "app_user" add constraint "app_user_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "session" add constraint "session_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "agency" drop constraint "agency_parent_id_foreign";`);

    this.addSql(`alter table "unit" drop constraint "unit_agency_id_foreign";`);

    this.addSql(`alter table "app_user" drop constraint "app_user_agency_id_foreign";`);

    this.addSql(`alter table "app_user" drop constraint "app_user_unit_id_foreign";`);

    this.addSql(`alter table "session" drop constraint "session_user_id_foreign";`);

    this.addSql(`drop table if exists "agency" cascade;`);

    this.addSql(`drop table if exists "audit_event" cascade;`);

    this.addSql(`drop table if exists "login_throttle" cascade;`);

    this.addSql(`drop table if exists "unit" cascade;`);

    this.addSql(`drop table if exists "app_user" cascade;`);

    this.addSql(`drop table if exists "session" cascade;`);
  }

}
