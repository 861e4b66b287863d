/**
 * Records of the issuing flow (issue 12): the issuing details of an outgoing document (signing authority,
 * legal normative flag, where the signer's signature is, copy form), the number reservations of the
 * two-phase issue, and the signing delegations that TL. / TUQ. need.
 */
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '../../../shared/ids';
import { Agency } from '../../identity/entities/agency.entity';
import { User } from '../../identity/entities/user.entity';
import { Document } from '../entities/document.entity';

/** Issuing details of one outgoing document (1:1, created with the draft or on first use). */
@Entity({ tableName: 'document_issuing' })
export class DocumentIssuing {
  @ManyToOne({ entity: () => Document, primary: true, deleteRule: 'cascade' })
  document!: Document;

  /** Thẩm quyền ký: DIRECT, TM, KT, Q, TL, TUQ (issuing/authority.ts). Null = default at signing. */
  @Property({ type: 'string', length: 10, nullable: true })
  authorityMode?: string | null;

  @Property({ type: 'text', nullable: true })
  authorityCollective?: string | null;

  @Property({ type: 'text', nullable: true })
  authorityPrincipal?: string | null;

  /** The signer block as printed, fixed at signing ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"). */
  @Property({ type: 'json', nullable: true })
  authorityLines?: string[] | null;

  /** Văn bản quy phạm pháp luật: numbered per type and year, `05/2026/QĐ-UBND`. */
  @Property({ type: 'boolean', default: false })
  legalNormative: boolean = false;

  /** The signer's PAdES signature: the signed PDF's sha256 and where its image is ({page, rect}). */
  @Property({ type: 'string', length: 64, nullable: true })
  personalSignedSha256?: string | null;

  @Property({ type: 'json', nullable: true })
  signaturePlacement?: { page: number; rect: { x: number; y: number; width: number; height: number } } | null;

  /** Bản sao: SY, SL or TrS, and what it copies (an issued or received document). */
  @Property({ type: 'string', length: 5, nullable: true })
  copyForm?: string | null;

  @ManyToOne({ entity: () => Document, nullable: true, deleteRule: 'set null' })
  copyOf?: Document | null;

  /** A paper document signed outside the system, registered as issued with its scan. */
  @Property({ type: 'boolean', default: false })
  paper: boolean = false;

  /** "Lưu: VT" — copies kept by the văn thư (and the drafting unit), counted at issue. */
  @Property({ type: 'json', nullable: true })
  archiveCopies?: { holder: string; count: number }[] | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}

export type ReservationStatus = 'RESERVED' | 'USED' | 'CANCELLED';

/**
 * A number taken from a sequence for one document, before the issued file is signed (phase 1 of the
 * two-phase issue). It ends USED (the issue committed) or CANCELLED with its reason (the recovery job,
 * after signing failed or the process died) — never silently lost: every number of a sequence has a row.
 */
@Entity({ tableName: 'number_reservation' })
@Unique({ name: 'number_reservation_number_unique', properties: ['agency', 'registerKey', 'registerYear', 'number'] })
@Index({ properties: ['status', 'reservedAt'] })
@Index({ properties: ['document'] })
export class NumberReservation {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Agency, deleteRule: 'cascade' })
  agency!: Agency;

  @Property({ type: 'string', length: 40 })
  registerKey!: string;

  @Property({ type: 'integer' })
  registerYear!: number;

  @Property({ type: 'integer' })
  number!: number;

  @Property({ type: 'text' })
  symbol!: string;

  /** Local date written on the page. */
  @Property({ type: 'date' })
  issuedDate!: string;

  @ManyToOne({ entity: () => Document, deleteRule: 'cascade' })
  document!: Document;

  @Property({ type: 'string', length: 10 })
  status: ReservationStatus = 'RESERVED';

  /** Why it was cancelled (Vietnamese). */
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  reservedBy?: User | null;

  @Property({ type: 'datetime' })
  reservedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  settledAt?: Date | null;
}

/** Giao ký thừa lệnh (TL.) / thừa ủy quyền (TUQ.): recorded by the agency's administrator. */
@Entity({ tableName: 'signing_delegation' })
@Index({ properties: ['agency', 'delegate'] })
export class SigningDelegation {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Agency, deleteRule: 'cascade' })
  agency!: Agency;

  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  delegate!: User;

  /** TL or TUQ. */
  @Property({ type: 'string', length: 5 })
  mode!: string;

  /** The head's title the delegate signs for ("CHỦ TỊCH"). */
  @Property({ type: 'text' })
  principal!: string;

  /** The written decision (số, ngày của giấy ủy quyền / quyết định). */
  @Property({ type: 'text' })
  decisionRef!: string;

  @Property({ type: 'text', nullable: true })
  scope?: string | null;

  @Property({ type: 'date' })
  validFrom!: string;

  @Property({ type: 'date', nullable: true })
  validTo?: string | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  createdBy?: User | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;
}
