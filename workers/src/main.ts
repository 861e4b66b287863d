/**
 * The worker process: runs the job handlers of every module (server/src/jobs) on pg-boss queues,
 * with the heavy engines (OCR) that the API never loads. Needs DATABASE_URL.
 */
import { loadConfig } from '../../server/src/config/config';
import { startJobWorkers } from '../../server/src/jobs/worker';
import { bootstrap } from '../../server/src/runtime';
import { logger } from '../../server/src/shared/logger';
import { onShutdown } from '../../server/src/shared/shutdown';
import { startWorkerOcrEngine } from './ocr-worker';

/**
 * tesseract.js can throw from its worker-message listener (a reply to a job it no longer tracks). That
 * call then times out and its worker is replaced (workers/src/ocr/engine.ts): keep serving the other jobs.
 * Any other uncaught exception still ends the process.
 */
process.on('uncaughtException', (err) => {
  if (err instanceof Error && /tesseract\.js/.test(err.stack ?? '')) {
    logger.error({ err }, 'tesseract.js worker fault: the affected page will be retried');
    return;
  }
  logger.fatal({ err }, 'uncaught exception');
  process.exit(1);
});

async function main(): Promise<void> {
  process.env.CONGVAN_PROCESS ??= 'workers';
  const config = loadConfig();
  const rt = await bootstrap(config);
  // One OCR engine for this process, created once and reused, with the language model and directory learnt
  // from the deployment's database (refreshed hourly).
  const ocr = await startWorkerOcrEngine(rt, config);
  await startJobWorkers(rt.services, { ocr: ocr.engine });
  logger.info({ fast: config.fastConcurrency, ocr: config.ocrConcurrency }, 'workers started');
  process.send?.({ type: 'ready' });
  onShutdown(async (signal) => {
    logger.info({ signal }, 'workers stopping: finishing current jobs');
    await rt.close();
    await ocr.close();
    logger.info('workers stopped');
  });
}

main().catch((e) => {
  logger.error({ err: e }, 'workers failed to start');
  process.exit(1);
});
