/**
 * Catch-up after a lost LISTEN connection: pg-event-target dispatches a local `reconnected` event on the
 * replica whose connection came back; every open stream then gets one synthetic event and re-reads its state.
 */
import { createPubSub } from 'graphql-yoga';
import type { AppPubSub, PubSubTopics } from '../../infra/pubsub/pubsub';
import { RECONNECTED_TOPIC } from '../../infra/pubsub/pg-event-target';
import { withCatchUp } from './realtime';

describe('withCatchUp', () => {
  it('passes the events through, and adds one catch-up event per reconnection', async () => {
    const target = new EventTarget();
    const pubsub = createPubSub<PubSubTopics>({ eventTarget: target as never }) as AppPubSub;
    const stream = withCatchUp(pubsub.subscribe('inboxChanged', 'a1'), { pubsub }, () => ({ agencyId: 'a1', documentId: null }));
    const it = stream[Symbol.asyncIterator]();
    const got: unknown[] = [];
    const reading = (async () => {
      for (let i = 0; i < 3; i++) got.push((await it.next()).value);
    })();
    await new Promise((r) => setImmediate(r));
    pubsub.publish('inboxChanged', 'a1', { agencyId: 'a1', documentId: 'd1' });
    await new Promise((r) => setImmediate(r));
    target.dispatchEvent(new CustomEvent(RECONNECTED_TOPIC, { detail: { at: new Date().toISOString() } }));
    await new Promise((r) => setImmediate(r));
    pubsub.publish('inboxChanged', 'a2', { agencyId: 'a2', documentId: 'other agency' });
    pubsub.publish('inboxChanged', 'a1', { agencyId: 'a1', documentId: 'd2' });
    await reading;
    await it.return?.();
    expect(got).toEqual([
      { agencyId: 'a1', documentId: 'd1' },
      { agencyId: 'a1', documentId: null },
      { agencyId: 'a1', documentId: 'd2' },
    ]);
  });
});
