/**
 * Pure rules of a meeting: inputs, quorum, tallies, the speakers list, passing items without objection,
 * the work-calendar week. Results are `{ok:true,…}` or a TransitionFailure (documents/domain/transition.ts).
 */
import { conflictWith, forbid, invalid, toAppError, type TransitionFailure } from '../../documents/domain/transition';
import { addDays, dayOfWeek, isPlainDate, type PlainDate } from '../../documents/domain/calendar';
import { currentItem, isRunner, isVotingRole, openVoteOf, passableWithoutObjection, roleOf } from './access';
import type { MeetingData, StateItem, StateSpeaker, StateVote, VoteChoice } from './model';
import { POSITION_KINDS, VOTE_CHOICES } from './model';

export type Ok<T = object> = { ok: true } & T;
export type Rule<T = object> = Ok<T> | TransitionFailure;
const ok = <T extends object>(t: T = {} as T): Ok<T> => ({ ok: true, ...t });

/** The success, or throw the failure as an AppError (code, Vietnamese message, field). */
export function must<T>(r: Rule<T>): Ok<T> {
  if (!r.ok) throw toAppError(r);
  return r;
}

export const MAX_TITLE = 500;
export const MAX_TEXT = 20_000;
export const MAX_PARTICIPANTS = 2_000;

/** Trimmed NFC text, required and bounded. */
export function requiredText(v: string | null | undefined, field: string, label: string, max = MAX_TITLE): Rule<{ value: string }> {
  const s = (v ?? '').normalize('NFC').trim();
  if (!s) return invalid(`${label} không được để trống.`, field);
  if (s.length > max) return invalid(`${label} dài quá ${max} ký tự.`, field);
  return ok({ value: s });
}

export function optionalText(v: string | null | undefined, field: string, label: string, max = MAX_TEXT): Rule<{ value: string | null }> {
  const s = (v ?? '').normalize('NFC').trim();
  if (s.length > max) return invalid(`${label} dài quá ${max} ký tự.`, field);
  return ok({ value: s || null });
}

/** The time slot of a meeting/engagement: ends after it starts, at most 7 days long. */
export function timeSlot(startsAt: Date, endsAt: Date): Rule {
  if (Number.isNaN(startsAt.getTime())) return invalid('Thời gian bắt đầu không hợp lệ.', 'startsAt');
  if (Number.isNaN(endsAt.getTime())) return invalid('Thời gian kết thúc không hợp lệ.', 'endsAt');
  if (endsAt.getTime() <= startsAt.getTime()) return invalid('Thời gian kết thúc phải sau thời gian bắt đầu.', 'endsAt');
  if (endsAt.getTime() - startsAt.getTime() > 7 * 86_400_000) return invalid('Một cuộc họp kéo dài tối đa 7 ngày.', 'endsAt');
  return ok();
}

export function speakingSecondsRule(v: number | null | undefined): Rule<{ value: number }> {
  if (v == null) return ok({ value: 180 });
  if (!Number.isInteger(v) || v < 15 || v > 3600) return invalid('Thời gian phát biểu từ 15 giây đến 60 phút.', 'speakingSeconds');
  return ok({ value: v });
}

export function durationRule(v: number | null | undefined): Rule<{ value: number | null }> {
  if (v == null) return ok({ value: null });
  if (!Number.isInteger(v) || v < 1 || v > 600) return invalid('Thời lượng từ 1 đến 600 phút.', 'durationMinutes');
  return ok({ value: v });
}

/**
 * Thành phần: chair, secretary, members, guests as one list (a user once, the first role wins in that order).
 * Chair and members must be of the meeting's agency; guests may be of any agency of the deployment.
 */
