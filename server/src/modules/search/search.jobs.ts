/**
 * `search.index` (fast queue): (re)writes one document's search entry from its current state. Idempotent
 * (reads the document when it runs, upserts the row), so duplicates and retries are harmless. Queued with
 * `tx.enqueue` in the transactions that register, issue, deliver a document, and when a file's OCR finishes.
 */
import { defineJob, QUEUES } from '../../jobs/job';
import type { Tx } from '../../shared/scope';
import { archiveOcrFieldsJob, enqueueArchiveFieldsForFile } from './archive-import';

export const SEARCH_INDEX_JOB = 'search.index';

export const searchIndexJob = defineJob<{ documentId: string }>({
  name: SEARCH_INDEX_JOB,
  queue: QUEUES.fast,
  handler: async ({ documentId }, ctx) => {
    const scope = ctx.newScope();
    return ctx.services.search.indexDocument(scope.em, documentId);
  },
});

/** Queue the indexing of a document in this transaction. */
export const enqueueSearchIndex = (tx: Tx, documentId: string): Promise<string> => tx.enqueue(searchIndexJob, { documentId });

/** Queue the indexing of every document holding a file with these bytes (an OCR result just finished), and the OCR fields of imported archive documents. */
export async function enqueueSearchIndexForFile(tx: Tx, sha256: string): Promise<void> {
  const rows = await tx.em.execute<{ document_id: string }[]>(`select distinct document_id from document_file where sha256 = ?`, [sha256]);
  for (const r of rows) await tx.enqueue(searchIndexJob, { documentId: r.document_id });
  // Imported paper-archive documents take the fields OCR read as their metadata ("chưa kiểm tra").
  await enqueueArchiveFieldsForFile(tx, sha256);
}

export const searchJobs = [searchIndexJob, archiveOcrFieldsJob];
