import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '../../../shared/ids';
import { Agency } from '../../identity/entities/agency.entity';
import { User } from '../../identity/entities/user.entity';
import { Assignment } from './assignment.entity';
import { Document } from './document.entity';
import { DocumentFile } from './document-file.entity';
import { Meeting } from '../../meetings/meetings.entities';

/** Tiến độ: a progress note of an assignee, optionally with a file. */
@Entity({ tableName: 'progress_note' })
export class ProgressNote {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Index()
  @ManyToOne({ entity: () => Assignment, deleteRule: 'cascade' })
  assignment!: Assignment;

  @ManyToOne({ entity: () => User, deleteRule: 'restrict' })
  author!: User;

  @Property({ type: 'text' })
  text!: string;

  @ManyToOne({ entity: () => DocumentFile, nullable: true, deleteRule: 'set null' })
  file?: DocumentFile | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** Ý kiến: comments in the approval chain (góp ý, duyệt, trả lại). */
@Entity({ tableName: 'document_comment' })
export class DocumentComment {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Index()
  @ManyToOne({ entity: () => Document, deleteRule: 'cascade' })
  document!: Document;

  @ManyToOne({ entity: () => User, deleteRule: 'restrict' })
  author!: User;

  /** COMMENT | APPROVE | REJECT | SIGN | RETURN */
  @Property({ type: 'string', length: 10 })
  kind!: string;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** Nơi nhận: one recipient of an outgoing document and its delivery status (edXML codes 01–06, 02). */
@Entity({ tableName: 'recipient' })
@Index({ properties: ['document'] })
@Index({ properties: ['agency'] })
export class Recipient {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Document, deleteRule: 'cascade' })
  document!: Document;

  /** An agency of this deployment (delivered instantly), or null for an external body recorded by name. */
  @ManyToOne({ entity: () => Agency, nullable: true, deleteRule: 'restrict' })
  agency?: Agency | null;

  @Property({ type: 'text' })
  name!: string;

  /** The incoming record created at the recipient agency. */
  @ManyToOne({ entity: () => Document, nullable: true, deleteRule: 'set null' })
  deliveredDocument?: Document | null;

  /** RecipientStatus (domain/status-codes.ts): DELIVERED, RECEIVED, ASSIGNED, IN_PROGRESS, DONE, REJECTED … */
  @Property({ type: 'string', length: 20, nullable: true })
  status?: string | null;

  /** The edXML status code of `status` ('01' … '06', '02'). */
  @Property({ type: 'string', length: 2, nullable: true })
  statusCode?: string | null;

  @Property({ type: 'datetime', nullable: true })
  statusAt?: Date | null;

  /** Reason (rejection) or the recipient's số đến, as a note. */
  @Property({ type: 'text', nullable: true })
  note?: string | null;

  /**
   * Mã định danh of the recipient agency (vn-standards §2.5): set for agencies of this deployment and for
   * agencies of peer deployments (`agency` null, `agencyCode` set: routed through the exchange directory).
   */
  @Property({ type: 'string', length: 35, nullable: true })
  agencyCode?: string | null;

  /** Transport state of the edXML package to this recipient (exchange outbox): QUEUED, SENDING, DELIVERED, FAILED. */
  @Property({ type: 'string', length: 10, nullable: true })
  transportState?: string | null;

  /** The last transport error (retrying) or the reason of a permanent refusal (FAILED). */
  @Property({ type: 'text', nullable: true })
  transportError?: string | null;
}

/** Người theo dõi / người được xem: watchers, and the named readers of a secret document. */
@Entity({ tableName: 'document_member' })
@Unique({ properties: ['document', 'user', 'kind'] })
@Index({ properties: ['user', 'kind'] })
export class DocumentMember {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Document, deleteRule: 'cascade' })
  document!: Document;

  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: User;

  /** WATCHER (theo dõi) | READER (named reader of a secret document) */
  @Property({ type: 'string', length: 10 })
  kind!: 'WATCHER' | 'READER';

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/**
 * A number sequence (sổ) per agency, register and year. Numbers are taken with a row-locking
 * `update … returning` inside the registering/issuing transaction: a rolled-back transaction gives its
 * number back, and concurrent transactions queue on the row, so there are no gaps and no duplicates.
 */
@Entity({ tableName: 'number_sequence' })
export class NumberSequence {
  @ManyToOne({ entity: () => Agency, primary: true, deleteRule: 'cascade' })
  agency!: Agency;

  @PrimaryKey({ type: 'string', length: 40 })
  key!: string;

  @PrimaryKey({ type: 'integer' })
  year!: number;

  @Property({ type: 'integer', default: 0 })
  lastNumber: number = 0;
}

/** Per-agency settings of the documents capability (numbering policy, approval chain, custom types). */
@Entity({ tableName: 'agency_settings' })
export class AgencySettings {
  @ManyToOne({ entity: () => Agency, primary: true, deleteRule: 'cascade' })
  agency!: Agency;

  /** SHARED: one outgoing sequence; PER_TYPE: one per document type. */
  @Property({ type: 'string', length: 10, default: 'SHARED' })
  outgoingNumbering: string = 'SHARED';

  @Property({ type: 'json', nullable: true })
  approvalChain?: unknown[] | null;

  /** Extra or overriding document types: [{ code, name }]. */
  @Property({ type: 'json', nullable: true })
  documentTypes?: unknown[] | null;

  /** Non-working days (YYYY-MM-DD) for deadlines and reminders. */
  @Property({ type: 'json', nullable: true })
  holidays?: string[] | null;

  /** Sổ văn bản đến of the agency: [{ key, name, active }] (null = only the general register INCOMING). */
  @Property({ type: 'json', nullable: true })
  incomingRegisters?: unknown[] | null;
}

/** A notification to a user (new assignment, deadline reminder, returned document …). */
@Entity({ tableName: 'notification' })
@Index({ properties: ['user', 'readAt'] })
export class Notification {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: User;

  @Property({ type: 'string', length: 40 })
  kind!: string;

  @ManyToOne({ entity: () => Document, nullable: true, deleteRule: 'cascade' })
  document?: Document | null;

  /** Phòng họp: the meeting it is about (invitations, changes, votes, tasks), linked in the bell. */
  @ManyToOne({ entity: () => Meeting, nullable: true, deleteRule: 'cascade', index: true })
  meeting?: Meeting | null;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  readAt?: Date | null;
}
