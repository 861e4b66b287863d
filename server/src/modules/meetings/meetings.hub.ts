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
 *
 * Fan-out cost (bench `meeting`, 1,000 subscribers): subscribers arriving together share ONE initial state load
 * (not one each); the 30 s session re-checks of all subscribers of the replica due at the same moment are ONE
 * query (SessionChecks), not one per subscriber; a burst of ballots re-reads only the votes (reloadVotes).
 */
import { randomUUID } from 'node:crypto';
import { Repeater, SlidingBuffer, map, pipe } from 'graphql-yoga';
import type { Services } from '../../services';
import { logger } from '../../shared/logger';
import type { Actor, Scope } from '../../shared/scope';
import { isUuid } from '../../shared/ids';
import { sessionEnded, withCatchUp } from '../documents/realtime';
import { canSeeMeeting } from './domain/access';
import { loadMeetingState, reloadVotes, type MeetingState } from './meetings.state';
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
  /** The state load shared by subscribers that join before the entry has a state. */
  initial: Promise<MeetingState | null> | null;
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

  /** The newest state this replica holds for a meeting (any version), or null. */
  latest(meetingId: string): MeetingState | null {
    return this.entries.get(meetingId)?.state ?? null;
  }

  private readonly sessions: SessionChecks;
  /** Full state loads by this hub (initial and per version): diagnostics, benchmark, tests. */
  private loads = 0;
  /** Vote-only reloads (a burst of ballots): votes and voters read again, the rest of the state kept. */
  private voteLoads = 0;

  constructor(private readonly services: Services) {
    this.sessions = new SessionChecks(services);
  }

  /** How many meetings / subscribers this replica follows, state loads and batched session checks so far. */
  stats() {
    let subscribers = 0;
    for (const e of this.entries.values()) subscribers += e.subs.size;
    return { meetings: this.entries.size, subscribers, stateLoads: this.loads, voteLoads: this.voteLoads, sessionQueries: this.sessions.queries };
  }

  private load(meetingId: string, known?: MeetingState['users'] | null): Promise<MeetingState | null> {
    this.loads++;
    return loadMeetingState(this.services.orm.em.fork(), meetingId, known);
  }

  private loadVotes(prev: MeetingState): Promise<MeetingState | null> {
    this.voteLoads++;
    return reloadVotes(this.services.orm.em.fork(), prev);
  }

  /** The entry's state, loaded once for every subscriber that joins before there is one. */
  private initialState(e: Entry): Promise<MeetingState | null> {
    if (e.state) return Promise.resolve(e.state);
    e.initial ??= this.load(e.id).finally(() => {
      e.initial = null;
    });
    return e.initial;
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
      initial: null,
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
        // Only votes changed (the ballots of a vote): read the votes again, keep the rest of the state.
        const votesOnly = !!e.state && kinds.length > 0 && kinds.every((k) => k === 'VOTE_CHANGED');
        const st = votesOnly ? await this.loadVotes(e.state!) : await this.load(e.id, kinds.includes('SNAPSHOT') ? null : e.state?.users);
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
      const st = await this.initialState(e);
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
    const sessions = this.sessions;
    return {
      [Symbol.asyncIterator]() {
        const it = raw[Symbol.asyncIterator]();
        return {
          async next(): Promise<IteratorResult<MeetingEventPayload>> {
            const n = await it.next();
            if (n.done) return { done: true, value: undefined };
            const { state, kind } = n.value;
            if (Date.now() - checkedAt > SESSION_RECHECK_MS) {
              const now = await sessions.check(actor);
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

/**
 * Session re-checks of live subscribers, batched: every check asked for in the same turn of the event loop
 * (all subscribers of a broadcast whose 30 s are up) is answered by ONE query. Same rule as
 * documents/realtime.ts currentActor: the session exists, is not revoked or expired, belongs to the same user,
 * and the user is active; the actor comes back as the user is now (roles, agency, unit).
 */
export class SessionChecks {
  queries = 0;
  private pending = new Map<string, { actor: Actor; waiters: ((a: Actor | null) => void)[] }>();
  private scheduled = false;

  constructor(private readonly services: Pick<Services, 'orm'>) {}

  check(actor: Actor): Promise<Actor | null> {
    if (!actor.sessionId) return Promise.resolve(actor);
    return new Promise((resolve) => {
      const p = this.pending.get(actor.sessionId!);
      if (p) p.waiters.push(resolve);
      else this.pending.set(actor.sessionId!, { actor, waiters: [resolve] });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.scheduled = false;
    let rows: Row[];
    try {
      this.queries++;
      rows = await this.services.orm.em.fork().execute<Row[]>(
        `select s.id as session_id, u.id as user_id, u.username, u.full_name, u.agency_id, u.unit_id, u.roles, u.must_change_password
           from session s join app_user u on u.id = s.user_id
          where s.id = any(?::uuid[]) and s.revoked_at is null and s.expires_at > now() and u.active`,
        [`{${[...batch.keys()].join(',')}}`],
      );
    } catch (err) {
      logger.warn({ err }, 'session re-check of meeting subscribers failed');
      // Not knowing is not a refusal: keep the subscribers as they were; they are checked again next time.
      for (const { actor, waiters } of batch.values()) for (const w of waiters) w(actor);
      return;
    }
    const bySession = new Map(rows.map((r) => [r.session_id, r]));
    for (const [sessionId, { actor, waiters }] of batch) {
      const r = bySession.get(sessionId);
      const now: Actor | null =
        r && r.user_id === actor.userId
          ? { userId: r.user_id, username: r.username, fullName: r.full_name, agencyId: r.agency_id, unitId: r.unit_id, roles: [...r.roles] as Actor['roles'], sessionId, mustChangePassword: r.must_change_password }
          : null;
      for (const w of waiters) w(now);
    }
  }
}

interface Row {
  session_id: string;
  user_id: string;
  username: string;
  full_name: string;
  agency_id: string;
  unit_id: string | null;
  roles: string[];
  must_change_password: boolean;
}
