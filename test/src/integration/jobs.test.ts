/**
 * Jobs on pg-boss against real PostgreSQL: a job written with `tx.enqueue` exists exactly when its
 * transaction commits (it is never sent after the commit, never for a rollback), a failing enqueue fails
 * the transaction, pg-boss retries a failing job and then hands it to the job's dead-letter handler, and
 * a running job's lease is what keeps it from being expired.
 */
import { defineJob, QUEUES } from '../../../server/src/jobs/job';
import { startJobWorkers } from '../../../server/src/jobs/worker';
import { sessionCleanupJob } from '../../../server/src/modules/identity/identity.jobs';
import { Session } from '../../../server/src/modules/identity/entities/session.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import type { PgBossQueue } from '../../../server/src/infra/queue/pgboss.queue';
import { toKnexBindings } from '../../../server/src/infra/queue/tx-send';
import { Scope } from '../../../server/src/shared/scope';
import { createTestRuntime, type TestRuntime } from '../support/runtime';
import { until } from '../support/until';

describe('jobs on pg-boss (real PostgreSQL)', () => {
  let t: TestRuntime;
  const seen: string[] = [];
  const dead: string[] = [];
  let flakyRuns = 0;
  const recordJob = defineJob<{ tag: string }>({
    name: 'test.record',
    queue: QUEUES.fast,
    retryDelaySeconds: 1, // a job handed back (reaped, expired) runs again within a poll or two
    handler: async (data) => {
      seen.push(data.tag);
    },
  });
  const flakyJob = defineJob<{ tag: string }>({
    name: 'test.flaky',
    queue: QUEUES.fast,
    retryLimit: 2,
    retryDelaySeconds: 1, // 1 s, then 2 s (production jobs: 5 s, then 10, 20 …)
    handler: async () => {
      flakyRuns++;
      throw new Error('always fails');
    },
    onDeadLetter: async (data) => {
      dead.push(data.tag);
    },
  });

  const jobRows = async (name: string) =>
    t.system().em.execute<{ id: string; state: string; data: { tag: string } }[]>(`select id, state, data from pgboss.job where name = ? order by created_on`, [name]);

  beforeAll(async () => {
    t = await createTestRuntime();
    await startJobWorkers(t.rt.services, {}, [sessionCleanupJob as never, recordJob as never, flakyJob as never]);
  });
  afterAll(async () => t?.close());

  it('turns pg-boss $n placeholders into knex bindings, value per occurrence', () => {
    expect(toKnexBindings('select $2, $1::int, $2 where x ? y', ['a', 'b'])).toEqual({ sql: 'select ?, ?::int, ? where x \\? y', bindings: ['b', 'a', 'b'] });
    expect(toKnexBindings('select $1', [undefined]).bindings).toEqual([null]);
    expect(() => toKnexBindings('select $3', [1])).toThrow(/\$3/);
  });

  it('runs the session clean-up job in the worker and audits it', async () => {
    const scope = t.system();
    const user = await scope.em.findOneOrFail(User, { username: 'vanthu' });
    await scope.transaction(async (tx) => {
      tx.em.create(Session, { user, createdAt: new Date('2026-01-01'), expiresAt: new Date('2026-01-02') });
      tx.em.create(Session, { user, createdAt: new Date(), expiresAt: new Date(Date.now() + 3600_000) });
    });
    await t.rt.services.queue.send(sessionCleanupJob.name, { olderThanDays: 30 });
    await until('the audit event of the session cleanup', async () => (await t.system().em.count(AuditEvent, { action: 'identity.session_cleanup' })) === 1);
    expect(await t.system().em.count(Session, {})).toBe(1);
  });

  it('writes the job inside the transaction: visible only once committed, nothing for a rolled-back one', async () => {
    const scope = t.system();
    let inside = -1;
    let outsideBeforeCommit = -1;
    await scope.transaction(async (tx) => {
      const id = await tx.enqueue(recordJob, { tag: 'committed' });
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      tx.audit({ action: 'test.commit', targetType: 'test' });
      // The row is on the transaction's connection (same transaction) and not yet visible to anyone else.
      inside = (await tx.em.execute<unknown[]>(`select 1 from pgboss.job where id = ?`, [id])).length;
      outsideBeforeCommit = (await t.system().em.execute<unknown[]>(`select 1 from pgboss.job where id = ?`, [id])).length;
    });
    expect(inside).toBe(1);
    expect(outsideBeforeCommit).toBe(0);
    await expect(
      scope.transaction(async (tx) => {
        await tx.enqueue(recordJob, { tag: 'rolled-back' });
        tx.audit({ action: 'test.rollback', targetType: 'test' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await until('the committed job to run', async () => seen.includes('committed'));
    // The rolled-back job never existed: no row at all, in any state.
    const rows = await jobRows(recordJob.name);
    expect(rows.map((r) => r.data.tag)).toEqual(['committed']);
    expect(seen).not.toContain('rolled-back');
    expect(await t.system().em.count(AuditEvent, { action: 'test.rollback' })).toBe(0);
    expect(await t.system().em.count(AuditEvent, { action: 'test.commit' })).toBe(1);
  });

  it('a job that cannot be written fails its transaction (nothing is only logged)', async () => {
    await expect(
      t.system().transaction(async (tx) => {
        tx.audit({ action: 'test.unknown-queue', targetType: 'test' });
        await tx.enqueue({ name: 'test.no-such-queue' }, { tag: 'x' });
      }),
    ).rejects.toThrow(/queue does not exist/);
    expect(await t.system().em.count(AuditEvent, { action: 'test.unknown-queue' })).toBe(0);
  });

  it('pg-boss retries a failing job retryLimit times, then its dead-letter handler runs once', async () => {
    await t.system().transaction(async (tx) => {
      await tx.enqueue(flakyJob, { tag: 'flaky-1' });
      tx.audit({ action: 'test.flaky', targetType: 'test' });
    });
    await until('flaky-1 in the dead letters', async () => dead.includes('flaky-1'), 90_000);
    expect(flakyRuns).toBe(3); // the first run and retryLimit (2) retries
    const [row] = await jobRows(flakyJob.name);
    expect(row.state).toBe('failed');
    // the job's own first delay, with the backoff every job has
    const [policy] = await t.system().em.execute<{ retry_delay: number; retry_backoff: boolean }[]>(`select retry_delay, retry_backoff from pgboss.job where id = ?`, [row.id]);
    expect(policy).toEqual({ retry_delay: 1, retry_backoff: true });
    expect(dead).toEqual(['flaky-1']);
  }, 120_000);

  it("a job's last failure wakes its dead-letter queue at once (pg-boss moves it there without a notification)", async () => {
    const queue = t.rt.services.queue as PgBossQueue;
    const [name, deadName] = ['test.dl-wake', 'test.dl-wake.dead'];
    await queue.ensureQueues([
      { name: deadName, options: { retryLimit: 0, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 60 } },
      { name, options: { retryLimit: 0, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 60, deadLetter: deadName } },
    ]);
    const handled: string[] = [];
    // the dead-letter loop looks once at start, then would only poll again after an hour
    await queue.work<{ tag: string }>(deadName, async (j) => void handled.push(j.data.tag), { pollSeconds: 3600 });
    await queue.work<{ tag: string }>(name, async () => Promise.reject(new Error('always fails')), { pollSeconds: 1 });
    await until('the dead-letter loop to take its first look', async () => queue.fetchCount(deadName) >= 1);
    await queue.send(name, { tag: 'last-failure' });
    await until('the dead letter handled', async () => handled.includes('last-failure'), 30_000);
    expect(handled).toEqual(['last-failure']);
  });

  it('a running job holds a lease: without renewal pg-boss expires it and retries it', async () => {
    const queue = t.rt.services.queue as PgBossQueue;
    // A job taken by a "worker" that then dies: fetched (active) and its lease never renewed.
    const id = await t.system().transaction(async (tx) => tx.enqueue({ name: 'test.orphan' }, { tag: 'orphan' }).catch(() => null));
    expect(id).toBeNull(); // not in the registry of this runtime: refused, see the previous test
    await queue.ensureQueues([{ name: 'test.orphan', options: { retryLimit: 2, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 3600 } }]);
    const jobId = await t.system().transaction(async (tx) => tx.enqueue({ name: 'test.orphan' }, { tag: 'orphan' }));
    await t.system().em.execute(`update pgboss.job set state = 'active', started_on = now() - interval '10 seconds' where id = ?`, [jobId]);
    await queue.renewLease('test.orphan', jobId, 3);
    const [leased] = await t.system().em.execute<{ secs: number }[]>(`select extract(epoch from started_on + expire_in - now())::float8 as secs from pgboss.job where id = ?`, [jobId]);
    expect(leased.secs).toBeGreaterThan(1);
    expect(leased.secs).toBeLessThanOrEqual(3);
    // pg-boss maintenance (what the workers run every 10 s) once the lease has run out: back to retry.
    await new Promise((r) => setTimeout(r, 3500));
    const boss = (queue as unknown as { boss: { expire(): Promise<void> } }).boss;
    await boss.expire();
    expect(await queue.getJob('test.orphan', jobId)).toMatchObject({ state: 'retry' });
  }, 60_000);

  it('a job fetched by a process that died before its first lease renewal is handed back; a leased one is not', async () => {
    const queue = t.rt.services.queue as PgBossQueue;
    const boss = (queue as unknown as { boss: { expire(): Promise<void> } }).boss;
    // Not due for an hour, so that this process's own worker does not fetch them first.
    const later = { startAfter: new Date(Date.now() + 3600_000) };
    const [unleased, leased] = await t.system().transaction(async (tx) => [await tx.enqueue(recordJob, { tag: 'never-leased' }, later), await tx.enqueue(recordJob, { tag: 'leased' }, later)]);
    // Both fetched 40 s ago (before the in-process worker could take them); only the second holds a lease.
    await t.system().em.execute(`update pgboss.job set state = 'active', started_on = now() - interval '40 seconds' where id in (?, ?)`, [unleased, leased]);
    await queue.renewLease(recordJob.name, leased, 30);
    expect(await queue.reapUnleased([recordJob.name], 30)).toBe(1);
    await boss.expire();
    expect(await queue.getJob(recordJob.name, unleased)).toMatchObject({ state: expect.stringMatching(/retry|active|completed/) });
    expect((await queue.getJob(recordJob.name, unleased))!.state).not.toBe('failed');
    await until('the never-leased job to run', async () => seen.includes('never-leased'));
    expect(await queue.getJob(recordJob.name, leased)).toMatchObject({ state: 'active' });
    expect(seen).not.toContain('leased');
    await t.system().em.execute(`update pgboss.job set state = 'completed' where id = ?`, [leased]);
  }, 60_000);

  describe('fetch loops (one per job name) woken by NOTIFY', () => {
    const opts = { retryLimit: 1, retryDelaySeconds: 1, retryBackoff: false, expireInSeconds: 600 };

    it('an idle worker queries once per poll interval per job name, whatever its concurrency', async () => {
      const queue = t.rt.services.queue as PgBossQueue;
      await queue.ensureQueues([{ name: 'test.idle', options: opts }]);
      await queue.work('test.idle', async () => undefined, { concurrency: 8, pollSeconds: 1 });
      await new Promise((r) => setTimeout(r, 3000));
      // pg-boss's work() polled once per slot: 8 pollers, ≥ 24 queries in 3 s
      expect(queue.fetchCount('test.idle')).toBeGreaterThan(0);
      expect(queue.fetchCount('test.idle')).toBeLessThanOrEqual(5);
    });

    it('a job committed in a transaction wakes its worker at once, not at the next poll (60 s here)', async () => {
      const queue = t.rt.services.queue as PgBossQueue;
      await queue.ensureQueues([{ name: 'test.wake', options: opts }]);
      const ran: string[] = [];
      await queue.work<{ tag: string }>('test.wake', async (j) => void ran.push(j.data.tag), { concurrency: 2, pollSeconds: 60 });
      await new Promise((r) => setTimeout(r, 500)); // the first poll (and the wake-up connection) are behind us
      await t.system().transaction(async (tx) => {
        await tx.enqueue({ name: 'test.wake' }, { tag: 'committed' });
      });
      await until('the committed job to run', async () => ran.includes('committed'), 15_000);
    });

    it('with every slot busy, queued jobs start as slots free up, not at the next poll', async () => {
      const queue = t.rt.services.queue as PgBossQueue;
      await queue.ensureQueues([{ name: 'test.busy', options: opts }]);
      const ran: string[] = [];
      // queued before the worker starts: no notification for them, only its first fetch
      await t.system().transaction(async (tx) => {
        for (let i = 0; i < 7; i++) await tx.enqueue({ name: 'test.busy' }, { tag: `b${i}` });
      });
      await queue.work<{ tag: string }>(
        'test.busy',
        async (j) => {
          await new Promise((r) => setTimeout(r, 100));
          ran.push(j.data.tag);
        },
        { concurrency: 2, pollSeconds: 60 },
      );
      await until('all seven jobs to run', async () => ran.length === 7, 15_000);
      const rows = await t.system().em.execute<{ state: string }[]>(`select state from pgboss.job where name = 'test.busy'`);
      expect(rows.map((r) => r.state)).toEqual(Array(7).fill('completed'));
    });

    it('a failing job is failed on its own (retried, then failed), the others of its batch complete', async () => {
      const queue = t.rt.services.queue as PgBossQueue;
      await queue.ensureQueues([{ name: 'test.mixed', options: { ...opts, retryLimit: 0 } }]);
      await t.system().transaction(async (tx) => {
        for (const tag of ['ok1', 'bad', 'ok2']) await tx.enqueue({ name: 'test.mixed' }, { tag });
      });
      await queue.work<{ tag: string }>(
        'test.mixed',
        async (j) => {
          if (j.data.tag === 'bad') throw new Error('bad job');
          return { done: j.data.tag };
        },
        { concurrency: 3, pollSeconds: 60 },
      );
      const states = async () => t.system().em.execute<{ tag: string; state: string; output: unknown }[]>(`select data->>'tag' as tag, state, output from pgboss.job where name = 'test.mixed' order by data->>'tag'`);
      await until('every job completed or failed', async () => (await states()).every((r) => r.state === 'completed' || r.state === 'failed'), 15_000);
      const rows = await states();
      expect(rows.map((r) => [r.tag, r.state])).toEqual([
        ['bad', 'failed'],
        ['ok1', 'completed'],
        ['ok2', 'completed'],
      ]);
      expect(rows.find((r) => r.tag === 'ok1')!.output).toEqual({ done: 'ok1' });
      expect(JSON.stringify(rows.find((r) => r.tag === 'bad')!.output)).toContain('bad job');
    });
  });

  it('tx.auditMany writes the rows tx.audit would (actor, agency, request IP), many in one statement, in the transaction', async () => {
    const user = await t.system().em.findOneOrFail(User, { username: 'vanthu' }, { populate: ['agency'] });
    const actor = { userId: user.id, username: user.username, fullName: user.fullName, agencyId: user.agency.id, unitId: null, roles: [], sessionId: null };
    const scope = new Scope(t.rt.orm.em.fork(), actor, { ip: '203.0.113.7' });
    const events = (n: number, tag: string) => Array.from({ length: n }, (_x, i) => ({ action: `test.bulk_${tag}`, targetType: 'test', data: { i } }));
    await scope.transaction(async (tx) => {
      await tx.auditMany(events(6, 'many'));
      await tx.auditMany(events(2, 'few'));
    });
    // rolled back: none of them
    await expect(
      scope.transaction(async (tx) => {
        await tx.auditMany(events(6, 'rolled_back'));
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    const rows = await t.system().em.find(AuditEvent, { action: { $like: 'test.bulk_%' } });
    expect(rows.filter((r) => r.action === 'test.bulk_many')).toHaveLength(6);
    expect(rows.filter((r) => r.action === 'test.bulk_few')).toHaveLength(2);
    expect(rows.filter((r) => r.action === 'test.bulk_rolled_back')).toHaveLength(0);
    for (const r of rows) expect([r.ip, r.actorId, r.agencyId]).toEqual(['203.0.113.7', user.id, user.agency.id]);
  });
});
