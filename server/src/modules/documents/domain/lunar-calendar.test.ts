import { lunarToSolar, solarToLunar } from './lunar-calendar';
import { vietnamPublicHolidays } from './public-holidays';

/** Tết Nguyên đán as celebrated in Vietnam (UTC+7); 1985 and 2007 differ from the Chinese calendar (UTC+8). */
const TET: Record<number, string> = {
  1985: '1985-01-21',
  2007: '2007-02-17',
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
};

describe('Vietnamese lunar calendar', () => {
  it.each(Object.entries(TET))('Tết %s is on %s', (year, date) => {
    expect(lunarToSolar({ day: 1, month: 1, year: Number(year), leap: false })).toBe(date);
    const [y, m, d] = date.split('-').map(Number);
    expect(solarToLunar(d, m, y)).toEqual({ day: 1, month: 1, year: Number(year), leap: false });
  });

  it('depends on the time zone: in UTC+8 (the Chinese calendar) Tết 2007 falls a day later', () => {
    expect(lunarToSolar({ day: 1, month: 1, year: 2007, leap: false }, 8)).toBe('2007-02-18');
  });

  it('knows Giỗ Tổ Hùng Vương (10/3 âm lịch)', () => {
    expect(lunarToSolar({ day: 10, month: 3, year: 2024, leap: false })).toBe('2024-04-18');
    expect(lunarToSolar({ day: 10, month: 3, year: 2025, leap: false })).toBe('2025-04-07');
    expect(lunarToSolar({ day: 10, month: 3, year: 2026, leap: false })).toBe('2026-04-26');
  });

  it('finds leap months and refuses a leap month that does not exist', () => {
    // Quý Mão 2023 has a leap 2nd month starting 22/03/2023.
    expect(solarToLunar(22, 3, 2023)).toEqual({ day: 1, month: 2, year: 2023, leap: true });
    expect(lunarToSolar({ day: 1, month: 2, year: 2023, leap: true })).toBe('2023-03-22');
    expect(lunarToSolar({ day: 1, month: 5, year: 2023, leap: true })).toBeNull();
    expect(lunarToSolar({ day: 1, month: 2, year: 2024, leap: true })).toBeNull();
  });

  it('round-trips every day of several years', () => {
    for (let t = Date.UTC(2019, 0, 1); t < Date.UTC(2031, 0, 1); t += 86_400_000) {
      const d = new Date(t);
      const lunar = solarToLunar(d.getUTCDate(), d.getUTCMonth() + 1, d.getUTCFullYear());
      expect(lunarToSolar(lunar)).toBe(d.toISOString().slice(0, 10));
    }
  });
});

describe('vietnamPublicHolidays (Bộ luật Lao động 2019, Điều 112)', () => {
  it('proposes the 2026 holidays with the days made up for weekends', () => {
    const h = vietnamPublicHolidays(2026);
    expect(h.map((x) => x.date)).toEqual([
      '2026-01-01',
      '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20',
      '2026-04-26', '2026-04-27', // Giỗ Tổ on a Sunday: made up on Monday
      '2026-04-30', '2026-05-01',
      '2026-09-02', '2026-09-03',
    ]);
    expect(h.find((x) => x.date === '2026-04-27')?.name).toBe('Nghỉ bù Giỗ Tổ Hùng Vương');
  });

  it('moves a made-up day past other holidays and weekends', () => {
    // 2022: 30/4 Saturday and 1/5 Sunday → Monday 2/5 and Tuesday 3/5.
    const h = vietnamPublicHolidays(2022).map((x) => x.date);
    expect(h).toEqual(expect.arrayContaining(['2022-04-30', '2022-05-01', '2022-05-02', '2022-05-03']));
    expect(new Set(h).size).toBe(h.length);
  });

  it('takes 1/9 as the adjacent Quốc khánh day when 2/9 is a Tuesday', () => {
    expect(vietnamPublicHolidays(2025).map((x) => x.date)).toEqual(expect.arrayContaining(['2025-09-01', '2025-09-02']));
  });
});
