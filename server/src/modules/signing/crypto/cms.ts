/**
 * CMS SignedData (RFC 5652) for PAdES B-B / CAdES detached: building (from a signature value made
 * anywhere — server key, USB token) and parsing/verifying (ours and other tools').
 *
 * Built by hand with der.ts because the split "signed attributes → sign elsewhere → embed" needs the exact
 * DER of the signed attributes before any key is involved; node-forge's pkcs7 signs in one call with a
 * private key and cannot add signingCertificateV2; pkijs is used for parsing (it accepts BER from others).
 */
import { createHash, X509Certificate, verify as cryptoVerify, constants } from 'node:crypto';
import type * as asn1js from 'asn1js';
import type * as pkijs from 'pkijs';
import { pkijs as pkijsLib } from '../../../shared/lazy-modules';
import { algorithm, ctx, int, octets, oid, seq, setOf, time } from './der';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  rsaPss: '1.2.840.113549.1.1.10',
} as const;

const DIGEST_NAMES: Record<string, string> = {
  [OID.sha1]: 'sha1',
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
};

/** Issuer Name DER and serialNumber DER of a certificate (walking its TBSCertificate). */
export function issuerAndSerial(certDer: Uint8Array): { issuer: Buffer; serial: Buffer } {
  const cert = pkijsLib().Certificate.fromBER(new Uint8Array(certDer));
  return { issuer: Buffer.from(cert.issuer.toSchema().toBER()), serial: Buffer.from(cert.serialNumber.toBER()) };
}

const attribute = (type: string, value: Uint8Array) => seq(oid(type), setOf(value));

/**
 * Signed attributes (DER, as the SET OF that is hashed and signed): contentType = id-data, signingTime,
 * messageDigest, signingCertificateV2 (ESS, RFC 5035: SHA-256 of the signer certificate + issuerSerial).
 */
export function buildSignedAttributes(messageDigest: Uint8Array, signingTime: Date, signerCertDer: Uint8Array): Buffer {
  const { issuer, serial } = issuerAndSerial(signerCertDer);
  const certHash = createHash('sha256').update(signerCertDer).digest();
  // ESSCertIDv2 { hashAlgorithm DEFAULT sha256 (omitted), certHash, issuerSerial { GeneralNames { [4] Name }, serial } }
  const issuerSerial = seq(seq(ctx(4, issuer)), serial);
  const signingCertificateV2 = seq(seq(seq(octets(certHash), issuerSerial)));
  return setOf(
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.signingTime, time(signingTime)),
    attribute(OID.messageDigest, octets(messageDigest)),
    attribute(OID.signingCertificateV2, signingCertificateV2),
  );
}

/**
 * ContentInfo(SignedData) detached: digest SHA-256, signature algorithm rsaEncryption (PKCS#1 v1.5 over the
 * DigestInfo of SHA-256(signedAttributes) — what a token's "sign hash" produces), certificates = chain.
 */
export function buildCms(signedAttributes: Uint8Array, signatureValue: Uint8Array, chainDer: Uint8Array[]): Buffer {
  if (signedAttributes[0] !== 0x31) throw new Error('signedAttributes must be a DER SET');
  const { issuer, serial } = issuerAndSerial(chainDer[0]);
  const signedAttrsImplicit = Buffer.concat([Buffer.from([0xa0]), Buffer.from(signedAttributes.subarray(1))]);
  const signerInfo = seq(int(1), seq(issuer, serial), algorithm(OID.sha256), signedAttrsImplicit, algorithm(OID.rsaEncryption), octets(signatureValue));
  const signedData = seq(
    int(1),
    setOf(algorithm(OID.sha256)),
    seq(oid(OID.data)),
    ctx(0, ...chainDer.map((c) => Buffer.from(c))),
    setOf(signerInfo),
  );
  return seq(oid(OID.signedData), ctx(0, signedData));
}

export interface CmsCheck {
  /** Signer certificate (DER) found by the SignerIdentifier, with the other embedded certificates. */
  signerCert: Uint8Array | null;
  certificates: Uint8Array[];
  digestOk: boolean;
  signatureOk: boolean;
  signingTime: Date | null;
  hasSigningCertificateV2: boolean;
  errors: string[];
}

