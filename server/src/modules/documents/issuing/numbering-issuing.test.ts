import { COPY_SEQUENCE_KEY, formatSymbol, numberingPolicyFor, sequenceKeyFor } from '../domain';

describe('numbering for issuing (issue 12)', () => {
  it('a legal normative document: own sequence per type, the year group in the symbol', () => {
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'QĐ', legalNormative: true })).toBe('OUTGOING:QPPL:QĐ');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'NQ', legalNormative: true, policy: { outgoing: 'PER_TYPE' } })).toBe('OUTGOING:QPPL:NQ');
    expect(formatSymbol({ number: 5, typeCode: 'QĐ', agencyAbbr: 'UBND', year: 2026 })).toBe('05/2026/QĐ-UBND');
    expect(() => sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'KH', legalNormative: true })).toThrow(/không phải văn bản quy phạm/);
    expect(() => sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: null, legalNormative: true })).toThrow();
  });

  it('"shared except QĐ" gives an administrative QĐ its own sequence; the rest share one', () => {
    const policy = numberingPolicyFor('SHARED_EXCEPT_QD');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'QĐ', policy })).toBe('OUTGOING:QĐ');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'KH', policy })).toBe('OUTGOING');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: null, policy })).toBe('OUTGOING');
  });

  it('copies (SY, SL, TrS) share their own sequence, whatever the policy; a secret stays secret', () => {
    for (const typeCode of ['SY', 'SL', 'TrS']) {
      for (const policy of [numberingPolicyFor('SHARED'), numberingPolicyFor('PER_TYPE'), numberingPolicyFor('SHARED_EXCEPT_QD')]) {
        expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode, policy })).toBe(COPY_SEQUENCE_KEY);
      }
    }
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'MAT', typeCode: 'SY' })).toBe('OUTGOING_SECRET');
    expect(formatSymbol({ number: 3, typeCode: 'SY', agencyAbbr: 'UBND' })).toBe('03/SY-UBND');
    expect(formatSymbol({ number: 12, typeCode: 'TrS', agencyAbbr: 'UBND' })).toBe('12/TrS-UBND');
  });
});
