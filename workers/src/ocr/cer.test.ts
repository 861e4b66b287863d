import { cer, flexCer, levenshtein, normForCer } from './cer';

describe('CER', () => {
  test('levenshtein counts code points', () => {
    expect(levenshtein('kitten', 'sitting')).toBe(3);
    expect(levenshtein('hòa', 'hoà'.normalize('NFC'))).toBe(2);
    expect(levenshtein('', 'abc')).toBe(3);
  });
  test('normalisation: NFC and whitespace', () => {
    expect(normForCer(' a \n\n b\t')).toBe('a b');
    expect(cer('Hòa'.normalize('NFD'), 'Hòa').cer).toBe(0);
  });
  test('strict CER is order-sensitive, flexCER forgives line order', () => {
    const truth = 'ỦY BAN NHÂN DÂN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM';
    const swapped = 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nỦY BAN NHÂN DÂN';
    expect(cer(swapped, truth).cer).toBeGreaterThan(0.3);
    expect(flexCer(swapped, truth).cer).toBe(0);
    expect(flexCer(swapped + ' rác', truth).edits).toBe(3);
  });
});
