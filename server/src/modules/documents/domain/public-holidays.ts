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

// ---------------------------------------------------------------------------------------------------
// An agency's edits of the proposal (per year) and the merged list used for working days.

/** A holiday of an agency's year: from the statutory proposal (`public`) or added by the agency. */
export interface AgencyHoliday extends PublicHoliday {
  public: boolean;
}

/** The agency's changes to the proposal: days added (with a name) and proposed days removed. */
export interface HolidayEdits {
  added: PublicHoliday[];
  removed: PlainDate[];
}

/** Name given to an added day stored without one (lists written before days had names). */
export const DEFAULT_AGENCY_HOLIDAY_NAME = 'Ngày nghỉ của cơ quan';

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads the stored edit list (one string per edit, years mixed): `YYYY-MM-DD` or `YYYY-MM-DD|Tên` = a day added
 * (or a proposed day renamed), `-YYYY-MM-DD` = a proposed day removed. Malformed entries are skipped.
 */
export function parseHolidayEdits(stored: readonly string[] | null | undefined): HolidayEdits {
  const added = new Map<string, string>();
  const removed = new Set<string>();
  for (const raw of stored ?? []) {
    if (typeof raw !== 'string') continue;
    if (raw.startsWith('-')) {
      const d = raw.slice(1);
      if (DATE_RE.test(d)) removed.add(d);
      continue;
    }
    const bar = raw.indexOf('|');
    const d = bar < 0 ? raw : raw.slice(0, bar);
    const name = bar < 0 ? '' : raw.slice(bar + 1).trim();
    if (DATE_RE.test(d)) added.set(d, name || DEFAULT_AGENCY_HOLIDAY_NAME);
  }
  return {
    added: [...added].map(([date, name]) => ({ date, name })).sort((a, b) => a.date.localeCompare(b.date)),
    removed: [...removed].sort(),
  };
}

/** The stored form of edits (inverse of parseHolidayEdits; unnamed-default days keep the short form). */
export function formatHolidayEdits(edits: HolidayEdits): string[] {
  return [
    ...edits.added.map((h) => (h.name === DEFAULT_AGENCY_HOLIDAY_NAME ? h.date : `${h.date}|${h.name}`)),
    ...edits.removed.map((d) => `-${d}`),
  ];
}

/** The holidays of `year` for an agency: the statutory proposal minus the removed days, plus the added ones. */
export function holidaysOfYear(year: number, edits: HolidayEdits): AgencyHoliday[] {
  const prefix = `${year}-`;
  const added = new Map(edits.added.filter((h) => h.date.startsWith(prefix)).map((h) => [h.date, h.name]));
  const removed = new Set(edits.removed);
  const out: AgencyHoliday[] = [];
  for (const h of vietnamPublicHolidays(year)) {
    if (removed.has(h.date)) continue;
    const renamed = added.get(h.date);
    out.push({ date: h.date, name: renamed ?? h.name, public: true });
    added.delete(h.date);
  }
  for (const [date, name] of added) out.push({ date, name, public: false });
  return out.sort((a, b) => a.date.localeCompare(b.date));
}

/**
 * Replace the agency's edits of one year so that its holidays become exactly `wanted` (the list the
 * administrator saved): proposed days not wanted are removed, wanted days not proposed (or renamed) are added.
 * Other years' edits are kept. Throws RangeError on a date outside `year` or a malformed date.
 */
export function setHolidaysOfYear(edits: HolidayEdits, year: number, wanted: readonly PublicHoliday[]): HolidayEdits {
  const prefix = `${year}-`;
  for (const h of wanted) {
    if (!DATE_RE.test(h.date) || !h.date.startsWith(prefix)) throw new RangeError(`${h.date} is not a day of ${year}`);
  }
  const proposal = new Map(vietnamPublicHolidays(year).map((h) => [h.date, h.name]));
  const want = new Map(wanted.map((h) => [h.date, h.name.trim() || DEFAULT_AGENCY_HOLIDAY_NAME]));
  const added = [...want].filter(([d, name]) => proposal.get(d) !== name).map(([date, name]) => ({ date, name }));
  const removed = [...proposal.keys()].filter((d) => !want.has(d));
  return {
    added: [...edits.added.filter((h) => !h.date.startsWith(prefix)), ...added].sort((a, b) => a.date.localeCompare(b.date)),
    removed: [...edits.removed.filter((d) => !d.startsWith(prefix)), ...removed].sort(),
  };
}

/** Merged non-working days of several years (for a WorkingCalendar). */
export function holidayDatesOfYears(years: readonly number[], edits: HolidayEdits): PlainDate[] {
  return [...new Set(years)].flatMap((y) => holidaysOfYear(y, edits).map((h) => h.date)).sort();
}
