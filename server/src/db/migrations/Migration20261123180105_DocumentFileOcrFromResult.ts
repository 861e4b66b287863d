import { Migration } from '@mikro-orm/migrations';

export class Migration20261123180105_DocumentFileOcrFromResult extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "document_file" drop column "ocr_status", drop column "ocr_pages_done", drop column "ocr_error", drop column "searchable_pdf_key", drop column "thumbnail_key", drop column "ocr_data_key", drop column "ocr_text", drop column "ocr_fields";`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "document_file" add column "ocr_status" varchar(10) null, add column "ocr_pages_done" int4 null, add column "ocr_error" text null, add column "searchable_pdf_key" text null, add column "thumbnail_key" text null, add column "ocr_data_key" text null, add column "ocr_text" text null, add column "ocr_fields" jsonb null;`);
  }

}
