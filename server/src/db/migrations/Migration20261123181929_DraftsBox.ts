import { Migration } from '@mikro-orm/migrations';

export class Migration20261123181929_DraftsBox extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "document_drafter_draft_idx" on "document" ("drafter_id") where "state" in ('DRAFT', 'RETURNED_TO_DRAFTER');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "document_drafter_draft_idx";`);
  }

}
