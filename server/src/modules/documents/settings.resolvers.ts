import type { Resolvers } from '../../graphql/generated/resolvers';
import type { ApprovalStep } from './domain';
import { addedHolidayDates } from './settings.service';

/** Cấu hình văn bản of an agency: numbering policy, approval chain, types, holidays (parent: AgencyDocumentSettings). */
export const settingsResolvers: Resolvers = {
  DocumentSettings: {
    agency: async (s, _a, ctx) => (await ctx.loaders.agency.load(s.agencyId))!,
    outgoingNumbering: (s) => s.outgoingNumbering,
    approvalChain: async (s, _a, ctx) =>
      Promise.all(
        s.approvalChain.map(async (step) =>
          step.kind === 'USER'
            ? { kind: 'USER', user: await ctx.loaders.user.load(step.userId), role: null, scope: null, label: step.label ?? null }
            : { kind: 'ROLE', user: null, role: step.role, scope: step.scope, label: step.label ?? null },
        ),
      ),
    documentTypes: (s) => s.documentTypes.filter((t) => t.active).map((t) => ({ code: t.code, name: t.name })),
    documentTypeSettings: (s) => s.documentTypes.map((t) => ({ key: t.key, code: t.code, name: t.name, category: t.category, active: t.active })),
    incomingRegisters: (s) => s.incomingRegisters,
    holidays: (s) => addedHolidayDates(s),
    holidaysOfYear: (_s, { year }, ctx) => ctx.services.documentSettings.holidaysOfYear(ctx.scope, year),
  },
  Query: {
    documentSettings: (_p, _a, ctx) => ctx.services.documentSettings.mine(ctx.scope),
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
      return ctx.services.documentSettings.update(ctx.scope, actor.agencyId, {
        outgoingNumbering: input.outgoingNumbering ?? undefined,
        approvalChain: chain,
        documentTypes: input.documentTypes?.map((t) => ({ key: t.key, code: t.code, name: t.name ?? undefined, active: t.active ?? undefined })),
        holidays: input.holidays ?? undefined,
        incomingRegisters: input.incomingRegisters ?? undefined,
      });
    },
    setHolidaysOfYear: async (_p, { year, holidays }, ctx) => {
      const actor = ctx.scope.requireActor();
      return ctx.services.documentSettings.setHolidaysOfYear(ctx.scope, actor.agencyId, year, holidays);
    },
  },
};
