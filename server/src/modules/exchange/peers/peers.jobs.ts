/**
 * `exchange.directory-sync` (fast queue): refreshes the exchange directory — our own agencies, then each
 * active peer's `GET /exchange/v1/directory` — hourly, and on demand (admin page, `peer sync` runs it
 * directly). Idempotent: a run rewrites the directory from what the peers publish now.
 */
import { defineJob, QUEUES } from '../../../jobs/job';
import type { Tx } from '../../../shared/scope';

export const DIRECTORY_SYNC_JOB = 'exchange.directory-sync';

export const directorySyncJob = defineJob<{ peerCode?: string }>({
  name: DIRECTORY_SYNC_JOB,
  queue: QUEUES.fast,
  cron: '17 * * * *',
  retryLimit: 2,
  handler: async ({ peerCode }, ctx) => {
    const peers = ctx.services.peers;
    if (peerCode) return peers.syncPeer(peerCode);
    return peers.syncAll();
  },
});

/** Queues a directory sync (of one peer, or of everything) in this transaction. */
export const enqueueDirectorySync = (tx: Tx, peerCode?: string): Promise<string> => tx.enqueue(directorySyncJob, peerCode ? { peerCode } : {});

export const peerJobs = [directorySyncJob];
