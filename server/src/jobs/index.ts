import { sessionCleanupJob } from '../modules/identity/identity.jobs';
import { deadlineReminderJob } from '../modules/documents/documents.jobs';
import { ocrJobs } from '../modules/ocr/ocr.jobs';
import { storageGcJobs } from '../modules/storage-gc/storage-gc.jobs';
import { searchJobs } from '../modules/search/search.jobs';
import { reservationRecoveryJob } from '../modules/documents/issuing/issuing.jobs';
import { peerJobs } from '../modules/exchange/peers/peers.jobs';
import { exchangeJobs } from '../modules/exchange/exchange.jobs';
import { meetingTaskReminderJob } from '../modules/meetings/meetings.jobs';
import type { JobDefinition } from './job';

/** Every job of the application. The worker refuses to start if two share a name. Add modules' jobs here. */
export const allJobs: JobDefinition<never>[] = [sessionCleanupJob, deadlineReminderJob, ...ocrJobs, ...storageGcJobs, ...searchJobs, reservationRecoveryJob, ...peerJobs, ...exchangeJobs, meetingTaskReminderJob] as JobDefinition<never>[];

export function checkJobRegistry(jobs: JobDefinition<never>[] = allJobs): void {
  const seen = new Set<string>();
  for (const j of jobs) {
    if (seen.has(j.name)) throw new Error(`job "${j.name}" is registered twice`);
    seen.add(j.name);
  }
}
