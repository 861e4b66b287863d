/**
 * How live events and mutations change graphcache beyond what normalisation does by itself.
 *
 * Normalisation already merges every `Document`, `Assignment`, `Notification` … a mutation or a subscription
 * returns into the cached entity of the same id, so an open document page follows `documentChanged` without
 * a refetch. What normalisation cannot know is list membership and counters; those are handled here, field
 * by field, instead of refetching whole pages:
 * - `inboxChanged`: the inbox lists and counts are stale (a document entered or left a box): invalidate only
 *   those fields; the mounted queries re-run them, everything else stays cached.
 * - `notificationCountChanged`: the new unread count is written straight into `unreadNotificationCount`.
 * - `markNotificationsRead`: the notification lists are invalidated (their `readAt` changed server-side).
 */
import { gql } from '@urql/core';
import type { UpdatesConfig, Cache } from '@urql/exchange-graphcache';

const UNREAD_COUNT = gql`query UnreadCountCache { unreadNotificationCount }`;

/** Invalidates every cached argument variant of `Query.<field>`. */
export function invalidateQueryField(cache: Cache, field: string): void {
  for (const f of cache.inspectFields('Query')) {
    if (f.fieldName === field) cache.invalidate('Query', f.fieldName, f.arguments ?? undefined);
  }
}

/**
 * Phòng họp (issue 11): appends the entity `value` to the list `field` of `parent` when that list is cached
 * (a live meetingEvents event later brings the whole meeting anyway; this shows the change at once).
 */
function appendToList(cache: Cache, parent: string | null, field: string, value: unknown): void {
  const key = value && typeof value === 'object' ? cache.keyOfEntity(value as { __typename: string; id: string }) : null;
  if (!parent || !key) return;
  const list = cache.resolve(parent, field);
  if (Array.isArray(list) && !(list as unknown[]).includes(key)) cache.link(parent, field, [...(list as string[]), key] as unknown as Parameters<Cache['link']>[2]);
}

/** The exchange business fields of one document (schema/exchange-business.graphql), re-read by the mounted queries. */
function invalidateDocumentExchange(cache: Cache, id: unknown): void {
  if (typeof id !== 'string') return;
  for (const field of ['businessActions', 'agencyAssignments', 'withdrawal']) cache.invalidate({ __typename: 'Document', id }, field);
}

/** Lists that a meeting's change can move it in or out of (list tabs, the work calendar). */
const MEETING_LISTS = ['meetings', 'workCalendar'];

