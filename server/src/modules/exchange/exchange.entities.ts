/**
 * The outbox and the inbox of the exchange (issue 13, DESIGN.md): one outbox row per (message, recipient
 * agency), written in the transaction that causes it; one inbox row per received (message, recipient agency),
 * deduplicated on `dedupKey` before the sender is acknowledged.
 */
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { Document } from '../documents/entities/document.entity';
import { Recipient } from '../documents/entities/misc.entities';

export type OutboxKind = 'DOCUMENT' | 'STATUS';
/** Transport state of an outbox row (and of the sender's Recipient row): shown to the sender. */
export type OutboxState = 'QUEUED' | 'SENDING' | 'DELIVERED' | 'FAILED';
export type InboxState = 'RECEIVED' | 'APPLIED' | 'REJECTED' | 'HELD';

/**
 * The columns an outbox row and an inbox row share (one edXML message between a sender and a recipient
 * agency). Not a table: each subclass has its own.
 */
@Entity({ abstract: true })
export abstract class ExchangeMessage {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  /** DOCUMENT (edXML package, business type 0–3) | STATUS (status message 01–06, 02, 13, 15, 16). */
  @Property({ type: 'string', length: 10 })
  kind!: OutboxKind;

  /** BussinessDocType of a DOCUMENT message (0 new, 1 revoke, 2 update, 3 replace). */
  @Property({ type: 'integer', nullable: true })
  businessType?: number | null;

  /** StatusCode of a STATUS message. */
  @Property({ type: 'string', length: 2, nullable: true })
  statusCode?: string | null;

  /** edXML DocumentId `OrganId,yyyy/MM/dd,Number/Notation` of the document concerned. */
  @Property({ type: 'string', length: 200 })
  edxmlDocumentId!: string;

  @Property({ type: 'string', length: 35 })
  senderCode!: string;

  /** The recipient agency (of this deployment, for an inbox row). */
  @Property({ type: 'string', length: 35 })
  recipientCode!: string;

  /** null = an agency of this deployment (local transport); else the peer deployment (exchange_peer.id). */
  @Property({ type: 'uuid', nullable: true })
  peerId?: string | null;
}

@Entity({ tableName: 'exchange_outbox' })
@Index({ properties: ['state', 'nextAttemptAt'] })
@Index({ properties: ['edxmlDocumentId', 'senderCode', 'recipientCode'] })
@Index({ properties: ['dependsOn'] })
export class ExchangeOutbox extends ExchangeMessage {
  /** Description of a status (the reason of a 02, "Số đến: N" of a 03) or BussinessDocReason of a document. */
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  /** Our document the message is about: the outgoing document (DOCUMENT), the incoming one (receiver STATUS). */
  @ManyToOne({ entity: () => Document, nullable: true, deleteRule: 'set null' })
  document?: Document | null;

  /** The Recipient row whose transport state this row drives (DOCUMENT messages). */
  @ManyToOne({ entity: () => Recipient, nullable: true, deleteRule: 'set null' })
  recipient?: Recipient | null;

  /** Per (document, sender, recipient, kind, code) sequence: a legitimately repeated status is not swallowed. */
  @Property({ type: 'integer', default: 0 })
  dedupSeq: number = 0;

  /** The outbox row that must be DELIVERED (or FAILED) before this one is sent: order per (document, pair). */
  @Property({ type: 'uuid', nullable: true })
  dependsOn?: string | null;

  /** Extra data of other business types (helper modules: recall, replace…); the package builder reads it. */
  @Property({ type: 'json', nullable: true })
  data?: Record<string, unknown> | null;

  /** Object-store key of the built package (built by the dispatcher, outside any transaction). */
  @Property({ type: 'text', nullable: true })
  payloadKey?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  payloadSha256?: string | null;

  @Property({ type: 'bigint', nullable: true })
  payloadSize?: string | null;

  @Property({ type: 'string', length: 10, default: 'QUEUED' })
  state: OutboxState = 'QUEUED';

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  nextAttemptAt: Date = new Date();

  /** While SENDING: the claim ends then (a dispatcher that died leaves the row to the next one). */
  @Property({ type: 'datetime', nullable: true })
  leaseUntil?: Date | null;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;

  /** The receiver's acknowledgement (its inbox row id). */
  @Property({ type: 'string', length: 100, nullable: true })
  ack?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  sentAt?: Date | null;

  @Property({ type: 'datetime', nullable: true })
  deliveredAt?: Date | null;
}

/** One stored attachment of a received package. */
export interface InboxFile {
  contentId: string | null;
  name: string;
  contentType: string;
  key: string;
  sha256: string;
  size: number;
}

@Entity({ tableName: 'exchange_inbox' })
@Unique({ properties: ['dedupKey'] })
@Index({ properties: ['edxmlDocumentId', 'senderCode', 'recipientCode'] })
@Index({ properties: ['state'] })
@Index({ properties: ['appliedDocument'] })
export class ExchangeInbox extends ExchangeMessage {
  /** sha256 of (sender, DocumentId, kind, business type | status code, sequence, recipient): see DESIGN.md. */
  @Property({ type: 'string', length: 64 })
  dedupKey!: string;

  /** The parsed package (attachments as metadata: name, type, size, sha256), for applying and audit. */
  @Property({ type: 'json' })
  value!: Record<string, unknown>;

  @Property({ type: 'json' })
  files: InboxFile[] = [];

  /** LOCAL | HTTP | FILE */
  @Property({ type: 'string', length: 10 })
  via!: string;

  /** The sender's outbox row id when known. */
  @Property({ type: 'string', length: 100, nullable: true })
  messageId?: string | null;

  @Property({ type: 'string', length: 10, default: 'RECEIVED' })
  state: InboxState = 'RECEIVED';

  /** Why REJECTED (status 02 reason) or HELD. */
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  /** The document created (DOCUMENT) or updated (STATUS: the sender's outgoing document) when applied. */
  @ManyToOne({ entity: () => Document, nullable: true, deleteRule: 'set null' })
  appliedDocument?: Document | null;

  /** For an applied DOCUMENT: the last status code queued back to the sender (01 … 06, 02). */
  @Property({ type: 'string', length: 2, nullable: true })
  lastStatusCode?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  receivedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  appliedAt?: Date | null;
}

export const exchangeEntities = [ExchangeMessage, ExchangeOutbox, ExchangeInbox];
