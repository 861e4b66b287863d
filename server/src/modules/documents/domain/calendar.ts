/**
 * Calendar dates without time ("PlainDate", `YYYY-MM-DD`) and time-zone conversions (pure).
 *
 * Deadlines (thời hạn giải quyết), document dates (ngày ban hành) and registers are calendar dates of the
 * agency's time zone, not instants. We keep them as `YYYY-MM-DD` strings: they compare correctly as strings,
 * map 1:1 to a PostgreSQL `date`, and cannot drift with the server's time zone.
 */

/** A calendar date written `YYYY-MM-DD`. */
export type PlainDate = string;

/** The time zone of every Vietnamese agency (UTC+7, no DST). */
export const VN_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const PLAIN_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True if `s` is a real calendar date written `YYYY-MM-DD` (e.g. rejects 2026-02-30). */
export function isPlainDate(s: unknown): s is PlainDate {
  if (typeof s !== 'string') return false;
  const m = PLAIN_DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

/** Throws a RangeError unless `s` is a valid PlainDate. */
export function assertPlainDate(s: string, what = 'date'): PlainDate {
  if (!isPlainDate(s)) throw new RangeError(`Invalid ${what}: ${JSON.stringify(s)} (expected YYYY-MM-DD)`);
  return s;
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Split a PlainDate into numbers. */
export function plainDateParts(d: PlainDate): { year: number; month: number; day: number } {
  assertPlainDate(d);
  return { year: Number(d.slice(0, 4)), month: Number(d.slice(5, 7)), day: Number(d.slice(8, 10)) };
}

export function makePlainDate(year: number, month: number, day: number): PlainDate {
  const s = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return assertPlainDate(s);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // en-CA with 2-digit parts; we read the parts, never the formatted string.
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The calendar date of `instant` in `timeZone` (default Asia/Ho_Chi_Minh). 2026-12-31T17:30Z → '2027-01-01'. */
export function localDateOf(instant: Date, timeZone: string = VN_TIME_ZONE): PlainDate {
  if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid Date');
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year').padStart(4, '0')}-${get('month')}-${get('day')}`;
}

/** Add (or subtract) calendar days. */
export function addDays(d: PlainDate, days: number): PlainDate {
  const { year, month, day } = plainDateParts(d);
  const t = new Date(Date.UTC(year, month - 1, day + days));
  return makePlainDate(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
}

/** Day of week: 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(d: PlainDate): number {
  const { year, month, day } = plainDateParts(d);
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

/** Signed number of calendar days from `a` to `b` (b − a). */
export function daysBetween(a: PlainDate, b: PlainDate): number {
  const pa = plainDateParts(a);
  const pb = plainDateParts(b);
  return Math.round((Date.UTC(pb.year, pb.month - 1, pb.day) - Date.UTC(pa.year, pa.month - 1, pa.day)) / 86_400_000);
}

/** -1 / 0 / 1; PlainDates compare correctly as strings. */
export function comparePlainDates(a: PlainDate, b: PlainDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
