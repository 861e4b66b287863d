import { layoutPage, restoreListDashes, splitAtGaps, isNoiseWord } from './layout';
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

  test('a word read with low confidence right after a confident word is text; dust standing apart is not', () => {
    const lines: OcrLine[] = [
      body(100),
      body(150),
      body(200),
      // "- UBND huyện (b/€);" — the last word at 24 %, a word space after "huyện"; a speck far to the right at 10 %
      lineOf(word('-', 200, 300), word('UBND', 222, 300), word('huyện', 290, 300), word('(b/€);', 372, 300, 24), word('ÍÍ', 900, 300, 10)),
      // after a word that was itself read with low confidence: nothing to lean on
      lineOf(word('Lưu:', 200, 350), word('VT.', 262, 350, 60), word('.:', 312, 350, 20)),
    ];
    const texts = layoutPage(lines, 1654).lines.map((l) => l.words.map((w) => w.text).join(' '));
    expect(texts).toContain('- UBND huyện (b/€);');
    expect(texts.join('\n')).not.toContain('ÍÍ');
    expect(texts).toContain('Lưu: VT.');
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

  test('"Nơi nhận" items that lost their dash get it back; wrapped lines and the signer column are left alone', () => {
    const seg = (col: 'left' | 'right' | 'wide', ...ws: OcrWord[]) => ({ col, words: ws });
    const segs = [
      seg('wide', word('chữ', 200, 900)),
      seg('left', word('Nơi', 200, 1000), word('nhận:', 250, 1000)),
      seg('left', word('-', 200, 1040), word('Như', 225, 1040), word('trên;', 280, 1040)),
      seg('left', word('Các', 226, 1080), word('phòng,', 280, 1080), word('ban', 370, 1080)), // dash lost
      seg('left', word('chuyên', 226, 1120), word('môn;', 320, 1120)), // a wrapped item: lower case
      seg('left', word(':', 200, 1160), word('Lưu:', 226, 1160), word('VT.', 290, 1160)), // dash read as ":"
      seg('right', word('CHỦ', 900, 1040), word('TỊCH', 960, 1040)),
    ];
    const out = restoreListDashes(segs).map((s) => s.words.map((w) => w.text).join(' '));
    expect(out).toEqual(['chữ', 'Nơi nhận:', '- Như trên;', '- Các phòng, ban', 'chuyên môn;', '- Lưu: VT.', 'CHỦ TỊCH']);
    expect(restoreListDashes(segs)[3].words[0].bbox.x0).toBe(200);
    // no heading: nothing changes
    expect(restoreListDashes(segs.slice(2))).toEqual(segs.slice(2));
  });

  test('empty page', () => {
    expect(layoutPage([], 1000)).toEqual({ lines: [], words: [], text: '' });
  });
});
