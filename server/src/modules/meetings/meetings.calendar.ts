/**
 * Lịch công tác tuần of an agency (published meetings + other engagements of its leaders), its PDF, the
 * engagements themselves, and the files of a meeting (biên bản, kết quả biểu quyết).
 */
import type { Services } from '../../services';
import { AppError, badInput, forbidden, notFound } from '../../shared/errors';
import { isUuid, newId } from '../../shared/ids';
import type { Scope } from '../../shared/scope';
import { addDays, isPlainDate } from '../documents/domain/calendar';
import { User } from '../identity/entities/user.entity';
import { meetingActions } from './domain/access';
import * as rules from './domain/rules';
import { renderCalendarPdf, renderMinutesPdf, renderVotesCsv, renderVotesPdf, vnDateTime, type CalendarRow } from './meetings.reports';
import type { MeetingsService } from './meetings.service';

/** jsonb comes back parsed or as text depending on the driver's type parsers. */
const leaderIdsOf = (e: Record<string, unknown>): string[] => (typeof e.leader_ids === 'string' ? (JSON.parse(e.leader_ids) as string[]) : ((e.leader_ids as string[] | null) ?? []));

const EDITOR_ROLES = ['VAN_THU', 'LANH_DAO', 'QUAN_TRI'];
const REPORT_URL_SECONDS = 600;

export interface EngagementArgs {
  title: string;
  startsAt: Date | string;
  endsAt: Date | string;
  location?: string | null;
  leaderIds: readonly string[];
  note?: string | null;
}

export class MeetingCalendarService {
  constructor(
    private readonly services: Services,
    private readonly meetings: MeetingsService,
  ) {}

  private today(): string {
    return new Date(this.services.clock.now().getTime() + 7 * 3600_000).toISOString().slice(0, 10);
  }

