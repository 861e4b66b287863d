/**
 * Phòng họp không giấy (issue 11): meetings, participants (with check-in), agenda items, their documents and
 * private notes, positions, speakers, votes, tasks; the work calendar's engagements; lobby display tokens.
 *
 * Secret votes (biểu quyết kín): the ballot box is the vote row's three counters (agree/disagree/abstain, no
 * voter), and "has voted" is a MeetingVoteVoter row (voter, and for secret votes NO choice and no timestamp).
 * There is no ballot row that could be joined to a voter by id order, timestamp or transaction id.
 */
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { Agency } from '../identity/entities/agency.entity';
import { User } from '../identity/entities/user.entity';
import { Document } from '../documents/entities/document.entity';

/** Cuộc họp. `version` +1 on every change (live events carry it); its row is locked by every change. */
@Entity({ tableName: 'meeting' })
@Index({ properties: ['agency', 'startsAt'] })
export class Meeting {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Agency, deleteRule: 'restrict' })
  agency!: Agency;

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Property({ type: 'datetime' })
  endsAt!: Date;

  @Property({ type: 'text', nullable: true })
  location?: string | null;

  /** DRAFT | PUBLISHED | IN_PROGRESS | ENDED | CANCELLED */
  @Property({ type: 'string', length: 12 })
  status: string = 'DRAFT';

  @ManyToOne({ entity: () => User, deleteRule: 'restrict' })
  chair!: User;

  @ManyToOne({ entity: () => User, deleteRule: 'restrict' })
  secretary!: User;

  @ManyToOne({ entity: () => User, deleteRule: 'restrict' })
  createdBy!: User;

  @Property({ type: 'integer' })
  speakingSeconds: number = 180;

  @Property({ type: 'uuid', nullable: true })
  currentItemId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  displayDocumentId?: string | null;

  @Property({ type: 'integer', nullable: true })
  displayPage?: number | null;

  @ManyToOne({ entity: () => Document, nullable: true, deleteRule: 'set null' })
  invitationDocument?: Document | null;

  @ManyToOne({ entity: () => Document, nullable: true, deleteRule: 'set null' })
  conclusionDocument?: Document | null;

  @Property({ type: 'integer' })
  version: number = 1;

  @Property({ type: 'datetime', nullable: true })
  publishedAt?: Date | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** Thành phần: an invited user (CHAIR, SECRETARY, MEMBER, GUEST) and their điểm danh. */
@Entity({ tableName: 'meeting_participant' })
@Unique({ properties: ['meeting', 'user'] })
@Index({ properties: ['user'] })
export class MeetingParticipant {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Meeting, deleteRule: 'cascade' })
  meeting!: Meeting;

  @ManyToOne({ entity: () => User, deleteRule: 'restrict' })
  user!: User;

  @Property({ type: 'string', length: 10 })
  role!: string;

  @Property({ type: 'datetime', nullable: true })
  checkedInAt?: Date | null;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'restrict' })
  checkedInBy?: User | null;
}

/** Nội dung họp. */
@Entity({ tableName: 'meeting_item' })
@Index({ properties: ['meeting'] })
export class MeetingItem {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Meeting, deleteRule: 'cascade' })
  meeting!: Meeting;

  @Property({ type: 'integer' })
  sortOrder!: number;

  @Property({ type: 'text' })
  title!: string;

  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'restrict' })
  presenter?: User | null;

  @Property({ type: 'integer', nullable: true })
  durationMinutes?: number | null;

  /** PENDING | CURRENT | CONCLUDED | PASSED */
  @Property({ type: 'string', length: 10 })
  status: string = 'PENDING';

  @Property({ type: 'text', nullable: true })
  minutes?: string | null;

  @Property({ type: 'text', nullable: true })
  conclusion?: string | null;

  @Property({ type: 'datetime', nullable: true })
  concludedAt?: Date | null;
}

/** A document of an item: an object in storage, copied from a document of the inbox/archive or uploaded. */
@Entity({ tableName: 'meeting_document' })
@Index({ properties: ['item'] })
export class MeetingDocument {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => MeetingItem, deleteRule: 'cascade' })
  item!: MeetingItem;

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'text' })
  fileName!: string;

  @Property({ type: 'text' })
  contentType!: string;

  @Property({ type: 'integer' })
  size!: number;

  @Property({ type: 'integer', nullable: true })
  pageCount?: number | null;

  @Property({ type: 'text' })
  storageKey!: string;

  @Property({ type: 'uuid', nullable: true })
  sourceDocumentId?: string | null;

  @ManyToOne({ entity: () => User, deleteRule: 'restrict' })
  addedBy!: User;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** Ghi chú cá nhân: a member's private note on a meeting document. */
@Entity({ tableName: 'meeting_note' })
@Unique({ properties: ['document', 'user'] })
export class MeetingNote {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => MeetingDocument, deleteRule: 'cascade' })
  document!: MeetingDocument;

  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: User;

  @Property({ type: 'text' })
  text!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}

