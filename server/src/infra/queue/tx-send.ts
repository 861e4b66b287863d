/**
 * Writes a pg-boss job INSIDE the caller's database transaction (transactional enqueue): the job exists
 * if and only if the change that caused it commits. pg-boss 10 `send(name, data, { db })` runs its INSERT
 * through the `db.executeSql` it is given; here that is the MikroORM transaction's knex connection.
 *
 * pg-boss writes `$1…$n` placeholders and knex takes `?`: the SQL is rewritten occurrence by occurrence
 * (a `$n` used twice gets its value twice), and literal `?` are escaped. The PgBoss instance below is
 * never started and owns no connection: it only validates options and builds the SQL.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import PgBoss from 'pg-boss';
import { toPgBossSendOptions } from './pgboss.queue';
import { JOB_CHANNEL, type SendOptions } from './queue';

const sqlBuilder = new PgBoss({
  db: {
    executeSql: () => Promise.reject(new Error('tx-send: every statement must run on the transaction connection')),
  },
});

/** The raw-SQL side of a knex transaction (MikroORM's transaction context), with `?` bindings as parameters. */
export interface KnexLike {
  raw(sql: string, bindings: readonly unknown[]): PromiseLike<{ rows: unknown[] }>;
}

/** `$n` placeholders → knex `?` bindings (exported for the unit test). */
export function toKnexBindings(text: string, values: readonly unknown[]): { sql: string; bindings: unknown[] } {
  const bindings: unknown[] = [];
  const sql = text.replace(/\?/g, '\\?').replace(/\$(\d+)/g, (_m, n: string) => {
    const i = Number(n) - 1;
    if (i < 0 || i >= values.length) throw new Error(`tx-send: placeholder $${n} has no value`);
    const v = values[i];
    bindings.push(v === undefined ? null : v);
    return '?';
  });
  return { sql, bindings };
}

/**
 * Inserts the job on `em`'s current transaction and returns its id. Throws (so the transaction fails)
 * when there is no transaction, or when pg-boss inserted nothing: the queue was not created at start-up.
 */
export async function sendInTransaction(em: EntityManager, name: string, data: object, opts: SendOptions = {}): Promise<string> {
  const trx = em.getTransactionContext() as KnexLike | undefined;
  if (!trx) throw new Error(`enqueue "${name}": not inside a transaction`);
  const db: PgBoss.Db = {
    executeSql: async (text, values) => {
      const { sql, bindings } = toKnexBindings(text, values ?? []);
      const res = await trx.raw(sql, bindings);
      return { rows: res.rows };
    },
  };
  const id = await sqlBuilder.send(name, data, { ...toPgBossSendOptions(opts), db });
  if (!id) throw new Error(`enqueue "${name}": the queue does not exist (queues are created at start-up from the job registry)`);
  await notifyJob(trx, name);
  return id;
}

/** Wakes the workers of `name` when the transaction commits (NOTIFY is transactional; repeated payloads fold). */
export async function notifyJob(trx: KnexLike, name: string): Promise<void> {
  await trx.raw(`select pg_notify(?, ?)`, [JOB_CHANNEL, name]);
}
