/** Thin resolvers of the administration module (schema/admin.graphql): parse arguments, call the services. */
import type { Resolvers } from '../../graphql/generated/resolvers';

export const adminResolvers: Resolvers = {
  Query: {
    agencyTree: (_p, { includeInactive }, { scope, services }) => services.admin.agencyTree(scope, includeInactive),
    adminUnits: (_p, { agencyId, includeInactive }, { scope, services }) => services.admin.adminUnits(scope, agencyId, includeInactive),
    mySessions: (_p, _a, { scope, services }) => services.admin.mySessions(scope),
    userSessions: (_p, { userId }, { scope, services }) => services.admin.userSessions(scope, userId),
    auditEvents: (_p, args, { scope, services }) => services.auditLog.auditEvents(scope, args),
  },
  Mutation: {
    createAgency: (_p, { input }, { scope, services }) => services.admin.createAgency(scope, input),
    updateAgency: (_p, { input }, { scope, services }) => services.admin.updateAgency(scope, input),
    setAgencyActive: (_p, { input }, { scope, services }) => services.admin.setAgencyActive(scope, input),
    createUnit: (_p, { input }, { scope, services }) => services.admin.createUnit(scope, input),
    updateUnit: (_p, { input }, { scope, services }) => services.admin.updateUnit(scope, input),
    setUnitActive: (_p, { input }, { scope, services }) => services.admin.setUnitActive(scope, input),
    updateUser: (_p, { input }, { scope, services }) => services.admin.updateUser(scope, input),
    setUserActive: (_p, { input }, { scope, services }) => services.admin.setUserActive(scope, input),
    resetPassword: (_p, { input }, { scope, services }) => services.admin.resetPassword(scope, input),
    changePassword: (_p, { input }, { scope, services }) => services.admin.changePassword(scope, input),
    endSession: (_p, { id }, { scope, services }) => services.admin.endSession(scope, id),
    endOtherSessions: (_p, _a, { scope, services }) => services.admin.endOtherSessions(scope),
    endUserSessions: (_p, { userId }, { scope, services }) => services.admin.endUserSessions(scope, userId),
    exportAuditEvents: (_p, args, { scope, services }) => services.auditLog.exportAuditEvents(scope, args),
  },
  Session: {
    current: (s, _a, { scope }) => s.id === scope.actor?.sessionId,
  },
  AuditEvent: {
    actor: (e, _a, { loaders }) => (e.actorId ? loaders.user.load(e.actorId) : null),
    agency: (e, _a, { loaders }) => (e.agencyId ? loaders.agency.load(e.agencyId) : null),
    targetLabel: async (e, _a, { loaders }) => {
      if (!e.targetId) return null;
      switch (e.targetType) {
        case 'user': {
          const u = await loaders.user.load(e.targetId);
          return u ? `${u.fullName} (${u.username})` : null;
        }
        case 'unit':
          return (await loaders.unit.load(e.targetId))?.name ?? null;
        case 'agency':
          return (await loaders.agency.load(e.targetId))?.name ?? null;
        default:
          return null;
      }
    },
  },
};
