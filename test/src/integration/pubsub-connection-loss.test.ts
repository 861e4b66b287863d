/**
 * The cross-process event bus (LISTEN/NOTIFY, server/src/infra/pubsub/pg-event-target.ts) survives
 * PostgreSQL closing its connections (a restart, a shutdown while the API drains): an idle pooled
 * publisher connection that dies must not raise an unhandled 'error' event (which ended the API process),
 * and events flow again once the listener has reconnected.
 */
import pg from 'pg';
import { createPgEventTarget, type PgEventTarget } from '../../../server/src/infra/pubsub/pg-event-target';
import { createTestDatabase, type TestDatabase } from '../support/db';

jest.setTimeout(30_000);

let db: TestDatabase;
let bus: PgEventTarget;

beforeAll(async () => {
  db = await createTestDatabase();
  bus = await createPgEventTarget(db.url);
});

afterAll(async () => {
  await bus?.close();
  await db?.drop();
});

/** Publishes until this process hears its own event back (the listener may still be reconnecting). */
async function roundTrip(tag: string): Promise<unknown> {
  const heard = new Promise<unknown>((resolve) => bus.addEventListener('probe', (e) => (e as CustomEvent).detail && resolve((e as CustomEvent).detail)));
  const deadline = Date.now() + 20_000;
  for (;;) {
    bus.dispatchEvent(new CustomEvent('probe', { detail: { tag } }));
    const got = await Promise.race([heard, new Promise((r) => setTimeout(() => r(undefined), 300))]);
    if (got) return got;
    if (Date.now() > deadline) throw new Error('no event came back');
  }
}

it('keeps working after PostgreSQL terminated all its connections', async () => {
  expect(await roundTrip('before')).toEqual({ tag: 'before' });
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  try {
    const r = await admin.query('select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
    expect(r.rows.length).toBeGreaterThanOrEqual(2); // the listener and the idle publisher connection
  } finally {
    await admin.end();
  }
  // Without an 'error' listener on the publisher pool, the dead idle connection throws here (uncaught).
  expect(await roundTrip('after')).toEqual({ tag: 'after' });
});
