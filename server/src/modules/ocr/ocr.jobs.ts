/**
 * Digitisation jobs (worker process). A file's pages are OCR'd in parallel as separate jobs on the OCR
 * queue; everything is keyed by the file's sha256, so a job that runs twice (retry after a crash, a second
 * upload of the same scan) does nothing the second time.
 *
 *   ocr.prepare {sha256}        (fast queue)  inspect the file, create the pages, queue one job per page
 *   ocr.page    {sha256, index} (OCR queue)   recognise one page, store its words and image, count it done
 *   ocr.assemble {sha256}       (OCR queue)   text, fields, searchable PDF, thumbnail → DONE
 *
 * Every next job is queued in the transaction that records the step (`tx.enqueue`), so a crash between
 * two steps loses nothing. A problem with the input (corrupt/encrypted PDF, too many pages, huge image, no
 * text) ends in FAILED with the reason, never retried; the original is always kept. An unexpected error is
 * retried by pg-boss (retryLimit, exponential backoff); once the retries are exhausted the job reaches its
 * dead-letter queue, whose handler ends the digitisation in FAILED (INTERNAL). A killed worker's job is
 * retried once its lease runs out (jobs/worker.ts); `ocr.sweep` re-queues any digitisation left PENDING or
 * RUNNING without a live job.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OcrAssembled, OcrEngine, OcrPageData, OcrPageImage } from '../../infra/ocr/ocr';
import type { PutResult } from '../../infra/storage/storage';
import { deadLetterName, defineJob, QUEUES, type JobContext, type JobDefinition } from '../../jobs/job';
import { logger } from '../../shared/logger';
import type { Tx } from '../../shared/scope';
import { OCR_PREPARE_JOB } from './ocr.service';
import { putClaimed, putClaimedFile } from '../storage-gc/stored-objects';
import { enqueueSearchIndexForFile } from '../search/search.jobs';

export const OCR_PAGE_JOB = 'ocr.page';
export const OCR_ASSEMBLE_JOB = 'ocr.assemble';
export const OCR_SWEEP_JOB = 'ocr.sweep';
/** The sweeper leaves younger digitisations alone (their first job may not have been fetched yet). */
export const SWEEP_MIN_AGE_SECONDS = 60;

interface ResultRow {
  sha256: string;
  storage_key: string;
  status: string;
  pages_total: number | null;
  pages_done: number;
}

function engineOf(ctx: JobContext): OcrEngine {
  const e = ctx.engines.ocr as OcrEngine | undefined;
  if (!e) throw new Error('this process has no OCR engine');
  return e;
}

async function loadResult(ctx: JobContext, sha256: string): Promise<ResultRow | null> {
  const rows = await ctx.newScope().em.execute<ResultRow[]>(`select sha256, storage_key, status, pages_total, pages_done from ocr_result where sha256 = ?`, [sha256]);
  return rows[0] ?? null;
}

function publish(ctx: JobContext, r: { sha256: string; status: string; pagesDone: number; pagesTotal: number | null; error: string | null }): void {
  ctx.services.pubsub.publish('ocrProgress', r.sha256, r);
}

/** Ends a digitisation in FAILED (with an audit event), unless it is already final. */
async function fail(ctx: JobContext, sha256: string, code: string, message: string): Promise<void> {
  await ctx.newScope().transaction(async (tx) => {
    const rows = await tx.em.execute<{ pages_done: number; pages_total: number | null }[]>(
      `update ocr_result set status = 'FAILED', error_code = ?, error = ?, finished_at = now() where sha256 = ? and status not in ('DONE', 'FAILED') returning pages_done, pages_total`,
      [code, message, sha256],
    );
    if (!rows.length) return;
    tx.audit({ action: 'ocr.fail', targetType: 'ocr', agencyId: null, data: { sha256, code, message } });
    tx.afterCommit(() => publish(ctx, { sha256, status: 'FAILED', pagesDone: rows[0].pages_done, pagesTotal: rows[0].pages_total, error: message }));
  });
}

