/**
 * Many jobs in ONE statement, inside the caller's transaction (the bulk twin of `tx.enqueue`): pg-boss 10
 * `insert(jobs, { db })` run on the transaction's connection, so the jobs exist exactly when the transaction
 * commits. Used by the exchange where one change queues hundreds of jobs (a fan-out to many agencies).
 * The jobs get the settings of their queue (retries, dead letter), as `send` gives them.
 */
import crypto from 'node:crypto';
import PgBoss from 'pg-boss';
import type { Tx } from '../../../shared/scope';
import { notifyJob, toKnexBindings, type KnexLike } from '../../../infra/queue/tx-send';

const sqlBuilder = new PgBoss({
  db: { executeSql: () => Promise.reject(new Error('enqueueMany: every statement must run on the transaction connection')) },
});

/** Inserts one `job` per element of `data` in `tx`; returns their ids. Throws when the queue does not exist. */
export async function enqueueMany<T extends object>(tx: Tx, job: { name: string }, data: readonly T[]): Promise<string[]> {
  if (!data.length) return [];
  if (data.length === 1) return [await tx.enqueue(job, data[0])];
  const trx = tx.em.getTransactionContext() as KnexLike | undefined;
  if (!trx) throw new Error(`enqueueMany "${job.name}": not inside a transaction`);
  const ids = data.map(() => crypto.randomUUID());
  const db: PgBoss.Db = {
    executeSql: async (text, values) => {
      const { sql, bindings } = toKnexBindings(text, values ?? []);
      const res = await trx.raw(sql, bindings);
      return { rows: res.rows };
    },
  };
  await sqlBuilder.insert(
    data.map((d, i) => ({ id: ids[i], name: job.name, data: d as object })),
    { db },
  );
  const n = (await trx.raw(`select count(*)::int as n from pgboss.job where name = ? and id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[])`, [job.name, JSON.stringify(ids)])).rows as { n: number }[];
  if (n[0].n !== ids.length) throw new Error(`enqueueMany "${job.name}": ${n[0].n} of ${ids.length} jobs inserted (the queue does not exist?)`);
  await notifyJob(trx, job.name);
  return ids;
}
