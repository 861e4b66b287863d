import { alignedPairs, buildLm, dropStrayMarks, learnConfusions, lmCorrectLine, lowerCaseInSentence, markDiff, mergeFragments, PRIOR_COSTS, skeleton, syllables } from './lm';

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

  it('keeps the tone placement as printed ("hòa" / "hoà", "thủy" / "thuỷ" are both right)', () => {
    const newStyle = { lm: buildLm(['Cộng hoà xã hội, hoà bình và thuỷ lợi.', 'Hoà giải ở cơ sở.'], ['hoà', 'thuỷ', 'hóa', 'hỏa']), costs: PRIOR_COSTS };
    expect(texts(lmCorrectLine([w('CỘNG'), w('HÒA'), w('XÃ'), w('HỘI')], newStyle))).toBe('CỘNG HÒA XÃ HỘI');
    expect(texts(lmCorrectLine([w('công'), w('trình'), w('thủy'), w('lợi')], newStyle))).toBe('công trình thủy lợi');
    expect(texts(lmCorrectLine([w('Cộng'), w('hoà'), w('xã'), w('hội')], newStyle))).toBe('Cộng hoà xã hội');
    // a misread tone is still corrected, in the placement the OCR word had
    expect(texts(lmCorrectLine([w('Cộng'), w('hóa', 50), w('xã'), w('hội')], newStyle))).toBe('Cộng hòa xã hội');
  });

  it('with a confident reading and learnt low error rates, a rare but valid word is not changed', () => {
    const strict = { lm: lm.lm, costs: { ...PRIOR_COSTS, tone: [0.001, 0.001, 0.0001] } };
    expect(texts(lmCorrectLine([w('điện'), w('tứ', 99)], strict))).toBe('điện tứ');
  });
});

describe('beyond the marks (born-digital text of an invented deployment)', () => {
  const deployment = [
    'Nâng cao chất lượng nguyên tắc phục vụ, hạn chế thủ tục rườm rà trên cổng thông tin.',
    'Kế hoạch nâng cao chất lượng phục vụ của cơ quan theo nguyên tắc công khai, minh bạch.',
    'Bộ phận tiếp nhận hồ sơ đăng tải trên website của cơ quan và website của tỉnh.',
    'Các nguyên tắc được nêu trên website của Sở Nội vụ; hạn chế việc gây phiền hà.',
    'Một số nơi còn hạn chế; một số cơ quan đã thực hiện tốt việc công khai.',
    'Kinh tế - xã hội phát triển, hạn chế tồn tại được khắc phục, một số chỉ tiêu đạt.',
    'Ban chỉ đạo CCHC họp định kỳ; CCHC là nhiệm vụ trọng tâm; báo cáo CCHC hằng quý.',
    'Đáp ứng yêu cầu công việc; yêu cầu cao về chất lượng.',
  ];
  const lm = buildLm(deployment, ['nguyên', 'tắc', 'yêu', 'cầu', 'nay', 'nav']);
  const c = { lm, costs: PRIOR_COSTS };

  it('joins a syllable OCR cut in two or three, not two words that are words side by side', () => {
    expect(texts(mergeFragments([w('các'), w('nguy'), w('ên'), w('tắc')], lm))).toBe('các nguyên tắc');
    expect(texts(mergeFragments([w('trên'), w('web'), w('si'), w('te'), w('của')], lm))).toBe('trên website của');
    expect(texts(mergeFragments([w('chất'), w('lượng')], lm))).toBe('chất lượng');
    const std = buildLm(['Tiêu chuẩn quốc gia.', 'Đạt chuẩn nông thôn mới.', 'Chuẩn hóa dữ liệu theo tiêu chuẩn.'], ['chu', 'ấn']);
    expect(texts(lmCorrectLine([w('tiêu'), w('chu'), w('ấn'), w('quốc')], { lm: std, costs: PRIOR_COSTS }))).toBe('tiêu chuẩn quốc');
    expect(texts(mergeFragments([w('nguy,'), w('ên')], lm))).toBe('nguy, ên'); // not across punctuation
  });

  it('drops a mark between two syllables the text writes side by side, keeps one it writes with punctuation', () => {
    expect(texts(dropStrayMarks([w('hạn,'), w('chế'), w('thủ'), w('tục')], lm))).toBe('hạn chế thủ tục');
    expect(texts(dropStrayMarks([w('nâng'), w('-'), w('cao'), w('chất'), w('-lượng')], lm))).toBe('nâng cao chất lượng');
    expect(texts(dropStrayMarks([w('kinh'), w('tế'), w('-'), w('xã'), w('hội')], lm))).toBe('kinh tế - xã hội');
    expect(texts(dropStrayMarks([w('nơi'), w('còn'), w('hạn'), w('chế;'), w('một'), w('số')], lm))).toBe('nơi còn hạn chế; một số');
  });

  it('puts in lower case a word capitalised inside a sentence that the text never capitalises there', () => {
    expect(texts(lowerCaseInSentence([w('còn'), w('một'), w('SỐ'), w('nơi')], lm))).toBe('còn một số nơi');
    expect(texts(lowerCaseInSentence([w('website'), w('của'), w('Sở'), w('nội')], lm))).toBe('website của Sở nội'); // "Sở" is capitalised there
    expect(texts(lowerCaseInSentence([w('Nguyễn'), w('Văn'), w('Một')], lm))).toBe('Nguyễn Văn Một'); // a name
    expect(texts(lowerCaseInSentence([w('Một'), w('số'), w('nơi')], lm))).toBe('Một số nơi'); // a sentence start
  });

  it('corrects a word outside the vocabulary one letter off, and an acronym the text uses often', () => {
    expect(texts(lmCorrectLine([w('yêu'), w('cầu'), w('cao', 90), w('vêu', 60), w('cầu')], c))).toBe('yêu cầu cao yêu cầu');
    expect(texts(lmCorrectLine([w('báo'), w('cáo'), w('CCHOC', 60), w('hằng'), w('quý')], c))).toBe('báo cáo CCHC hằng quý');
    expect(texts(lmCorrectLine([w('ISO'), w('website')], c))).toBe('ISO website'); // unknown capitals, known word: kept
    // two letters off an acronym the text uses often, for five letters or more; not for shorter ones
    expect(texts(lmCorrectLine([w('báo'), w('cáo'), w('CCHOG', 60), w('hằng'), w('quý')], c))).toBe('báo cáo CCHC hằng quý');
    expect(texts(lmCorrectLine([w('báo'), w('cáo'), w('COHG', 60), w('hằng'), w('quý')], c))).toBe('báo cáo COHG hằng quý');
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
