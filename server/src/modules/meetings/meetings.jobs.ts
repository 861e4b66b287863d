/**
 * Nhắc hạn nhiệm vụ từ cuộc họp: every day at 07:00 Vietnam time, each open task concluded in a meeting (not
 * done, meeting not cancelled) gets the reminder the documents' schedule gives for today (reminderKindOn:
 * UPCOMING one working day before, DUE on the due day, OVERDUE the first working day after and then weekly),
 * with the agency's holidays — like the bút phê deadlines (documents.jobs.ts). Idempotent per (task, kind, day):
 * meeting_task.last_reminder_kind / last_reminder_on are claimed by a conditional UPDATE in the same transaction
 * as the notification, so a rerun (or two workers at once) never notifies twice.
 */
import { defineJob, QUEUES } from '../../jobs/job';
import type { Services } from '../../services';
import { badInput } from '../../shared/errors';
import type { Scope } from '../../shared/scope';
import { VN_TIME_ZONE, isPlainDate, localDateOf, reminderKindOn, type PlainDate, type ReminderKind } from '../documents/domain';
import { AgencySettings } from '../documents/entities/misc.entities';
import { holidayDatesFromRow } from '../documents/settings.service';
import { notifyUsers, vnDay } from './meetings.service';

export interface TaskReminderRunResult {
  day: PlainDate | null;
  /** Open tasks looked at. */
  checked: number;
  /** Reminders sent, by kind (one notification each, to the assignee). */
  sent: Record<ReminderKind, number>;
}

function reminderText(kind: ReminderKind, deadline: string, task: string, meeting: string): string {
  const what = `nhiệm vụ "${task}" (cuộc họp "${meeting}")`;
  switch (kind) {
    case 'UPCOMING':
      return `Sắp đến hạn (${vnDay(deadline)}): ${what}`;
    case 'DUE':
      return `Đến hạn hôm nay (${vnDay(deadline)}): ${what}`;
    case 'OVERDUE':
      return `Quá hạn (hạn ${vnDay(deadline)}): ${what}`;
  }
}

/** Runs the reminders for `day` (default: today in each agency's zone, by the services' clock). */
export async function runMeetingTaskReminders(services: Pick<Services, 'clock'>, scope: Scope, opts: { day?: PlainDate | null } = {}): Promise<TaskReminderRunResult> {
  if (opts.day != null && !isPlainDate(opts.day)) throw badInput('Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.', 'day');
  const now = services.clock.now();
  const result: TaskReminderRunResult = { day: opts.day ?? null, checked: 0, sent: { UPCOMING: 0, DUE: 0, OVERDUE: 0 } };
  return scope.transaction(async (tx) => {
    const em = tx.em;
    const open = await em.execute<{ id: string; title: string; assignee_id: string; deadline: string; meeting_title: string; meeting_id: string; agency_id: string; time_zone: string | null }[]>(
      `select t.id, t.title, t.assignee_id, t.deadline::text as deadline, m.title as meeting_title, t.meeting_id, m.agency_id, a.time_zone
         from meeting_task t join meeting m on m.id = t.meeting_id join agency a on a.id = m.agency_id
        where t.completed_at is null and m.status <> 'CANCELLED'
        order by t.id`,
    );
    result.checked = open.length;
    const agencyIds = [...new Set(open.map((t) => t.agency_id))];
    const settings = agencyIds.length ? await em.find(AgencySettings, { agency: { $in: agencyIds } }) : [];
    const thisYear = Number(localDateOf(now, VN_TIME_ZONE).slice(0, 4));
    const years = [thisYear - 1, thisYear, thisYear + 1];
    const holidays = new Map(settings.map((s) => [s.agency.id, holidayDatesFromRow(s, years)]));
    const publicOnly = holidayDatesFromRow(null, years);
    for (const t of open) {
      const day = opts.day ?? localDateOf(now, t.time_zone || VN_TIME_ZONE);
      const kind = reminderKindOn(t.deadline, day, { holidays: holidays.get(t.agency_id) ?? publicOnly });
      if (!kind) continue;
      const claimed = await em.execute<{ id: string }[]>(
        `update meeting_task set last_reminder_kind = ?, last_reminder_on = ?
          where id = ? and completed_at is null and not (last_reminder_on is not distinct from ?::date and last_reminder_kind is not distinct from ?)
          returning id`,
        [kind, day, t.id, day, kind],
      );
      if (!claimed.length) continue;
      result.sent[kind]++;
      await notifyUsers(em, [t.assignee_id], `MEETING_TASK_${kind}`, reminderText(kind, t.deadline, t.title, t.meeting_title), t.meeting_id);
    }
    tx.audit({ action: 'meetings.task_reminders', targetType: 'deployment', agencyId: null, data: { ...result } });
    return result;
  });
}

/** Daily at 07:00 (Asia/Ho_Chi_Minh); `{ day: 'YYYY-MM-DD' }` runs it for a given day (catch-up, tests). */
export const meetingTaskReminderJob = defineJob<{ day?: string }>({
  name: 'meetings.task-reminders',
  queue: QUEUES.fast,
  cron: '0 7 * * *',
  handler: (data, ctx) => runMeetingTaskReminders(ctx.services, ctx.newScope(), { day: data?.day ?? null }),
});
