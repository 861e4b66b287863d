import path from 'node:path';
import sharp from 'sharp';
import { PSM } from 'tesseract.js';
import { chooseEngine } from './pipeline';
import { cropPgm, linesFromTsv, NativeEngine, nativeTesseractAvailable } from './native-engine';
import { SCANS_DIR } from '../../../test/fixtures';
import { withTool } from '../../../test/fixtures/tools';

const pgm = (w: number, h: number, f: (x: number, y: number) => number) => {
  const data = Buffer.alloc(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) data[y * w + x] = f(x, y);
  return Buffer.concat([Buffer.from(`P5\n${w} ${h}\n255\n`, 'latin1'), data]);
};

describe('cropPgm', () => {
  it('cuts the rectangle, row by row', () => {
    const img = pgm(5, 4, (x, y) => y * 10 + x);
    const c = cropPgm(img, { left: 1, top: 2, width: 3, height: 2 });
    expect(c.subarray(0, 11).toString('latin1')).toBe('P5\n3 2\n255\n');
    expect([...c.subarray(11)]).toEqual([21, 22, 23, 31, 32, 33]);
  });
  it('clips a rectangle that leaves the image, and refuses what is not an 8-bit PGM', () => {
    const c = cropPgm(pgm(4, 4, () => 7), { left: 2, top: -3, width: 10, height: 5 });
    expect(c.subarray(0, 11).toString('latin1')).toBe('P5\n2 2\n255\n');
    expect(() => cropPgm(Buffer.from('P6\n1 1\n255\n\0\0\0'), { left: 0, top: 0, width: 1, height: 1 })).toThrow(/PGM/);
  });
});

describe('linesFromTsv', () => {
  const tsv = [
    'level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext',
    '1\t1\t0\t0\t0\t0\t0\t0\t1000\t1000\t-1\t',
    '4\t1\t1\t1\t1\t0\t10\t20\t300\t30\t-1\t',
    '5\t1\t1\t1\t1\t1\t10\t20\t100\t30\t96.5\tQuyết',
    '5\t1\t1\t1\t1\t2\t120\t22\t90\t28\t91\tđịnh',
    '5\t1\t1\t1\t1\t3\t220\t22\t5\t5\t-1\t ',
    '5\t1\t1\t1\t2\t1\t10\t60\t50\t30\t80\tSố:',
    '',
  ].join('\n');
  it('groups words into lines with boxes and confidences, NFC, shifted by the offset', () => {
    const r = linesFromTsv(tsv.replace('Quyết', 'Quye\u0302\u0301t'), 5, 100);
    expect(r.lines).toHaveLength(2);
    expect(r.lines[0].words.map((w) => w.text)).toEqual(['Quyết', 'định']);
    expect(r.lines[0].words[0].text).toBe('Quyết'.normalize('NFC'));
    expect(r.lines[0].bbox).toEqual({ x0: 15, y0: 120, x1: 215, y1: 150 });
    expect(r.lines[1].words[0]).toEqual({ text: 'Số:', confidence: 80, bbox: { x0: 15, y0: 160, x1: 65, y1: 190 } });
    expect(r.confidence).toBeCloseTo((96.5 + 91 + 80) / 3, 5);
  });
  it('reads an empty page as no lines', () => {
    expect(linesFromTsv('level\tpage_num\n')).toEqual({ lines: [], confidence: 0 });
  });
});

describe('chooseEngine', () => {
  it('takes wasm when asked, refuses an unknown engine, and native only where Tesseract has the languages', () => {
    expect(chooseEngine('wasm', ['vie'])).toBe('wasm');
    expect(() => chooseEngine('fast' as never, ['vie'])).toThrow(/OCR_ENGINE/);
    expect(chooseEngine('auto', ['khongco'])).toBe('wasm'); // no such language installed
    expect(() => chooseEngine('native', ['khongco'])).toThrow(/not installed/);
    expect(chooseEngine('auto', ['vie'])).toBe(nativeTesseractAvailable(['vie']) ? 'native' : 'wasm');
  });
});

