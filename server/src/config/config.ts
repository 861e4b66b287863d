import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { checkDemoPeerUrl, parsePeersEnv } from '../modules/exchange/peers/peers-env';

/**
 * All configuration comes from environment variables (documented in README.md).
 * Embedded defaults: no DATABASE_URL → embedded PostgreSQL under CONGVAN_DATA_DIR;
 * no S3_ENDPOINT → local-disk object storage under CONGVAN_DATA_DIR/objects.
 */
const bool = (def: boolean) =>
  z
    .string()
    .optional()
    .transform((v) => (v === undefined || v === '' ? def : !['0', 'false', 'no', 'off'].includes(v.toLowerCase())));
const int = (def: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return def;
      const n = Number(v);
      if (!Number.isInteger(n)) {
        ctx.addIssue({ code: 'custom', message: `not an integer: ${v}` });
        return z.NEVER;
      }
      return n;
    });

const EnvSchema = z.object({
  NODE_ENV: z.string().default('development'),
  PORT: int(8080),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.string().optional(),
  CONGVAN_DATA_DIR: z.string().default('./.data'),
  CONGVAN_DEMO: bool(true),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_MAX: int(10),
  EMBEDDED_PG_PORT: int(54329),
  AUTH_SECRET: z.string().min(32).optional(),
  SESSION_TTL_HOURS: int(12),
  LOGIN_MAX_FAILURES: int(5),
  LOGIN_LOCK_MINUTES: int(15),
  LOGIN_DELAY_SECONDS: int(5),
  LOGIN_MAX_DELAY_SECONDS: int(300),
  LOGIN_NAME_MAX_FAILURES: int(50),
  CORS_ORIGINS: z.string().optional(),
  TRUST_PROXY: z.string().optional(),
  METRICS_TOKEN: z.string().optional(),
  INTROSPECTION: z.string().optional(),
  S3_ENDPOINT: z.string().optional(),
  S3_PORT: int(0),
  S3_USE_SSL: bool(false),
  S3_ACCESS_KEY: z.string().optional(),
  S3_SECRET_KEY: z.string().optional(),
  S3_BUCKET: z.string().default('congvan'),
  S3_REGION: z.string().default('us-east-1'),
  S3_PUBLIC_URL: z.string().optional(),
  JOB_LEASE_SECONDS: int(30),
  JOB_MAINTENANCE_SECONDS: int(10),
  CONGVAN_EXCHANGE_LEASE_SECONDS: int(120),
  OCR_CONCURRENCY: int(Math.max(1, os.availableParallelism())),
  OCR_KNOWLEDGE_REFRESH_MINUTES: int(60),
  FAST_CONCURRENCY: int(4),
  LOG_LEVEL: z.string().default('info'),
  SERVE_WEB: bool(true),
  WEB_DIST: z.string().optional(),
  MAX_BODY_BYTES: int(1024 * 1024),
  MAX_UPLOAD_BYTES: int(50 * 1024 * 1024),
  GRAPHQL_MAX_DEPTH: int(12),
  GRAPHQL_MAX_COST: int(20000),
  GRAPHIQL: z.string().optional(),
});

/** `1`/`true`/`yes`/`on` → true, `0`/`false`/`no`/`off` → false, unset → the default. */
const flag = (v: string | undefined, def: boolean): boolean => (v === undefined || v === '' ? def : !['0', 'false', 'no', 'off'].includes(v.toLowerCase()));

/** An origin (`scheme://host[:port]`) from a URL; throws on anything else. */
export function originOf(url: string): string {
  const u = new URL(url);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`not an http(s) URL: ${url}`);
  return u.origin;
}

/**
 * express's `trust proxy` from TRUST_PROXY: unset/`0`/`false` → off (req.ip is the socket address, which a
 * client cannot spoof), a hop count (`1`), or a comma list of proxy addresses/subnets/names express accepts
 * (`loopback`, `10.0.0.0/8`, `172.16.0.0/12`). `true` (trust every hop) is refused: X-Forwarded-For would be
 * the client's own choice.
 */
export function parseTrustProxy(v: string | undefined): false | number | string[] {
  const t = (v ?? '').trim();
  if (!t || ['0', 'false', 'no', 'off'].includes(t.toLowerCase())) return false;
  if (/^\d+$/.test(t)) return Number(t);
  if (['true', 'yes', 'on', '*'].includes(t.toLowerCase())) throw new Error('TRUST_PROXY=true would trust any X-Forwarded-For: give a hop count or the proxy addresses');
  return t.split(',').map((x) => x.trim()).filter(Boolean);
}

