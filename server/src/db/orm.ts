/**
 * MikroORM setup (PostgreSQL). Query logging stays off, and must never use the `query-params` namespace:
 * parameters carry users' data (the trích yếu of secret documents). Driver errors are logged through the
 * logger's `err` serialiser, which drops the SQL text and its values (shared/logger.ts).
 */
import 'reflect-metadata';
import { MikroORM, type Options } from '@mikro-orm/postgresql';
import path from 'node:path';
import { migrations } from '../shared/lazy-modules';
import { logger } from '../shared/logger';
import { entities } from './entities';
import type { migrationsList as MigrationsList } from './migrations';

export type Orm = MikroORM;

export function ormOptions(clientUrl: string, poolMax = 10): Options {
  return {
    clientUrl,
    entities,
    discovery: { warnWhenNoEntities: true, requireEntitiesArray: true },
    pool: { min: 0, max: poolMax },
    // Never share one identity map across requests/jobs: every unit of work forks.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: false, // never ['query-params']: parameters are users' data
    logger: (msg) => logger.debug({ orm: msg }),
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: path.join(__dirname, 'migrations'),
      pathTs: path.join(__dirname, 'migrations'),
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      snapshot: false,
    },
  };
}

export async function initOrm(clientUrl: string, poolMax = 10): Promise<MikroORM> {
  return MikroORM.init(ormOptions(clientUrl, poolMax));
}

/** The migrator, registered on first use (the extension's library is loaded only by a process that migrates). */
export function migrator(orm: MikroORM) {
  const { Migrator } = migrations();
  if (!orm.config.getExtension('@mikro-orm/migrator')) {
    // the migration classes extend the extension's base class: they load with it
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (shared/lazy-modules.ts)
    orm.config.get('migrations').migrationsList = (require('./migrations') as { migrationsList: typeof MigrationsList }).migrationsList;
    Migrator.register(orm);
  }
  return orm.migrator;
}

/** Applies pending migrations; returns the names applied. */
export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await migrator(orm).up();
  return applied.map((m) => m.name);
}
