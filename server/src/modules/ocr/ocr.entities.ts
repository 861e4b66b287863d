/**
 * Digitisation records: OcrResult (one per sha256), OcrPage (one per page, read by its own job) and Scan
 * (an upload before registration). Retries are pg-boss's (ocr.jobs.ts), so no attempt counter is kept here.
 */
import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { Agency } from '../identity/entities/agency.entity';
import { User } from '../identity/entities/user.entity';

export type OcrResultStatus = 'PENDING' | 'RUNNING' | 'DONE' | 'FAILED';

/**
 * The digitisation of one scan, keyed by the file's sha256: the same bytes are never OCR'd twice,
 * whichever documents, uploads or archive imports reference them.
 */
@Entity({ tableName: 'ocr_result' })
export class OcrResult {
  [OptionalProps]?: 'status' | 'pagesDone' | 'createdAt';

  @PrimaryKey({ type: 'string', length: 64 })
  sha256!: string;

  /** The original in object storage (kept whatever happens). */
  @Property({ type: 'text' })
  storageKey!: string;

  @Property({ type: 'string', length: 10, default: 'PENDING' })
  status: OcrResultStatus = 'PENDING';

  /** Input kind detected from the bytes (pdf, jpeg, png, tiff). */
  @Property({ type: 'string', length: 10, nullable: true })
  kind?: string | null;

  @Property({ type: 'integer', nullable: true })
  pagesTotal?: number | null;

  @Property({ type: 'integer', default: 0 })
  pagesDone: number = 0;

  /** Machine-readable failure code (CORRUPT_PDF, ENCRYPTED_PDF, …) and the Vietnamese message. */
  @Property({ type: 'string', length: 40, nullable: true })
  errorCode?: string | null;

  @Property({ type: 'text', nullable: true })
  error?: string | null;

  @Property({ type: 'text', nullable: true })
  searchablePdfKey?: string | null;

  @Property({ type: 'text', nullable: true })
  thumbnailKey?: string | null;

  /** Per-page text, lines and word boxes with confidences (JSON) in object storage. */
  @Property({ type: 'text', nullable: true })
  dataKey?: string | null;

  /** All pages' text in reading order (handed to search). */
  @Property({ type: 'text', nullable: true, lazy: true })
  text?: string | null;

  /** Decree 30 fields read off the page, each { value, confidence }. */
  @Property({ type: 'json', nullable: true })
  fields?: Record<string, unknown> | null;

  @Property({ type: 'integer', nullable: true })
  ms?: number | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  finishedAt?: Date | null;
}

/** One page of a digitisation: pages of a document are OCR'd in parallel as separate jobs. */
@Entity({ tableName: 'ocr_page' })
export class OcrPage {
  [OptionalProps]?: 'status';

  @PrimaryKey({ type: 'string', length: 64 })
  sha256!: string;

  @PrimaryKey({ type: 'integer' })
  pageIndex!: number;

  /** PENDING | DONE | FAILED */
  @Property({ type: 'string', length: 10, default: 'PENDING' })
  status: string = 'PENDING';

  /** The page's PageResult (text, lines, words) JSON in object storage. */
  @Property({ type: 'text', nullable: true })
  dataKey?: string | null;

  /** The cleaned page image shown in the searchable PDF. */
  @Property({ type: 'text', nullable: true })
  imageKey?: string | null;

  @Property({ type: 'integer', nullable: true })
  ms?: number | null;
}

/**
 * A scan uploaded before it belongs to a document (registration form prefill, archive bulk import).
 * Registering a document with `fileIds` attaches it.
 */
@Entity({ tableName: 'scan' })
@Index({ properties: ['agency', 'createdAt'] })
@Index({ properties: ['sha256'] })
export class Scan {
  [OptionalProps]?: 'createdAt' | 'source';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Agency, deleteRule: 'cascade' })
  agency!: Agency;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  uploadedBy?: User | null;

  /** UPLOAD (web, registration) | IMPORT (archive bulk import) */
  @Property({ type: 'string', length: 10, default: 'UPLOAD' })
  source: string = 'UPLOAD';

  @Property({ type: 'text' })
  storageKey!: string;

  @Property({ type: 'string', length: 64 })
  sha256!: string;

  @Property({ type: 'text' })
  fileName!: string;

  @Property({ type: 'string', length: 100 })
  contentType!: string;

  @Property({ type: 'bigint' })
  size!: number;

  /** Relative path within an imported folder (resumable import). */
  @Property({ type: 'text', nullable: true })
  importPath?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
