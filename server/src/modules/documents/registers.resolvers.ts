import type { Resolvers } from '../../graphql/generated/resolvers';

/** Register views and the search across boxes (thin: parse arguments, call the services). */
export const registersResolvers: Resolvers = {
  Query: {
    registerEntries: (_p, { direction, year, registerKey, secret, filter, first, after }, { scope, services }) =>
      services.registers.registerEntries(scope, { direction, year, registerKey, secret, filter, first, after }),
    registerBooks: (_p, { direction }, { scope, services }) => services.registers.registerBooks(scope, direction),
    documentSearch: (_p, { search, direction, first, after }, { scope, services }) => services.inbox.search(scope, { search, direction, first, after }),
  },
};
