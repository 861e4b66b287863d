import { AppError } from '../../../shared/errors';
import { mergeDocumentTypes } from './document-types';
import {
  duplicateKey,
  formatNumber,
  formatPlaceAndDate,
  formatSymbol,
  formatVnDate,
  parseSymbol,
  registerYear,
  sequenceId,
  sequenceKeyFor,
  numberingPolicyFor,
  isOutgoingNumberingMode,
} from './numbering';

describe('formatNumber', () => {
  it.each([
    [1, '01'],
    [5, '05'],
    [7, '07'],
    [9, '09'],
    [10, '10'],
    [99, '99'],
    [123, '123'],
    [10000, '10000'],
  ])('%i → %s', (n, s) => expect(formatNumber(n)).toBe(s));

  it.each([0, -1, 1.5, NaN, Infinity])('rejects %p', (n) => expect(() => formatNumber(n)).toThrow(RangeError));
});

describe('formatSymbol', () => {
  it('writes type code – agency', () => {
    expect(formatSymbol({ number: 7, typeCode: 'QĐ', agencyAbbr: 'UBND' })).toBe('07/QĐ-UBND');
    expect(formatSymbol({ number: 5, typeCode: 'KH', agencyAbbr: 'UBND' })).toBe('05/KH-UBND');
    expect(formatSymbol({ number: 123, typeCode: 'QyĐ', agencyAbbr: 'SNV' })).toBe('123/QyĐ-SNV');
    expect(formatSymbol({ number: 15, typeCode: 'CTr', agencyAbbr: 'ABC' })).toBe('15/CTr-ABC');
  });
  it('ignores the unit for typed documents', () => {
    expect(formatSymbol({ number: 7, typeCode: 'QĐ', agencyAbbr: 'UBND', unitAbbr: 'VP' })).toBe('07/QĐ-UBND');
  });
  it('writes công văn as agency – drafting unit', () => {
    expect(formatSymbol({ number: 7, typeCode: null, agencyAbbr: 'UBND', unitAbbr: 'VP' })).toBe('07/UBND-VP');
    expect(formatSymbol({ number: 7816, agencyAbbr: 'VPCP', unitAbbr: 'TTĐT' })).toBe('7816/VPCP-TTĐT');
  });
  it('writes công văn without a unit as number/agency (e.g. UBND xã)', () => {
    expect(formatSymbol({ number: 3, typeCode: null, agencyAbbr: 'UBND' })).toBe('03/UBND');
  });
  it('normalises NFD and the Ð look-alike', () => {
    expect(formatSymbol({ number: 1, typeCode: 'QĐ'.normalize('NFD'), agencyAbbr: 'S\u00D0T' })).toBe('01/QĐ-SĐT');
    expect(formatSymbol({ number: 1, typeCode: 'QĐ', agencyAbbr: 'UBND' })).toBe('01/QĐ-UBND'.normalize('NFC'));
  });
  it('rejects bad abbreviations and codes', () => {
    expect(() => formatSymbol({ number: 1, typeCode: 'QĐ', agencyAbbr: '' })).toThrow(AppError);
    expect(() => formatSymbol({ number: 1, typeCode: 'QĐ', agencyAbbr: 'UB ND' })).toThrow(AppError);
    expect(() => formatSymbol({ number: 1, typeCode: 'QĐ', agencyAbbr: 'UB/ND' })).toThrow(AppError);
    expect(() => formatSymbol({ number: 1, typeCode: 'Q-Đ', agencyAbbr: 'UBND' })).toThrow(AppError);
    expect(() => formatSymbol({ number: 1, agencyAbbr: 'UBND', unitAbbr: 'V P' })).toThrow(AppError);
    expect(() => formatSymbol({ number: 0, typeCode: 'QĐ', agencyAbbr: 'UBND' })).toThrow(RangeError);
  });
});

