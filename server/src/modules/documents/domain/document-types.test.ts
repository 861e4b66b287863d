import { AppError } from '../../../shared/errors';
import {
  COPY_TYPES,
  DECREE_30_TYPES,
  DEFAULT_DOCUMENT_TYPES,
  findType,
  findTypeByCode,
  findTypeByKey,
  findTypeByName,
  isValidTypeCode,
  mergeDocumentTypes,
  validateDocumentTypes,
} from './document-types';

describe('Decree 30 document types', () => {
  it('has exactly the 29 types of Điều 7, in order, with Phụ lục III codes', () => {
    expect(DECREE_30_TYPES).toHaveLength(29);
    expect(DECREE_30_TYPES.map((t) => [t.name, t.code])).toEqual([
      ['Nghị quyết', 'NQ'],
      ['Quyết định', 'QĐ'],
      ['Chỉ thị', 'CT'],
      ['Quy chế', 'QC'],
      ['Quy định', 'QyĐ'],
      ['Thông cáo', 'TC'],
      ['Thông báo', 'TB'],
      ['Hướng dẫn', 'HD'],
      ['Chương trình', 'CTr'],
      ['Kế hoạch', 'KH'],
      ['Phương án', 'PA'],
      ['Đề án', 'ĐA'],
      ['Dự án', 'DA'],
      ['Báo cáo', 'BC'],
      ['Biên bản', 'BB'],
      ['Tờ trình', 'TTr'],
      ['Hợp đồng', 'HĐ'],
      ['Công văn', null],
      ['Công điện', 'CĐ'],
      ['Bản ghi nhớ', 'BGN'],
      ['Bản thỏa thuận', 'BTT'],
      ['Giấy ủy quyền', 'GUQ'],
      ['Giấy mời', 'GM'],
      ['Giấy giới thiệu', 'GGT'],
      ['Giấy nghỉ phép', 'GNP'],
      ['Phiếu gửi', 'PG'],
      ['Phiếu chuyển', 'PC'],
      ['Phiếu báo', 'PB'],
      ['Thư công', null],
    ]);
    expect(DECREE_30_TYPES.map((t) => t.order)).toEqual(Array.from({ length: 29 }, (_, i) => i + 1));
  });

  it('stores every name and code in NFC, with unique keys and unique codes', () => {
    for (const t of DEFAULT_DOCUMENT_TYPES) {
      expect(t.name).toBe(t.name.normalize('NFC'));
      if (t.code) expect(t.code).toBe(t.code.normalize('NFC'));
      // The Vietnamese Đ (U+0110), never the Icelandic look-alike Ð (U+00D0)
      expect(t.code ?? '').not.toMatch(/\u00D0/);
    }
    expect(new Set(DEFAULT_DOCUMENT_TYPES.map((t) => t.key)).size).toBe(DEFAULT_DOCUMENT_TYPES.length);
    const codes = DEFAULT_DOCUMENT_TYPES.flatMap((t) => (t.code ? [t.code] : []));
    expect(new Set(codes).size).toBe(codes.length);
    expect(validateDocumentTypes(DEFAULT_DOCUMENT_TYPES)).toEqual([]);
  });

  it('includes the copy forms SY, TrS, SL', () => {
    expect(COPY_TYPES.map((t) => [t.code, t.name, t.category])).toEqual([
      ['SY', 'Bản sao y', 'COPY'],
      ['TrS', 'Bản trích sao', 'COPY'],
      ['SL', 'Bản sao lục', 'COPY'],
    ]);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(DEFAULT_DOCUMENT_TYPES)).toBe(true);
    expect(Object.isFrozen(DEFAULT_DOCUMENT_TYPES[0])).toBe(true);
  });
});

