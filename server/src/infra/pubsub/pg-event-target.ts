import { setMaxListeners } from 'node:events';
import pg from 'pg';
import { logger } from '../../shared/logger';

/**
 * An EventTarget shared by every process of the deployment through PostgreSQL LISTEN/NOTIFY, so that an
 * event published by a worker (OCR progress) or by one API replica reaches subscriptions on every replica.
 * Payloads must stay small (ids and counters; NOTIFY allows < 8000 bytes).
 *
 * The LISTEN connection survives PostgreSQL restarts and failovers: when it is lost, it is re-opened with
 * exponential back-off (capped, for ever, logged at warn), and once listening again a local
 * RECONNECTED_TOPIC event is dispatched (and `onReconnected` listeners are called): NOTIFYs sent while
 * we were not listening are lost, so subscriptions should tell their clients to catch up (refetch).
 */
export const CHANNEL = 'congvan_events';
/** Local-only event (never NOTIFYed) dispatched after the LISTEN connection came back. */
export const RECONNECTED_TOPIC = 'reconnected';
const MAX_PAYLOAD = 7900;

/**
 * Topics published on their own channel per key (`<topic>:<key>` → NOTIFY channel `cv.<topic>:<key>`), LISTENed
 * by a process only while it has a subscriber for that key: a replica hears only the meetings its clients follow,
 * instead of every replica filtering one channel for everything (issue 11, live meetings).
 */
export const SCOPED_TOPICS: ReadonlySet<string> = new Set(['meetingChanged', 'lobbyChanged']);
const SCOPED_PREFIX = 'cv.';

/** The dedicated channel of an event type (`meetingChanged:<id>`), or null for the shared CHANNEL. */
export function scopedChannel(type: string): string | null {
  const i = type.indexOf(':');
  if (i < 0 || !SCOPED_TOPICS.has(type.slice(0, i))) return null;
  const channel = SCOPED_PREFIX + type;
  return channel.length <= 63 && /^[A-Za-z0-9.:_-]+$/.test(channel) ? channel : null;
}

export interface PgEventTarget extends EventTarget {
  /** Calls `fn` after every reconnection (not after the first connection); returns the unsubscribe. */
  onReconnected(fn: (info: { at: Date; attempts: number }) => void): () => void;
  /** Whether the LISTEN connection is currently up. */
  readonly listening: boolean;
  close(): Promise<void>;
}

export interface PgEventTargetOptions {
  /** First wait before re-opening a lost LISTEN connection (doubles each failed try). */
  minRetryDelayMs?: number;
  /** Longest wait between tries. */
  maxRetryDelayMs?: number;
}

/** The wait before try number `attempt` (0-based): min · 2^attempt, capped, with ±20 % jitter so replicas spread out. */
export function retryDelay(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(minMs * 2 ** Math.min(attempt, 30), maxMs);
  return Math.round(base * (0.8 + 0.4 * random()));
}

