import { boxesOf, wordMatches } from './hit-page';
import { matcherOf, parseQuery } from './domain';

const matcher = (q: string) => {
  const p = parseQuery(q);
  if (!p.ok) throw new Error(p.reason);
  return matcherOf(p.query);
};

describe('the words of a hit on the scan (pure)', () => {
  const page = {
    width: 1000,
    height: 2000,
    lines: [
      {
        words: [
          { text: 'Tuyên', bbox: { x0: 100, y0: 200, x1: 180, y1: 230 } },
          { text: 'truyền,', bbox: { x0: 190, y0: 200, x1: 280, y1: 230 } },
          { text: 'cải', bbox: { x0: 290, y0: 200, x1: 330, y1: 230 } },
        ],
      },
      { words: [{ text: '166/KH-UBND', bbox: { x0: 100, y0: 100, x1: 300, y1: 130 } }] },
    ],
  };

  it('boxes the words of the query, typed with or without diacritics, as fractions of the page', () => {
    expect(boxesOf(page, matcher('tuyen truyen'))).toEqual([
      { x: 0.1, y: 0.1, width: 0.08, height: 0.015, text: 'Tuyên' },
      { x: 0.19, y: 0.1, width: 0.09, height: 0.015, text: 'truyền,' },
    ]);
    expect(boxesOf(page, matcher('"cải"')).map((b) => b.text)).toEqual(['cải']);
    expect(boxesOf(page, matcher('166/KH-UBND')).map((b) => b.text)).toEqual(['166/KH-UBND']);
    expect(boxesOf(page, matcher('KH-UBND')).map((b) => b.text)).toEqual(['166/KH-UBND']);
    expect(boxesOf(page, matcher('quyết định'))).toEqual([]);
  });

  it('a page without a size or words has no boxes; punctuation alone never matches', () => {
    expect(boxesOf({ lines: page.lines }, matcher('tuyen'))).toEqual([]);
    expect(boxesOf({ width: 10, height: 10 }, matcher('tuyen'))).toEqual([]);
    expect(wordMatches('—', matcher('tuyen'))).toBe(false);
  });
});
