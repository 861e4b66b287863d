/**
 * The local transport: agencies of this deployment. It hands the built package to this deployment's own
 * inbox (`InboxReceiver.receive`) in process — no HTTP, but the same parsing, deduplication and
 * acknowledgement as a peer's package, so both paths share one set of rules and tests.
 */
import type { InboxReceiver, OutboundMessage, Transport, TransportOutcome } from './transport';

export class LocalTransport implements Transport {
  readonly name = 'local';

  constructor(private readonly receiver: InboxReceiver) {}

  async send(msg: OutboundMessage): Promise<TransportOutcome> {
    try {
      const r = await this.receiver.receive(await msg.body(), {
        via: 'LOCAL',
        peerId: null,
        messageId: msg.id,
        recipientCode: msg.recipientCode,
        sequence: msg.sequence ?? null,
      });
      return r.ok ? { kind: 'ACK', ack: r.ack, duplicate: r.duplicate } : { kind: 'PERMANENT', reason: r.reason };
    } catch (e) {
      // "Could not store now" (database or storage trouble): the dispatcher retries with backoff.
      return { kind: 'RETRY', error: e instanceof Error ? e.message : String(e) };
    }
  }
}
