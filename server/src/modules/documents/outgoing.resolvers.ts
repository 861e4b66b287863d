import type { Resolvers } from '../../graphql/generated/resolvers';

/** Văn bản đi mutations (thin: parse arguments, call the service). Document fields are resolved in documents.resolvers.ts. */
export const outgoingResolvers: Resolvers = {
  Mutation: {
    createDraft: (_p, { input }, { scope, services }) => services.outgoing.createDraft(scope, input),
    updateDraft: (_p, { documentId, input }, { scope, services }) => services.outgoing.updateDraft(scope, documentId, input),
    submitForApproval: (_p, { documentId, comment }, { scope, services }) => services.outgoing.submitForApproval(scope, documentId, comment),
    approve: (_p, { documentId, comment }, { scope, services }) => services.outgoing.approve(scope, documentId, comment),
    reject: (_p, { documentId, reason }, { scope, services }) => services.outgoing.reject(scope, documentId, reason),
    sign: (_p, { documentId, comment }, { scope, services }) => services.outgoing.sign(scope, documentId, comment),
    issue: (_p, { documentId, idempotencyKey }, { scope, services }) => services.outgoing.issue(scope, documentId, idempotencyKey),
    commentOnDocument: (_p, { documentId, text }, { scope, services }) => services.outgoing.comment(scope, documentId, text),
  },
};
