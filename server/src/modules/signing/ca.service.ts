/**
 * The certificate authorities this deployment runs itself (the demo issuing CA; in production possibly an
 * internal CA): every TrustAnchor row whose issuing CA key is in the keystore. For each, a real CRL
 * (RFC 5280, signed with the CA's key, thisUpdate/nextUpdate, the revoked serials, authorityKeyIdentifier,
 * cRLNumber) is kept in signing_crl: re-issued when a certificate is revoked and, on demand, once it is older
 * than REFRESH_MS (well before its nextUpdate). The revocation check consults these CRLs first
 * (revocation.ts); GET /pki/crl/<issuerKeyId>.crl publishes them for peer deployments, and certificates our
 * CA issues carry that URL as their CRL distribution point.
 */
import { X509Certificate } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Services } from '../../services';
import { AppError } from '../../shared/errors';
import { logger } from '../../shared/logger';
import { Scope, type Tx } from '../../shared/scope';
import { issueCrl, pemToDers, serialHex, subjectKeyId, type CaMaterial } from './crypto/certificates';
import type { KeyStore } from './keystore';
import { revocationReasonProblem } from '../../../../schema/validation/certificate-revocation';
import { canManageAgencyCredential } from './signing.policy';
import { RevokedCertificate, SigningCredential, SigningCrl, TrustAnchor } from './signing.entities';

/** A CRL is valid 7 days and re-issued once it is a day old. */
export const CRL_VALIDITY_MS = 7 * 24 * 3600_000;
export const CRL_REFRESH_MS = 24 * 3600_000;

export interface OperatedCa {
  keyId: string;
  name: string;
  material: CaMaterial;
}

const badInput = (message: string, field: string) => new AppError('BAD_USER_INPUT', message, { field });

