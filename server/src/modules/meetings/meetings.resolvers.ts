/**
 * GraphQL of the meetings module (schema/meetings.graphql): thin resolvers over MeetingsService /
 * MeetingCalendarService / MeetingHub. Meeting, AgendaItem, Vote and MeetingDocument are views (state + viewer):
 * their per-viewer fields are computed here from the shared state, in memory.
 */
import type { Resolvers } from '../../graphql/generated/resolvers';
import type { GraphQLContext } from '../../graphql/context';
import type { User } from '../identity/entities/user.entity';
import { AppError } from '../../shared/errors';
import { loadVisibleDocument } from '../documents/documents.policy';
import { currentItem, isRunner, itemActions, meetingActions, openVoteOf, roleOf, voteActions } from './domain/access';
import { attendance, tally, votePassed } from './domain/rules';
import type { StateItem, StateParticipant, StateSpeaker, StateTask } from './domain/model';
import type { MeetingState } from './meetings.state';
import type { MeetingView } from './meetings.views';

const userOf = async (s: MeetingState, id: string, ctx: GraphQLContext): Promise<User> => s.users.get(id) ?? (await ctx.loaders.user.load(id))!;

const participantDto = async (s: MeetingState, p: StateParticipant, ctx: GraphQLContext) => {
  const user = await userOf(s, p.userId, ctx);
  return {
    id: p.id,
    user,
    role: p.role,
    attendance: p.checkedInAt ? { id: p.id, user, role: p.role, checkedInAt: p.checkedInAt, checkedInBy: await userOf(s, p.checkedInById ?? p.userId, ctx) } : null,
  };
};

const speakerDto = async (s: MeetingState, sp: StateSpeaker, ctx: GraphQLContext) => ({
  id: sp.id,
  user: await userOf(s, sp.userId, ctx),
  itemId: sp.itemId,
  status: sp.status,
  order: sp.order,
  requestedAt: sp.requestedAt,
  speakingStartedAt: sp.startedAt,
  speakingSeconds: sp.speakingSeconds,
});

const today = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const taskDto = async (v: MeetingView, t: StateTask, ctx: GraphQLContext) => ({
  id: t.id,
  meetingId: v.s.id,
  meetingTitle: v.s.title,
  itemId: t.itemId,
  title: t.title,
  assignee: await userOf(v.s, t.assigneeId, ctx),
  deadline: t.deadline,
  done: !!t.completedAt,
  overdue: !t.completedAt && t.deadline < today(),
  completedAt: t.completedAt,
  note: t.note,
  canComplete: !t.completedAt && (t.assigneeId === v.viewer.userId || isRunner(v.s, v.viewer.userId)),
});

const itemView = (v: MeetingView, item: StateItem) => ({ s: v.s, viewer: v.viewer, item });

/** Speakers of the current item: speaking, then waiting in order, then done (withdrawn left out). */
function speakersOf(item: StateItem | null): StateSpeaker[] {
  if (!item) return [];
  const rank = { SPEAKING: 0, WAITING: 1, DONE: 2, WITHDRAWN: 3 } as const;
  return item.speakers.filter((x) => x.status !== 'WITHDRAWN').sort((a, b) => rank[a.status] - rank[b.status] || a.order - b.order);
}

async function visibleDocumentOrNull(ctx: GraphQLContext, id: string | null) {
  if (!id) return null;
  try {
    return await loadVisibleDocument(ctx.scope, id);
  } catch (e) {
    if (e instanceof AppError && (e.code === 'NOT_FOUND' || e.code === 'FORBIDDEN')) return null;
    throw e;
  }
}

