/**
 * Phòng họp (issue 11): bell notifications written in the same transactions as the changes — invitation on
 * publish (and to people added later), change of time/place, a vote opened (voting members only), a task
 * assigned from the conclusions, cancellation — and the daily reminder job for tasks with deadlines
 * (once per task, kind and day; none once the task is done).
 */
import { allJobs } from '../../../server/src/jobs';
import { reminderKindOn } from '../../../server/src/modules/documents/domain';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { meetingTaskReminderJob, runMeetingTaskReminders } from '../../../server/src/modules/meetings/meetings.jobs';
import { createTestRuntime, type TestRuntime } from '../support/runtime';

let t: TestRuntime;
const ids: Record<string, string> = {};
const USERS = ['vanthu', 'lanhdao', 'chuyenvien', 'truongphong', 'luutru', 'snv.lanhdao'];

beforeAll(async () => {
  t = await createTestRuntime();
  const em = t.system().em;
  for (const u of USERS) ids[u] = (await em.findOneOrFail(User, { username: u })).id;
}, 120_000);
afterAll(async () => t?.close());

/** The kinds of the notifications of a user (oldest first), with their texts. */
async function bell(username: string) {
  const rows = await t
    .system()
    .em.execute<{ kind: string; text: string }[]>('select kind, text from notification where user_id = ? order by created_at, id', [ids[username]]);
  return rows;
}
const kinds = async (username: string) => (await bell(username)).map((r) => r.kind);
const ymd = (d: Date) => new Date(d.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
const at = (days: number, hour: number) => new Date(`${ymd(new Date(Date.now() + days * 86_400_000))}T${String(hour).padStart(2, '0')}:00:00+07:00`);

describe('meeting notifications (the bell)', () => {
  let meetingId = '';
  let itemId = '';
  const deadline = ymd(new Date(Date.now() + 14 * 86_400_000));

  it('invites on publish (not while a draft), everyone but the one publishing; the bell shows it', async () => {
    const meetings = t.rt.services.meetings;
    const vanthu = await t.as('vanthu');
    const m = await meetings.create(vanthu, {
      title: 'Giao ban tuần',
      startsAt: at(3, 8),
      endsAt: at(3, 10),
      location: 'Phòng họp số 1',
      chairId: ids.lanhdao,
      secretaryId: ids.vanthu,
      memberIds: [ids.chuyenvien, ids.truongphong],
      guestIds: [ids['snv.lanhdao']],
    });
    meetingId = m.s.id;
    itemId = (await meetings.addItem(vanthu, meetingId, { title: 'Kết quả tháng 11' })).item.id;
    expect(await kinds('chuyenvien')).toEqual([]);
    await meetings.publishMeeting(vanthu, meetingId);
    for (const u of ['lanhdao', 'chuyenvien', 'truongphong', 'snv.lanhdao']) expect(await kinds(u)).toEqual(['MEETING_INVITED']);
    expect(await kinds('vanthu')).toEqual([]);
    const [inv] = await bell('snv.lanhdao');
    expect(inv.text).toContain('Giao ban tuần');
    expect(inv.text).toContain('Phòng họp số 1');
    // What the bell reads: the caller's own list and unread count.
    const guest = await t.as('snv.lanhdao');
    expect(await t.rt.services.notifications.unreadCount(guest)).toBe(1);
    const page = await t.rt.services.notifications.notifications(guest, {});
    expect(page.edges.map((e) => e.node.kind)).toEqual(['MEETING_INVITED']);
  });

  it('a change of time or place tells the participants; a newcomer gets an invitation instead; a new title alone tells nobody', async () => {
    const meetings = t.rt.services.meetings;
    const vanthu = await t.as('vanthu');
    await meetings.update(vanthu, meetingId, { title: 'Giao ban tuần (sửa tên)' });
    expect(await kinds('chuyenvien')).toEqual(['MEETING_INVITED']);
    await meetings.update(vanthu, meetingId, { location: 'Hội trường tầng 3', memberIds: [ids.chuyenvien, ids.truongphong, ids.luutru] });
    for (const u of ['lanhdao', 'chuyenvien', 'truongphong', 'snv.lanhdao']) expect(await kinds(u)).toEqual(['MEETING_INVITED', 'MEETING_CHANGED']);
    expect((await bell('chuyenvien'))[1].text).toContain('Hội trường tầng 3');
    expect(await kinds('luutru')).toEqual(['MEETING_INVITED']);
    expect(await kinds('vanthu')).toEqual([]);
  });

  it('a vote opened tells the voting members (not the guest, the secretary or the chair who opened it); a task assigned tells its assignee', async () => {
    const meetings = t.rt.services.meetings;
    const vanthu = await t.as('vanthu');
    const chair = await t.as('lanhdao');
    await meetings.start(vanthu, meetingId);
    await meetings.setCurrentItem(chair, meetingId, itemId);
    const vote = await meetings.openVote(chair, itemId, { question: 'Thông qua báo cáo?', secret: false });
    for (const u of ['chuyenvien', 'truongphong', 'luutru']) expect((await kinds(u)).at(-1)).toBe('MEETING_VOTE_OPENED');
    expect((await bell('chuyenvien')).at(-1)!.text).toContain('Thông qua báo cáo?');
    for (const u of ['snv.lanhdao', 'lanhdao']) expect(await kinds(u)).not.toContain('MEETING_VOTE_OPENED');
    expect(await kinds('vanthu')).toEqual([]);
    await meetings.closeVote(chair, vote.vote.id);
    await meetings.concludeItem(chair, itemId, { conclusion: 'Thống nhất báo cáo.', tasks: [{ title: 'Hoàn thiện báo cáo tháng', assigneeId: ids.chuyenvien, deadline }] });
    const last = (await bell('chuyenvien')).at(-1)!;
    expect(last.kind).toBe('MEETING_TASK_ASSIGNED');
    expect(last.text).toContain('Hoàn thiện báo cáo tháng');
    expect(last.text).toContain(`${deadline.slice(8, 10)}/${deadline.slice(5, 7)}/${deadline.slice(0, 4)}`);
    expect(await kinds('truongphong')).not.toContain('MEETING_TASK_ASSIGNED');
  });

  it('cancelling a published meeting tells its participants; cancelling a draft tells nobody', async () => {
    const meetings = t.rt.services.meetings;
    const vanthu = await t.as('vanthu');
    const input = { title: 'Họp chuyên đề', startsAt: at(5, 14), endsAt: at(5, 16), location: 'Phòng họp số 2', chairId: ids.lanhdao, secretaryId: ids.vanthu, memberIds: [ids.truongphong] };
    const draft = await meetings.create(vanthu, input);
    await meetings.cancel(vanthu, draft.s.id, null);
    expect(await kinds('truongphong')).not.toContain('MEETING_CANCELLED');
    const m = await meetings.create(vanthu, input);
    await meetings.addItem(vanthu, m.s.id, { title: 'Nội dung' });
    await meetings.publishMeeting(vanthu, m.s.id);
    await meetings.cancel(vanthu, m.s.id, 'Lãnh đạo đi công tác');
    const last = (await bell('truongphong')).at(-1)!;
    expect(last.kind).toBe('MEETING_CANCELLED');
    expect(last.text).toContain('Lãnh đạo đi công tác');
  });

  it('the daily job reminds the assignee of a task once per kind and day, and not once it is done', async () => {
    expect(allJobs.map((j) => j.name)).toContain(meetingTaskReminderJob.name);
    expect(meetingTaskReminderJob.cron).toBe('0 7 * * *');
    // The days the documents' schedule gives for this deadline (working days, public holidays).
    const days = Array.from({ length: 10 }, (_, i) => ymd(new Date(Date.parse(`${deadline}T12:00:00+07:00`) + (i - 5) * 86_400_000)));
    const upcoming = days.find((d) => reminderKindOn(deadline, d) === 'UPCOMING')!;
    const due = days.find((d) => reminderKindOn(deadline, d) === 'DUE')!;
    const quiet = days.find((d) => d < upcoming && reminderKindOn(deadline, d) === null)!;
    const before = (await kinds('chuyenvien')).length;

    expect((await runMeetingTaskReminders(t.rt.services, t.system(), { day: quiet })).sent).toEqual({ UPCOMING: 0, DUE: 0, OVERDUE: 0 });
    const r1 = await runMeetingTaskReminders(t.rt.services, t.system(), { day: upcoming });
    expect(r1.sent.UPCOMING).toBe(1);
    expect(r1.checked).toBeGreaterThanOrEqual(1);
    // A rerun of the same day sends nothing again.
    expect((await runMeetingTaskReminders(t.rt.services, t.system(), { day: upcoming })).sent.UPCOMING).toBe(0);
    const after = await bell('chuyenvien');
    expect(after.length).toBe(before + 1);
    expect(after.at(-1)).toMatchObject({ kind: 'MEETING_TASK_UPCOMING' });
    expect(after.at(-1)!.text).toContain('Hoàn thiện báo cáo tháng');

    // Done before its due day: no more reminders.
    const [task] = await t.rt.services.meetings.tasks(await t.as('chuyenvien'), { mine: true, openOnly: true });
    await t.rt.services.meetings.completeTask(await t.as('chuyenvien'), task.id, 'Đã nộp');
    expect((await runMeetingTaskReminders(t.rt.services, t.system(), { day: due })).sent.DUE).toBe(0);
    expect((await bell('chuyenvien')).length).toBe(before + 1);
    // Each run is audited.
    const [{ n }] = await t.system().em.execute<{ n: string }[]>(`select count(*) as n from audit_event where action = 'meetings.task_reminders'`);
    expect(Number(n)).toBeGreaterThanOrEqual(4);
  });
});