/** The URL where the CRL of the CA with key id `keyId` is published. */
export function crlUrlFor(publicUrl: string, keyId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/pki/crl/${keyId}.crl`;
}

export class LocalCertificateAuthority {
  private lookedAt = 0;

  constructor(
    private readonly services: Services,
    private readonly keystore: KeyStore,
  ) {}

  crlUrl(keyId: string): string {
    return crlUrlFor(this.services.config.publicUrl, keyId);
  }

  /** The CAs whose key this deployment holds. */
  async operated(em: EntityManager): Promise<OperatedCa[]> {
    const rows = await em.find(TrustAnchor, { issuingCertificatePem: { $ne: null } }, { populate: ['issuingKeyEncrypted'] });
    const out: OperatedCa[] = [];
    for (const r of rows) {
      if (!r.issuingCertificatePem || !r.issuingKeyEncrypted) continue;
      const [certDer] = pemToDers(r.issuingCertificatePem);
      out.push({
        keyId: subjectKeyId(certDer),
        name: new X509Certificate(certDer).subject,
        material: { certDer, privateKeyPem: this.keystore.open(r.issuingKeyEncrypted).toString() },
      });
    }
    return out;
  }

  /** Issues `ca`'s CRL now (revoked serials from signing_revoked_certificate) and stores it. */
  async reissue(tx: Tx, ca: OperatedCa, reason: 'REVOCATION' | 'REFRESH', now = new Date()): Promise<SigningCrl> {
    const revoked = await tx.em.find(RevokedCertificate, { issuerKeyId: ca.keyId }, { orderBy: { revokedAt: 'asc' } });
    const prev = await tx.em.findOne(SigningCrl, { issuerKeyId: ca.keyId });
    const number = (prev?.crlNumber ?? 0) + 1;
    const nextUpdate = new Date(now.getTime() + CRL_VALIDITY_MS);
    const der = issueCrl(ca.material, { revoked: revoked.map((r) => ({ serial: r.serialNumber, revokedAt: r.revokedAt })), thisUpdate: now, nextUpdate, number });
    const row = prev ?? tx.em.create(SigningCrl, { issuerKeyId: ca.keyId, issuerName: ca.name, crlNumber: number, thisUpdate: now, nextUpdate, der });
    Object.assign(row, { issuerName: ca.name, crlNumber: number, thisUpdate: now, nextUpdate, der });
    tx.audit({ action: 'signing.crl_issue', targetType: 'signing_crl', targetId: null, agencyId: null, data: { issuerKeyId: ca.keyId, crlNumber: number, revoked: revoked.length, reason } });
    return row;
  }

  /** Re-issues (as the system) the CRLs of our CAs that are missing or older than CRL_REFRESH_MS. */
  async refreshDue(now = new Date()): Promise<void> {
    const em = this.services.orm.em.fork();
    const cas = await this.operated(em);
    if (!cas.length) return;
    const rows = await em.find(SigningCrl, { issuerKeyId: { $in: cas.map((c) => c.keyId) } });
    const due = cas.filter((c) => {
      const r = rows.find((x) => x.issuerKeyId === c.keyId);
      return !r || now.getTime() - r.thisUpdate.getTime() >= CRL_REFRESH_MS || r.nextUpdate <= now;
    });
    if (!due.length) return;
    await new Scope(this.services.orm.em.fork(), null).transaction(async (tx) => {
      for (const c of due) await this.reissue(tx, c, 'REFRESH', now);
    });
  }

  /** Every CRL held locally (DER), fresh ones for the CAs we run: what the revocation check consults first. */
  async crls(em: EntityManager): Promise<Buffer[]> {
    const rows = await em.find(SigningCrl, {});
    const now = Date.now();
    // A row is due once it is older than CRL_REFRESH_MS (the root's long-lived ARL never is); a CA without a
    // CRL yet is found by the periodic look at the CAs we run (at most once a minute).
    const stale = rows.some((r) => r.nextUpdate.getTime() - now < CRL_VALIDITY_MS - CRL_REFRESH_MS);
    if (stale || now - this.lookedAt > 60_000) {
      this.lookedAt = now;
      try {
        await this.refreshDue();
      } catch (e) {
        // Verification goes on with the CRLs held (a stale one simply gives NOT_CHECKED).
        logger.warn({ err: e }, 'signing: cannot re-issue the local CRLs');
      }
      return (await this.services.orm.em.fork().find(SigningCrl, {})).map((r) => Buffer.from(r.der));
    }
    return rows.map((r) => Buffer.from(r.der));
  }

  /** The published CRL of the CA with key id `keyId` (fresh), or null. */
  async crlOf(keyId: string): Promise<Buffer | null> {
    if (!/^[0-9a-f]{8,64}$/.test(keyId)) return null;
    await this.crls(this.services.orm.em.fork());
    const row = await this.services.orm.em.fork().findOne(SigningCrl, { issuerKeyId: keyId });
    return row ? Buffer.from(row.der) : null;
  }

  /** The certificates of the CAs whose key this deployment holds (no key opened): who issued what. */
  async operatedIssuers(em: EntityManager): Promise<{ keyId: string; cert: X509Certificate }[]> {
    const rows = await em.find(TrustAnchor, { issuingCertificatePem: { $ne: null } });
    return rows.flatMap((r) => {
      const [der] = r.issuingCertificatePem ? pemToDers(r.issuingCertificatePem) : [];
      return der ? [{ keyId: subjectKeyId(der), cert: new X509Certificate(der) }] : [];
    });
  }

  /** The key id of the CA we run that issued `c`, or null (a certificate of an outside CA: it revokes it). */
  issuerOf(c: Pick<SigningCredential, 'certificatePem'>, issuers: readonly { keyId: string; cert: X509Certificate }[]): string | null {
    const [leaf] = pemToDers(c.certificatePem);
    if (!leaf) return null;
    const x = new X509Certificate(leaf);
    return issuers.find((i) => x.checkIssued(i.cert) && x.verify(i.cert.publicKey))?.keyId ?? null;
  }

  /** The revocations recorded for these credentials, by credential id. */
  async revocationsOf(em: EntityManager, credentialIds: readonly string[]): Promise<Map<string, RevokedCertificate>> {
    if (!credentialIds.length) return new Map();
    const rows = await em.find(RevokedCertificate, { credentialId: { $in: [...credentialIds] } });
    return new Map(rows.map((r) => [r.credentialId as string, r]));
  }

  /**
   * A credential by its id or by its certificate's serial number (hex, colons and leading zeros ignored), for the
   * operator's CLI. NOT_FOUND, or BAD_USER_INPUT when a serial names several certificates.
   */
  async findCredential(em: EntityManager, idOrSerial: string): Promise<SigningCredential> {
    const key = idOrSerial.trim();
    if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(key)) {
      const c = await em.findOne(SigningCredential, { id: key }, { populate: ['agency', 'user'] });
      if (c) return c;
    }
    const serial = key.replace(/[:\s]/g, '').toUpperCase().replace(/^0+/, '');
    if (!/^[0-9A-F]+$/.test(serial)) throw new AppError('NOT_FOUND', `Không tìm thấy chứng thư số "${key}".`);
    const rows = await em.getConnection().execute<{ id: string }[]>("select id from signing_credential where ltrim(upper(serial_number), '0') = ?", [serial]);
    if (!rows.length) throw new AppError('NOT_FOUND', `Không tìm thấy chứng thư số "${key}".`);
    if (rows.length > 1) throw badInput(`Số hiệu ${serial} ứng với ${rows.length} chứng thư số: hãy dùng mã (id) của chứng thư.`, 'id');
    return em.findOneOrFail(SigningCredential, { id: rows[0].id }, { populate: ['agency', 'user'] });
  }

  /**
   * Thu hồi: revokes a certificate our CA issued (quản trị of the credential's agency). The credential is
   * deactivated, its serial listed and the CA's CRL re-issued in the same transaction, audited.
   */
  async revokeCredential(scope: Scope, id: string, reason: string | null | undefined): Promise<SigningCredential> {
    const actor = scope.requireActor();
    const c = /^[0-9a-f-]{36}$/i.test(id) ? await scope.em.findOne(SigningCredential, { id }, { populate: ['agency'] }) : null;
    if (!c || c.agency.id !== actor.agencyId) throw new AppError('NOT_FOUND', 'Không tìm thấy chứng thư số.');
    if (!canManageAgencyCredential(actor)) throw new AppError('FORBIDDEN', 'Chỉ quản trị của cơ quan được thu hồi chứng thư số.');
    return this.revoke(scope, c, reason, 'api');
  }

  /**
   * The revocation itself, once the caller is checked: the quản trị through revokeCredential, or the operator
   * through the CLI (`npm run -s cli -- signing revoke`, a system scope: the audit event records `via: cli`).
   */
  async revoke(scope: Scope, c: SigningCredential, reason: string | null | undefined, via: 'api' | 'cli'): Promise<SigningCredential> {
    const [leaf] = pemToDers(c.certificatePem);
    const leafX = new X509Certificate(leaf);
    const cas = await this.operated(scope.em);
    const ca = cas.find((a) => {
      const x = new X509Certificate(a.material.certDer);
      return leafX.checkIssued(x) && leafX.verify(x.publicKey);
    });
    if (!ca) throw badInput('Chứng thư số này không do tổ chức chứng thực của hệ thống cấp: hãy đề nghị tổ chức đã cấp thu hồi.', 'id');
    const serial = serialHex(leaf);
    const why = reason?.trim() || null;
    const reasonProblem = revocationReasonProblem(why);
    if (reasonProblem) throw badInput(reasonProblem, 'reason');
    return scope.transaction(async (tx) => {
      const already = await tx.em.findOne(RevokedCertificate, { issuerKeyId: ca.keyId, serialNumber: serial });
      if (already) throw badInput('Chứng thư số này đã bị thu hồi.', 'id');
      const now = new Date();
      tx.em.create(RevokedCertificate, { issuerKeyId: ca.keyId, serialNumber: serial, credentialId: c.id, reason: why, revokedAt: now });
      // Through the transaction's own EntityManager: `c` may come from another one (the CLI looks it up first).
      const row = await tx.em.findOneOrFail(SigningCredential, { id: c.id });
      row.active = false;
      c.active = false;
      await tx.em.flush();
      await this.reissue(tx, ca, 'REVOCATION', now);
      tx.audit({ action: 'signing.certificate_revoke', targetType: 'signing_credential', targetId: c.id, agencyId: c.agency.id, data: { serial, issuerKeyId: ca.keyId, reason: why, via } });
      return c;
    });
  }
}
