/**
 * Phòng họp không giấy (issue 11): every change of a meeting locks its row (SELECT … FOR UPDATE), loads its
 * state, asks the pure rules (domain/), writes, bumps meeting.version and writes an audit event in the same
 * transaction; after commit it publishes `meetingChanged:<id>` {version, kind} on the meeting's own channel
 * (live hub: meetings.hub.ts). Not invited / another agency → NOT_FOUND; stale client → CONFLICT.
 *
 * Secret votes: castVote adds 1 to a counter of the vote row (the ballot box: no voter) and inserts the
 * "has voted" row (voter, choice NULL, no timestamp) in the same transaction. Nothing stores who chose what.
 */
import { randomBytes, createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../../services';
import { AppError, badInput, forbidden, notFound } from '../../shared/errors';
import { isUuid, newId } from '../../shared/ids';
import type { Actor, Scope, Tx } from '../../shared/scope';
import { loadVisibleDocument } from '../documents/documents.policy';
import { DocumentFile } from '../documents/entities/document-file.entity';
import type { Document } from '../documents/entities/document.entity';
import { User } from '../identity/entities/user.entity';
import { putClaimed } from '../storage-gc/stored-objects';
import { canSeeMeeting, currentItem, isOrganiser, isRunner, isVotingRole, itemActions, meetingActions, meetingCapabilities, openVoteOf, roleOf, type Viewer } from './domain/access';
import type { MeetingData, PositionKind, StateItem, StateVote, VoteChoice } from './domain/model';
import * as rules from './domain/rules';
import { loadMeetingData, loadMeetingState, type MeetingState } from './meetings.state';
import { renderMeetingLetterPdf } from './meetings.reports';
import type { AgendaItemView, MeetingDocumentView, MeetingView, VoteView } from './meetings.views';

export type MeetingEventKind =
  | 'SNAPSHOT'
  | 'MEETING_UPDATED'
  | 'AGENDA_CHANGED'
  | 'CURRENT_ITEM_CHANGED'
  | 'DISPLAY_CHANGED'
  | 'ATTENDANCE_CHANGED'
  | 'SPEAKERS_CHANGED'
  | 'POSITIONS_CHANGED'
  | 'VOTE_CHANGED'
  | 'ITEM_CONCLUDED'
  | 'TASKS_CHANGED';

export const meetingNotFound = () => notFound('Cuộc họp');
const itemNotFound = () => notFound('Nội dung họp');

export const viewerOf = (a: Actor): Viewer => ({ userId: a.userId, agencyId: a.agencyId, roles: a.roles });

interface Ctx {
  tx: Tx;
  m: MeetingData;
  actor: Actor;
  viewer: Viewer;
}

export interface CreateMeetingArgs {
  title: string;
  startsAt: Date | string;
  endsAt: Date | string;
  location?: string | null;
  chairId: string;
  secretaryId: string;
  memberIds?: readonly string[] | null;
  guestIds?: readonly string[] | null;
  speakingSeconds?: number | null;
}
export type UpdateMeetingArgs = { [K in keyof CreateMeetingArgs]?: CreateMeetingArgs[K] | null };

const toDate = (v: Date | string | null | undefined, field: string): Date => {
  const d = v instanceof Date ? v : new Date(String(v ?? ''));
  if (Number.isNaN(d.getTime())) throw badInput('Thời gian không hợp lệ.', field);
  return d;
};
const ids = (v: readonly string[] | null | undefined, field: string): string[] => {
  const out = [...(v ?? [])];
  for (const id of out) if (typeof id !== 'string' || !isUuid(id)) throw badInput('Người dùng không tồn tại.', field);
  return out;
};

/** `08:30 ngày 09/12/2026` in Hà Nội time (UTC+7, no daylight saving). */
export const vnWhen = (d: Date): string => {
  const t = new Date(d.getTime() + 7 * 3600_000).toISOString();
  return `${t.slice(11, 16)} ngày ${t.slice(8, 10)}/${t.slice(5, 7)}/${t.slice(0, 4)}`;
};
/** dd/mm/yyyy of a YYYY-MM-DD date. */
export const vnDay = (ymd: string): string => `${ymd.slice(8, 10)}/${ymd.slice(5, 7)}/${ymd.slice(0, 4)}`;

/** Notification kinds written by meetings (schema/notifications.graphql NotificationKind). */
export type MeetingNotificationKind =
  | 'MEETING_INVITED'
  | 'MEETING_CHANGED'
  | 'MEETING_CANCELLED'
  | 'MEETING_VOTE_OPENED'
  | 'MEETING_TASK_ASSIGNED'
  | 'MEETING_TASK_UPCOMING'
  | 'MEETING_TASK_DUE'
  | 'MEETING_TASK_OVERDUE';

/**
 * Bell notifications (the `notification` table) for users, in the caller's transaction: ONE insert for any
 * number of recipients (a vote opened in a 1,000-member meeting); the table's trigger pushes each bell on commit.
 */
export async function notifyUsers(em: EntityManager, userIds: Iterable<string>, kind: MeetingNotificationKind, text: string, meetingId: string): Promise<number> {
  const rows = [...new Set(userIds)].map((u) => ({ id: newId(), user_id: u, kind, text: text.slice(0, 1000), meeting_id: meetingId }));
  for (let i = 0; i < rows.length; i += 1000)
    await em.execute(
      `insert into notification (id, user_id, kind, text, meeting_id, created_at)
       select x.id, x.user_id, x.kind, x.text, x.meeting_id, now() from json_to_recordset(?::json) as x(id uuid, user_id uuid, kind varchar, text text, meeting_id uuid)`,
      [JSON.stringify(rows.slice(i, i + 1000))],
    );
  return rows.length;
}

const place = (location: string | null) => (location ? `, ${location}` : '');

export class MeetingsService {
  constructor(private readonly services: Services) {}

  /** Notifies participants of the meeting (all but the one acting, unless `only` narrows them). */
  private async notifyParticipants(c: Ctx, kind: MeetingNotificationKind, text: string, only?: (p: MeetingData['participants'][number]) => boolean) {
    const to = c.m.participants.filter((p) => p.userId !== c.actor.userId && (!only || only(p))).map((p) => p.userId);
    await notifyUsers(c.tx.em, to, kind, text, c.m.id);
  }

  // ---------------------------------------------------------------------------------------------- reading

  /** The caller's view of a meeting (NOT_FOUND when they may not see it). */
  async view(scope: Scope, meetingId: string): Promise<MeetingView> {
    const actor = scope.requireActor();
    const s = await this.state(scope.em, meetingId);
    const viewer = viewerOf(actor);
    if (!s || !canSeeMeeting(s, viewer)) throw meetingNotFound();
    return { s, viewer };
  }

  async state(em: EntityManager, meetingId: string): Promise<MeetingState | null> {
    if (typeof meetingId !== 'string' || !isUuid(meetingId)) return null;
    return loadMeetingState(em.fork(), meetingId, this.services.meetingHub?.usersOf(meetingId));
  }

  async itemView(scope: Scope, itemId: string): Promise<AgendaItemView> {
    const { v, child } = await this.childView(scope, 'meeting_item', itemId, (s) => s.items, itemNotFound);
    return { ...v, item: child };
  }

  async voteView(scope: Scope, voteId: string): Promise<VoteView> {
    const { v, child } = await this.childView(scope, 'meeting_vote', voteId, (s) => s.items.flatMap((i) => i.votes), () => notFound('Biểu quyết'));
    return { ...v, vote: child };
  }

  async documentView(scope: Scope, meetingDocumentId: string): Promise<MeetingDocumentView> {
    const { v, child } = await this.childView(scope, 'meeting_document', meetingDocumentId, (s) => s.items.flatMap((i) => i.documents), () => notFound('Tài liệu họp'));
    return { ...v, doc: child };
  }

  /** The meeting view of a child row (item, vote, document) and that row in it; `missing()` when not visible. */
  private async childView<C extends { id: string }>(
    scope: Scope,
    table: 'meeting_item' | 'meeting_vote' | 'meeting_document',
    id: string,
    rows: (s: MeetingView['s']) => C[],
    missing: () => Error,
  ): Promise<{ v: MeetingView; child: C }> {
    const mid = await this.meetingOf(scope.em, table, id);
    if (!mid) throw missing();
    const v = await this.view(scope, mid);
    const child = rows(v.s).find((x) => x.id === id);
    if (!child) throw missing();
    return { v, child };
  }

  /** The meeting id of a row of a child table (item, vote, speaker, document, task), or null. */
  async meetingOf(em: EntityManager, table: 'meeting_item' | 'meeting_vote' | 'meeting_speaker' | 'meeting_document' | 'meeting_task', id: string): Promise<string | null> {
    if (typeof id !== 'string' || !isUuid(id)) return null;
    const sql =
      table === 'meeting_item' || table === 'meeting_task'
        ? `select meeting_id from ${table} where id = ?`
        : `select i.meeting_id from ${table} x join meeting_item i on i.id = x.item_id where x.id = ?`;
    const [r] = await em.execute<{ meeting_id: string }[]>(sql, [id]);
    return r?.meeting_id ?? null;
  }

  /** What the caller may do in Phòng họp outside any one meeting. */
  capabilities(scope: Scope) {
    return meetingCapabilities(scope.requireActor().roles);
  }

  /**
   * The people picker for guests: active users of any agency whose name or agency name contains the text
   * (accents ignored). Only what an inviter needs to pick someone: name, title, unit, agency.
   */
  async invitees(scope: Scope, search: string, first?: number | null) {
    const actor = scope.requireActor();
    if (!meetingCapabilities(actor.roles).includes('CREATE_MEETING')) throw forbidden('Bạn không có quyền tạo cuộc họp.');
    const text = typeof search === 'string' ? search.normalize('NFC').trim().toLowerCase() : '';
    if (text.length < 2) throw badInput('Nhập ít nhất 2 ký tự để tìm.', 'search');
    if (text.length > 100) throw badInput('Nội dung tìm tối đa 100 ký tự.', 'search');
    const limit = Math.min(Math.max(first ?? 20, 1), 50);
    const like = `%${text.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
    const rows = await scope.em.execute<{ id: string; full_name: string; title: string | null; unit_name: string | null; agency_id: string; agency_name: string }[]>(
      `select u.id, u.full_name, u.title, un.name as unit_name, a.id as agency_id, a.name as agency_name
         from app_user u join agency a on a.id = u.agency_id left join unit un on un.id = u.unit_id
        where u.active and (f_unaccent(lower(u.full_name)) like f_unaccent(?) or f_unaccent(lower(a.name)) like f_unaccent(?) or lower(a.abbr) = ?)
        order by (a.id = ?) desc, a.name, u.full_name, u.id
        limit ${limit}`,
      [like, like, text, actor.agencyId],
    );
    return rows.map((r) => ({ id: r.id, fullName: r.full_name, title: r.title, unitName: r.unit_name, agencyId: r.agency_id, agencyName: r.agency_name }));
  }

  /** Meetings the caller takes part in or organises, by start time. */
  async list(scope: Scope, args: { filter?: { status?: readonly string[] | null; from?: Date | string | null; to?: Date | string | null; search?: string | null } | null; first?: number | null; after?: string | null }) {
    const actor = scope.requireActor();
    const first = Math.min(Math.max(args.first ?? 20, 1), 100);
    const where: string[] = [`(m.created_by_id = ? or exists (select 1 from meeting_participant p where p.meeting_id = m.id and p.user_id = ? and (m.status <> 'DRAFT' or p.role in ('CHAIR','SECRETARY'))))`];
    const params: unknown[] = [actor.userId, actor.userId];
    const f = args.filter ?? {};
    if (f.status?.length) {
      where.push(`m.status in (${f.status.map(() => '?').join(',')})`);
      params.push(...f.status);
    }
    if (f.from) {
      where.push('m.starts_at >= ?');
      params.push(toDate(f.from, 'from'));
    }
    if (f.to) {
      where.push('m.starts_at < ?');
      params.push(toDate(f.to, 'to'));
    }
    if (f.search?.trim()) {
      where.push(`m.title ilike ?`);
      params.push(`%${f.search.trim().replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
    }
    const [{ n }] = await scope.em.execute<{ n: string }[]>(`select count(*) as n from meeting m where ${where.join(' and ')}`, params);
    if (args.after) {
      const [t, id] = Buffer.from(args.after, 'base64url').toString().split('|');
      if (!t || !id || !isUuid(id) || Number.isNaN(Date.parse(t))) throw badInput('Con trỏ phân trang không hợp lệ.', 'after');
      where.push('(m.starts_at, m.id) > (?, ?)');
      params.push(new Date(t), id);
    }
    const rows = await scope.em.execute<{ id: string; starts_at: Date }[]>(`select m.id, m.starts_at from meeting m where ${where.join(' and ')} order by m.starts_at, m.id limit ${first + 1}`, params);
    const page = rows.slice(0, first);
    const views: MeetingView[] = [];
    for (const r of page) views.push(await this.view(scope, r.id));
    const cursor = (r: { id: string; starts_at: Date }) => Buffer.from(`${new Date(r.starts_at).toISOString()}|${r.id}`).toString('base64url');
    return {
      edges: views.map((v, i) => ({ cursor: cursor(page[i]), node: v })),
      pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: !!args.after, startCursor: page[0] ? cursor(page[0]) : null, endCursor: page.length ? cursor(page[page.length - 1]) : null },
      totalCount: Number(n),
    };
  }

  // ---------------------------------------------------------------------------------------------- changing

  /** One change of a meeting: lock, load, check visibility, run, bump the version, audit (in fn), publish after commit. */
  private async change<T>(scope: Scope, meetingId: string | null, kind: MeetingEventKind, fn: (c: Ctx) => Promise<T>, notFoundErr: () => AppError = meetingNotFound): Promise<T> {
    const actor = scope.requireActor();
    if (!meetingId || !isUuid(meetingId)) throw notFoundErr();
    return scope.transaction(async (tx) => {
      const m = await loadMeetingData(tx.em, meetingId, true);
      const viewer = viewerOf(actor);
      if (!m || !canSeeMeeting(m, viewer)) throw notFoundErr();
      const out = await fn({ tx, m, actor, viewer });
      const [row] = await tx.em.execute<{ version: number }[]>('update meeting set version = version + 1 where id = ? returning version', [meetingId]);
      const version = Number(row.version);
      const agencyId = m.agencyId;
      tx.afterCommit(() => this.publish(meetingId, agencyId, version, kind));
      return out;
    });
  }

  publish(meetingId: string, agencyId: string, version: number, kind: MeetingEventKind): void {
    this.services.pubsub.publish('meetingChanged', meetingId, { meetingId, version, kind });
    if (kind === 'MEETING_UPDATED' || kind === 'CURRENT_ITEM_CHANGED' || kind === 'AGENDA_CHANGED' || kind === 'ITEM_CONCLUDED') this.services.pubsub.publish('lobbyChanged', agencyId, { agencyId });
  }

  private audit(c: Ctx, action: string, data: Record<string, unknown> = {}) {
    c.tx.audit({ action, targetType: 'meeting', targetId: c.m.id, agencyId: c.m.agencyId, data });
  }

  /** Agency of each active user (null = unknown or disabled). */
  private async agencies(em: EntityManager, userIds: readonly string[]): Promise<Map<string, string>> {
    if (!userIds.length) return new Map();
    const rows = await em.find(User, { id: { $in: [...new Set(userIds)] }, active: true });
    return new Map(rows.map((u) => [u.id, u.agency.id]));
  }

  async create(scope: Scope, input: CreateMeetingArgs): Promise<MeetingView> {
    const actor = scope.requireActor();
    const title = rules.must(rules.requiredText(input.title, 'title', 'Tên cuộc họp')).value;
    const startsAt = toDate(input.startsAt, 'startsAt');
    const endsAt = toDate(input.endsAt, 'endsAt');
    rules.must(rules.timeSlot(startsAt, endsAt));
    const location = rules.must(rules.optionalText(input.location, 'location', 'Địa điểm', rules.MAX_TITLE)).value;
    const speaking = rules.must(rules.speakingSecondsRule(input.speakingSeconds)).value;
    const chairId = ids([input.chairId], 'chairId')[0];
    const secretaryId = ids([input.secretaryId], 'secretaryId')[0];
    const memberIds = ids(input.memberIds, 'memberIds');
    const guestIds = ids(input.guestIds, 'guestIds');
    const agencyOf = await this.agencies(scope.em, [chairId, secretaryId, ...memberIds, ...guestIds]);
    const { list } = rules.must(rules.composition({ chairId, secretaryId, memberIds, guestIds }, (id) => agencyOf.get(id) ?? null, actor.agencyId));
    if (!meetingCapabilities(actor.roles).includes('CREATE_MEETING')) throw forbidden('Bạn không có quyền tạo cuộc họp.');
    const id = newId();
    await scope.transaction(async (tx) => {
      await tx.em.execute(
        `insert into meeting (id, agency_id, title, starts_at, ends_at, location, status, chair_id, secretary_id, created_by_id, speaking_seconds, version, created_at)
         values (?, ?, ?, ?, ?, ?, 'DRAFT', ?, ?, ?, ?, 1, now())`,
        [id, actor.agencyId, title, startsAt, endsAt, location, chairId, secretaryId, actor.userId, speaking],
      );
      await this.insertParticipants(tx.em, id, list);
      tx.audit({ action: 'meeting.create', targetType: 'meeting', targetId: id, agencyId: actor.agencyId, data: { title, participants: list.length } });
    });
    return this.view(scope, id);
  }

  private async insertParticipants(em: EntityManager, meetingId: string, list: { userId: string; role: string }[]) {
    for (let i = 0; i < list.length; i += 500) {
      const chunk = list.slice(i, i + 500);
      await em.execute(
        `insert into meeting_participant (id, meeting_id, user_id, role) select * from json_to_recordset(?::json) as x(id uuid, meeting_id uuid, user_id uuid, role varchar)`,
        [JSON.stringify(chunk.map((p) => ({ id: newId(), meeting_id: meetingId, user_id: p.userId, role: p.role })))],
      );
    }
  }

  async update(scope: Scope, meetingId: string, input: UpdateMeetingArgs): Promise<MeetingView> {
    await this.change(scope, meetingId, 'MEETING_UPDATED', async (c) => {
      if (!meetingActions(c.m, c.viewer).includes('UPDATE')) throw this.refuse(c, 'Chỉ người tổ chức mới sửa được cuộc họp chưa diễn ra.');
      const title = input.title != null ? rules.must(rules.requiredText(input.title, 'title', 'Tên cuộc họp')).value : c.m.title;
      const startsAt = input.startsAt != null ? toDate(input.startsAt, 'startsAt') : c.m.startsAt;
      const endsAt = input.endsAt != null ? toDate(input.endsAt, 'endsAt') : c.m.endsAt;
      rules.must(rules.timeSlot(startsAt, endsAt));
      const location = input.location !== undefined ? rules.must(rules.optionalText(input.location, 'location', 'Địa điểm', rules.MAX_TITLE)).value : c.m.location;
      const speaking = input.speakingSeconds != null ? rules.must(rules.speakingSecondsRule(input.speakingSeconds)).value : c.m.speakingSeconds;
      const chairId = input.chairId ? ids([input.chairId], 'chairId')[0] : c.m.chairId;
      const secretaryId = input.secretaryId ? ids([input.secretaryId], 'secretaryId')[0] : c.m.secretaryId;
      const memberIds = input.memberIds ? ids(input.memberIds, 'memberIds') : c.m.participants.filter((p) => p.role === 'MEMBER').map((p) => p.userId);
      const guestIds = input.guestIds ? ids(input.guestIds, 'guestIds') : c.m.participants.filter((p) => p.role === 'GUEST').map((p) => p.userId);
      const agencyOf = await this.agencies(c.tx.em, [chairId, secretaryId, ...memberIds, ...guestIds]);
      const { list } = rules.must(rules.composition({ chairId, secretaryId, memberIds, guestIds }, (id) => agencyOf.get(id) ?? null, c.m.agencyId));
      await c.tx.em.execute('update meeting set title = ?, starts_at = ?, ends_at = ?, location = ?, speaking_seconds = ?, chair_id = ?, secretary_id = ? where id = ?', [title, startsAt, endsAt, location, speaking, chairId, secretaryId, c.m.id]);
      // Keep check-ins of those who stay; roles follow the new lists.
      const keep = new Map(list.map((p) => [p.userId, p.role]));
      const existing = new Set(c.m.participants.map((p) => p.userId));
      const gone = c.m.participants.filter((p) => !keep.has(p.userId)).map((p) => p.id);
      if (gone.length) await c.tx.em.execute(`delete from meeting_participant where id in (${gone.map(() => '?').join(',')})`, gone);
      for (const p of c.m.participants) if (keep.has(p.userId) && keep.get(p.userId) !== p.role) await c.tx.em.execute('update meeting_participant set role = ? where id = ?', [keep.get(p.userId), p.id]);
      const added = list.filter((p) => !existing.has(p.userId));
      await this.insertParticipants(c.tx.em, c.m.id, added);
      if (c.m.status === 'PUBLISHED' || c.m.status === 'IN_PROGRESS') {
        const moved = startsAt.getTime() !== c.m.startsAt.getTime() || endsAt.getTime() !== c.m.endsAt.getTime() || location !== c.m.location;
        const newcomers = new Set(added.map((p) => p.userId));
        if (moved)
          await notifyUsers(
            c.tx.em,
            list.filter((p) => p.userId !== c.actor.userId && !newcomers.has(p.userId)).map((p) => p.userId),
            'MEETING_CHANGED',
            `Thay đổi thời gian, địa điểm cuộc họp "${title}": ${vnWhen(startsAt)}${place(location)}`,
            c.m.id,
          );
        await notifyUsers(c.tx.em, [...newcomers].filter((u) => u !== c.actor.userId), 'MEETING_INVITED', `Mời họp: ${title} — ${vnWhen(startsAt)}${place(location)}`, c.m.id);
      }
      this.audit(c, 'meeting.update', { title, participants: list.length });
    });
    return this.view(scope, meetingId);
  }

  /** FORBIDDEN for a participant lacking the right; CONFLICT when the state does not allow it. */
  private refuse(c: Ctx, msg: string): AppError {
    const terminal = c.m.status === 'ENDED' || c.m.status === 'CANCELLED';
    return new AppError(terminal ? 'CONFLICT' : 'FORBIDDEN', terminal ? 'Cuộc họp đã kết thúc hoặc đã hủy.' : msg);
  }

  private async statusChange(scope: Scope, meetingId: string, action: 'PUBLISH' | 'START' | 'END' | 'CANCEL', to: string, extra: Record<string, unknown> = {}) {
    await this.change(scope, meetingId, 'MEETING_UPDATED', async (c) => {
      if (!meetingActions(c.m, c.viewer).includes(action)) {
        const may = action === 'PUBLISH' || action === 'CANCEL' ? isOrganiser(c.m, c.actor.userId) : isRunner(c.m, c.actor.userId);
        throw may ? new AppError('CONFLICT', 'Không thể thực hiện ở trạng thái hiện tại của cuộc họp.') : forbidden('Bạn không có quyền thực hiện thao tác này với cuộc họp.');
      }
      if (action === 'PUBLISH' && c.m.items.length === 0) throw badInput('Cuộc họp chưa có nội dung (chương trình họp).', 'agenda');
      await c.tx.em.execute(`update meeting set status = ?${action === 'PUBLISH' ? ', published_at = now()' : ''}${action === 'END' || action === 'CANCEL' ? ', current_item_id = null' : ''} where id = ?`, [to, c.m.id]);
      if (action === 'END' || action === 'CANCEL') {
        await c.tx.em.execute(`update meeting_vote set status = 'CLOSED', closed_at = now() where status = 'OPEN' and item_id in (select id from meeting_item where meeting_id = ?)`, [c.m.id]);
        await c.tx.em.execute(`update meeting_speaker set status = 'DONE' where status = 'SPEAKING' and item_id in (select id from meeting_item where meeting_id = ?)`, [c.m.id]);
      }
      if (action === 'PUBLISH') await this.notifyParticipants(c, 'MEETING_INVITED', `Mời họp: ${c.m.title} — ${vnWhen(c.m.startsAt)}${place(c.m.location)}`);
      // A draft was seen only by its organisers: nobody else is told it was cancelled.
      if (action === 'CANCEL' && c.m.status !== 'DRAFT')
        await this.notifyParticipants(c, 'MEETING_CANCELLED', `Hủy cuộc họp: ${c.m.title} (${vnWhen(c.m.startsAt)})${extra.reason ? `. Lý do: ${String(extra.reason)}` : ''}`);
      this.audit(c, `meeting.${action.toLowerCase()}`, extra);
    });
    return this.view(scope, meetingId);
  }

  publishMeeting = (scope: Scope, id: string) => this.statusChange(scope, id, 'PUBLISH', 'PUBLISHED');
  start = (scope: Scope, id: string) => this.statusChange(scope, id, 'START', 'IN_PROGRESS');
  end = (scope: Scope, id: string) => this.statusChange(scope, id, 'END', 'ENDED');
  cancel = (scope: Scope, id: string, reason?: string | null) =>
    this.statusChange(scope, id, 'CANCEL', 'CANCELLED', { reason: rules.must(rules.optionalText(reason, 'reason', 'Lý do', 2000)).value });

  // ------------------------------------------------------------------------------------------------ agenda

  async addItem(scope: Scope, meetingId: string, input: { title: string; presenterId?: string | null; durationMinutes?: number | null }): Promise<AgendaItemView> {
    const id = newId();
    await this.change(scope, meetingId, 'AGENDA_CHANGED', async (c) => {
      if (!meetingActions(c.m, c.viewer).includes('ADD_AGENDA_ITEM')) throw this.refuse(c, 'Chỉ người tổ chức mới thêm được nội dung họp.');
      const v = await this.itemInput(c, input);
      await c.tx.em.execute(
        `insert into meeting_item (id, meeting_id, sort_order, title, presenter_id, duration_minutes, status) values (?, ?, (select coalesce(max(sort_order), 0) + 1 from meeting_item where meeting_id = ?), ?, ?, ?, 'PENDING')`,
        [id, c.m.id, c.m.id, v.title, v.presenterId, v.duration],
      );
      this.audit(c, 'meeting.item.add', { itemId: id, title: v.title });
    });
    return this.itemView(scope, id);
  }

  private async itemInput(c: Ctx, input: { title: string; presenterId?: string | null; durationMinutes?: number | null }) {
    const title = rules.must(rules.requiredText(input.title, 'title', 'Tên nội dung')).value;
    const duration = rules.must(rules.durationRule(input.durationMinutes)).value;
    let presenterId: string | null = null;
    if (input.presenterId) {
      presenterId = ids([input.presenterId], 'presenterId')[0];
      const a = await this.agencies(c.tx.em, [presenterId]);
      if (!a.has(presenterId) || (a.get(presenterId) !== c.m.agencyId && !roleOf(c.m, presenterId))) throw badInput('Người trình bày phải thuộc cơ quan hoặc là khách mời của cuộc họp.', 'presenterId');
    }
    return { title, duration, presenterId };
  }

  private async itemChange<T>(scope: Scope, itemId: string, kind: MeetingEventKind, fn: (c: Ctx, item: StateItem) => Promise<T>): Promise<T> {
    const mid = await this.meetingOf(scope.em, 'meeting_item', itemId);
    return this.change(
      scope,
      mid,
      kind,
      async (c) => {
        const item = c.m.items.find((i) => i.id === itemId);
        if (!item) throw itemNotFound();
        return fn(c, item);
      },
      itemNotFound,
    );
  }

  async updateItem(scope: Scope, itemId: string, input: { title: string; presenterId?: string | null; durationMinutes?: number | null }): Promise<AgendaItemView> {
    await this.itemChange(scope, itemId, 'AGENDA_CHANGED', async (c, item) => {
      if (!itemActions(c.m, item, c.viewer).includes('UPDATE')) throw this.refuse(c, 'Chỉ người tổ chức mới sửa được nội dung họp.');
      const v = await this.itemInput(c, input);
      await c.tx.em.execute('update meeting_item set title = ?, presenter_id = ?, duration_minutes = ? where id = ?', [v.title, v.presenterId, v.duration, item.id]);
      this.audit(c, 'meeting.item.update', { itemId: item.id, title: v.title });
    });
    return this.itemView(scope, itemId);
  }

  async removeItem(scope: Scope, itemId: string): Promise<MeetingView> {
    const mid = await this.itemChange(scope, itemId, 'AGENDA_CHANGED', async (c, item) => {
      if (!itemActions(c.m, item, c.viewer).includes('UPDATE')) throw this.refuse(c, 'Chỉ người tổ chức mới xóa được nội dung họp.');
      await c.tx.em.execute('delete from meeting_item where id = ?', [item.id]);
      this.audit(c, 'meeting.item.remove', { itemId: item.id, title: item.title });
      return c.m.id;
    });
    return this.view(scope, mid);
  }

  async moveItem(scope: Scope, itemId: string, order: number): Promise<MeetingView> {
    const mid = await this.itemChange(scope, itemId, 'AGENDA_CHANGED', async (c, item) => {
      if (!itemActions(c.m, item, c.viewer).includes('UPDATE')) throw this.refuse(c, 'Chỉ người tổ chức mới sắp xếp được nội dung họp.');
      if (!Number.isInteger(order) || order < 1 || order > c.m.items.length) throw badInput(`Vị trí từ 1 đến ${c.m.items.length}.`, 'order');
      const list = c.m.items.filter((i) => i.id !== item.id);
      list.splice(order - 1, 0, item);
      for (const [i, it] of list.entries()) await c.tx.em.execute('update meeting_item set sort_order = ? where id = ?', [i + 1, it.id]);
      this.audit(c, 'meeting.item.move', { itemId: item.id, order });
      return c.m.id;
    });
    return this.view(scope, mid);
  }

  /** A document from the inbox/archive (one the caller may see: its main file is shared) or an uploaded file. */
  async attachDocument(scope: Scope, itemId: string, input: { documentId?: string | null; file?: File | null; title?: string | null }): Promise<MeetingDocumentView> {
    const actor = scope.requireActor();
    if (!!input.documentId === !!input.file) throw badInput('Chọn một văn bản có sẵn hoặc tải lên một tệp.', input.file ? 'documentId' : 'file');
    const mid = await this.meetingOf(scope.em, 'meeting_item', itemId);
    // Visibility first, so that an outsider gets NOT_FOUND before any upload is stored.
    const pre = mid ? await this.state(scope.em, mid) : null;
    const item0 = pre?.items.find((i) => i.id === itemId);
    if (!pre || !item0 || !canSeeMeeting(pre, viewerOf(actor))) throw itemNotFound();
    if (!itemActions(pre, item0, viewerOf(actor)).includes('ATTACH_DOCUMENT')) throw forbidden('Chỉ người tổ chức mới thêm được tài liệu họp.');
    let f: { key: string; fileName: string; contentType: string; size: number; pageCount: number | null; sourceDocumentId: string | null; title: string };
    if (input.documentId) {
      let doc: Document;
      try {
        doc = await loadVisibleDocument(scope, input.documentId);
      } catch (e) {
        if (e instanceof AppError && e.code === 'NOT_FOUND') throw badInput('Văn bản không tồn tại hoặc bạn không có quyền xem.', 'documentId');
        throw e;
      }
      const files = await scope.em.find(DocumentFile, { document: doc.id }, { orderBy: { createdAt: 'desc' } });
      const file = files.find((x) => x.kind === 'MAIN') ?? files.find((x) => x.kind === 'DRAFT') ?? files[0];
      if (!file) throw badInput('Văn bản này chưa có tệp.', 'documentId');
      const subject = (doc as unknown as { subject?: string | null }).subject ?? file.fileName;
      f = { key: file.storageKey, fileName: file.fileName, contentType: file.contentType, size: file.size, pageCount: file.pageCount ?? null, sourceDocumentId: doc.id, title: subject };
    } else {
      const file = input.file!;
      const bytes = Buffer.from(await file.arrayBuffer());
      if (!bytes.length) throw badInput('Tệp rỗng.', 'file');
      const put = await putClaimed(this.services, bytes, { contentType: file.type || 'application/octet-stream', maxBytes: this.services.config.maxUploadBytes });
      const name = (file.name || 'tai-lieu').normalize('NFC').slice(0, 255);
      f = { key: put.key, fileName: name, contentType: file.type || 'application/octet-stream', size: bytes.length, pageCount: null, sourceDocumentId: null, title: name };
    }
    const title = input.title != null ? rules.must(rules.requiredText(input.title, 'title', 'Tên tài liệu')).value : f.title.slice(0, rules.MAX_TITLE);
    const id = newId();
    await this.itemChange(scope, itemId, 'AGENDA_CHANGED', async (c, item) => {
      if (!itemActions(c.m, item, c.viewer).includes('ATTACH_DOCUMENT')) throw this.refuse(c, 'Chỉ người tổ chức mới thêm được tài liệu họp.');
      await c.tx.em.execute(
        `insert into meeting_document (id, item_id, title, file_name, content_type, size, page_count, storage_key, source_document_id, added_by_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now())`,
        [id, item.id, title, f.fileName, f.contentType, f.size, f.pageCount, f.key, f.sourceDocumentId, c.actor.userId],
      );
      this.audit(c, 'meeting.document.attach', { itemId: item.id, meetingDocumentId: id, documentId: f.sourceDocumentId, fileName: f.fileName });
    });
    return this.documentView(scope, id);
  }

  async removeDocument(scope: Scope, meetingDocumentId: string): Promise<AgendaItemView> {
    const mid = await this.meetingOf(scope.em, 'meeting_document', meetingDocumentId);
    const itemId = await this.change(
      scope,
      mid,
      'AGENDA_CHANGED',
      async (c) => {
        const item = c.m.items.find((i) => i.documents.some((d) => d.id === meetingDocumentId));
        if (!item) throw notFound('Tài liệu họp');
        if (!itemActions(c.m, item, c.viewer).includes('ATTACH_DOCUMENT')) throw this.refuse(c, 'Chỉ người tổ chức mới xóa được tài liệu họp.');
        await c.tx.em.execute('delete from meeting_document where id = ?', [meetingDocumentId]);
        if (c.m.displayDocumentId === meetingDocumentId) await c.tx.em.execute('update meeting set display_document_id = null, display_page = null where id = ?', [c.m.id]);
        this.audit(c, 'meeting.document.remove', { meetingDocumentId });
        return item.id;
      },
      () => notFound('Tài liệu họp'),
    );
    return this.itemView(scope, itemId);
  }

  /** Private note: no event, no version bump (nobody else sees it); audited without its text. */
  async saveNote(scope: Scope, meetingDocumentId: string, text: string): Promise<MeetingDocumentView> {
    const actor = scope.requireActor();
    const v = await this.documentView(scope, meetingDocumentId);
    if (!roleOf(v.s, actor.userId)) throw forbidden('Chỉ người tham dự mới ghi chú được.');
    const note = rules.must(rules.optionalText(text, 'text', 'Ghi chú')).value;
    await scope.transaction(async (tx) => {
      if (note) {
        await tx.em.execute(
          `insert into meeting_note (id, document_id, user_id, text, updated_at) values (?, ?, ?, ?, now()) on conflict (document_id, user_id) do update set text = excluded.text, updated_at = now()`,
          [newId(), meetingDocumentId, actor.userId, note],
        );
      } else await tx.em.execute('delete from meeting_note where document_id = ? and user_id = ?', [meetingDocumentId, actor.userId]);
      tx.audit({ action: 'meeting.note.save', targetType: 'meeting', targetId: v.s.id, agencyId: v.s.agencyId, data: { meetingDocumentId, deleted: !note } });
    });
    return v;
  }

  /** The caller's own note (never anyone else's). */
  async myNote(em: EntityManager, userId: string, meetingDocumentId: string): Promise<string | null> {
    const [r] = await em.execute<{ text: string }[]>('select text from meeting_note where document_id = ? and user_id = ?', [meetingDocumentId, userId]);
    return r?.text ?? null;
  }

  async recordPosition(scope: Scope, itemId: string, input: { kind: string; opinion?: string | null }) {
    const kind = rules.must(rules.parsePositionKind(input.kind)).kind as PositionKind;
    const opinion = rules.must(rules.optionalText(input.opinion, 'opinion', 'Ý kiến')).value;
    if (kind === 'OTHER_OPINION' && !opinion) throw badInput('Nhập nội dung ý kiến khác.', 'opinion');
    await this.itemChange(scope, itemId, 'POSITIONS_CHANGED', async (c, item) => {
      if (!itemActions(c.m, item, c.viewer).includes('RECORD_POSITION')) {
        if (roleOf(c.m, c.actor.userId) !== 'MEMBER') throw forbidden('Chỉ thành viên cuộc họp mới cho ý kiến được.');
        throw new AppError('CONFLICT', 'Nội dung này đã kết luận hoặc cuộc họp đã kết thúc.');
      }
      await c.tx.em.execute(
        `insert into meeting_position (id, item_id, user_id, kind, opinion, updated_at) values (?, ?, ?, ?, ?, now())
         on conflict (item_id, user_id) do update set kind = excluded.kind, opinion = excluded.opinion, updated_at = now()`,
        [newId(), item.id, c.actor.userId, kind, opinion],
      );
      this.audit(c, 'meeting.position.record', { itemId: item.id, kind });
    });
    const v = await this.itemView(scope, itemId);
    return { v, position: v.item.positions.find((p) => p.userId === v.viewer.userId)! };
  }

  async saveMinutes(scope: Scope, itemId: string, minutes: string): Promise<AgendaItemView> {
    const text = rules.must(rules.optionalText(minutes, 'minutes', 'Biên bản', 100_000)).value;
    await this.itemChange(scope, itemId, 'ITEM_CONCLUDED', async (c, item) => {
      if (!itemActions(c.m, item, c.viewer).includes('TAKE_MINUTES')) throw this.refuse(c, 'Chỉ thư ký hoặc chủ trì mới ghi biên bản.');
      await c.tx.em.execute('update meeting_item set minutes = ? where id = ?', [text, item.id]);
      this.audit(c, 'meeting.item.minutes', { itemId: item.id, length: text?.length ?? 0 });
    });
    return this.itemView(scope, itemId);
  }

  async concludeItem(scope: Scope, itemId: string, input: { conclusion: string; tasks?: readonly { title: string; assigneeId: string; deadline: string }[] | null }): Promise<AgendaItemView> {
    const conclusion = rules.must(rules.requiredText(input.conclusion, 'conclusion', 'Kết luận', rules.MAX_TEXT)).value;
    await this.itemChange(scope, itemId, 'ITEM_CONCLUDED', async (c, item) => {
      if (!itemActions(c.m, item, c.viewer).includes('CONCLUDE')) {
        if (!isRunner(c.m, c.actor.userId)) throw forbidden('Chỉ chủ trì hoặc thư ký mới kết luận được.');
        throw new AppError('CONFLICT', 'Nội dung này đã được kết luận hoặc cuộc họp chưa diễn ra.');
      }
      if (item.votes.some((v) => v.status === 'OPEN')) throw new AppError('CONFLICT', 'Đang biểu quyết nội dung này: hãy kết thúc biểu quyết trước.');
      await c.tx.em.execute(`update meeting_item set status = 'CONCLUDED', conclusion = ?, concluded_at = now() where id = ?`, [conclusion, item.id]);
      for (const t of input.tasks ?? []) await this.insertTask(c, item, t, 'tasks');
      this.audit(c, 'meeting.item.conclude', { itemId: item.id, tasks: input.tasks?.length ?? 0 });
    });
    return this.itemView(scope, itemId);
  }

  private async insertTask(c: Ctx, item: StateItem, t: { title: string; assigneeId: string; deadline: string }, field: string): Promise<string> {
    const title = rules.must(rules.requiredText(t.title, `${field}.title`, 'Nhiệm vụ', 2000)).value;
    const assigneeId = ids([t.assigneeId], `${field}.assigneeId`)[0];
    const a = await this.agencies(c.tx.em, [assigneeId]);
    if (a.get(assigneeId) !== c.m.agencyId) throw badInput('Người được giao phải thuộc cơ quan tổ chức cuộc họp.', `${field}.assigneeId`);
    if (typeof t.deadline !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(t.deadline) || Number.isNaN(Date.parse(t.deadline))) throw badInput('Hạn xử lý không hợp lệ (dd/mm/yyyy).', `${field}.deadline`);
    const today = new Date(this.services.clock.now().getTime() + 7 * 3600_000).toISOString().slice(0, 10);
    if (t.deadline < today) throw badInput('Hạn xử lý không được trước hôm nay.', `${field}.deadline`);
    const id = newId();
    await c.tx.em.execute(`insert into meeting_task (id, meeting_id, item_id, title, assignee_id, deadline, created_by_id, created_at) values (?, ?, ?, ?, ?, ?, ?, now())`, [
      id,
      c.m.id,
      item.id,
      title,
      assigneeId,
      t.deadline,
      c.actor.userId,
    ]);
    if (assigneeId !== c.actor.userId) await notifyUsers(c.tx.em, [assigneeId], 'MEETING_TASK_ASSIGNED', `Nhiệm vụ từ cuộc họp "${c.m.title}": ${title} (hạn ${vnDay(t.deadline)})`, c.m.id);
    this.audit(c, 'meeting.task.assign', { itemId: item.id, taskId: id, assigneeId, deadline: t.deadline });
    return id;
  }

  async assignTask(scope: Scope, itemId: string, input: { title: string; assigneeId: string; deadline: string }) {
    const id = await this.itemChange(scope, itemId, 'TASKS_CHANGED', async (c, item) => {
      if (!itemActions(c.m, item, c.viewer).includes('ASSIGN_TASK')) throw this.refuse(c, 'Chỉ chủ trì hoặc thư ký mới giao nhiệm vụ.');
      return this.insertTask(c, item, input, 'input');
    });
    return (await this.tasks(scope, { taskId: id }))[0];
  }

  async completeTask(scope: Scope, taskId: string, note?: string | null) {
    const actor = scope.requireActor();
    const mid = await this.meetingOf(scope.em, 'meeting_task', taskId);
    const text = rules.must(rules.optionalText(note, 'note', 'Ghi chú')).value;
    await this.change(
      scope,
      mid,
      'TASKS_CHANGED',
      async (c) => {
        const task = c.m.items.flatMap((i) => i.tasks).find((t) => t.id === taskId);
        if (!task) throw notFound('Nhiệm vụ');
        if (task.assigneeId !== actor.userId && !isRunner(c.m, actor.userId)) throw forbidden('Chỉ người được giao hoặc chủ trì, thư ký mới hoàn thành được nhiệm vụ.');
        if (task.completedAt) throw new AppError('CONFLICT', 'Nhiệm vụ đã hoàn thành.');
        await c.tx.em.execute('update meeting_task set completed_at = now(), note = ? where id = ?', [text, taskId]);
        this.audit(c, 'meeting.task.complete', { taskId });
      },
      () => notFound('Nhiệm vụ'),
    );
    return (await this.tasks(scope, { taskId }))[0];
  }

  /** Tasks: one (taskId), the caller's (mine), or those of meetings the caller runs. */
  async tasks(scope: Scope, args: { taskId?: string; mine?: boolean | null; openOnly?: boolean | null }) {
    const actor = scope.requireActor();
    const where: string[] = [];
    const params: unknown[] = [];
    if (args.taskId) {
      where.push('t.id = ?');
      params.push(args.taskId);
    } else if (args.mine !== false) {
      where.push('t.assignee_id = ?');
      params.push(actor.userId);
    } else {
      where.push('(t.assignee_id = ? or m.chair_id = ? or m.secretary_id = ? or m.created_by_id = ?)');
      params.push(actor.userId, actor.userId, actor.userId, actor.userId);
    }
    if (args.openOnly) where.push('t.completed_at is null');
    const rows = await scope.em.execute<Record<string, unknown>[]>(
      `select t.id, t.meeting_id, m.title as meeting_title, t.item_id, t.title, t.assignee_id, t.deadline::text as deadline, t.completed_at, t.note, m.chair_id, m.secretary_id
         from meeting_task t join meeting m on m.id = t.meeting_id where ${where.join(' and ')} order by t.deadline, t.id limit 500`,
      params,
    );
    const users = await scope.em.find(User, { id: { $in: [...new Set(rows.map((r) => String(r.assignee_id)))] } });
    const byId = new Map(users.map((u) => [u.id, u]));
    const today = new Date(this.services.clock.now().getTime() + 7 * 3600_000).toISOString().slice(0, 10);
    return rows.map((r) => {
      const runner = r.chair_id === actor.userId || r.secretary_id === actor.userId;
      return {
        id: String(r.id),
        meetingId: String(r.meeting_id),
        meetingTitle: String(r.meeting_title),
        itemId: String(r.item_id),
        title: String(r.title),
        assignee: byId.get(String(r.assignee_id))!,
        deadline: String(r.deadline),
        done: r.completed_at != null,
        overdue: r.completed_at == null && String(r.deadline) < today,
        completedAt: r.completed_at == null ? null : new Date(r.completed_at as string),
        note: (r.note as string | null) ?? null,
        canComplete: r.completed_at == null && (r.assignee_id === actor.userId || runner),
      };
    });
  }

  async passWithoutObjection(scope: Scope, meetingId: string, itemIds: readonly string[]): Promise<MeetingView> {
    await this.change(scope, meetingId, 'ITEM_CONCLUDED', async (c) => {
      const { items } = rules.must(rules.passWithoutObjectionPlan(c.m, c.actor.userId, itemIds));
      for (const it of items)
        await c.tx.em.execute(`update meeting_item set status = 'PASSED', conclusion = coalesce(conclusion, 'Thông qua, không có ý kiến khác.'), concluded_at = now() where id = ?`, [it.id]);
      this.audit(c, 'meeting.item.pass', { itemIds: items.map((i) => i.id) });
    });
    return this.view(scope, meetingId);
  }

  // ------------------------------------------------------------------------------------------- during

  async checkIn(scope: Scope, meetingId: string, userId?: string | null) {
    const actor = scope.requireActor();
    const target = userId ?? actor.userId;
    if (typeof target !== 'string' || !isUuid(target)) throw badInput('Người dùng không tồn tại.', 'userId');
    await this.change(scope, meetingId, 'ATTENDANCE_CHANGED', async (c) => {
      rules.must(rules.canCheckIn(c.m, actor.userId, target));
      await c.tx.em.execute('update meeting_participant set checked_in_at = now(), checked_in_by_id = ? where meeting_id = ? and user_id = ?', [actor.userId, c.m.id, target]);
      this.audit(c, 'meeting.check_in', { userId: target });
    });
    const v = await this.view(scope, meetingId);
    return { v, participant: v.s.participants.find((p) => p.userId === target)! };
  }

  async setCurrentItem(scope: Scope, meetingId: string, itemId: string, expectedItemId?: string | null): Promise<MeetingView> {
    await this.change(scope, meetingId, 'CURRENT_ITEM_CHANGED', async (c) => {
      if (!isRunner(c.m, c.actor.userId)) throw forbidden('Chỉ chủ trì hoặc thư ký mới chuyển nội dung họp.');
      rules.must(rules.expectCurrent(c.m, expectedItemId));
      const item = c.m.items.find((i) => i.id === itemId);
      if (!item) throw badInput('Nội dung không thuộc cuộc họp này.', 'itemId');
      if (openVoteOf(c.m)) throw new AppError('CONFLICT', 'Đang có biểu quyết chưa kết thúc.');
      await c.tx.em.execute('update meeting set current_item_id = ?, display_document_id = ?, display_page = ? where id = ?', [item.id, item.documents[0]?.id ?? null, item.documents[0] ? 1 : null, c.m.id]);
      await c.tx.em.execute(`update meeting_speaker set status = 'DONE' where status = 'SPEAKING' and item_id in (select id from meeting_item where meeting_id = ?)`, [c.m.id]);
      this.audit(c, 'meeting.current_item', { itemId: item.id });
    });
    return this.view(scope, meetingId);
  }

  async showDocument(scope: Scope, meetingId: string, itemId: string, meetingDocumentId?: string | null, page?: number | null): Promise<MeetingView> {
    await this.change(scope, meetingId, 'DISPLAY_CHANGED', async (c) => {
      if (!isRunner(c.m, c.actor.userId)) throw forbidden('Chỉ chủ trì hoặc thư ký mới điều khiển màn hình chung.');
      rules.must(rules.expectCurrent(c.m, itemId));
      const item = currentItem(c.m)!;
      const doc = meetingDocumentId ? item.documents.find((d) => d.id === meetingDocumentId) : null;
      if (meetingDocumentId && !doc) throw badInput('Tài liệu không thuộc nội dung đang thảo luận.', 'meetingDocumentId');
      if (page != null && (!Number.isInteger(page) || page < 1 || (doc?.pageCount != null && page > doc.pageCount))) throw badInput('Số trang không hợp lệ.', 'page');
      await c.tx.em.execute('update meeting set display_document_id = ?, display_page = ? where id = ?', [doc?.id ?? null, doc ? (page ?? 1) : null, c.m.id]);
      this.audit(c, 'meeting.display', { meetingDocumentId: doc?.id ?? null, page: page ?? null });
    });
    return this.view(scope, meetingId);
  }

  async requestToSpeak(scope: Scope, meetingId: string, itemId: string) {
    const id = newId();
    await this.change(scope, meetingId, 'SPEAKERS_CHANGED', async (c) => {
      const role = roleOf(c.m, c.actor.userId);
      if (role !== 'MEMBER' && role !== 'GUEST') throw forbidden('Chỉ thành viên và khách mời đăng ký phát biểu.');
      rules.must(rules.expectCurrent(c.m, itemId));
      const item = currentItem(c.m);
      if (!item) throw new AppError('CONFLICT', 'Chưa có nội dung nào đang thảo luận.');
      if (item.status !== 'PENDING') throw new AppError('CONFLICT', 'Nội dung này đã được kết luận.');
      if (item.speakers.some((s) => s.userId === c.actor.userId && (s.status === 'WAITING' || s.status === 'SPEAKING'))) throw new AppError('CONFLICT', 'Bạn đã đăng ký phát biểu nội dung này.');
      await c.tx.em.execute(
        `insert into meeting_speaker (id, item_id, user_id, status, sort_order, requested_at, speaking_seconds) values (?, ?, ?, 'WAITING', (select coalesce(max(sort_order), 0) + 1 from meeting_speaker where item_id = ?), now(), ?)`,
        [id, item.id, c.actor.userId, item.id, c.m.speakingSeconds],
      );
      this.audit(c, 'meeting.speaker.request', { itemId: item.id, speakerId: id });
    });
    const v = await this.view(scope, meetingId);
    return { v, speaker: v.s.items.flatMap((i) => i.speakers).find((s) => s.id === id)! };
  }

  async withdrawSpeaker(scope: Scope, speakerId: string): Promise<MeetingView> {
    const mid = await this.meetingOf(scope.em, 'meeting_speaker', speakerId);
    await this.change(
      scope,
      mid,
      'SPEAKERS_CHANGED',
      async (c) => {
        const sp = c.m.items.flatMap((i) => i.speakers).find((s) => s.id === speakerId);
        if (!sp) throw notFound('Đăng ký phát biểu');
        if (sp.userId !== c.actor.userId && !isRunner(c.m, c.actor.userId)) throw forbidden('Chỉ người đăng ký hoặc chủ trì, thư ký mới rút được.');
        if (sp.status !== 'WAITING') throw new AppError('CONFLICT', 'Chỉ rút được đăng ký đang chờ.');
        await c.tx.em.execute(`update meeting_speaker set status = 'WITHDRAWN' where id = ?`, [speakerId]);
        this.audit(c, 'meeting.speaker.withdraw', { speakerId });
      },
      () => notFound('Đăng ký phát biểu'),
    );
    return this.view(scope, mid!);
  }

  async moveSpeaker(scope: Scope, speakerId: string, order: number): Promise<MeetingView> {
    const mid = await this.meetingOf(scope.em, 'meeting_speaker', speakerId);
    await this.change(
      scope,
      mid,
      'SPEAKERS_CHANGED',
      async (c) => {
        const item = c.m.items.find((i) => i.speakers.some((s) => s.id === speakerId));
        if (!item) throw notFound('Đăng ký phát biểu');
        if (!isRunner(c.m, c.actor.userId)) throw forbidden('Chỉ chủ trì hoặc thư ký mới sắp xếp người phát biểu.');
        const { orders } = rules.must(rules.moveSpeakerPlan(item.speakers, speakerId, order));
        for (const [id, o] of orders) await c.tx.em.execute('update meeting_speaker set sort_order = ? where id = ?', [o, id]);
        this.audit(c, 'meeting.speaker.move', { speakerId, order });
      },
      () => notFound('Đăng ký phát biểu'),
    );
    return this.view(scope, mid!);
  }

  async nextSpeaker(scope: Scope, meetingId: string, itemId: string): Promise<MeetingView> {
    await this.change(scope, meetingId, 'SPEAKERS_CHANGED', async (c) => {
      if (!isRunner(c.m, c.actor.userId)) throw forbidden('Chỉ chủ trì hoặc thư ký mới điều hành phát biểu.');
      rules.must(rules.expectCurrent(c.m, itemId));
      const item = currentItem(c.m);
      if (!item) throw new AppError('CONFLICT', 'Chưa có nội dung nào đang thảo luận.');
      const plan = rules.nextSpeakerPlan(item.speakers);
      if (!plan.done && !plan.start) throw new AppError('CONFLICT', 'Không còn ai đăng ký phát biểu.');
      if (plan.done) await c.tx.em.execute(`update meeting_speaker set status = 'DONE' where id = ?`, [plan.done]);
      if (plan.start) await c.tx.em.execute(`update meeting_speaker set status = 'SPEAKING', started_at = now() where id = ?`, [plan.start]);
      this.audit(c, 'meeting.speaker.next', { done: plan.done, start: plan.start });
    });
    return this.view(scope, meetingId);
  }

  // -------------------------------------------------------------------------------------------- votes

  async openVote(scope: Scope, itemId: string, input: { question: string; secret: boolean }): Promise<VoteView> {
    const question = rules.must(rules.requiredText(input.question, 'question', 'Nội dung biểu quyết', 2000)).value;
    if (typeof input.secret !== 'boolean') throw badInput('Chọn biểu quyết công khai hay kín.', 'secret');
    const id = newId();
    await this.itemChange(scope, itemId, 'VOTE_CHANGED', async (c, item) => {
      rules.must(rules.canOpenVote(c.m, item, c.actor.userId));
      const eligible = c.m.participants.filter((p) => isVotingRole(p.role)).length;
      await c.tx.em.execute(`insert into meeting_vote (id, item_id, question, secret, status, eligible, agree, disagree, abstain, opened_at) values (?, ?, ?, ?, 'OPEN', ?, 0, 0, 0, now())`, [
        id,
        item.id,
        question,
        input.secret,
        eligible,
      ]);
      await this.notifyParticipants(c, 'MEETING_VOTE_OPENED', `Biểu quyết${input.secret ? ' kín' : ''}: ${question} — cuộc họp "${c.m.title}"`, (p) => isVotingRole(p.role));
      this.audit(c, 'meeting.vote.open', { itemId: item.id, voteId: id, secret: input.secret, eligible });
    });
    return this.voteView(scope, id);
  }

  /**
   * One ballot. Secret: counter +1 on the vote row and a "has voted" row without the choice, nothing else
   * (the audit event names the vote, not the choice). Named: the choice is also kept with the voter.
   */
  async castVote(scope: Scope, voteId: string, choiceIn: string): Promise<VoteView> {
    const { choice } = rules.must(rules.parseChoice(choiceIn));
    const mid = await this.meetingOf(scope.em, 'meeting_vote', voteId);
    const version = await this.castIn(scope, mid, voteId, choice);
    // This replica may already hold the state with this ballot (it follows the meeting): no need to read it again.
    const viewer = viewerOf(scope.requireActor());
    const s = this.services.meetingHub.stateAtLeast(mid!, version);
    const vote = s?.items.flatMap((i) => i.votes).find((x) => x.id === voteId);
    if (s && vote) return { s, viewer, vote };
    // Otherwise only the vote is read again (its row and voters) on top of the replica's latest state of the
    // meeting: a ballot must not re-read a 1,000-member meeting (its participants, positions, …).
    const fresh = await this.voteOnLatest(scope.em, mid!, voteId, viewer.userId);
    if (fresh) return { ...fresh, viewer };
    return this.voteView(scope, voteId);
  }

  /** The replica's latest state of a meeting with one vote read fresh from the database (null: no state here). */
  private async voteOnLatest(em: EntityManager, meetingId: string, voteId: string, voterId: string): Promise<{ s: MeetingState; vote: StateVote } | null> {
    const base = this.services.meetingHub.latest(meetingId);
    const old = base?.items.flatMap((i) => i.votes).find((x) => x.id === voteId);
    if (!base || !old) return null;
    // A secret vote shows the caller only the counts and their own "has voted": no need for the other voters.
    const [[r], voters] = await Promise.all([
      em.execute<{ status: string; agree: number; disagree: number; abstain: number; closed_at: Date | null }[]>('select status, agree, disagree, abstain, closed_at from meeting_vote where id = ?', [voteId]),
      old.secret
        ? Promise.resolve([...old.voters.keys(), voterId].map((u) => ({ user_id: u, choice: null as string | null })))
        : em.execute<{ user_id: string; choice: string | null }[]>('select user_id, choice from meeting_vote_voter where vote_id = ?', [voteId]),
    ]);
    if (!r) return null;
    const vote: StateVote = {
      ...old,
      status: r.status as StateVote['status'],
      agree: Number(r.agree),
      disagree: Number(r.disagree),
      abstain: Number(r.abstain),
      closedAt: r.closed_at ? new Date(r.closed_at) : null,
      voters: new Map(voters.map((v) => [v.user_id, (v.choice as VoteChoice | null) ?? null])),
    };
    const items = base.items.map((i) => (i.id === vote.itemId ? { ...i, votes: i.votes.map((x) => (x.id === voteId ? vote : x)) } : i));
    return { s: { ...base, items }, vote };
  }

  /**
   * A ballot, with the hot rows (the vote's counters, the meeting's version) touched by ONE last statement, so
   * that concurrent ballots queue on them only for that statement and the commit. The voter row's primary key
   * refuses a second ballot; a vote closed meanwhile updates nothing → CONFLICT, and the transaction rolls back.
   */
  private async castIn(scope: Scope, meetingId: string | null, voteId: string, choice: VoteChoice): Promise<number> {
    const actor = scope.requireActor();
    if (!meetingId) throw notFound('Biểu quyết');
    let version = 0;
    await scope.transaction(async (tx) => {
      const [m] = await tx.em.execute<{ agency_id: string; status: string; organiser: boolean; role: string | null; vote_status: string; secret: boolean }[]>(
        `select m.agency_id, m.status, (m.chair_id = ? or m.secretary_id = ? or m.created_by_id = ?) as organiser,
                (select p.role from meeting_participant p where p.meeting_id = m.id and p.user_id = ?) as role,
                v.status as vote_status, v.secret
           from meeting m join meeting_item i on i.meeting_id = m.id join meeting_vote v on v.item_id = i.id
          where m.id = ? and v.id = ?`,
        [actor.userId, actor.userId, actor.userId, actor.userId, meetingId, voteId],
      );
      if (!m || (!m.role && !m.organiser) || (m.status === 'DRAFT' && !m.organiser)) throw notFound('Biểu quyết');
      if (!isVotingRole((m.role as never) ?? null)) throw forbidden('Chỉ chủ trì và thành viên cuộc họp mới được biểu quyết.');
      if (m.vote_status !== 'OPEN') throw new AppError('CONFLICT', 'Biểu quyết đã kết thúc.');
      const inserted = await tx.em.execute<{ user_id: string }[]>('insert into meeting_vote_voter (vote_id, user_id, choice) values (?, ?, ?) on conflict do nothing returning user_id', [
        voteId,
        actor.userId,
        m.secret ? null : choice,
      ]);
      if (!inserted.length) throw new AppError('CONFLICT', 'Bạn đã biểu quyết rồi.');
      tx.audit({ action: 'meeting.vote.cast', targetType: 'meeting', targetId: meetingId, agencyId: m.agency_id, data: m.secret ? { voteId } : { voteId, choice } });
      await tx.em.flush();
      const col = choice === 'AGREE' ? 'agree' : choice === 'DISAGREE' ? 'disagree' : 'abstain';
      const [row] = await tx.em.execute<{ version: number }[]>(
        `with v as (update meeting_vote set ${col} = ${col} + 1 where id = ? and status = 'OPEN' returning id)
         update meeting set version = version + 1 where id = ? and exists (select 1 from v) returning version`,
        [voteId, meetingId],
      );
      if (!row) throw new AppError('CONFLICT', 'Biểu quyết đã kết thúc.');
      version = Number(row.version);
      const agencyId = m.agency_id;
      tx.afterCommit(() => this.publish(meetingId, agencyId, version, 'VOTE_CHANGED'));
    });
    return version;
  }

  async closeVote(scope: Scope, voteId: string): Promise<VoteView> {
    const mid = await this.meetingOf(scope.em, 'meeting_vote', voteId);
    await this.change(
      scope,
      mid,
      'VOTE_CHANGED',
      async (c) => {
        const vote = c.m.items.flatMap((i) => i.votes).find((v) => v.id === voteId);
        if (!vote) throw notFound('Biểu quyết');
        if (c.m.chairId !== c.actor.userId) throw forbidden('Chỉ người chủ trì mới kết thúc biểu quyết.');
        if (vote.status !== 'OPEN') throw new AppError('CONFLICT', 'Biểu quyết đã kết thúc.');
        // Touching the counters' row again in this transaction: its last writer is the closing, not the last voter.
        await c.tx.em.execute(`update meeting_vote set status = 'CLOSED', closed_at = now() where id = ?`, [voteId]);
        const t = { ...vote, status: 'CLOSED' as const };
        this.audit(c, 'meeting.vote.close', { voteId, agree: t.agree, disagree: t.disagree, abstain: t.abstain, eligible: t.eligible });
      },
      () => notFound('Biểu quyết'),
    );
    return this.voteView(scope, voteId);
  }

  // ------------------------------------------------------------------------------ drafts (outgoing flow)

  /** Giấy mời / Thông báo kết luận: a DRAFT of the caller through the outgoing service, then linked to the meeting. */
  async draftDocument(scope: Scope, meetingId: string, kind: 'INVITATION' | 'CONCLUSION'): Promise<Document> {
    const v = await this.view(scope, meetingId);
    const action = kind === 'INVITATION' ? 'DRAFT_INVITATION' : 'DRAFT_CONCLUSION_NOTICE';
    if (!meetingActions(v.s, v.viewer).includes(action)) {
      if (!isOrganiser(v.s, v.viewer.userId)) throw forbidden('Chỉ người tổ chức cuộc họp mới soạn được văn bản này.');
      if (kind === 'CONCLUSION' && !v.s.items.some((i) => i.status !== 'PENDING')) throw new AppError('CONFLICT', 'Chưa có nội dung nào được kết luận.');
      throw forbidden('Chỉ chuyên viên, trưởng phòng hoặc lãnh đạo mới soạn được dự thảo văn bản đi.');
    }
    const pdf = await renderMeetingLetterPdf(scope.em, v.s, kind);
    const subject = kind === 'INVITATION' ? `Mời họp: ${v.s.title}` : `Thông báo kết luận cuộc họp: ${v.s.title}`;
    const file = new File([new Uint8Array(pdf)], kind === 'INVITATION' ? 'giay-moi.pdf' : 'thong-bao-ket-luan.pdf', { type: 'application/pdf' });
    const doc = await this.services.outgoing.createDraft(scope, {
      typeCode: kind === 'INVITATION' ? 'GM' : 'TB',
      subject: subject.slice(0, 1900),
      recipientAgencyIds: [...new Set(v.s.participants.map((p) => v.s.users.get(p.userId)?.agency.id).filter((a): a is string => !!a && a !== v.s.agencyId))],
      signerId: v.s.users.get(v.s.chairId)?.roles.includes('LANH_DAO') ? v.s.chairId : null,
      files: [file],
    });
    await this.change(scope, meetingId, 'MEETING_UPDATED', async (c) => {
      await c.tx.em.execute(`update meeting set ${kind === 'INVITATION' ? 'invitation_document_id' : 'conclusion_document_id'} = ? where id = ?`, [doc.id, c.m.id]);
      this.audit(c, kind === 'INVITATION' ? 'meeting.draft_invitation' : 'meeting.draft_conclusion', { documentId: doc.id });
    });
    return doc;
  }

  // ----------------------------------------------------------------------------------------- display

  async issueDisplayToken(scope: Scope, room?: string | null) {
    const actor = scope.requireActor();
    if (!meetingCapabilities(actor.roles).includes('MANAGE_DISPLAYS')) throw forbidden('Chỉ quản trị, văn thư hoặc lãnh đạo mới cấp mã màn hình sảnh.');
    const r = rules.must(rules.optionalText(room, 'room', 'Phòng họp', 200)).value;
    const token = `cvd_${randomBytes(24).toString('base64url')}`;
    const id = newId();
    await scope.transaction(async (tx) => {
      await tx.em.execute('insert into display_token (id, agency_id, room, token_hash, created_by_id, created_at) values (?, ?, ?, ?, ?, now())', [id, actor.agencyId, r, hashToken(token), actor.userId]);
      tx.audit({ action: 'meeting.display_token.issue', targetType: 'display_token', targetId: id, agencyId: actor.agencyId, data: { room: r } });
    });
    const [t] = await this.displayTokens(scope, id);
    return { displayToken: t, token };
  }

  async displayTokens(scope: Scope, id?: string) {
    const actor = scope.requireActor();
    if (!meetingCapabilities(actor.roles).includes('MANAGE_DISPLAYS')) throw forbidden();
    const rows = await scope.em.execute<{ id: string; room: string | null; created_at: Date; revoked_at: Date | null }[]>(
      `select id, room, created_at, revoked_at from display_token where agency_id = ?${id ? ' and id = ?' : ''} order by created_at desc`,
      id ? [actor.agencyId, id] : [actor.agencyId],
    );
    return rows.map((r) => ({ id: r.id, room: r.room, createdAt: new Date(r.created_at), revokedAt: r.revoked_at ? new Date(r.revoked_at) : null }));
  }

  async revokeDisplayToken(scope: Scope, id: string) {
    const actor = scope.requireActor();
    if (!isUuid(id)) throw notFound('Mã màn hình');
    const [t] = await this.displayTokens(scope, id);
    if (!t) throw notFound('Mã màn hình');
    await scope.transaction(async (tx) => {
      await tx.em.execute('update display_token set revoked_at = coalesce(revoked_at, now()) where id = ?', [id]);
      tx.audit({ action: 'meeting.display_token.revoke', targetType: 'display_token', targetId: id, agencyId: actor.agencyId });
    });
    return (await this.displayTokens(scope, id))[0];
  }

  /** The agency and room of a display token (NOT_FOUND-like UNAUTHENTICATED when unknown or revoked). */
  async displayOf(em: EntityManager, token: string): Promise<{ agencyId: string; agencyName: string; room: string | null }> {
    if (typeof token !== 'string' || token.length > 200) throw new AppError('UNAUTHENTICATED', 'Mã màn hình không hợp lệ hoặc đã bị thu hồi.');
    const [r] = await em.execute<{ agency_id: string; name: string; room: string | null }[]>(
      'select t.agency_id, a.name, t.room from display_token t join agency a on a.id = t.agency_id where t.token_hash = ? and t.revoked_at is null',
      [hashToken(token)],
    );
    if (!r) throw new AppError('UNAUTHENTICATED', 'Mã màn hình không hợp lệ hoặc đã bị thu hồi.');
    return { agencyId: r.agency_id, agencyName: r.name, room: r.room };
  }

  /** What a lobby screen shows: the day's published meetings of the agency (and room), with their current item. */
  async lobby(em: EntityManager, token: string) {
    const d = await this.displayOf(em, token);
    const now = this.services.clock.now();
    const date = new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
    const from = new Date(`${date}T00:00:00+07:00`);
    const to = new Date(from.getTime() + 86_400_000);
    const rows = await em.execute<Record<string, unknown>[]>(
      `select m.id, m.title, m.starts_at, m.ends_at, m.location, m.status, u.full_name as chair_name, i.title as item_title, i.sort_order as item_order
         from meeting m join app_user u on u.id = m.chair_id left join meeting_item i on i.id = m.current_item_id
        where m.agency_id = ? and m.status in ('PUBLISHED','IN_PROGRESS','ENDED') and m.starts_at < ? and m.ends_at >= ?${d.room ? ' and m.location = ?' : ''}
        order by m.starts_at, m.id`,
      d.room ? [d.agencyId, to, from, d.room] : [d.agencyId, to, from],
    );
    const orderOf = async (meetingId: string, itemId: unknown) => {
      if (!itemId) return null;
      const [r] = await em.execute<{ n: string }[]>('select count(*) as n from meeting_item where meeting_id = ? and sort_order <= (select sort_order from meeting_item where id = (select current_item_id from meeting where id = ?))', [meetingId, meetingId]);
      return Number(r.n);
    };
    const meetings = [];
    for (const r of rows)
      meetings.push({
        id: String(r.id),
        title: String(r.title),
        startsAt: new Date(r.starts_at as string),
        endsAt: new Date(r.ends_at as string),
        location: (r.location as string | null) ?? null,
        status: String(r.status) as never,
        chairName: String(r.chair_name),
        currentItemTitle: (r.item_title as string | null) ?? null,
        currentItemOrder: await orderOf(String(r.id), r.item_title),
      });
    return { agencyName: d.agencyName, room: d.room, date, meetings };
  }

}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