export function composition(
  input: { chairId: string; secretaryId: string; memberIds: readonly string[]; guestIds: readonly string[] },
  agencyOf: (userId: string) => string | null,
  agencyId: string,
): Rule<{ list: { userId: string; role: 'CHAIR' | 'SECRETARY' | 'MEMBER' | 'GUEST' }[] }> {
  const list: { userId: string; role: 'CHAIR' | 'SECRETARY' | 'MEMBER' | 'GUEST' }[] = [];
  const seen = new Set<string>();
  const add = (userId: string, role: 'CHAIR' | 'SECRETARY' | 'MEMBER' | 'GUEST', field: string): TransitionFailure | null => {
    const a = agencyOf(userId);
    if (!a) return invalid('Người dùng không tồn tại hoặc đã bị khóa.', field);
    if (role !== 'GUEST' && a !== agencyId) return invalid('Chủ trì, thư ký và thành viên phải thuộc cơ quan tổ chức cuộc họp; người ngoài cơ quan mời với tư cách khách mời.', field);
    if (seen.has(userId)) return null;
    seen.add(userId);
    list.push({ userId, role });
    return null;
  };
  if (input.chairId === input.secretaryId) return invalid('Thư ký phải khác người chủ trì.', 'secretaryId');
  const e =
    add(input.chairId, 'CHAIR', 'chairId') ??
    add(input.secretaryId, 'SECRETARY', 'secretaryId') ??
    input.memberIds.map((id) => add(id, 'MEMBER', 'memberIds')).find((x) => x) ??
    input.guestIds.map((id) => add(id, 'GUEST', 'guestIds')).find((x) => x) ??
    null;
  if (e) return e;
  if (list.length > MAX_PARTICIPANTS) return invalid(`Tối đa ${MAX_PARTICIPANTS} người tham dự.`, 'memberIds');
  return ok({ list });
}

export interface Attendance {
  invited: number;
  present: number;
  votingMembers: number;
  votingPresent: number;
  quorum: number;
  quorumMet: boolean;
}

/** Quorum: more than half of the voting members (chair + members) checked in. */
export function attendance(m: MeetingData): Attendance {
  const voting = m.participants.filter((p) => isVotingRole(p.role));
  const votingPresent = voting.filter((p) => p.checkedInAt).length;
  const quorum = Math.floor(voting.length / 2) + 1;
  return {
    invited: m.participants.length,
    present: m.participants.filter((p) => p.checkedInAt).length,
    votingMembers: voting.length,
    votingPresent,
    quorum,
    quorumMet: voting.length > 0 && votingPresent >= quorum,
  };
}

export interface Tally {
  agree: number | null;
  disagree: number | null;
  abstain: number | null;
  cast: number;
  notVoted: number;
  eligible: number;
}

/** A secret vote's split stays hidden while it is open (only the count shows). */
export function tally(v: StateVote): Tally {
  const cast = v.agree + v.disagree + v.abstain;
  const hide = v.secret && v.status === 'OPEN';
  return {
    agree: hide ? null : v.agree,
    disagree: hide ? null : v.disagree,
    abstain: hide ? null : v.abstain,
    cast,
    notVoted: Math.max(0, v.eligible - cast),
    eligible: v.eligible,
  };
}

/** Closed votes pass with AGREE from more than half of the eligible members. */
export function votePassed(v: StateVote): boolean | null {
  if (v.status !== 'CLOSED') return null;
  return v.agree * 2 > v.eligible;
}

export function parseChoice(c: string): Rule<{ choice: VoteChoice }> {
  return (VOTE_CHOICES as readonly string[]).includes(c) ? ok({ choice: c as VoteChoice }) : invalid('Lựa chọn biểu quyết không hợp lệ.', 'choice');
}

export function parsePositionKind(k: string) {
  return (POSITION_KINDS as readonly string[]).includes(k) ? ok({ kind: k }) : invalid('Ý kiến không hợp lệ.', 'kind');
}

/** May `userId` cast a ballot in `vote` now? */
export function canCast(m: MeetingData, vote: StateVote, userId: string): Rule {
  if (!isVotingRole(roleOf(m, userId))) return forbid('Chỉ chủ trì và thành viên cuộc họp mới được biểu quyết.');
  if (vote.status !== 'OPEN') return conflictWith('Biểu quyết đã kết thúc.');
  if (vote.voters.has(userId)) return conflictWith('Bạn đã biểu quyết rồi.');
  return ok();
}

/** Opening a vote: on the current item, by the chair, while no other vote is open. */
export function canOpenVote(m: MeetingData, item: StateItem, userId: string): Rule {
  if (m.chairId !== userId) return forbid('Chỉ người chủ trì mới được mở biểu quyết.');
  if (m.status !== 'IN_PROGRESS') return conflictWith('Cuộc họp chưa bắt đầu hoặc đã kết thúc.');
  if (m.currentItemId !== item.id) return conflictWith('Nội dung này không phải nội dung đang thảo luận.', );
  if (item.status !== 'PENDING') return conflictWith('Nội dung này đã được kết luận.');
  if (openVoteOf(m)) return conflictWith('Đang có một biểu quyết chưa kết thúc.');
  return ok();
}

