/**
 * Process bootstrap: the ORM pool, object storage, the job queue (with every queue of the job registry
 * created up front) and pub/sub, wired into the Services shared by the API, the workers and the CLI.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config/config';
import { initOrm } from './db/orm';
import { createStorage } from './infra/storage';
import { PgBossQueue } from './infra/queue/pgboss.queue';
import { allJobs } from './jobs';
import { queuesOf } from './jobs/job';
import { createPgEventTarget } from './infra/pubsub/pg-event-target';
import { createAppPubSub } from './infra/pubsub/pubsub';
import { createServices, type Services } from './services';
import { logger } from './shared/logger';

/**
 * The instance secret signs session tokens and local file URLs. AUTH_SECRET wins (required when several
 * API replicas run); otherwise one is generated once into <dataDir>/secret (mode 600) and reused.
 */
export function resolveSecret(config: Config): string {
  if (config.authSecret) return config.authSecret;
  if (config.env === 'production') throw new Error('AUTH_SECRET must be set in production (at least 32 characters, the same for every replica).');
  const file = path.join(config.dataDir, 'secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(config.dataDir, { recursive: true });
  const secret = crypto.randomBytes(48).toString('base64url');
  fs.writeFileSync(file, secret, { mode: 0o600, flag: 'wx' });
  return secret;
}

export interface Runtime {
  services: Services;
  orm: MikroORM;
  close(): Promise<void>;
}

/** Builds the long-lived parts of a process (ORM pool, storage, queue and its queues) from the configuration. */
export async function bootstrap(config: Config, opts: { databaseUrl?: string; secret?: string; queue?: { supervise?: boolean; schedule?: boolean } } = {}): Promise<Runtime> {
  const url = opts.databaseUrl ?? config.databaseUrl;
  if (!url) throw new Error('DATABASE_URL is not set');
  const secret = opts.secret ?? resolveSecret(config);
  const orm = await initOrm(url, config.databasePoolMax);
  const storage = createStorage(config, { secret, s3PublicUrl: config.s3?.publicUrl });
  await storage.ensureReady();
  const queue = new PgBossQueue(url, { max: 4, supervise: opts.queue?.supervise, schedule: opts.queue?.schedule, maintenanceSeconds: config.jobMaintenanceSeconds });
  await queue.start();
  // Every queue of the job registry exists before any transaction writes a job into it (tx.enqueue).
  await queue.ensureQueues(queuesOf(allJobs));
  const events = await createPgEventTarget(url);
  const services = createServices({ config, orm, storage, queue, secret, pubsub: createAppPubSub(events) });
  return {
    services,
    orm,
    close: async () => {
      await queue.stop().catch((e) => logger.warn({ err: e }, 'queue stop failed'));
      await events.close();
      await services.signing.pool.close().catch(() => undefined); // signing worker threads (issue 12)
      await orm.close(true);
    },
  };
}
