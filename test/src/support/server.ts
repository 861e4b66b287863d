import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createApp } from '../../../server/src/http/app';
import { localFilesRouter } from '../../../server/src/infra/storage';
import { createTestRuntime, type TestRuntime } from './runtime';

export interface TestServer {
  url: string;
  runtime: TestRuntime;
  stop(): Promise<void>;
}

/**
 * The real API (express + yoga + services) on 127.0.0.1, port 0, over a fresh database
 * (demo province by default), serving web/dist when it has been built.
 */
export async function startTestServer(opts: { demo?: boolean; env?: Record<string, string> } = {}): Promise<TestServer> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  // The public URL must be known before the services are built (local signed file URLs point at it).
  const runtime = await createTestRuntime({ ...opts, env: { PUBLIC_URL: url, ...opts.env } });
  const { services } = runtime.rt;
  const routers: express.Router[] = [];
  if (services.storage.kind === 'local') {
    const r = express.Router();
    r.use('/files', localFilesRouter(services.storage, services.secret));
    routers.push(r);
  }
  const { app } = createApp(services, { routers });
  server.on('request', app);
  return {
    url,
    runtime,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await runtime.close();
    },
  };
}
