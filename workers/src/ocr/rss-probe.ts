/**
 * Peak memory of one worker process digitising one many-page file (issue 14: a 500-page PDF keeps the worker
 * under 500 MB). Run in a process of its own, so that its peak resident set (VmHWM) is the digitisation's:
 *
 *   npx tsx workers/src/ocr/rss-probe.ts FILE.pdf [--engine native|wasm|auto] [--concurrency N] [--worker] [--no-pdf] [--out OUT.pdf] [--trace]
 *
 * prints one JSON line: { pages, peakRssMb, inputMb, outputMb, seconds, engine, mode }. Native Tesseract's page
 * processes are children, not part of this process's RSS (each holds about one page).
 *
 * Two modes: `digitise` (default; the CLI and the archive import: one call, the searchable PDF to a temporary
 * file) and `--worker`, what the OCR worker process does with a file through the queue (ocr.jobs.ts): the file
 * loaded on demand as from object storage, `concurrency` page jobs at a time whose results go to "storage" (a
 * temporary directory) at once, then the assembly job reading the page images back one at a time.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { createOcrEngine } from './engine-adapter';
import { createOcrPool, type OcrEngineChoice } from './pipeline';

/** Peak resident set size of this process so far, MB (Linux /proc; falls back to the current RSS). */
export function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    /* not Linux */
  }
  return process.memoryUsage().rss / 1048576;
}

/**
 * An image-only PDF of `pages` A4 pages, page i showing `jpegs[i % jpegs.length]` (each page its own image
 * object, as a scanner writes them), at `dpi`.
 */
export async function manyPagePdf(jpegs: Buffer[], pages: number, dpi = 200): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const embedded = [];
  for (let i = 0; i < pages; i++) {
    const img = await doc.embedJpg(jpegs[i % jpegs.length]);
    embedded.push(img);
    const w = (img.width * 72) / dpi;
    const h = (img.height * 72) / dpi;
    doc.addPage([w, h]).drawImage(img, { x: 0, y: 0, width: w, height: h });
  }
  const out = await doc.save({ useObjectStreams: true });
  return Buffer.from(out.buffer, out.byteOffset, out.byteLength);
}

async function main(argv: string[]): Promise<void> {
  const file = argv.find((a, i) => !a.startsWith('--') && !argv[i - 1]?.startsWith('--'));
  if (!file) throw new Error('usage: rss-probe FILE [--engine native|wasm|auto] [--concurrency N] [--no-pdf]');
  const opt = (n: string) => {
    const i = argv.indexOf(n);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const engineChoice = (opt('--engine') as OcrEngineChoice | undefined) ?? 'auto';
  const concurrency = opt('--concurrency') ? Number(opt('--concurrency')) : undefined;
  const trace = argv.includes('--trace');
  const note = (d: number, n: number) =>
    trace && process.stderr.write(`page ${d}/${n}: rss ${Math.round(process.memoryUsage().rss / 1048576)} MB, peak ${Math.round(peakRssMb())} MB, heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB, external ${Math.round(process.memoryUsage().external / 1048576)} MB\n`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-rss-probe-'));
  const pdfFile = opt('--out') ?? path.join(tmp, 'searchable.pdf');
  const t0 = Date.now();
  try {
    let pages: number;
    let engineName: string;
    /** page JPEGs held in memory by the results (digitise spools them to files: 0) */
    let imagesHeld = 0;
    if (argv.includes('--worker')) {
      const engine = createOcrEngine({ engine: engineChoice, concurrency });
      engineName = engine.pool.engine;
      try {
        const load = () => fs.promises.readFile(file);
        pages = (await engine.inspect(await load())).pages;
        // page jobs, `concurrency` at a time; each result goes to "storage" as the job ends
        let next = 0;
        let done = 0;
        await Promise.all(
          Array.from({ length: engine.pool.concurrency }, async () => {
            for (let i = next++; i < pages; i = next++) {
              const out = await engine.page(load, i, 'probe');
              fs.writeFileSync(path.join(tmp, `${i}.json`), JSON.stringify(out.data));
              if (out.image) fs.writeFileSync(path.join(tmp, `${i}.jpg`), out.image);
              note(++done, pages);
            }
          }),
        );
        await engine.forget?.('probe');
        const stored = Array.from({ length: pages }, (_x, i) => ({
          data: JSON.parse(fs.readFileSync(path.join(tmp, `${i}.json`), 'utf8')),
          image: fs.existsSync(path.join(tmp, `${i}.jpg`)) ? () => fs.promises.readFile(path.join(tmp, `${i}.jpg`)) : null,
        }));
        await engine.assemble(stored, load, { pdfFile });
      } finally {
        await engine.close();
      }
    } else {
      const pool = createOcrPool({ engine: engineChoice, concurrency });
      engineName = pool.engine;
      try {
        await pool.warm();
        const input = fs.readFileSync(file);
        const r = await pool.digitise(input, { searchablePdf: !argv.includes('--no-pdf'), searchablePdfFile: pdfFile, onPage: note });
        pages = r.pages.length;
        imagesHeld = r.pages.filter((p) => p.image).length;
      } finally {
        await pool.close();
      }
    }
    const out = {
      pages,
      peakRssMb: Math.round(peakRssMb()),
      inputMb: Math.round(fs.statSync(file).size / 1048576),
      outputMb: fs.existsSync(pdfFile) ? Math.round(fs.statSync(pdfFile).size / 1048576) : 0,
      seconds: (Date.now() - t0) / 1000,
      imagesHeld,
      engine: engineName,
      mode: argv.includes('--worker') ? 'worker' : 'digitise',
    };
    process.stdout.write(JSON.stringify(out) + '\n');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module)
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(String((e as Error)?.stack ?? e) + '\n');
      process.exit(1);
    },
  );
