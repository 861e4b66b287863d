import { Migration } from '@mikro-orm/migrations';

export class Migration20261206030437_Meetings extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "engagement" ("id" uuid not null, "agency_id" uuid not null, "title" text not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "location" text null, "leader_ids" jsonb not null, "note" text null, "created_by_id" uuid not null, "created_at" timestamptz not null default now(), constraint "engagement_pkey" primary key ("id"));`);
    this.addSql(`create index "engagement_agency_id_starts_at_index" on "engagement" ("agency_id", "starts_at");`);

    this.addSql(`create table "display_token" ("id" uuid not null, "agency_id" uuid not null, "room" text null, "token_hash" varchar(64) not null, "created_by_id" uuid not null, "created_at" timestamptz not null default now(), "revoked_at" timestamptz null, constraint "display_token_pkey" primary key ("id"));`);
    this.addSql(`alter table "display_token" add constraint "display_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "meeting" ("id" uuid not null, "agency_id" uuid not null, "title" text not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "location" text null, "status" varchar(12) not null default 'DRAFT', "chair_id" uuid not null, "secretary_id" uuid not null, "created_by_id" uuid not null, "speaking_seconds" int not null default 180, "current_item_id" uuid null, "display_document_id" uuid null, "display_page" int null, "invitation_document_id" uuid null, "conclusion_document_id" uuid null, "version" int not null default 1, "published_at" timestamptz null, "created_at" timestamptz not null default now(), constraint "meeting_pkey" primary key ("id"));`);
    this.addSql(`create index "meeting_agency_id_starts_at_index" on "meeting" ("agency_id", "starts_at");`);

    this.addSql(`create table "meeting_participant" ("id" uuid not null, "meeting_id" uuid not null, "user_id" uuid not null, "role" varchar(10) not null, "checked_in_at" timestamptz null, "checked_in_by_id" uuid null, constraint "meeting_participant_pkey" primary key ("id"));`);
    this.addSql(`create index "meeting_participant_user_id_index" on "meeting_participant" ("user_id");`);
    this.addSql(`alter table "meeting_participant" add constraint "meeting_participant_meeting_id_user_id_unique" unique ("meeting_id", "user_id");`);

    this.addSql(`create table "meeting_item" ("id" uuid not null, "meeting_id" uuid not null, "sort_order" int not null, "title" text not null, "presenter_id" uuid null, "duration_minutes" int null, "status" varchar(10) not null default 'PENDING', "minutes" text null, "conclusion" text null, "concluded_at" timestamptz null, constraint "meeting_item_pkey" primary key ("id"));`);
    this.addSql(`create index "meeting_item_meeting_id_index" on "meeting_item" ("meeting_id");`);

    this.addSql(`create table "meeting_vote" ("id" uuid not null, "item_id" uuid not null, "question" text not null, "secret" boolean not null, "status" varchar(8) not null default 'OPEN', "eligible" int not null, "agree" int not null default 0, "disagree" int not null default 0, "abstain" int not null default 0, "opened_at" timestamptz not null, "closed_at" timestamptz null, constraint "meeting_vote_pkey" primary key ("id"));`);
    this.addSql(`create index "meeting_vote_item_id_index" on "meeting_vote" ("item_id");`);

    this.addSql(`create table "meeting_vote_voter" ("vote_id" uuid not null, "user_id" uuid not null, "choice" varchar(8) null, constraint "meeting_vote_voter_pkey" primary key ("vote_id", "user_id"));`);

    this.addSql(`create table "meeting_task" ("id" uuid not null, "meeting_id" uuid not null, "item_id" uuid not null, "title" text not null, "assignee_id" uuid not null, "deadline" date not null, "created_by_id" uuid not null, "created_at" timestamptz not null default now(), "completed_at" timestamptz null, "note" text null, constraint "meeting_task_pkey" primary key ("id"));`);
    this.addSql(`create index "meeting_task_meeting_id_index" on "meeting_task" ("meeting_id");`);
    this.addSql(`create index "meeting_task_assignee_id_index" on "meeting_task" ("assignee_id");`);

    this.addSql(`create table "meeting_speaker" ("id" uuid not null, "item_id" uuid not null, "user_id" uuid not null, "status" varchar(10) not null default 'WAITING', "sort_order" int not null, "requested_at" timestamptz not null, "started_at" timestamptz null, "speaking_seconds" int not null, constraint "meeting_speaker_pkey" primary key ("id"));`);
    this.addSql(`create index "meeting_speaker_item_id_index" on "meeting_speaker" ("item_id");`);

    this.addSql(`create table "meeting_position" ("id" uuid not null, "item_id" uuid not null, "user_id" uuid not null, "kind" varchar(16) not null, "opinion" text null, "updated_at" timestamptz not null default now(), constraint "meeting_position_pkey" primary key ("id"));`);
    this.addSql(`alter table "meeting_position" add constraint "meeting_position_item_id_user_id_unique" unique ("item_id", "user_id");`);

    this.addSql(`create table "meeting_document" ("id" uuid not null, "item_id" uuid not null, "title" text not null, "file_name" text not null, "content_type" text not null, "size" int not null, "page_count" int null, "storage_key" text not null, "source_document_id" uuid null, "added_by_id" uuid not null, "created_at" timestamptz not null default now(), constraint "meeting_document_pkey" primary key ("id"));`);
    this.addSql(`create index "meeting_document_item_id_index" on "meeting_document" ("item_id");`);

    this.addSql(`create table "meeting_note" ("id" uuid not null, "document_id" uuid not null, "user_id" uuid not null, "text" text not null, "updated_at" timestamptz not null default now(), constraint "meeting_note_pkey" primary key ("id"));`);
    this.addSql(`alter table "meeting_note" add constraint "meeting_note_document_id_user_id_unique" unique ("document_id", "user_id");`);

    this.addSql(`alter table "engagement" add constraint "engagement_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "engagement" add constraint "engagement_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "display_token" add constraint "display_token_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "display_token" add constraint "display_token_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "meeting" add constraint "meeting_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "meeting" add constraint "meeting_chair_id_foreign" foreign key ("chair_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "meeting" add constraint "meeting_secretary_id_foreign" foreign key ("secretary_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "meeting" add constraint "meeting_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "meeting" add constraint "meeting_invitation_document_id_foreign" foreign key ("invitation_document_id") references "document" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "meeting" add constraint "meeting_conclusion_document_id_foreign" foreign key ("conclusion_document_id") references "document" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "meeting_participant" add constraint "meeting_participant_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_participant" add constraint "meeting_participant_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "meeting_participant" add constraint "meeting_participant_checked_in_by_id_foreign" foreign key ("checked_in_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "meeting_item" add constraint "meeting_item_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_item" add constraint "meeting_item_presenter_id_foreign" foreign key ("presenter_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "meeting_vote" add constraint "meeting_vote_item_id_foreign" foreign key ("item_id") references "meeting_item" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "meeting_vote_voter" add constraint "meeting_vote_voter_vote_id_foreign" foreign key ("vote_id") references "meeting_vote" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_vote_voter" add constraint "meeting_vote_voter_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "meeting_task" add constraint "meeting_task_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_task" add constraint "meeting_task_item_id_foreign" foreign key ("item_id") references "meeting_item" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_task" add constraint "meeting_task_assignee_id_foreign" foreign key ("assignee_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "meeting_task" add constraint "meeting_task_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "meeting_speaker" add constraint "meeting_speaker_item_id_foreign" foreign key ("item_id") references "meeting_item" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_speaker" add constraint "meeting_speaker_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "meeting_position" add constraint "meeting_position_item_id_foreign" foreign key ("item_id") references "meeting_item" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_position" add constraint "meeting_position_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "meeting_document" add constraint "meeting_document_item_id_foreign" foreign key ("item_id") references "meeting_item" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_document" add constraint "meeting_document_added_by_id_foreign" foreign key ("added_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "meeting_note" add constraint "meeting_note_document_id_foreign" foreign key ("document_id") references "meeting_document" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "meeting_note" add constraint "meeting_note_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "meeting_participant" drop constraint "meeting_participant_meeting_id_foreign";`);

    this.addSql(`alter table "meeting_item" drop constraint "meeting_item_meeting_id_foreign";`);

    this.addSql(`alter table "meeting_task" drop constraint "meeting_task_meeting_id_foreign";`);

    this.addSql(`alter table "meeting_vote" drop constraint "meeting_vote_item_id_foreign";`);

    this.addSql(`alter table "meeting_task" drop constraint "meeting_task_item_id_foreign";`);

    this.addSql(`alter table "meeting_speaker" drop constraint "meeting_speaker_item_id_foreign";`);

    this.addSql(`alter table "meeting_position" drop constraint "meeting_position_item_id_foreign";`);

    this.addSql(`alter table "meeting_document" drop constraint "meeting_document_item_id_foreign";`);

    this.addSql(`alter table "meeting_vote_voter" drop constraint "meeting_vote_voter_vote_id_foreign";`);

    this.addSql(`alter table "meeting_note" drop constraint "meeting_note_document_id_foreign";`);

    this.addSql(`drop table if exists "engagement" cascade;`);

    this.addSql(`drop table if exists "display_token" cascade;`);

    this.addSql(`drop table if exists "meeting" cascade;`);

    this.addSql(`drop table if exists "meeting_participant" cascade;`);

    this.addSql(`drop table if exists "meeting_item" cascade;`);

    this.addSql(`drop table if exists "meeting_vote" cascade;`);

    this.addSql(`drop table if exists "meeting_vote_voter" cascade;`);

    this.addSql(`drop table if exists "meeting_task" cascade;`);

    this.addSql(`drop table if exists "meeting_speaker" cascade;`);

    this.addSql(`drop table if exists "meeting_position" cascade;`);

    this.addSql(`drop table if exists "meeting_document" cascade;`);

    this.addSql(`drop table if exists "meeting_note" cascade;`);
  }

}
