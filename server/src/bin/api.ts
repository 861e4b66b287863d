/**
 * The API process (stateless; run several replicas behind a load balancer in production).
 * Needs DATABASE_URL; `npm start` sets it when it runs embedded PostgreSQL.
 */
import http from 'node:http';
import express from 'express';
import { loadConfig } from '../config/config';
import { createApp } from '../http/app';
import { localFilesRouter } from '../infra/storage';
import { bootstrap } from '../runtime';
import { logger } from '../shared/logger';
import { onShutdown } from '../shared/shutdown';

async function main(): Promise<void> {
  process.env.CONGVAN_PROCESS ??= 'api';
  const config = loadConfig();
  const rt = await bootstrap(config, { queue: { supervise: false, schedule: false } });
  const routers = rt.services.storage.kind === 'local' ? [localRouter(rt)] : [];
  const { app, drain } = createApp(rt.services, { routers });
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  logger.info({ port: config.port }, 'API listening');
  process.send?.({ type: 'ready', port: config.port });

  onShutdown(async (signal) => {
    logger.info({ signal }, 'API shutting down: finishing requests');
    drain();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      setTimeout(() => server.closeAllConnections(), 10_000).unref();
      server.closeIdleConnections();
    });
    await rt.close();
    logger.info('API stopped');
  });
}

function localRouter(rt: Awaited<ReturnType<typeof bootstrap>>) {
  const r = express.Router();
  r.use('/files', localFilesRouter(rt.services.storage, rt.services.secret));
  return r;
}

main().catch((e) => {
  if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error(`Cổng ${process.env.PORT ?? 8080} đang được sử dụng (port in use). Dừng tiến trình khác hoặc đặt PORT khác.`);
    process.exit(3);
  }
  logger.error({ err: e }, 'API failed to start');
  process.exit(1);
});
