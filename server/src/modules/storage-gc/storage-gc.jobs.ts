/**
 * Storage garbage-collector jobs on the fast queue (issue "Trust", finding 1): every 15 minutes the cheap pass
 * (unreferenced rows of stored_object past the grace period, stale temp files); once a night the full pass that
 * also lists the storage to adopt objects stored by older versions. `npm run cli -- gc` runs the full pass by hand.
 */
import { defineJob, QUEUES } from '../../jobs/job';
import { collectStorageGarbage } from './storage-gc.service';

export interface StorageGcJobData {
  graceMinutes?: number;
  listing?: boolean;
}

const run = (listing: boolean) => async (data: StorageGcJobData, ctx: { services: Parameters<typeof collectStorageGarbage>[0] }) =>
  collectStorageGarbage(ctx.services, {
    graceMs: data.graceMinutes !== undefined ? data.graceMinutes * 60_000 : undefined,
    listing: data.listing ?? listing,
  });

export const storageGcJob = defineJob<StorageGcJobData>({ name: 'storage.gc', queue: QUEUES.fast, cron: '*/15 * * * *', handler: run(false) });

export const storageGcFullJob = defineJob<StorageGcJobData>({ name: 'storage.gc-full', queue: QUEUES.fast, cron: '40 3 * * *', handler: run(true) });

export const storageGcJobs = [storageGcJob, storageGcFullJob];
