/**
 * The HTTP surface (express 5): /graphql (yoga), /healthz, /readyz, /metrics (bearer METRICS_TOKEN), signed
 * file downloads and the built web client. The client address is the socket's unless TRUST_PROXY names the
 * proxies in front of us.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Plugin } from 'graphql-yoga';
import pg from 'pg';
import { mediaType } from '../graphql/context';
import { createGraphQLHandler, MULTIPART_OVERHEAD_BYTES } from '../graphql/yoga';
import type { Services } from '../services';
import { logger } from '../shared/logger';
import { httpDuration, registry } from './metrics';
import { exchangeRouter } from '../modules/exchange/http/exchange-router';
import { pkiRouter } from '../modules/signing/pki-router';

/** Whether a /metrics request may read the metrics (constant-time token comparison). */
export function metricsAllowed(config: { metricsToken: string | undefined; env: string }, authorization: string | undefined): boolean {
  if (!config.metricsToken) return config.env !== 'production';
  const m = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (!m) return false;
  const a = crypto.createHash('sha256').update(m[1].trim()).digest();
  const b = crypto.createHash('sha256').update(config.metricsToken).digest();
  return crypto.timingSafeEqual(a, b);
}

function graphqlError(res: Response, status: number, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT', http: { status } } }] });
}

/**
 * A multipart body without a Content-Length (chunked) is counted as it streams to GraphQL. Past `limit` the
 * client gets 413 at once and the rest of its body is read off and dropped, so that a client still sending
 * reads the answer: refusing by destroying the request (what yoga's own limit did) reset the connection under
 * the client's last writes (ECONNRESET, no 413). Reading off is bounded by the server's requestTimeout.
 * yoga reads the counted stream: @whatwg-node takes an async-iterable `req.body` as the request body.
 */
function countedMultipartBody(req: Request, res: Response, limit: number, refuse: () => void): void {
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes <= limit) return cb(null, chunk);
      req.unpipe(counted);
      // after the pipe's own pause() for this write's refusal
      setImmediate(() => req.resume());
      if (!res.headersSent) refuse();
      cb(new Error('Request body too large'));
    },
  });
  req.on('error', (e) => counted.destroy(e));
  req.pipe(counted);
  (req as { body?: unknown }).body = counted;
}

/**
 * The HTTP surface: /graphql (yoga), /healthz, /readyz, /metrics, signed file downloads,
 * and the built web client with SPA fallback.
 */
