/**
 * Live meeting at scale (issue 11): N participants subscribed over SSE to one meeting, spread over TWO API
 * replicas (child processes) on one PostgreSQL; the chair on its own connection opens a secret vote, every
 * member casts (concurrently, half through each replica), the chair closes it.
 *
 *   npm run bench -- meeting [--participants 1000] [--concurrency 32]
 *
 * Measures, for every state change (open, each ballot, close) and every subscriber, the time until that
 * subscriber has a state at least as new (events are coalesced: a subscriber may skip intermediate versions,
 * never the latest), p50/p95/p99 over all pairs and p50/p95 of "reached every subscriber":
 *  - from the state change itself: its commit, timestamped by the NOTIFY on the meeting's channel that the
 *    bench LISTENs to like the replicas do (the target: p95 < 1 s with 1,000 participants);
 *  - from the change's request being sent (this adds the mutation's own time, queueing included: with
 *    `--concurrency 32` clients a ballot waits behind up to 31 others on the meeting's row).
 * Also ballots accepted per second, each replica's peak RSS, its meeting state loads and batched session checks.
 * BENCH_CPU_PROF=<dir> writes a CPU profile of each replica.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import express from 'express';
import { loadConfig } from '../../server/src/config/config';
import { initOrm, migrate } from '../../server/src/db/orm';
import { bootstrap } from '../../server/src/runtime';
import { createApp } from '../../server/src/http/app';
import { localFilesRouter } from '../../server/src/infra/storage';
import { TokenService } from '../../server/src/modules/identity/tokens';
import { newId } from '../../server/src/shared/ids';
import { scopedChannel } from '../../server/src/infra/pubsub/pg-event-target';
import { benchDatabase, benchLog, parseBenchArgs, percentile, timed } from './lib/harness';

const SECRET = 'bench-secret-bench-secret-bench-secret-0123456789';
const log = benchLog('meeting');

// ------------------------------------------------------------------------------------------- replica child

async function replicaMain(): Promise<void> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: process.env.BENCH_DATABASE_URL!,
    CONGVAN_DATA_DIR: process.env.BENCH_DATA_DIR!,
    AUTH_SECRET: SECRET,
    PUBLIC_URL: url,
    DATABASE_POOL_MAX: '10',
    PORT: '0',
  });
  const rt = await bootstrap(config, { queue: { supervise: false, schedule: false } });
  const routers: express.Router[] = [];
  if (rt.services.storage.kind === 'local') {
    const r = express.Router();
    r.use('/files', localFilesRouter(rt.services.storage, rt.services.secret));
    routers.push(r);
  }
  server.on('request', createApp(rt.services, { routers }).app);
  let peak = process.memoryUsage().rss;
  setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100).unref();
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'stats') process.send!({ rss: process.memoryUsage().rss, peak, hub: rt.services.meetingHub.stats() });
    if (m.cmd === 'stop') void rt.close().finally(() => process.exit(0));
  });
  process.send!({ url });
}

function startReplica(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  // BENCH_CPU_PROF=<dir>: each replica writes a V8 CPU profile there when it stops (to see where a broadcast's time goes).
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = fork(__filename, ['--replica-child'], { env: { ...process.env, ...env }, execArgv: [...process.execArgv, ...prof], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { url: string }) => resolve({ url: m.url, child }));
    child.once('exit', (code) => reject(new Error(`replica exited ${code}`)));
  });
}

const ask = (child: ChildProcess): Promise<{ rss: number; peak: number; hub: { meetings: number; subscribers: number; stateLoads: number; voteLoads: number; sessionQueries: number } }> =>
  new Promise((resolve) => {
    child.once('message', resolve as never);
    child.send({ cmd: 'stats' });
  });

// ------------------------------------------------------------------------------------------------ client

async function gql<T>(url: string, token: string, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data!;
}

/** One SSE subscriber: records when it first saw each ballot count and version (regex on the raw stream: cheap). */
class Subscriber {
  firstCast = new Map<number, number>();
  maxCast = -1;
  maxVersion = 0;
  versionAt = new Map<number, number>();
  events = 0;
  snapshot = false;
  closed = false;
  private buf = '';
  constructor(
    readonly url: string,
    readonly token: string,
    readonly meetingId: string,
    readonly ac: AbortController,
  ) {}

