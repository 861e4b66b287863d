import { addDays } from './calendar';
import {
  addWorkingDays,
  completedLate,
  daysOverdue,
  deadlineStatus,
  dueDay,
  isOverdue,
  isWorkingDay,
  nextWorkingDay,
  previousWorkingDay,
  reminderKindOn,
  reminderSchedule,
  workingDaysBetween,
  type WorkingCalendar,
} from './deadlines';

// Week of Monday 2026-03-09: Mon 09, Tue 10, Wed 11, Thu 12, Fri 13, Sat 14, Sun 15, Mon 16
const vn = (iso: string) => new Date(iso);

describe('isOverdue (Vietnam time)', () => {
  it('a deadline is met all through its day', () => {
    expect(isOverdue('2026-03-10', vn('2026-03-10T16:59:59Z'))).toBe(false); // 23:59:59 on the 10th in Hà Nội
    expect(isOverdue('2026-03-10', vn('2026-03-10T17:00:00Z'))).toBe(true); // 00:00 on the 11th
    expect(isOverdue('2026-03-10', vn('2026-03-09T20:00:00Z'))).toBe(false);
  });
  it('uses the zone given', () => {
    expect(isOverdue('2026-03-10', vn('2026-03-10T17:00:00Z'), 'UTC')).toBe(false);
  });
  it('no deadline is never overdue; a malformed one throws', () => {
    expect(isOverdue(null, vn('2030-01-01T00:00:00Z'))).toBe(false);
    expect(isOverdue(undefined, vn('2030-01-01T00:00:00Z'))).toBe(false);
    expect(() => isOverdue('10/03/2026', vn('2026-03-10T00:00:00Z'))).toThrow(RangeError);
  });
  it('counts days overdue and late completion', () => {
    expect(daysOverdue('2026-03-10', vn('2026-03-13T02:00:00Z'))).toBe(3);
    expect(daysOverdue('2026-03-10', vn('2026-03-10T02:00:00Z'))).toBe(0);
    expect(daysOverdue(null, vn('2026-03-10T02:00:00Z'))).toBe(0);
    expect(completedLate('2026-03-10', vn('2026-03-10T16:00:00Z'))).toBe(false);
    expect(completedLate('2026-03-10', vn('2026-03-10T18:00:00Z'))).toBe(true);
  });
});

describe('working days', () => {
  const tet: WorkingCalendar = { holidays: ['2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20'] };

  it('skips Saturdays and Sundays', () => {
    expect(isWorkingDay('2026-03-13')).toBe(true);
    expect(isWorkingDay('2026-03-14')).toBe(false);
    expect(isWorkingDay('2026-03-15')).toBe(false);
    expect(addWorkingDays('2026-03-13', 1)).toBe('2026-03-16'); // Fri + 1 = Mon
    expect(addWorkingDays('2026-03-14', 1)).toBe('2026-03-16'); // Sat + 1 = Mon
    expect(addWorkingDays('2026-03-09', 5)).toBe('2026-03-16');
    expect(addWorkingDays('2026-03-16', -1)).toBe('2026-03-13');
    expect(addWorkingDays('2026-03-14', 0)).toBe('2026-03-14');
    expect(nextWorkingDay('2026-03-13')).toBe('2026-03-16');
    expect(previousWorkingDay('2026-03-16')).toBe('2026-03-13');
  });

  it('skips configured holidays (Tết) and honours make-up days', () => {
    expect(isWorkingDay('2026-02-17', tet)).toBe(false);
    expect(addWorkingDays('2026-02-13', 1, tet)).toBe('2026-02-23');
    const withMakeUp: WorkingCalendar = { ...tet, extraWorkingDays: ['2026-02-14'] };
    expect(isWorkingDay('2026-02-14', withMakeUp)).toBe(true);
    expect(addWorkingDays('2026-02-13', 1, withMakeUp)).toBe('2026-02-14');
  });

  it('supports other weekly days off', () => {
    const sixDay: WorkingCalendar = { weekendDays: [0] };
    expect(addWorkingDays('2026-03-13', 1, sixDay)).toBe('2026-03-14');
  });

  it('counts working days in (a, b]', () => {
    expect(workingDaysBetween('2026-03-09', '2026-03-16')).toBe(5);
    expect(workingDaysBetween('2026-03-16', '2026-03-09')).toBe(-5);
    expect(workingDaysBetween('2026-03-13', '2026-03-15')).toBe(0);
    expect(workingDaysBetween('2026-03-10', '2026-03-10')).toBe(0);
    expect(workingDaysBetween('2026-02-13', '2026-02-23', tet)).toBe(1);
  });

  it('agrees with addWorkingDays', () => {
    for (let n = -12; n <= 12; n++) {
      for (const start of ['2026-03-09', '2026-03-14', '2026-02-12']) {
        const end = addWorkingDays(start, n, { holidays: ['2026-02-16', '2026-03-11'] });
        if (n !== 0 && isWorkingDay(start, { holidays: ['2026-02-16', '2026-03-11'] })) {
          expect(workingDaysBetween(start, end, { holidays: ['2026-02-16', '2026-03-11'] })).toBe(n);
        }
      }
    }
  });

  it('refuses non-integers and calendars without working days', () => {
    expect(() => addWorkingDays('2026-03-09', 1.5)).toThrow(RangeError);
    expect(() => addWorkingDays('2026-03-09', 1, { weekendDays: [0, 1, 2, 3, 4, 5, 6] })).toThrow(RangeError);
  });
});

