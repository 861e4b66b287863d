import { addWorkingDays } from './deadlines';
import {
  DEFAULT_AGENCY_HOLIDAY_NAME,
  formatHolidayEdits,
  holidayDatesOfYears,
  holidaysOfYear,
  parseHolidayEdits,
  setHolidaysOfYear,
  vietnamPublicHolidays,
} from './public-holidays';

const none = { added: [], removed: [] };

describe('vietnamPublicHolidays', () => {
  it('computes Tết 2027 and Giỗ Tổ from the lunar calendar (mùng 1 Tết = 06/02/2027, 10/3 âm lịch = 16/4/2027)', () => {
    const h = vietnamPublicHolidays(2027);
    const tet = h.filter((x) => x.name.startsWith('Tết Âm lịch')).map((x) => x.date);
    expect(tet).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08', '2027-02-09']);
    expect(h.find((x) => x.name === 'Giỗ Tổ Hùng Vương')!.date).toBe('2027-04-16');
    // Mùng 1 and 2 fall on the weekend: made up on the next working days after the break.
    expect(h.filter((x) => x.name === 'Nghỉ bù Tết Âm lịch').map((x) => x.date)).toEqual(['2027-02-10', '2027-02-11']);
    expect(h.map((x) => x.date)).toEqual(expect.arrayContaining(['2027-01-01', '2027-04-30', '2027-05-01', '2027-09-02', '2027-09-03']));
  });
});

describe("an agency's holidays of a year", () => {
  it('starts from the public holidays', () => {
    const h = holidaysOfYear(2027, none);
    expect(h.map((x) => x.date)).toEqual(vietnamPublicHolidays(2027).map((x) => x.date));
    expect(h.every((x) => x.public)).toBe(true);
  });

  it('keeps added, removed and renamed days per year and round-trips the stored form', () => {
    const wanted = holidaysOfYear(2027, none)
      .filter((h) => h.date !== '2027-09-03') // the Government chose 01/9 instead
      .map((h) => (h.date === '2027-04-16' ? { ...h, name: 'Giỗ Tổ (nghỉ)' } : h));
    wanted.push({ date: '2027-09-01', name: 'Quốc khánh (ngày liền kề)', public: false });
    const edits = setHolidaysOfYear(parseHolidayEdits(['2026-12-31|Nghỉ cuối năm', '-2026-09-01']), 2027, wanted);
    expect(edits.removed).toEqual(['2026-09-01', '2027-09-03']);
    expect(edits.added).toEqual([
      { date: '2026-12-31', name: 'Nghỉ cuối năm' },
      { date: '2027-04-16', name: 'Giỗ Tổ (nghỉ)' },
      { date: '2027-09-01', name: 'Quốc khánh (ngày liền kề)' },
    ]);
    const again = parseHolidayEdits(formatHolidayEdits(edits));
    expect(again).toEqual(edits);
    const h = holidaysOfYear(2027, again);
    expect(h.map((x) => x.date)).not.toContain('2027-09-03');
    expect(h.find((x) => x.date === '2027-09-01')).toEqual({ date: '2027-09-01', name: 'Quốc khánh (ngày liền kề)', public: false });
    expect(h.find((x) => x.date === '2027-04-16')).toEqual({ date: '2027-04-16', name: 'Giỗ Tổ (nghỉ)', public: true });
  });

  it('reads the legacy list of plain dates as added days', () => {
    expect(parseHolidayEdits(['2027-03-08', 'garbage', '-bad'])).toEqual({ added: [{ date: '2027-03-08', name: DEFAULT_AGENCY_HOLIDAY_NAME }], removed: [] });
    expect(formatHolidayEdits(parseHolidayEdits(['2027-03-08']))).toEqual(['2027-03-08']);
  });

  it('refuses days outside the year', () => {
    expect(() => setHolidaysOfYear(none, 2027, [{ date: '2028-01-01', name: 'x' }])).toThrow(RangeError);
  });

  it('an added and a removed holiday shift a deadline', () => {
    // Five working days from Thursday 22/4/2027: 23, 26, 27, 28, 29 → 29/4 (30/4 and 1/5 are holidays after it).
    const base = { holidays: holidayDatesOfYears([2027], none) };
    expect(addWorkingDays('2027-04-22', 5, base)).toBe('2027-04-29');
    // The agency adds 26/4 as a day off: one more day, across 30/4 (holiday) and 1–3/5 (weekend, nghỉ bù) → 04/5.
    const added = setHolidaysOfYear(none, 2027, [...holidaysOfYear(2027, none), { date: '2027-04-26', name: 'Nghỉ bù đặc biệt', public: false }]);
    expect(addWorkingDays('2027-04-22', 5, { holidays: holidayDatesOfYears([2027], added) })).toBe('2027-05-04');
    // Removing Giỗ Tổ (Friday 16/4) brings a deadline across it one day earlier.
    const from = '2027-04-14';
    expect(addWorkingDays(from, 3, base)).toBe('2027-04-20');
    const removed = setHolidaysOfYear(none, 2027, holidaysOfYear(2027, none).filter((h) => h.date !== '2027-04-16'));
    expect(addWorkingDays(from, 3, { holidays: holidayDatesOfYears([2027], removed) })).toBe('2027-04-19');
  });
});
