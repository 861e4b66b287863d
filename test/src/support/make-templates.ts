/**
 * Run by the jest global setup (under tsx): creates `congvan_template` (all migrations + pg-boss schema)
 * and `congvan_demo` (a clone of it plus the demo province), marked as templates for fast cloning.
 */
import pg from 'pg';
import PgBoss from 'pg-boss';
import { migrate, initOrm } from '../../../server/src/db/orm';
import { Scope } from '../../../server/src/shared/scope';
import { seedDemoProvince } from '../../../server/src/seed/steps';

async function exec(base: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: `${base}/postgres` });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** `congvan_template`: every migration and the pg-boss schema, marked as a template. */
async function buildTemplate(base: string, name: string): Promise<void> {
  await exec(base, `DROP DATABASE IF EXISTS ${name}`);
  await exec(base, `CREATE DATABASE ${name}`);
  const url = `${base}/${name}`;
  const orm = await initOrm(url, 2);
  try {
    await migrate(orm);
  } finally {
    await orm.close(true);
  }
  const boss = new PgBoss({ connectionString: url, max: 1, supervise: false, schedule: false });
  await boss.start();
  await boss.stop({ graceful: false, wait: true });
  await exec(base, `ALTER DATABASE ${name} WITH is_template true`);
}

/** `congvan_demo`: a clone of the template (the same schema, not migrated twice) with the demo province. */
async function buildDemo(base: string, name: string, template: string): Promise<void> {
  await exec(base, `DROP DATABASE IF EXISTS ${name}`);
  await exec(base, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const orm = await initOrm(`${base}/${name}`, 2);
  try {
    await seedDemoProvince(new Scope(orm.em.fork(), null));
  } finally {
    await orm.close(true);
  }
  await exec(base, `ALTER DATABASE ${name} WITH is_template true`);
}

async function main(): Promise<void> {
  const base = process.env.CONGVAN_TEST_PG;
  if (!base) throw new Error('CONGVAN_TEST_PG not set');
  await buildTemplate(base, 'congvan_template');
  await buildDemo(base, 'congvan_demo', 'congvan_template');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
