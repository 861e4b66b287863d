import type { Resolvers } from '../../graphql/generated/resolvers';

export const searchResolvers: Resolvers = {
  Query: {
    search: (_p, args, { scope, services }) => services.search.search(scope, args),
    searchHitPage: (_p, args, { scope, services }) => services.search.hitPage(scope, args),
  },
};
