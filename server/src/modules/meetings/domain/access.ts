/**
 * Who may see a meeting and what each participant may do now (the typed allowedActions of Meeting,
 * AgendaItem and Vote). One policy per capability; services check the same functions before acting.
 */
import type { MeetingData, ParticipantRole, StateItem, StateVote, Viewer } from './model';

export type { Viewer } from './model';

export type MeetingAction =
  | 'UPDATE'
  | 'PUBLISH'
  | 'CANCEL'
  | 'START'
  | 'END'
  | 'ADD_AGENDA_ITEM'
  | 'CHECK_IN'
  | 'CHECK_IN_OTHERS'
  | 'SET_CURRENT_ITEM'
  | 'SHOW_DOCUMENT'
  | 'REQUEST_TO_SPEAK'
  | 'MANAGE_SPEAKERS'
  | 'PASS_WITHOUT_OBJECTION'
  | 'DRAFT_INVITATION'
  | 'DRAFT_CONCLUSION_NOTICE'
  | 'EXPORT'
  | 'ASSIGN_TASK'
  | 'VIEW_POSITIONS';

export type ItemAction = 'UPDATE' | 'ATTACH_DOCUMENT' | 'RECORD_POSITION' | 'TAKE_MINUTES' | 'CONCLUDE' | 'OPEN_VOTE' | 'SET_CURRENT' | 'REQUEST_TO_SPEAK' | 'ASSIGN_TASK';
export type VoteAction = 'CAST' | 'CLOSE';

export type MeetingCapability = 'CREATE_MEETING' | 'MANAGE_DISPLAYS';

/** Who organises meetings (văn thư, leaders, heads of unit, chuyên viên) and who manages lobby display tokens. */
const ORGANISER_ROLES = ['VAN_THU', 'LANH_DAO', 'TRUONG_PHONG', 'CHUYEN_VIEN'];
const DISPLAY_ROLES = ['QUAN_TRI', 'VAN_THU', 'LANH_DAO'];

/** What a user (by their roles in their agency) may do in Phòng họp outside any one meeting. */
export function meetingCapabilities(roles: readonly string[]): MeetingCapability[] {
  const out: MeetingCapability[] = [];
  if (roles.some((r) => ORGANISER_ROLES.includes(r))) out.push('CREATE_MEETING');
  if (roles.some((r) => DISPLAY_ROLES.includes(r))) out.push('MANAGE_DISPLAYS');
  return out;
}

/** Roles that may draft into the outgoing flow (outgoing.service canDraftOutgoing). */
const DRAFTING_ROLES = ['CHUYEN_VIEN', 'TRUONG_PHONG', 'LANH_DAO'];

/** userId → participant, per participants list (a state is never changed once loaded: safe to index once). */
const participantIndex = new WeakMap<MeetingData['participants'], Map<string, MeetingData['participants'][number]>>();

/** The participant row of a user (O(1): a 1,000-member meeting is asked this for every subscriber and field). */
export function participantOf(m: MeetingData, userId: string): MeetingData['participants'][number] | null {
  let idx = participantIndex.get(m.participants);
  if (!idx) {
    idx = new Map(m.participants.map((p) => [p.userId, p]));
    participantIndex.set(m.participants, idx);
  }
  return idx.get(userId) ?? null;
}

export function roleOf(m: MeetingData, userId: string): ParticipantRole | null {
  return participantOf(m, userId)?.role ?? null;
}

/** Organisers: the chair, the secretary and whoever created the meeting (preparation). */
export function isOrganiser(m: MeetingData, userId: string): boolean {
  return m.chairId === userId || m.secretaryId === userId || m.createdById === userId;
}

/** Runs the meeting: chair or secretary. */
export function isRunner(m: MeetingData, userId: string): boolean {
  return m.chairId === userId || m.secretaryId === userId;
}

/** Chair + members vote; the secretary and guests do not. */
export const isVotingRole = (r: ParticipantRole | null): boolean => r === 'CHAIR' || r === 'MEMBER';

/**
 * Whether the viewer may see the meeting at all (else NOT_FOUND): organisers always; other participants once
 * it is published. Users of another agency see it only as invited guests.
 */
export function canSeeMeeting(m: MeetingData, v: Viewer): boolean {
  if (isOrganiser(m, v.userId)) return true;
  if (m.status === 'DRAFT') return false;
  return roleOf(m, v.userId) !== null;
}

const preparing = (m: MeetingData) => m.status === 'DRAFT' || m.status === 'PUBLISHED';
const live = (m: MeetingData) => m.status === 'IN_PROGRESS';

export function currentItem(m: MeetingData): StateItem | null {
  return m.items.find((i) => i.id === m.currentItemId) ?? null;
}

