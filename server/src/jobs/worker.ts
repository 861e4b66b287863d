import type { Services } from '../services';
import { logger } from '../shared/logger';
import { QUEUES } from '../infra/queue/queue';
import { allJobs, checkJobRegistry } from './index';
import { jobScope, type JobDefinition, type WorkerEngines } from './job';

/**
 * Registers every job handler on its queue: fast jobs with FAST_CONCURRENCY slots, OCR jobs with
 * OCR_CONCURRENCY slots, so that slow OCR never starves fast jobs. Each job gets its own EntityManager fork.
 */
export async function startJobWorkers(services: Services, engines: WorkerEngines, jobs: JobDefinition<never>[] = allJobs): Promise<void> {
  checkJobRegistry(jobs);
  for (const job of jobs) {
    const concurrency = job.queue === QUEUES.ocr ? services.config.ocrConcurrency : services.config.fastConcurrency;
    await services.queue.work<object>(
      job.name,
      async (j) => {
        const t0 = Date.now();
        try {
          const out = await job.handler(j.data as never, { services, engines, newScope: () => jobScope(services), jobId: j.id });
          logger.info({ job: job.name, id: j.id, ms: Date.now() - t0 }, 'job done');
          return out;
        } catch (e) {
          logger.error({ job: job.name, id: j.id, err: e }, 'job failed');
          throw e;
        }
      },
      { concurrency, pollSeconds: job.queue === QUEUES.ocr ? 1 : 0.5 },
    );
    if (job.cron) await services.queue.schedule(job.name, job.cron);
  }
}
