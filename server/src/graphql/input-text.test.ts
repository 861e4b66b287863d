/** The text rule for every GraphQL string input (input-text.ts) and its application to literal arguments. */
import { parse, print } from 'graphql';
import { cleanText, cleanValue, cleanVariables, NulCharacterError } from './input-text';
import { cleanDocument } from './yoga';

describe('input text rule', () => {
  it('refuses NUL with the field path', () => {
    expect(() => cleanText('a\u0000b', 'input.subject')).toThrow(NulCharacterError);
    try {
      cleanVariables({ input: { recipients: [{ name: 'ok' }, { name: 'x\u0000' }] } });
      throw new Error('not refused');
    } catch (e) {
      expect((e as NulCharacterError).path).toBe('input.recipients.1.name');
      expect((e as Error).message).toMatch(/NUL/);
    }
  });

  it('drops C0/C1 controls and bidi marks, keeps tab/newline/CR, and normalises to NFC', () => {
    expect(cleanText('Công\u0007 văn\u0085 \u202Egnab\u202C\u2066x\u2069\u200E')).toBe('Công văn gnabx');
    expect(cleanText('dòng 1\r\ndòng\t2')).toBe('dòng 1\r\ndòng\t2');
    const decomposed = 'Nguye\u0302\u0303n';
    expect(cleanText(decomposed)).toBe('Nguyễn');
    expect(cleanText(decomposed).length).toBe(6);
  });

  it('keeps passwords verbatim (NUL still refused) and leaves non-text values alone', () => {
    const file = new Blob(['x']);
    const out = cleanValue({ password: 'Mk\u0007', newPassword: 'e\u0301', n: 3, f: file, list: ['a\u0001'] }, 'input') as Record<string, unknown>;
    expect(out).toEqual({ password: 'Mk\u0007', newPassword: 'e\u0301', n: 3, f: file, list: ['a'] });
    expect(out.f).toBe(file);
    expect(() => cleanValue({ password: '\u0000' }, 'input')).toThrow(/input.password/);
  });

  it('cleans literal string arguments of a document, naming the field', () => {
    const doc = parse('mutation { createUser(input: { fullName: "A\\u0007\\u202EB", password: "p\\u0007" }) { id } }');
    expect(print(cleanDocument(doc))).toContain('fullName: "AB", password: "p\\u0007"');
    expect(() => cleanDocument(parse('{ agencies(search: "x\\u0000") { totalCount } }'))).toThrow(/agencies.search/);
    const same = parse('{ agencies(search: "Bắc Ninh") { totalCount } }');
    expect(cleanDocument(same)).toBe(same);
  });
});
