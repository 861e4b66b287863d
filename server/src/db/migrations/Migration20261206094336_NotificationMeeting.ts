import { Migration } from '@mikro-orm/migrations';

export class Migration20261206094336_NotificationMeeting extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "notification" add column "meeting_id" uuid null;`);
    this.addSql(`alter table "notification" add constraint "notification_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade on delete cascade;`);
    this.addSql(`create index "notification_meeting_id_index" on "notification" ("meeting_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "notification" drop constraint "notification_meeting_id_foreign";`);

    this.addSql(`drop index "notification_meeting_id_index";`);
    this.addSql(`alter table "notification" drop column "meeting_id";`);
  }

}
