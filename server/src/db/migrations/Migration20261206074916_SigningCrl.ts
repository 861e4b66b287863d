import { Migration } from '@mikro-orm/migrations';

export class Migration20261206074916_SigningCrl extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "signing_revoked_certificate" ("id" uuid not null, "issuer_key_id" varchar(64) not null, "serial_number" varchar(80) not null, "credential_id" uuid null, "reason" text null, "revoked_at" timestamptz not null, constraint "signing_revoked_certificate_pkey" primary key ("id"));`);
    this.addSql(`alter table "signing_revoked_certificate" add constraint "signing_revoked_certificate_issuer_key_id_serial_number_unique" unique ("issuer_key_id", "serial_number");`);

    this.addSql(`create table "signing_crl" ("issuer_key_id" varchar(64) not null, "issuer_name" text not null, "crl_number" int not null, "this_update" timestamptz not null, "next_update" timestamptz not null, "der" bytea not null, constraint "signing_crl_pkey" primary key ("issuer_key_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "signing_revoked_certificate" cascade;`);

    this.addSql(`drop table if exists "signing_crl" cascade;`);
  }

}
