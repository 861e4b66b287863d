import { escapeLike, fold, lexemesOf, tokenize, tsvectorLiteral } from './text';
import { matcherOf, MAX_QUERY_CHARS, MAX_TERMS, parseQuery, type ParsedQuery } from './query';
import { pageOfHit, snippetsOf } from './snippet';

const q = (s: string): ParsedQuery => {
  const r = parseQuery(s);
  if (!r.ok) throw new Error(r.reason);
  return r.query;
};

describe('folding', () => {
  it('folds Vietnamese diacritics and đ, whatever the normal form', () => {
    expect(fold('Quyết định')).toBe('quyet dinh');
    expect(fold('ĐỒNG Ý đường')).toBe('dong y duong');
    expect(fold('Quyết định'.normalize('NFD'))).toBe('quyet dinh');
  });
  it('escapes LIKE wildcards', () => {
    expect(escapeLike('50%_a\\b')).toBe('50\\%\\_a\\\\b');
  });
});

describe('tokens and lexemes', () => {
  it('keeps a số ký hiệu whole and indexes its parts', () => {
    expect(tokenize('Kế hoạch số 05/KH-UBND ngày 3.1').map((t) => t.text)).toEqual(['Kế', 'hoạch', 'số', '05/KH-UBND', 'ngày', '3.1']);
    expect(lexemesOf('05/kh-ubnd').sort()).toEqual(['05', '05/kh', '05/kh-ubnd', 'kh', 'kh-ubnd', 'ubnd'].sort());
  });
  it('builds a weighted tsvector literal, sub-lexemes at the symbol position', () => {
    const lit = tsvectorLiteral([{ text: '05/KH-UBND', weight: 'A' }, { text: 'Quyết định', weight: 'C' }], 'folded');
    expect(lit).toContain("'05/kh-ubnd':1A");
    expect(lit).toContain("'kh-ubnd':1A");
    expect(lit).toContain("'quyet':10C");
    expect(tsvectorLiteral([{ text: 'Quyết định', weight: 'B' }], 'exact')).toBe("'quyết':1B 'định':2B");
  });
});

describe('parseQuery', () => {
  it('words are AND-ed, folded and exact', () => {
    const p = q('Quyết định');
    expect(p.folded).toBe("'quyet' & 'dinh'");
    expect(p.exact).toBe("'quyết' & 'định'");
  });
  it('NFD input is read as NFC', () => {
    expect(q('Quyết định'.normalize('NFD')).exact).toBe("'quyết' & 'định'");
  });
  it('phrases, prefixes and symbols', () => {
    expect(q('"kế hoạch" cải*').folded).toBe("('ke' <-> 'hoach') & 'cai':*");
    expect(q('05/KH-UBND').folded).toBe("'05/kh-ubnd'");
    expect(q('05 / KH-UBND').folded).toBe("'05/kh-ubnd'");
    expect(q('KH - UBND').folded).toBe("'kh-ubnd'");
  });
  it('an unbalanced quote is ignored, punctuation only gives no terms', () => {
    expect(q('"kế hoạch').folded).toBe("'ke' & 'hoach'");
    expect(q('%_\\"\'').terms).toEqual([]);
    expect(q('').terms).toEqual([]);
  });
  it('caps terms and refuses very long input', () => {
    expect(parseQuery('a'.repeat(MAX_QUERY_CHARS + 1)).ok).toBe(false);
    const long = q(Array.from({ length: 40 }, (_, i) => `từ${i}`).join(' '));
    expect(long.terms).toHaveLength(MAX_TERMS);
    expect(long.truncated).toBe(true);
  });
  it('lexemes are quoted safely', () => {
    expect(q("it's").folded).toBe("'it' & 's'");
  });
});

describe('snippets and page of hit', () => {
  it('marks hits on the original text with diacritics, escaped', () => {
    const m = matcherOf(q('quyet dinh'));
    const [s] = snippetsOf('Ủy ban <ban hành> Quyết định số 12', m);
    expect(s).toBe('Ủy ban &lt;ban hành&gt; <mark>Quyết</mark> <mark>định</mark> số 12');
    expect(snippetsOf('không có gì', m)).toEqual([]);
  });
  it('prefers the passage with the most query words', () => {
    const text = `Đông Anh ${'lorem '.repeat(40)}các vướng mắc cần phản ánh kịp thời`;
    const [first] = snippetsOf(text, matcherOf(q('vuong mac phan anh')), { context: 6, max: 1 });
    expect(first).toContain('<mark>vướng</mark> <mark>mắc</mark> cần <mark>phản</mark> <mark>ánh</mark>');
  });
  it('symbol parts match the whole symbol', () => {
    const m = matcherOf(q('05/KH'));
    expect(snippetsOf('theo 05/KH-UBND ngày', m)[0]).toContain('<mark>05/KH-UBND</mark>');
  });
  it('finds the page of the first hit', () => {
    const body = 'trang một nội dung\ntrang hai có quyết định\ntrang ba\nphụ lục: vắng mặt';
    const starts = [0, body.indexOf('trang hai'), body.indexOf('trang ba'), body.indexOf('phụ lục')];
    expect(pageOfHit(body, starts, matcherOf(q('quyết định')))).toBe(2);
    // the page with the most query words, the earliest on a tie
    expect(pageOfHit(body, starts, matcherOf(q('trang ba')))).toBe(3);
    expect(pageOfHit(body, starts, matcherOf(q('trang')))).toBe(1);
    // after the paged text (another file): no page
    expect(pageOfHit(body, starts, matcherOf(q('vắng')))).toBeNull();
    expect(pageOfHit(body, [0], matcherOf(q('trang')))).toBeNull();
  });
});