  async workCalendar(scope: Scope, week?: string | null) {
    const actor = scope.requireActor();
    const d = week ?? this.today();
    if (!isPlainDate(d)) throw badInput('Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.', 'week');
    const w = rules.weekOf(d);
    const from = new Date(`${w.from}T00:00:00+07:00`);
    const to = new Date(`${addDays(w.to, 1)}T00:00:00+07:00`);
    const meetings = await scope.em.execute<Record<string, unknown>[]>(
      `select m.id, m.title, m.starts_at, m.ends_at, m.location, m.chair_id,
              exists (select 1 from meeting_participant p where p.meeting_id = m.id and p.user_id = ?) or m.created_by_id = ? as mine
         from meeting m where m.agency_id = ? and m.status in ('PUBLISHED','IN_PROGRESS','ENDED') and m.starts_at >= ? and m.starts_at < ?`,
      [actor.userId, actor.userId, actor.agencyId, from, to],
    );
    const engagements = await scope.em.execute<Record<string, unknown>[]>('select * from engagement where agency_id = ? and starts_at >= ? and starts_at < ?', [actor.agencyId, from, to]);
    const userIds = new Set<string>();
    for (const m of meetings) userIds.add(String(m.chair_id));
    for (const e of engagements) for (const id of leaderIdsOf(e)) userIds.add(id);
    const users = userIds.size ? await scope.em.find(User, { id: { $in: [...userIds] } }) : [];
    const byId = new Map(users.map((u) => [u.id, u]));
    const canEdit = actor.roles.some((r) => EDITOR_ROLES.includes(r));
    const entries = [
      ...meetings.map((m) => ({
        id: `meeting:${String(m.id)}`,
        kind: 'MEETING' as const,
        title: String(m.title),
        startsAt: new Date(m.starts_at as string),
        endsAt: new Date(m.ends_at as string),
        location: (m.location as string | null) ?? null,
        leaders: [byId.get(String(m.chair_id))].filter((u): u is User => !!u),
        meetingId: m.mine ? String(m.id) : null,
        engagement: null,
      })),
      ...engagements.map((e) => {
        const engagement = this.engagementDto(e, byId, canEdit || e.created_by_id === actor.userId);
        return { id: `engagement:${engagement.id}`, kind: 'ENGAGEMENT' as const, title: engagement.title, startsAt: engagement.startsAt, endsAt: engagement.endsAt, location: engagement.location, leaders: engagement.leaders, meetingId: null, engagement };
      }),
    ].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime() || a.id.localeCompare(b.id));
    const days = Array.from({ length: 7 }, (_, i) => addDays(w.from, i)).map((date) => ({
      date,
      entries: entries.filter((e) => new Date(e.startsAt.getTime() + 7 * 3600_000).toISOString().slice(0, 10) === date),
    }));
    return { from: w.from, to: w.to, weekNumber: w.weekNumber, days, canAddEngagement: canEdit };
  }

  private engagementDto(e: Record<string, unknown>, byId: Map<string, User>, canEdit: boolean) {
    return {
      id: String(e.id),
      title: String(e.title),
      startsAt: new Date(e.starts_at as string),
      endsAt: new Date(e.ends_at as string),
      location: (e.location as string | null) ?? null,
      leaders: leaderIdsOf(e).map((id) => byId.get(id)).filter((u): u is User => !!u),
      note: (e.note as string | null) ?? null,
      canEdit,
    };
  }

  async workCalendarPdf(scope: Scope, week?: string | null) {
    const actor = scope.requireActor();
    const cal = await this.workCalendar(scope, week);
    const rows: CalendarRow[] = cal.days.flatMap((d) =>
      d.entries.map((e) => ({ date: d.date, startsAt: e.startsAt, endsAt: e.endsAt, title: e.title, leaders: e.leaders.map((u) => u.fullName).join(', '), location: e.location })),
    );
    const buffer = await renderCalendarPdf(scope.em, actor.agencyId, { from: cal.from, to: cal.to, weekNumber: cal.weekNumber }, rows, `In lúc ${vnDateTime(this.services.clock.now())} bởi ${actor.fullName}`);
    return this.store(scope, buffer, `Lich cong tac tuan ${cal.weekNumber} ${cal.from}.pdf`, 'application/pdf', rows.length, { action: 'meeting.calendar.export', targetType: 'agency', targetId: actor.agencyId, agencyId: actor.agencyId });
  }

  private async store(scope: Scope, buffer: Buffer, fileName: string, contentType: string, rows: number, audit: { action: string; targetType: string; targetId: string; agencyId: string; data?: Record<string, unknown> }) {
    const put = await this.services.storage.put(buffer, { contentType });
    await scope.transaction(async (tx) => {
      tx.audit({ ...audit, data: { ...(audit.data ?? {}), fileName, rows, key: put.key } });
    });
    const url = await this.services.storage.presignedGetUrl(put.key, { fileName, expiresSeconds: REPORT_URL_SECONDS, contentType });
    return { fileName, contentType, url, rows };
  }

  /** Biên bản (PDF) or kết quả biểu quyết (PDF/CSV): organisers of the meeting. */
  async meetingReport(scope: Scope, meetingId: string, kind: string, format: string) {
    const actor = scope.requireActor();
    const v = await this.meetings.view(scope, meetingId);
    if (!meetingActions(v.s, v.viewer).includes('EXPORT')) throw forbidden('Chỉ người tổ chức cuộc họp mới xuất được biên bản và kết quả biểu quyết.');
    if (kind !== 'MINUTES' && kind !== 'VOTE_RESULTS') throw badInput('Loại báo cáo không hợp lệ.', 'kind');
    if (format !== 'PDF' && format !== 'CSV') throw badInput('Định dạng không hợp lệ.', 'format');
    if (kind === 'MINUTES' && format !== 'PDF') throw badInput('Biên bản chỉ xuất dạng PDF.', 'format');
    const footnote = `Xuất lúc ${vnDateTime(this.services.clock.now())} bởi ${actor.fullName}`;
    const file = kind === 'MINUTES' ? await renderMinutesPdf(scope.em, v.s, footnote) : format === 'PDF' ? await renderVotesPdf(scope.em, v.s, footnote) : renderVotesCsv(v.s);
    const base = kind === 'MINUTES' ? 'Bien ban cuoc hop' : 'Ket qua bieu quyet';
    return this.store(scope, file.buffer, `${base} ${vnDateTime(v.s.startsAt).slice(0, 10).split('/').reverse().join('-')}.${format.toLowerCase()}`, format === 'PDF' ? 'application/pdf' : 'text/csv; charset=utf-8', file.rows, {
      action: 'meeting.export',
      targetType: 'meeting',
      targetId: v.s.id,
      agencyId: v.s.agencyId,
      data: { kind, format },
    });
  }

  private async engagementInput(scope: Scope, input: EngagementArgs) {
    const actor = scope.requireActor();
    const title = rules.must(rules.requiredText(input.title, 'title', 'Nội dung')).value;
    const startsAt = new Date(input.startsAt as string);
    const endsAt = new Date(input.endsAt as string);
    rules.must(rules.timeSlot(startsAt, endsAt));
    const location = rules.must(rules.optionalText(input.location, 'location', 'Địa điểm', rules.MAX_TITLE)).value;
    const note = rules.must(rules.optionalText(input.note, 'note', 'Ghi chú', 2000)).value;
    const leaderIds = [...new Set(input.leaderIds ?? [])];
    if (!leaderIds.length) throw badInput('Chọn ít nhất một lãnh đạo.', 'leaderIds');
    if (leaderIds.some((id) => typeof id !== 'string' || !isUuid(id))) throw badInput('Người dùng không tồn tại.', 'leaderIds');
    const users = await scope.em.find(User, { id: { $in: leaderIds }, active: true });
    if (users.length !== leaderIds.length || users.some((u) => u.agency.id !== actor.agencyId)) throw badInput('Lãnh đạo phải là người của cơ quan.', 'leaderIds');
    return { title, startsAt, endsAt, location, note, leaderIds };
  }

  private requireEditor(scope: Scope) {
    const actor = scope.requireActor();
    if (!actor.roles.some((r) => EDITOR_ROLES.includes(r))) throw forbidden('Chỉ văn thư, lãnh đạo hoặc quản trị mới cập nhật được lịch công tác.');
    return actor;
  }

  async createEngagement(scope: Scope, input: EngagementArgs) {
    const actor = this.requireEditor(scope);
    const v = await this.engagementInput(scope, input);
    const id = newId();
    await scope.transaction(async (tx) => {
      await tx.em.execute('insert into engagement (id, agency_id, title, starts_at, ends_at, location, leader_ids, note, created_by_id, created_at) values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, now())', [
        id,
        actor.agencyId,
        v.title,
        v.startsAt,
        v.endsAt,
        v.location,
        JSON.stringify(v.leaderIds),
        v.note,
        actor.userId,
      ]);
      tx.audit({ action: 'engagement.create', targetType: 'engagement', targetId: id, agencyId: actor.agencyId, data: { title: v.title } });
    });
    return this.engagement(scope, id);
  }

  async engagement(scope: Scope, id: string) {
    const actor = scope.requireActor();
    if (!isUuid(id)) throw notFound('Lịch công tác');
    const [e] = await scope.em.execute<Record<string, unknown>[]>('select * from engagement where id = ? and agency_id = ?', [id, actor.agencyId]);
    if (!e) throw notFound('Lịch công tác');
    const users = await scope.em.find(User, { id: { $in: leaderIdsOf(e) } });
    return this.engagementDto(e, new Map(users.map((u) => [u.id, u])), actor.roles.some((r) => EDITOR_ROLES.includes(r)));
  }

  async updateEngagement(scope: Scope, id: string, input: EngagementArgs) {
    const actor = this.requireEditor(scope);
    await this.engagement(scope, id);
    const v = await this.engagementInput(scope, input);
    await scope.transaction(async (tx) => {
      await tx.em.execute('update engagement set title = ?, starts_at = ?, ends_at = ?, location = ?, leader_ids = ?::jsonb, note = ? where id = ?', [v.title, v.startsAt, v.endsAt, v.location, JSON.stringify(v.leaderIds), v.note, id]);
      tx.audit({ action: 'engagement.update', targetType: 'engagement', targetId: id, agencyId: actor.agencyId, data: { title: v.title } });
    });
    return this.engagement(scope, id);
  }

  async deleteEngagement(scope: Scope, id: string) {
    const actor = this.requireEditor(scope);
    await this.engagement(scope, id);
    await scope.transaction(async (tx) => {
      const r = await tx.em.execute<{ id: string }[]>('delete from engagement where id = ? and agency_id = ? returning id', [id, actor.agencyId]);
      if (!r.length) throw new AppError('CONFLICT', 'Lịch công tác đã bị xóa.');
      tx.audit({ action: 'engagement.delete', targetType: 'engagement', targetId: id, agencyId: actor.agencyId });
    });
    return true;
  }
}
