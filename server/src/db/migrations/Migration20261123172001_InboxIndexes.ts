import { Migration } from '@mikro-orm/migrations';

export class Migration20261123172001_InboxIndexes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "document_drafter_open_idx" on "document" ("drafter_id") where "state" in ('IN_APPROVAL', 'APPROVED', 'SIGNED');`);
    this.addSql(`create index "document_annotated_by_open_idx" on "document" ("annotated_by_id") where "state" in ('ASSIGNED', 'IN_PROGRESS');`);
    this.addSql(`create index "document_returned_to_open_idx" on "document" ("returned_to_id") where "state" = 'RETURNED';`);
    this.addSql(`create index "document_submitted_to_open_idx" on "document" ("submitted_to_id") where "state" = 'SUBMITTED';`);

    this.addSql(`create index "assignment_unit_open_idx" on "assignment" ("unit_id") include ("document_id", "user_id", "deadline", "state", "target", "id") where "active" and "state" in ('PENDING', 'IN_PROGRESS');`);
    this.addSql(`create index "assignment_user_open_idx" on "assignment" ("user_id") include ("document_id", "unit_id", "deadline", "state", "target", "id") where "active" and "state" in ('PENDING', 'IN_PROGRESS');`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "assignment_unit_open_idx";`);
    this.addSql(`drop index "assignment_user_open_idx";`);

    this.addSql(`drop index "document_drafter_open_idx";`);
    this.addSql(`drop index "document_annotated_by_open_idx";`);
    this.addSql(`drop index "document_returned_to_open_idx";`);
    this.addSql(`drop index "document_submitted_to_open_idx";`);
  }

}
