import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config/config';
import type { ObjectStorage } from './infra/storage/storage';
import type { JobQueue } from './infra/queue/queue';
import type { AppPubSub } from './infra/pubsub/pubsub';
import { IdentityService } from './modules/identity/identity.service';
import { TokenService } from './modules/identity/tokens';

/**
 * The application's long-lived services, built once per process (API or worker).
 * Request- and job-scoped state lives in a `Scope`, never here.
 */
export interface Services {
  config: Config;
  orm: MikroORM;
  storage: ObjectStorage;
  queue: JobQueue;
  tokens: TokenService;
  identity: IdentityService;
  secret: string;
  /** Cross-process pub/sub (PostgreSQL LISTEN/NOTIFY) for GraphQL subscriptions. */
  pubsub: AppPubSub;
}

export function createServices(deps: { config: Config; orm: MikroORM; storage: ObjectStorage; queue: JobQueue; secret: string; pubsub: AppPubSub }): Services {
  const tokens = new TokenService(deps.secret);
  return {
    ...deps,
    tokens,
    identity: new IdentityService(deps.config, tokens),
  };
}