export const meetingsResolvers: Resolvers = {
  Query: {
    meeting: (_p, { id }, { scope, services }) => services.meetings.view(scope, id),
    meetings: (_p, args, { scope, services }) => services.meetings.list(scope, args),
    meetingReport: (_p, { meetingId, kind, format }, { scope, services }) => services.meetingCalendar.meetingReport(scope, meetingId, kind, format),
    meetingTasks: (_p, { mine, openOnly }, { scope, services }) => services.meetings.tasks(scope, { mine, openOnly }),
    workCalendar: (_p, { week }, { scope, services }) => services.meetingCalendar.workCalendar(scope, week),
    workCalendarPdf: (_p, { week }, { scope, services }) => services.meetingCalendar.workCalendarPdf(scope, week),
    displayTokens: (_p, _a, { scope, services }) => services.meetings.displayTokens(scope),
    lobbyDisplay: (_p, { token }, { scope, services }) => services.meetings.lobby(scope.em, token),
    meetingCapabilities: (_p, _a, { scope, services }) => services.meetings.capabilities(scope),
    meetingInvitees: (_p, { search, first }, { scope, services }) => services.meetings.invitees(scope, search, first),
  },
  Mutation: {
    createMeeting: (_p, { input }, { scope, services }) => services.meetings.create(scope, input),
    updateMeeting: (_p, { meetingId, input }, { scope, services }) => services.meetings.update(scope, meetingId, input),
    publishMeeting: (_p, { meetingId }, { scope, services }) => services.meetings.publishMeeting(scope, meetingId),
    cancelMeeting: (_p, { meetingId, reason }, { scope, services }) => services.meetings.cancel(scope, meetingId, reason),
    startMeeting: (_p, { meetingId }, { scope, services }) => services.meetings.start(scope, meetingId),
    endMeeting: (_p, { meetingId }, { scope, services }) => services.meetings.end(scope, meetingId),
    addAgendaItem: (_p, { meetingId, input }, { scope, services }) => services.meetings.addItem(scope, meetingId, input),
    updateAgendaItem: (_p, { itemId, input }, { scope, services }) => services.meetings.updateItem(scope, itemId, input),
    removeAgendaItem: (_p, { itemId }, { scope, services }) => services.meetings.removeItem(scope, itemId),
    moveAgendaItem: (_p, { itemId, order }, { scope, services }) => services.meetings.moveItem(scope, itemId, order),
    attachDocument: (_p, { itemId, input }, { scope, services }) => services.meetings.attachDocument(scope, itemId, input),
    removeMeetingDocument: (_p, { meetingDocumentId }, { scope, services }) => services.meetings.removeDocument(scope, meetingDocumentId),
    saveDocumentNote: (_p, { meetingDocumentId, text }, { scope, services }) => services.meetings.saveNote(scope, meetingDocumentId, text),
    recordPosition: async (_p, { itemId, input }, ctx) => {
      const { v, position } = await ctx.services.meetings.recordPosition(ctx.scope, itemId, input);
      return { ...position, user: await userOf(v.s, position.userId, ctx) };
    },
    saveMinutes: (_p, { itemId, minutes }, { scope, services }) => services.meetings.saveMinutes(scope, itemId, minutes),
    concludeItem: (_p, { itemId, input }, { scope, services }) => services.meetings.concludeItem(scope, itemId, input),
    passItemsWithoutObjection: (_p, { meetingId, itemIds }, { scope, services }) => services.meetings.passWithoutObjection(scope, meetingId, itemIds),
    checkIn: async (_p, { meetingId, userId }, ctx) => {
      const { v, participant } = await ctx.services.meetings.checkIn(ctx.scope, meetingId, userId);
      return (await participantDto(v.s, participant, ctx)).attendance!;
    },
    setCurrentItem: (_p, { meetingId, itemId, expectedItemId }, { scope, services }) => services.meetings.setCurrentItem(scope, meetingId, itemId, expectedItemId),
    showDocument: (_p, { meetingId, itemId, meetingDocumentId, page }, { scope, services }) => services.meetings.showDocument(scope, meetingId, itemId, meetingDocumentId, page),
    requestToSpeak: async (_p, { meetingId, itemId }, ctx) => {
      const { v, speaker } = await ctx.services.meetings.requestToSpeak(ctx.scope, meetingId, itemId);
      return speakerDto(v.s, speaker, ctx);
    },
    withdrawSpeaker: (_p, { speakerId }, { scope, services }) => services.meetings.withdrawSpeaker(scope, speakerId),
    moveSpeaker: (_p, { speakerId, order }, { scope, services }) => services.meetings.moveSpeaker(scope, speakerId, order),
    nextSpeaker: (_p, { meetingId, itemId }, { scope, services }) => services.meetings.nextSpeaker(scope, meetingId, itemId),
    openVote: (_p, { itemId, input }, { scope, services }) => services.meetings.openVote(scope, itemId, input),
    castVote: (_p, { voteId, choice }, { scope, services }) => services.meetings.castVote(scope, voteId, choice),
    closeVote: (_p, { voteId }, { scope, services }) => services.meetings.closeVote(scope, voteId),
    assignMeetingTask: (_p, { itemId, input }, { scope, services }) => services.meetings.assignTask(scope, itemId, input),
    completeMeetingTask: (_p, { taskId, note }, { scope, services }) => services.meetings.completeTask(scope, taskId, note),
    draftInvitation: (_p, { meetingId }, { scope, services }) => services.meetings.draftDocument(scope, meetingId, 'INVITATION'),
    draftConclusionNotice: (_p, { meetingId }, { scope, services }) => services.meetings.draftDocument(scope, meetingId, 'CONCLUSION'),
    createEngagement: (_p, { input }, { scope, services }) => services.meetingCalendar.createEngagement(scope, input),
    updateEngagement: (_p, { engagementId, input }, { scope, services }) => services.meetingCalendar.updateEngagement(scope, engagementId, input),
    deleteEngagement: (_p, { engagementId }, { scope, services }) => services.meetingCalendar.deleteEngagement(scope, engagementId),
    issueDisplayToken: (_p, { room }, { scope, services }) => services.meetings.issueDisplayToken(scope, room),
    revokeDisplayToken: (_p, { id }, { scope, services }) => services.meetings.revokeDisplayToken(scope, id),
  },
  Subscription: {
    meetingEvents: {
      subscribe: (_p, { meetingId }, { scope, services }) => services.meetingHub.subscribe(scope, meetingId) as never,
      resolve: (payload: unknown) => payload as never,
    },
    lobbyDisplayChanged: {
      subscribe: (_p, { token }, { scope, services }) => services.meetingHub.lobby(scope, token) as never,
      resolve: (payload: unknown) => payload as never,
    },
  },
  Meeting: {
    id: (v) => v.s.id,
    agency: async (v, _a, { loaders }) => (await loaders.agency.load(v.s.agencyId))!,
    title: (v) => v.s.title,
    startsAt: (v) => v.s.startsAt,
    endsAt: (v) => v.s.endsAt,
    location: (v) => v.s.location,
    status: (v) => v.s.status,
    chair: (v, _a, ctx) => userOf(v.s, v.s.chairId, ctx),
    secretary: (v, _a, ctx) => userOf(v.s, v.s.secretaryId, ctx),
    createdBy: (v, _a, ctx) => userOf(v.s, v.s.createdById, ctx),
    participants: (v, _a, ctx) => Promise.all(v.s.participants.map((p) => participantDto(v.s, p, ctx))),
    agenda: (v) => v.s.items.map((i) => itemView(v, i)),
    currentItem: (v) => {
      const i = currentItem(v.s);
      return i ? itemView(v, i) : null;
    },
    display: (v) => {
      const doc = v.s.items.flatMap((i) => i.documents).find((d) => d.id === v.s.displayDocumentId);
      return { document: doc ? { s: v.s, viewer: v.viewer, doc } : null, page: doc ? v.s.displayPage : null };
    },
    speakers: (v, _a, ctx) => Promise.all(speakersOf(currentItem(v.s)).map((sp) => speakerDto(v.s, sp, ctx))),
    speakingSeconds: (v) => v.s.speakingSeconds,
    attendance: (v) => attendance(v.s),
    openVote: (v) => {
      const vote = openVoteOf(v.s);
      return vote ? { s: v.s, viewer: v.viewer, vote } : null;
    },
    myRole: (v) => roleOf(v.s, v.viewer.userId),
    invitationDocument: (v, _a, ctx) => visibleDocumentOrNull(ctx, v.s.invitationDocumentId),
    conclusionDocument: (v, _a, ctx) => visibleDocumentOrNull(ctx, v.s.conclusionDocumentId),
    tasks: (v, _a, ctx) => Promise.all(v.s.items.flatMap((i) => i.tasks).map((t) => taskDto(v, t, ctx))),
    version: (v) => v.s.version,
    publishedAt: (v) => v.s.publishedAt,
    allowedActions: (v) => meetingActions(v.s, v.viewer),
  },
  AgendaItem: {
    id: (v) => v.item.id,
    meetingId: (v) => v.s.id,
    order: (v) => v.item.order,
    title: (v) => v.item.title,
    presenter: (v, _a, ctx) => (v.item.presenterId ? userOf(v.s, v.item.presenterId, ctx) : null),
    durationMinutes: (v) => v.item.durationMinutes,
    status: (v) => (v.item.status === 'PENDING' && v.s.currentItemId === v.item.id ? 'CURRENT' : v.item.status),
    documents: (v) => v.item.documents.map((doc) => ({ s: v.s, viewer: v.viewer, doc })),
    positions: async (v, _a, ctx) =>
      isRunner(v.s, v.viewer.userId) ? Promise.all(v.item.positions.map(async (p) => ({ ...p, user: await userOf(v.s, p.userId, ctx) }))) : null,
    positionSummary: (v) => {
      const members = v.s.participants.filter((p) => p.role === 'MEMBER').length;
      const count = (k: string) => v.item.positions.filter((p) => p.kind === k).length;
      return { agree: count('AGREE'), otherOpinion: count('OTHER_OPINION'), requestToSpeak: count('REQUEST_TO_SPEAK'), none: Math.max(0, members - v.item.positions.length) };
    },
    myPosition: async (v, _a, ctx) => {
      const p = v.item.positions.find((x) => x.userId === v.viewer.userId);
      return p ? { ...p, user: await userOf(v.s, p.userId, ctx) } : null;
    },
    minutes: (v) => v.item.minutes,
    conclusion: (v) => v.item.conclusion,
    concludedAt: (v) => v.item.concludedAt,
    votes: (v) => v.item.votes.map((vote) => ({ s: v.s, viewer: v.viewer, vote })),
    tasks: (v, _a, ctx) => Promise.all(v.item.tasks.map((t) => taskDto(v, t, ctx))),
    allowedActions: (v) => itemActions(v.s, v.item, v.viewer),
  },
  Vote: {
    id: (v) => v.vote.id,
    itemId: (v) => v.vote.itemId,
    question: (v) => v.vote.question,
    secret: (v) => v.vote.secret,
    status: (v) => v.vote.status,
    tally: (v) => tally(v.vote),
    ballots: async (v, _a, ctx) =>
      v.vote.secret ? [] : Promise.all([...v.vote.voters].filter(([, c]) => c).map(async ([userId, choice]) => ({ user: await userOf(v.s, userId, ctx), choice: choice! }))),
    hasVoted: (v) => v.vote.voters.has(v.viewer.userId),
    myChoice: (v) => (v.vote.secret ? null : (v.vote.voters.get(v.viewer.userId) ?? null)),
    passed: (v) => votePassed(v.vote),
    openedAt: (v) => v.vote.openedAt,
    closedAt: (v) => v.vote.closedAt,
    allowedActions: (v) => voteActions(v.s, v.vote, v.viewer),
  },
  MeetingDocument: {
    id: (v) => v.doc.id,
    title: (v) => v.doc.title,
    fileName: (v) => v.doc.fileName,
    contentType: (v) => v.doc.contentType,
    size: (v) => v.doc.size,
    pageCount: (v) => v.doc.pageCount,
    sourceDocumentId: (v) => v.doc.sourceDocumentId,
    url: (v, _a, { services }) => services.storage.presignedGetUrl(v.doc.storageKey, { fileName: v.doc.fileName, disposition: 'inline', expiresSeconds: 600, contentType: v.doc.contentType }),
    myNote: (v, _a, { scope, services }) => services.meetings.myNote(scope.em, v.viewer.userId, v.doc.id),
  },
};
