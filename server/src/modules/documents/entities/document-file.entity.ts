import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../../../shared/ids';
import { User } from '../../identity/entities/user.entity';
import { Document } from './document.entity';

export type DocumentFileKind = 'MAIN' | 'ATTACHMENT' | 'DRAFT' | 'REPLY_DRAFT';

/** A file of a document (bản chính, phụ lục, dự thảo …), stored content-addressed in object storage. */
@Entity({ tableName: 'document_file' })
@Index({ properties: ['document', 'kind', 'version'] })
@Index({ properties: ['sha256'] })
export class DocumentFile {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Document, deleteRule: 'cascade' })
  document!: Document;

  @Property({ type: 'string', length: 16 })
  kind!: DocumentFileKind;

  /** Version of a draft (1, 2, …); 1 for other kinds. */
  @Property({ type: 'integer', default: 1 })
  version: number = 1;

  @Property({ type: 'text' })
  storageKey!: string;

  @Property({ type: 'string', length: 64 })
  sha256!: string;

  @Property({ type: 'text' })
  fileName!: string;

  /** Detected from the bytes (magic numbers), not from the name. */
  @Property({ type: 'string', length: 100 })
  contentType!: string;

  @Property({ type: 'bigint' })
  size!: number;

  @Property({ type: 'integer', nullable: true })
  pageCount?: number | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  uploadedBy?: User | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  // Digitisation results live in ocr_result, keyed by sha256 (the same bytes are digitised once).
}
