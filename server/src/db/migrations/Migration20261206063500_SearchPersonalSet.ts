import { Migration } from '@mikro-orm/migrations';

/**
 * Search at scale (issue 10): the participant facts of the access rule behind indexes, so that a viewer without an
 * agency-wide grant finds "the documents I am in the chain of" through an index (search/personal-set.ts) instead
 * of a scan of the agency. The array expression must stay textually equal to PARTICIPANT_ARRAY_SQL.
 */
export class Migration20261206063500_SearchPersonalSet extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create index "document_participants_gin_idx" on "document" using gin ((array["submitted_to_id", "annotated_by_id", "returned_to_id", "drafter_id", "signer_id", "signed_by_id", "issued_by_id"]));`,
    );
    this.addSql(`create index "document_approval_chain_gin_idx" on "document" using gin ("approval_chain" jsonb_path_ops);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "document_participants_gin_idx";`);
    this.addSql(`drop index if exists "document_approval_chain_gin_idx";`);
  }
}
