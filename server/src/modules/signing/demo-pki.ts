/**
 * Demo step: the demo CA (root → issuing CA) as the demo trust anchor, an agency certificate with a seal
 * image for every demo agency and a personal certificate with a signature image for every demo leader
 * (LANH_DAO). Keys are sealed with the public "demo" key-encryption key (keystore.ts): demo material only.
 * Runs once in the test template (tests clone it); the RSA keys are generated natively, in parallel.
 */
import { X509Certificate } from 'node:crypto';
import type { Agency } from '../identity/entities/agency.entity';
import type { User } from '../identity/entities/user.entity';
import type { Scope } from '../../shared/scope';
import { createDemoCa, derToPem, generateRsaKeys, issueCrl, issueEndEntity, subjectKeyId, type KeyAndChain } from './crypto/certificates';
import { crlUrlFor } from './ca.service';
import { demoSealPng, demoSignaturePng } from './demo-images';
import { KeyStore } from './keystore';
import { SigningCredential, SigningCrl, TrustAnchor } from './signing.entities';

/**
 * Demo certificates live long (real ones: 1–3 years): a demo database, and tests that set the clock years ahead
 * (31/12 of a later year), must keep signing. The demo CA is not a trust anchor anywhere but the demo.
 */
const DEMO_YEARS = 25;

export const DEMO_CA_NAME = 'Công Văn Demo';

export async function seedDemoPki(scope: Scope, ctx: { agencies: Map<string, Agency>; users: Map<string, User> }): Promise<void> {
  const keystore = new KeyStore('');
  const leaders = [...ctx.users.values()].filter((u) => u.roles.includes('LANH_DAO'));
  const keys = await generateRsaKeys(2 + ctx.agencies.size + leaders.length);
  const ca = createDemoCa(DEMO_CA_NAME, keys.splice(0, 2));
  const seal = demoSealPng();
  // Certificates of the demo issuing CA name its published CRL (GET /pki/crl/<key id>.crl) as distribution point.
  const crlUrl = crlUrlFor(process.env.PUBLIC_URL ?? `http://localhost:${process.env.PORT ?? 8080}`, subjectKeyId(ca.issuing.certDer));
  // The root's key is not kept (an offline root): before it is dropped it signs a long-lived ARL stating that
  // the issuing CA is not revoked. The issuing CA's own CRL is issued by the deployment (ca.service.ts).
  const now = new Date();
  const arlNext = new Date(now.getTime() + DEMO_YEARS * 365.25 * 24 * 3600_000);
  const arl = issueCrl(ca.root, { revoked: [], thisUpdate: now, nextUpdate: arlNext, number: 1 });
  await scope.transaction(async (tx) => {
    tx.em.create(SigningCrl, { issuerKeyId: subjectKeyId(ca.root.certDer), issuerName: `CN=${DEMO_CA_NAME} Root CA`, crlNumber: 1, thisUpdate: now, nextUpdate: arlNext, der: arl });
    tx.em.create(TrustAnchor, {
      name: `${DEMO_CA_NAME} Root CA (demo)`,
      certificatePem: derToPem(ca.root.certDer),
      issuingCertificatePem: derToPem(ca.issuing.certDer),
      issuingKeyEncrypted: keystore.seal(Buffer.from(ca.issuing.privateKeyPem), 'demo'),
      createdAt: new Date(),
    });
    const credential = (k: KeyAndChain, agency: Agency, user: User | null, image: Buffer) => {
      const x = new X509Certificate(k.chain[0]);
      tx.em.create(SigningCredential, {
        agency,
        user,
        kind: user ? 'PERSONAL' : 'AGENCY',
        source: 'SERVER_KEY',
        certificatePem: k.chain.map(derToPem).join(''),
        subject: x.subject,
        issuer: x.issuer,
        serialNumber: x.serialNumber,
        notBefore: new Date(x.validFrom),
        notAfter: new Date(x.validTo),
        encryptedKey: keystore.sealKey(k, 'demo'),
        image,
        active: true,
        createdAt: new Date(),
      });
    };
    for (const agency of ctx.agencies.values()) {
      const k = issueEndEntity(ca.issuing, [ca.root.certDer], { kind: 'AGENCY', cn: agency.name, o: agency.name, st: agency.place ?? undefined, years: DEMO_YEARS, keyPem: keys.pop(), crlUrl });
      credential(k, agency, null, seal);
    }
    let n = 0;
    for (const user of leaders) {
      const k = issueEndEntity(ca.issuing, [ca.root.certDer], { kind: 'PERSONAL', cn: user.fullName, o: user.agency.name, ou: user.title ?? undefined, years: DEMO_YEARS, keyPem: keys.pop(), crlUrl });
      credential(k, user.agency, user, demoSignaturePng(++n));
    }
    tx.audit({ action: 'signing.demo_pki', targetType: 'deployment', data: { agencies: ctx.agencies.size, leaders: n } });
  });
}
