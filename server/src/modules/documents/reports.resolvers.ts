import type { Resolvers } from '../../graphql/generated/resolvers';

/** reports resolvers (thin: parse arguments, call the service): sổ đăng ký / phiếu giải quyết, thống kê. */
export const reportsResolvers: Resolvers = {
  Query: {
    registerReport: (_p, { kind, from, to, format, documentId, secret, registerKey }, { scope, services }) =>
      services.reports.registerReport(scope, { kind, from, to, format, documentId, secret, registerKey }),
    statistics: (_p, { agencyId, from, to }, { scope, services }) => services.statistics.statistics(scope, { agencyId, from, to }),
  },
};
