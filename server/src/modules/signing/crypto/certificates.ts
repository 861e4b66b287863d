/**
 * Certificates and keys: the demo CA (root → issuing CA → personal / agency certificates), PKCS#12 in and
 * out, PEM helpers, and the PERSONAL/AGENCY marker.
 *
 * RSA keys come from node:crypto (generateKeyPairSync: native, ~50 ms) — node-forge's pure-JS generation
 * takes seconds per key; node-forge then builds the X.509 certificates and the PKCS#12 files.
 */
import { promisify } from 'node:util';
import { createHash, generateKeyPair, generateKeyPairSync, randomBytes, createPrivateKey, createPublicKey, sign as cryptoSign, X509Certificate } from 'node:crypto';
import type Forge from 'node-forge';
import { nodeForge, pkijs as pkijsLib } from '../../../shared/lazy-modules';
import type * as pkijs from 'pkijs';
import type { SignatureKind } from '../pdf/types';
import { algorithm, ctx, int, oid, seq, time, tlv } from './der';

/**
 * Certificate-policy OIDs marking a certificate's profile in the demo CA (a private demo arc; a production
 * deployment maps its CAs' own policy OIDs here). Without a marker the kind is inferred (CN = O ⇒ agency).
 */
export const POLICY_OID: Record<SignatureKind, string> = {
  PERSONAL: '1.3.6.1.4.1.57264.1012.1',
  AGENCY: '1.3.6.1.4.1.57264.1012.2',
};

