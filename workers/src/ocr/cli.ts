/**
 * `npm run -s cli -- ocr FILE... [--json] [--concurrency N] [--max-pages N] [--out DIR]`
 * One JSON object per line per file with --json; a readable summary otherwise. Exit code 1 when any
 * file failed; the other files are still processed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createOcrPool, fieldValues, isOcrInputError } from './index';

type CliOpts = { json: boolean; concurrency?: number; maxPages?: number; out?: string; files: string[] };

function parseArgs(argv: string[]): CliOpts {
  const o: CliOpts = { json: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') o.json = true;
    else if (a === '--concurrency') o.concurrency = Number(argv[++i]);
    else if (a === '--max-pages') o.maxPages = Number(argv[++i]);
    else if (a === '--out') o.out = argv[++i];
    else if (a === 'ocr' && i === 0) continue;
    else o.files.push(a);
  }
  return o;
}

const USAGE = 'Cách dùng: ocr TỆP... [--json] [--concurrency N] [--max-pages N] [--out THƯ_MỤC]';

export async function runOcrCli(argv: string[]): Promise<number> {
  const o = parseArgs(argv);
  if (!o.files.length) {
    process.stderr.write(USAGE + '\n');
    return 2;
  }
  const pool = createOcrPool({
    concurrency: Number.isInteger(o.concurrency) && o.concurrency! > 0 ? o.concurrency : undefined,
    maxPages: Number.isInteger(o.maxPages) && o.maxPages! > 0 ? o.maxPages : undefined,
  });
  let failed = 0;
  try {
    for (const file of o.files) {
      const t0 = Date.now();
      try {
        let buf: Buffer;
        try {
          buf = fs.readFileSync(file);
        } catch (e) {
          throw Object.assign(new Error(`Không đọc được tệp: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`), { code: 'READ_ERROR' });
        }
        // the searchable PDF only with --out, written straight to its file (never whole in memory)
        const base = o.out ? path.join(o.out, path.basename(file).replace(/\.[^.]+$/, '')) : null;
        if (o.out) fs.mkdirSync(o.out, { recursive: true });
        const r = await pool.digitise(buf, { fileName: path.basename(file), searchablePdf: !!base, searchablePdfFile: base ? `${base}.ocr.pdf` : undefined });
        const fields = fieldValues(r.fields);
        if (base) {
          fs.writeFileSync(`${base}.thumb.jpg`, r.thumbnail);
          fs.writeFileSync(`${base}.txt`, r.text);
        }
        if (o.json) {
          process.stdout.write(JSON.stringify({ file, pages: r.pages.length, text: r.text, fields, ms: Date.now() - t0 }) + '\n');
        } else {
          const conf = r.pages.length ? r.pages.reduce((s, p) => s + p.confidence, 0) / r.pages.length : 0;
          process.stdout.write(`✔ ${file}: ${r.pages.length} trang, ${r.text.length} ký tự, độ tin cậy ${conf.toFixed(0)}%, ${Date.now() - t0} ms\n`);
          for (const [k, v] of Object.entries(fields)) {
            const shown = Array.isArray(v) ? v.join('; ') : v;
            process.stdout.write(`    ${k.padEnd(14)} ${shown ?? '—'}  (${Math.round(r.fields[k as keyof typeof r.fields].confidence * 100)}%)\n`);
          }
        }
      } catch (e) {
        failed++;
        const code = isOcrInputError(e) ? e.code : ((e as { code?: string }).code ?? 'INTERNAL');
        const message = isOcrInputError(e) || code === 'READ_ERROR' ? (e as Error).message : `Lỗi xử lý: ${(e as Error)?.message ?? e}`;
        if (o.json) process.stdout.write(JSON.stringify({ file, error: { code, message } }) + '\n');
        else process.stdout.write(`✘ ${file}: [${code}] ${message}\n`);
      }
    }
  } finally {
    await pool.close();
  }
  return failed ? 1 : 0;
}

if (require.main === module) {
  runOcrCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      process.stderr.write(String(e?.stack ?? e) + '\n');
      process.exit(1);
    },
  );
}
