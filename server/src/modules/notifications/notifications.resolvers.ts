/**
 * Thông báo (the bell): thin resolvers over NotificationsService. A notification links its document (or meeting) only
 * while the caller may still see it (the documents access rule, through the request's loaders); the live count re-checks the session for
 * every event (realtime.ts guardedStream) and re-reads the count as the user is now.
 */
import type { NotificationKind, Resolvers } from '../../graphql/generated/resolvers';
import { viewerOf } from '../documents/documents.policy';
import { accessGrant } from '../documents/domain/access';
import type { Notification } from '../documents/entities/misc.entities';
import { guardedStream, withCatchUp } from '../documents/realtime';
import { AppError } from '../../shared/errors';

const KINDS: ReadonlySet<string> = new Set<NotificationKind>([
  'DOCUMENT_ARRIVED',
  'DOCUMENT_SUBMITTED',
  'DOCUMENT_ASSIGNED',
  'DOCUMENT_WATCH',
  'DOCUMENT_COMPLETED',
  'DOCUMENT_RETURNED',
  'DOCUMENT_ANNULLED',
  'DOCUMENT_REJECTED_BY_RECIPIENT',
  'DOCUMENT_RECALL_REQUESTED',
  'DOCUMENT_RECALL_ACCEPTED',
  'DOCUMENT_RECALL_REFUSED',
  'DOCUMENT_BUSINESS_RECEIVED',
  'DRAFT_RETURNED',
  'DOCUMENT_ISSUED',
  'APPROVAL_REQUESTED',
  'SIGN_REQUESTED',
  'ISSUE_REQUESTED',
  'DEADLINE_UPCOMING',
  'DEADLINE_DUE',
  'DEADLINE_OVERDUE',
  'MEETING_INVITED',
  'MEETING_CHANGED',
  'MEETING_CANCELLED',
  'MEETING_VOTE_OPENED',
  'MEETING_TASK_ASSIGNED',
  'MEETING_TASK_UPCOMING',
  'MEETING_TASK_DUE',
  'MEETING_TASK_OVERDUE',
]);

export const notificationKind = (kind: string): NotificationKind => (KINDS.has(kind) ? (kind as NotificationKind) : 'OTHER');

export const notificationsResolvers: Resolvers = {
  Query: {
    notifications: (_p, args, { scope, services }) => services.notifications.notifications(scope, args),
    unreadNotificationCount: (_p, _a, { scope, services }) => services.notifications.unreadCount(scope),
  },
  Mutation: {
    markNotificationsRead: (_p, args, { scope, services }) => services.notifications.markRead(scope, args),
  },
  Subscription: {
    notificationCountChanged: {
      subscribe: (_p, _a, { scope, services }) => {
        const actor = scope.requireActor();
        // After a lost LISTEN connection: one synthetic event, so the client gets the count as it is now.
        const source = withCatchUp(services.pubsub.subscribe('notificationsChanged', actor.userId), services, () => ({ userId: actor.userId }));
        return guardedStream(source, scope, services, async (fresh) => services.notifications.unreadCount(fresh));
      },
      resolve: (count: number) => count,
    },
  },
  Notification: {
    kind: (n) => notificationKind(n.kind),
    // Through the request's loaders: a page of notifications costs two queries, not two per row.
    document: async (n: Notification, _a, { scope, loaders }) => {
      if (!n.document) return null;
      const [doc, access] = await Promise.all([loaders.document.load(n.document.id), loaders.documentAccess.load(n.document.id)]);
      if (!doc || !access) return null;
      return accessGrant(viewerOf(scope.requireActor()), access) ? doc : null;
    },
    // A meeting notification links the meeting while the caller may see it (a removed participant: no link).
    meeting: async (n: Notification, _a, { scope, services }) => {
      if (!n.meeting) return null;
      try {
        return await services.meetings.view(scope, n.meeting.id);
      } catch (e) {
        if (e instanceof AppError && e.code === 'NOT_FOUND') return null;
        throw e;
      }
    },
  },
};
