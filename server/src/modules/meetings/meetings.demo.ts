/**
 * Demo content (issue 11): one upcoming, published meeting of UBND tỉnh (giao ban, next working day 08:00,
 * chair lanhdao, secretary vanthu, members chuyenvien and truongphong) with its agenda, and one engagement on
 * the work calendar, so that "Phòng họp" and "Lịch công tác" are not empty on a first start.
 */
import type { DemoStep } from '../../seed/demo';
import { newId } from '../../shared/ids';

/** The next working day (Mon–Fri) after `now`, at `hour`:00 Vietnam time. */
export function nextWorkingDayAt(now: Date, hour: number): Date {
  let d = new Date(now.getTime() + 7 * 3600_000);
  do d = new Date(d.getTime() + 86_400_000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return new Date(`${d.toISOString().slice(0, 10)}T${String(hour).padStart(2, '0')}:00:00+07:00`);
}

export const seedDemoMeeting: DemoStep = async (scope, { users }) => {
  const u = (name: string) => users.get(name);
  const [chair, secretary, m1, m2] = [u('lanhdao'), u('vanthu'), u('chuyenvien'), u('truongphong')];
  if (!chair || !secretary || !m1 || !m2) return;
  const startsAt = nextWorkingDayAt(new Date(), 8);
  const endsAt = new Date(startsAt.getTime() + 2 * 3600_000);
  const id = newId();
  await scope.transaction(async (tx) => {
    await tx.em.execute(
      `insert into meeting (id, agency_id, title, starts_at, ends_at, location, status, chair_id, secretary_id, created_by_id, speaking_seconds, version, published_at, created_at)
       values (?, ?, ?, ?, ?, ?, 'PUBLISHED', ?, ?, ?, 180, 1, now(), now())`,
      [id, chair.agency.id, 'Giao ban lãnh đạo UBND tỉnh đầu tuần', startsAt, endsAt, 'Phòng họp số 1', chair.id, secretary.id, secretary.id],
    );
    for (const [user, role] of [
      [chair, 'CHAIR'],
      [secretary, 'SECRETARY'],
      [m1, 'MEMBER'],
      [m2, 'MEMBER'],
    ] as const)
      await tx.em.execute('insert into meeting_participant (id, meeting_id, user_id, role) values (?, ?, ?, ?)', [newId(), id, user.id, role]);
    const items: [string, string | null, number][] = [
      ['Tình hình thực hiện nhiệm vụ tuần trước', secretary.id, 20],
      ['Kế hoạch chuyển đổi số năm 2026', m1.id, 30],
      ['Dự toán kinh phí hội nghị tổng kết', m2.id, 20],
    ];
    for (const [i, [title, presenter, minutes]] of items.entries())
      await tx.em.execute(`insert into meeting_item (id, meeting_id, sort_order, title, presenter_id, duration_minutes, status) values (?, ?, ?, ?, ?, ?, 'PENDING')`, [newId(), id, i + 1, title, presenter, minutes]);
    const visitAt = new Date(startsAt.getTime() + 6 * 3600_000);
    await tx.em.execute(
      `insert into engagement (id, agency_id, title, starts_at, ends_at, location, leader_ids, note, created_by_id, created_at) values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, now())`,
      [newId(), chair.agency.id, 'Tiếp công dân định kỳ', visitAt, new Date(visitAt.getTime() + 2 * 3600_000), 'Trụ sở Tiếp công dân tỉnh', JSON.stringify([chair.id]), null, secretary.id],
    );
    tx.audit({ action: 'meeting.create', targetType: 'meeting', targetId: id, agencyId: chair.agency.id, data: { demo: true } });
  });
};
