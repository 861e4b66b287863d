/**
 * Live meetings (issue 11) over SSE with TWO API replicas on one PostgreSQL: a member subscribed on one
 * replica and the chair on the other both receive each change (first event: SNAPSHOT), published on the
 * meeting's own NOTIFY channel (not the shared one); outsiders cannot subscribe; a lobby display follows with
 * only its token.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pg from 'pg';
import { createApp } from '../../../server/src/http/app';
import { localFilesRouter } from '../../../server/src/infra/storage';
import { bootstrap, type Runtime } from '../../../server/src/runtime';
import { CHANNEL, scopedChannel } from '../../../server/src/infra/pubsub/pg-event-target';
import { gql, loginToken } from '../support/gql';
import { openSubscription, type StreamEvent } from '../support/sse';
import { startTestServer, type TestServer } from '../support/server';
import { SessionChecks } from '../../../server/src/modules/meetings/meetings.hub';

/** A second API replica on the primary's database (same secret and storage). */
async function startReplica(primary: TestServer): Promise<{ url: string; rt: Runtime; stop(): Promise<void> }> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rt = await bootstrap({ ...primary.runtime.config, publicUrl: url }, { queue: { supervise: false, schedule: false } });
  const routers: express.Router[] = [];
  if (rt.services.storage.kind === 'local') {
    const r = express.Router();
    r.use('/files', localFilesRouter(rt.services.storage, rt.services.secret));
    routers.push(r);
  }
  server.on('request', createApp(rt.services, { routers }).app);
  return {
    url,
    rt,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await rt.close();
    },
  };
}

let a: TestServer;
let b: Awaited<ReturnType<typeof startReplica>>;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

async function ok<T = Record<string, unknown>>(url: string, user: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await gql<T>(url, query, variables, { token: tokens[user] });
  if (r.errors) throw new Error(`${user}: ${JSON.stringify(r.errors)}`);
  return r.data!;
}

type Ev = { meetingId: string; version: number; kind: string; meeting: { status: string; currentItem: { id: string } | null; openVote: { id: string; tally: { cast: number; notVoted: number } } | null; myRole: string } };
const SUB = `subscription($m: ID!){ meetingEvents(meetingId: $m){ meetingId version kind meeting { status myRole currentItem { id } openVote { id tally { cast notVoted } } } } }`;
const evs = (events: StreamEvent[]) => events.map((e) => (e.data as { meetingEvents: Ev } | null)?.meetingEvents).filter((e): e is Ev => !!e);

beforeAll(async () => {
  a = await startTestServer();
  b = await startReplica(a);
  for (const u of ['vanthu', 'lanhdao', 'chuyenvien', 'truongphong', 'luutru', 'snv.lanhdao']) {
    tokens[u] = await loginToken(a.url, u);
    ids[u] = (await ok<{ me: { id: string } }>(a.url, u, '{ me { id } }')).me.id;
  }
}, 120_000);
afterAll(async () => {
  await b?.stop();
  await a?.stop();
});

