import type { GraphQLContext } from '../../graphql/context';
import type { Resolvers } from '../../graphql/generated/resolvers';
import { Scope } from '../../shared/scope';
import { loadVisibleDocument } from './documents.policy';

/** Live updates (SSE). Authorised at subscribe time like queries, and again for every event. */
export const realtimeResolvers: Resolvers = {
  Subscription: {
    inboxChanged: {
      subscribe: (_p, _a, { scope, services }) => {
        const actor = scope.requireActor();
        return services.pubsub.subscribe('inboxChanged', actor.agencyId);
      },
      resolve: (payload: { documentId: string | null }) => ({ documentId: payload.documentId }),
    },
    documentChanged: {
      subscribe: async (_p, { id }, { scope, services }) => {
        // NOT_FOUND for documents the caller may not see, exactly like Query.document.
        await loadVisibleDocument(scope, id);
        return services.pubsub.subscribe('documentChanged', id);
      },
      // Each event is re-read in a fresh unit of work, with the access check again (rights may have changed).
      resolve: async (payload: { documentId: string }, _a: unknown, { scope, services }: GraphQLContext) =>
        loadVisibleDocument(new Scope(services.orm.em.fork(), scope.actor, scope.meta), payload.documentId),
    },
  },
};
