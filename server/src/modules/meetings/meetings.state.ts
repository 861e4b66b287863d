/**
 * Loads a meeting's whole state (domain/model.ts MeetingData) in a few set queries, plus the users it names
 * (for User fields of the views). Used inside a mutation's transaction (after locking the meeting row) and
 * by the live hub, which loads it once per state version per replica and shares it between subscribers.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { User } from '../identity/entities/user.entity';
import type { MeetingData, StateItem, StateVote, VoteChoice } from './domain/model';

export type { StateItem, StateVote, StateDocument } from './domain/model';

export interface MeetingState extends MeetingData {
  /** Every user the meeting names (participants, presenters, speakers, assignees, position authors). */
  users: Map<string, User>;
}

type Row = Record<string, unknown>;

async function sequential<T>(ps: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (const p of ps) out.push(await p());
  return out;
}
const d = (v: unknown): Date | null => (v == null ? null : v instanceof Date ? v : new Date(String(v)));
const s = (v: unknown): string | null => (v == null ? null : String(v));

/** The meeting data, or null when there is no such meeting. `lock`: SELECT … FOR UPDATE (inside a transaction). */
export async function loadMeetingData(em: EntityManager, meetingId: string, lock = false): Promise<MeetingData | null> {
  const [m] = await em.execute<Row[]>(`select * from meeting where id = ?${lock ? ' for update' : ''}`, [meetingId]);
  if (!m) return null;
  // In a transaction the queries share one connection: run them one after the other; otherwise in parallel.
  const all = em.isInTransaction() ? sequential : <T>(ps: (() => Promise<T>)[]) => Promise.all(ps.map((p) => p()));
  const [participants, items, docs, positions, speakers, votes, voters, tasks] = await all<Row[]>([
    () => em.execute<Row[]>('select id, user_id, role, checked_in_at, checked_in_by_id from meeting_participant where meeting_id = ? order by role, id', [meetingId]),
    () => em.execute<Row[]>('select * from meeting_item where meeting_id = ? order by sort_order, id', [meetingId]),
    () => em.execute<Row[]>('select d.id, d.item_id, d.title, d.file_name, d.content_type, d.size, d.page_count, d.storage_key, d.source_document_id from meeting_document d join meeting_item i on i.id = d.item_id where i.meeting_id = ? order by d.created_at, d.id', [meetingId]),
    () => em.execute<Row[]>('select p.id, p.item_id, p.user_id, p.kind, p.opinion, p.updated_at from meeting_position p join meeting_item i on i.id = p.item_id where i.meeting_id = ? order by p.updated_at, p.id', [meetingId]),
    () => em.execute<Row[]>('select s.* from meeting_speaker s join meeting_item i on i.id = s.item_id where i.meeting_id = ? order by s.sort_order, s.requested_at', [meetingId]),
    () => em.execute<Row[]>(VOTES_SQL, [meetingId]),
    () => em.execute<Row[]>(VOTERS_SQL, [meetingId]),
    () => em.execute<Row[]>('select id, item_id, title, assignee_id, deadline::text as deadline, completed_at, note from meeting_task where meeting_id = ? order by created_at, id', [meetingId]),
  ]);
  const byItem = new Map<string, StateItem>();
  const stateItems: StateItem[] = items.map((r, i) => {
    const it: StateItem = {
      id: String(r.id),
      order: i + 1,
      title: String(r.title),
      presenterId: s(r.presenter_id),
      durationMinutes: r.duration_minutes == null ? null : Number(r.duration_minutes),
      status: String(r.status) as StateItem['status'],
      minutes: s(r.minutes),
      conclusion: s(r.conclusion),
      concludedAt: d(r.concluded_at),
      documents: [],
      positions: [],
      votes: [],
      speakers: [],
      tasks: [],
    };
    byItem.set(it.id, it);
    return it;
  });
  for (const r of docs)
    byItem.get(String(r.item_id))?.documents.push({
      id: String(r.id),
      itemId: String(r.item_id),
      title: String(r.title),
      fileName: String(r.file_name),
      contentType: String(r.content_type),
      size: Number(r.size),
      pageCount: r.page_count == null ? null : Number(r.page_count),
      storageKey: String(r.storage_key),
      sourceDocumentId: s(r.source_document_id),
    });
  for (const r of positions)
    byItem.get(String(r.item_id))?.positions.push({ id: String(r.id), userId: String(r.user_id), kind: String(r.kind) as never, opinion: s(r.opinion), updatedAt: d(r.updated_at)! });
  let order = 0;
  for (const r of speakers)
    byItem.get(String(r.item_id))?.speakers.push({
      id: String(r.id),
      itemId: String(r.item_id),
      userId: String(r.user_id),
      status: String(r.status) as never,
      order: ++order,
      requestedAt: d(r.requested_at)!,
      startedAt: d(r.started_at),
      speakingSeconds: Number(r.speaking_seconds),
    });
  for (const v of votesOf(votes, voters)) byItem.get(v.itemId)?.votes.push(v);
  for (const r of tasks)
    byItem.get(String(r.item_id))?.tasks.push({
      id: String(r.id),
      itemId: String(r.item_id),
      title: String(r.title),
      assigneeId: String(r.assignee_id),
      deadline: String(r.deadline),
      completedAt: d(r.completed_at),
      note: s(r.note),
    });
  return {
    ...coreOf(m),
    participants: participants.map((r) => ({
      id: String(r.id),
      userId: String(r.user_id),
      role: String(r.role) as never,
      checkedInAt: d(r.checked_in_at),
      checkedInById: s(r.checked_in_by_id),
    })),
    items: stateItems,
  };
}

