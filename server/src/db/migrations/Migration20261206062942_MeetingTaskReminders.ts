import { Migration } from '@mikro-orm/migrations';

export class Migration20261206062942_MeetingTaskReminders extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "meeting_task" add column "last_reminder_kind" varchar(10) null, add column "last_reminder_on" date null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "meeting_task" drop column "last_reminder_kind", drop column "last_reminder_on";`);
  }

}
