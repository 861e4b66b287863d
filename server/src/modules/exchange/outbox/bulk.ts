/**
 * Set-based writes of the exchange's batch paths (a fan-out to hundreds of agencies); their audit events go
 * through `tx.auditMany` (shared/scope.ts).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { KnexLike } from '../../../infra/queue/tx-send';

/** From this many rows of one message on, the exchange works set-based (batch jobs, bulk writes). */
export const FANOUT_BATCH_MIN = 4;
/** At most this many rows per batch (one package, one inbox transaction). */
export const FANOUT_BATCH_MAX = 1000;

/**
 * Runs one SQL statement with `?` bindings sent as query PARAMETERS (on the current transaction of `em`, if
 * any): `em.execute` inlines every value into the SQL text first, which costs dearly for a record set of a
 * thousand rows.
 */
export async function rawExecute<T>(em: EntityManager, sql: string, bindings: readonly unknown[]): Promise<T[]> {
  const trx = (em.getTransactionContext() as KnexLike | undefined) ?? (em.getConnection().getKnex() as unknown as KnexLike);
  return (await trx.raw(sql, bindings)).rows as T[];
}