describe('findTypeByCode', () => {
  it.each([
    ['QĐ', 'QUYET_DINH'],
    ['QyĐ', 'QUY_DINH'],
    ['CT', 'CHI_THI'],
    ['CTr', 'CHUONG_TRINH'],
    ['ĐA', 'DE_AN'],
    ['DA', 'DU_AN'],
    ['HD', 'HUONG_DAN'],
    ['HĐ', 'HOP_DONG'],
    ['TTr', 'TO_TRINH'],
    ['TrS', 'BAN_TRICH_SAO'],
  ])('exact code %s → %s', (code, key) => {
    expect(findTypeByCode(code)?.key).toBe(key);
  });

  it('keeps the look-alike pairs distinct', () => {
    expect(findTypeByCode('CT')).not.toBe(findTypeByCode('CTr'));
    expect(findTypeByCode('DA')).not.toBe(findTypeByCode('ĐA'));
    expect(findTypeByCode('HD')).not.toBe(findTypeByCode('HĐ'));
    expect(findTypeByCode('QD')).toBeUndefined(); // no diacritic folding: "QD" is not QĐ
  });

  it('falls back to a case-insensitive match only when unambiguous', () => {
    expect(findTypeByCode('QYĐ')?.code).toBe('QyĐ'); // common misprint
    expect(findTypeByCode('ctr')?.code).toBe('CTr');
    expect(findTypeByCode('ct')?.code).toBe('CT');
    expect(findTypeByCode('qđ')?.code).toBe('QĐ');
    expect(findTypeByCode('đa')?.code).toBe('ĐA');
    expect(findTypeByCode('da')?.code).toBe('DA');
    expect(findTypeByCode('TTR')?.code).toBe('TTr');
  });

  it('accepts NFD input, surrounding spaces and the Ð look-alike', () => {
    expect(findTypeByCode(' QĐ '.normalize('NFD'))?.key).toBe('QUYET_DINH');
    expect(findTypeByCode('Q\u00D0')?.key).toBe('QUYET_DINH');
  });

  it('returns undefined for unknown, empty and code-less lookups', () => {
    expect(findTypeByCode('XYZ')).toBeUndefined();
    expect(findTypeByCode('')).toBeUndefined();
    expect(findTypeByCode('  ')).toBeUndefined();
  });

  it('refuses an ambiguous case-insensitive match', () => {
    const types = mergeDocumentTypes([
      { key: 'AB_UPPER', code: 'AB', name: 'Loại AB' },
      { key: 'AB_MIXED', code: 'Ab', name: 'Loại Ab' },
    ]);
    expect(findTypeByCode('AB', types)?.key).toBe('AB_UPPER');
    expect(findTypeByCode('Ab', types)?.key).toBe('AB_MIXED');
    expect(findTypeByCode('ab', types)).toBeUndefined();
  });
});

describe('findTypeByName', () => {
  it('matches NFC names exactly', () => {
    expect(findTypeByName('Quyết định')?.code).toBe('QĐ');
    expect(findTypeByName('Công văn')?.key).toBe('CONG_VAN');
    expect(findTypeByName('Thư công')?.key).toBe('THU_CONG');
  });
  it('matches NFD input', () => {
    expect(findTypeByName('Kế hoạch'.normalize('NFD'))?.code).toBe('KH');
  });
  it('falls back to case-insensitive, then diacritic-insensitive', () => {
    expect(findTypeByName('QUYẾT ĐỊNH')?.code).toBe('QĐ');
    expect(findTypeByName('quyet dinh')?.code).toBe('QĐ');
    expect(findTypeByName('  to   trinh ')?.code).toBe('TTr');
    expect(findTypeByName('de an')?.code).toBe('ĐA');
    expect(findTypeByName('du an')?.code).toBe('DA');
    expect(findTypeByName('cong van')?.key).toBe('CONG_VAN');
    expect(findTypeByName('cong dien')?.code).toBe('CĐ');
  });
  it('understands aliases and old-style tone placement', () => {
    expect(findTypeByName('Nghị quyết (cá biệt)')?.code).toBe('NQ');
    expect(findTypeByName('Giấy uỷ quyền')?.code).toBe('GUQ');
    expect(findTypeByName('Bản thoả thuận')?.code).toBe('BTT');
    expect(findTypeByName('Sao y bản chính')?.code).toBe('SY');
  });
  it('returns undefined for unknown or empty names', () => {
    expect(findTypeByName('Luật')).toBeUndefined();
    expect(findTypeByName('')).toBeUndefined();
  });
  it('does not guess when the folded name is ambiguous', () => {
    const types = mergeDocumentTypes([{ key: 'DU_AN_2', code: 'DAn', name: 'Dư án' }]);
    expect(findTypeByName('Dự án', types)?.key).toBe('DU_AN');
    expect(findTypeByName('Dư án', types)?.key).toBe('DU_AN_2');
    expect(findTypeByName('du an', types)).toBeUndefined();
  });
});

describe('findType / findTypeByKey', () => {
  it('accepts a code or a name', () => {
    expect(findType('KH')?.key).toBe('KE_HOACH');
    expect(findType('ke hoach')?.key).toBe('KE_HOACH');
    expect(findTypeByKey('HOP_DONG')?.code).toBe('HĐ');
    expect(findTypeByKey('NOPE')).toBeUndefined();
  });
});

