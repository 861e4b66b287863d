/**
 * The searchable PDF's invisible text layer (glyphless font, searchable-pdf.ts) read back by poppler: the exact
 * Vietnamese words, in order, on the boxes they were put on; qpdf finds no error; the font is embedded once per
 * document, Type0 / CID TrueType with Identity-H and a ToUnicode CMap whose bfranges vary only their last byte.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import { buildSearchablePdf, writeSearchablePdf, type PdfPageInput } from './searchable-pdf';
import type { Box } from './engine';
import { withTool } from '../../../test/fixtures/tools';

const pdftotext = withTool('pdftotext');
const pdffonts = withTool('pdffonts');
const qpdf = withTool('qpdf');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'searchable-pdf-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const DPI = 200;
const W = 1654;
const H = 1000;

/** Words laid out left to right on lines 80 px apart, each 14 px wide per character and 40 px high. */
function layout(lines: string[], top: number): Array<{ words: Array<{ text: string; bbox: Box }> }> {
  return lines.map((line, i) => {
    let x = 120;
    const y0 = top + i * 80;
    return {
      words: line.split(' ').map((text) => {
        const bbox = { x0: x, y0, x1: x + 14 * [...text].length + 6, y1: y0 + 40 };
        x = bbox.x1 + 18;
        return { text, bbox };
      }),
    };
  });
}

const PAGE1 = ['Ủy ban nhân dân tỉnh', 'Quyết định', 'nghị định số 30/2020/NĐ-CP'];
const PAGE2 = ['Độc lập - Tự do - Hạnh phúc', 'Nơi nhận: Sở Tư pháp'];

let pdfFile: string;
let pages: PdfPageInput[];

beforeAll(async () => {
  const blank = sharp({ create: { width: W, height: H, channels: 3, background: '#ffffff' } });
  pages = [
    { kind: 'image', image: await blank.clone().jpeg().toBuffer(), imageType: 'jpeg', width: W, height: H, dpi: DPI, lines: layout(PAGE1, 100) },
    // decomposed (NFD) input is written as NFC
    { kind: 'image', image: await blank.clone().png().toBuffer(), imageType: 'png', width: W, height: H, dpi: DPI, lines: layout(PAGE2.map((l) => l.normalize('NFD')), 200) },
  ];
  pdfFile = path.join(tmp, 'out.pdf');
  await writeSearchablePdf(pages, pdfFile, undefined, 'Quyết định');
});

const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: 'utf8' });

pdftotext.test(`pdftotext reads back the exact words, in order${pdftotext.note}`, () => {
  const text = run('pdftotext', ['-layout', '-enc', 'UTF-8', pdfFile, '-']);
  const pageLines = text.split('\f').map((p) =>
    p
      .split('\n')
      .map((l) => l.trim().replace(/\s+/g, ' '))
      .filter(Boolean),
  );
  expect(pageLines[0]).toEqual(PAGE1);
  expect(pageLines[1]).toEqual(PAGE2);
});

pdftotext.test(`each word's box (pdftotext -bbox) is the OCR box it was put on${pdftotext.note}`, () => {
  const xhtml = run('pdftotext', ['-bbox', '-enc', 'UTF-8', pdfFile, '-']);
  const got = [...xhtml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
    text: m[5],
    box: [m[1], m[2], m[3], m[4]].map(Number),
  }));
  const want = pages.flatMap((p) => (p.kind === 'image' ? p.lines.flatMap((l) => l.words) : []));
  expect(got.map((g) => g.text)).toEqual(want.map((w) => w.text.normalize('NFC')));
  const k = 72 / DPI;
  got.forEach((g, i) => {
    const b = want[i].bbox;
    [b.x0, b.y0, b.x1, b.y1].forEach((v, j) => expect(Math.abs(g.box[j] - v * k)).toBeLessThan(0.5));
  });
});

qpdf.test(`qpdf --check finds no error${qpdf.note}`, () => {
  // exits non-zero on errors, 3 on warnings
  const out = run('qpdf', ['--check', pdfFile]);
  expect(out).toContain('No syntax or stream encoding errors found');
  expect(out).not.toMatch(/WARNING/i);
});

pdffonts.test(`the glyphless font is embedded once, Type0 / CID TrueType with Identity-H and ToUnicode${pdffonts.note}`, () => {
  const rows = run('pdffonts', [pdfFile]).trim().split('\n').slice(2);
  expect(rows).toHaveLength(1); // both pages use the same font object
  expect(rows[0]).toMatch(/^GlyphLessFont\s+CID TrueType\s+Identity-H\s+yes\s+no\s+yes\s/);
});

test('ToUnicode bfranges vary only their last byte, at most 100 per block; CIDToGIDMap maps every CID to GID 1', async () => {
  const doc = await PDFDocument.load(fs.readFileSync(pdfFile));
  const fonts = doc.context
    .enumerateIndirectObjects()
    .map(([, o]) => o)
    .filter((o): o is PDFDict => o instanceof PDFDict && o.get(PDFName.of('Subtype')) === PDFName.of('Type0'));
  expect(fonts).toHaveLength(1);
  const streamOf = (d: PDFDict, key: string) => {
    const s = doc.context.lookup(d.get(PDFName.of(key)) as PDFRef);
    expect(s).toBeInstanceOf(PDFRawStream);
    return zlib.inflateSync((s as PDFRawStream).getContents());
  };
  const cmap = streamOf(fonts[0], 'ToUnicode').toString('latin1');
  const blocks = [...cmap.matchAll(/(\d+) beginbfrange\n([^]*?)\nendbfrange/g)];
  const ranges = blocks.flatMap((b) => {
    const r = b[2].split('\n');
    expect(r).toHaveLength(Number(b[1]));
    expect(r.length).toBeLessThanOrEqual(100);
    return r;
  });
  expect(ranges).toHaveLength(256 - 8); // every high byte but the surrogates'
  for (const r of ranges) {
    const m = /^<([0-9A-F]{2})00> <([0-9A-F]{2})FF> <([0-9A-F]{2})00>$/.exec(r);
    expect(m && m[1] === m[2] && m[2] === m[3]).toBe(true);
  }
  const cid = doc.context.lookup(fonts[0].lookup(PDFName.of('DescendantFonts'), PDFArray).get(0), PDFDict);
  const map = streamOf(cid, 'CIDToGIDMap');
  expect(map.length).toBe(2 * 65536);
  for (let i = 0; i < map.length; i += 2) if (map.readUInt16BE(i) !== 1) throw new Error(`CID ${i / 2} → GID ${map.readUInt16BE(i)}`);
});

pdftotext.test(`a character outside the BMP is written as U+FFFD, its neighbours unchanged${pdftotext.note}`, async () => {
  const img = await sharp({ create: { width: 400, height: 100, channels: 3, background: '#ffffff' } }).jpeg().toBuffer();
  const words = [
    { text: 'số', bbox: { x0: 10, y0: 20, x1: 60, y1: 60 } },
    { text: 'a😀b', bbox: { x0: 80, y0: 20, x1: 160, y1: 60 } },
  ];
  const f = path.join(tmp, 'astral.pdf');
  fs.writeFileSync(f, await buildSearchablePdf([{ kind: 'image', image: img, imageType: 'jpeg', width: 400, height: 100, dpi: DPI, lines: [{ words }] }]));
  expect(run('pdftotext', ['-enc', 'UTF-8', f, '-']).trim()).toBe('số a\uFFFDb');
});
