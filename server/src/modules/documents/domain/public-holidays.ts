/**
 * Vietnam's public holidays of a year (ngày nghỉ lễ, Tết), pure: the proposal that pre-fills an agency's
 * holiday list, which the agency then edits (the Government's yearly notice may move days).
 *
 * Bộ luật Lao động 2019 (Luật số 45/2019/QH14), Điều 112:
 *  1. Tết Dương lịch: 01 ngày (01/01); Tết Âm lịch: 05 ngày; Ngày Chiến thắng: 01 ngày (30/4); Ngày Quốc tế
 *     lao động: 01 ngày (01/5); Quốc khánh: 02 ngày (02/9 và 01 ngày liền kề trước hoặc sau); Ngày Giỗ Tổ Hùng
 *     Vương: 01 ngày (10/3 âm lịch).
 *  3. Hằng năm, căn cứ điều kiện thực tế, Thủ tướng Chính phủ quyết định cụ thể ngày nghỉ Tết Âm lịch và ngày
 *     nghỉ liền kề với ngày Quốc khánh.
 * Điều 111.3 and Nghị định 145/2020/NĐ-CP: a holiday on the weekly rest day is made up on the next working day.
 *
 * Proposal rules where the Prime Minister decides each year (the usual practice, editable):
 *  - Tết Âm lịch: the last day of the lunar year and mùng 1–4;
 *  - Quốc khánh: 01/9 when 02/9 is a Tuesday (a four-day break with the weekend), otherwise 03/9.
 * Weekly rest days are Saturday and Sunday (public administration, Nghị định 45/2013/NĐ-CP Art. 3 as amended).
 */
import { addDays, makePlainDate, type PlainDate } from './calendar';
import { lunarToSolar } from './lunar-calendar';

export interface PublicHoliday {
  date: PlainDate;
  /** Vietnamese name, e.g. "Tết Âm lịch", "Nghỉ bù Quốc khánh". */
  name: string;
}

const isWeekend = (d: PlainDate): boolean => {
  const wd = new Date(`${d}T00:00:00Z`).getUTCDay();
  return wd === 0 || wd === 6;
};

/** The statutory holidays of `year` with the days made up for those that fall on a weekend, sorted by date. */
export function vietnamPublicHolidays(year: number): PublicHoliday[] {
  if (!Number.isInteger(year) || year < 1976 || year > 2199) throw new RangeError(`year out of range: ${year}`);
  const tet = lunarToSolar({ day: 1, month: 1, year, leap: false });
  const gioTo = lunarToSolar({ day: 10, month: 3, year, leap: false });
  if (!tet || !gioTo) throw new Error(`lunar dates of ${year} not found`);
  const national = makePlainDate(year, 9, 2);
  const nationalWeekday = new Date(`${national}T00:00:00Z`).getUTCDay();
  const statutory: PublicHoliday[] = [
    { date: makePlainDate(year, 1, 1), name: 'Tết Dương lịch' },
    { date: addDays(tet, -1), name: 'Tết Âm lịch (ngày cuối năm)' },
    ...[0, 1, 2, 3].map((i) => ({ date: addDays(tet, i), name: `Tết Âm lịch (mùng ${i + 1})` })),
    { date: gioTo, name: 'Giỗ Tổ Hùng Vương' },
    { date: makePlainDate(year, 4, 30), name: 'Ngày Chiến thắng' },
    { date: makePlainDate(year, 5, 1), name: 'Ngày Quốc tế lao động' },
    { date: national, name: 'Quốc khánh' },
    { date: nationalWeekday === 2 ? makePlainDate(year, 9, 1) : makePlainDate(year, 9, 3), name: 'Quốc khánh (ngày liền kề)' },
  ];
  const taken = new Set(statutory.map((h) => h.date));
  const out = [...statutory];
  // Nghỉ bù: each holiday on a weekend gives the next working day that is not already a holiday.
  for (const h of [...statutory].sort((a, b) => a.date.localeCompare(b.date))) {
    if (!isWeekend(h.date)) continue;
    let d = addDays(h.date, 1);
    while (isWeekend(d) || taken.has(d)) d = addDays(d, 1);
    taken.add(d);
    out.push({ date: d, name: `Nghỉ bù ${h.name.replace(/ \(.*\)$/, '')}` });
  }
  return out.sort((a, b) => a.date.localeCompare(b.date));
}