/** Runs `fn`; an input problem fails the digitisation for good, other errors go to pg-boss's retries. */
async function guarded(ctx: JobContext, sha256: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    const problem = engineOf(ctx).inputProblem(e);
    if (problem) {
      await fail(ctx, sha256, problem.code, problem.message);
      return;
    }
    logger.error({ err: e, sha256 }, 'OCR job failed: retried by the queue');
    throw e;
  }
}

/** Retries exhausted (dead-letter queue): the digitisation ends in FAILED, the original is kept. */
const deadLetter = async (data: { sha256: string }, ctx: JobContext): Promise<void> =>
  fail(ctx, data.sha256, 'INTERNAL', 'Lỗi hệ thống khi số hóa tệp; bản gốc vẫn được lưu. Có thể thử số hóa lại.');

/** Queues the pages not read yet, or the assembly when every page is read (in the caller's transaction). */
async function enqueueRemaining(tx: Tx, sha256: string): Promise<number> {
  const todo = await tx.em.execute<{ page_index: number }[]>(`select page_index from ocr_page where sha256 = ? and status <> 'DONE' order by page_index`, [sha256]);
  for (const p of todo) await tx.enqueue(ocrPageJob, { sha256, index: p.page_index }, { singletonKey: `${sha256}:${p.page_index}` });
  if (!todo.length) await tx.enqueue(ocrAssembleJob, { sha256 }, { singletonKey: sha256 });
  return todo.length;
}

export const ocrPrepareJob = defineJob<{ sha256: string }>({
  name: OCR_PREPARE_JOB,
  queue: QUEUES.fast,
  onDeadLetter: deadLetter,
  handler: async ({ sha256 }, ctx) => {
    const r = await loadResult(ctx, sha256);
    if (!r || r.status !== 'PENDING') return; // RUNNING: an earlier run already queued the pages
    await guarded(ctx, sha256, async () => {
      const input = await ctx.services.storage.getBuffer(r.storage_key);
      const { kind, pages } = await engineOf(ctx).inspect(input);
      await ctx.newScope().transaction(async (tx) => {
        // Only the run that moves PENDING → RUNNING queues the pages (a rerun of prepare queues nothing twice).
        const moved = await tx.em.execute<unknown[]>(
          `update ocr_result set status = 'RUNNING', kind = ?, pages_total = ? where sha256 = ? and status = 'PENDING' returning sha256`,
          [kind, pages, sha256],
        );
        if (!moved.length) return;
        await tx.em.execute(
          `insert into ocr_page (sha256, page_index, status) select ?, i, 'PENDING' from generate_series(0, ? - 1) as i on conflict do nothing`,
          [sha256, pages],
        );
        await enqueueRemaining(tx, sha256);
        tx.afterCommit(() => publish(ctx, { sha256, status: 'RUNNING', pagesDone: r.pages_done, pagesTotal: pages, error: null }));
      });
    });
  },
});