/** Parses a CMS SignedData and checks it against the detached content's bytes. */
export function checkCms(cmsDer: Uint8Array, content: Uint8Array[]): CmsCheck {
  const out: CmsCheck = { signerCert: null, certificates: [], digestOk: false, signatureOk: false, signingTime: null, hasSigningCertificateV2: false, errors: [] };
  let sd: pkijs.SignedData;
  try {
    const ci = pkijsLib().ContentInfo.fromBER(trimDer(cmsDer));
    if (ci.contentType !== OID.signedData) throw new Error('not SignedData');
    sd = new (pkijsLib().SignedData)({ schema: ci.content });
  } catch {
    out.errors.push('Không đọc được dữ liệu chữ ký (CMS).');
    return out;
  }
  const certs = (sd.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijsLib().Certificate);
  out.certificates = certs.map((c) => new Uint8Array(c.toSchema().toBER()));
  const si = sd.signerInfos[0];
  if (!si) {
    out.errors.push('Chữ ký không có thông tin người ký.');
    return out;
  }
  // Signer certificate: issuerAndSerialNumber or subjectKeyIdentifier.
  let signer: pkijs.Certificate | undefined;
  if (si.sid instanceof pkijsLib().IssuerAndSerialNumber) {
    const sid = si.sid;
    signer = certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber));
  } else {
    const ski = Buffer.from((si.sid as asn1js.OctetString).valueBlock.valueHexView);
    signer = certs.find((c) => {
      const ext = c.extensions?.find((e) => e.extnID === '2.5.29.14');
      return ext ? Buffer.from((ext.parsedValue as asn1js.OctetString).valueBlock.valueHexView).equals(ski) : false;
    });
  }
  if (!signer) {
    out.errors.push('Không tìm thấy chứng thư số của người ký trong chữ ký.');
    return out;
  }
  out.signerCert = new Uint8Array(signer.toSchema().toBER());

  const digestName = DIGEST_NAMES[si.digestAlgorithm.algorithmId];
  if (!digestName) {
    out.errors.push(`Thuật toán băm không hỗ trợ (${si.digestAlgorithm.algorithmId}).`);
    return out;
  }
  const h = createHash(digestName);
  for (const c of content) h.update(c);
  const contentDigest = h.digest();

  let signedBytes: Buffer;
  if (si.signedAttrs) {
    signedBytes = Buffer.from(si.signedAttrs.encodedValue);
    for (const a of si.signedAttrs.attributes) {
      if (a.type === OID.messageDigest) {
        const v = a.values[0] as asn1js.OctetString;
        out.digestOk = Buffer.from(v.valueBlock.valueHexView).equals(contentDigest);
      } else if (a.type === OID.signingTime) {
        const v = a.values[0] as asn1js.UTCTime | asn1js.GeneralizedTime;
        out.signingTime = v.toDate();
      } else if (a.type === OID.signingCertificateV2 || a.type === OID.signingCertificate) {
        out.hasSigningCertificateV2 = true;
      }
    }
    if (!out.digestOk) out.errors.push('Nội dung tệp đã bị thay đổi sau khi ký (giá trị băm không khớp).');
  } else {
    signedBytes = Buffer.concat(content.map((c) => Buffer.from(c)));
    out.digestOk = true;
  }

  const sigAlg = si.signatureAlgorithm.algorithmId;
  const key = new X509Certificate(Buffer.from(out.signerCert)).publicKey;
  const sigValue = Buffer.from(si.signature.valueBlock.valueHexView);
  try {
    if (sigAlg === OID.rsaPss) {
      out.signatureOk = cryptoVerify(digestName, signedBytes, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, sigValue);
    } else {
      out.signatureOk = cryptoVerify(DIGEST_NAMES[sigAlg] ?? digestName, signedBytes, key, sigValue);
    }
  } catch {
    out.signatureOk = false;
  }
  if (!out.signatureOk) out.errors.push('Giá trị chữ ký không khớp với chứng thư số của người ký.');
  return out;
}

/** The Contents placeholder is zero-padded after the DER: keep only the outer TLV. */
export function trimDer(b: Uint8Array): ArrayBuffer {
  // A copy of the first n bytes in an ArrayBuffer of its own. Not `b.slice(…).buffer`: on a Node Buffer, slice is a
  // view into a shared pool, whose `.buffer` is the whole pool (other bytes, another offset).
  const copy = (n: number) => new Uint8Array(b.subarray(0, n)).buffer;
  if (b[0] !== 0x30) return copy(b.length);
  let len: number;
  let hdr: number;
  if (b[1] === 0x80) return copy(b.length); // indefinite length (BER): the parser finds the end
  if (b[1] < 0x80) {
    len = b[1];
    hdr = 2;
  } else {
    const n = b[1] & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[2 + i];
    hdr = 2 + n;
  }
  return copy(Math.min(b.length, hdr + len));
}
