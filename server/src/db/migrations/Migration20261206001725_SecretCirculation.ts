import { Migration } from '@mikro-orm/migrations';

export class Migration20261206001725_SecretCirculation extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "document" add column "circulation" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "document" drop column "circulation";`);
  }

}
