/**
 * Exchange business messages (issue 13; domain.ts): lấy lại (13 → 15/16), thu hồi, cập nhật, thay thế
 * (BussinessDocType 1/2/3), and bút phê to other agencies (giao cơ quan khác, agency-assignments).
 */
import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { newId } from '../../../shared/ids';
import { Agency } from '../../identity/entities/agency.entity';
import { User } from '../../identity/entities/user.entity';
import { Document } from '../../documents/entities/document.entity';
import { Recipient } from '../../documents/entities/misc.entities';
import type { BusinessKind, BusinessSide, BusinessState, FieldChange } from './domain';

/**
 * One business message on one of our records.
 * SENDER rows hang on our outgoing record: a RECALL row per recipient (its outcome 15/16), one row for a
 * REVOKE / UPDATE / REPLACE (sent to every holding recipient). RECEIVER rows hang on our incoming record: what
 * the sender asked (RECALL, PENDING until the văn thư answers) or did (REVOKE / UPDATE / REPLACE, APPLIED).
 */
@Entity({ tableName: 'exchange_business_action' })
@Index({ properties: ['document', 'createdAt'] })
@Index({ properties: ['recipient'] })
export class BusinessActionRow {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Document, deleteRule: 'cascade' })
  document!: Document;

  @ManyToOne({ entity: () => Agency, deleteRule: 'cascade' })
  agency!: Agency;

  @Property({ type: 'string', length: 10 })
  side!: BusinessSide;

  @Property({ type: 'string', length: 10 })
  kind!: BusinessKind;

  @Property({ type: 'string', length: 10 })
  state!: BusinessState;

  /** Lý do (BussinessDocReason / the 13's description). */
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  /** SENDER RECALL: the recipient asked. */
  @ManyToOne({ entity: () => Recipient, nullable: true, deleteRule: 'set null' })
  recipient?: Recipient | null;

  /** Name of the other party (the recipient agency for the sender, the sender agency for the receiver). */
  @Property({ type: 'text', nullable: true })
  counterpartName?: string | null;

  @Property({ type: 'string', length: 35, nullable: true })
  counterpartCode?: string | null;

  /** The answer's reason (16), or the note of a 15. */
  @Property({ type: 'text', nullable: true })
  answerReason?: string | null;

  /** REPLACE: the replacing document (sender: our issued outgoing record; receiver: resolved lazily). */
  @ManyToOne({ entity: () => Document, nullable: true, deleteRule: 'set null' })
  replacingDocument?: Document | null;

  /** REPLACE: the edXML DocumentId of the replacing document (receiver side: links it when it arrives). */
  @Property({ type: 'string', length: 200, nullable: true })
  replacingEdxmlId?: string | null;

  /** UPDATE: the changed fields. */
  @Property({ type: 'json', nullable: true })
  changes?: FieldChange[] | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  createdBy?: User | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  answeredBy?: User | null;

  @Property({ type: 'datetime', nullable: true })
  answeredAt?: Date | null;
}

/**
 * Giao cơ quan khác: a bút phê names another agency (of this deployment or of a peer, by its mã định danh) as
 * chủ trì or phối hợp. The incoming document goes there through the exchange (a Recipient row on OUR incoming
 * record, carrying the phiếu chuyển); the agency's statuses come back on the Recipient and move this row
 * (05 → IN_PROGRESS, 06 → DONE, 02 → REJECTED).
 */
@Entity({ tableName: 'agency_assignment' })
@Index({ properties: ['document', 'active'] })
@Index({ properties: ['recipient'] })
export class AgencyAssignment {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Document, deleteRule: 'cascade' })
  document!: Document;

  /** LEAD (chủ trì) | COORDINATOR (phối hợp) */
  @Property({ type: 'string', length: 12 })
  role!: 'LEAD' | 'COORDINATOR';

  @Property({ type: 'string', length: 35 })
  agencyCode!: string;

  @Property({ type: 'text' })
  agencyName!: string;

  /** An agency of this deployment, else null (a peer's agency, by code). */
  @ManyToOne({ entity: () => Agency, nullable: true, deleteRule: 'set null' })
  agency?: Agency | null;

  @Property({ type: 'date', nullable: true })
  deadline?: string | null;

  @Property({ type: 'text', nullable: true })
  instruction?: string | null;

  /** The Recipient row on our incoming record through which the document travels. */
  @ManyToOne({ entity: () => Recipient, nullable: true, deleteRule: 'set null' })
  recipient?: Recipient | null;

  /** PENDING | IN_PROGRESS | DONE | REJECTED | CLOSED */
  @Property({ type: 'string', length: 12, default: 'PENDING' })
  state: string = 'PENDING';

  /** Last edXML status reported by the agency and its note (reason of a 02, số đến …). */
  @Property({ type: 'string', length: 2, nullable: true })
  statusCode?: string | null;

  @Property({ type: 'text', nullable: true })
  statusNote?: string | null;

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'set null' })
  assignedBy?: User | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;
}

export const businessEntities = [BusinessActionRow, AgencyAssignment];
