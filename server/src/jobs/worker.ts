/**
 * The job runner of the worker process: registers every job handler on its pg-boss queue (fast jobs with
 * FAST_CONCURRENCY slots, OCR jobs with OCR_CONCURRENCY slots, so slow OCR never starves fast jobs) and on
 * its dead-letter queue. While a handler runs, its lease (JOB_LEASE_SECONDS, default 30) is renewed every third of
 * it: if this process dies, the lease runs out and pg-boss maintenance (every JOB_MAINTENANCE_SECONDS) retries the
 * job within about a minute. A job fetched by a process that died before its first renewal is found by the lease
 * reaper.
 */
import type { Services } from '../services';
import { logger } from '../shared/logger';
import { QUEUES } from '../infra/queue/queue';
import { allJobs, checkJobRegistry } from './index';
import { deadLetterName, jobScope, queuesOf, type JobContext, type JobDefinition, type WorkerEngines } from './job';

export async function startJobWorkers(services: Services, engines: WorkerEngines, jobs: JobDefinition<never>[] = allJobs): Promise<void> {
  checkJobRegistry(jobs);
  await services.queue.ensureQueues(queuesOf(jobs));
  for (const job of jobs) {
    const concurrency = job.queue === QUEUES.ocr ? services.config.ocrConcurrency : services.config.fastConcurrency;
    // a committed job wakes its loop at once (NOTIFY); polling only picks up retries, cron jobs and missed wake-ups
    const pollSeconds = 2;
    const ctxOf = (jobId: string): JobContext => ({ services, engines, newScope: () => jobScope(services), jobId });
    await services.queue.work<object>(
      job.name,
      async (j) => {
        const t0 = Date.now();
        const lease = holdLease(services, job.name, j.id);
        try {
          const out = await job.handler(j.data as never, ctxOf(j.id));
          // Scheduled housekeeping (sweeper, collector) runs every few minutes: keep it out of the info log.
          (job.cron ? logger.debug.bind(logger) : logger.info.bind(logger))({ job: job.name, id: j.id, ms: Date.now() - t0 }, 'job done');
          return out;
        } catch (e) {
          logger.error({ job: job.name, id: j.id, err: e }, 'job failed (pg-boss retries it, then dead-letters it)');
          throw e;
        } finally {
          await lease.release();
        }
      },
      { concurrency, pollSeconds },
    );
    const dead = deadLetterName(job);
    await services.queue.work<object>(
      dead,
      async (j) => {
        logger.error({ job: job.name, id: j.id, data: j.data }, 'job retries exhausted (dead letter)');
        const lease = holdLease(services, dead, j.id);
        try {
          if (job.onDeadLetter) await job.onDeadLetter(j.data as never, ctxOf(j.id));
        } finally {
          await lease.release();
        }
      },
      // woken by a failure that used up the retries (pgboss.queue.ts); the poll finds the jobs dead-lettered by
      // maintenance (a killed worker's job on its last retry)
      { concurrency: 1, pollSeconds: 10 },
    );
    if (job.cron) await services.queue.schedule(job.name, job.cron);
  }
  // A job fetched by a process killed before its first lease renewal is handed back too.
  services.queue.startLeaseReaper(
    jobs.flatMap((j) => [j.name, deadLetterName(j)]),
    services.config.jobLeaseSeconds,
    services.config.jobLeaseSeconds,
  );
}

/** Takes the lease of a running job now and renews it until released. */
function holdLease(services: Services, name: string, id: string): { release(): Promise<void> } {
  const seconds = services.config.jobLeaseSeconds;
  const renew = () => services.queue.renewLease(name, id, seconds).catch((err) => logger.warn({ err, job: name, id }, 'lease renewal failed'));
  const first = renew();
  const timer = setInterval(() => void renew(), (seconds / 3) * 1000);
  timer.unref();
  return {
    release: async () => {
      clearInterval(timer);
      await first;
    },
  };
}
