/**
 * The exchange core (issue 13, DESIGN.md): the outbox (written in the caller's transaction), the dispatcher
 * (outside transactions; local transport or a peer's), the inbox receiver (every transport's entry point) and
 * the appliers. `services.exchange` is the one entry point for the rest of the application:
 *
 *   await services.exchange.queueIssued(tx, doc, now)                        // issuing (văn bản đi)
 *   await services.exchange.queueDocument(tx, { recipientId, businessType })  // any Recipient row, types 0–3
 *   await services.exchange.queueStatus(tx, { incomingDocumentId, code, note })
 *   await services.exchange.incomingChanged(tx, incomingDoc)                  // after each incoming transition
 *   services.exchange.receiver.receive(stream, meta)                          // HTTP endpoint, file import
 *   services.exchange.setPeerDirectory(dir)                                   // routes of peer deployments
 *   services.exchange.onApply(match, handler) / onRecipientStatus(listener)   // helper modules' appliers
 */
import type { Services } from '../../services';
import type { Tx } from '../../shared/scope';
import type { Document } from '../documents/entities/document.entity';
import { ExchangeInbox, ExchangeOutbox, type InboxState } from './exchange.entities';
import { applyJob, dispatchJob } from './exchange.jobs';
import { InboxApplier, type ApplyMatch, type InboxHandler, type RecipientStatusListener } from './inbox/apply';
import { ExchangeInboxReceiver } from './inbox/receiver';
import { LocalTransport } from './local-transport';
import { Dispatcher, type DispatchCounts, type DispatchResult } from './outbox/dispatcher';
import { FANOUT_BATCH_MIN, Outbox, type DeliveryOutcome, type QueueDocumentInput, type QueueStatusInput } from './outbox/outbox';
import { enqueueMany } from './outbox/enqueue-many';
import type { InboxReceiver, PeerDirectory, Transport } from './transport';
import { Scope } from '../../shared/scope';

export type { ApplyMatch, ApplyOutcome, InboxHandler, RecipientStatusListener } from './inbox/apply';
export type { DeliveryOutcome, QueueDocumentInput, QueueStatusInput } from './outbox/outbox';
export { SECRET_NOT_DELIVERED_NOTE, INACTIVE_AGENCY_NOTE, UNROUTABLE_NOTE } from './outbox/outbox';

export class ExchangeService {
  /** The receiving side (contract transport.ts): local transport, HTTP endpoint and file import call it. */
  readonly receiver: InboxReceiver;
  readonly local: Transport;
  private directory: PeerDirectory | null = null;
  private readonly outbox: Outbox;
  private readonly applier: InboxApplier;
  private readonly dispatcher: Dispatcher;

  constructor(private readonly services: Services) {
    this.receiver = new ExchangeInboxReceiver(services);
    this.local = new LocalTransport(this.receiver);
    this.outbox = new Outbox(services, () => this.directory);
    this.applier = new InboxApplier(services, this.outbox);
    this.dispatcher = new Dispatcher(
      services,
      async (peerId) => (peerId === null ? this.local : this.directory ? this.directory.transportFor(peerId) : null),
      (inboxIds) => this.applier.applyQuietly(inboxIds),
    );
  }

  /** Routes and transports of peer deployments (helper B). Until set, only agencies of this deployment are reachable. */
  setPeerDirectory(d: PeerDirectory): void {
    this.directory = d;
  }

  get peerDirectory(): PeerDirectory | null {
    return this.directory;
  }

  // ----- sending (inside the caller's transaction) -----

  queueIssued(tx: Tx, doc: Document, now: Date): Promise<DeliveryOutcome> {
    return this.outbox.queueIssued(tx, doc, now);
  }

  queueDocument(tx: Tx, input: QueueDocumentInput): Promise<ExchangeOutbox | null> {
    return this.outbox.queueDocument(tx, input);
  }

  queueStatus(tx: Tx, input: QueueStatusInput): Promise<ExchangeOutbox | null> {
    return this.outbox.queueStatus(tx, input);
  }

  /** After a transition of an incoming record: the status for its sender, when it came through the exchange. */
  incomingChanged(tx: Tx, doc: Document): Promise<{ viaExchange: boolean; status: ExchangeOutbox | null }> {
    return this.outbox.incomingChanged(tx, doc);
  }

  // ----- receiving hooks for helper modules -----

  /** Handles received messages the core does not (DOCUMENT business types 1–3, STATUS 13/15/16). */
  onApply(match: ApplyMatch, handler: InboxHandler): void {
    this.applier.onApply(match, handler);
  }

