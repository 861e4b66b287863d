import {
  addDays,
  assertPlainDate,
  comparePlainDates,
  dayOfWeek,
  daysBetween,
  isPlainDate,
  localDateOf,
  makePlainDate,
} from './calendar';
import {
  SECRECIES,
  URGENCIES,
  isSecret,
  isUrgent,
  secrecyRank,
  urgencyFromEdxmlPriority,
  urgencyRank,
  urgencyToEdxmlPriority,
} from './markings';
import { cleanText, foldCase, foldVietnamese, unifyDashes } from './text';

describe('calendar', () => {
  it('validates plain dates', () => {
    expect(isPlainDate('2026-02-28')).toBe(true);
    expect(isPlainDate('2028-02-29')).toBe(true);
    expect(isPlainDate('2026-02-29')).toBe(false);
    expect(isPlainDate('2026-13-01')).toBe(false);
    expect(isPlainDate('2026-1-01')).toBe(false);
    expect(isPlainDate('2026-01-00')).toBe(false);
    expect(isPlainDate(20260101)).toBe(false);
    expect(() => assertPlainDate('31/12/2026')).toThrow(RangeError);
    expect(makePlainDate(2026, 2, 5)).toBe('2026-02-05');
    expect(() => makePlainDate(2026, 2, 31)).toThrow(RangeError);
  });

  it('reads instants in Vietnam time by default', () => {
    expect(localDateOf(new Date('2026-12-31T16:59:59.999Z'))).toBe('2026-12-31');
    expect(localDateOf(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
    expect(localDateOf(new Date('2026-12-31T17:00:00Z'), 'UTC')).toBe('2026-12-31');
    expect(() => localDateOf(new Date(NaN))).toThrow(RangeError);
  });

  it('does day arithmetic across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2027-01-01', '2026-01-01')).toBe(-365);
    expect(dayOfWeek('2026-11-23')).toBe(1); // Monday
    expect(dayOfWeek('2026-11-22')).toBe(0); // Sunday
    expect(comparePlainDates('2026-01-02', '2026-01-10')).toBe(-1);
    expect(comparePlainDates('2026-01-10', '2026-01-10')).toBe(0);
    expect(comparePlainDates('2026-01-10', '2026-01-02')).toBe(1);
  });
});

describe('markings', () => {
  it('ranks urgency HOA_TOC > THUONG_KHAN > KHAN > THUONG', () => {
    expect(urgencyRank('HOA_TOC')).toBeGreaterThan(urgencyRank('THUONG_KHAN'));
    expect(urgencyRank('THUONG_KHAN')).toBeGreaterThan(urgencyRank('KHAN'));
    expect(urgencyRank('KHAN')).toBeGreaterThan(urgencyRank('THUONG'));
    expect(() => urgencyRank('X' as never)).toThrow(RangeError);
    expect(URGENCIES.filter(isUrgent)).toEqual(['KHAN', 'THUONG_KHAN', 'HOA_TOC']);
  });

  it('maps edXML Priority both ways (4 = legacy hỏa tốc hẹn giờ → HOA_TOC)', () => {
    expect(URGENCIES.map(urgencyToEdxmlPriority)).toEqual([0, 1, 2, 3]);
    expect([0, 1, 2, 3, 4].map((p) => urgencyFromEdxmlPriority(p))).toEqual(['THUONG', 'KHAN', 'THUONG_KHAN', 'HOA_TOC', 'HOA_TOC']);
    expect(urgencyFromEdxmlPriority(' 2 ')).toBe('THUONG_KHAN');
    expect(urgencyFromEdxmlPriority(5)).toBeNull();
    expect(urgencyFromEdxmlPriority(-1)).toBeNull();
    expect(urgencyFromEdxmlPriority('x')).toBeNull();
    expect(urgencyFromEdxmlPriority(1.5)).toBeNull();
  });

  it('knows which secrecy levels are secret', () => {
    expect(SECRECIES.filter(isSecret)).toEqual(['MAT', 'TOI_MAT', 'TUYET_MAT']);
    expect(secrecyRank('TUYET_MAT')).toBeGreaterThan(secrecyRank('TOI_MAT'));
    expect(secrecyRank('TOI_MAT')).toBeGreaterThan(secrecyRank('MAT'));
    expect(() => isSecret('SECRET' as never)).toThrow(RangeError);
  });
});

describe('text', () => {
  it('folds Vietnamese case- and diacritic-insensitively', () => {
    expect(foldVietnamese('Giấy Uỷ quyền')).toBe('giay uy quyen');
    expect(foldVietnamese('GIẤY ỦY QUYỀN')).toBe('giay uy quyen');
    expect(foldVietnamese('Đề án'.normalize('NFD'))).toBe('de an');
    expect(foldVietnamese('\u00D0ồng')).toBe('dong');
    expect(foldCase('  Quyết   ĐỊNH ')).toBe('quyết định');
    expect(cleanText(' a \t b\n')).toBe('a b');
    expect(unifyDashes('a–b—c‑d−e')).toBe('a-b-c-d-e');
  });
});