  async run(): Promise<void> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${this.token}` },
      body: JSON.stringify({ query: 'subscription($m: ID!){ meetingEvents(meetingId: $m){ version kind meeting { openVote { tally { cast } } } } }', variables: { m: this.meetingId } }),
      signal: this.ac.signal,
    });
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const now = performance.now();
        this.buf += dec.decode(value, { stream: true });
        let i;
        while ((i = this.buf.indexOf('\n\n')) >= 0) {
          const chunk = this.buf.slice(0, i);
          this.buf = this.buf.slice(i + 2);
          const v = /"version":(\d+)/.exec(chunk);
          if (!v) continue;
          this.events++;
          if (chunk.includes('"SNAPSHOT"')) this.snapshot = true;
          const version = Number(v[1]);
          if (version > this.maxVersion) {
            this.maxVersion = version;
            this.versionAt.set(version, now);
          }
          const c = /"cast":(\d+)/.exec(chunk);
          if (c) {
            const cast = Number(c[1]);
            if (cast > this.maxCast) {
              for (let k = this.maxCast + 1; k <= cast; k++) this.firstCast.set(k, now);
              this.maxCast = cast;
            }
          }
        }
      }
    } catch (e) {
      if (!this.ac.signal.aborted) throw e;
    } finally {
      this.closed = true;
    }
  }

  /** When this subscriber first had a version ≥ v (undefined if never). */
  sawVersion(v: number): number | undefined {
    let best: number | undefined;
    for (const [ver, t] of this.versionAt) if (ver >= v && (best === undefined || t < best)) best = t;
    return best;
  }
}

const until = async (what: string, cond: () => boolean, timeoutMs = 120_000) => {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;

export async function run(argv: string[]): Promise<void> {
  const args = parseBenchArgs(argv, { participants: 1000, concurrency: 32 });
  const N = args.participants;
  const db = await benchDatabase(log, { name: 'meeting', dataDir: null });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-bench-meeting-files-'));
  const children: ChildProcess[] = [];
  try {
    const orm = await initOrm(db.url, 2);
    await timed(log, 'migrate', () => migrate(orm));
    await orm.close();

    // One agency, a chair, a secretary and N members, each with a session (tokens signed directly: no N logins).
    const tokens = new TokenService(SECRET);
    const c = new pg.Client({ connectionString: db.url });
    await c.connect();
    const agencyId = newId();
    await c.query(`insert into agency (id, code, name, abbr) values ($1, '000.00.99.B01', 'Ủy ban nhân dân tỉnh Thử nghiệm', 'UBND')`, [agencyId]);
    const users = Array.from({ length: N + 2 }, (_, i) => ({ id: newId(), username: i === 0 ? 'chair' : i === 1 ? 'secretary' : `member${i - 1}`, roles: i === 0 ? ['LANH_DAO'] : i === 1 ? ['VAN_THU'] : ['CHUYEN_VIEN'] }));
    await c.query(
      `insert into app_user (id, username, full_name, agency_id, roles, password_hash)
       select x.id, x.username, 'Người dùng ' || x.username, $1, x.roles, 'x' from json_to_recordset($2::json) as x(id uuid, username text, roles text[])`,
      [agencyId, JSON.stringify(users)],
    );
    const expiresAt = new Date(Date.now() + 12 * 3600_000);
    const sessions = users.map((u) => ({ id: newId(), user_id: u.id }));
    await c.query(`insert into session (id, user_id, expires_at) select x.id, x.user_id, $1 from json_to_recordset($2::json) as x(id uuid, user_id uuid)`, [expiresAt, JSON.stringify(sessions)]);
    await c.end();
    const token = await Promise.all(sessions.map((s) => tokens.sign({ sessionId: s.id, userId: s.user_id, expiresAt })));
    const [chairT, secT] = token;
    const memberT = token.slice(2);

    const env = { BENCH_DATABASE_URL: db.url, BENCH_DATA_DIR: dataDir };
    // One after the other: the first start creates the job queues (pg-boss), the second finds them.
    const replicas = await timed(log, 'start 2 API replicas', async () => [await startReplica(env), await startReplica(env)]);
    children.push(...replicas.map((r) => r.child));
    const [A, B] = replicas.map((r) => r.url);

    const startsAt = new Date(Date.now() + 60_000).toISOString();
    const endsAt = new Date(Date.now() + 3 * 3600_000).toISOString();
    const m = (
      await gql<{ createMeeting: { id: string } }>(A, secT, 'mutation($i: CreateMeetingInput!){ createMeeting(input: $i){ id } }', {
        i: { title: 'Hội nghị trực tuyến (benchmark)', startsAt, endsAt, location: 'Hội trường', chairId: users[0].id, secretaryId: users[1].id, memberIds: users.slice(2).map((u) => u.id) },
      })
    ).createMeeting.id;
    const item = (await gql<{ addAgendaItem: { id: string } }>(A, secT, 'mutation($m: ID!){ addAgendaItem(meetingId: $m, input: { title: "Biểu quyết" }){ id } }', { m })).addAgendaItem.id;
    await gql(A, secT, 'mutation($m: ID!){ publishMeeting(meetingId: $m){ id } }', { m });
    await gql(A, secT, 'mutation($m: ID!){ startMeeting(meetingId: $m){ id } }', { m });
    await gql(A, chairT, 'mutation($m: ID!, $i: ID!){ setCurrentItem(meetingId: $m, itemId: $i){ id } }', { m, i: item });

    // N participants subscribe, alternating replicas; the chair acts on its own connection.
    const ac = new AbortController();
    const subs = memberT.map((t, i) => new Subscriber(i % 2 ? B : A, t, m, ac));
    const t0 = performance.now();
    const running = subs.map((s) => s.run().catch((e: unknown) => log(`subscriber failed: ${String(e)}`)));
    await until('every snapshot', () => subs.every((s) => s.snapshot || s.closed));
    const failed = subs.filter((s) => !s.snapshot).length;
    log(`${N - failed}/${N} subscribed (snapshot received) in ${fmt(performance.now() - t0)}`);
    const base = Math.max(...subs.map((s) => s.maxVersion));

    // The bench LISTENs on the meeting's own channel as the replicas do: a change's NOTIFY (sent right after its
    // commit, carrying the new version) timestamps the state change itself.
    const committedAt = new Map<number, number>();
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (n) => {
      const at = performance.now();
      const v = (JSON.parse(n.payload ?? '{}') as { data?: { version?: number } }).data?.version;
      if (typeof v === 'number' && v > 0 && !committedAt.has(v)) committedAt.set(v, at);
    });
    await listener.query(`LISTEN "${scopedChannel(`meetingChanged:${m}`)}"`);

    const latencies: number[] = [];
    const reachedAll: number[] = [];
    const record = (sentAt: number, arrivals: (number | undefined)[]) => {
      let worst = 0;
      for (const t of arrivals) {
        if (t === undefined) continue;
        const d = Math.max(0, t - sentAt);
        latencies.push(d);
        worst = Math.max(worst, d);
      }
      reachedAll.push(worst);
    };

    // 1. The chair opens a secret vote.
    const tOpen = performance.now();
    const vote = (await gql<{ openVote: { id: string } }>(A, chairT, 'mutation($i: ID!){ openVote(itemId: $i, input: { question: "Thông qua?", secret: true }){ id } }', { i: item })).openVote.id;
    await until('open vote at every subscriber', () => subs.every((s) => s.closed || s.maxCast >= 0));
    record(tOpen, subs.map((s) => s.firstCast.get(0)));

    // 2. Every member casts one ballot (concurrency clients, half through each replica).
    const casts: { sentAt: number; cast: number }[] = [];
    const tVotes = performance.now();
    let next = 0;
    const choices = ['AGREE', 'DISAGREE', 'ABSTAIN'];
    await Promise.all(
      Array.from({ length: args.concurrency }, async () => {
        for (;;) {
          const i = next++;
          if (i >= N) return;
          const sentAt = performance.now();
          const r = await gql<{ castVote: { tally: { cast: number } } }>(i % 2 ? A : B, memberT[i], 'mutation($v: ID!, $c: VoteChoice!){ castVote(voteId: $v, choice: $c){ tally { cast } } }', { v: vote, c: choices[i % 3] });
          casts.push({ sentAt, cast: r.castVote.tally.cast });
        }
      }),
    );
    const voteSeconds = (performance.now() - tVotes) / 1000;
    await until('every ballot at every subscriber', () => subs.every((s) => s.closed || s.maxCast >= N));
    for (const x of casts) record(x.sentAt, subs.map((s) => s.firstCast.get(x.cast)));

    // 3. The chair closes the vote.
    const before = (await gql<{ meeting: { version: number } }>(A, chairT, 'query($m: ID!){ meeting(id: $m){ version } }', { m })).meeting.version;
    const tClose = performance.now();
    await gql(A, chairT, 'mutation($v: ID!){ closeVote(voteId: $v){ id } }', { v: vote });
    const final = before + 1;
    await until('close at every subscriber', () => subs.every((s) => s.closed || s.maxVersion >= final));
    record(tClose, subs.map((s) => s.sawVersion(final)));

    const stats = await Promise.all(children.map(ask));
    ac.abort();
    await Promise.allSettled(running);
    await listener.end();
    // Commit (NOTIFY seen) → first arrival at each subscriber of that version or a newer one.
    const fromCommit: number[] = [];
    const fromCommitAll: number[] = [];
    const versions = [...committedAt.keys()].filter((v) => v > base && v <= final).sort((x, y) => x - y);
    const worst = new Map<number, number>();
    for (const sub of subs) {
      const seen = [...sub.versionAt].sort((x, y) => x[0] - y[0]);
      let j = 0;
      for (const v of versions) {
        while (j < seen.length && seen[j][0] < v) j++;
        if (j >= seen.length) break;
        const d = Math.max(0, seen[j][1] - committedAt.get(v)!);
        fromCommit.push(d);
        worst.set(v, Math.max(worst.get(v) ?? 0, d));
      }
    }
    fromCommitAll.push(...worst.values());
    fromCommit.sort((x, y) => x - y);
    fromCommitAll.sort((x, y) => x - y);
    const sorted = [...latencies].sort((x, y) => x - y);
    const all = [...reachedAll].sort((x, y) => x - y);
    const events = subs.reduce((n, s) => n + s.events, 0);
    const lines = [
      `participants (SSE subscribers): ${N} (${Math.ceil(N / 2)} on replica A, ${Math.floor(N / 2)} on replica B), chair on its own connection; failed subscriptions: ${failed}`,
      `state changes: ${reachedAll.length} (open + ${casts.length} ballots + close), state versions ${base} → ${final}`,
      `state change (commit: its NOTIFY) → arrival at a subscriber (${fromCommit.length} pairs, ${versions.length} versions): p50 ${fmt(percentile(fromCommit, 50))}, p95 ${fmt(percentile(fromCommit, 95))}, p99 ${fmt(percentile(fromCommit, 99))}, max ${fmt(fromCommit[fromCommit.length - 1])}`,
      `state change (commit) → reached EVERY subscriber: p50 ${fmt(percentile(fromCommitAll, 50))}, p95 ${fmt(percentile(fromCommitAll, 95))}, max ${fmt(fromCommitAll[fromCommitAll.length - 1])}`,
      `request sent → arrival at a subscriber (includes the mutation's own queueing at concurrency ${args.concurrency}; all ${latencies.length} pairs): p50 ${fmt(percentile(sorted, 50))}, p95 ${fmt(percentile(sorted, 95))}, p99 ${fmt(percentile(sorted, 99))}, max ${fmt(sorted[sorted.length - 1])}`,
      `request sent → reached EVERY subscriber: p50 ${fmt(percentile(all, 50))}, p95 ${fmt(percentile(all, 95))}, max ${fmt(all[all.length - 1])}`,
      `ballots accepted: ${casts.length} in ${voteSeconds.toFixed(2)} s = ${(casts.length / voteSeconds).toFixed(0)} votes/s (concurrency ${args.concurrency})`,
      `events delivered: ${events} (${(events / N).toFixed(1)} per subscriber: coalesced from ${reachedAll.length} changes)`,
      ...stats.map(
        (s, i) =>
          `replica ${'AB'[i]}: RSS now ${mb(s.rss)}, peak ${mb(s.peak)}; following ${s.hub.meetings} meeting(s) for ${s.hub.subscribers} subscriber(s); ${s.hub.stateLoads} meeting state loads + ${s.hub.voteLoads} vote-only reloads, ${s.hub.sessionQueries} batched session checks`,
      ),
      `target p95 (state change → subscriber) < 1 s with 1,000 participants: ${N >= 1000 ? (percentile(fromCommit, 95) < 1000 ? 'MET' : 'NOT MET') : `(run with --participants 1000)`}; from the request: ${percentile(sorted, 95) < 1000 ? 'under' : 'over'} 1 s`,
    ];
    process.stdout.write(`\nmeeting benchmark\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  } finally {
    for (const ch of children) {
      ch.send({ cmd: 'stop' });
      await new Promise((r) => {
        const t = setTimeout(() => {
          ch.kill('SIGKILL');
          r(null);
        }, 10_000);
        ch.once('exit', () => {
          clearTimeout(t);
          r(null);
        });
      });
    }
    await db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv.includes('--replica-child')) {
  replicaMain().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
