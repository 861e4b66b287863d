import { Migration } from '@mikro-orm/migrations';

/**
 * Administration (issue "Administration in the browser"): units can be deactivated, a password reset forces a
 * change at the next login, and the audit log is paged by (at, id) per agency and over all agencies.
 */
export class Migration20261205213744_Admin extends Migration {

  override async up(): Promise<void> {
    this.addSql(`drop index "audit_event_agency_id_at_index";`);

    this.addSql(`create index "audit_event_at_id_index" on "audit_event" ("at", "id");`);
    this.addSql(`create index "audit_event_agency_id_at_id_index" on "audit_event" ("agency_id", "at", "id");`);

    this.addSql(`alter table "unit" add column "active" boolean not null default true;`);

    this.addSql(`alter table "app_user" add column "must_change_password" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "app_user" drop column "must_change_password";`);

    this.addSql(`drop index "audit_event_at_id_index";`);
    this.addSql(`drop index "audit_event_agency_id_at_id_index";`);

    this.addSql(`create index "audit_event_agency_id_at_index" on "audit_event" ("agency_id", "at");`);

    this.addSql(`alter table "unit" drop column "active";`);
  }

}
