import { layoutPage, splitAtGaps, isNoiseWord } from './layout';
import type { OcrLine, OcrWord } from './engine';

const word = (text: string, x0: number, y0: number, conf = 90): OcrWord => ({ text, confidence: conf, bbox: { x0, y0, x1: x0 + text.length * 14, y1: y0 + 30 } });
const lineOf = (...ws: OcrWord[]): OcrLine => ({ words: ws, bbox: { x0: ws[0].bbox.x0, y0: ws[0].bbox.y0, x1: ws[ws.length - 1].bbox.x1, y1: ws[0].bbox.y1 } });
/** one line of body text across the text block */
const body = (y: number) => lineOf(...Array.from({ length: 10 }, (_, i) => word('chữchữchữ', 200 + i * 132, y)));

describe('reading order', () => {
  test('a line spanning both header columns is split at the gap and columns are read left then right', () => {
    const lines: OcrLine[] = [
      lineOf(word('UBND', 260, 100), word('HUYỆN', 330, 100), word('CỘNG', 900, 100), word('HÒA', 975, 100)),
      lineOf(word('UBND', 280, 150), word('XÃ', 350, 150), word('Độc', 960, 150), word('lập', 1010, 150)),
      lineOf(word('Số:', 300, 200), word('01/KH-UBND', 350, 200), word('Cổ', 900, 200), word('Loa,', 940, 200)),
      lineOf(word('KẾ', 700, 300), word('HOẠCH', 740, 300)),
      body(400),
      body(450),
      body(500),
    ];
    const lo = layoutPage(lines, 1654);
    const texts = lo.lines.map((l) => l.words.map((w) => w.text).join(' '));
    expect(texts.slice(0, 7)).toEqual(['UBND HUYỆN', 'UBND XÃ', 'Số: 01/KH-UBND', 'CỘNG HÒA', 'Độc lập', 'Cổ Loa,', 'KẾ HOẠCH']);
    expect(lo.lines.slice(0, 3).every((l) => l.col === 'left')).toBe(true);
    expect(lo.lines[3].col).toBe('right');
    expect(lo.lines[7].col).toBe('wide');
  });

  test('the motto splits a line even when the gap is narrow', () => {
    const parts = splitAtGaps(lineOf(word('NINH.', 500, 100), word('CỘNG', 540, 100), word('HÒA', 610, 100)));
    expect(parts.map((p) => p.map((w) => w.text))).toEqual([['NINH.'], ['CỘNG', 'HÒA']]);
  });

  test('dust and stamp junk is dropped, punctuation with good confidence is kept', () => {
    expect(isNoiseWord(word('°°', 0, 0, 82))).toBe(true);
    expect(isNoiseWord(word(':', 0, 0, 30))).toBe(true);
    expect(isNoiseWord(word('-', 0, 0, 92))).toBe(false);
    expect(isNoiseWord(word('Zx', 0, 0, 10))).toBe(true);
    expect(isNoiseWord(word('UBND', 0, 0, 10))).toBe(false);
  });

  test('empty page', () => {
    expect(layoutPage([], 1000)).toEqual({ lines: [], words: [], text: '' });
  });
});
