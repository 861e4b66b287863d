import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createApp } from '../../../server/src/http/app';
import { localFilesRouter } from '../../../server/src/infra/storage';
import { startJobWorkers } from '../../../server/src/jobs/worker';
import { exchangeJobs } from '../../../server/src/modules/exchange/exchange.jobs';
import type { JobDefinition } from '../../../server/src/jobs/job';
import { createTestRuntime, type TestRuntime } from './runtime';

export interface TestServer {
  url: string;
  runtime: TestRuntime;
  stop(): Promise<void>;
}

/**
 * The real API (express + yoga + services) on 127.0.0.1, port 0, over a fresh database
 * (demo province by default), serving web/dist when it has been built.
 * `workers`: job handlers run in process as in `npm start` — by default the exchange jobs (delivery to
 * recipient agencies and their statuses, issue 13); 'none' for a server without workers.
 */
export async function startTestServer(opts: { demo?: boolean; env?: Record<string, string>; workers?: 'exchange' | 'none' } = {}): Promise<TestServer> {
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
  // The real worker loop (pg-boss handlers with leases) for the exchange jobs, without the OCR engines.
  if ((opts.workers ?? process.env.CONGVAN_TEST_WORKERS ?? 'exchange') === 'exchange') await startJobWorkers(services, {}, exchangeJobs as JobDefinition<never>[]);
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
