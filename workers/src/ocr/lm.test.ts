import { alignedPairs, buildLm, learnConfusions, lmCorrectLine, markDiff, PRIOR_COSTS, skeleton, syllables } from './lm';

const w = (text: string, confidence = 90) => ({ text, confidence, bbox: { x0: 0, y0: 0, x1: 1, y1: 1 } });
const texts = (ws: Array<{ text: string }>) => ws.map((x) => x.text).join(' ');

// born-digital text of an invented deployment (no corpus strings): "điện tử" and "thuộc tính" are frequent,
// "tứ" and "thuộc tỉnh" occur too
const issued = [
  'Triển khai chính phủ điện tử và chữ ký điện tử trong cơ quan.',
  'Cổng thông tin điện tử của tỉnh đăng tải văn bản điện tử.',
  'Hồ sơ điện tử được lưu trữ theo thuộc tính của văn bản.',
  'Các thuộc tính của hồ sơ gồm số, ký hiệu và ngày tháng.',
  'Đơn vị thuộc tỉnh báo cáo trước ngày thứ tư.',
  'Tứ quý và tứ phía.',
];

describe('syllables', () => {
  it('splits into lower-case syllables with a break at punctuation', () => {
    expect(syllables('Điện tử, văn bản.')).toEqual(['điện', 'tử', null, 'văn', 'bản', null]);
    expect(skeleton('Đường')).toBe('duong');
  });
});

describe('lmCorrectLine', () => {
  const lm = { lm: buildLm(issued, ['tứ', 'tử', 'tính', 'tỉnh']), costs: PRIOR_COSTS };

  it('fixes a misread tone from its neighbours: "điện tứ" → "điện tử"', () => {
    expect(texts(lmCorrectLine([w('Chính'), w('phủ'), w('điện'), w('tứ,', 70)], lm))).toBe('Chính phủ điện tử,');
  });

  it('keeps a word that is right in its context: "thuộc tính" stays, and "thuộc tỉnh" stays', () => {
    expect(texts(lmCorrectLine([w('các'), w('thuộc'), w('tính'), w('của')], lm))).toBe('các thuộc tính của');
    expect(texts(lmCorrectLine([w('Đơn'), w('vị'), w('thuộc'), w('tỉnh')], lm))).toBe('Đơn vị thuộc tỉnh');
  });

  it('keeps the case, the punctuation, numbers and symbols', () => {
    expect(texts(lmCorrectLine([w('ĐIỆN'), w('TỨ', 70), w('05/KH-UBND'), w('2024.')], lm))).toBe('ĐIỆN TỬ 05/KH-UBND 2024.');
  });

  it('with a confident reading and learnt low error rates, a rare but valid word is not changed', () => {
    const strict = { lm: lm.lm, costs: { ...PRIOR_COSTS, tone: [0.001, 0.001, 0.0001] } };
    expect(texts(lmCorrectLine([w('điện'), w('tứ', 99)], strict))).toBe('điện tứ');
  });
});

describe('learnConfusions', () => {
  it('learns per kind of mark and confidence band how often OCR got it wrong', () => {
    const pairs = [
      ...Array.from({ length: 40 }, () => ({ ocr: 'tứ', truth: 'tử', confidence: 50 })),
      ...Array.from({ length: 60 }, () => ({ ocr: 'tử', truth: 'tử', confidence: 50 })),
      ...Array.from({ length: 100 }, () => ({ ocr: 'đến', truth: 'đến', confidence: 95 })),
      { ocr: 'khác', truth: 'không', confidence: 95 }, // another skeleton: not a mark confusion, ignored
    ];
    const c = learnConfusions(pairs);
    expect(c.tone[0]).toBeGreaterThan(0.3); // 40 of 100 at low confidence
    expect(c.tone[2]).toBeLessThan(0.01);
    expect(c.d[2]).toBeLessThan(0.01);
    expect(markDiff('dến', 'đến')).toEqual({ tone: false, vowel: false, d: true });
    expect(markDiff('ơ', 'ô')).toEqual({ tone: false, vowel: true, d: false });
  });
});

describe('alignedPairs', () => {
  it('pairs OCR words with truth words of the same skeleton, through insertions and deletions', () => {
    const p = alignedPairs([w('Chính'), w('phu'), w('~~'), w('điện', 80), w('tứ', 40)], 'Chính phủ về điện tử');
    expect(p.map((x) => `${x.ocr}>${x.truth}`)).toEqual(['chính>chính', 'phu>phủ', 'điện>điện', 'tứ>tử']);
    expect(p[3].confidence).toBe(40);
  });
});