/** The client acted on the item it saw as current: CONFLICT when it is stale. */
export function expectCurrent(m: MeetingData, itemId: string | null | undefined): Rule {
  if (m.status !== 'IN_PROGRESS') return conflictWith('Cuộc họp chưa bắt đầu hoặc đã kết thúc.');
  const cur = currentItem(m);
  if (itemId !== undefined && (cur?.id ?? null) !== (itemId ?? null))
    return conflictWith('Nội dung đang thảo luận đã thay đổi. Màn hình đã được cập nhật, vui lòng thử lại.');
  return ok();
}

/** Next speaker: the one speaking is done, the first waiting one starts (or nobody). */
export function nextSpeakerPlan(speakers: readonly StateSpeaker[]): { done: string | null; start: string | null } {
  const speaking = speakers.find((s) => s.status === 'SPEAKING');
  const waiting = speakers.filter((s) => s.status === 'WAITING').sort((a, b) => a.order - b.order);
  return { done: speaking?.id ?? null, start: waiting[0]?.id ?? null };
}

/** New order of the waiting speakers after moving one to a 1-based position: id → order. */
export function moveSpeakerPlan(speakers: readonly StateSpeaker[], speakerId: string, position: number): Rule<{ orders: Map<string, number> }> {
  const waiting = speakers.filter((s) => s.status === 'WAITING').sort((a, b) => a.order - b.order);
  const idx = waiting.findIndex((s) => s.id === speakerId);
  if (idx < 0) return conflictWith('Người này không còn trong danh sách chờ phát biểu.');
  if (!Number.isInteger(position) || position < 1 || position > waiting.length) return invalid(`Vị trí từ 1 đến ${waiting.length}.`, 'order');
  const [s] = waiting.splice(idx, 1);
  waiting.splice(position - 1, 0, s);
  const base = Math.min(...speakers.map((x) => x.order), 0);
  return ok({ orders: new Map(waiting.map((w, i) => [w.id, base + 1 + i])) });
}

/** Items to pass without objection: all listed must be passable (else CONFLICT, nothing changes). */
export function passWithoutObjectionPlan(m: MeetingData, userId: string, itemIds: readonly string[]): Rule<{ items: StateItem[] }> {
  if (m.chairId !== userId) return forbid('Chỉ người chủ trì mới được thông qua các nội dung không có ý kiến khác.');
  if (m.status !== 'IN_PROGRESS') return conflictWith('Cuộc họp chưa bắt đầu hoặc đã kết thúc.');
  if (itemIds.length === 0) return invalid('Chưa chọn nội dung nào.', 'itemIds');
  const items: StateItem[] = [];
  for (const id of new Set(itemIds)) {
    const it = m.items.find((i) => i.id === id);
    if (!it) return invalid('Nội dung không thuộc cuộc họp này.', 'itemIds');
    if (!passableWithoutObjection(m, it)) return conflictWith(`Nội dung "${it.title}" có ý kiến khác, đang biểu quyết hoặc đã kết luận: không thể thông qua không thảo luận.`, );
    items.push(it);
  }
  return ok({ items });
}

/** Check-in of `targetId` by `actorId`. */
export function canCheckIn(m: MeetingData, actorId: string, targetId: string): Rule {
  if (m.status !== 'PUBLISHED' && m.status !== 'IN_PROGRESS') return conflictWith('Chỉ điểm danh được khi cuộc họp đã phát hành hoặc đang họp.');
  if (actorId !== targetId && !isRunner(m, actorId)) return forbid('Chỉ thư ký hoặc chủ trì mới điểm danh thay người khác.');
  const p = m.participants.find((x) => x.userId === targetId);
  if (!p) return invalid('Người này không có trong thành phần cuộc họp.', 'userId');
  if (p.checkedInAt) return conflictWith('Đã điểm danh rồi.');
  return ok();
}

/** Monday..Sunday of the week containing `d`, and its ISO week number. */
export function weekOf(d: PlainDate): { from: PlainDate; to: PlainDate; weekNumber: number } {
  if (!isPlainDate(d)) throw new Error(`bad date ${d}`);
  const dow = dayOfWeek(d); // 0 = Sunday
  const from = addDays(d, -((dow + 6) % 7));
  const thursday = addDays(from, 3);
  const year = Number(thursday.slice(0, 4));
  const jan4 = `${year}-01-04`;
  const jan4Monday = addDays(jan4, -((dayOfWeek(jan4) + 6) % 7));
  const weekNumber = Math.round((Date.parse(from) - Date.parse(jan4Monday)) / (7 * 86_400_000)) + 1;
  return { from, to: addDays(from, 6), weekNumber };
}
