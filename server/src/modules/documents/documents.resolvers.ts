import type { GraphQLContext } from '../../graphql/context';
import type { AssignmentAction, DocumentAction, Resolvers } from '../../graphql/generated/resolvers';
import { OCR_TYPES } from '../ocr/ocr.service';
import { VN_TIME_ZONE, allowedIncomingActions, guardIncoming, facetShowsFile, facetShowsInternal, facetShowsRecipient, isOverdue, type DocumentAccessInfo, type ViewFacet } from './domain';
import { storedCirculation } from './domain/secrecy';
import type { Document } from './entities/document.entity';
import type { DocumentFile } from './entities/document-file.entity';
import { incomingSnapshot, isOpenIncomingState } from './incoming.service';
import { allowedOutgoingActionsFor } from './outgoing.service';

/** Access facts of a document through the request's loader (one batch for a whole list). */
const accessOf = (ctx: GraphQLContext, documentId: string): Promise<DocumentAccessInfo | null> => ctx.loaders.documentAccess.load(documentId);

/** A related document (duplicateOf, replyTo) only if the caller may see it; null otherwise (never revealed). */
async function visibleRelated(ctx: GraphQLContext, ref: { id: string } | null | undefined): Promise<Document | null> {
  if (!ref) return null;
  const info = await accessOf(ctx, ref.id);
  if (!ctx.services.documents.canSee(ctx.scope, info)) return null;
  return ctx.loaders.document.load(ref.id);
}

/** What the caller sees of the document (FULL / RECIPIENT); null if nothing. */
const facetOfDoc = async (ctx: GraphQLContext, documentId: string): Promise<ViewFacet | null> => ctx.services.documents.facet(ctx.scope, await accessOf(ctx, documentId));

/** The internal handling of a document (comments, assignments, watchers): the owning agency's viewers only. */
async function internal<T>(ctx: GraphQLContext, documentId: string, load: () => Promise<T[]>): Promise<T[]> {
  const facet = await facetOfDoc(ctx, documentId);
  return facet && facetShowsInternal(facet) ? load() : [];
}

async function timeZoneOf(ctx: GraphQLContext, agencyId: string): Promise<string> {
  return (await ctx.loaders.agency.load(agencyId))?.timeZone || VN_TIME_ZONE;
}

const user = (ctx: GraphQLContext, ref: { id: string } | null | undefined) => (ref ? ctx.loaders.user.load(ref.id) : null);

async function fileUrl(ctx: GraphQLContext, f: DocumentFile, variant: 'ORIGINAL' | 'SEARCHABLE_PDF' | 'THUMBNAIL'): Promise<string | null> {
  const info = await accessOf(ctx, f.document.id);
  const ocr = variant === 'ORIGINAL' ? null : await ocrOf(ctx, f);
  return ctx.services.documents.fileUrl(ctx.scope, f, variant, info, ocr);
}

/** The digitisation of a file (ocr_result by sha256), for scans and PDFs only. */
const ocrOf = async (ctx: GraphQLContext, f: DocumentFile) => (OCR_TYPES.has(f.contentType) ? ctx.loaders.ocrBySha.load(f.sha256) : null);