describe('parseSymbol', () => {
  it('parses the canonical form', () => {
    expect(parseSymbol('05/KH-UBND')).toEqual({
      number: 5,
      numberText: '05',
      notation: 'KH-UBND',
      typeCode: 'KH',
      issuerAbbr: 'UBND',
      canonical: '05/KH-UBND',
    });
  });

  it.each([
    'Số: 05/KH-UBND',
    'Số:05/KH-UBND',
    'Số 05/KH-UBND',
    'SỐ: 05/KH-UBND',
    'So: 05/KH-UBND',
    'số: 05/kh-ubnd',
    '05 / KH - UBND',
    '05/KH – UBND',
    '05/KH—UBND',
    '05/KH‑UBND',
    '  05/KH-UBND. ',
    'Số: 05/KH-UBND'.normalize('NFD'),
    'Số, ký hiệu: 05/KH-UBND',
    'Số hiệu: 05/KH-UBND',
    'No. 05/KH-UBND',
  ])('is robust: %p', (input) => {
    const p = parseSymbol(input);
    expect(p).toMatchObject({ number: 5, numberText: '05', notation: 'KH-UBND', typeCode: 'KH', issuerAbbr: 'UBND' });
  });

  it('keeps the number as written but gives a canonical form', () => {
    expect(parseSymbol('5/KH-UBND')).toMatchObject({ number: 5, numberText: '5', canonical: '05/KH-UBND' });
    expect(parseSymbol('123/QĐ-UBND')).toMatchObject({ number: 123, canonical: '123/QĐ-UBND' });
  });

  it('returns the type code in canonical casing, keeps distinct codes distinct', () => {
    expect(parseSymbol('12/QYĐ-UBND')).toMatchObject({ typeCode: 'QyĐ', notation: 'QyĐ-UBND' });
    expect(parseSymbol('12/qyđ-ubnd')).toMatchObject({ typeCode: 'QyĐ', notation: 'QyĐ-UBND' });
    expect(parseSymbol('3/ctr-ubnd')).toMatchObject({ typeCode: 'CTr', notation: 'CTr-UBND' });
    expect(parseSymbol('3/CT-UBND')).toMatchObject({ typeCode: 'CT' });
    expect(parseSymbol('3/HD-UBND')).toMatchObject({ typeCode: 'HD' });
    expect(parseSymbol('3/HĐ-UBND')).toMatchObject({ typeCode: 'HĐ' });
    expect(parseSymbol('3/DA-UBND')).toMatchObject({ typeCode: 'DA' });
    expect(parseSymbol('3/ĐA-UBND')).toMatchObject({ typeCode: 'ĐA' });
    expect(parseSymbol('3/\u00D0A-UBND')).toMatchObject({ typeCode: 'ĐA' });
  });

  it('keeps mixed-case issuer abbreviations (QĐ-TTg)', () => {
    expect(parseSymbol('Số: 28/2018/QĐ-TTg')).toEqual({
      number: 28,
      numberText: '28',
      year: 2018,
      notation: 'QĐ-TTg',
      typeCode: 'QĐ',
      issuerAbbr: 'TTg',
      canonical: '28/2018/QĐ-TTg',
    });
  });

  it('parses công văn symbols (no type code)', () => {
    expect(parseSymbol('07/UBND-VP')).toEqual({
      number: 7,
      numberText: '07',
      notation: 'UBND-VP',
      issuerAbbr: 'UBND',
      unitAbbr: 'VP',
      canonical: '07/UBND-VP',
    });
    expect(parseSymbol('7816/VPCP-TTĐT')).toMatchObject({ issuerAbbr: 'VPCP', unitAbbr: 'TTĐT' });
    expect(parseSymbol('7816/VPCP-TTĐT')?.typeCode).toBeUndefined();
    expect(parseSymbol('15/UBND')).toMatchObject({ issuerAbbr: 'UBND', notation: 'UBND' });
    expect(parseSymbol('15/UBND')?.unitAbbr).toBeUndefined();
    expect(parseSymbol('07/ubnd-vp')).toMatchObject({ notation: 'UBND-VP' });
  });

  it('handles multi-group issuers', () => {
    expect(parseSymbol('10/QĐ-BNN-TCCB')).toMatchObject({ typeCode: 'QĐ', issuerAbbr: 'BNN-TCCB' });
    expect(parseSymbol('10/SNN&PTNT-VP')).toMatchObject({ issuerAbbr: 'SNN&PTNT', unitAbbr: 'VP' });
  });

  it('uses the agency’s configured types', () => {
    const types = mergeDocumentTypes([{ key: 'TO_KHAI', code: 'TK', name: 'Tờ khai' }]);
    expect(parseSymbol('01/TK-UBND', types)).toMatchObject({ typeCode: 'TK', issuerAbbr: 'UBND' });
    expect(parseSymbol('01/TK-UBND')).toMatchObject({ issuerAbbr: 'TK', unitAbbr: 'UBND' });
  });

  it.each(['', 'KH-UBND', '05', '05/', '/KH-UBND', '0/KH-UBND', 'abc/KH-UBND', '05/KH UBND', '05/KH--UBND', '05/-KH', 'Số:'])(
    'returns null for %p',
    (input) => expect(parseSymbol(input)).toBeNull(),
  );
});

