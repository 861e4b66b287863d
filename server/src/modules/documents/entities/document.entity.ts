import { Entity, Index, ManyToOne, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '../../../shared/ids';
import { Agency } from '../../identity/entities/agency.entity';
import { Unit } from '../../identity/entities/unit.entity';
import { User } from '../../identity/entities/user.entity';
import type { ApprovalStep } from '../domain/outgoing-workflow';
import { ArchiveRecord } from '../../records/records.entities';
import type { DocumentArchiveMetadata } from '../../records/domain/metadata';

/** ARCHIVE: a digitised paper-archive document (cli import), archived from the start (state ARCHIVED). */
export type DocumentDirection = 'INCOMING' | 'OUTGOING' | 'ARCHIVE';

/**
 * One official document record (văn bản) of one agency: an incoming document (văn bản đến) as registered
 * by the receiving agency, or an outgoing one (văn bản đi) from draft to issue. A document sent inside the
 * deployment becomes one OUTGOING record at the sender and one INCOMING record per recipient agency.
 */
@Entity({ tableName: 'document' })
@Index({ properties: ['agency', 'direction', 'state'] })
@Index({ properties: ['agency', 'direction', 'receivedAt'] })
@Index({ properties: ['agency', 'dupKey'] })
// The search's personal access set (search/personal-set.ts): documents that name a person in their chain.
@Index({
  name: 'document_participants_gin_idx',
  expression:
    'create index "document_participants_gin_idx" on "document" using gin ((array["submitted_to_id", "annotated_by_id", "returned_to_id", "drafter_id", "signer_id", "signed_by_id", "issued_by_id"]))',
})
@Index({ name: 'document_approval_chain_gin_idx', expression: 'create index "document_approval_chain_gin_idx" on "document" using gin ("approval_chain" jsonb_path_ops)' })
@Unique({ name: 'document_incoming_number_unique', properties: ['agency', 'registerKey', 'registerYear', 'incomingNumber'] })
@Index({
  name: 'document_drafter_draft_idx',
  expression: 'create index "document_drafter_draft_idx" on "document" ("drafter_id") where "state" in (\'DRAFT\', \'RETURNED_TO_DRAFTER\')',
})
@Index({
  name: 'document_outgoing_number_unique',
  expression:
    'create unique index "document_outgoing_number_unique" on "document" ("agency_id", "register_key", "register_year", "number") where "direction" = \'OUTGOING\' and "number" is not null',
})
@Unique({ name: 'document_idempotency_unique', properties: ['agency', 'idempotencyKey'] })
// Inbox boxes (inbox-sql.ts): small partial indexes on the people a document waits for, per state.
@Index({
  name: 'document_submitted_to_open_idx',
  expression: 'create index "document_submitted_to_open_idx" on "document" ("submitted_to_id") where "state" = \'SUBMITTED\'',
})
@Index({
  name: 'document_returned_to_open_idx',
  expression: 'create index "document_returned_to_open_idx" on "document" ("returned_to_id") where "state" = \'RETURNED\'',
})
@Index({
  name: 'document_annotated_by_open_idx',
  expression: 'create index "document_annotated_by_open_idx" on "document" ("annotated_by_id") where "state" in (\'ASSIGNED\', \'IN_PROGRESS\')',
})
@Index({
  name: 'document_drafter_open_idx',
  expression: 'create index "document_drafter_open_idx" on "document" ("drafter_id") where "state" in (\'IN_APPROVAL\', \'APPROVED\', \'SIGNED\')',
})
// Hồ sơ: documents of a record in filing order; one position per document.
@Index({
  name: 'document_record_order_unique',
  expression: 'create unique index "document_record_order_unique" on "document" ("record_id", "record_order") where "record_id" is not null',
})
@Index({
  name: 'document_agency_archived_idx',
  expression: 'create index "document_agency_archived_idx" on "document" ("agency_id", "archived_at") where "archived_at" is not null',
})
export class Document {
  /** Properties with defaults that `em.create` may omit. */
  [OptionalProps]?: 'version' | 'createdAt' | 'updatedAt' | 'urgency' | 'secrecy' | 'electronic' | 'metadataUnverified';

  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  /** The agency owning this record (receiver for INCOMING, issuer for OUTGOING). */
  @ManyToOne({ entity: () => Agency, deleteRule: 'restrict' })
  agency!: Agency;

  @Property({ type: 'string', length: 10 })
  direction!: DocumentDirection;

  /** IncomingState or OutgoingState (domain/incoming-workflow.ts, outgoing-workflow.ts). */
  @Property({ type: 'string', length: 24 })
  state!: string;

  /** Decree 30 type code (KH, QĐ …); null for công văn / thư công. */
  @Property({ type: 'string', length: 10, nullable: true })
  typeCode?: string | null;

  /** Tên loại văn bản, e.g. "Kế hoạch", "Công văn". */
  @Property({ type: 'string', length: 100 })
  typeName!: string;

  /** Số: the issuer's number (incoming) or the number given at issue (outgoing). */
  @Property({ type: 'integer', nullable: true })
  number?: number | null;

  /** Số và ký hiệu, e.g. "05/KH-UBND". */
  @Property({ type: 'string', length: 80, nullable: true })
  symbol?: string | null;

  /** Số đến: consecutive per agency and register per year. */
  @Property({ type: 'integer', nullable: true })
  incomingNumber?: number | null;

  /** The number sequence (sổ) the number came from: INCOMING, INCOMING_SECRET, OUTGOING, OUTGOING:QĐ … */
  @Property({ type: 'string', length: 40, nullable: true })
  registerKey?: string | null;

  @Property({ type: 'integer', nullable: true })
  registerYear?: number | null;

  /** Ngày ban hành (calendar date). */
  @Property({ type: 'date', nullable: true })
  issuedDate?: string | null;

  /** Ngày đến (incoming): when the văn thư received/registered it. */
  @Property({ type: 'datetime', nullable: true })
  receivedAt?: Date | null;

  /** Trích yếu nội dung. */
  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'text', nullable: true })
  signerName?: string | null;

  /** Chức vụ / thẩm quyền ký, e.g. "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH". */
  @Property({ type: 'text', nullable: true })
  signerTitle?: string | null;

  /** THUONG | KHAN | THUONG_KHAN | HOA_TOC */
  @Property({ type: 'string', length: 12, default: 'THUONG' })
  urgency: string = 'THUONG';

  /** THUONG | MAT | TOI_MAT | TUYET_MAT */
  @Property({ type: 'string', length: 12, default: 'THUONG' })
  secrecy: string = 'THUONG';

  @Property({ type: 'integer', nullable: true })
  pageCount?: number | null;

  /** Số lượng bản (outgoing). */
  @Property({ type: 'integer', nullable: true })
  copies?: number | null;

  /** The issuing agency when it is an agency of this deployment. */
  @ManyToOne({ entity: () => Agency, nullable: true, deleteRule: 'restrict' })
  issuerAgency?: Agency | null;

  /** Tác giả / cơ quan ban hành as written (external bodies, or a snapshot of the agency's name). */
  @Property({ type: 'text', nullable: true })
  issuerName?: string | null;

  /** Received electronically (from the deployment or edXML) rather than on paper. */
  @Property({ type: 'boolean', default: false })
  electronic: boolean = false;

  /** For an incoming record delivered inside the deployment: the sender's outgoing record. */
  @ManyToOne({ entity: () => Document, nullable: true, deleteRule: 'set null' })
  sourceDocument?: Document | null;

  /** For an outgoing document: the incoming document it answers. */
  @ManyToOne({ entity: () => Document, nullable: true, deleteRule: 'set null' })
  replyTo?: Document | null;

  /** Normalised (issuer, symbol, date) for duplicate detection (domain/numbering.ts duplicateKey). */
  @Property({ type: 'text', nullable: true })
  dupKey?: string | null;

  /** Flagged as a possible duplicate of this earlier registration (not silently merged). */
  @ManyToOne({ entity: () => Document, nullable: true, deleteRule: 'set null' })
  duplicateOf?: Document | null;

  // ── incoming handling (bút phê) ──
  /** The leader (or unit head) it was submitted to for annotation. */
  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  submittedTo?: User | null;

  /** Who it was returned to (leader or văn thư) and why. */
  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  returnedTo?: User | null;

  @Property({ type: 'text', nullable: true })
  returnReason?: string | null;

  /** Ý kiến chỉ đạo (bút phê) in force. */
  @Property({ type: 'text', nullable: true })
  instruction?: string | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  annotatedBy?: User | null;

  @Property({ type: 'datetime', nullable: true })
  annotatedAt?: Date | null;

  /** Hạn xử lý of the document (the lead assignment's deadline). */
  @Property({ type: 'date', nullable: true })
  deadline?: string | null;

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;

  // ── outgoing (dự thảo → duyệt → ký → phát hành) ──
  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  drafter?: User | null;

  @ManyToOne({ entity: () => Unit, nullable: true, deleteRule: 'set null' })
  drafterUnit?: Unit | null;

  /** Người ký chosen for the draft; null = any leader of the agency. */
  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  signer?: User | null;

  @Property({ type: 'json', nullable: true })
  approvalChain?: ApprovalStep[] | null;

  @Property({ type: 'integer', nullable: true })
  approvalStep?: number | null;

  @Property({ type: 'datetime', nullable: true })
  signedAt?: Date | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  signedBy?: User | null;

  @Property({ type: 'datetime', nullable: true })
  issuedAt?: Date | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  issuedBy?: User | null;

  /** External recipients written in "Nơi nhận" (names), besides the agencies of the deployment. */
  @Property({ type: 'json', nullable: true })
  externalRecipients?: string[] | null;

  /** Chỉ dẫn phạm vi lưu hành (XEM_XONG_TRA_LAI, LUU_HANH_NOI_BO, TRA_LAI_SAU_KHI_HOP — domain/secrecy.ts); null = none. */
  @Property({ type: 'json', nullable: true })
  circulation?: string[] | null;

  /** Client-supplied idempotency key (registration, issue): a retried request returns the first result. */
  @Property({ type: 'string', length: 100, nullable: true })
  idempotencyKey?: string | null;

  // ── archive (hồ sơ, nộp lưu; modules/records) ──
  /** Hồ sơ it is filed into (lập hồ sơ). */
  @ManyToOne({ entity: () => ArchiveRecord, nullable: true, deleteRule: 'restrict' })
  record?: ArchiveRecord | null;

  /** Số thứ tự văn bản trong hồ sơ (DocOrdinal), 1, 2, … */
  @Property({ type: 'integer', nullable: true })
  recordOrder?: number | null;

  /** When it entered the agency archive (nộp lưu, or import of a paper archive). Non-null = IMMUTABLE. */
  @Property({ type: 'datetime', nullable: true })
  archivedAt?: Date | null;

  /** Circular 02/2019 metadata besides the columns above (records/domain/metadata.ts). */
  @Property({ type: 'json', nullable: true })
  archiveMetadata?: DocumentArchiveMetadata | null;

  /** "Chưa kiểm tra": archive metadata (e.g. read by OCR) not yet confirmed by an archivist. */
  @Property({ type: 'boolean', default: false })
  metadataUnverified: boolean = false;

  // ── thu hồi / lấy lại / thay thế (issue 13, modules/exchange/business): marked and locked, never deleted ──
  /** When the record was withdrawn (recalled, revoked, replaced); non-null = LOCKED (archive-guard.ts). */
  @Property({ type: 'datetime', nullable: true })
  withdrawnAt?: Date | null;

  /** RECALLED | REVOKED | REPLACED (exchange/business/domain.ts WithdrawnKind). */
  @Property({ type: 'string', length: 10, nullable: true })
  withdrawnKind?: string | null;

  /** The register's note next to the kept number (exchange/business/domain.ts withdrawnNote). */
  @Property({ type: 'text', nullable: true })
  withdrawnNote?: string | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  createdBy?: User | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();

  /** Optimistic lock: two leaders annotating at once cannot both win. */
  @Property({ type: 'integer', version: true })
  version: number = 1;
}