export const ocrPageJob: JobDefinition<{ sha256: string; index: number }> = defineJob<{ sha256: string; index: number }>({
  name: OCR_PAGE_JOB,
  queue: QUEUES.ocr,
  onDeadLetter: deadLetter,
  handler: async ({ sha256, index }, ctx) => {
    const r = await loadResult(ctx, sha256);
    if (!r || r.status !== 'RUNNING') return;
    await guarded(ctx, sha256, async () => {
      const em = ctx.newScope().em;
      const page = await em.execute<{ status: string }[]>(`select status from ocr_page where sha256 = ? and page_index = ?`, [sha256, index]);
      if (page[0]?.status === 'DONE') return;
      // keyed by sha256: the next pages of this file in this process reuse the file already read and parsed
      const out = await engineOf(ctx).page(() => ctx.services.storage.getBuffer(r.storage_key), index, sha256);
      const data = await putClaimed(ctx.services, Buffer.from(JSON.stringify(out.data)), { contentType: 'application/json' });
      const image = out.image ? await putClaimed(ctx.services, out.image, { contentType: 'image/jpeg' }) : null;
      await ctx.newScope().transaction(async (tx) => {
        const done = await tx.em.execute<unknown[]>(
          `update ocr_page set status = 'DONE', data_key = ?, image_key = ?, ms = ? where sha256 = ? and page_index = ? and status <> 'DONE' returning page_index`,
          [data.key, image?.key ?? null, out.data.ms, sha256, index],
        );
        if (!done.length) return; // another run of this page got there first
        const [c] = await tx.em.execute<{ pages_done: number; pages_total: number }[]>(
          `update ocr_result set pages_done = pages_done + 1 where sha256 = ? returning pages_done, pages_total`,
          [sha256],
        );
        if (c.pages_done >= c.pages_total) await tx.enqueue(ocrAssembleJob, { sha256 }, { singletonKey: sha256 });
        tx.afterCommit(() => publish(ctx, { sha256, status: 'RUNNING', pagesDone: c.pages_done, pagesTotal: c.pages_total, error: null }));
      });
    });
  },
});

export const ocrAssembleJob: JobDefinition<{ sha256: string }> = defineJob<{ sha256: string }>({
  name: OCR_ASSEMBLE_JOB,
  queue: QUEUES.ocr,
  onDeadLetter: deadLetter,
  handler: async ({ sha256 }, ctx) => {
    const r = await loadResult(ctx, sha256);
    if (!r || r.status !== 'RUNNING') return;
    await guarded(ctx, sha256, async () => {
      const t0 = Date.now();
      const em = ctx.newScope().em;
      const rows = await em.execute<{ page_index: number; data_key: string; image_key: string | null; ms: number | null }[]>(
        `select page_index, data_key, image_key, ms from ocr_page where sha256 = ? and status = 'DONE' order by page_index`,
        [sha256],
      );
      if (rows.length < (r.pages_total ?? 0)) return; // not all pages yet: the last page job queues us again
      await engineOf(ctx).forget?.(sha256); // the page jobs' copy of the file is not needed any more in this process
      // Page words are small and held; each page image is read from storage only while the searchable PDF takes
      // it in (a 500-page file would otherwise hold ~250 MB of JPEGs).
      const pages: Array<{ data: OcrPageData; image: OcrPageImage }> = [];
      for (const p of rows) {
        const data = JSON.parse((await ctx.services.storage.getBuffer(p.data_key)).toString('utf8')) as OcrPageData;
        const key = p.image_key;
        pages.push({ data, image: key ? () => ctx.services.storage.getBuffer(key) : null });
      }
      // the original is read only if a page with a text layer is copied from it; the PDF goes to a temporary file
      const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'congvan-ocr-assemble-'));
      let a: OcrAssembled;
      let pdf: PutResult;
      try {
        a = await engineOf(ctx).assemble(pages, () => ctx.services.storage.getBuffer(r.storage_key), { pdfFile: path.join(tmp, 'searchable.pdf') });
        if (a.noText) {
          await fail(ctx, sha256, 'NO_TEXT', 'Không nhận dạng được chữ nào trong tệp (trang trắng hoặc ảnh không có chữ). Bản gốc vẫn được lưu.');
          return;
        }
        pdf = await putClaimedFile(ctx.services, path.join(tmp, 'searchable.pdf'), { contentType: 'application/pdf' });
      } finally {
        await fs.promises.rm(tmp, { recursive: true, force: true });
      }
      const thumb = await putClaimed(ctx.services, a.thumbnail, { contentType: 'image/jpeg' });
      const all = await putClaimed(ctx.services, Buffer.from(JSON.stringify(pages.map((p) => p.data))), { contentType: 'application/json' });
      const ms = rows.reduce((s, p) => s + (p.ms ?? 0), 0) + (Date.now() - t0);
      await ctx.newScope().transaction(async (tx) => {
        const upd = await tx.em.execute<unknown[]>(
          `update ocr_result set status = 'DONE', searchable_pdf_key = ?, thumbnail_key = ?, data_key = ?, text = ?, fields = ?::jsonb, ms = ?, finished_at = now()
           where sha256 = ? and status = 'RUNNING' returning sha256`,
          [pdf.key, thumb.key, all.key, a.text, JSON.stringify(a.fields), ms, sha256],
        );
        if (!upd.length) return;
        // Files of documents with these bytes learn their page count (the result itself is read by sha256).
        await tx.em.execute(`update document_file set page_count = coalesce(page_count, ?) where sha256 = ?`, [rows.length, sha256]);
        tx.audit({ action: 'ocr.done', targetType: 'ocr', agencyId: null, data: { sha256, pages: rows.length, ms } });
        await enqueueSearchIndexForFile(tx, sha256);
        tx.afterCommit(() => publish(ctx, { sha256, status: 'DONE', pagesDone: rows.length, pagesTotal: rows.length, error: null }));
      });
    });
  },
});

