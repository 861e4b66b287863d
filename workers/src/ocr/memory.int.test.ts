/**
 * Memory of one worker process digitising a many-page PDF (issue 14): the page JPEGs are spooled to temporary
 * files and spliced into the searchable PDF one at a time, pdf-lib's parse keeps views into the file instead of
 * copies, so a long file does not keep every page in memory. The probe runs in a process of its own
 * (rss-probe.ts) and reports its peak RSS (VmHWM); the figure is printed, the ceiling asserted with margin.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { manyPagePdf } from './rss-probe';
import { openPdf } from './pdf';
import { SCANS_DIR } from '../../../test/fixtures';

jest.setTimeout(900_000);

const PAGES = 30;

test(`a generated ${PAGES}-page image PDF: no page image held, searchable PDF complete, peak RSS under 500 MB`, async () => {
  const jpegs = fs
    .readdirSync(SCANS_DIR)
    .filter((f) => f.endsWith('.jpg'))
    .sort()
    .map((f) => fs.readFileSync(path.join(SCANS_DIR, f)));
  expect(jpegs.length).toBeGreaterThan(0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocr-mem-'));
  try {
    const file = path.join(dir, 'many.pdf');
    fs.writeFileSync(file, await manyPagePdf(jpegs, PAGES));
    const tsx = path.resolve(__dirname, '../../../node_modules/.bin/tsx');
    const out = execFileSync(tsx, [path.join(__dirname, 'rss-probe.ts'), file, '--concurrency', '2', '--out', path.join(dir, 'out.pdf')], {
      encoding: 'utf8',
      env: { ...process.env, TMPDIR: dir },
      maxBuffer: 1 << 20,
    });
    const r = JSON.parse(out.trim().split('\n').pop()!) as { pages: number; peakRssMb: number; inputMb: number; outputMb: number; imagesHeld: number; engine: string };
    process.stdout.write(`OCR worker, ${r.pages}-page PDF (${r.inputMb} MB) with ${r.engine}: peak RSS ${r.peakRssMb} MB, searchable PDF ${r.outputMb} MB\n`);
    expect(r.pages).toBe(PAGES);
    expect(r.imagesHeld).toBe(0);
    expect(r.peakRssMb).toBeLessThan(500);
    // the spooled page images are gone, and the searchable PDF has every page with its image and text
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('congvan-ocr'))).toEqual([]);
    const pdf = await openPdf(fs.readFileSync(path.join(dir, 'out.pdf')), 1000);
    try {
      expect(pdf.numPages).toBe(PAGES);
      const last = await pdf.page(PAGES - 1);
      expect(last.kind).toBe('text'); // it has the text layer; its image is the spliced JPEG (below)
    } finally {
      await pdf.close();
    }
    const images = execFileSync('pdfimages', ['-list', path.join(dir, 'out.pdf')], { encoding: 'utf8' }).split('\n').filter((l) => /\bjpeg\b/.test(l));
    expect(images).toHaveLength(PAGES);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
