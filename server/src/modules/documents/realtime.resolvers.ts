/**
 * Live updates (SSE). Authorised at subscribe time like queries, and again for every event (realtime.ts
 * guardedStream): a logged-out subscriber's stream ends with UNAUTHENTICATED; inboxChanged tells a subscriber
 * only about documents they may see (documents.policy); documentChanged ends with NOT_FOUND when the
 * subscriber may no longer see the document.
 */
import type { Resolvers } from '../../graphql/generated/resolvers';
import { createLoaders } from '../../graphql/loaders';
import { grantFor, loadVisibleDocument } from './documents.policy';
import { Document } from './entities/document.entity';
import { guardedStream, withCatchUp } from './realtime';

export const realtimeResolvers: Resolvers = {
  Subscription: {
    inboxChanged: {
      subscribe: (_p, _a, { scope, services }) => {
        const actor = scope.requireActor();
        // After a lost LISTEN connection: one event without a document id, so the client refetches its counts.
        const source = withCatchUp(services.pubsub.subscribe('inboxChanged', actor.agencyId), services, () => ({ agencyId: actor.agencyId, documentId: null }));
        return guardedStream(source, scope, services, async (fresh, ev) => {
          // (an agency moved away from: the subscriber's inbox is elsewhere now)
          if (fresh.requireActor().agencyId !== ev.agencyId) return undefined;
          if (!ev.documentId) return { documentId: null };
          const doc = await fresh.em.findOne(Document, { id: ev.documentId });
          if (!doc || !(await grantFor(fresh.em, fresh.requireActor(), doc))) return undefined;
          return { documentId: doc.id };
        });
      },
      resolve: (payload: { documentId: string | null }) => ({ documentId: payload.documentId }),
    },
    documentChanged: {
      subscribe: async (_p, { id }, ctx) => {
        const { scope, services } = ctx;
        // NOT_FOUND for documents the caller may not see, exactly like Query.document.
        await loadVisibleDocument(scope, id);
        const source = withCatchUp(services.pubsub.subscribe('documentChanged', id), services, () => ({ documentId: id }));
        // Each event is re-read in a fresh unit of work, with the access check again (rights may have changed).
        return guardedStream(source, scope, services, async (fresh, ev) => {
          const doc = await loadVisibleDocument(fresh, ev.documentId);
          // The fields of this event resolve in the same fresh unit of work, as the actor is now: the
          // subscription's context lives as long as the stream, its loaders' caches would serve the first event's rows.
          ctx.scope = fresh;
          ctx.loaders = createLoaders(fresh.em);
          return doc;
        });
      },
      resolve: (doc: Document) => doc,
    },
  },
};
