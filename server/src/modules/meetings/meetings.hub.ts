/**
 * Live meetings on one API replica. Per meeting followed here, ONE listener on the meeting's own PostgreSQL
 * channel (`meetingChanged:<id>`, pg-event-target SCOPED_TOPICS), ONE state load per version, shared by
 * every local subscriber; each subscriber holds only the latest state (SlidingBuffer(1)): a slow client
 * skips to the newest version instead of queueing (events carry the whole meeting and its version).
 *
 * Subscribing: listen first (a ping through the channel proves the LISTEN is active), then read the state,
 * so no change can fall between the snapshot and the first event. The first event is a SNAPSHOT; after a
 * lost LISTEN connection the state is re-read (catch-up). Only those who may see the meeting subscribe;
 * every event is checked again (removed from the meeting → NOT_FOUND ends the stream), the session every 30 s.
 */
import { randomUUID } from 'node:crypto';
import { Repeater, SlidingBuffer, map, pipe } from 'graphql-yoga';
import type { Services } from '../../services';
import { logger } from '../../shared/logger';
import type { Actor, Scope } from '../../shared/scope';
import { isUuid } from '../../shared/ids';
import { currentActor, sessionEnded, withCatchUp } from '../documents/realtime';
import { canSeeMeeting } from './domain/access';
import { loadMeetingState, type MeetingState } from './meetings.state';
import { meetingNotFound, viewerOf, type MeetingEventKind } from './meetings.service';
import type { MeetingView } from './meetings.views';

export interface MeetingEventPayload {
  meetingId: string;
  version: number;
  kind: MeetingEventKind;
  meeting: MeetingView;
}

type Change = { meetingId: string; version: number; kind: string; nonce?: string; catchUp?: boolean };
interface Sub {
  push: (ev: { state: MeetingState; kind: MeetingEventKind }) => void;
}
interface Entry {
  id: string;
  subs: Set<Sub>;
  joining: number;
  state: MeetingState | null;
  loading: boolean;
  again: boolean;
  kinds: Set<string>;
  ready: Promise<void>;
  pings: Map<string, () => void>;
  stop: () => void;
}

const SESSION_RECHECK_MS = 30_000;
/** Shortest time between two broadcasts of one meeting (changes in between are coalesced into the next). */
const BROADCAST_FRAME_MS = 200;

export class MeetingHub {
  private readonly entries = new Map<string, Entry>();
  private readonly pushedAt = new WeakMap<Entry, number>();

  private lastPush(e: Entry): number {
    return this.pushedAt.get(e) ?? 0;
  }

  /** The state this replica holds for a meeting if it is at least `version` (else null). */
  stateAtLeast(meetingId: string, version: number): MeetingState | null {
    const st = this.entries.get(meetingId)?.state;
    return st && st.version >= version ? st : null;
  }

  /** The users of a meeting this replica follows (a cache for loading its state elsewhere). */
  usersOf(meetingId: string): MeetingState['users'] | null {
    return this.entries.get(meetingId)?.state?.users ?? null;
  }

  constructor(private readonly services: Services) {}

  /** How many meetings / subscribers this replica follows (diagnostics, benchmark). */
  stats() {
    let subscribers = 0;
    for (const e of this.entries.values()) subscribers += e.subs.size;
    return { meetings: this.entries.size, subscribers };
  }

  private entry(meetingId: string): Entry {
    const existing = this.entries.get(meetingId);
    if (existing) return existing;
    const source = withCatchUp<Change>(this.services.pubsub.subscribe('meetingChanged', meetingId), this.services, () => ({ meetingId, version: 0, kind: 'SNAPSHOT', catchUp: true }));
    const iterator = source[Symbol.asyncIterator]();
    const e: Entry = {
      id: meetingId,
      subs: new Set(),
      joining: 0,
      state: null,
      loading: false,
      again: false,
      kinds: new Set(),
      ready: Promise.resolve(),
      pings: new Map(),
      stop: () => void iterator.return?.(),
    };
    this.entries.set(meetingId, e);
    void (async () => {
      try {
        for (;;) {
          const n = await iterator.next();
          if (n.done) break;
          this.onChange(e, n.value);
        }
      } catch (err) {
        logger.warn({ err, meetingId }, 'meeting event source failed');
      }
    })();
    // The LISTEN of the meeting's channel is issued when the source starts; a ping that comes back proves it runs.
    const nonce = randomUUID();
    e.ready = new Promise<void>((resolve) => {
      let tries = 0;
      let timer: NodeJS.Timeout | null = null;
      e.pings.set(nonce, () => {
        if (timer) clearTimeout(timer);
        e.pings.delete(nonce);
        resolve();
      });
      const tick = () => {
        if (!e.pings.has(nonce)) return;
        if (tries++ >= 50) {
          logger.warn({ meetingId }, 'meeting channel ping not echoed; going on');
          e.pings.get(nonce)?.();
          return;
        }
        this.services.pubsub.publish('meetingChanged', meetingId, { meetingId, version: -1, kind: 'PING', nonce });
        timer = setTimeout(tick, 100 * Math.min(tries, 5));
        timer.unref();
      };
      tick();
    });
    return e;
  }

