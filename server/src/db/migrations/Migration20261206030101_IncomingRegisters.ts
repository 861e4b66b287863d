import { Migration } from '@mikro-orm/migrations';

export class Migration20261206030101_IncomingRegisters extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "agency_settings" add column "incoming_registers" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "agency_settings" drop column "incoming_registers";`);
  }

}
