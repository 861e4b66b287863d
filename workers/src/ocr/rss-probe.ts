/**
 * Peak memory of one worker process digitising one many-page file (issue 14: a 500-page PDF keeps the worker
 * under 500 MB). Run in a process of its own, so that its peak resident set (VmHWM) is the digitisation's:
 *
 *   npx tsx workers/src/ocr/rss-probe.ts FILE.pdf [--engine native|wasm|auto] [--concurrency N] [--no-pdf] [--out OUT.pdf] [--trace]
 *
 * prints one JSON line: { pages, peakRssMb, inputMb, outputMb, seconds, engine }. Native Tesseract's page
 * processes are children, not part of this process's RSS (each holds about one page).
 */
import fs from 'node:fs';
import { PDFDocument } from 'pdf-lib';
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
  const pool = createOcrPool({ engine: (opt('--engine') as OcrEngineChoice | undefined) ?? 'auto', concurrency: opt('--concurrency') ? Number(opt('--concurrency')) : undefined });
  try {
    await pool.warm();
    const input = fs.readFileSync(file);
    const t0 = Date.now();
    const trace = argv.includes('--trace');
    const r = await pool.digitise(input, {
      searchablePdf: !argv.includes('--no-pdf'),
      onPage: trace ? (d, n) => process.stderr.write(`page ${d}/${n}: rss ${Math.round(process.memoryUsage().rss / 1048576)} MB, peak ${Math.round(peakRssMb())} MB, heap ${Math.round(process.memoryUsage().heapUsed / 1048576)} MB, external ${Math.round(process.memoryUsage().external / 1048576)} MB\n`) : undefined,
    });
    const out = {
      pages: r.pages.length,
      peakRssMb: Math.round(peakRssMb()),
      inputMb: Math.round(input.length / 1048576),
      outputMb: Math.round(r.searchablePdf.length / 1048576),
      imagesHeld: r.pages.filter((p) => p.image).length,
      seconds: (Date.now() - t0) / 1000,
      engine: pool.engine,
    };
    const outFile = opt('--out');
    if (outFile) fs.writeFileSync(outFile, r.searchablePdf);
    process.stdout.write(JSON.stringify(out) + '\n');
  } finally {
    await pool.close();
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