  private onChange(e: Entry, ev: Change) {
    if (ev.version === -1) {
      if (ev.nonce) e.pings.get(ev.nonce)?.();
      return;
    }
    if (!ev.catchUp && e.state && ev.version <= e.state.version) return;
    e.kinds.add(ev.kind);
    void this.reload(e);
  }

  private async reload(e: Entry): Promise<void> {
    if (e.loading) {
      e.again = true;
      return;
    }
    e.loading = true;
    try {
      do {
        e.again = false;
        const kinds = [...e.kinds];
        e.kinds.clear();
        // Under a burst (ballots), at most one broadcast per frame: later changes join the next one.
        const wait = this.lastPush(e) + BROADCAST_FRAME_MS - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const st = await loadMeetingState(this.services.orm.em.fork(), e.id, kinds.includes('SNAPSHOT') ? null : e.state?.users);
        if (!st || (e.state && st.version < e.state.version)) continue;
        const fresh = !e.state || st.version > e.state.version || kinds.includes('SNAPSHOT');
        e.state = st;
        if (!fresh) continue;
        const kind = (kinds.length === 1 ? kinds[0] : kinds.includes('SNAPSHOT') ? 'SNAPSHOT' : 'MEETING_UPDATED') as MeetingEventKind;
        this.pushedAt.set(e, Date.now());
        for (const s of e.subs) s.push({ state: st, kind });
      } while (e.again);
    } catch (err) {
      logger.warn({ err, meetingId: e.id }, 'meeting state reload failed');
    } finally {
      e.loading = false;
    }
  }

  private leave(e: Entry, sub: Sub | null) {
    if (sub) e.subs.delete(sub);
    if (e.subs.size === 0 && e.joining === 0 && this.entries.get(e.id) === e) {
      this.entries.delete(e.id);
      e.stop();
    }
  }

  /**
   * A lobby screen's stream (display token, no sign-in): the day's meetings now, then again whenever a meeting
   * of the agency changes (status, current item, agenda). A revoked token ends the stream (UNAUTHENTICATED).
   */
  async lobby(scope: Scope, token: string) {
    const d = await this.services.meetings.displayOf(scope.em, token);
    const source = withCatchUp(this.services.pubsub.subscribe('lobbyChanged', d.agencyId), this.services, () => ({ agencyId: d.agencyId }));
    const services = this.services;
    return pipe(
      Repeater.merge([[{ agencyId: d.agencyId }], source]),
      map(() => services.meetings.lobby(services.orm.em.fork(), token)),
    );
  }

  /** The stream of a subscriber (NOT_FOUND before it starts when the caller may not see the meeting). */
  async subscribe(scope: Scope, meetingId: string): Promise<AsyncIterable<MeetingEventPayload>> {
    let actor: Actor = scope.requireActor();
    if (typeof meetingId !== 'string' || !isUuid(meetingId)) throw meetingNotFound();
    const e = this.entry(meetingId);
    e.joining++;
    try {
      await e.ready;
      // Once the channel is listened to, the replica's latest state is as good as a fresh read: any change
      // after it is (or will be) reloaded and pushed to every subscriber, this one included.
      const st = e.state ?? (await loadMeetingState(this.services.orm.em.fork(), meetingId));
      if (!st || !canSeeMeeting(st, viewerOf(actor))) throw meetingNotFound();
      if (!e.state || st.version > e.state.version) e.state = st;
    } catch (err) {
      e.joining--;
      this.leave(e, null);
      throw err;
    }
    e.joining--;
    let checkedAt = Date.now();
    let first = true;
    const leave = (sub: Sub | null) => this.leave(e, sub);
    const raw = new Repeater<{ state: MeetingState; kind: MeetingEventKind }>(async (push, stop) => {
      const sub: Sub = { push: (ev) => void push(ev) };
      e.subs.add(sub);
      void push({ state: e.state!, kind: 'SNAPSHOT' });
      await stop;
      leave(sub);
    }, new SlidingBuffer(1));
    // If the client goes away before the first pull, the executor never runs: keep the entry consistent anyway.
    const services = this.services;
    return {
      [Symbol.asyncIterator]() {
        const it = raw[Symbol.asyncIterator]();
        return {
          async next(): Promise<IteratorResult<MeetingEventPayload>> {
            const n = await it.next();
            if (n.done) return { done: true, value: undefined };
            const { state, kind } = n.value;
            if (Date.now() - checkedAt > SESSION_RECHECK_MS) {
              const now = await currentActor(services.orm.em.fork(), actor);
              if (!now) {
                await it.return?.();
                throw sessionEnded();
              }
              actor = now;
              checkedAt = Date.now();
            }
            const viewer = viewerOf(actor);
            if (!canSeeMeeting(state, viewer)) {
              await it.return?.();
              throw meetingNotFound();
            }
            const k: MeetingEventKind = first ? 'SNAPSHOT' : kind;
            first = false;
            return { done: false, value: { meetingId, version: state.version, kind: k, meeting: { s: state, viewer } } };
          },
          async return(): Promise<IteratorResult<MeetingEventPayload>> {
            await it.return?.();
            if (first) leave(null);
            return { done: true, value: undefined };
          },
        };
      },
    };
  }
}
