/** OCR retries are pg-boss's (retryLimit + dead-letter queue): the home-made ocr_result.attempts counter goes. */
import { Migration } from '@mikro-orm/migrations';

export class Migration20261205211300_OcrRetriesByQueue extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "ocr_result" drop column "attempts";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "ocr_result" add column "attempts" int4 not null default 0;`);
  }

}
