/**
 * Set-based writes of the exchange's batch paths (a fan-out to hundreds of agencies): audit events in one
 * statement instead of one ORM entity each. Same table, same columns, same transaction as `tx.audit`.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AuditInput, Tx } from '../../../shared/scope';
import { newId } from '../../../shared/ids';

/** From this many rows of one message on, the exchange works set-based (batch jobs, bulk writes). */
export const FANOUT_BATCH_MIN = 4;
/** At most this many rows per batch (one package, one inbox transaction). */
export const FANOUT_BATCH_MAX = 1000;

interface KnexLike {
  raw(sql: string, bindings: readonly unknown[]): PromiseLike<{ rows: unknown[] }>;
}

/**
 * Runs one SQL statement with `?` bindings sent as query PARAMETERS (on the current transaction of `em`, if
 * any): `em.execute` inlines every value into the SQL text first, which costs dearly for a record set of a
 * thousand rows.
 */
export async function rawExecute<T>(em: EntityManager, sql: string, bindings: readonly unknown[]): Promise<T[]> {
  const trx = (em.getTransactionContext() as KnexLike | undefined) ?? (em.getConnection().getKnex() as unknown as KnexLike);
  return (await trx.raw(sql, bindings)).rows as T[];
}

/**
 * Writes the audit events in `tx`: a few through `tx.audit`, many with ONE `INSERT … SELECT FROM
 * jsonb_to_recordset` (the actor and agency as `tx.audit` sets them; no request IP: batch work is the system's).
 */
export async function auditMany(tx: Tx, events: readonly AuditInput[]): Promise<void> {
  if (events.length < FANOUT_BATCH_MIN) {
    for (const e of events) tx.audit(e);
    return;
  }
  const at = new Date().toISOString();
  const rows = events.map((e) => ({
    id: newId(),
    at,
    actor_id: tx.actor?.userId ?? null,
    agency_id: e.agencyId ?? tx.actor?.agencyId ?? null,
    action: e.action,
    target_type: e.targetType,
    target_id: e.targetId ?? null,
    data: e.data ?? null,
  }));
  await rawExecute(
    tx.em,
    `insert into audit_event (id, at, actor_id, agency_id, action, target_type, target_id, data, ip)
     select x.id, x.at, x.actor_id, x.agency_id, x.action, x.target_type, x.target_id, x.data, null
       from jsonb_to_recordset(?::jsonb) as x(id uuid, at timestamptz, actor_id uuid, agency_id uuid, action text, target_type text, target_id uuid, data jsonb)`,
    [JSON.stringify(rows)],
  );
}
