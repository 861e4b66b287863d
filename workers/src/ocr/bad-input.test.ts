import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { PDFDocument } from 'pdf-lib';
import { createOcrPool, OcrInputError, openPdf, type OcrPool } from './index';
import { runOcrCli } from './cli';
import { SCANS_DIR } from '../../../test/fixtures';

jest.setTimeout(120_000);

const CORPUS = SCANS_DIR;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ocr-bad-'));

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** A PNG whose header claims width × height, with a tiny (incomplete) body. */
function pngHeader(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(100))), chunk('IEND', Buffer.alloc(0))]);
}

async function pdfWithPages(n: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < n; i++) doc.addPage([595, 842]);
  return Buffer.from(await doc.save({ addDefaultPage: false }));
}

function encryptedPdf(): Buffer {
  const objs = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>', '<< /Filter /Standard /V 2 /R 3 /Length 128 /P -4 /O <00> /U <00> >>'];
  let body = '%PDF-1.7\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` + offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  body += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<01> <01>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

describe('bad input gives a typed error', () => {
  let pool: OcrPool;
  beforeAll(() => {
    pool = createOcrPool({ concurrency: 1, dataDir: path.join(tmp, 'data'), maxPages: 500, maxPixels: 100_000_000 });
  });
  afterAll(async () => {
    await pool.close();
  });

  const expectCode = async (buf: Buffer, code: string) => {
    const err = await pool.digitise(buf).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OcrInputError);
    expect((err as OcrInputError).code).toBe(code);
    expect((err as OcrInputError).message).toMatch(/[\u00C0-\u1EF9]/); // a Vietnamese message
  };

  test('empty file', () => expectCode(Buffer.alloc(0), 'EMPTY_FILE'));
  test('bytes that are not a PDF (whatever the name)', () => expectCode(Buffer.from('Đây không phải là PDF\n'.repeat(20)), 'UNSUPPORTED_TYPE'));
  test('truncated PDF', () => {
    const full = fs.readFileSync(path.join(CORPUS, 'dev09.pdf'));
    return expectCode(full.subarray(0, Math.floor(full.length * 0.6)), 'CORRUPT_PDF');
  });
  test('garbage after a PDF header', () => expectCode(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5000, 0x41)]), 'CORRUPT_PDF'));
  test('zero-page PDF', async () => expectCode(await pdfWithPages(0), 'EMPTY_PDF'));
  test('encrypted PDF', () => expectCode(encryptedPdf(), 'ENCRYPTED_PDF'));
  test('2,000-page PDF', async () => expectCode(await pdfWithPages(2000), 'TOO_MANY_PAGES'));
  test('30000×30000 image header', () => expectCode(pngHeader(30000, 30000), 'IMAGE_TOO_LARGE'));
  test('corrupt JPEG', () => expectCode(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(3000, 7)]), 'CORRUPT_IMAGE'));
  test('blank page image', async () => {
    const white = await sharp({ create: { width: 1654, height: 2339, channels: 3, background: '#ffffff' } }).png().toBuffer();
    await expectCode(white, 'NO_TEXT');
  });
  test('an image without text (noise)', async () => {
    const w = 1200;
    const h = 1600;
    const px = Buffer.alloc(w * h);
    let seed = 42;
    for (let i = 0; i < px.length; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      px[i] = 128 + ((seed >> 16) % 128);
    }
    const img = await sharp(px, { raw: { width: w, height: h, channels: 1 } }).blur(3).png().toBuffer();
    await expectCode(img, 'NO_TEXT');
  });

  test('multi-page TIFF of blank pages is read page by page', async () => {
    const pages = await Promise.all([0, 1].map(() => sharp({ create: { width: 800, height: 1100, channels: 3, background: '#ffffff' } }).png().toBuffer()));
    const tiff = await sharp(pages, { join: { animated: true } }).tiff().toBuffer();
    const meta = await sharp(tiff).metadata();
    expect(meta.pages).toBe(2);
    await expectCode(tiff, 'NO_TEXT');
  });

  test('CLI: one JSON error line per bad file, the others still run, non-zero exit', async () => {
    const notPdf = path.join(tmp, 'fake.pdf');
    fs.writeFileSync(notPdf, 'not a pdf at all');
    const empty = path.join(tmp, 'empty.pdf');
    fs.writeFileSync(empty, await pdfWithPages(0));
    const missing = path.join(tmp, 'missing.pdf');
    const out: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    let code: number;
    try {
      code = await runOcrCli(['ocr', notPdf, empty, missing, '--json', '--concurrency', '1']);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(1);
    const rows = out.join('').trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.map((r) => [path.basename(r.file), r.error.code])).toEqual([
      ['fake.pdf', 'UNSUPPORTED_TYPE'],
      ['empty.pdf', 'EMPTY_PDF'],
      ['missing.pdf', 'READ_ERROR'],
    ]);
    for (const r of rows) expect(typeof r.error.message).toBe('string');
  });

  test('CLI --out: the searchable PDF goes straight to its file, with the thumbnail and the text beside it', async () => {
    const outDir = path.join(tmp, 'out');
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await runOcrCli(['ocr', path.join(CORPUS, 'dev09.pdf'), '--json', '--concurrency', '2', '--out', outDir]);
    } finally {
      spy.mockRestore();
    }
    expect(code).toBe(0);
    const pdf = fs.readFileSync(path.join(outDir, 'dev09.ocr.pdf'));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const doc = await openPdf(pdf, 10);
    try {
      const p0 = await doc.page(0);
      expect(p0.kind).toBe('text');
    } finally {
      await doc.close();
    }
    expect(fs.readFileSync(path.join(outDir, 'dev09.txt'), 'utf8')).toContain('CỘNG');
    expect((await sharp(fs.readFileSync(path.join(outDir, 'dev09.thumb.jpg'))).metadata()).width).toBe(300);
  });
});
