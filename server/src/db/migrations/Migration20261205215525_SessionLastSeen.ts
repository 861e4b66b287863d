import { Migration } from '@mikro-orm/migrations';

/** Sessions remember when they were last used ("Phiên đăng nhập" in the user's account page). */
export class Migration20261205215525_SessionLastSeen extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "session" add column "last_seen_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "session" drop column "last_seen_at";`);
  }

}