  /** Told (in the transaction) whenever a sender's Recipient row moves to a new status code. */
  onRecipientStatus(listener: RecipientStatusListener): void {
    this.applier.onRecipientStatus(listener);
  }

  // ----- workers -----

  /** `exchange.dispatch`: one outbox row. */
  dispatch(outboxId: string): Promise<DispatchResult> {
    return this.dispatcher.dispatch(outboxId);
  }

  /** `exchange.dispatch {outboxIds}`: a batch (a fan-out to many agencies of this deployment: one package). */
  dispatchMany(outboxIds: readonly string[]): Promise<DispatchCounts> {
    return this.dispatcher.dispatchMany(outboxIds);
  }

  /** `exchange.apply`: one inbox row. */
  apply(inboxId: string): Promise<InboxState | null> {
    return this.applier.apply(inboxId);
  }

  /** `exchange.apply {inboxIds}`: a batch (new documents set-based, one transaction per chunk). */
  applyMany(inboxIds: readonly string[]): Promise<{ settled: number; other: number }> {
    return this.applier.applyMany(inboxIds);
  }

  /** `exchange.sweep`: re-queues work a dead process left (due QUEUED rows, lapsed SENDING leases, unapplied inbox rows). */
  async sweep(): Promise<{ dispatch: number; apply: number }> {
    const em = this.services.orm.em.fork();
    const out = await em.execute<{ id: string }[]>(
      `select id from exchange_outbox
        where (state = 'QUEUED' and next_attempt_at < now() - interval '30 seconds') or (state = 'SENDING' and lease_until < now())
        order by created_at limit 500`,
    );
    const inb = await em.execute<{ id: string }[]>(`select id from exchange_inbox where state = 'RECEIVED' and received_at < now() - interval '30 seconds' order by received_at limit 500`);
    if (!out.length && !inb.length) return { dispatch: 0, apply: 0 };
    // Many rows (a fan-out whose worker died) go back as one batch job each side: one package, set-based apply.
    await new Scope(this.services.orm.em.fork(), null).transaction(async (tx) => {
      if (out.length >= FANOUT_BATCH_MIN) await tx.enqueue(dispatchJob, { outboxIds: out.map((r) => r.id) });
      else await enqueueMany(tx, dispatchJob, out.map((r) => ({ outboxId: r.id })));
      if (inb.length >= FANOUT_BATCH_MIN) await tx.enqueue(applyJob, { inboxIds: inb.map((r) => r.id) });
      else await enqueueMany(tx, applyJob, inb.map((r) => ({ inboxId: r.id })));
    });
    return { dispatch: out.length, apply: inb.length };
  }

  /**
   * Sends and applies, in this process, everything pending until nothing moves (or `maxRounds`): what the
   * `exchange.dispatch` / `exchange.apply` jobs would do. For the demo seed, which runs before the workers start.
   * HELD rows that stay held do not count. Returns the number of rows that moved.
   */
  async settle(maxRounds = 50): Promise<number> {
    let moved = 0;
    for (let round = 0; round < maxRounds; round++) {
      const p = await this.pending();
      let progress = 0;
      for (const id of p.outbox) if ((await this.dispatch(id)) !== 'SKIPPED') progress++;
      for (const id of p.inbox) if ((await this.apply(id)) !== 'RECEIVED') progress++;
      for (const id of p.held) if ((await this.apply(id)) !== 'HELD') progress++;
      if (!progress) break;
      moved += progress;
    }
    return moved;
  }

  /** Work waiting now (tests' settle loop, admin): outbox rows to send, inbox rows to apply. */
  async pending(): Promise<{ outbox: string[]; inbox: string[]; held: string[] }> {
    const em = this.services.orm.em.fork();
    const out = await em.find(ExchangeOutbox, { state: { $in: ['QUEUED', 'SENDING'] } }, { orderBy: { createdAt: 'asc', id: 'asc' }, fields: ['id'] });
    const inb = await em.find(ExchangeInbox, { state: { $in: ['RECEIVED', 'HELD'] } }, { orderBy: { receivedAt: 'asc', id: 'asc' }, fields: ['id', 'state'] });
    return { outbox: out.map((r) => r.id), inbox: inb.filter((r) => r.state === 'RECEIVED').map((r) => r.id), held: inb.filter((r) => r.state === 'HELD').map((r) => r.id) };
  }
}