/** documents resolvers (thin: parse arguments, call the service) and every field of the document read model. */
export const documentsResolvers: Resolvers = {
  Query: {
    document: async (_p, { id }, { scope, services, loaders }) => {
      const { doc, info } = await services.documents.documentWithAccess(scope, id);
      // the facts the access check just read serve every field below (no second read, one fewer tick)
      loaders.document.prime(doc.id, doc);
      loaders.documentAccess.prime(doc.id, info);
      return doc;
    },
    documentTypes: async (_p, _a, { scope, services }) => (await services.documents.documentTypes(scope)).map((t) => ({ code: t.code, name: t.name })),
  },
  Mutation: {
    registerIncoming: (_p, { input }, { scope, services }) => services.incoming.registerIncoming(scope, input),
    rejectIncoming: (_p, { documentId, reason }, { scope, services }) => services.incoming.rejectIncoming(scope, documentId, reason),
    annulRegistration: (_p, { documentId, reason }, { scope, services }) => services.incoming.annulRegistration(scope, documentId, reason),
    submitForAnnotation: (_p, { documentId, leaderId }, { scope, services }) => services.incoming.submitForAnnotation(scope, documentId, leaderId),
    annotate: (_p, { documentId, input }, { scope, services }) => services.incoming.annotate(scope, documentId, input),
    reassign: (_p, { assignmentId, userId, deadline, instruction }, { scope, services }) =>
      services.incoming.reassign(scope, assignmentId, userId, { deadline, instruction }),
    addProgress: (_p, { assignmentId, text, file }, { scope, services }) => services.incoming.addProgress(scope, assignmentId, text, file),
    completeAssignment: (_p, { assignmentId, note }, { scope, services }) => services.incoming.completeAssignment(scope, assignmentId, note),
    returnDocument: (_p, { documentId, assignmentId, reason }, { scope, services }) => services.incoming.returnDocument(scope, documentId, assignmentId, reason),
    watch: (_p, { documentId, on }, { scope, services }) => services.incoming.watch(scope, documentId, on),
  },
  Document: {
    status: (d) => d.state as never,
    direction: (d) => d.direction,
    urgency: (d) => d.urgency as never,
    secrecy: (d) => d.secrecy as never,
    // chỉ dẫn phạm vi lưu hành (domain/secrecy.ts), canonical order
    circulation: (d) => storedCirculation(d.circulation),
    receivedDate: (d) => d.receivedAt ?? null,
    issuer: async (d, _a, ctx) => {
      const agency = d.issuerAgency ? await ctx.loaders.agency.load(d.issuerAgency.id) : null;
      const name = d.issuerName ?? agency?.name ?? null;
      return name ? { name, agency } : null;
    },
    agency: async (d, _a, ctx) => (await ctx.loaders.agency.load(d.agency.id))!,
    duplicateOf: (d, _a, ctx) => visibleRelated(ctx, d.duplicateOf),
    replyTo: (d, _a, ctx) => visibleRelated(ctx, d.replyTo),
    submittedTo: (d, _a, ctx) => user(ctx, d.submittedTo),
    drafter: (d, _a, ctx) => user(ctx, d.drafter),
    signer: (d, _a, ctx) => user(ctx, d.signer ?? d.signedBy),
    drafterUnit: (d, _a, ctx) => (d.drafterUnit ? ctx.loaders.unit.load(d.drafterUnit.id) : null),
    annotation: async (d, _a, ctx) => {
      if (!d.annotatedBy && !d.annotatedAt) return null;
      const facet = await facetOfDoc(ctx, d.id);
      if (!facet || !facetShowsInternal(facet)) return null;
      const active = (await ctx.loaders.assignmentsByDocument.load(d.id)).filter((a) => a.active);
      return {
        instruction: d.instruction ?? null,
        forInfo: d.state === 'FOR_INFO' || active.length === 0,
        annotatedBy: d.annotatedBy ? await ctx.loaders.user.load(d.annotatedBy.id) : null,
        annotatedAt: d.annotatedAt ?? null,
      };
    },
    overdue: async (d, _a, ctx) => {
      if (d.direction !== 'INCOMING' || !d.deadline || !isOpenIncomingState(d.state)) return false;
      return isOverdue(d.deadline, ctx.services.clock.now(), await timeZoneOf(ctx, d.agency.id));
    },
    files: async (d, _a, ctx) => {
      const facet = await facetOfDoc(ctx, d.id);
      return facet ? (await ctx.loaders.filesByDocument.load(d.id)).filter((f) => facetShowsFile(facet, f.kind)) : [];
    },
    assignments: (d, _a, ctx) => internal(ctx, d.id, () => ctx.loaders.assignmentsByDocument.load(d.id)),
    recipients: async (d, _a, ctx) => {
      const facet = await facetOfDoc(ctx, d.id);
      const agencyId = ctx.scope.requireActor().agencyId;
      return facet ? (await ctx.loaders.recipientsByDocument.load(d.id)).filter((r) => facetShowsRecipient(facet, r.agency?.id ?? null, agencyId)) : [];
    },
    comments: (d, _a, ctx) => internal(ctx, d.id, () => ctx.loaders.commentsByDocument.load(d.id)),
    watchers: (d, _a, ctx) => internal(ctx, d.id, () => ctx.loaders.watchersByDocument.load(d.id)),
    externalRecipients: (d) => d.externalRecipients ?? [],
    history: async (d, _a, ctx) => ctx.services.documents.history(ctx.scope, d, await accessOf(ctx, d.id)),
    // Document-level actions (the per-assignment ones are on Assignment.allowedActions); none for a recipient agency.
    allowedActions: async (d, _a, ctx) => {
      const actor = ctx.scope.requireActor();
      if ((await facetOfDoc(ctx, d.id)) !== 'FULL') return [];
      if (d.archivedAt) return []; // in the archive: immutable (archive-guard.ts)
      // lấy lại / thu hồi / cập nhật / thay thế / .edxml (issue 13, exchange/business); a withdrawn record is locked
      const business = (await ctx.services.exchangeBusiness.allowedActions(ctx.scope, d)) as DocumentAction[];
      if (d.withdrawnAt) return business;
      if (d.direction === 'OUTGOING') return [...allowedOutgoingActionsFor(ctx.scope, d), ...business];
      const assignments = await ctx.loaders.assignmentsByDocument.load(d.id);
      const snapshot = incomingSnapshot(d, assignments);
      const actions = allowedIncomingActions(snapshot, actor).filter((a) => !a.assignmentId);
      const types = [...new Set(actions.map((a) => a.type as DocumentAction))];
      // Hủy vào sổ (issue 9): the văn thư's button
      if (!guardIncoming(snapshot, 'ANNUL', actor)) types.push('ANNUL');
      return [...types, ...business];
    },
  },
  DocumentFile: {
    kind: (f) => f.kind,
    size: (f) => Number(f.size),
    uploadedBy: (f, _a, ctx) => user(ctx, f.uploadedBy),
    url: async (f, _a, ctx) => (await fileUrl(ctx, f, 'ORIGINAL'))!,
    searchablePdfUrl: (f, _a, ctx) => fileUrl(ctx, f, 'SEARCHABLE_PDF'),
    thumbnailUrl: (f, _a, ctx) => fileUrl(ctx, f, 'THUMBNAIL'),
    ocrStatus: async (f, _a, ctx) => ((await ocrOf(ctx, f))?.status as 'PENDING' | 'RUNNING' | 'DONE' | 'FAILED' | undefined) ?? null,
    ocrPagesDone: async (f, _a, ctx) => (await ocrOf(ctx, f))?.pagesDone ?? null,
    ocrError: async (f, _a, ctx) => (await ocrOf(ctx, f))?.error ?? null,
    ocrFields: async (f, _a, ctx) => (await ocrOf(ctx, f))?.fields ?? null,
  },
  Assignment: {
    role: (a) => a.role,
    status: (a) => a.state as never,
    unit: (a, _x, ctx) => (a.unit ? ctx.loaders.unit.load(a.unit.id) : null),
    user: (a, _x, ctx) => user(ctx, a.user),
    assignedBy: (a, _x, ctx) => user(ctx, a.assignedBy),
    draftFile: (a, _x, ctx) => (a.draftFile ? ctx.loaders.documentFile.load(a.draftFile.id) : null),
    progress: (a, _x, ctx) => ctx.loaders.progressByAssignment.load(a.id),
    // the bút phê chain (issue 9)
    parent: async (a, _x, ctx) => (a.parent ? ((await ctx.loaders.assignmentsByDocument.load(a.document.id)).find((x) => x.id === a.parent!.id) ?? null) : null),
    children: async (a, _x, ctx) => (await ctx.loaders.assignmentsByDocument.load(a.document.id)).filter((x) => x.active && x.parent?.id === a.id),
    allowedActions: async (a, _x, ctx) => {
      const actor = ctx.scope.requireActor();
      const doc = await ctx.loaders.document.load(a.document.id);
      if (!doc || doc.direction !== 'INCOMING' || doc.archivedAt || (await facetOfDoc(ctx, doc.id)) !== 'FULL') return [];
      const assignments = await ctx.loaders.assignmentsByDocument.load(doc.id);
      const actions = allowedIncomingActions(incomingSnapshot(doc, assignments), actor).filter((x) => x.assignmentId === a.id);
      return [...new Set(actions.map((x) => x.type as AssignmentAction))];
    },
    overdue: async (a, _x, ctx) => {
      if (!a.active || !a.deadline || (a.state !== 'PENDING' && a.state !== 'IN_PROGRESS')) return false;
      const doc = await ctx.loaders.document.load(a.document.id);
      if (!doc || !isOpenIncomingState(doc.state)) return false;
      return isOverdue(a.deadline, ctx.services.clock.now(), await timeZoneOf(ctx, doc.agency.id));
    },
  },
  ProgressNote: {
    author: async (p, _x, ctx) => (await ctx.loaders.user.load(p.author.id))!,
    file: (p, _x, ctx) => (p.file ? ctx.loaders.documentFile.load(p.file.id) : null),
  },
  DocumentComment: {
    author: async (c, _x, ctx) => (await ctx.loaders.user.load(c.author.id))!,
  },
  Recipient: {
    agency: (r, _x, ctx) => (r.agency ? ctx.loaders.agency.load(r.agency.id) : null),
    status: (r) => (r.status ?? null) as never,
  },
  HistoryEvent: {
    actor: (e, _x, ctx) => (e.actorId ? ctx.loaders.user.load(e.actorId) : null),
    data: (e) => e.data ?? null,
  },
  Issuer: {
    name: (i) => i.name,
    agency: (i) => i.agency ?? null,
  },
  Annotation: {
    instruction: (a) => a.instruction ?? null,
    forInfo: (a) => a.forInfo,
    annotatedBy: (a) => a.annotatedBy ?? null,
    annotatedAt: (a) => a.annotatedAt ?? null,
  },
};
