import { formatVnDate, isCalendarDate, optionalVnDate, parseVnDate, vnDate } from './dates';

describe('Vietnamese dates (shared by server and web)', () => {
  it('reads dd/mm/yyyy as day first, whatever the browser locale', () => {
    expect(parseVnDate('15/12/2026')).toBe('2026-12-15');
    expect(parseVnDate('6/12/2026')).toBe('2026-12-06');
    expect(parseVnDate('06.12.2026')).toBe('2026-12-06');
  });
  it('refuses impossible dates and years outside 1900–2100', () => {
    expect(parseVnDate('31/02/2026')).toBeNull();
    expect(parseVnDate('12/13/2026')).toBeNull();
    expect(parseVnDate('01/01/22026')).toBeNull();
    expect(parseVnDate('01/01/1899')).toBeNull();
    expect(parseVnDate('2026-12-06')).toBeNull();
    expect(isCalendarDate('2026-02-29')).toBe(false);
    expect(isCalendarDate('2028-02-29')).toBe(true);
  });
  it('formats YYYY-MM-DD as dd/mm/yyyy', () => {
    expect(formatVnDate('2026-12-06')).toBe('06/12/2026');
    expect(formatVnDate(null)).toBe('');
  });
  it('zod schemas give the ISO date or a Vietnamese message', () => {
    expect(vnDate().parse('15/12/2026')).toBe('2026-12-15');
    const bad = vnDate().safeParse('31/02/2026');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/dd\/mm\/yyyy/);
    expect(optionalVnDate().parse('')).toBeNull();
    expect(vnDate().safeParse('').error?.issues[0]?.message).toBe('Chưa nhập ngày.');
  });
});