export async function createPgEventTarget(connectionString: string, opts: PgEventTargetOptions = {}): Promise<PgEventTarget> {
  const minDelay = opts.minRetryDelayMs ?? 500;
  const maxDelay = opts.maxRetryDelayMs ?? 30_000;
  const target = new EventTarget();
  // Every open subscription of this replica listens for `reconnected` (catch-up): hundreds are normal.
  setMaxListeners(0, target);
  const reconnectedFns = new Set<(info: { at: Date; attempts: number }) => void>();
  /** Dedicated channels this process LISTENs (scopedChannel) → how many local listeners want each. */
  const scopedListens = new Map<string, number>();
  let closed = false;
  let listener: pg.Client | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  const publisher = new pg.Pool({ connectionString, max: 2 });
  // An idle pooled connection dropped by a restart emits 'error' on the pool: without a handler the process dies.
  publisher.on('error', (err) => logger.warn({ err }, 'pubsub publisher lost an idle connection'));

  const connect = async (): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString });
    c.on('notification', (msg) => {
      if ((msg.channel !== CHANNEL && !scopedListens.has(msg.channel)) || !msg.payload) return;
      try {
        const { topic, data } = JSON.parse(msg.payload) as { topic: string; data: unknown };
        target.dispatchEvent(new CustomEvent(topic, { detail: data }));
      } catch (e) {
        logger.warn({ err: e }, 'bad pubsub payload');
      }
    });
    let lost = false;
    const onLost = (err?: Error) => {
      if (lost) return;
      lost = true;
      if (listener === c) listener = null;
      c.end().catch(() => undefined);
      if (closed) return;
      logger.warn({ err }, 'pubsub listener lost its connection; reconnecting');
      scheduleReconnect(0);
    };
    c.on('error', onLost);
    c.on('end', () => onLost());
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      for (const ch of scopedListens.keys()) await c.query(`LISTEN "${ch}"`);
    } catch (e) {
      lost = true; // this client is dropped here; the caller retries
      await c.end().catch(() => undefined);
      throw e;
    }
    return c;
  };

  const scheduleReconnect = (attempt: number) => {
    if (closed || retryTimer) return;
    const delay = retryDelay(attempt, minDelay, maxDelay);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (closed) return;
      connect()
        .then((c) => {
          if (closed) {
            void c.end().catch(() => undefined);
            return;
          }
          listener = c;
          const info = { at: new Date(), attempts: attempt + 1 };
          logger.info({ attempts: info.attempts }, 'pubsub listener reconnected');
          target.dispatchEvent(new CustomEvent(RECONNECTED_TOPIC, { detail: { at: info.at.toISOString() } }));
          for (const fn of reconnectedFns) {
            try {
              fn(info);
            } catch (e) {
              logger.error({ err: e }, 'pubsub reconnected hook failed');
            }
          }
        })
        .catch((err: unknown) => {
          logger.warn({ err, attempt: attempt + 1, nextInMs: retryDelay(attempt + 1, minDelay, maxDelay, () => 0.5) }, 'pubsub reconnect failed; retrying');
          scheduleReconnect(attempt + 1);
        });
    }, delay);
    retryTimer.unref();
  };

  listener = await connect();

  const et = {
    addEventListener(type: string, fn: EventListenerOrEventListenerObject | null, options?: AddEventListenerOptions | boolean): void {
      target.addEventListener(type, fn, options);
      const ch = scopedChannel(type);
      if (!ch || !fn) return;
      const n = scopedListens.get(ch) ?? 0;
      scopedListens.set(ch, n + 1);
      if (n === 0) listener?.query(`LISTEN "${ch}"`).catch((e: unknown) => logger.warn({ err: e, channel: ch }, 'pubsub LISTEN failed'));
    },
    removeEventListener(type: string, fn: EventListenerOrEventListenerObject | null, options?: EventListenerOptions | boolean): void {
      target.removeEventListener(type, fn, options);
      const ch = scopedChannel(type);
      if (!ch || !fn) return;
      const n = scopedListens.get(ch) ?? 0;
      if (n > 1) scopedListens.set(ch, n - 1);
      else if (n === 1) {
        scopedListens.delete(ch);
        listener?.query(`UNLISTEN "${ch}"`).catch((e: unknown) => logger.warn({ err: e, channel: ch }, 'pubsub UNLISTEN failed'));
      }
    },
    /** Publishes to every process (including this one, via the LISTEN echo). */
    dispatchEvent(event: Event): boolean {
      const data = (event as CustomEvent).detail;
      const payload = JSON.stringify({ topic: event.type, data });
      if (Buffer.byteLength(payload) > MAX_PAYLOAD) {
        logger.error({ topic: event.type }, 'pubsub payload too large: dropped');
        return false;
      }
      publisher.query('select pg_notify($1, $2)', [scopedChannel(event.type) ?? CHANNEL, payload]).catch((e) => logger.warn({ err: e }, 'pubsub publish failed'));
      return true;
    },
    onReconnected(fn: (info: { at: Date; attempts: number }) => void): () => void {
      reconnectedFns.add(fn);
      return () => reconnectedFns.delete(fn);
    },
    get listening(): boolean {
      return listener !== null;
    },
    async close(): Promise<void> {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      await listener?.end().catch(() => undefined);
      listener = null;
      await publisher.end().catch(() => undefined);
    },
  };
  return et as unknown as PgEventTarget;
}