export function pemToDers(pem: string): Buffer[] {
  const out: Buffer[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(pem); m; m = re.exec(pem)) out.push(Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
  return out;
}

export function derToPem(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN CERTIFICATE-----\n${b64.trim()}\n-----END CERTIFICATE-----\n`;
}

/** Orders certificates signer-first (each followed by its issuer), dropping duplicates. */
export function orderChain(ders: Uint8Array[]): Buffer[] {
  const certs = ders.map((d) => ({ der: Buffer.from(d), x: new X509Certificate(Buffer.from(d)) }));
  const unique = certs.filter((c, i) => certs.findIndex((o) => o.x.fingerprint256 === c.x.fingerprint256) === i);
  if (unique.length <= 1) return unique.map((c) => c.der);
  // The leaf is the certificate that issued no other one in the list.
  const leaf = unique.find((c) => !unique.some((o) => o !== c && o.x.checkIssued(c.x))) ?? unique[0];
  const out = [leaf];
  for (let cur = leaf; out.length < unique.length; ) {
    const next = unique.find((o) => !out.includes(o) && cur.x.checkIssued(o.x));
    if (!next) break;
    out.push(next);
    cur = next;
  }
  return out.map((c) => c.der);
}

export function certificateKind(der: Uint8Array): SignatureKind {
  try {
    const cert = pkijsLib().Certificate.fromBER(new Uint8Array(der));
    const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.32');
    const policies = (ext?.parsedValue as pkijs.CertificatePolicies | undefined)?.certificatePolicies ?? [];
    if (policies.some((p) => p.policyIdentifier === POLICY_OID.AGENCY)) return 'AGENCY';
    if (policies.some((p) => p.policyIdentifier === POLICY_OID.PERSONAL)) return 'PERSONAL';
    const attr = (type: string) => (cert.subject.typesAndValues.find((t) => t.type === type)?.value.valueBlock as { value?: string } | undefined)?.value;
    const cn = attr('2.5.4.3');
    const o = attr('2.5.4.10');
    if (cn && o && cn === o) return 'AGENCY';
  } catch {
    /* unreadable → personal */
  }
  return 'PERSONAL';
}

export interface KeyAndChain {
  /** PKCS#8 PEM. */
  privateKeyPem: string;
  /** Signer first, then issuers (the root may be included). */
  chain: Buffer[];
}

const utf8 = (s: string) => s.normalize('NFC');

function subjectAttrs(s: { cn: string; o?: string; ou?: string; st?: string }): Forge.pki.CertificateField[] {
  const forge = nodeForge();
  const a: Forge.pki.CertificateField[] = [{ shortName: 'C', value: 'VN' }];
  if (s.st) a.push({ shortName: 'ST', value: utf8(s.st), valueTagClass: forge.asn1.Type.UTF8 as unknown as Forge.asn1.Class });
  if (s.o) a.push({ shortName: 'O', value: utf8(s.o), valueTagClass: forge.asn1.Type.UTF8 as unknown as Forge.asn1.Class });
  if (s.ou) a.push({ shortName: 'OU', value: utf8(s.ou), valueTagClass: forge.asn1.Type.UTF8 as unknown as Forge.asn1.Class });
  a.push({ shortName: 'CN', value: utf8(s.cn), valueTagClass: forge.asn1.Type.UTF8 as unknown as Forge.asn1.Class });
  return a;
}

/** RSA-2048 private keys (PKCS#8 PEM) generated in parallel on libuv's thread pool (the demo seed needs ~30). */
export async function generateRsaKeys(n: number): Promise<string[]> {
  const gen = promisify(generateKeyPair);
  const keys = await Promise.all(Array.from({ length: n }, () => gen('rsa', { modulusLength: 2048 })));
  return keys.map((k) => k.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
}

function newRsaKey(pem?: string): { privateKeyPem: string; forgePub: Forge.pki.rsa.PublicKey } {
  const privateKey = pem ? createPrivateKey(pem) : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const publicKey = createPublicKey(privateKey);
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forge = nodeForge();
  return {
    privateKeyPem,
    forgePub: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()) as Forge.pki.rsa.PublicKey,
  };
}

function policiesExtension(kind: SignatureKind): { id: string; critical: boolean; value: string } {
  const { asn1 } = nodeForge();
  const seq = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, [asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(POLICY_OID[kind]).getBytes())]),
  ]);
  return { id: '2.5.29.32', critical: false, value: asn1.toDer(seq).getBytes() };
}

interface IssueInput {
  subject: { cn: string; o?: string; ou?: string; st?: string };
  issuer: { cert: Forge.pki.Certificate; keyPem: string } | null;
  ca: boolean;
  kind?: SignatureKind;
  years: number;
  notBefore?: Date;
  /** A pre-generated key (PKCS#8 PEM); default: a new one. */
  keyPem?: string;
  /** CRL distribution point (http URL) written into the certificate. */
  crlUrl?: string;
}

function issue(input: IssueInput): { cert: Forge.pki.Certificate; key: ReturnType<typeof newRsaKey> } {
  const forge = nodeForge();
  const key = newRsaKey(input.keyPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = key.forgePub;
  cert.serialNumber = '01' + randomBytes(15).toString('hex');
  const nb = input.notBefore ?? new Date(Date.now() - 24 * 3600_000);
  cert.validity.notBefore = nb;
  cert.validity.notAfter = new Date(nb.getTime() + input.years * 365.25 * 24 * 3600_000);
  cert.setSubject(subjectAttrs(input.subject));
  cert.setIssuer(input.issuer ? input.issuer.cert.subject.attributes : subjectAttrs(input.subject));
  const exts: object[] = [
    { name: 'basicConstraints', cA: input.ca, critical: true, ...(input.ca && input.issuer ? { pathLenConstraint: 0 } : {}) },
    input.ca
      ? { name: 'keyUsage', critical: true, keyCertSign: true, cRLSign: true }
      : { name: 'keyUsage', critical: true, digitalSignature: true, nonRepudiation: true },
    { name: 'subjectKeyIdentifier' },
  ];
  if (input.issuer) exts.push({ name: 'authorityKeyIdentifier', keyIdentifier: input.issuer.cert.generateSubjectKeyIdentifier().getBytes() });
  if (input.kind) exts.push(policiesExtension(input.kind));
  if (input.crlUrl) exts.push({ name: 'cRLDistributionPoints', altNames: [{ type: 6, value: input.crlUrl }] });
  cert.setExtensions(exts);
  // Signed with node:crypto (native): forge's pure-JS RSA signature takes ~0.5 s per certificate.
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption;
  cert.tbsCertificate = (forge.pki as unknown as { getTBSCertificate(c: Forge.pki.Certificate): Forge.asn1.Asn1 }).getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary');
  cert.signature = cryptoSign('sha256', tbs, createPrivateKey(input.issuer ? input.issuer.keyPem : key.privateKeyPem)).toString('binary');
  return { cert, key };
}

function certDer(c: Forge.pki.Certificate): Buffer {
  const forge = nodeForge();
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(c)).getBytes(), 'binary');
}

/** A CA that can issue end-entity certificates (the demo issuing CA). */
export interface CaMaterial {
  certDer: Buffer;
  privateKeyPem: string;
}

/** The demo PKI: a root and an issuing CA. */
export function createDemoCa(name = 'Công Văn Demo', keys: string[] = []): { root: CaMaterial; issuing: CaMaterial } {
  const root = issue({ subject: { cn: `${name} Root CA`, o: `${name} PKI` }, issuer: null, ca: true, years: 40, keyPem: keys[0] });
  const issuing = issue({ subject: { cn: `${name} Issuing CA`, o: `${name} PKI` }, issuer: { cert: root.cert, keyPem: root.key.privateKeyPem }, ca: true, years: 30, keyPem: keys[1] });
  return {
    root: { certDer: certDer(root.cert), privateKeyPem: root.key.privateKeyPem },
    issuing: { certDer: certDer(issuing.cert), privateKeyPem: issuing.key.privateKeyPem },
  };
}

/** An end-entity certificate from `ca`; the chain returned is [leaf, ca, ...caChain]. */
export function issueEndEntity(
  ca: CaMaterial,
  caChain: Uint8Array[],
  input: { kind: SignatureKind; cn: string; o: string; ou?: string; st?: string; years?: number; notBefore?: Date; keyPem?: string; crlUrl?: string },
): KeyAndChain {
  const forge = nodeForge();
  const caCert = forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(ca.certDer).toString('binary')));
  // Parsed UTF8String values are raw UTF-8 bytes; forge re-encodes on write, so decode them first.
  for (const a of caCert.subject.attributes) if (a.valueTagClass === (forge.asn1.Type.UTF8 as unknown)) a.value = forge.util.decodeUtf8(String(a.value));
  const leaf = issue({
    subject: { cn: input.cn, o: input.o, ou: input.ou, st: input.st },
    issuer: { cert: caCert, keyPem: ca.privateKeyPem },
    ca: false,
    kind: input.kind,
    years: input.years ?? 3,
    notBefore: input.notBefore,
    keyPem: input.keyPem,
    crlUrl: input.crlUrl,
  });
  return { privateKeyPem: leaf.key.privateKeyPem, chain: [certDer(leaf.cert), Buffer.from(ca.certDer), ...caChain.map((c) => Buffer.from(c))] };
}

/** PKCS#12 (3DES/SHA-1 MAC: readable by OpenSSL, Windows, browsers) of a key and its chain. */
export function toPkcs12(k: KeyAndChain, password: string, friendlyName = 'congvan'): Buffer {
  const forge = nodeForge();
  const key = forge.pki.privateKeyFromPem(createPrivateKey(k.privateKeyPem).export({ type: 'pkcs1', format: 'pem' }).toString());
  const certs = k.chain.map((d) => forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(d).toString('binary'))));
  const p12 = forge.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm: '3des', friendlyName });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), 'binary');
}

/** Reads a PKCS#12: the private key and its certificate chain (signer first). Throws a Vietnamese message. */
export function fromPkcs12(p12: Uint8Array, password: string): KeyAndChain {
  const forge = nodeForge();
  let parsed: Forge.pkcs12.Pkcs12Pfx;
  try {
    parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(Buffer.from(p12).toString('binary')), false, password);
  } catch (e) {
    const msg = e instanceof Error ? e.message : '';
    if (/password|MAC/i.test(msg)) throw new Error('Mật khẩu tệp PKCS#12 không đúng.', { cause: e });
    throw new Error('Không đọc được tệp PKCS#12 (.p12/.pfx).', { cause: e });
  }
  const keyBags = [
    ...(parsed.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(parsed.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const certBags = parsed.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  const key = keyBags.find((b) => b.key)?.key;
  if (!key) throw new Error('Tệp PKCS#12 không chứa khóa bí mật.');
  const ders = certBags.filter((b) => b.cert).map((b) => certDer(b.cert as Forge.pki.Certificate));
  if (!ders.length) throw new Error('Tệp PKCS#12 không chứa chứng thư số.');
  const privateKeyPem = createPrivateKey(forge.pki.privateKeyToPem(key)).export({ type: 'pkcs8', format: 'pem' }).toString();
  // The signer is the certificate whose public key matches the private key.
  const pub = createPublicKey(createPrivateKey(privateKeyPem));
  const signerIdx = ders.findIndex((d) => {
    try {
      return new X509Certificate(d).publicKey.equals(pub);
    } catch {
      return false;
    }
  });
  if (signerIdx < 0) throw new Error('Khóa bí mật không khớp với chứng thư số trong tệp PKCS#12.');
  const rest = ders.filter((_, i) => i !== signerIdx);
  return { privateKeyPem, chain: orderChain([ders[signerIdx], ...rest]) };
}


/** Subject key identifier of a certificate (its SKI extension, else SHA-1 of the public key), lower-case hex. */
export function subjectKeyId(der: Uint8Array): string {
  const c = pkijsLib().Certificate.fromBER(new Uint8Array(der));
  const ext = c.extensions?.find((e) => e.extnID === '2.5.29.14');
  const v = ext?.parsedValue as { valueBlock?: { valueHexView?: Uint8Array } } | undefined;
  if (v?.valueBlock?.valueHexView?.length) return Buffer.from(v.valueBlock.valueHexView).toString('hex');
  return createHash('sha1').update(c.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest('hex');
}

/** A certificate serial number as upper-case hex without leading zeros (how CRL entries are compared). */
export function serialHex(der: Uint8Array): string {
  return Buffer.from(pkijsLib().Certificate.fromBER(new Uint8Array(der)).serialNumber.valueBlock.valueHexView).toString('hex').toUpperCase().replace(/^0+/, '');
}

function serialInt(hex: string): Buffer {
  let h = hex.length % 2 ? '0' + hex : hex;
  if (parseInt(h.slice(0, 2), 16) & 0x80) h = '00' + h;
  return tlv(0x02, Buffer.from(h, 'hex'));
}

/**
 * A CRL (RFC 5280 CertificateList v2) issued by `ca`, signed with SHA-256/RSA by node:crypto, with the
 * authorityKeyIdentifier (the CA's key id: how a verifier matches it to its issuer) and cRLNumber extensions.
 */
export function issueCrl(
  ca: CaMaterial,
  input: { revoked: { serial: string; revokedAt: Date }[]; thisUpdate: Date; nextUpdate: Date; number: number },
): Buffer {
  const caCert = pkijsLib().Certificate.fromBER(new Uint8Array(ca.certDer));
  const issuer = Buffer.from(caCert.subject.toSchema().toBER());
  const sigAlg = algorithm(OID_SHA256_RSA);
  const entries = input.revoked.map((r) => seq(serialInt(r.serial), time(r.revokedAt)));
  const aki = seq(oid('2.5.29.35'), tlv(0x04, seq(tlv(0x80, Buffer.from(subjectKeyId(ca.certDer), 'hex')))));
  const number = seq(oid('2.5.29.20'), tlv(0x04, int(input.number)));
  const tbs = seq(
    int(1), sigAlg, issuer, time(input.thisUpdate), time(input.nextUpdate),
    ...(entries.length ? [seq(...entries)] : []),
    ctx(0, seq(aki, number)),
  );
  const signature = cryptoSign('sha256', tbs, createPrivateKey(ca.privateKeyPem));
  return seq(tbs, sigAlg, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
}

/** A CRL listing `revoked` certificates (DER) as of `thisUpdate` (tests; the CA service uses issueCrl). */
export function createCrl(ca: CaMaterial, revoked: Uint8Array[], thisUpdate: Date, nextUpdate: Date): Buffer {
  return issueCrl(ca, { revoked: revoked.map((d) => ({ serial: serialHex(d), revokedAt: thisUpdate })), thisUpdate, nextUpdate, number: 1 });
}
const OID_SHA256_RSA = '1.2.840.113549.1.1.11';