describe('sequenceKeyFor', () => {
  const shared = { outgoing: 'SHARED' } as const;
  const perType = { outgoing: 'PER_TYPE' } as const;

  it('incoming: paper and electronic share one sequence; secret has its own', () => {
    expect(sequenceKeyFor({ direction: 'INCOMING', secrecy: 'THUONG' })).toBe('INCOMING');
    expect(sequenceKeyFor({ direction: 'INCOMING', secrecy: 'THUONG', typeCode: 'QĐ', policy: perType })).toBe('INCOMING');
    for (const s of ['MAT', 'TOI_MAT', 'TUYET_MAT'] as const) {
      expect(sequenceKeyFor({ direction: 'INCOMING', secrecy: s })).toBe('INCOMING_SECRET');
    }
  });

  it('outgoing SHARED: one sequence', () => {
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'QĐ', policy: shared })).toBe('OUTGOING');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: null, policy: shared })).toBe('OUTGOING');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'KH' })).toBe('OUTGOING'); // default policy
  });

  it('outgoing PER_TYPE: one per type code, case-sensitive; code-less types share CONG_VAN', () => {
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'QĐ', policy: perType })).toBe('OUTGOING:QĐ');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'CTr', policy: perType })).toBe('OUTGOING:CTr');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'CT', policy: perType })).toBe('OUTGOING:CT');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'QĐ'.normalize('NFD'), policy: perType })).toBe('OUTGOING:QĐ');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: null, policy: perType })).toBe('OUTGOING:CONG_VAN');
  });

  it('outgoing SHARED with some types in their own sequence', () => {
    const policy = { outgoing: 'SHARED', ownSequenceTypes: ['QĐ', 'CONG_VAN'] } as const;
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'QĐ', policy })).toBe('OUTGOING:QĐ');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: null, policy })).toBe('OUTGOING:CONG_VAN');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'KH', policy })).toBe('OUTGOING');
  });

  it('outgoing SHARED_EXCEPT_QD: Quyết định (and agency variants of it) alone, every other type shares one', () => {
    const policy = numberingPolicyFor('SHARED_EXCEPT_QD');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'QĐ', policy })).toBe('OUTGOING:QĐ');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: null, policy })).toBe('OUTGOING');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'KH', policy })).toBe('OUTGOING');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'NQ', policy })).toBe('OUTGOING');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'MAT', typeCode: 'QĐ', policy })).toBe('OUTGOING_SECRET');
    // An agency that adds its own kind of Quyết định (key QUYET_DINH_…) numbers it apart too.
    const types = mergeDocumentTypes([{ key: 'QUYET_DINH_KT', code: 'QĐKT', name: 'Quyết định khen thưởng' }]);
    const withVariant = numberingPolicyFor('SHARED_EXCEPT_QD', types);
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'QĐKT', policy: withVariant })).toBe('OUTGOING:QĐKT');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'QĐ', policy: withVariant })).toBe('OUTGOING:QĐ');
    expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'THUONG', typeCode: 'TB', policy: withVariant })).toBe('OUTGOING');
  });

  it('numbering modes map to policies', () => {
    expect(numberingPolicyFor('SHARED')).toEqual({ outgoing: 'SHARED' });
    expect(numberingPolicyFor('PER_TYPE')).toEqual({ outgoing: 'PER_TYPE' });
    expect(isOutgoingNumberingMode('SHARED_EXCEPT_QD')).toBe(true);
    expect(isOutgoingNumberingMode('EVERYTHING')).toBe(false);
    expect(() => numberingPolicyFor('EVERYTHING' as never)).toThrow(RangeError);
  });

  it('secret outgoing documents always use their own sequence', () => {
    for (const policy of [shared, perType]) {
      expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'MAT', typeCode: 'QĐ', policy })).toBe('OUTGOING_SECRET');
      expect(sequenceKeyFor({ direction: 'OUTGOING', secrecy: 'TUYET_MAT', typeCode: null, policy })).toBe('OUTGOING_SECRET');
    }
  });

  it('rejects unknown directions and secrecies', () => {
    expect(() => sequenceKeyFor({ direction: 'SIDEWAYS' as never, secrecy: 'THUONG' })).toThrow(RangeError);
    expect(() => sequenceKeyFor({ direction: 'INCOMING', secrecy: 'SECRET' as never })).toThrow(RangeError);
  });

  it('sequenceId joins agency, year and key', () => {
    expect(sequenceId({ agencyId: 'a1', year: 2026, key: 'OUTGOING:QĐ' })).toBe('a1:2026:OUTGOING:QĐ');
  });
});

