/**
 * npm run cli -- import DIR --agency CODE [--record CODE]
 * Digitised paper archive (issue 10): every PDF/JPEG/PNG/TIFF below DIR becomes an archived document of the agency
 * (direction ARCHIVE, metadata "chưa kiểm tra"), filed into the hồ sơ CODE if given (số và ký hiệu or mã hồ sơ of an
 * open hồ sơ). Its OCR and search indexing are queue jobs queued in the document's transaction; they run here,
 * in-process, with this machine's cores, with a progress bar; when a file's OCR is done, the fields it read (số ký
 * hiệu, ngày, cơ quan ban hành, loại, trích yếu, người ký) become its metadata. When the command ends, every file is
 * found by search. Idempotent and resumable: the same bytes give the same document (a re-run stores and creates
 * nothing again, pages already read are not read again).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { Config } from '../config/config';
import { allJobs } from '../jobs';
import { startJobWorkers } from '../jobs/worker';
import { Agency } from '../modules/identity/entities/agency.entity';
import { ARCHIVE_OCR_FIELDS_JOB, importArchiveFile } from '../modules/search/archive-import';
import { SEARCH_INDEX_JOB } from '../modules/search/search.jobs';
import { bootstrap } from '../runtime';
import { AppError } from '../shared/errors';
import { Scope } from '../shared/scope';
import { startWorkerOcrEngine } from '../../../workers/src/ocr-worker';

const EXT = /\.(pdf|jpe?g|png|tiff?)$/i;

function walk(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p, base));
    else if (e.isFile() && EXT.test(e.name)) out.push(path.relative(base, p));
  }
  return out;
}

const USAGE = 'Cách dùng: npm run cli -- import THƯ_MỤC --agency MÃ_ĐỊNH_DANH [--record SỐ_KÝ_HIỆU_HỒ_SƠ]';

/** Waits until no job of `names` about these documents is queued or running (the index is written). */
async function waitForJobs(em: () => import('@mikro-orm/postgresql').EntityManager, names: string[], documentIds: string[], stop: () => boolean): Promise<void> {
  if (!documentIds.length) return;
  while (!stop()) {
    const [r] = await em().execute<{ n: number }[]>(
      `select count(*)::int as n from pgboss.job where name in (?) and state in ('created', 'retry', 'active') and data->>'documentId' in (?)`,
      [names, documentIds],
    );
    if (!r.n) return;
    await new Promise((res) => setTimeout(res, 300));
  }
}

