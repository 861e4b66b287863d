import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../../server/src/config/config';
import { bootstrap, type Runtime } from '../../../server/src/runtime';
import { Scope, type Actor } from '../../../server/src/shared/scope';
import { toActor } from '../../../server/src/modules/identity/identity.service';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { createTestDatabase, type TestDatabase } from './db';

export interface TestRuntime {
  rt: Runtime;
  config: Config;
  db: TestDatabase;
  dataDir: string;
  /** A Scope acting as the named user (loads roles, agency and unit from the database). */
  as(username: string): Promise<Scope>;
  /** A Scope for the system (no actor). */
  system(): Scope;
  close(): Promise<void>;
}

/**
 * The real services (ORM, local object storage in a temp dir, pg-boss queue) on a fresh database.
 * Env overrides go to the configuration as environment variables would.
 */
export async function createTestRuntime(opts: { demo?: boolean; env?: Record<string, string> } = {}): Promise<TestRuntime> {
  const db = await createTestDatabase({ demo: opts.demo ?? true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-test-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    CONGVAN_DATA_DIR: dataDir,
    DATABASE_URL: db.url,
    AUTH_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    DATABASE_POOL_MAX: '5',
    PORT: '0',
    ...opts.env,
  });
  const rt = await bootstrap(config, { queue: { supervise: false, schedule: false } });
  return {
    rt,
    config,
    db,
    dataDir,
    system: () => new Scope(rt.orm.em.fork(), null),
    as: async (username: string) => {
      const em = rt.orm.em.fork();
      const u = await em.findOneOrFail(User, { username }, { populate: ['agency', 'unit'] });
      const actor: Actor = toActor(u, null);
      return new Scope(rt.orm.em.fork(), actor);
    },
    close: async () => {
      await rt.close();
      await db.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
