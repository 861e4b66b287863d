/** Thin resolvers of schema/exchange-business.graphql (business.service.ts, edxml-files.ts). */
import type { GraphQLContext } from '../../../graphql/context';
import type { Resolvers } from '../../../graphql/generated/resolvers';
import type { Document } from '../../documents/entities/document.entity';
import type { FieldValues } from './domain';
import { Recipient } from '../../documents/entities/misc.entities';

/** Is the caller of the record's own agency (FULL facet)? Recipient agencies see none of the business rows. */
async function ownFacet(ctx: GraphQLContext, d: Document): Promise<boolean> {
  const info = await ctx.loaders.documentAccess.load(d.id);
  return ctx.services.documents.facet(ctx.scope, info) === 'FULL';
}

export const businessResolvers: Resolvers = {
  Query: {
    edxmlImportAllowed: (_p, _a, { scope, services }) => services.edxmlFiles.importAllowed(scope),
    replacementCandidates: (_p, { documentId, search }, { scope, services }) => services.exchangeBusiness.replacementCandidates(scope, documentId, search),
  },
  Mutation: {
    requestRecall: (_p, { documentId, reason }, { scope, services }) => services.exchangeBusiness.requestRecall(scope, documentId, reason),
    answerRecall: (_p, { documentId, accept, reason }, { scope, services }) => services.exchangeBusiness.answerRecall(scope, documentId, accept, reason),
    revokeIssued: (_p, { documentId, reason }, { scope, services }) => services.exchangeBusiness.sendBusiness(scope, documentId, 'REVOKE', { reason }),
    replaceIssued: (_p, { documentId, replacementId, reason }, { scope, services }) =>
      services.exchangeBusiness.sendBusiness(scope, documentId, 'REPLACE', { reason, replacementId }),
    updateIssued: (_p, { documentId, input }, { scope, services }) => {
      const changes: FieldValues = {};
      for (const k of ['subject', 'signerName', 'signerTitle', 'pageCount', 'urgency'] as const) if (input[k] !== undefined) changes[k] = input[k];
      return services.exchangeBusiness.sendBusiness(scope, documentId, 'UPDATE', { reason: input.reason, changes });
    },
    exportEdxml: (_p, { documentId }, { scope, services }) => services.edxmlFiles.exportDocument(scope, documentId),
    importEdxml: (_p, { file }, { scope, services }) => services.edxmlFiles.importFile(scope, file),
  },
  Document: {
    withdrawal: (d) => (d.withdrawnAt && d.withdrawnKind ? { kind: d.withdrawnKind as never, at: d.withdrawnAt, note: d.withdrawnNote ?? '' } : null),
    businessActions: async (d, _a, ctx) => ((await ownFacet(ctx, d)) ? ctx.services.exchangeBusiness.actionsOf(ctx.scope, d) : []),
    agencyAssignments: async (d, _a, ctx) => ((await ownFacet(ctx, d)) ? ctx.services.exchangeBusiness.agencies.list(ctx.scope.em, d.id) : []),
  },
  AgencyAssignment: {
    role: (r) => r.role,
    state: (r) => r.state as never,
    transportState: async (r, _a, ctx) => (r.recipient ? ((await ctx.scope.em.findOne(Recipient, { id: r.recipient.id }))?.transportState ?? null) : null),
  },
  DocumentBusinessAction: {
    side: (r) => r.side,
    kind: (r) => r.kind,
    state: (r) => r.state,
    changes: (r) => (r.changes ?? []).map((c) => ({ field: c.field, from: c.from === null ? null : String(c.from), to: c.to === null ? null : String(c.to) })),
    createdBy: (r, _a, ctx) => (r.createdBy ? ctx.loaders.user.load(r.createdBy.id) : null),
    answeredBy: (r, _a, ctx) => (r.answeredBy ? ctx.loaders.user.load(r.answeredBy.id) : null),
    replacingDocument: async (r, _a, ctx) => {
      const doc = await ctx.services.exchangeBusiness.replacingOf(ctx.scope, r);
      if (!doc) return null;
      const info = await ctx.loaders.documentAccess.load(doc.id);
      return ctx.services.documents.canSee(ctx.scope, info) ? doc : null;
    },
  },
};
