/**
 * Deadline reminders (nhắc hạn xử lý): every day at 07:00 Vietnam time, each open assignment with a
 * deadline gets the reminder the domain schedule gives for today (reminderKindOn: UPCOMING one working day
 * before, DUE on the due day, OVERDUE the first working day after and then weekly), using the agency's
 * holidays. Idempotent per (assignment, kind, day): Assignment.lastReminderKind / lastReminderOn are
 * claimed with a conditional UPDATE in the same transaction as the notifications, so a rerun (or two
 * workers at once) never notifies twice.
 */
import { defineJob, QUEUES } from '../../jobs/job';
import type { Services } from '../../services';
import { badInput } from '../../shared/errors';
import type { Scope } from '../../shared/scope';
import { User } from '../identity/entities/user.entity';
import { VN_TIME_ZONE, isPlainDate, localDateOf, reminderKindOn, type PlainDate, type ReminderKind } from './domain';
import { Assignment } from './entities/assignment.entity';
import { AgencySettings, Notification } from './entities/misc.entities';
import { holidayDatesFromRow } from './settings.service';

export interface ReminderRunResult {
  /** The day used (the given one, or today in each agency's zone). */
  day: PlainDate | null;
  /** Open assignments with a deadline that were looked at. */
  checked: number;
  /** Reminders sent (claimed assignments), by kind. */
  sent: Record<ReminderKind, number>;
  /** Notification rows written. */
  notifications: number;
}

const fmt = (d: string) => `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)}`;

function reminderText(kind: ReminderKind, deadline: string, what: string): string {
  switch (kind) {
    case 'UPCOMING':
      return `Sắp đến thời hạn giải quyết (${fmt(deadline)}): ${what}`;
    case 'DUE':
      return `Đến thời hạn giải quyết (${fmt(deadline)}): ${what}`;
    case 'OVERDUE':
      return `Quá thời hạn giải quyết (hạn ${fmt(deadline)}): ${what}`;
  }
}

/**
 * Runs the reminders for `day` (default: today in each agency's zone, by the services' clock).
 * Open = active assignment, PENDING or IN_PROGRESS, with a deadline, on a document not finished.
 */
export async function runDeadlineReminders(services: Pick<Services, 'clock'>, scope: Scope, opts: { day?: PlainDate | null } = {}): Promise<ReminderRunResult> {
  if (opts.day != null && !isPlainDate(opts.day)) throw badInput('Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.', 'day');
  const now = services.clock.now();
  const result: ReminderRunResult = { day: opts.day ?? null, checked: 0, sent: { UPCOMING: 0, DUE: 0, OVERDUE: 0 }, notifications: 0 };
  return scope.transaction(async (tx) => {
    const em = tx.em;
    const open = await em.find(
      Assignment,
      {
        active: true,
        state: { $in: ['PENDING', 'IN_PROGRESS'] },
        deadline: { $ne: null },
        document: { direction: 'INCOMING', state: { $nin: ['DONE', 'FOR_INFO', 'REJECTED'] } },
      },
      { populate: ['document', 'document.agency'], orderBy: { id: 'asc' } },
    );
    result.checked = open.length;
    const agencyIds = [...new Set(open.map((a) => a.document.agency.id))];
    const settings = agencyIds.length ? await em.find(AgencySettings, { agency: { $in: agencyIds } }) : [];
    // Public holidays of the years around today (Tết and Giỗ Tổ from the lunar calendar) merged with each agency's
    // own edits; an agency without a settings row still skips the public holidays.
    const thisYear = Number(localDateOf(now, VN_TIME_ZONE).slice(0, 4));
    const years = [thisYear - 1, thisYear, thisYear + 1];
    const holidays = new Map(settings.map((s) => [s.agency.id, holidayDatesFromRow(s, years)]));
    const publicOnly = holidayDatesFromRow(null, years);
    const headsByUnit = new Map<string, string[]>();

    for (const a of open) {
      const doc = a.document;
      const agency = doc.agency;
      const day = opts.day ?? localDateOf(now, agency.timeZone || VN_TIME_ZONE);
      const kind = reminderKindOn(a.deadline!, day, { holidays: holidays.get(agency.id) ?? publicOnly });
      if (!kind) continue;
      const claimed = await em.execute<{ id: string }[]>(
        `update "assignment" set "last_reminder_kind" = ?, "last_reminder_on" = ?
         where "id" = ? and not ("last_reminder_on" is not distinct from ?::date and "last_reminder_kind" is not distinct from ?)
         returning "id"`,
        [kind, day, a.id, day, kind],
      );
      if (!claimed.length) continue;
      result.sent[kind]++;
      let to: string[];
      if (a.user) to = [a.user.id];
      else if (a.unit) {
        if (!headsByUnit.has(a.unit.id)) {
          const heads = await em.find(User, { unit: a.unit.id, active: true, roles: { $contains: ['TRUONG_PHONG'] } });
          headsByUnit.set(a.unit.id, heads.map((u) => u.id));
        }
        to = headsByUnit.get(a.unit.id)!;
      } else to = [];
      const what = `văn bản ${doc.symbol ?? ''} (số đến ${doc.incomingNumber ?? ''}) — ${doc.subject}`;
      for (const userId of new Set(to)) {
        em.create(Notification, {
          user: em.getReference(User, userId),
          kind: `DEADLINE_${kind}`,
          document: doc,
          text: reminderText(kind, a.deadline!, what).slice(0, 1000),
          createdAt: now,
        });
        result.notifications++;
      }
    }
    tx.audit({ action: 'documents.deadline_reminders', targetType: 'deployment', agencyId: null, data: { ...result } });
    return result;
  });
}

/** Daily at 07:00 (Asia/Ho_Chi_Minh); `{ day: 'YYYY-MM-DD' }` runs it for a given day (catch-up, tests). */
export const deadlineReminderJob = defineJob<{ day?: string }>({
  name: 'documents.deadline-reminders',
  queue: QUEUES.fast,
  cron: '0 7 * * *',
  handler: (data, ctx) => runDeadlineReminders(ctx.services, ctx.newScope(), { day: data?.day ?? null }),
});
