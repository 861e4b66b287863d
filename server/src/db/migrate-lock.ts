import type { MikroORM } from '@mikro-orm/postgresql';
import { migrate } from './orm';

const LOCK_KEY = 0x43_56_4d_47; // "CVMG"

/** Applies pending migrations under a PostgreSQL advisory lock, so concurrent starters do not race. */
export async function migrateWithLock(orm: MikroORM): Promise<string[]> {
  const conn = orm.em.getConnection();
  const knex = conn.getKnex();
  // Hold a dedicated session-level lock on one pooled connection for the duration.
  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(?)', [LOCK_KEY]);
    return migrate(orm);
  });
}