describe('deadlineStatus', () => {
  const at = vn('2026-03-10T02:00:00Z'); // Tue 10 March, 09:00
  it.each([
    [null, 'NONE'],
    ['2026-03-09', 'OVERDUE'],
    ['2026-03-10', 'DUE_TODAY'],
    ['2026-03-11', 'DUE_SOON'],
    ['2026-03-12', 'ON_TRACK'],
  ] as const)('%p → %s', (deadline, status) => {
    expect(deadlineStatus(deadline, at)).toBe(status);
  });
  it('counts "soon" in working days', () => {
    const fri = vn('2026-03-13T02:00:00Z');
    expect(deadlineStatus('2026-03-16', fri)).toBe('DUE_SOON'); // Monday is 1 working day after Friday
    expect(deadlineStatus('2026-03-17', fri, { soonWorkingDays: 2 })).toBe('DUE_SOON');
    expect(deadlineStatus('2026-03-17', fri)).toBe('ON_TRACK');
  });
});

describe('reminders', () => {
  it('default schedule: 1 working day before, on the day, then overdue on the next working day and weekly', () => {
    expect(reminderSchedule('2026-03-11')).toEqual([
      { date: '2026-03-10', kind: 'UPCOMING' },
      { date: '2026-03-11', kind: 'DUE' },
      { date: '2026-03-12', kind: 'OVERDUE' },
      { date: '2026-03-19', kind: 'OVERDUE' },
      { date: '2026-03-26', kind: 'OVERDUE' },
    ]);
  });

  it('a Monday deadline is announced on Friday; overdue on Tuesday', () => {
    expect(reminderSchedule('2026-03-16', undefined, undefined, 1)).toEqual([
      { date: '2026-03-13', kind: 'UPCOMING' },
      { date: '2026-03-16', kind: 'DUE' },
      { date: '2026-03-17', kind: 'OVERDUE' },
    ]);
  });

  it('a Sunday deadline is due on Friday, overdue from Monday', () => {
    expect(dueDay('2026-03-15')).toBe('2026-03-13');
    expect(reminderSchedule('2026-03-15', undefined, undefined, 1)).toEqual([
      { date: '2026-03-12', kind: 'UPCOMING' },
      { date: '2026-03-13', kind: 'DUE' },
      { date: '2026-03-16', kind: 'OVERDUE' },
    ]);
  });

  it('holidays move reminders', () => {
    const cal: WorkingCalendar = { holidays: ['2026-04-30', '2026-05-01'] };
    // deadline Monday 4 May: UPCOMING skips the 30/4–1/5 holidays and the weekend → Wednesday 29 April
    expect(reminderSchedule('2026-05-04', cal, undefined, 1)[0]).toEqual({ date: '2026-04-29', kind: 'UPCOMING' });
  });

  it('a custom policy', () => {
    expect(reminderSchedule('2026-03-11', undefined, { beforeWorkingDays: 2, onDueDay: false, overdueEveryWorkingDays: 0 }, 5)).toEqual([
      { date: '2026-03-09', kind: 'UPCOMING' },
      { date: '2026-03-12', kind: 'OVERDUE' },
    ]);
    expect(reminderSchedule('2026-03-11', undefined, { beforeWorkingDays: 0, onDueDay: true, overdueEveryWorkingDays: 1 }, 3)).toEqual([
      { date: '2026-03-11', kind: 'DUE' },
      { date: '2026-03-12', kind: 'OVERDUE' },
      { date: '2026-03-13', kind: 'OVERDUE' },
      { date: '2026-03-16', kind: 'OVERDUE' },
    ]);
  });

  it('reminderKindOn agrees with reminderSchedule day by day', () => {
    const cal: WorkingCalendar = { holidays: ['2026-03-20'], extraWorkingDays: ['2026-03-21'] };
    const policies = [
      undefined,
      { beforeWorkingDays: 2, onDueDay: true, overdueEveryWorkingDays: 3 },
      { beforeWorkingDays: 0, onDueDay: false, overdueEveryWorkingDays: 0 },
    ];
    for (const policy of policies) {
      for (let k = 0; k < 14; k++) {
        const deadline = addDays('2026-03-09', k);
        const schedule = reminderSchedule(deadline, cal, policy, 4);
        const lastListed = schedule[schedule.length - 1].date;
        const fromDays: { date: string; kind: string }[] = [];
        for (let d = addDays(deadline, -10); d <= lastListed; d = addDays(d, 1)) {
          const kind = reminderKindOn(deadline, d, cal, policy);
          if (kind) fromDays.push({ date: d, kind });
        }
        expect(fromDays).toEqual(schedule);
      }
    }
  });

  it('sends nothing on days off or ordinary days', () => {
    expect(reminderKindOn('2026-03-11', '2026-03-09')).toBeNull();
    expect(reminderKindOn('2026-03-11', '2026-03-14')).toBeNull();
    expect(reminderKindOn('2026-03-11', '2026-03-13')).toBeNull();
  });
});
