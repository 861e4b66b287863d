import { defineJob, enqueueAfterCommit, QUEUES } from '../../../server/src/jobs/job';
import { startJobWorkers } from '../../../server/src/jobs/worker';
import { sessionCleanupJob } from '../../../server/src/modules/identity/identity.jobs';
import { Session } from '../../../server/src/modules/identity/entities/session.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { createTestRuntime, type TestRuntime } from '../support/runtime';

const waitFor = async (cond: () => Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('condition not met in time');
};

describe('jobs on pg-boss (real PostgreSQL)', () => {
  let t: TestRuntime;
  const seen: string[] = [];
  const recordJob = defineJob<{ tag: string }>({
    name: 'test.record',
    queue: QUEUES.fast,
    handler: async (data) => {
      seen.push(data.tag);
    },
  });

  beforeAll(async () => {
    t = await createTestRuntime();
    await startJobWorkers(t.rt.services, {}, [sessionCleanupJob as never, recordJob as never]);
  });
  afterAll(async () => t?.close());

  it('runs the session clean-up job in the worker and audits it', async () => {
    const scope = t.system();
    const user = await scope.em.findOneOrFail(User, { username: 'vanthu' });
    await scope.transaction(async (tx) => {
      tx.em.create(Session, { user, createdAt: new Date('2026-01-01'), expiresAt: new Date('2026-01-02') });
      tx.em.create(Session, { user, createdAt: new Date(), expiresAt: new Date(Date.now() + 3600_000) });
    });
    await t.rt.services.queue.send(sessionCleanupJob.name, { olderThanDays: 30 });
    await waitFor(async () => (await t.system().em.count(AuditEvent, { action: 'identity.session_cleanup' })) === 1);
    expect(await t.system().em.count(Session, {})).toBe(1);
  });

  it('enqueues after commit, and never for a rolled-back transaction', async () => {
    const scope = t.system();
    await scope.transaction(async (tx) => {
      enqueueAfterCommit(tx, t.rt.services, recordJob, { tag: 'committed' });
      tx.audit({ action: 'test.commit', targetType: 'test' });
    });
    await expect(
      scope.transaction(async (tx) => {
        enqueueAfterCommit(tx, t.rt.services, recordJob, { tag: 'rolled-back' });
        tx.audit({ action: 'test.rollback', targetType: 'test' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await waitFor(async () => seen.includes('committed'));
    await new Promise((r) => setTimeout(r, 1500));
    expect(seen).not.toContain('rolled-back');
    // The audit event of the failed transaction is gone with it.
    expect(await t.system().em.count(AuditEvent, { action: 'test.rollback' })).toBe(0);
    expect(await t.system().em.count(AuditEvent, { action: 'test.commit' })).toBe(1);
  });
});
