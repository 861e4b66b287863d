/**
 * Deadlines (thời hạn giải quyết), working days and reminders (pure; `now`/`today` always passed in).
 *
 * Deadlines are calendar dates in the agency's zone. A deadline is met all through its day: an item is
 * OVERDUE from the first day AFTER the deadline (Vietnam time), whatever the weekday.
 *
 * Working days: Monday–Friday, minus the configured holidays (Tết, 30/4, 1/5, 2/9 …, which change every
 * year and are announced by the Government), plus the configured make-up days (ngày làm bù, e.g. a
 * Saturday worked to bridge a holiday).
 *
 * Reminder schedule (chosen here; sent only on working days):
 * - UPCOMING: `beforeWorkingDays` (default 1) working days before the due day;
 * - DUE: on the due day = the deadline, or the last working day before it when the deadline is not a
 *   working day (a Sunday deadline is reminded on Friday);
 * - OVERDUE: on the first working day after the deadline, then every `overdueEveryWorkingDays`
 *   (default 5, i.e. weekly) working days, until the item is closed.
 */
import { VN_TIME_ZONE, addDays, assertPlainDate, dayOfWeek, daysBetween, localDateOf, type PlainDate } from './calendar';

export interface WorkingCalendar {
  /** Days off that would otherwise be working days (YYYY-MM-DD). */
  holidays?: readonly PlainDate[];
  /** Make-up working days that would otherwise be days off (YYYY-MM-DD). */
  extraWorkingDays?: readonly PlainDate[];
  /** Weekly days off, 0 = Sunday … 6 = Saturday. Default [0, 6]. */
  weekendDays?: readonly number[];
}

export const DEFAULT_WORKING_CALENDAR: WorkingCalendar = Object.freeze({ holidays: [], extraWorkingDays: [], weekendDays: [0, 6] });

const MAX_SCAN_DAYS = 3660; // ten years: a calendar without working days must not loop forever

export function isWorkingDay(d: PlainDate, cal: WorkingCalendar = DEFAULT_WORKING_CALENDAR): boolean {
  assertPlainDate(d);
  if (cal.extraWorkingDays?.includes(d)) return true;
  if (cal.holidays?.includes(d)) return false;
  return !(cal.weekendDays ?? [0, 6]).includes(dayOfWeek(d));
}

function step(d: PlainDate, dir: 1 | -1, cal: WorkingCalendar): PlainDate {
  let x = d;
  for (let i = 0; i < MAX_SCAN_DAYS; i++) {
    x = addDays(x, dir);
    if (isWorkingDay(x, cal)) return x;
  }
  throw new RangeError('The working calendar has no working day within ten years');
}

/** The first working day strictly after `d`. */
export const nextWorkingDay = (d: PlainDate, cal: WorkingCalendar = DEFAULT_WORKING_CALENDAR): PlainDate => step(d, 1, cal);

/** The last working day strictly before `d`. */
export const previousWorkingDay = (d: PlainDate, cal: WorkingCalendar = DEFAULT_WORKING_CALENDAR): PlainDate => step(d, -1, cal);

/**
 * The date `n` working days after `d` (n < 0: before). `d` itself is not counted and need not be a working
 * day: Friday + 1 = Monday; Saturday + 1 = Monday; n = 0 returns `d`.
 * E.g. "trong 05 ngày làm việc kể từ ngày nhận" = addWorkingDays(receivedDate, 5).
 */
export function addWorkingDays(d: PlainDate, n: number, cal: WorkingCalendar = DEFAULT_WORKING_CALENDAR): PlainDate {
  if (!Number.isInteger(n)) throw new RangeError(`Working days must be an integer, got ${n}`);
  let x = assertPlainDate(d);
  for (let i = 0; i < Math.abs(n); i++) x = step(x, n > 0 ? 1 : -1, cal);
  return x;
}

/** Working days in (a, b] — positive if b is after a, negative if before, 0 if equal. */
export function workingDaysBetween(a: PlainDate, b: PlainDate, cal: WorkingCalendar = DEFAULT_WORKING_CALENDAR): number {
  const span = daysBetween(a, b);
  if (span === 0) return 0;
  const [from, to, sign] = span > 0 ? [a, b, 1] : [b, a, -1];
  let count = 0;
  for (let x = addDays(from, 1); x <= to; x = addDays(x, 1)) if (isWorkingDay(x, cal)) count++;
  return sign * count;
}

/** Today's date in the agency's zone. */
export const todayIn = (now: Date, timeZone: string = VN_TIME_ZONE): PlainDate => localDateOf(now, timeZone);

/** True if `now` is past the deadline's day (in `timeZone`). A null deadline is never overdue. */
export function isOverdue(deadline: PlainDate | null | undefined, now: Date, timeZone: string = VN_TIME_ZONE): boolean {
  if (deadline == null) return false;
  return todayIn(now, timeZone) > assertPlainDate(deadline, 'deadline');
}