describe('meetingEvents across two replicas', () => {
  it('delivers every change to subscribers on both replicas, on the meeting channel only', async () => {
    const startsAt = new Date(Date.now() + 60_000).toISOString();
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const m = (
      await ok<{ createMeeting: { id: string } }>(a.url, 'vanthu', 'mutation($i: CreateMeetingInput!){ createMeeting(input: $i){ id } }', {
        i: { title: 'Họp trực tuyến', startsAt, endsAt, location: 'Phòng họp số 2', chairId: ids.lanhdao, secretaryId: ids.vanthu, memberIds: [ids.chuyenvien, ids.truongphong] },
      })
    ).createMeeting.id;
    const item = (await ok<{ addAgendaItem: { id: string } }>(a.url, 'vanthu', 'mutation($m: ID!){ addAgendaItem(meetingId: $m, input: { title: "Nội dung 1" }){ id } }', { m })).addAgendaItem.id;
    await ok(a.url, 'vanthu', 'mutation($m: ID!){ publishMeeting(meetingId: $m){ id } }', { m });

    // Outsider (same agency, not invited): NOT_FOUND at subscription time.
    const denied = await fetch(`${b.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${tokens.luutru}` },
      body: JSON.stringify({ query: SUB, variables: { m } }),
    });
    expect(((await denied.json()) as { errors?: { extensions: { code: string } }[] }).errors?.[0].extensions.code).toBe('NOT_FOUND');

    // A raw listener on the shared channel and one on the meeting's channel.
    const spy = new pg.Client({ connectionString: a.runtime.db.url });
    await spy.connect();
    const shared: string[] = [];
    const scoped: string[] = [];
    spy.on('notification', (n) => (n.channel === CHANNEL ? shared : scoped).push(n.payload ?? ''));
    await spy.query(`LISTEN ${CHANNEL}`);
    await spy.query(`LISTEN "${scopedChannel(`meetingChanged:${m}`)}"`);

    const ac = new AbortController();
    const guard = setTimeout(() => ac.abort(), 60_000);
    const member = openSubscription(b.url, SUB, { m }, tokens.chuyenvien, ac.signal);
    const chair = openSubscription(a.url, SUB, { m }, tokens.lanhdao, ac.signal);
    try {
      const [m1] = evs(await member.next(1));
      const [c1] = evs(await chair.next(1));
      expect(m1).toMatchObject({ meetingId: m, kind: 'SNAPSHOT', meeting: { status: 'PUBLISHED', myRole: 'MEMBER' } });
      expect(c1).toMatchObject({ kind: 'SNAPSHOT', meeting: { myRole: 'CHAIR' } });

      // Changes through replica A (start, current item) and replica B (a vote cast).
      await ok(a.url, 'vanthu', 'mutation($m: ID!){ startMeeting(meetingId: $m){ id } }', { m });
      await ok(a.url, 'lanhdao', 'mutation($m: ID!, $i: ID!){ setCurrentItem(meetingId: $m, itemId: $i){ id } }', { m, i: item });
      const hasItem = (list: StreamEvent[]) => evs(list).some((e) => e.meeting.currentItem?.id === item);
      expect(hasItem((await member.read(hasItem)).events)).toBe(true);
      expect(hasItem((await chair.read(hasItem)).events)).toBe(true);

      const vote = (await ok<{ openVote: { id: string } }>(a.url, 'lanhdao', 'mutation($i: ID!){ openVote(itemId: $i, input: { question: "Đồng ý?", secret: true }){ id } }', { i: item })).openVote.id;
      await ok(b.url, 'chuyenvien', 'mutation($v: ID!){ castVote(voteId: $v, choice: AGREE){ id } }', { v: vote });
      const castOne = (list: StreamEvent[]) => evs(list).some((e) => e.meeting.openVote?.id === vote && e.meeting.openVote.tally.cast === 1);
      expect(castOne((await chair.read(castOne)).events)).toBe(true);
      expect(castOne((await member.read(castOne)).events)).toBe(true);

      // Versions only grow, as each subscriber sees them.
      for (const list of [member, chair]) {
        const v = evs((await list.read(() => true)).events).map((e) => e.version);
        expect([...v].sort((x, y) => x - y)).toEqual(v);
      }
      // Meeting events went through the meeting's channel, never the shared one.
      expect(scoped.length).toBeGreaterThan(0);
      expect(shared.filter((p) => p.includes(m))).toEqual([]);
    } finally {
      clearTimeout(guard);
      await member.close();
      await chair.close();
      await spy.end();
    }
  });

  it('a lobby display subscribes with only its token and follows the current item', async () => {
    const { token } = (await ok<{ issueDisplayToken: { token: string } }>(a.url, 'vanthu', 'mutation{ issueDisplayToken(room: "Phòng họp số 3"){ token } }')).issueDisplayToken;
    const now = Date.now();
    const m = (
      await ok<{ createMeeting: { id: string } }>(a.url, 'vanthu', 'mutation($i: CreateMeetingInput!){ createMeeting(input: $i){ id } }', {
        i: { title: 'Họp hôm nay', startsAt: new Date(now).toISOString(), endsAt: new Date(now + 3_600_000).toISOString(), location: 'Phòng họp số 3', chairId: ids.lanhdao, secretaryId: ids.vanthu, memberIds: [ids.chuyenvien] },
      })
    ).createMeeting.id;
    const item = (await ok<{ addAgendaItem: { id: string } }>(a.url, 'vanthu', 'mutation($m: ID!){ addAgendaItem(meetingId: $m, input: { title: "Khai mạc" }){ id } }', { m })).addAgendaItem.id;
    await ok(a.url, 'vanthu', 'mutation($m: ID!){ publishMeeting(meetingId: $m){ id } }', { m });
    await ok(a.url, 'vanthu', 'mutation($m: ID!){ startMeeting(meetingId: $m){ id } }', { m });

    const ac = new AbortController();
    const guard = setTimeout(() => ac.abort(), 60_000);
    const res = fetch(`${b.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: 'subscription($t: String!){ lobbyDisplayChanged(token: $t){ room meetings { id currentItemTitle } } }', variables: { t: token } }),
      signal: ac.signal,
    });
    const reader = (await res).body!.getReader();
    let text = '';
    const until = async (pred: (t: string) => boolean) => {
      while (!pred(text)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
    };
    try {
      await until((t) => t.includes('Phòng họp số 3'));
      expect(text).toContain(m);
      expect(text).not.toContain('Khai mạc');
      await ok(a.url, 'lanhdao', 'mutation($m: ID!, $i: ID!){ setCurrentItem(meetingId: $m, itemId: $i){ id } }', { m, i: item });
      await until((t) => t.includes('Khai mạc'));
      expect(text).toContain('"currentItemTitle":"Khai mạc"');
    } finally {
      clearTimeout(guard);
      await reader.cancel().catch(() => undefined);
    }
  });
});

describe('meetingEvents: one state shared by every subscriber, each seeing only what their role may see', () => {
  type RoleEv = {
    kind: string;
    version: number;
    meeting: {
      myRole: string;
      allowedActions: string[];
      agenda: { positions: { user: { id: string }; kind: string; opinion: string | null }[] | null; myPosition: { kind: string } | null; positionSummary: { otherOpinion: number }; allowedActions: string[] }[];
      openVote: { id: string; allowedActions: string[]; hasVoted: boolean; tally: { agree: number | null; cast: number }; ballots: { user: { id: string } }[] } | null;
    };
  };
  const ROLE_SUB = `subscription($m: ID!){ meetingEvents(meetingId: $m){ kind version meeting {
    myRole allowedActions
    agenda { positions { user { id } kind opinion } myPosition { kind } positionSummary { otherOpinion } allowedActions }
    openVote { id allowedActions hasVoted tally { agree cast } ballots { user { id } } } } } }`;
  const last = (events: StreamEvent[]) => (events.at(-1)?.data as { meetingEvents: RoleEv } | undefined)?.meetingEvents;

  it('chair, member and guest (another agency) joining together cost one state load; the chair alone sees positions, only voting members may cast', async () => {
    const startsAt = new Date(Date.now() + 60_000).toISOString();
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const m = (
      await ok<{ createMeeting: { id: string } }>(a.url, 'vanthu', 'mutation($i: CreateMeetingInput!){ createMeeting(input: $i){ id } }', {
        i: { title: 'Họp có khách mời', startsAt, endsAt, location: 'Phòng họp số 4', chairId: ids.lanhdao, secretaryId: ids.vanthu, memberIds: [ids.chuyenvien], guestIds: [ids['snv.lanhdao']] },
      })
    ).createMeeting.id;
    const item = (await ok<{ addAgendaItem: { id: string } }>(a.url, 'vanthu', 'mutation($m: ID!){ addAgendaItem(meetingId: $m, input: { title: "Đề án" }){ id } }', { m })).addAgendaItem.id;
    await ok(a.url, 'vanthu', 'mutation($m: ID!){ publishMeeting(meetingId: $m){ id } }', { m });
    await ok(a.url, 'chuyenvien', 'mutation($i: ID!){ recordPosition(itemId: $i, input: { kind: OTHER_OPINION, opinion: "Cần bổ sung kinh phí" }){ id } }', { i: item });

    const hub = b.rt.services.meetingHub;
    const loadsBefore = hub.stats().stateLoads;
    const ac = new AbortController();
    const guard = setTimeout(() => ac.abort(), 60_000);
    const subs = {
      chair: openSubscription(b.url, ROLE_SUB, { m }, tokens.lanhdao, ac.signal),
      member: openSubscription(b.url, ROLE_SUB, { m }, tokens.chuyenvien, ac.signal),
      guest: openSubscription(b.url, ROLE_SUB, { m }, tokens['snv.lanhdao'], ac.signal),
    };
    try {
      const [chair] = (await subs.chair.next(1)).map((e) => (e.data as { meetingEvents: RoleEv }).meetingEvents);
      const [member] = (await subs.member.next(1)).map((e) => (e.data as { meetingEvents: RoleEv }).meetingEvents);
      const [guest] = (await subs.guest.next(1)).map((e) => (e.data as { meetingEvents: RoleEv }).meetingEvents);
      // The three joined before the replica had the meeting: ONE state load, shared.
      expect(hub.stats().stateLoads - loadsBefore).toBe(1);
      expect([chair.meeting.myRole, member.meeting.myRole, guest.meeting.myRole]).toEqual(['CHAIR', 'MEMBER', 'GUEST']);
      expect(chair.meeting.agenda[0].positions).toEqual([{ user: { id: ids.chuyenvien }, kind: 'OTHER_OPINION', opinion: 'Cần bổ sung kinh phí' }]);
      expect(member.meeting.agenda[0].positions).toBeNull();
      expect(guest.meeting.agenda[0].positions).toBeNull();
      expect(member.meeting.agenda[0].myPosition).toEqual({ kind: 'OTHER_OPINION' });
      expect(guest.meeting.agenda[0].myPosition).toBeNull();
      for (const e of [chair, member, guest]) expect(e.meeting.agenda[0].positionSummary.otherOpinion).toBe(1);
      expect(member.meeting.agenda[0].allowedActions).toContain('RECORD_POSITION');
      expect(guest.meeting.agenda[0].allowedActions).not.toContain('RECORD_POSITION');
      expect(chair.meeting.allowedActions).toContain('VIEW_POSITIONS');
      expect(member.meeting.allowedActions).not.toContain('VIEW_POSITIONS');
      expect(guest.meeting.allowedActions).not.toContain('VIEW_POSITIONS');

      // A secret vote: everyone sees only the count while it is open; the member may cast, the guest may not.
      await ok(a.url, 'vanthu', 'mutation($m: ID!){ startMeeting(meetingId: $m){ id } }', { m });
      await ok(a.url, 'lanhdao', 'mutation($m: ID!, $i: ID!){ setCurrentItem(meetingId: $m, itemId: $i){ id } }', { m, i: item });
      const vote = (await ok<{ openVote: { id: string } }>(a.url, 'lanhdao', 'mutation($i: ID!){ openVote(itemId: $i, input: { question: "Thông qua đề án?", secret: true }){ id } }', { i: item })).openVote.id;
      await subs.guest.read((events) => last(events)?.meeting.openVote?.id === vote);
      // A ballot changes only the votes: the replica reads the votes again, not the whole meeting.
      const before = hub.stats();
      await ok(a.url, 'chuyenvien', 'mutation($v: ID!){ castVote(voteId: $v, choice: DISAGREE){ id } }', { v: vote });
      const voted = (events: StreamEvent[]) => last(events)?.meeting.openVote?.tally.cast === 1;
      const c = last((await subs.chair.read(voted)).events)!.meeting.openVote!;
      const mm = last((await subs.member.read(voted)).events)!.meeting.openVote!;
      const g = last((await subs.guest.read(voted)).events)!.meeting.openVote!;
      for (const v of [c, mm, g]) {
        expect(v.id).toBe(vote);
        expect(v.tally.agree).toBeNull();
        expect(v.ballots).toEqual([]);
      }
      expect(c.allowedActions.sort()).toEqual(['CAST', 'CLOSE']);
      expect(mm).toMatchObject({ hasVoted: true, allowedActions: [] });
      expect(g).toMatchObject({ hasVoted: false, allowedActions: [] });
      expect(hub.stats().voteLoads).toBeGreaterThan(before.voteLoads);
      expect(hub.stats().stateLoads).toBe(before.stateLoads);
      expect(hub.stats().subscribers).toBeGreaterThanOrEqual(3);
    } finally {
      clearTimeout(guard);
      for (const s of Object.values(subs)) await s.close();
    }
  });

  it('session re-checks of subscribers due together are one query; a revoked session ends only its own stream', async () => {
    const services = a.runtime.rt.services;
    const actorOf = async (user: string) => {
      const r = await services.identity.authenticate(services.orm.em.fork(), tokens[user]);
      if ('error' in r) throw new Error(String(r.error));
      return r.actor;
    };
    const [chair, member, guest] = [await actorOf('lanhdao'), await actorOf('chuyenvien'), await actorOf('snv.lanhdao')];
    const checks = new SessionChecks(services);
    const [x, y, z] = await Promise.all([checks.check(chair), checks.check(member), checks.check(guest)]);
    expect(checks.queries).toBe(1);
    expect([x?.userId, y?.userId, z?.userId]).toEqual([chair.userId, member.userId, guest.userId]);
    expect(z).toMatchObject({ agencyId: guest.agencyId, roles: guest.roles });

    const spare = await loginToken(a.url, 'chuyenvien');
    const r = await services.identity.authenticate(services.orm.em.fork(), spare);
    if ('error' in r) throw new Error(String(r.error));
    await services.orm.em.fork().execute('update session set revoked_at = now() where id = ?', [r.actor.sessionId]);
    const [revoked, still] = await Promise.all([checks.check(r.actor), checks.check(member)]);
    expect(checks.queries).toBe(2);
    expect(revoked).toBeNull();
    expect(still?.userId).toBe(member.userId);
  });
});
