import pg from 'pg';
import { logger } from '../../shared/logger';

/**
 * An EventTarget shared by every process of the deployment through PostgreSQL LISTEN/NOTIFY, so that an
 * event published by a worker (OCR progress) or by one API replica reaches subscriptions on every replica.
 * Payloads must stay small (ids and counters; NOTIFY allows < 8000 bytes).
 */
export const CHANNEL = 'congvan_events';
const MAX_PAYLOAD = 7900;

export interface PgEventTarget extends EventTarget {
  close(): Promise<void>;
}

export async function createPgEventTarget(connectionString: string): Promise<PgEventTarget> {
  const target = new EventTarget();
  let closed = false;
  let listener: pg.Client | null = null;
  const publisher = new pg.Pool({ connectionString, max: 2 });

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString });
    c.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        const { topic, data } = JSON.parse(msg.payload) as { topic: string; data: unknown };
        target.dispatchEvent(new CustomEvent(topic, { detail: data }));
      } catch (e) {
        logger.warn({ err: e }, 'bad pubsub payload');
      }
    });
    c.on('error', (err) => {
      logger.warn({ err }, 'pubsub listener lost its connection; reconnecting');
      listener = null;
      if (!closed) setTimeout(() => void connect().catch((e) => logger.error({ err: e }, 'pubsub reconnect failed')), 1000);
    });
    await c.connect();
    await c.query(`LISTEN ${CHANNEL}`);
    listener = c;
  };
  await connect();

  const et = {
    addEventListener: target.addEventListener.bind(target),
    removeEventListener: target.removeEventListener.bind(target),
    /** Publishes to every process (including this one, via the LISTEN echo). */
    dispatchEvent(event: Event): boolean {
      const data = (event as CustomEvent).detail;
      const payload = JSON.stringify({ topic: event.type, data });
      if (Buffer.byteLength(payload) > MAX_PAYLOAD) {
        logger.error({ topic: event.type }, 'pubsub payload too large: dropped');
        return false;
      }
      publisher.query('select pg_notify($1, $2)', [CHANNEL, payload]).catch((e) => logger.error({ err: e }, 'pubsub publish failed'));
      return true;
    },
    async close(): Promise<void> {
      closed = true;
      await listener?.end().catch(() => undefined);
      await publisher.end().catch(() => undefined);
    },
  };
  return et as unknown as PgEventTarget;
}