const VOTES_SQL = 'select v.* from meeting_vote v join meeting_item i on i.id = v.item_id where i.meeting_id = ? order by v.opened_at, v.id';
const VOTERS_SQL =
  'select vv.vote_id, vv.user_id, vv.choice from meeting_vote_voter vv join meeting_vote v on v.id = vv.vote_id join meeting_item i on i.id = v.item_id where i.meeting_id = ?';

/** The votes of a meeting (in order) with their voters, from their rows. */
function votesOf(votes: Row[], voters: Row[]): StateVote[] {
  const voteById = new Map<string, StateVote>();
  for (const r of votes) {
    const v: StateVote = {
      id: String(r.id),
      itemId: String(r.item_id),
      question: String(r.question),
      secret: Boolean(r.secret),
      status: String(r.status) as StateVote['status'],
      eligible: Number(r.eligible),
      agree: Number(r.agree),
      disagree: Number(r.disagree),
      abstain: Number(r.abstain),
      openedAt: d(r.opened_at)!,
      closedAt: d(r.closed_at),
      voters: new Map(),
    };
    voteById.set(v.id, v);
  }
  for (const r of voters) voteById.get(String(r.vote_id))?.voters.set(String(r.user_id), (s(r.choice) as VoteChoice | null) ?? null);
  return [...voteById.values()];
}

/**
 * A newer state when only votes changed since `prev` (votes opened, ballots, votes closed: they write only the
 * vote rows, their voters and the meeting's version): the meeting row, votes and voters are read again, the rest
 * (participants, agenda, documents, positions, speakers, tasks, users) is taken from `prev`. Null: no such meeting.
 */
export async function reloadVotes(em: EntityManager, prev: MeetingState): Promise<MeetingState | null> {
  const [[m], votes, voters] = await Promise.all([
    em.execute<Row[]>('select * from meeting where id = ?', [prev.id]),
    em.execute<Row[]>(VOTES_SQL, [prev.id]),
    em.execute<Row[]>(VOTERS_SQL, [prev.id]),
  ]);
  if (!m) return null;
  const byItem = new Map<string, StateVote[]>();
  for (const v of votesOf(votes, voters)) byItem.set(v.itemId, [...(byItem.get(v.itemId) ?? []), v]);
  return { ...prev, ...coreOf(m), items: prev.items.map((i) => ({ ...i, votes: byItem.get(i.id) ?? [] })) };
}

/** The meeting row's own fields. */
function coreOf(m: Row): Omit<MeetingData, 'participants' | 'items'> {
  return {
    id: String(m.id),
    agencyId: String(m.agency_id),
    title: String(m.title),
    startsAt: d(m.starts_at)!,
    endsAt: d(m.ends_at)!,
    location: s(m.location),
    status: String(m.status) as MeetingData['status'],
    chairId: String(m.chair_id),
    secretaryId: String(m.secretary_id),
    createdById: String(m.created_by_id),
    speakingSeconds: Number(m.speaking_seconds),
    currentItemId: s(m.current_item_id),
    displayDocumentId: s(m.display_document_id),
    displayPage: m.display_page == null ? null : Number(m.display_page),
    invitationDocumentId: s(m.invitation_document_id),
    conclusionDocumentId: s(m.conclusion_document_id),
    version: Number(m.version),
    publishedAt: d(m.published_at),
  };
}

/**
 * The data plus the users it names (one query for those not in `known`: a replica keeps the users of the
 * meetings it follows, so a new state version of a 1,000-member meeting does not re-read 1,000 users).
 */
export async function loadMeetingState(em: EntityManager, meetingId: string, known?: ReadonlyMap<string, User> | null): Promise<MeetingState | null> {
  const data = await loadMeetingData(em, meetingId);
  if (!data) return null;
  const ids = new Set<string>([data.chairId, data.secretaryId, data.createdById]);
  for (const p of data.participants) {
    ids.add(p.userId);
    if (p.checkedInById) ids.add(p.checkedInById);
  }
  for (const i of data.items) {
    if (i.presenterId) ids.add(i.presenterId);
    for (const p of i.positions) ids.add(p.userId);
    for (const sp of i.speakers) ids.add(sp.userId);
    for (const t of i.tasks) ids.add(t.assigneeId);
  }
  const users = new Map<string, User>();
  const missing: string[] = [];
  for (const id of ids) {
    const u = known?.get(id);
    if (u) users.set(id, u);
    else missing.push(id);
  }
  if (missing.length) for (const u of await em.find(User, { id: { $in: missing } })) users.set(u.id, u);
  return { ...data, users };
}