describe('isValidTypeCode', () => {
  it('accepts letters only', () => {
    expect(isValidTypeCode('QĐ')).toBe(true);
    expect(isValidTypeCode('QyĐ')).toBe(true);
    expect(isValidTypeCode('Q-Đ')).toBe(false);
    expect(isValidTypeCode('CONG_VAN')).toBe(false);
    expect(isValidTypeCode('A1')).toBe(false);
    expect(isValidTypeCode('')).toBe(false);
  });
});

describe('mergeDocumentTypes', () => {
  it('returns the defaults when there are no overrides (as a fresh, valid list)', () => {
    const merged = mergeDocumentTypes([]);
    expect(merged.map((t) => t.key)).toEqual(DEFAULT_DOCUMENT_TYPES.map((t) => t.key));
  });

  it('renames, deactivates and reorders default types by key', () => {
    const merged = mergeDocumentTypes([
      { key: 'THU_CONG', active: false },
      { key: 'GIAY_MOI', name: 'Giấy mời họp', order: 0 },
    ]);
    expect(merged[0]).toMatchObject({ key: 'GIAY_MOI', name: 'Giấy mời họp', code: 'GM', category: 'ADMINISTRATIVE' });
    expect(findTypeByKey('THU_CONG', merged)?.active).toBe(false);
    expect(DEFAULT_DOCUMENT_TYPES.find((t) => t.key === 'GIAY_MOI')?.name).toBe('Giấy mời'); // defaults untouched
  });

  it('adds custom types after the defaults, NFC-normalised', () => {
    const merged = mergeDocumentTypes([{ key: 'TO_KHAI', code: 'TK', name: 'Tờ khai'.normalize('NFD') }]);
    const tk = findTypeByCode('TK', merged);
    expect(tk).toMatchObject({ key: 'TO_KHAI', name: 'Tờ khai', category: 'CUSTOM', active: true });
    expect(merged[merged.length - 1].key).toBe('TO_KHAI');
    expect(findTypeByName('to khai', merged)?.key).toBe('TO_KHAI');
  });

  it('lets an agency re-code a type, normalising the Ð look-alike', () => {
    const merged = mergeDocumentTypes([{ key: 'QUY_DINH', code: 'QY\u00D0' }]);
    expect(findTypeByKey('QUY_DINH', merged)?.code).toBe('QYĐ');
  });

  it('rejects duplicate active codes', () => {
    expect(() => mergeDocumentTypes([{ key: 'X', code: 'QĐ', name: 'Quyết định khác' }])).toThrow(AppError);
    try {
      mergeDocumentTypes([{ key: 'X', code: 'QĐ', name: 'Quyết định khác' }]);
    } catch (e) {
      expect((e as AppError).code).toBe('BAD_USER_INPUT');
      expect((e as AppError).message).toContain('QĐ');
    }
  });

  it('allows a duplicate code if the older type is deactivated', () => {
    const merged = mergeDocumentTypes([
      { key: 'QUYET_DINH', active: false },
      { key: 'QUYET_DINH_2', code: 'QĐ', name: 'Quyết định (mẫu mới)' },
    ]);
    expect(findTypeByCode('QĐ', merged)?.key).toBe('QUYET_DINH_2');
  });

  it('rejects bad keys, bad codes, and new types without name/code', () => {
    expect(() => mergeDocumentTypes([{ key: 'bad key', code: 'BK', name: 'X' }])).toThrow(AppError);
    expect(() => mergeDocumentTypes([{ key: 'BAD_CODE', code: 'B-K', name: 'X' }])).toThrow(AppError);
    expect(() => mergeDocumentTypes([{ key: 'NO_NAME', code: 'NN' }])).toThrow(AppError);
    expect(() => mergeDocumentTypes([{ key: 'NO_CODE', name: 'Không mã' }])).toThrow(AppError);
    expect(() => mergeDocumentTypes([{ key: 'BLANK', code: 'BL', name: '   ' }])).toThrow(AppError);
  });

  it('accepts a new code-less type when code is explicitly null', () => {
    const merged = mergeDocumentTypes([{ key: 'THU_NGO', code: null, name: 'Thư ngỏ' }]);
    expect(findTypeByKey('THU_NGO', merged)?.code).toBeNull();
  });
});