export type Config = {
  env: string;
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  demo: boolean;
  databaseUrl: string | undefined;
  databasePoolMax: number;
  embeddedPgPort: number;
  authSecret: string | undefined;
  sessionTtlHours: number;
  /** Failed logins per (login name, client address) before each further attempt must wait. */
  loginMaxFailures: number;
  /** Window (minutes) after which failed logins are forgotten. */
  loginLockMinutes: number;
  /** First wait after loginMaxFailures failures; doubles with every further failure, up to loginMaxDelaySeconds. */
  loginDelaySeconds: number;
  loginMaxDelaySeconds: number;
  /** Failures of one login name from all addresses in the window after which every address gets only one free try. */
  loginNameMaxFailures: number;
  /** Origins allowed for CORS and cookie-authenticated requests, besides PUBLIC_URL's origin. */
  corsOrigins: string[];
  /** express `trust proxy` (false = the socket address is the client's address). */
  trustProxy: false | number | string[];
  /** Bearer token required by /metrics (when unset: open in development, refused in production). */
  metricsToken: string | undefined;
  /** GraphQL introspection (default: on except in production). */
  introspection: boolean;
  s3:
    | {
        endPoint: string;
        port: number | undefined;
        useSSL: boolean;
        accessKey: string;
        secretKey: string;
        bucket: string;
        region: string;
        /** Browser-facing origin presigned URLs are signed for (default: the endpoint). */
        publicUrl: string | undefined;
      }
    | undefined;
  bucket: string;
  /**
   * Seconds a running job's lease lasts (renewed every third of it while its handler runs): how long after a
   * worker dies its job waits before pg-boss hands it back.
   */
  jobLeaseSeconds: number;
  /** How often a worker runs pg-boss maintenance (the expiry of lost leases among it). */
  jobMaintenanceSeconds: number;
  /** How long an outgoing edXML package a dispatcher claimed stays "sending" before another may take it over. */
  exchangeLeaseSeconds: number;
  ocrConcurrency: number;
  /** How often the OCR workers re-learn the deployment's texts, agencies and people (LM, directory). */
  ocrKnowledgeRefreshMinutes: number;
  fastConcurrency: number;
  logLevel: string;
  serveWeb: boolean;
  webDist: string;
  maxBodyBytes: number;
  maxUploadBytes: number;
  graphqlMaxDepth: number;
  graphqlMaxCost: number;
  graphiql: boolean;
};

/**
 * Repository root: the nearest ancestor holding schema/ and the workspace package.json. Works from the
 * sources (server/src/config) and from the compiled output (dist/server/src/config).
 */
export const repoRoot = ((): string => {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'schema', 'base.graphql')) && fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(__dirname, '..', '..', '..');
    dir = parent;
  }
})();

/** `n` when it lies in [min, max]. */
function within(n: number, min: number, max: number): number {
  if (n < min || n > max) throw new Error(`must be between ${min} and ${max}, got ${n}`);
  return n;
}

/** Parses one setting, reporting a failure as a configuration error that names the variable. */
function setting<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new Error(`Invalid configuration:\n  ${name}: ${(e as Error).message}`, { cause: e });
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${lines}`);
  }
  const e = parsed.data;
  // Peers of the exchange (issue 13): a malformed value stops the process here, not at the first exchange.
  setting('CONGVAN_PEERS', () => parsePeersEnv(env.CONGVAN_PEERS));
  setting('CONGVAN_DEMO_PEER_URL', () => checkDemoPeerUrl(env.CONGVAN_DEMO_PEER_URL, e.NODE_ENV));
  const dataDir = path.resolve(e.CONGVAN_DATA_DIR);
  let s3: Config['s3'];
  if (e.S3_ENDPOINT) {
    if (!e.S3_ACCESS_KEY || !e.S3_SECRET_KEY) throw new Error('S3_ENDPOINT is set but S3_ACCESS_KEY / S3_SECRET_KEY are not');
    s3 = {
      endPoint: e.S3_ENDPOINT,
      port: e.S3_PORT || undefined,
      useSSL: e.S3_USE_SSL,
      accessKey: e.S3_ACCESS_KEY,
      secretKey: e.S3_SECRET_KEY,
      bucket: e.S3_BUCKET,
      region: e.S3_REGION,
      publicUrl: e.S3_PUBLIC_URL || undefined,
    };
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    dataDir,
    demo: e.CONGVAN_DEMO,
    databaseUrl: e.DATABASE_URL || undefined,
    databasePoolMax: e.DATABASE_POOL_MAX,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    authSecret: e.AUTH_SECRET,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    loginMaxFailures: e.LOGIN_MAX_FAILURES,
    loginLockMinutes: e.LOGIN_LOCK_MINUTES,
    loginDelaySeconds: e.LOGIN_DELAY_SECONDS,
    loginMaxDelaySeconds: e.LOGIN_MAX_DELAY_SECONDS,
    loginNameMaxFailures: e.LOGIN_NAME_MAX_FAILURES,
    corsOrigins: setting('CORS_ORIGINS', () =>
      (e.CORS_ORIGINS ?? '')
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean)
        .map(originOf),
    ),
    trustProxy: setting('TRUST_PROXY', () => parseTrustProxy(e.TRUST_PROXY)),
    metricsToken: e.METRICS_TOKEN || undefined,
    introspection: flag(e.INTROSPECTION, e.NODE_ENV !== 'production'),
    s3,
    bucket: e.S3_BUCKET,
    jobLeaseSeconds: setting('JOB_LEASE_SECONDS', () => within(e.JOB_LEASE_SECONDS, 3, 3600)),
    jobMaintenanceSeconds: setting('JOB_MAINTENANCE_SECONDS', () => within(e.JOB_MAINTENANCE_SECONDS, 1, 600)),
    exchangeLeaseSeconds: setting('CONGVAN_EXCHANGE_LEASE_SECONDS', () => within(e.CONGVAN_EXCHANGE_LEASE_SECONDS, 5, 3600)),
    ocrConcurrency: e.OCR_CONCURRENCY,
    ocrKnowledgeRefreshMinutes: e.OCR_KNOWLEDGE_REFRESH_MINUTES,
    fastConcurrency: e.FAST_CONCURRENCY,
    logLevel: e.LOG_LEVEL,
    serveWeb: e.SERVE_WEB,
    webDist: path.resolve(e.WEB_DIST ?? path.join(repoRoot, 'web', 'dist')),
    maxBodyBytes: e.MAX_BODY_BYTES,
    maxUploadBytes: e.MAX_UPLOAD_BYTES,
    graphqlMaxDepth: e.GRAPHQL_MAX_DEPTH,
    graphqlMaxCost: e.GRAPHQL_MAX_COST,
    graphiql: flag(e.GRAPHIQL, e.NODE_ENV !== 'production'),
  };
}
