import { foldVietnamese, isVietnameseSyllable, nfc, wellFormedSyllables, normaliseSyllableTone, normaliseToneMarks, normaliseVietnamese, stripTone, toneOf } from './index';

describe('vntext', () => {
  test('nfc composes decomposed input', () => {
    const decomposed = 'Hòa'.normalize('NFD');
    expect(decomposed.length).toBeGreaterThan(3);
    expect(nfc(decomposed)).toBe('Hòa');
  });

  test('foldVietnamese removes diacritics, maps đ, lower-cases and collapses spaces', () => {
    expect(foldVietnamese('CỘNG HÒA  XÃ HỘI')).toBe('cong hoa xa hoi');
    expect(foldVietnamese('Đồng Nai, ngày 09')).toBe('dong nai, ngay 09');
    expect(foldVietnamese('hoà')).toBe(foldVietnamese('hòa'));
    expect(foldVietnamese('05/KH-UBND')).toBe('05/kh-ubnd');
  });

  test('tone of a syllable and stripping it', () => {
    expect(toneOf('hòa')).toBe(1);
    expect(toneOf('quyết')).toBe(2);
    expect(toneOf('ngã')).toBe(3);
    expect(toneOf('thủy')).toBe(4);
    expect(toneOf('nặng')).toBe(5);
    expect(toneOf('ban')).toBe(0);
    expect(stripTone('Nguyễn')).toBe('Nguyên');
  });

  test.each([
    ['hoà', 'hòa', 'hoà'],
    ['khoẻ', 'khỏe', 'khoẻ'],
    ['thuỷ', 'thủy', 'thuỷ'],
    ['UỶ', 'ỦY', 'UỶ'],
    ['toán', 'toán', 'toán'],
    ['hoàn', 'hoàn', 'hoàn'],
    ['quý', 'quý', 'quý'],
    ['quyết', 'quyết', 'quyết'],
    ['già', 'già', 'già'],
    ['người', 'người', 'người'],
    ['khuyến', 'khuyến', 'khuyến'],
    ['mái', 'mái', 'mái'],
  ])('tone placement %s → old %s / new %s', (input, old, neu) => {
    expect(normaliseSyllableTone(input, 'old')).toBe(old);
    expect(normaliseSyllableTone(input, 'new')).toBe(neu);
  });

  test('normaliseToneMarks leaves numbers and symbols untouched', () => {
    expect(normaliseToneMarks('CỘNG HOÀ, số 05/KH-UBND ngày 9-2-2017', 'old')).toBe('CỘNG HÒA, số 05/KH-UBND ngày 9-2-2017');
    expect(normaliseVietnamese('  Uỷ   ban  ')).toBe('Ủy ban');
  });

  test.each(['nghiêng', 'quyết', 'gì', 'giữa', 'hòa', 'hoà', 'thủy', 'khuya', 'người', 'kênh', 'ghi', 'ủy', 'Đông', 'Anh', 'cách', 'ghe', 'nghe', 'quýt', 'Quỳnh', 'quỷnh'])('%s is a syllable', (s) => {
    expect(isVietnameseSyllable(s)).toBe(true);
  });

  test('the well-formed syllables are generated from the inventory: every form, both tone placements, nothing ill-formed', () => {
    const all = wellFormedSyllables();
    const set = new Set(all);
    expect(set.size).toBe(all.length);
    // the language has about 6,700 syllables in use; the rules allow more (well formed, unused), not ten times more
    expect(all.length).toBeGreaterThan(10_000);
    expect(all.length).toBeLessThan(25_000);
    for (const w of ['của', 'được', 'những', 'nghiêng', 'quyết', 'quốc', 'quýt', 'quỳnh', 'gì', 'gìn', 'giếng', 'giữa', 'yên', 'uyên', 'khuya', 'người', 'kỳ', 'ủy', 'hòa', 'hoà', 'thủy', 'thuỷ', 'khỏe', 'khoẻ'])
      expect(set.has(w)).toBe(true);
    // stop finals take only sắc / nặng; c/k, g/gh, ng/ngh spelling; no "qu" + "u"
    for (const w of ['dươc', 'bàt', 'ká', 'cê', 'ghà', 'ngê', 'quuân', 'giì']) expect(set.has(w)).toBe(false);
    for (const w of all) {
      expect(w).toBe(w.normalize('NFC').toLowerCase());
      expect(isVietnameseSyllable(w)).toBe(true);
    }
  });

  test.each(['UBND', 'ka', 'ge', 'nghe_', 'ngê', 'cáchh', 'bàt', 'tỉnhh', 'xyz', 'hóà', 'ngha', '05', 'KH-UBND'])('%s is not a syllable', (s) => {
    expect(isVietnameseSyllable(s)).toBe(false);
  });
});
