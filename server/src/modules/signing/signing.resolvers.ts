import type { Resolvers } from '../../graphql/generated/resolvers';
import { User } from '../identity/entities/user.entity';

/** Thin resolvers of the signing module (issue 12). */
export const signingResolvers: Resolvers = {
  DocumentFile: {
    // The parent file was resolved through the document's access check.
    signatures: (file, _a, { scope, services }) => services.signing.signaturesOf(scope.em, file),
  },
  Scan: {
    // The parent scan was resolved through Query.scan (the caller's agency).
    signatures: (scan, _a, { scope, services }) => services.signing.signaturesOf(scope.em, scan),
  },
  SigningCredential: {
    hasImage: (c, _a, { scope, services }) => services.signing.credentialHasImage(scope.em, c),
    certificatesPem: (c) => c.certificatePem,
    holderName: async (c, _a, { scope }) => (c.user ? (await scope.em.findOne(User, { id: c.user.id }))?.fullName ?? null : null),
    revokedAt: async (c, _a, { scope, services }) => (await services.signing.ca.revocationsOf(scope.em, [c.id])).get(c.id)?.revokedAt ?? null,
    revocationReason: async (c, _a, { scope, services }) => (await services.signing.ca.revocationsOf(scope.em, [c.id])).get(c.id)?.reason ?? null,
    canRevoke: (c, _a, { scope, services }) => services.signing.canRevoke(scope, c),
  },
  SigningSession: {
    fileId: (s) => s.file.id,
  },
  Query: {
    mySigningCredentials: (_p, _a, { scope, services }) => services.signing.myCredentials(scope),
    agencySigningCredential: (_p, _a, { scope, services }) => services.signing.agencyCredential(scope),
    agencySigningCredentials: (_p, { includeInactive }, { scope, services }) => services.signing.agencyCredentials(scope, !!includeInactive),
  },
  Mutation: {
    revokeSigningCredential: (_p, { id, reason }, { scope, services }) => services.signing.ca.revokeCredential(scope, id, reason),
    uploadSigningCertificate: (_p, { file, password, image }, { scope, services }) => services.signing.uploadPersonal(scope, file, password, image),
    registerTokenCertificate: (_p, { certificatesPem, image }, { scope, services }) => services.signing.registerToken(scope, certificatesPem, image),
    uploadAgencySigningCertificate: (_p, { file, password, image }, { scope, services }) => services.signing.uploadAgency(scope, file, password, image),
    prepareSignature: async (_p, { fileId, certificatesPem }, { scope, services }) => {
      const { session, digest } = await services.signing.prepare(scope, fileId, certificatesPem);
      return {
        sessionId: session.id,
        digestBase64: digest.toString('base64'),
        digestAlgorithm: 'SHA-256',
        signedAttributesBase64: session.signedAttributes.toString('base64'),
        expiresAt: session.expiresAt,
      };
    },
    completeSignature: (_p, { sessionId, signatureBase64, certificatesPem }, { scope, services }) => services.signing.complete(scope, sessionId, signatureBase64, certificatesPem),
    verifyPdfSignatures: (_p, { file }, { scope, services }) => services.signing.verifyUpload(scope, file),
  },
};