describe('NativeEngine.recogniseRects', () => {
  const tool = withTool('tesseract');
  tool.test(`reads several rectangles in one process, each as read alone, in page coordinates${tool.note}`, async () => {
    const { data, info } = await sharp(path.join(SCANS_DIR, 'dev03.p1.jpg')).greyscale().raw().toBuffer({ resolveWithObject: true });
    const page = Buffer.concat([Buffer.from(`P5\n${info.width} ${info.height}\n255\n`, 'latin1'), data]);
    const w = info.width;
    const rects = [
      { left: 0, top: 0, width: Math.round(w / 2), height: Math.round(info.height / 8) },
      { left: Math.round(w / 2), top: 0, width: w - Math.round(w / 2), height: Math.round(info.height / 8) },
    ];
    const engine = new NativeEngine({ concurrency: 1, langs: ['vie'], psm: PSM.SINGLE_BLOCK });
    try {
      const many = await engine.recogniseRects(page, 200, rects, PSM.SINGLE_BLOCK);
      const alone = await Promise.all(rects.map((rect) => engine.recognise(page, 200, { rect, psm: PSM.SINGLE_BLOCK })));
      expect(many).toHaveLength(2);
      for (let i = 0; i < 2; i++) {
        const words = many[i].lines.flatMap((l) => l.words);
        expect(words.length).toBeGreaterThan(3);
        expect(words.map((x) => x.text)).toEqual(alone[i].lines.flatMap((l) => l.words).map((x) => x.text));
        for (const x of words) expect(x.bbox.x0).toBeGreaterThanOrEqual(rects[i].left);
      }
      expect(many[1].lines.flatMap((l) => l.words).map((x) => x.text).join(' ')).toMatch(/CỘNG|HÒA|Độc/);
    } finally {
      await engine.close();
    }
  });
});

describe('NativeEngine: libtesseract kept loaded (host) and the command', () => {
  const tool = withTool('tesseract');
  const top = async () => {
    const { data, info } = await sharp(path.join(SCANS_DIR, 'dev03.p1.jpg')).greyscale().raw().toBuffer({ resolveWithObject: true });
    return { page: Buffer.concat([Buffer.from(`P5\n${info.width} ${info.height}\n255\n`, 'latin1'), data]), w: info.width, h: info.height };
  };
  tool.test(`read the same words and boxes; a host that dies is replaced; no library → the command${tool.note}`, async () => {
    const { page, w, h } = await top();
    const header = { left: 0, top: 0, width: w, height: Math.round(h / 6) };
    const halves = [
      { left: 0, top: 0, width: Math.round(w / 2), height: Math.round(h / 8) },
      { left: Math.round(w / 2), top: 0, width: w - Math.round(w / 2), height: Math.round(h / 8) },
    ];
    const host = new NativeEngine({ concurrency: 1, langs: ['vie'], psm: PSM.SINGLE_COLUMN, mode: 'host' });
    const command = new NativeEngine({ concurrency: 1, langs: ['vie'], psm: PSM.SINGLE_COLUMN, mode: 'command' });
    const missing = new NativeEngine({ concurrency: 1, langs: ['vie'], psm: PSM.SINGLE_COLUMN, mode: 'host', library: 'libkhongco-tesseract.so' });
    try {
      const byCommand = await command.recognise(page, 200, { rect: header });
      const byHost = await host.recognise(page, 200, { rect: header });
      expect(host.mode).toBe('host');
      expect(byHost.lines.flatMap((l) => l.words).length).toBeGreaterThan(5);
      expect(byHost).toEqual(byCommand);
      expect(await host.recogniseRects(page, 200, halves, PSM.SINGLE_BLOCK)).toEqual(await command.recogniseRects(page, 200, halves, PSM.SINGLE_BLOCK));

      // the host crashes (killed) between two pages: the next page is read by a new one
      const [pid] = host.hostPids();
      process.kill(pid, 'SIGKILL');
      expect(await host.recognise(page, 200, { rect: header })).toEqual(byCommand);
      expect(host.hostPids()).not.toContain(pid);

      // where libtesseract cannot be loaded, the command reads (and goes on reading) the pages
      expect(await missing.recognise(page, 200, { rect: header })).toEqual(byCommand);
      expect(missing.mode).toBe('command');
    } finally {
      await Promise.all([host.close(), command.close(), missing.close()]);
    }
  });
});
