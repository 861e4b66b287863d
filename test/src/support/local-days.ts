/**
 * "Today" in a test, for the dates the product stamps itself (ngày ban hành, ngày đến, the day of an audit event).
 *
 * The server takes such a date in the agency's time zone at the moment it acts, and a run crosses midnight in Việt
 * Nam at 17:00 UTC: a "today" the test took a minute earlier is then a day behind (CI failed so on 7 Dec 2026: issued
 * 08/12, expected 07/12). A test therefore notes when it began (`new LocalDays()`) and accepts any local date from
 * then until the moment it checks; date ranges it asks for run from `first` to `last`.
 */
import { addDays, comparePlainDates, localDateOf, VN_TIME_ZONE, type PlainDate } from '../../../server/src/modules/documents/domain';

export class LocalDays {
  constructor(
    readonly since: Date = new Date(),
    readonly timeZone: string = VN_TIME_ZONE,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The local date when the span began: for inputs and the start of a date range. */
  get first(): PlainDate {
    return localDateOf(this.since, this.timeZone);
  }

  /** The local date now: for the end of a date range. */
  get last(): PlainDate {
    return localDateOf(this.now(), this.timeZone);
  }

  /** Every local date from `first` to `last`, in order (one, or two across midnight). */
  all(): PlainDate[] {
    const days: PlainDate[] = [];
    for (let d = this.first, last = this.last; comparePlainDates(d, last) <= 0; d = addDays(d, 1)) days.push(d);
    return days;
  }

  /** Matches a date string that is one of `all()` (for toMatchObject / toEqual). */
  date(): ReturnType<typeof expect.stringMatching> {
    return expect.stringMatching(new RegExp(`^(?:${this.all().join('|')})$`));
  }

  /** A pattern for text that holds one of `all()` as `write` renders it (e.g. "Bắc Ninh, ngày 07 tháng 12 năm 2026"). */
  text(write: (d: PlainDate) => string): RegExp {
    return new RegExp(this.all().map((d) => write(d).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'));
  }
}

/** The date as Phụ lục I (Decree 30/2020) writes it: "ngày 07 tháng 12 năm 2026", months 1–2 with a leading zero. */
export function vnDateLine(iso: PlainDate): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `ngày ${String(d).padStart(2, '0')} tháng ${m <= 2 ? String(m).padStart(2, '0') : m} năm ${y}`;
}