/**
 * Safety net (every minute): a digitisation PENDING or RUNNING for over SWEEP_MIN_AGE_SECONDS with no live
 * job of its own (queued, waiting for a retry, running, or dead-lettered) is re-queued where it stopped:
 * prepare when PENDING, the unread pages or the assembly when RUNNING. A job whose retries were exhausted
 * is not re-queued (its dead-letter handler ends the digitisation in FAILED): the retry count stays pg-boss's.
 */
export async function sweepOcr(ctx: Pick<JobContext, 'newScope'>): Promise<{ requeued: string[] }> {
  const names = [OCR_PREPARE_JOB, OCR_PAGE_JOB, OCR_ASSEMBLE_JOB];
  const watched = [...names, ...names.map((name) => deadLetterName({ name }))];
  return ctx.newScope().transaction(async (tx) => {
    const stale = await tx.em.execute<{ sha256: string; status: string }[]>(
      `select r.sha256, r.status from ocr_result r
        where r.status in ('PENDING', 'RUNNING') and r.created_at < now() - make_interval(secs => ?)
          and not exists (select 1 from pgboss.job j where j.name in (${watched.map(() => '?').join(', ')})
                           and j.data->>'sha256' = r.sha256 and j.state in ('created', 'retry', 'active'))
          and not exists (select 1 from pgboss.job j where j.name in (${names.map(() => '?').join(', ')})
                           and j.data->>'sha256' = r.sha256 and j.state = 'failed' and j.created_on >= r.created_at)
        order by r.created_at limit 500
        for update of r skip locked`,
      [SWEEP_MIN_AGE_SECONDS, ...watched, ...names],
    );
    for (const r of stale) {
      if (r.status === 'PENDING') await tx.enqueue(ocrPrepareJob, { sha256: r.sha256 }, { singletonKey: r.sha256 });
      else await enqueueRemaining(tx, r.sha256);
    }
    if (stale.length) {
      logger.warn({ count: stale.length }, 'OCR sweep: re-queued digitisations left without a job');
      tx.audit({ action: 'ocr.requeue', targetType: 'ocr', agencyId: null, data: { sha256: stale.map((r) => r.sha256) } });
    }
    return { requeued: stale.map((r) => r.sha256) };
  });
}

export const ocrSweepJob = defineJob<Record<string, never>>({
  name: OCR_SWEEP_JOB,
  queue: QUEUES.fast,
  cron: '* * * * *',
  handler: (_data, ctx) => sweepOcr(ctx),
});

export const ocrJobs = [ocrPrepareJob, ocrPageJob, ocrAssembleJob, ocrSweepJob];
