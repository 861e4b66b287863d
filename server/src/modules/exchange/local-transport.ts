/**
 * The local transport: agencies of this deployment. It hands the built package to this deployment's own
 * inbox (`InboxReceiver.receive`) in process — no HTTP, but the same parsing, deduplication and
 * acknowledgement as a peer's package, so both paths share one set of rules and tests.
 */
import type { InboxReceiver, OutboundMessage, ReceiveResult, Transport, TransportOutcome } from './transport';

const outcomeOf = (r: ReceiveResult): TransportOutcome => (r.ok ? { kind: 'ACK', ack: r.ack, duplicate: r.duplicate } : { kind: 'PERMANENT', reason: r.reason });

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
      return outcomeOf(r);
    } catch (e) {
      // "Could not store now" (database or storage trouble): the dispatcher retries with backoff.
      return { kind: 'RETRY', error: e instanceof Error ? e.message : String(e) };
    }
  }

  /** A fan-out: the one package is parsed and stored once, one inbox transaction for every recipient. */
  async sendBatch(msgs: readonly OutboundMessage[]): Promise<TransportOutcome[]> {
    if (!msgs.length) return [];
    if (!this.receiver.receiveBatch || msgs.length === 1) return Promise.all(msgs.map((m) => this.send(m)));
    try {
      const results = await this.receiver.receiveBatch(
        await msgs[0].body(),
        { via: 'LOCAL', peerId: null },
        msgs.map((m) => ({ recipientCode: m.recipientCode, messageId: m.id, sequence: m.sequence ?? null })),
      );
      return results.map(outcomeOf);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      return msgs.map(() => ({ kind: 'RETRY' as const, error }));
    }
  }
}
