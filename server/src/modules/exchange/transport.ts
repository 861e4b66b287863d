/**
 * The exchange boundary (issue 13, QCVN 102:2016/BTTTT edXML; Decree 30/2020 Art. 15 "gửi văn bản điện tử"):
 * the contracts shared by the outbox/inbox core (`outbox/`, `inbox/`) and the transports (local, HTTP peers,
 * and later the national axis or a provincial LGSP adapter). See DESIGN.md.
 *
 * At-least-once transport + idempotent inbox = exactly-once effect:
 * - a transport may deliver the same message several times; only an acknowledgement (`ACK`) marks the outbox
 *   row DELIVERED;
 * - the receiving inbox stores each message durably, deduplicates on (sender code, DocumentId, business type
 *   | status code, sequence, recipient code) BEFORE it acknowledges, and applies it later in its own job.
 */
import type { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';

/** What a transport reports for one attempt to hand a message over. */
export type TransportOutcome =
  /** The receiver stored the message durably (or had it already: `duplicate`). */
  | { kind: 'ACK'; ack: string; duplicate: boolean }
  /** Try again later (network error, receiver down, 5xx, 401 from clock skew...). */
  | { kind: 'RETRY'; error: string; retryAfterMs?: number }
  /** The receiver refuses this message for good (the codec's precise reason); never retried. */
  | { kind: 'PERMANENT'; reason: string };

/** One outbox row handed to a transport. */
export interface OutboundMessage {
  /** Outbox row id (uuid): idempotency key; sent as header `x-congvan-message-id` over HTTP. */
  id: string;
  kind: 'DOCUMENT' | 'STATUS';
  /** Mã định danh of the sending agency (vn-standards §2.5). */
  senderCode: string;
  /** Mã định danh of the receiving agency. */
  recipientCode: string;
  /** edXML DocumentId `OrganId,yyyy/MM/dd,Number/Notation` of the document concerned. */
  edxmlDocumentId: string;
  /** sha256 (hex) and size of the built package. */
  sha256: string;
  size: number;
  /** A fresh stream of the built edXML package (from the object store); called again on each attempt. */
  body(): Promise<Readable>;
  /**
   * The sender's sequence number of this (DocumentId, sender, recipient, kind, code): part of the receiver's
   * dedup key so that a legitimately repeated status (a second 05) is not swallowed while a re-sent one is.
   * Sent as header `x-congvan-seq` over HTTP. (Added by the exchange core; optional for other senders.)
   */
  sequence?: number;
  /** BussinessDocType (DOCUMENT) or StatusCode (STATUS) — informational (logs, headers). */
  businessType?: number | null;
  statusCode?: string | null;
}

/** Hands messages to one kind of receiver. An LGSP / national-axis adapter is one more implementation. */
export interface Transport {
  /** 'local', 'http:<peer code>', … (shown in logs and the admin page). */
  readonly name: string;
  send(msg: OutboundMessage): Promise<TransportOutcome>;
  /**
   * Optional: the SAME package to several recipient agencies at once (a fan-out; every message has the same
   * body). One outcome per message, in order. Without it the dispatcher calls `send` for each.
   */
  sendBatch?(msgs: readonly OutboundMessage[]): Promise<TransportOutcome[]>;
}

/** How a message reached the inbox. */
export interface ReceivedMessageMeta {
  via: 'LOCAL' | 'HTTP' | 'FILE';
  /** The authenticated peer (HTTP), or null (local transport, file import by a văn thư). */
  peerId: string | null;
  /** The sender's outbox row id when known (header `x-congvan-message-id`). */
  messageId?: string | null;
  /**
   * The agency of this deployment the message is for (header `x-congvan-recipient` over HTTP). Without it, a
   * document goes to every agency of its To list that this deployment serves (one inbox row each), and a
   * status to the ResponseFor organ.
   */
  recipientCode?: string | null;
  /** The sender's sequence number (`OutboundMessage.sequence`, header `x-congvan-seq`); see there. */
  sequence?: number | null;
}

export type ReceiveResult =
  | { ok: true; ack: string; duplicate: boolean }
  /** Refused (codec, validation, size, unknown recipient, sender not served by that peer): nothing stored. */
  | { ok: false; reason: string };

/** The receiving side: implemented by the inbox; called by the local transport, the HTTP endpoint and file import. */
export interface InboxReceiver {
  /**
   * Stores the message durably (attachments decoded into the object store while streaming) and deduplicates.
   * Resolves only after the inbox row is committed. A bad package is a `{ ok: false, reason }`, never a throw;
   * a throw means "could not store now" (the sender retries).
   */
  receive(body: Readable, meta: ReceivedMessageMeta): Promise<ReceiveResult>;
  /**
   * Optional: one package for several recipient agencies of this deployment (a fan-out): parsed and stored
   * once, one inbox row per target in ONE transaction (deduplicated each), one result per target, in order.
   */
  receiveBatch?(body: Readable, meta: Omit<ReceivedMessageMeta, 'recipientCode' | 'messageId' | 'sequence'>, targets: readonly ReceiveTarget[]): Promise<ReceiveResult[]>;
}

/** One recipient of a batch: the agency of this deployment, the sender's outbox row id and sequence. */
export interface ReceiveTarget {
  recipientCode: string;
  messageId: string | null;
  sequence: number | null;
}

/** Routing of an agency identifier code to where it is served (filled from `agency` rows and peers' directories). */
export interface ExchangeRoute {
  code: string;
  name: string;
  /** null = an agency of this deployment (local transport). */
  peerId: string | null;
}

/** Peers and their directory (owned by `peers/`); the outbox core asks it for routes and transports. */
export interface PeerDirectory {
  /** The route of an agency code, or null when no deployment we know serves it (the recipient gets paper). */
  route(code: string, em?: EntityManager): Promise<ExchangeRoute | null>;
  /** The transport of a peer deployment. */
  transportFor(peerId: string): Promise<Transport>;
}
