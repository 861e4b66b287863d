import type { Resolvers } from '../../graphql/generated/resolvers';
import type { ApprovalStep } from './domain';
import type { AgencyDocumentSettings } from './settings.service';
import type { GraphQLContext } from '../../graphql/context';

/** The settings as the API shows them (the agency and the chain's users resolved). */
async function present(s: AgencyDocumentSettings, ctx: GraphQLContext) {
  return {
    agency: (await ctx.loaders.agency.load(s.agencyId))!,
    outgoingNumbering: s.numbering.outgoing,
    approvalChain: await Promise.all(
      s.approvalChain.map(async (step) =>
        step.kind === 'USER'
          ? { kind: 'USER', user: await ctx.loaders.user.load(step.userId), role: null, scope: null, label: step.label ?? null }
          : { kind: 'ROLE', user: null, role: step.role, scope: step.scope, label: step.label ?? null },
      ),
    ),
    documentTypes: s.documentTypes.filter((t) => t.active).map((t) => ({ code: t.code, name: t.name })),
    holidays: s.holidays,
  };
}

/** Cấu hình văn bản of an agency: numbering policy, approval chain, types, holidays. */
export const settingsResolvers: Resolvers = {
  Query: {
    documentSettings: async (_p, _a, ctx) => present(await ctx.services.documentSettings.mine(ctx.scope), ctx),
  },
  Mutation: {
    updateDocumentSettings: async (_p, { input }, ctx) => {
      const actor = ctx.scope.requireActor();
      const chain: ApprovalStep[] | null | undefined = input.resetApprovalChain
        ? null
        : input.approvalChain?.map((s) =>
            s.kind === 'USER'
              ? ({ kind: 'USER', userId: s.userId ?? '', label: s.label ?? undefined } as ApprovalStep)
              : ({ kind: s.kind, role: s.role, scope: s.scope, label: s.label ?? undefined } as ApprovalStep),
          );
      const updated = await ctx.services.documentSettings.update(ctx.scope, actor.agencyId, {
        outgoingNumbering: input.outgoingNumbering ?? undefined,
        approvalChain: chain,
        documentTypes: input.documentTypes?.map((t) => ({ key: t.key, code: t.code, name: t.name ?? undefined, active: t.active ?? undefined })),
        holidays: input.holidays ?? undefined,
      });
      return present(updated, ctx);
    },
  },
};
