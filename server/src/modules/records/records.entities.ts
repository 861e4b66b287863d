import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { Agency } from '../identity/entities/agency.entity';
import { Unit } from '../identity/entities/unit.entity';
import { User } from '../identity/entities/user.entity';
import type { RecordArchiveMetadata } from './domain/metadata';

/** OPEN (đang lập) → CLOSED (kết thúc) → TRANSFERRED (đã nộp lưu) → DISPOSED (đã hủy). */
export type RecordState = 'OPEN' | 'CLOSED' | 'TRANSFERRED' | 'DISPOSED';

/**
 * Hồ sơ: one entry of an agency's Danh mục hồ sơ for a year (Decree 30 ch. III). Documents are filed into it in
 * order (Document.record / Document.recordOrder); it is closed (kết thúc) and then transferred (nộp lưu) to the
 * agency archive, after which it and its documents are immutable. Retention only extends; a legal hold blocks
 * disposal (hủy), which needs a decision and leaves a RecordDisposal.
 */
@Entity({ tableName: 'archive_record' })
@Unique({ name: 'archive_record_notation_unique', properties: ['agency', 'year', 'fileNotation'] })
@Index({ properties: ['agency', 'year', 'state'] })
export class ArchiveRecord {
  [OptionalProps]?: 'version' | 'createdAt' | 'updatedAt' | 'state' | 'legalHold' | 'metadataUnverified' | 'metadata';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Agency, deleteRule: 'restrict' })
  agency!: Agency;

  /** Năm của Danh mục hồ sơ. */
  @Property({ type: 'integer' })
  year!: number;

  /** Số và ký hiệu hồ sơ (FileNotation), e.g. "01.KT" — unique per agency and year. */
  @Property({ type: 'string', length: 40 })
  fileNotation!: string;

  /** Mã hồ sơ (FileCode) = agency code.year.notation (Circular 02/2019). */
  @Property({ type: 'string', length: 120 })
  fileCode!: string;

  /** Tiêu đề hồ sơ. */
  @Property({ type: 'text' })
  title!: string;

  /** Thời hạn bảo quản in years; null = Vĩnh viễn. Only extends. */
  @Property({ type: 'integer', nullable: true })
  retentionYears?: number | null;

  /** The retention-table item it was taken from (code), if any. */
  @Property({ type: 'string', length: 40, nullable: true })
  retentionCode?: string | null;

  @ManyToOne({ entity: () => Unit, nullable: true, deleteRule: 'set null' })
  unit?: Unit | null;

  /** Người lập hồ sơ. */
  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  creator?: User | null;

  @Property({ type: 'string', length: 12, default: 'OPEN' })
  state: RecordState = 'OPEN';

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  transferredAt?: Date | null;

  /** The transfer (nộp lưu) batch whose Mục lục hồ sơ nộp lưu lists it. */
  @ManyToOne({ entity: () => RecordTransfer, nullable: true, deleteRule: 'set null' })
  transfer?: RecordTransfer | null;

  @Property({ type: 'boolean', default: false })
  legalHold: boolean = false;

  @Property({ type: 'text', nullable: true })
  legalHoldReason?: string | null;

  @Property({ type: 'datetime', nullable: true })
  legalHoldAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  disposedAt?: Date | null;

  @ManyToOne({ entity: () => RecordDisposal, nullable: true, deleteRule: 'set null' })
  disposal?: RecordDisposal | null;

  /** Circular 02/2019 file metadata (dữ liệu đặc tả hồ sơ) besides the columns above. */
  @Property({ type: 'json', nullable: true })
  metadata?: RecordArchiveMetadata | null;

  /** "Chưa kiểm tra": metadata not yet confirmed by an archivist. */
  @Property({ type: 'boolean', default: false })
  metadataUnverified: boolean = false;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  @Property({ type: 'integer', version: true })
  version: number = 1;
}

/** Nộp lưu: one transfer of closed records to the agency archive (its Mục lục hồ sơ nộp lưu). */
@Entity({ tableName: 'record_transfer' })
@Index({ properties: ['agency', 'transferredAt'] })
export class RecordTransfer {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Agency, deleteRule: 'restrict' })
  agency!: Agency;

  @ManyToOne({ entity: () => Unit, nullable: true, deleteRule: 'set null' })
  unit?: Unit | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  transferredBy?: User | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  transferredAt: Date = new Date();

  @Property({ type: 'text', nullable: true })
  note?: string | null;
}

/** Hủy: one disposal decision and what it destroyed (a snapshot kept for ever). */
@Entity({ tableName: 'record_disposal' })
@Index({ properties: ['agency', 'createdAt'] })
export class RecordDisposal {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Agency, deleteRule: 'restrict' })
  agency!: Agency;

  /** Số quyết định hủy. */
  @Property({ type: 'string', length: 80 })
  decisionNumber!: string;

  @Property({ type: 'date' })
  decisionDate!: string;

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  /** Snapshot: records and their documents (notation, title, retention, symbols, subjects). */
  @Property({ type: 'json' })
  items!: DisposedRecordSnapshot[];

  @Property({ type: 'integer' })
  documentCount!: number;

  /** Storage objects deleted after the rows went. */
  @Property({ type: 'integer', default: 0 })
  deletedObjects: number = 0;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  disposedBy?: User | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

export type DisposedRecordSnapshot = {
  recordId: string;
  fileCode: string;
  fileNotation: string;
  title: string;
  year: number;
  retentionYears: number | null;
  documents: { id: string; order: number | null; symbol: string | null; subject: string; issuedDate: string | null }[];
};

/**
 * Bảng thời hạn bảo quản: the configurable retention table of an agency (Thông tư 10/2022 items);
 * agency null = the deployment's default table.
 */
@Entity({ tableName: 'retention_item' })
@Unique({ name: 'retention_item_code_unique', properties: ['agency', 'code'] })
export class RetentionItem {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Agency, nullable: true, deleteRule: 'cascade' })
  agency?: Agency | null;

  @Property({ type: 'string', length: 40 })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  /** null = Vĩnh viễn. */
  @Property({ type: 'integer', nullable: true })
  years?: number | null;
}