export async function importScans(config: Config, databaseUrl: string, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { agency: { type: 'string' }, record: { type: 'string' }, quiet: { type: 'boolean' } } });
  const dir = positionals[0];
  if (!dir || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    console.error(USAGE);
    return 2;
  }
  const files = walk(path.resolve(dir));
  if (!files.length) {
    console.error(`Không có tệp PDF/JPEG/PNG/TIFF nào trong ${dir}.`);
    return 2;
  }
  const rt = await bootstrap({ ...config, databaseUrl }, { queue: { supervise: true, schedule: false } });
  // As the workers do: the engine learns the deployment's agencies, people and texts (LM, directory) from the database.
  const ocr = await startWorkerOcrEngine(rt, config);
  const engine = ocr.engine;
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.once('SIGINT', onSigint);
  try {
    const scope = new Scope(rt.orm.em.fork(), null);
    const agency = values.agency ? await scope.em.findOne(Agency, { code: values.agency }) : await scope.em.findOne(Agency, { operator: true });
    if (!agency) {
      console.error(values.agency ? `Không có cơ quan mã ${values.agency}.` : 'Chưa có cơ quan vận hành; dùng --agency.');
      return 2;
    }
    // An unknown or closed hồ sơ stops the import before anything is stored.
    if (values.record) {
      const [rec] = await scope.em.execute<{ state: string; file_notation: string }[]>(
        `select state, file_notation from archive_record where agency_id = ? and (file_notation = ? or file_code = ?) order by year desc limit 1`,
        [agency.id, values.record, values.record],
      );
      if (!rec) {
        console.error(`Lỗi: Không có hồ sơ ${values.record} trong danh mục hồ sơ của ${agency.name}.`);
        return 2;
      }
      if (rec.state !== 'OPEN') {
        console.error(`Lỗi: Hồ sơ ${values.record} không còn mở (đã kết thúc hoặc nộp lưu), không thể lập thêm văn bản.`);
        return 2;
      }
    }
    await startJobWorkers(rt.services, { ocr: engine }, allJobs);

    const shas = new Map<string, string>();
    const documentIds = new Set<string>();
    let created = 0;
    const failedToStore: string[] = [];
    for (const rel of files) {
      if (interrupted) break;
      try {
        const r = await importArchiveFile(rt.services, new Scope(rt.orm.em.fork(), null), {
          agencyId: agency.id,
          recordCode: values.record ?? null,
          bytes: fs.readFileSync(path.join(dir, rel)),
          fileName: path.basename(rel),
        });
        shas.set(rel, r.sha256);
        documentIds.add(r.documentId);
        if (r.created) created++;
      } catch (e) {
        // An unknown or closed hồ sơ stops the import: nothing is filed anywhere else.
        if (e instanceof AppError && (e.extra.field === 'record' || (values.record && (e.code === 'NOT_FOUND' || e.code === 'CONFLICT')))) {
          console.error(`Lỗi: ${e.message}`);
          return 2;
        }
        failedToStore.push(`${rel}: ${e instanceof AppError ? e.message : String(e)}`);
      }
    }
    const bar = values.quiet ? null : new cliProgress.SingleBar({ format: 'Số hóa {bar} {value}/{total} trang | {files} tệp xong | {eta_formatted}', hideCursor: true }, cliProgress.Presets.shades_classic);
    const unique = [...new Set(shas.values())];
    let last = { pages: 0, total: 0, finished: 0, failed: [] as { sha256: string; error: string }[] };
    bar?.start(1, 0, { files: 0 });
    while (!interrupted) {
      const rows = await rt.orm.em.fork().execute<{ sha256: string; status: string; pages_done: number; pages_total: number | null; error: string | null }[]>(
        `select sha256, status, pages_done, pages_total, error from ocr_result where sha256 in (?)`,
        [unique],
      );
      last = {
        pages: rows.reduce((n, r) => n + (r.status === 'DONE' || r.status === 'FAILED' ? (r.pages_total ?? 1) : r.pages_done), 0),
        total: rows.reduce((n, r) => n + (r.pages_total ?? 1), 0),
        finished: rows.filter((r) => r.status === 'DONE' || r.status === 'FAILED').length,
        failed: rows.filter((r) => r.status === 'FAILED').map((r) => ({ sha256: r.sha256, error: r.error ?? '' })),
      };
      bar?.setTotal(Math.max(1, last.total));
      bar?.update(last.pages, { files: last.finished });
      if (last.finished >= unique.length) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    bar?.stop();
    // The fields OCR read, then the index: queued by the OCR's last step, run by the workers above.
    await waitForJobs(() => rt.orm.em.fork() as never, [ARCHIVE_OCR_FIELDS_JOB, SEARCH_INDEX_JOB], [...documentIds], () => interrupted);
    const [failedJobs] = await rt.orm.em.fork().execute<{ n: number }[]>(
      `select count(*)::int as n from pgboss.job where name in (?) and state = 'failed' and data->>'documentId' in (?)`,
      [[ARCHIVE_OCR_FIELDS_JOB, SEARCH_INDEX_JOB], documentIds.size ? [...documentIds] : ['']],
    );
    if (interrupted) {
      console.log(`Đã dừng: ${last.finished}/${unique.length} tệp xong. Chạy lại cùng lệnh để tiếp tục.`);
      return 130;
    }
    const byName = (sha: string) => [...shas.entries()].filter(([, s]) => s === sha).map(([r]) => r).join(', ');
    console.log(
      `Đã số hóa ${files.length - failedToStore.length} tệp (${last.total} trang) thành ${documentIds.size} văn bản lưu trữ của ${agency.name}` +
        `${values.record ? `, vào hồ sơ ${values.record}` : ''} (${created} văn bản mới). Thông tin nhận dạng được đánh dấu "chưa kiểm tra".`,
    );
    for (const f of last.failed) console.log(`  Lỗi: ${byName(f.sha256)}: ${f.error}`);
    for (const f of failedToStore) console.log(`  Lỗi: ${f}`);
    if (failedJobs.n) console.log(`  Lỗi: ${failedJobs.n} việc ghi thông tin nhận dạng / chỉ mục tìm kiếm không thành công; chạy lại lệnh để thử lại.`);
    return last.failed.length || failedToStore.length || failedJobs.n ? 1 : 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await ocr.close();
    await rt.close();
  }
}