/** Calendar days past the deadline (0 if not overdue). */
export function daysOverdue(deadline: PlainDate | null | undefined, now: Date, timeZone: string = VN_TIME_ZONE): number {
  if (deadline == null) return 0;
  return Math.max(0, daysBetween(assertPlainDate(deadline, 'deadline'), todayIn(now, timeZone)));
}

/** Was the item completed after its deadline? (completion instant read in `timeZone`.) */
export function completedLate(deadline: PlainDate | null | undefined, completedAt: Date, timeZone: string = VN_TIME_ZONE): boolean {
  return isOverdue(deadline, completedAt, timeZone);
}

export type DeadlineStatus = 'NONE' | 'ON_TRACK' | 'DUE_SOON' | 'DUE_TODAY' | 'OVERDUE';

/**
 * For display: NONE (no deadline), OVERDUE, DUE_TODAY (the deadline is today), DUE_SOON (within
 * `soonWorkingDays`, default 1, working days before the deadline), else ON_TRACK.
 */
export function deadlineStatus(
  deadline: PlainDate | null | undefined,
  now: Date,
  opts: { timeZone?: string; calendar?: WorkingCalendar; soonWorkingDays?: number } = {},
): DeadlineStatus {
  if (deadline == null) return 'NONE';
  const today = todayIn(now, opts.timeZone);
  assertPlainDate(deadline, 'deadline');
  if (today > deadline) return 'OVERDUE';
  if (today === deadline) return 'DUE_TODAY';
  return workingDaysBetween(today, deadline, opts.calendar) <= (opts.soonWorkingDays ?? 1) ? 'DUE_SOON' : 'ON_TRACK';
}

export interface ReminderPolicy {
  /** Working days before the due day for the UPCOMING reminder; 0 = none. Default 1. */
  beforeWorkingDays: number;
  /** Remind on the due day. Default true. */
  onDueDay: boolean;
  /** After the first OVERDUE reminder, repeat every N working days; 0 = only once. Default 5. */
  overdueEveryWorkingDays: number;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = Object.freeze({ beforeWorkingDays: 1, onDueDay: true, overdueEveryWorkingDays: 5 });

export type ReminderKind = 'UPCOMING' | 'DUE' | 'OVERDUE';

/** The due day: the deadline, or the last working day before it if the deadline is a day off. */
export function dueDay(deadline: PlainDate, cal: WorkingCalendar = DEFAULT_WORKING_CALENDAR): PlainDate {
  return isWorkingDay(deadline, cal) ? deadline : previousWorkingDay(deadline, cal);
}

/**
 * Which reminder (if any) to send on `day` for an open item with this deadline. The reminder worker runs
 * once per day and calls this with today's date (Vietnam time).
 */
export function reminderKindOn(
  deadline: PlainDate,
  day: PlainDate,
  cal: WorkingCalendar = DEFAULT_WORKING_CALENDAR,
  policy: ReminderPolicy = DEFAULT_REMINDER_POLICY,
): ReminderKind | null {
  assertPlainDate(deadline, 'deadline');
  if (!isWorkingDay(day, cal)) return null;
  if (day > deadline) {
    const first = nextWorkingDay(deadline, cal);
    if (day === first) return 'OVERDUE';
    if (policy.overdueEveryWorkingDays <= 0) return null;
    return workingDaysBetween(first, day, cal) % policy.overdueEveryWorkingDays === 0 ? 'OVERDUE' : null;
  }
  const due = dueDay(deadline, cal);
  if (day === due) return policy.onDueDay ? 'DUE' : null;
  if (policy.beforeWorkingDays > 0 && day === addWorkingDays(due, -policy.beforeWorkingDays, cal)) return 'UPCOMING';
  return null;
}

export interface ScheduledReminder {
  date: PlainDate;
  kind: ReminderKind;
}

/**
 * The reminder dates for a deadline, in order: UPCOMING, DUE, then the first `overdueCount` (default 3)
 * OVERDUE reminders. Consistent with `reminderKindOn` (same rule, listed ahead of time).
 */
export function reminderSchedule(
  deadline: PlainDate,
  cal: WorkingCalendar = DEFAULT_WORKING_CALENDAR,
  policy: ReminderPolicy = DEFAULT_REMINDER_POLICY,
  overdueCount = 3,
): ScheduledReminder[] {
  const out: ScheduledReminder[] = [];
  const due = dueDay(deadline, cal);
  if (policy.beforeWorkingDays > 0) out.push({ date: addWorkingDays(due, -policy.beforeWorkingDays, cal), kind: 'UPCOMING' });
  if (policy.onDueDay) out.push({ date: due, kind: 'DUE' });
  let d = nextWorkingDay(deadline, cal);
  for (let i = 0; i < overdueCount; i++) {
    out.push({ date: d, kind: 'OVERDUE' });
    if (policy.overdueEveryWorkingDays <= 0) break;
    d = addWorkingDays(d, policy.overdueEveryWorkingDays, cal);
  }
  return out;
}
