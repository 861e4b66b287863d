import type { Resolvers } from '../../graphql/generated/resolvers';

/** Live updates (SSE). Authorised at subscribe time like queries. */
export const realtimeResolvers: Resolvers = {
  Subscription: {
    inboxChanged: {
      subscribe: (_p, _a, { scope, services }) => {
        const actor = scope.requireActor();
        return services.pubsub.subscribe('inboxChanged', actor.agencyId);
      },
      resolve: (payload: { documentId: string | null }) => ({ documentId: payload.documentId }),
    },
  },
};
