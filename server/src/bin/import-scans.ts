/**
 * npm run cli -- import DIR [--agency CODE]
 * Digitises a folder of scans for the archive: every PDF/JPEG/PNG/TIFF below DIR is stored, recorded as a
 * scan of the agency and OCR'd through the same queue jobs as uploads (run here, in-process, with this
 * machine's cores), with a progress bar. Resumable: run it again after an interruption and it goes on
 * where it stopped (files already imported are not stored again; pages already read are not read again).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import type { Config } from '../config/config';
import { allJobs } from '../jobs';
import { startJobWorkers } from '../jobs/worker';
import { Agency } from '../modules/identity/entities/agency.entity';
import { bootstrap } from '../runtime';
import { AppError } from '../shared/errors';
import { Scope } from '../shared/scope';
import { createOcrEngine } from '../../../workers/src/ocr/engine-adapter';

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

export async function importScans(config: Config, databaseUrl: string, argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { agency: { type: 'string' }, quiet: { type: 'boolean' } } });
  const dir = positionals[0];
  if (!dir || !fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    console.error('Cách dùng: npm run cli -- import THƯ_MỤC [--agency MÃ_ĐỊNH_DANH]');
    return 2;
  }
  const files = walk(path.resolve(dir));
  if (!files.length) {
    console.error(`Không có tệp PDF/JPEG/PNG/TIFF nào trong ${dir}.`);
    return 2;
  }
  const rt = await bootstrap({ ...config, databaseUrl }, { queue: { supervise: true, schedule: false } });
  const engine = createOcrEngine({ concurrency: config.ocrConcurrency, dataDir: config.dataDir });
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
    await startJobWorkers(rt.services, { ocr: engine }, allJobs);

    const shas = new Map<string, string>();
    const failedToStore: string[] = [];
    for (const rel of files) {
      if (interrupted) break;
      try {
        const { scan } = await rt.services.ocr.importFile(new Scope(rt.orm.em.fork(), null), agency.id, fs.readFileSync(path.join(dir, rel)), path.basename(rel), rel);
        shas.set(rel, scan.sha256);
      } catch (e) {
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
    if (interrupted) {
      console.log(`Đã dừng: ${last.finished}/${unique.length} tệp xong. Chạy lại cùng lệnh để tiếp tục.`);
      return 130;
    }
    const byName = (sha: string) => [...shas.entries()].filter(([, s]) => s === sha).map(([r]) => r).join(', ');
    console.log(`Đã số hóa ${files.length - failedToStore.length} tệp (${last.total} trang) cho ${agency.name}.`);
    for (const f of last.failed) console.log(`  Lỗi: ${byName(f.sha256)}: ${f.error}`);
    for (const f of failedToStore) console.log(`  Lỗi: ${f}`);
    return last.failed.length || failedToStore.length ? 1 : 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await rt.close();
    await engine.close();
  }
}
