import crypto from 'node:crypto';
import pg from 'pg';

/** The embedded PostgreSQL started by the jest global setup (root URL, no database). */
export function testPgBase(): string {
  const base = process.env.CONGVAN_TEST_PG;
  if (!base) throw new Error('CONGVAN_TEST_PG is not set: run tests through jest (global setup starts PostgreSQL)');
  return base;
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: `${testPgBase()}/postgres` });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated template (with the demo province when `demo`). */
export async function createTestDatabase(opts: { demo?: boolean } = {}): Promise<TestDatabase> {
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  await admin(`CREATE DATABASE ${name} TEMPLATE ${opts.demo ? 'congvan_demo' : 'congvan_template'}`);
  return {
    url: `${testPgBase()}/${name}`,
    name,
    drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
