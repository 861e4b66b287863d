import DataLoader from 'dataloader';
import type { GraphQLContext } from '../../graphql/context';
import type { Resolvers } from '../../graphql/generated/resolvers';
import type { Loaders } from '../../graphql/loaders';
import { ArchiveRecord } from './records.entities';
import { EMPTY_STATS, recordStats, type RecordStats } from './records.service';
import { recordReport } from './records.reports';

/** Per-request loaders of this module (kept beside the shared ones, keyed by them). */
const perRequest = new WeakMap<Loaders, { stats: DataLoader<string, RecordStats>; record: DataLoader<string, ArchiveRecord | null> }>();

function loadersOf(ctx: GraphQLContext) {
  let l = perRequest.get(ctx.loaders);
  if (!l) {
    const em = ctx.scope.em;
    l = {
      stats: new DataLoader<string, RecordStats>(async (ids) => {
        const m = await recordStats(em, ids);
        return ids.map((id) => m.get(id) ?? EMPTY_STATS);
      }),
      record: new DataLoader<string, ArchiveRecord | null>(async (ids) => {
        const rows = await em.find(ArchiveRecord, { id: { $in: [...ids] } }, { populate: ['agency'] });
        const m = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => m.get(id) ?? null);
      }),
    };
    perRequest.set(ctx.loaders, l);
  }
  return l;
}

const dateOf = (d: Date | null | undefined) => d ?? null;

export const recordsResolvers: Resolvers = {
  Query: {
    records: (_p, args, { scope, services }) => services.records.list(scope, args),
    record: (_p, { id }, { scope, services }) => services.records.get(scope, id),
    retentionItems: (_p, _a, { scope, services }) => services.records.retentionItems(scope),
    canEditRetentionTable: (_p, _a, { scope, services }) => services.records.canEditRetentionTable(scope),
    openRecords: (_p, { year }, { scope, services }) => services.records.openRecords(scope, year),
    recordReport: (_p, args, { scope, services }) => recordReport(services, services.records, scope, args),
  },
  Mutation: {
    createRecord: (_p, { input }, { scope, services }) => services.records.create(scope, input),
    fileDocument: (_p, { recordId, documentId }, { scope, services }) => services.records.fileDocument(scope, recordId, documentId),
    unfileDocument: (_p, { recordId, documentId }, { scope, services }) => services.records.unfileDocument(scope, recordId, documentId),
    closeRecord: (_p, { id }, { scope, services }) => services.records.close(scope, id),
    reopenRecord: (_p, { id }, { scope, services }) => services.records.reopen(scope, id),
    transferRecords: (_p, { ids, note }, { scope, services }) => services.records.transfer(scope, ids, note),
    updateArchiveMetadata: (_p, { input }, { scope, services }) => services.records.updateMetadata(scope, input),
    confirmArchiveMetadata: (_p, args, { scope, services }) => services.records.confirmMetadata(scope, args),
    placeLegalHold: (_p, { id, reason }, { scope, services }) => services.records.placeLegalHold(scope, id, reason),
    releaseLegalHold: (_p, { id, reason }, { scope, services }) => services.records.releaseLegalHold(scope, id, reason),
    extendRetention: (_p, { id, retentionYears, reason }, { scope, services }) => services.records.extendRetention(scope, id, retentionYears ?? null, reason),
    disposeRecords: (_p, { input }, { scope, services }) => services.records.dispose(scope, input),
    saveRetentionItem: (_p, { input }, { scope, services }) => services.records.saveRetentionItem(scope, input),
    deleteRetentionItem: (_p, { id }, { scope, services }) => services.records.deleteRetentionItem(scope, id),
  },
  ArchiveRecord: {
    retentionYears: (r) => r.retentionYears ?? null,
    retentionUntilYear: async (r, _a, ctx) => ctx.services.records.retentionUntil(r, await loadersOf(ctx).stats.load(r.id)),
    unit: (r, _a, ctx) => (r.unit ? ctx.loaders.unit.load(r.unit.id) : null),
    creator: (r, _a, ctx) => (r.creator ? ctx.loaders.user.load(r.creator.id) : null),
    closedAt: (r) => dateOf(r.closedAt),
    transferredAt: (r) => dateOf(r.transferredAt),
    legalHoldReason: (r) => r.legalHoldReason ?? null,
    disposedAt: (r) => dateOf(r.disposedAt),
    disposalDecision: async (r, _a, ctx) => {
      if (!r.disposal) return null;
      await ctx.scope.em.populate(r, ['disposal']);
      return r.disposal?.decisionNumber ?? null;
    },
    documentCount: async (r, _a, ctx) => (await loadersOf(ctx).stats.load(r.id)).documentCount,
    pageTotal: async (r, _a, ctx) => (await loadersOf(ctx).stats.load(r.id)).pageTotal,
    documents: (r, _a, { scope, services }) => services.records.documentsOf(scope, r),
    metadata: async (r, _a, ctx) => {
      const m = r.metadata ?? {};
      const s = await loadersOf(ctx).stats.load(r.id);
      return {
        identifier: m.identifier ?? null,
        organId: m.organId ?? null,
        rights: m.rights ?? null,
        language: m.language ?? null,
        startDate: m.startDate ?? s.firstDate,
        endDate: m.endDate ?? s.lastDate,
        inforSign: m.inforSign ?? null,
        keyword: m.keyword ?? null,
        format: m.format ?? null,
        description: m.description ?? null,
      };
    },
    allowedActions: async (r, _a, ctx) => ctx.services.records.allowedActions(ctx.scope, r, await loadersOf(ctx).stats.load(r.id)),
  },
  RecordTransfer: {
    records: (t, _a, { scope }) => scope.em.find(ArchiveRecord, { transfer: t.id }, { orderBy: { year: 'asc', fileNotation: 'asc' }, populate: ['agency'] }),
  },
  RecordDisposal: {
    note: (d) => d.note ?? null,
    records: (d, _a, { scope }) => scope.em.find(ArchiveRecord, { disposal: d.id }, { orderBy: { year: 'asc', fileNotation: 'asc' }, populate: ['agency'] }),
  },
  RetentionItem: {
    years: (i) => i.years ?? null,
    agencyOwned: (i) => i.agency != null,
  },
  Document: {
    record: (d, _a, ctx) => (d.record ? loadersOf(ctx).record.load(d.record.id) : null),
    recordOrder: (d) => d.recordOrder ?? null,
    archivedAt: (d) => dateOf(d.archivedAt),
    metadataUnverified: (d) => d.metadataUnverified,
    canEditArchiveMetadata: (d, _a, { scope, services }) => services.records.canEditDocumentMetadata(scope, d),
    recordActions: (d, _a, { scope, services }) => services.records.documentRecordActions(scope, d),
    archiveMetadata: async (d, _a, ctx) => {
      if (!d.archivedAt && !d.record) return null;
      const m = d.archiveMetadata ?? {};
      const r = d.record ? await loadersOf(ctx).record.load(d.record.id) : null;
      const fileCode = r?.fileCode ?? null;
      return {
        fileCode,
        docOrdinal: d.recordOrder ?? null,
        docCode: fileCode && d.recordOrder != null ? `${fileCode}.${String(d.recordOrder).padStart(2, '0')}` : null,
        language: m.language ?? null,
        inforSign: m.inforSign ?? null,
        keyword: m.keyword ?? null,
        mode: m.mode ?? null,
        confidenceLevel: m.confidenceLevel ?? null,
        autograph: m.autograph ?? null,
        format: m.format ?? null,
        description: m.description ?? null,
        pageCount: d.pageCount ?? null,
      };
    },
  },
};
