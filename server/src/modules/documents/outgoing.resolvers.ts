import type { Resolvers } from '../../graphql/generated/resolvers';
import type { GraphQLContext } from '../../graphql/context';
import { User } from '../identity/entities/user.entity';
import { loadVisibleDocument } from './documents.policy';
import type { Document } from './entities/document.entity';
import { authorityLabel, registerSignerLine, type SigningAuthorityMode } from './issuing/authority';
import { issuingRowLoader } from './issuing/issuing.loaders';
import { DocumentIssuing, NumberReservation } from './issuing/issuing.entities';
import { signerOf } from './issuing/signer';

/** The issuing row of an outgoing document; a transient default (not persisted) when none was written yet. */
async function issuingOf(doc: Document, ctx: GraphQLContext): Promise<DocumentIssuing | null> {
  if (doc.direction !== 'OUTGOING') return null;
  const row = await issuingRowLoader(ctx.scope.em).load(doc.id);
  if (row) return row;
  const fresh = new DocumentIssuing();
  fresh.document = doc;
  return fresh;
}

/** Văn bản đi mutations (thin: parse arguments, call the service). Document fields are resolved in documents.resolvers.ts. */
export const outgoingResolvers: Resolvers = {
  Query: {
    signingDelegations: (_p, { includeRevoked }, { scope, services }) => services.outgoing.issuing.delegations(scope, !!includeRevoked),
    numberReservations: (_p, { status, year }, { scope, services }) => services.outgoing.issuing.reservations(scope, status, year),
    paperOutgoingAllowed: (_p, _a, { scope, services }) => services.outgoing.issuing.paperOutgoingAllowed(scope),
  },
  Mutation: {
    createDraft: (_p, { input }, { scope, services }) => services.outgoing.createDraft(scope, input),
    updateDraft: (_p, { documentId, input }, { scope, services }) => services.outgoing.updateDraft(scope, documentId, input),
    submitForApproval: (_p, { documentId, comment }, { scope, services }) => services.outgoing.submitForApproval(scope, documentId, comment),
    approve: (_p, { documentId, comment }, { scope, services }) => services.outgoing.approve(scope, documentId, comment),
    reject: (_p, { documentId, reason }, { scope, services }) => services.outgoing.reject(scope, documentId, reason),
    sign: (_p, { documentId, comment, signingSessionId }, { scope, services }) => services.outgoing.sign(scope, documentId, comment, signingSessionId),
    issue: (_p, { documentId, idempotencyKey }, { scope, services }) => services.outgoing.issue(scope, documentId, idempotencyKey),
    commentOnDocument: (_p, { documentId, text }, { scope, services }) => services.outgoing.comment(scope, documentId, text),
    returnForCorrection: (_p, { documentId, reason }, { scope, services }) => services.outgoing.returnForCorrection(scope, documentId, reason),
    makeCopy: (_p, { input }, { scope, services }) => services.outgoing.issuing.makeCopy(scope, input),
    registerPaperOutgoing: (_p, { input }, { scope, services }) => services.outgoing.issuing.registerPaperOutgoing(scope, input),
    recordSigningDelegation: (_p, { input }, { scope, services }) => services.outgoing.issuing.recordDelegation(scope, input),
    revokeSigningDelegation: (_p, { id }, { scope, services }) => services.outgoing.issuing.revokeDelegation(scope, id),
  },
  Document: {
    issuing: (doc, _a, ctx) => issuingOf(doc, ctx),
  },
  DocumentIssuing: {
    signingAuthority: (row) => {
      if (!row.authorityMode) return null;
      const a = { mode: row.authorityMode as SigningAuthorityMode, collective: row.authorityCollective ?? null, principal: row.authorityPrincipal ?? null };
      return { ...a, lines: row.authorityLines ?? [], label: authorityLabel(a) };
    },
    signerLine: (row) => {
      const d = row.document;
      if (!d?.signerName && !row.authorityMode) return null;
      const a = row.authorityMode ? { mode: row.authorityMode as SigningAuthorityMode, collective: row.authorityCollective ?? null, principal: row.authorityPrincipal ?? null } : null;
      return registerSignerLine(a, d?.signerTitle, d?.signerName) || null;
    },
    legalNormative: (row) => !!row.legalNormative,
    paper: (row) => !!row.paper,
    personallySigned: (row) => !!row.personalSignedSha256,
    copyForm: (row) => (row.copyForm as 'SY' | 'SL' | 'TrS' | null) ?? null,
    copyOf: async (row, _a, { scope }) => {
      if (!row.copyOf) return null;
      try {
        return await loadVisibleDocument(scope, row.copyOf.id);
      } catch {
        return null;
      }
    },
    archiveCopies: (row) => row.archiveCopies ?? [],
    reservations: (row, _a, { scope }) => (row.document?.id ? scope.em.find(NumberReservation, { document: row.document.id }, { orderBy: { reservedAt: 'asc', id: 'asc' } }) : []),
    mySigningMethod: async (row, _a, { scope, services }) => {
      if (!scope.actor) return null;
      try {
        return await signerOf(services).hasPersonalKey(scope.em, scope.actor.userId);
      } catch {
        return null;
      }
    },
  },
  NumberReservation: {
    status: (r) => r.status,
    document: async (r, _a, { scope }) => {
      try {
        return await loadVisibleDocument(scope, r.document.id);
      } catch {
        return null;
      }
    },
  },
  SigningDelegation: {
    mode: (d) => d.mode as SigningAuthorityMode,
    delegate: (d, _a, { scope }) => scope.em.findOneOrFail(User, { id: d.delegate.id }),
  },
};
