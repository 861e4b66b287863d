import { Migration } from '@mikro-orm/migrations';

/**
 * Thông báo (the bell): a trigger that NOTIFYs `notificationsChanged:<user_id>` on the pub/sub channel (infra/pubsub/pg-event-target.ts, same
 * `{topic, data}` payload as services.pubsub) whenever a notification is written or marked read. PostgreSQL
 * delivers NOTIFY only when the transaction commits (and folds identical ones), so every writer pushes the
 * live unread count after commit, and a rolled-back write pushes nothing. (The unread count and the list use the
 * existing index notification(user_id, read_at).)
 */
export class Migration20261205224800_NotificationsChanged extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create or replace function "notification_changed_notify"() returns trigger language plpgsql as $$
begin
  perform pg_notify('congvan_events', json_build_object('topic', 'notificationsChanged:' || new.user_id::text, 'data', json_build_object('userId', new.user_id::text))::text);
  return null;
end $$;`);
    this.addSql(`create trigger "notification_changed" after insert or update of "read_at" on "notification" for each row execute function "notification_changed_notify"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "notification_changed" on "notification";`);
    this.addSql(`drop function if exists "notification_changed_notify"();`);
  }

}