/** Ý kiến trước cuộc họp on an item. */
@Entity({ tableName: 'meeting_position' })
@Unique({ properties: ['item', 'user'] })
export class MeetingPosition {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => MeetingItem, deleteRule: 'cascade' })
  item!: MeetingItem;

  @ManyToOne({ entity: () => User, deleteRule: 'restrict' })
  user!: User;

  /** AGREE | OTHER_OPINION | REQUEST_TO_SPEAK */
  @Property({ type: 'string', length: 16 })
  kind!: string;

  @Property({ type: 'text', nullable: true })
  opinion?: string | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date = new Date();
}

/** Đăng ký phát biểu. */
@Entity({ tableName: 'meeting_speaker' })
@Index({ properties: ['item'] })
export class MeetingSpeaker {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => MeetingItem, deleteRule: 'cascade' })
  item!: MeetingItem;

  @ManyToOne({ entity: () => User, deleteRule: 'restrict' })
  user!: User;

  /** WAITING | SPEAKING | DONE | WITHDRAWN */
  @Property({ type: 'string', length: 10 })
  status: string = 'WAITING';

  @Property({ type: 'integer' })
  sortOrder!: number;

  @Property({ type: 'datetime' })
  requestedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date | null;

  @Property({ type: 'integer' })
  speakingSeconds!: number;
}

/** Biểu quyết. The counters are the ballot box (no voter); for named votes the choices are also in MeetingVoteVoter. */
@Entity({ tableName: 'meeting_vote' })
@Index({ properties: ['item'] })
export class MeetingVote {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => MeetingItem, deleteRule: 'cascade' })
  item!: MeetingItem;

  @Property({ type: 'text' })
  question!: string;

  @Property({ type: 'boolean' })
  secret!: boolean;

  /** OPEN | CLOSED */
  @Property({ type: 'string', length: 8 })
  status: string = 'OPEN';

  /** Voting members when opened (chair + members). */
  @Property({ type: 'integer' })
  eligible!: number;

  @Property({ type: 'integer' })
  agree: number = 0;

  @Property({ type: 'integer' })
  disagree: number = 0;

  @Property({ type: 'integer' })
  abstain: number = 0;

  @Property({ type: 'datetime' })
  openedAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;
}

/** "Đã biểu quyết": one row per voter. `choice` only for named votes (a check constraint keeps it null for secret ones). */
@Entity({ tableName: 'meeting_vote_voter' })
export class MeetingVoteVoter {
  @ManyToOne({ entity: () => MeetingVote, primary: true, deleteRule: 'cascade' })
  vote!: MeetingVote;

  @ManyToOne({ entity: () => User, primary: true, deleteRule: 'restrict' })
  user!: User;

  @Property({ type: 'string', length: 8, nullable: true })
  choice?: string | null;
}

/** Nhiệm vụ giao tại cuộc họp (kết luận), with a deadline. */
@Entity({ tableName: 'meeting_task' })
@Index({ properties: ['assignee'] })
@Index({ properties: ['meeting'] })
export class MeetingTask {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Meeting, deleteRule: 'cascade' })
  meeting!: Meeting;

  @ManyToOne({ entity: () => MeetingItem, deleteRule: 'cascade' })
  item!: MeetingItem;

  @Property({ type: 'text' })
  title!: string;

  @ManyToOne({ entity: () => User, deleteRule: 'restrict' })
  assignee!: User;

  @Property({ type: 'date' })
  deadline!: string;

  @ManyToOne({ entity: () => User, deleteRule: 'restrict' })
  createdBy!: User;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  completedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  /** Last deadline reminder sent (UPCOMING / DUE / OVERDUE) and its day: claimed by the reminder job, once per day. */
  @Property({ type: 'string', length: 10, nullable: true })
  lastReminderKind?: string | null;

  @Property({ type: 'date', nullable: true })
  lastReminderOn?: string | null;
}

/** Lịch công tác: another engagement of the agency's leaders. */
@Entity({ tableName: 'engagement' })
@Index({ properties: ['agency', 'startsAt'] })
export class Engagement {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Agency, deleteRule: 'restrict' })
  agency!: Agency;

  @Property({ type: 'text' })
  title!: string;

  @Property({ type: 'datetime' })
  startsAt!: Date;

  @Property({ type: 'datetime' })
  endsAt!: Date;

  @Property({ type: 'text', nullable: true })
  location?: string | null;

  @Property({ type: 'json' })
  leaderIds: string[] = [];

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @ManyToOne({ entity: () => User, deleteRule: 'restrict' })
  createdBy!: User;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** A lobby display's token (only its SHA-256 is stored). */
@Entity({ tableName: 'display_token' })
export class DisplayToken {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Agency, deleteRule: 'cascade' })
  agency!: Agency;

  @Property({ type: 'text', nullable: true })
  room?: string | null;

  @Unique()
  @Property({ type: 'string', length: 64 })
  tokenHash!: string;

  @ManyToOne({ entity: () => User, deleteRule: 'restrict' })
  createdBy!: User;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;
}

export const meetingEntities = [Meeting, MeetingParticipant, MeetingItem, MeetingDocument, MeetingNote, MeetingPosition, MeetingSpeaker, MeetingVote, MeetingVoteVoter, MeetingTask, Engagement, DisplayToken];
