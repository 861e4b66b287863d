/**
 * The worker's OcrEngine as the queue jobs call it (issue 14): page jobs of one file, keyed by its sha256, read and
 * parse the file once per process (the loader is called once, not once per page) until the assembly lets it go; assembly takes each page image
 * from a loader, only while the searchable PDF takes it in; `learn` gives the pages and fields read from then on
 * the deployment's directory. Real pipeline, native Tesseract where installed (else tesseract.js).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createOcrEngine } from './engine-adapter';
import { SCANS_DIR } from '../../../test/fixtures';

jest.setTimeout(300_000);

describe('the worker OCR engine (queue path)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocr-adapter-'));
  const engine = createOcrEngine({ concurrency: 2, dataDir });
  afterAll(async () => {
    await engine.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads the pages of one file with one load, streams the page images into the assembly, and uses what it learnt', async () => {
    const file = fs.readFileSync(path.join(SCANS_DIR, 'dev02.pdf')); // two pages
    const truth = JSON.parse(fs.readFileSync(path.join(SCANS_DIR, 'dev02.json'), 'utf8')) as { superiorOrgan: string; organ: string };
    const sha256 = crypto.createHash('sha256').update(file).digest('hex');
    let loads = 0;
    const load = async () => {
      loads++;
      return Buffer.from(file); // a fresh copy, as object storage returns it
    };
    const { pages } = await engine.inspect(file);
    expect(pages).toBe(2);
    // the directory writes the superior organ differently from the print (sentence case)
    const dirName = 'UBND huyện Đông Anh';
    expect(truth.superiorOrgan).toBe(dirName.toLocaleUpperCase('vi'));
    const stats = engine.learn!({ texts: ['Kế hoạch tuyên truyền cải cách hành chính'], agencies: [dirName, 'Sở Nội vụ tỉnh Bắc Ninh'], people: ['Nguyễn Văn An'] });
    expect(stats).toMatchObject({ texts: 1, agencies: 2, people: 1 });
    expect(stats.bigrams).toBeGreaterThan(0);

    const out = await Promise.all([engine.page(load, 0, sha256), engine.page(load, 1, sha256)]);
    expect(loads).toBe(1);
    expect(out.map((o) => o.data.index)).toEqual([0, 1]);
    expect(out.every((o) => o.image && o.image.subarray(0, 2).equals(Buffer.from([0xff, 0xd8])))).toBe(true);

    let imageLoads = 0;
    let sourceLoads = 0;
    const tmp = path.join(dataDir, 'out.pdf');
    const a = await engine.assemble(
      out.map((o) => ({
        data: o.data,
        image: async () => {
          imageLoads++;
          return o.image!;
        },
      })),
      async () => {
        sourceLoads++;
        return file;
      },
      { pdfFile: tmp },
    );
    expect(imageLoads).toBeGreaterThanOrEqual(2);
    // a scan has no page to copy from the original: it is not read again for the assembly
    expect(sourceLoads).toBe(0);
    expect(a.searchablePdfSize).toBe(fs.statSync(tmp).size);
    expect(a.noText).toBe(false);
    expect((a.fields.superiorOrgan as { value: string }).value).toBe(dirName);
    // once every page is read (the assembly job says so) the file is let go: a later page job reads it again
    await engine.forget!(sha256);
    await engine.page(load, 1, sha256);
    expect(loads).toBe(2);
    const images = execFileSync('pdfimages', ['-list', tmp], { encoding: 'utf8' }).split('\n').filter((l) => /\bjpeg\b/.test(l));
    expect(images).toHaveLength(2);
  });
});
