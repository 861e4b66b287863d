/**
 * Records of the signing core (issue 12): signing credentials (agency key, personal keys or token
 * certificates), trust anchors (the demo root with its issuing CA), external signing sessions (prepare →
 * sign on a token → complete) and the cached verification result of a file's signatures.
 */
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import { newId } from '../../shared/ids';
import { Agency } from '../identity/entities/agency.entity';
import { User } from '../identity/entities/user.entity';
import { DocumentFile } from '../documents/entities/document-file.entity';
import type { FileSignature, SignatureKind } from './pdf/types';

export type CredentialSource = 'SERVER_KEY' | 'TOKEN';

/**
 * A certificate a user or an agency signs with. SERVER_KEY: the private key is held by the server as a PKCS#12
 * encrypted at rest (AES-256-GCM, keystore.ts); TOKEN: only the certificate chain (the key is on a USB token).
 */
@Entity({ tableName: 'signing_credential' })
@Index({ properties: ['agency', 'kind', 'active'] })
@Index({ properties: ['user', 'active'] })
export class SigningCredential {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => Agency, deleteRule: 'cascade' })
  agency!: Agency;

  /** Null for the agency's own credential (chữ ký số cơ quan). */
  @ManyToOne({ entity: () => User, nullable: true, deleteRule: 'cascade' })
  user?: User | null;

  @Property({ type: 'string', length: 10 })
  kind!: SignatureKind;

  @Property({ type: 'string', length: 12 })
  source!: CredentialSource;

  /** Signer certificate first, then its issuers. */
  @Property({ type: 'text' })
  certificatePem!: string;

  @Property({ type: 'text' })
  subject!: string;

  @Property({ type: 'text' })
  issuer!: string;

  @Property({ type: 'string', length: 80 })
  serialNumber!: string;

  @Property({ type: 'datetime' })
  notBefore!: Date;

  @Property({ type: 'datetime' })
  notAfter!: Date;

  /** Encrypted PKCS#12 envelope (keystore.ts); null for TOKEN. */
  @Property({ type: 'blob', nullable: true, lazy: true })
  encryptedKey?: Buffer | null;

  /** Signature image (PERSONAL, blue) or seal image (AGENCY, red): PNG with transparent background. */
  @Property({ type: 'blob', nullable: true, lazy: true })
  image?: Buffer | null;

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** A trust anchor kept in the database (the demo root); production anchors come from CONGVAN_TRUST_ANCHORS. */
@Entity({ tableName: 'signing_trust_anchor' })
export class TrustAnchor {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  certificatePem!: string;

  /** The demo issuing CA under this root (to issue demo certificates later), key encrypted as keystore.ts does. */
  @Property({ type: 'text', nullable: true })
  issuingCertificatePem?: string | null;

  @Property({ type: 'blob', nullable: true, lazy: true })
  issuingKeyEncrypted?: Buffer | null;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

export type SigningSessionStatus = 'PREPARED' | 'COMPLETED' | 'CONSUMED';

/** External signing (USB token): the prepared PDF waits here for the signature value. */
@Entity({ tableName: 'signing_session' })
@Index({ properties: ['user', 'status'] })
export class SigningSession {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @ManyToOne({ entity: () => User, deleteRule: 'cascade' })
  user!: User;

  @ManyToOne({ entity: () => DocumentFile, deleteRule: 'cascade' })
  file!: DocumentFile;

  @Property({ type: 'uuid' })
  documentId!: string;

  @Property({ type: 'string', length: 12 })
  status: SigningSessionStatus = 'PREPARED';

  @Property({ type: 'string', length: 10 })
  kind!: SignatureKind;

  /** The prepared PDF (placeholder appended); after completion the signed PDF. */
  @Property({ type: 'blob', lazy: true })
  pdf!: Buffer;

  @Property({ type: 'integer' })
  contentsOffset!: number;

  @Property({ type: 'integer' })
  contentsHexLength!: number;

  @Property({ type: 'blob' })
  signedAttributes!: Buffer;

  /** The chain the signed attributes were made for (signingCertificateV2 binds the signer certificate). */
  @Property({ type: 'text' })
  certificatePem!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  signedSha256?: string | null;

  @Property({ type: 'datetime' })
  signingTime!: Date;

  @Property({ type: 'datetime' })
  expiresAt!: Date;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** The verification result of a file's signatures, per content (sha256), computed once. */
@Entity({ tableName: 'file_signature_check' })
export class FileSignatureCheck {
  @PrimaryKey({ type: 'string', length: 64 })
  sha256!: string;

  @Property({ type: 'json' })
  signatures!: FileSignature[];

  /** SHA-256 of the trust anchors used: a changed trust store makes the entry stale. */
  @Property({ type: 'string', length: 64 })
  anchorsHash!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  checkedAt: Date = new Date();
}


/**
 * The latest CRL issued by a CA this deployment holds (the demo CA; an internal CA whose key is in the
 * keystore), or a long-lived ARL its offline root left at set-up. Keyed by the issuer's subject key identifier;
 * served at GET /pki/crl/<issuerKeyId>.crl and consulted first by the revocation check.
 */
@Entity({ tableName: 'signing_crl' })
export class SigningCrl {
  /** Subject key identifier of the issuing CA, lower-case hex. */
  @PrimaryKey({ type: 'string', length: 64 })
  issuerKeyId!: string;

  @Property({ type: 'text' })
  issuerName!: string;

  @Property({ type: 'integer' })
  crlNumber!: number;

  @Property({ type: 'datetime' })
  thisUpdate!: Date;

  @Property({ type: 'datetime' })
  nextUpdate!: Date;

  /** The CRL, DER. */
  @Property({ type: 'blob' })
  der!: Buffer;
}

/** A certificate revoked by a CA this deployment runs (thu hồi chứng thư số): listed in that CA's next CRL. */
@Entity({ tableName: 'signing_revoked_certificate' })
@Unique({ properties: ['issuerKeyId', 'serialNumber'] })
export class RevokedCertificate {
  @PrimaryKey({ type: 'uuid' })
  id: string = newId();

  @Property({ type: 'string', length: 64 })
  issuerKeyId!: string;

  /** Upper-case hex without leading zeros. */
  @Property({ type: 'string', length: 80 })
  serialNumber!: string;

  @Property({ type: 'uuid', nullable: true })
  credentialId?: string | null;

  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Property({ type: 'datetime' })
  revokedAt!: Date;
}

export const signingEntities = [SigningCredential, TrustAnchor, SigningSession, FileSignatureCheck, SigningCrl, RevokedCertificate];