export function createApp(services: Services, opts: { routers?: express.Router[]; yogaPlugins?: Plugin[] } = {}) {
  const { config } = services;
  const app = express();
  app.disable('x-powered-by');
  // Off by default: with `true`, any client could choose its address (X-Forwarded-For) and escape the login throttle.
  app.set('trust proxy', config.trustProxy);
  let draining = false;

  app.use((req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const route = req.path.startsWith('/graphql') ? '/graphql' : req.path.startsWith('/files') ? '/files' : req.path.startsWith('/assets') ? '/assets' : req.path;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      httpDuration.observe({ route: route.length > 40 ? 'other' : route, method: req.method, status: String(res.statusCode) }, seconds);
      if (route !== '/assets') logger.debug({ method: req.method, url: req.originalUrl, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'http');
    });
    if (draining) res.setHeader('Connection', 'close');
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Liên thông: the signed exchange endpoints for peer deployments (issue 13; bodies streamed, never parsed here).
  app.use(exchangeRouter({ peers: services.peers, receiver: () => services.exchange?.receiver ?? null, draining: () => draining }));
  // The CRLs of the CAs this deployment runs (public: peers check our signatures' revocation with them).
  app.use(pkiRouter(() => services.signing.ca));

  app.get('/readyz', async (_req, res) => {
    if (draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    // A NEW connection, not a pooled one: during a smart shutdown PostgreSQL still serves open sessions
    // but refuses new ones, and this replica must then stop getting traffic.
    const client = new pg.Client({ connectionString: services.orm.config.get('clientUrl'), connectionTimeoutMillis: 3000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('select 1');
      res.json({ status: 'ready' });
    } catch (e) {
      logger.warn({ err: e }, 'readiness check failed');
      res.status(503).json({ status: 'unavailable' });
    } finally {
      await client.end().catch(() => undefined);
    }
  });

  // /metrics: with METRICS_TOKEN set, only `Authorization: Bearer <METRICS_TOKEN>`; without it, open in
  // development and refused in production (process and route figures are not for the public).
  app.get('/metrics', async (req, res) => {
    if (!metricsAllowed(config, req.headers.authorization)) {
      res.status(config.metricsToken ? 401 : 403).setHeader('WWW-Authenticate', 'Bearer realm="metrics"').type('text/plain');
      res.send(config.metricsToken ? 'Cần mã truy cập (METRICS_TOKEN).' : 'Chưa cấu hình METRICS_TOKEN: /metrics bị tắt trong môi trường production.');
      return;
    }
    res.setHeader('Content-Type', registry.contentType);
    res.send(await registry.metrics());
  });

  // Body limits before GraphQL: JSON bodies are parsed here (yoga reuses req.body); uploads have their own cap.
  app.use(
    '/graphql',
    (req: Request, res: Response, next: NextFunction) => {
      if (mediaType(req.headers['content-type']) !== 'multipart/form-data') return next();
      // Each file may reach MAX_UPLOAD_BYTES; the multipart framing gets a little room on top.
      const limit = config.maxUploadBytes + MULTIPART_OVERHEAD_BYTES;
      const refuse = () => graphqlError(res, 413, `Tệp tải lên vượt quá giới hạn ${Math.round(config.maxUploadBytes / 1048576)} MB.`);
      const declared = req.headers['content-length'];
      if (declared !== undefined && Number(declared) > limit) return refuse();
      if (declared === undefined) countedMultipartBody(req, res, limit, refuse);
      next();
    },
    express.json({ limit: config.maxBodyBytes, type: ['application/json', 'application/graphql-response+json'] }),
  );
  const yoga = createGraphQLHandler(services, opts.yogaPlugins);
  app.use('/graphql', yoga as unknown as express.RequestHandler);

  for (const r of opts.routers ?? []) app.use(r);

  if (config.serveWeb && fs.existsSync(path.join(config.webDist, 'index.html'))) {
    // The web client compressed (gzip or brotli, as the browser asks): its entry chunk is ≈ 1.3 MB, ≈ 200 kB
    // compressed. Only here: GraphQL (its SSE subscriptions among them) and /files go out as they are. In production
    // the web container's nginx serves these files compressed instead (web/nginx.conf).
    const compress = compression();
    // Hashed build assets never change: cache them for a year; a missing asset is a 404, not index.html.
    app.use('/assets', compress, express.static(path.join(config.webDist, 'assets'), { index: false, immutable: true, maxAge: '365d', fallthrough: false }));
    app.use(express.static(config.webDist, { index: false, maxAge: '1h' }));
    app.get(/^\/(?!graphql|files|healthz|readyz|metrics|assets\/).*/, compress, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(config.webDist, 'index.html'));
    });
  }

  // Errors raised before GraphQL (malformed JSON, body too large) get the GraphQL error shape.
  app.use((err: Error & { type?: string; status?: number }, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.too.large') return graphqlError(res, 413, `Nội dung yêu cầu vượt quá giới hạn ${Math.round(config.maxBodyBytes / 1024)} KB.`);
    if (err.type === 'entity.parse.failed') return graphqlError(res, 400, 'Nội dung yêu cầu không phải JSON hợp lệ.');
    if (err.status === 404) {
      res.status(404).type('text/plain').send('Không tìm thấy (not found)');
      return;
    }
    if (err.status && err.status >= 400 && err.status < 500) return graphqlError(res, err.status, 'Yêu cầu không hợp lệ.');
    logger.error({ err }, 'unhandled HTTP error');
    res.status(500).json({ errors: [{ message: 'Lỗi hệ thống. Vui lòng thử lại sau.', extensions: { code: 'INTERNAL' } }] });
  });

  return {
    app,
    /** Stop advertising readiness and ask keep-alive clients to go (graceful shutdown). */
    drain: () => {
      draining = true;
    },
  };
}
