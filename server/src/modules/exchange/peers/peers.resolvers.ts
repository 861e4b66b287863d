/** Liên thông: the exchange directory (recipient picker) and the peer deployments (Quản trị). Thin: services.peers. */
import type { Resolvers } from '../../../graphql/generated/resolvers';

export const peersResolvers: Resolvers = {
  Query: {
    exchangeDirectory: (_p, { search }, { scope, services }) => services.peers.directory(scope, search),
    exchangePeers: async (_p, _a, { scope, services }) => {
      await services.peers.requireOperatorAdmin(scope);
      return services.peers.listPeers();
    },
    exchangeOwnCode: async (_p, _a, { scope, services }) => {
      await services.peers.requireOperatorAdmin(scope);
      return services.peers.ownCode();
    },
  },
  Mutation: {
    saveExchangePeer: (_p, { input }, { scope, services }) =>
      services.peers.savePeer(scope, { code: input.code, name: input.name ?? undefined, url: input.url, secret: input.secret, keyId: input.keyId ?? undefined }),
    setExchangePeerActive: (_p, { code, active }, { scope, services }) => services.peers.setPeerActive(scope, code, active),
    syncExchangeDirectory: async (_p, _a, { scope, services }) => {
      await services.peers.requireOperatorAdmin(scope);
      await services.peers.syncAll();
      return services.peers.listPeers();
    },
  },
};
