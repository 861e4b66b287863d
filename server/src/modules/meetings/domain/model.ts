/**
 * The meeting aggregate as plain data (no I/O): what the rules in this folder decide on, what the GraphQL
 * views read, and what one replica loads once per state version and shares between its live subscribers.
 */
export type MeetingStatus = 'DRAFT' | 'PUBLISHED' | 'IN_PROGRESS' | 'ENDED' | 'CANCELLED';
export type ParticipantRole = 'CHAIR' | 'SECRETARY' | 'MEMBER' | 'GUEST';
export type ItemStatus = 'PENDING' | 'CONCLUDED' | 'PASSED';
export type PositionKind = 'AGREE' | 'OTHER_OPINION' | 'REQUEST_TO_SPEAK';
export type VoteChoice = 'AGREE' | 'DISAGREE' | 'ABSTAIN';
export type SpeakerStatus = 'WAITING' | 'SPEAKING' | 'DONE' | 'WITHDRAWN';

export const POSITION_KINDS: readonly PositionKind[] = ['AGREE', 'OTHER_OPINION', 'REQUEST_TO_SPEAK'];
export const VOTE_CHOICES: readonly VoteChoice[] = ['AGREE', 'DISAGREE', 'ABSTAIN'];

export interface StateParticipant {
  id: string;
  userId: string;
  role: ParticipantRole;
  checkedInAt: Date | null;
  checkedInById: string | null;
}

export interface StateDocument {
  id: string;
  itemId: string;
  title: string;
  fileName: string;
  contentType: string;
  size: number;
  pageCount: number | null;
  storageKey: string;
  sourceDocumentId: string | null;
}

export interface StatePosition {
  id: string;
  userId: string;
  kind: PositionKind;
  opinion: string | null;
  updatedAt: Date;
}

export interface StateVote {
  id: string;
  itemId: string;
  question: string;
  secret: boolean;
  status: 'OPEN' | 'CLOSED';
  eligible: number;
  agree: number;
  disagree: number;
  abstain: number;
  openedAt: Date;
  closedAt: Date | null;
  /** Who has voted → their choice (named votes) or null (secret votes: never known). */
  voters: Map<string, VoteChoice | null>;
}

export interface StateSpeaker {
  id: string;
  itemId: string;
  userId: string;
  status: SpeakerStatus;
  order: number;
  requestedAt: Date;
  startedAt: Date | null;
  speakingSeconds: number;
}

export interface StateTask {
  id: string;
  itemId: string;
  title: string;
  assigneeId: string;
  deadline: string;
  completedAt: Date | null;
  note: string | null;
}

export interface StateItem {
  id: string;
  order: number;
  title: string;
  presenterId: string | null;
  durationMinutes: number | null;
  status: ItemStatus;
  minutes: string | null;
  conclusion: string | null;
  concludedAt: Date | null;
  documents: StateDocument[];
  positions: StatePosition[];
  votes: StateVote[];
  speakers: StateSpeaker[];
  tasks: StateTask[];
}

export interface MeetingCore {
  id: string;
  agencyId: string;
  title: string;
  startsAt: Date;
  endsAt: Date;
  location: string | null;
  status: MeetingStatus;
  chairId: string;
  secretaryId: string;
  createdById: string;
  speakingSeconds: number;
  currentItemId: string | null;
  displayDocumentId: string | null;
  displayPage: number | null;
  invitationDocumentId: string | null;
  conclusionDocumentId: string | null;
  version: number;
  publishedAt: Date | null;
}

export interface MeetingData extends MeetingCore {
  participants: StateParticipant[];
  items: StateItem[];
}

/** Who looks: a signed-in user (roles matter for drafting into the outgoing flow). */
export interface Viewer {
  userId: string;
  agencyId: string;
  roles: readonly string[];
}