describe('registerYear', () => {
  it('uses the Vietnam calendar year (UTC+7)', () => {
    expect(registerYear(new Date('2026-12-31T16:59:59Z'))).toBe(2026); // 23:59:59 on 31/12 in Hà Nội
    expect(registerYear(new Date('2026-12-31T17:00:00Z'))).toBe(2027); // 00:00 on 01/01
    expect(registerYear(new Date('2026-12-31T17:30:00Z'))).toBe(2027);
    expect(registerYear(new Date('2027-01-01T00:00:00Z'))).toBe(2027);
  });
  it('honours another time zone', () => {
    expect(registerYear(new Date('2026-12-31T17:30:00Z'), 'UTC')).toBe(2026);
    expect(registerYear(new Date('2027-01-01T03:00:00Z'), 'America/New_York')).toBe(2026);
  });
  it('rejects an invalid Date', () => {
    expect(() => registerYear(new Date('nope'))).toThrow(RangeError);
  });
});

describe('formatVnDate', () => {
  it.each([
    ['2026-02-05', 'ngày 05 tháng 02 năm 2026'],
    ['2026-01-09', 'ngày 09 tháng 01 năm 2026'],
    ['2026-03-05', 'ngày 05 tháng 3 năm 2026'],
    ['2026-03-15', 'ngày 15 tháng 3 năm 2026'],
    ['2026-09-30', 'ngày 30 tháng 9 năm 2026'],
    ['2026-10-01', 'ngày 01 tháng 10 năm 2026'],
    ['2026-12-31', 'ngày 31 tháng 12 năm 2026'],
    ['2026-02-28', 'ngày 28 tháng 02 năm 2026'],
  ])('%s → %s', (d, s) => expect(formatVnDate(d)).toBe(s));

  it('reads a Date in Vietnam time', () => {
    expect(formatVnDate(new Date('2026-02-04T17:00:00Z'))).toBe('ngày 05 tháng 02 năm 2026');
    expect(formatVnDate(new Date('2026-02-04T16:59:59Z'))).toBe('ngày 04 tháng 02 năm 2026');
  });

  it('rejects invalid dates', () => {
    expect(() => formatVnDate('2026-02-30')).toThrow(RangeError);
    expect(() => formatVnDate('5/2/2026')).toThrow(RangeError);
  });

  it('formatPlaceAndDate prefixes the địa danh', () => {
    expect(formatPlaceAndDate('Bắc Ninh', '2026-02-05')).toBe('Bắc Ninh, ngày 05 tháng 02 năm 2026');
    expect(formatPlaceAndDate('  ', '2026-02-05')).toBe('ngày 05 tháng 02 năm 2026');
  });
});

describe('duplicateKey', () => {
  const base = duplicateKey('UBND huyện Lương Tài', '05/KH-UBND', '2026-02-05');

  it('is the same for cosmetic differences', () => {
    expect(duplicateKey('  ubnd  HUYỆN lương tài ', 'Số: 5/kh-ubnd', '2026-02-05')).toBe(base);
    expect(duplicateKey('UBND huyen Luong Tai', '05 / KH – UBND', '2026-02-05')).toBe(base);
    expect(duplicateKey('UBND huyện Lương Tài'.normalize('NFD'), '05/KH-UBND', new Date('2026-02-04T18:00:00Z'))).toBe(base);
  });

  it('differs when issuer, number, notation or date differ', () => {
    expect(duplicateKey('UBND huyện Gia Bình', '05/KH-UBND', '2026-02-05')).not.toBe(base);
    expect(duplicateKey('UBND huyện Lương Tài', '06/KH-UBND', '2026-02-05')).not.toBe(base);
    expect(duplicateKey('UBND huyện Lương Tài', '05/TB-UBND', '2026-02-05')).not.toBe(base);
    expect(duplicateKey('UBND huyện Lương Tài', '05/KH-UBND', '2026-02-06')).not.toBe(base);
  });

  it('keeps diacritic-distinct codes apart (HD ≠ HĐ)', () => {
    expect(duplicateKey('X', '05/HD-UBND', '2026-02-05')).not.toBe(duplicateKey('X', '05/HĐ-UBND', '2026-02-05'));
  });

  it('normalises unparseable symbols too', () => {
    expect(duplicateKey('X', 'abc - def', '2026-02-05')).toBe(duplicateKey('x', 'ABC–DEF', '2026-02-05'));
  });
});