export const cacheUpdates: UpdatesConfig = {
  Subscription: {
    // Phòng họp: each event carries the whole meeting (normalised into Meeting:<id>); only the lists and the
    // task lists it may move between need invalidating.
    meetingEvents(result, _args, cache) {
      const kind = (result as { meetingEvents?: { kind?: string } }).meetingEvents?.kind;
      if (kind === 'MEETING_UPDATED') for (const field of MEETING_LISTS) invalidateQueryField(cache, field);
      if (kind === 'TASKS_CHANGED' || kind === 'ITEM_CONCLUDED') invalidateQueryField(cache, 'meetingTasks');
    },
    inboxChanged(_result, _args, cache) {
      invalidateQueryField(cache, 'inbox');
      invalidateQueryField(cache, 'inboxCounts');
      // the search across boxes shows each result's boxes; the registers show states (and annulments)
      for (const field of ['documentSearch', 'registerEntries', 'registerBooks']) invalidateQueryField(cache, field);
    },
    // Lấy lại / thu hồi / giao cơ quan khác (issue 13): a status from another agency changed the record's business
    // rows; only those fields are re-read (DocumentPageData does not carry them).
    documentChanged(_result, args, cache) {
      invalidateDocumentExchange(cache, args.id);
    },
    notificationCountChanged(result, _args, cache) {
      const count = (result as { notificationCountChanged?: unknown }).notificationCountChanged;
      if (typeof count === 'number') cache.updateQuery({ query: UNREAD_COUNT }, () => ({ unreadNotificationCount: count }));
      invalidateQueryField(cache, 'notifications');
    },
  },
  Mutation: {
    // Phòng họp (issue 11)
    createMeeting: (_r, _a, cache) => MEETING_LISTS.forEach((f) => invalidateQueryField(cache, f)),
    updateMeeting: (_r, _a, cache) => MEETING_LISTS.forEach((f) => invalidateQueryField(cache, f)),
    publishMeeting: (_r, _a, cache) => MEETING_LISTS.forEach((f) => invalidateQueryField(cache, f)),
    cancelMeeting: (_r, _a, cache) => MEETING_LISTS.forEach((f) => invalidateQueryField(cache, f)),
    startMeeting: (_r, _a, cache) => invalidateQueryField(cache, 'meetings'),
    endMeeting: (_r, _a, cache) => invalidateQueryField(cache, 'meetings'),
    addAgendaItem(result, args, cache) {
      appendToList(cache, cache.keyOfEntity({ __typename: 'Meeting', id: args.meetingId as string }), 'agenda', result.addAgendaItem);
    },
    attachDocument(result, args, cache) {
      appendToList(cache, cache.keyOfEntity({ __typename: 'AgendaItem', id: args.itemId as string }), 'documents', result.attachDocument);
    },
    recordPosition(result, args, cache) {
      const position = cache.keyOfEntity(result.recordPosition as { __typename: string; id: string });
      if (position) cache.link({ __typename: 'AgendaItem', id: args.itemId as string }, 'myPosition', position);
    },
    requestToSpeak(result, args, cache) {
      appendToList(cache, cache.keyOfEntity({ __typename: 'Meeting', id: args.meetingId as string }), 'speakers', result.requestToSpeak);
    },
    openVote(result, args, cache) {
      const item = cache.keyOfEntity({ __typename: 'AgendaItem', id: args.itemId as string });
      appendToList(cache, item, 'votes', result.openVote);
      const meetingId = item ? cache.resolve(item, 'meetingId') : null;
      const vote = cache.keyOfEntity(result.openVote as { __typename: string; id: string });
      if (typeof meetingId === 'string' && vote) cache.link({ __typename: 'Meeting', id: meetingId }, 'openVote', vote);
    },
    draftConclusionNotice(result, args, cache) {
      const doc = cache.keyOfEntity(result.draftConclusionNotice as { __typename: string; id: string });
      if (doc) cache.link({ __typename: 'Meeting', id: args.meetingId as string }, 'conclusionDocument', doc);
      for (const field of ['inbox', 'inboxCounts']) invalidateQueryField(cache, field);
    },
    draftInvitation(result, args, cache) {
      const doc = cache.keyOfEntity(result.draftInvitation as { __typename: string; id: string });
      if (doc) cache.link({ __typename: 'Meeting', id: args.meetingId as string }, 'invitationDocument', doc);
      for (const field of ['inbox', 'inboxCounts']) invalidateQueryField(cache, field);
    },
    concludeItem: (_r, _a, cache) => invalidateQueryField(cache, 'meetingTasks'),
    // Vào sổ văn bản giấy (issue 12): a new number in the outgoing register.
    registerPaperOutgoing: (_r, _a, cache) => ['registerEntries', 'registerBooks', 'documentSearch'].forEach((f) => invalidateQueryField(cache, f)),
    assignMeetingTask: (_r, _a, cache) => invalidateQueryField(cache, 'meetingTasks'),
    completeMeetingTask: (_r, _a, cache) => invalidateQueryField(cache, 'meetingTasks'),
    createEngagement: (_r, _a, cache) => invalidateQueryField(cache, 'workCalendar'),
    updateEngagement: (_r, _a, cache) => invalidateQueryField(cache, 'workCalendar'),
    deleteEngagement: (_r, _a, cache) => invalidateQueryField(cache, 'workCalendar'),
    issueDisplayToken: (_r, _a, cache) => invalidateQueryField(cache, 'displayTokens'),
    revokeDisplayToken: (_r, _a, cache) => invalidateQueryField(cache, 'displayTokens'),
    markNotificationsRead(_result, _args, cache) {
      invalidateQueryField(cache, 'notifications');
    },
    // Vào sổ / từ chối nhận: a new number in the registers, the document leaves "chờ vào sổ".
    registerIncoming(_result, _args, cache) {
      for (const field of ['inbox', 'inboxCounts', 'registerEntries', 'registerBooks']) invalidateQueryField(cache, field);
    },
    rejectIncoming(_result, _args, cache) {
      for (const field of ['inbox', 'inboxCounts']) invalidateQueryField(cache, field);
    },
    // Bút phê naming other agencies (issue 13): the agency list of the document is re-read.
    annotate(_result, args, cache) {
      invalidateDocumentExchange(cache, args.documentId);
    },
    // Nhập tệp .edxml (issue 13): the document arrives in "chờ vào sổ".
    importEdxml(_result, _args, cache) {
      for (const field of ['inbox', 'inboxCounts']) invalidateQueryField(cache, field);
    },
  },
};