export function openVoteOf(m: MeetingData): StateVote | null {
  for (const i of m.items) for (const v of i.votes) if (v.status === 'OPEN') return v;
  return null;
}

export function meetingActions(m: MeetingData, v: Viewer): MeetingAction[] {
  if (!canSeeMeeting(m, v)) return [];
  const me = v.userId;
  const role = roleOf(m, me);
  const org = isOrganiser(m, me);
  const run = isRunner(m, me);
  const chair = m.chairId === me;
  const out: MeetingAction[] = [];
  const checkedIn = !!participantOf(m, me)?.checkedInAt;
  if (org && preparing(m)) out.push('UPDATE', 'ADD_AGENDA_ITEM', 'CANCEL');
  if (org && m.status === 'DRAFT') out.push('PUBLISH');
  if (run && m.status === 'PUBLISHED') out.push('START');
  if (run && live(m)) out.push('END', 'SET_CURRENT_ITEM', 'SHOW_DOCUMENT', 'MANAGE_SPEAKERS');
  if (role && !checkedIn && (m.status === 'PUBLISHED' || live(m))) out.push('CHECK_IN');
  if (run && (m.status === 'PUBLISHED' || live(m))) out.push('CHECK_IN_OTHERS');
  const cur = currentItem(m);
  if ((role === 'MEMBER' || role === 'GUEST') && live(m) && cur && cur.status === 'PENDING' && !hasSpeakRequest(cur, me)) out.push('REQUEST_TO_SPEAK');
  if (chair && live(m) && m.items.some((i) => passableWithoutObjection(m, i))) out.push('PASS_WITHOUT_OBJECTION');
  const drafts = v.roles.some((r) => DRAFTING_ROLES.includes(r)) && v.agencyId === m.agencyId;
  if (org && drafts && m.status !== 'CANCELLED' && m.status !== 'DRAFT') out.push('DRAFT_INVITATION');
  if (org && drafts && m.items.some((i) => i.status !== 'PENDING')) out.push('DRAFT_CONCLUSION_NOTICE');
  if (org && m.status !== 'DRAFT') out.push('EXPORT');
  if (run && (live(m) || m.status === 'ENDED')) out.push('ASSIGN_TASK');
  if (run) out.push('VIEW_POSITIONS');
  return out;
}

export function hasSpeakRequest(item: StateItem, userId: string): boolean {
  return item.speakers.some((s) => s.userId === userId && (s.status === 'WAITING' || s.status === 'SPEAKING'));
}

/** No voting member objected (OTHER_OPINION or REQUEST_TO_SPEAK), not done, no open vote. */
export function passableWithoutObjection(m: MeetingData, item: StateItem): boolean {
  if (item.status !== 'PENDING') return false;
  if (item.votes.some((v) => v.status === 'OPEN')) return false;
  return !item.positions.some((p) => p.kind !== 'AGREE');
}

export function itemActions(m: MeetingData, item: StateItem, v: Viewer): ItemAction[] {
  if (!canSeeMeeting(m, v)) return [];
  const me = v.userId;
  const role = roleOf(m, me);
  const org = isOrganiser(m, me);
  const run = isRunner(m, me);
  const open = item.status === 'PENDING';
  const isCurrent = m.currentItemId === item.id;
  const out: ItemAction[] = [];
  if (org && preparing(m)) out.push('UPDATE');
  if (org && (preparing(m) || live(m))) out.push('ATTACH_DOCUMENT');
  if (role === 'MEMBER' && open && (m.status === 'PUBLISHED' || live(m))) out.push('RECORD_POSITION');
  if (run && (live(m) || m.status === 'ENDED')) out.push('TAKE_MINUTES');
  if (run && (live(m) || m.status === 'ENDED') && open) out.push('CONCLUDE');
  if (m.chairId === me && live(m) && isCurrent && open && !openVoteOf(m)) out.push('OPEN_VOTE');
  if (run && live(m) && !isCurrent) out.push('SET_CURRENT');
  if ((role === 'MEMBER' || role === 'GUEST') && live(m) && isCurrent && open && !hasSpeakRequest(item, me)) out.push('REQUEST_TO_SPEAK');
  if (run && (live(m) || m.status === 'ENDED')) out.push('ASSIGN_TASK');
  return out;
}

export function voteActions(m: MeetingData, vote: StateVote, v: Viewer): VoteAction[] {
  if (!canSeeMeeting(m, v) || vote.status !== 'OPEN') return [];
  const out: VoteAction[] = [];
  if (isVotingRole(roleOf(m, v.userId)) && !vote.voters.has(v.userId)) out.push('CAST');
  if (m.chairId === v.userId) out.push('CLOSE');
  return out;
}
