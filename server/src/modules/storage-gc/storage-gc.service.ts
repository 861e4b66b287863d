/**
 * Storage garbage collector (dọn tệp mồ côi; issue "Trust", finding 1). Requests never delete objects: a failed
 * upload only leaves an unreferenced object behind, and this collector removes it later, safely:
 *
 *  1. (optional, `listing`) objects present in storage but unknown to stored_object (stored by older versions,
 *     or by code that put without claiming) are adopted as rows claimed at their modification time;
 *  2. in small transactions: DELETE the stored_object rows that no table references and whose last claim is older
 *     than the grace period — the same statement re-checks both, and locks the rows — then delete those objects
 *     BEFORE committing. A concurrent claim of the same key waits on the row lock until the objects are gone and
 *     then re-creates the row, so its put writes the bytes again: a committed row never points at a deleted object;
 *  3. temp files of interrupted writes (`.part`) older than the grace period are removed;
 *  4. one system audit event `storage.gc` records the counts.
 *
 * Every column holding a storage key must be listed in STORAGE_KEY_COLUMNS (a test checks the schema).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../../services';
import { Scope } from '../../shared/scope';
import { logger } from '../../shared/logger';

/** Columns that reference objects in storage: an object referenced by any of them is never collected. */
export const STORAGE_KEY_COLUMNS: ReadonlyArray<readonly [table: string, column: string]> = [
  ['document_file', 'storage_key'],
  ['scan', 'storage_key'],
  ['ocr_result', 'storage_key'],
  ['ocr_result', 'searchable_pdf_key'],
  ['ocr_result', 'thumbnail_key'],
  ['ocr_result', 'data_key'],
  ['ocr_page', 'data_key'],
  ['ocr_page', 'image_key'],
  ['meeting_document', 'storage_key'],
  ['exchange_outbox', 'payload_key'],
];

/**
 * jsonb columns holding arrays of `{ key }` objects: the files of a received edXML package stay referenced by
 * its inbox row until it is applied (their document_file rows take over) — however long it waits (HELD).
 */
export const STORAGE_KEY_JSON_ARRAYS: ReadonlyArray<readonly [table: string, column: string]> = [['exchange_inbox', 'files']];

/** Default grace period: far above any transaction's duration (a claim is taken just before the transaction). */
export const DEFAULT_GC_GRACE_MS = 60 * 60 * 1000;

export interface GcOptions {
  /** Unreferenced objects claimed more recently than this are kept. Default 1 h. */
  graceMs?: number;
  /** Also list the storage to adopt/delete objects unknown to stored_object (heavier: a full listing). */
  listing?: boolean;
  /** Rows deleted per transaction. Default 200. */
  batchSize?: number;
}

export interface GcResult {
  /** Objects found in storage that stored_object did not know (adopted, then collected if unreferenced and old). */
  adopted: number;
  /** Unreferenced objects deleted. */
  deleted: number;
  /** Stale temp files removed. */
  tempFiles: number;
  /** Batches that failed (objects kept, rows restored by the rollback; retried next run). */
  failedBatches: number;
  graceMs: number;
  listing: boolean;
}

/** SQL condition "no table references s.key". */
export function unreferencedSql(alias: string): string {
  return [
    ...STORAGE_KEY_COLUMNS.map(([t, c]) => `not exists (select 1 from "${t}" r where r."${c}" = ${alias}.key)`),
    ...STORAGE_KEY_JSON_ARRAYS.map(([t, c]) => `not exists (select 1 from "${t}" r where r."${c}" @> jsonb_build_array(jsonb_build_object('key', ${alias}.key)))`),
  ].join(' and ');
}

/** Inserts rows for listed objects that stored_object does not know, claimed at their modification time. */
async function adopt(em: EntityManager, objects: { key: string; lastModified: Date }[]): Promise<number> {
  if (!objects.length) return 0;
  const rows = await em.execute<{ key: string }[]>(
    `insert into stored_object (key, sha256, size, created_at, last_claimed_at)
       select key, right(key, 64), null, at, at from json_to_recordset(?::json) as x(key text, at timestamptz)
     on conflict (key) do nothing returning key`,
    [JSON.stringify(objects.map((o) => ({ key: o.key, at: o.lastModified.toISOString() })))],
  );
  return rows.length;
}

export async function collectStorageGarbage(services: Pick<Services, 'orm' | 'storage'>, opts: GcOptions = {}): Promise<GcResult> {
  const graceMs = opts.graceMs ?? DEFAULT_GC_GRACE_MS;
  const batchSize = opts.batchSize ?? 200;
  const listing = opts.listing ?? false;
  const result: GcResult = { adopted: 0, deleted: 0, tempFiles: 0, failedBatches: 0, graceMs, listing };
  const graceSeconds = Math.max(0, graceMs / 1000);

  if (listing) {
    const em = services.orm.em.fork();
    let page: { key: string; lastModified: Date }[] = [];
    for await (const o of services.storage.list()) {
      page.push(o);
      if (page.length >= 1000) {
        result.adopted += await adopt(em, page);
        page = [];
      }
    }
    result.adopted += await adopt(em, page);
  }

  // Delete in batches; every batch is one transaction that removes the objects before it commits.
  for (;;) {
    let batch: string[];
    try {
      batch = await services.orm.em.fork().transactional(async (em) => {
        const rows = await em.execute<{ key: string }[]>(
          `with c as (
             select s.key from stored_object s
              where s.last_claimed_at < now() - make_interval(secs => ?) and ${unreferencedSql('s')}
              order by s.last_claimed_at limit ? for update skip locked)
           delete from stored_object s using c
            where s.key = c.key and s.last_claimed_at < now() - make_interval(secs => ?) and ${unreferencedSql('s')}
           returning s.key`,
          [graceSeconds, batchSize, graceSeconds],
        );
        const keys = rows.map((r) => r.key);
        for (const k of keys) await services.storage.delete(k);
        return keys;
      });
    } catch (err) {
      result.failedBatches++;
      logger.error({ err }, 'storage gc: a batch failed; its objects are kept until the next run');
      break;
    }
    result.deleted += batch.length;
    if (batch.length < batchSize) break;
  }

  result.tempFiles = await services.storage.removeStaleTemp(new Date(Date.now() - graceMs));

  await new Scope(services.orm.em.fork(), null).transaction(async (tx) => {
    tx.audit({ action: 'storage.gc', targetType: 'deployment', agencyId: null, data: { ...result } });
  });
  logger.info(result, 'storage gc finished');
  return result;
}
