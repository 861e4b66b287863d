/**
 * Revocation by CRL (RFC 5280): the CRLs held locally for the issuer (the CAs this deployment runs,
 * ca.service.ts), then the certificate's CRL distribution points (http/https) are fetched with a
 * short timeout, the CRL's signature is checked against the issuer and its nextUpdate must not be past.
 * GOOD / REVOKED only on such evidence; anything else (no distribution point, unreachable, stale, bad
 * signature) is NOT_CHECKED — the UI shows "chưa kiểm tra", never "hợp lệ". OCSP is not implemented.
 */
import { X509Certificate, verify as cryptoVerify } from 'node:crypto';
import type * as pkijs from 'pkijs';
import { pkijs as pkijsLib } from '../../shared/lazy-modules';
import type { RevocationStatus } from './pdf/types';

const CACHE_MS = 10 * 60_000;
const cache = new Map<string, { at: number; crl: pkijs.CertificateRevocationList | null }>();

export function crlUrls(cert: X509Certificate): string[] {
  const c = pkijsLib().Certificate.fromBER(new Uint8Array(cert.raw));
  const ext = c.extensions?.find((e) => e.extnID === '2.5.29.31');
  const points = (ext?.parsedValue as pkijs.CRLDistributionPoints | undefined)?.distributionPoints ?? [];
  const urls: string[] = [];
  for (const p of points) {
    const names = Array.isArray(p.distributionPoint) ? p.distributionPoint : [];
    for (const n of names) if (n.type === 6 && typeof n.value === 'string' && /^https?:\/\//.test(n.value)) urls.push(n.value);
  }
  return urls;
}

async function fetchCrl(url: string, timeoutMs: number): Promise<pkijs.CertificateRevocationList | null> {
  const hit = cache.get(url);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.crl;
  let crl: pkijs.CertificateRevocationList | null = null;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    if (res.ok) {
      let body = Buffer.from(await res.arrayBuffer());
      const pem = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/.exec(body.toString('latin1'));
      if (pem) body = Buffer.from(pem[1].replace(/\s+/g, ''), 'base64');
      crl = pkijsLib().CertificateRevocationList.fromBER(new Uint8Array(body));
    }
  } catch {
    crl = null;
  }
  cache.set(url, { at: Date.now(), crl });
  return crl;
}

const HASH_OF: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
};

function keyIdOf(cert: pkijs.Certificate): string | null {
  const ext = cert.extensions?.find((e) => e.extnID === '2.5.29.14');
  const v = ext?.parsedValue as { valueBlock?: { valueHexView?: Uint8Array } } | undefined;
  return v?.valueBlock?.valueHexView?.length ? Buffer.from(v.valueBlock.valueHexView).toString('hex') : null;
}

function crlKeyId(crl: pkijs.CertificateRevocationList): string | null {
  const ext = crl.crlExtensions?.extensions.find((e) => e.extnID === '2.5.29.35');
  const aki = ext?.parsedValue as pkijs.AuthorityKeyIdentifier | undefined;
  return aki?.keyIdentifier ? Buffer.from(aki.keyIdentifier.valueBlock.valueHexView).toString('hex') : null;
}

/** GOOD / REVOKED when `crl` is the issuer's (signed by it, not stale), null when it gives no evidence. */
function evidence(crl: pkijs.CertificateRevocationList, serial: string, issuer: X509Certificate, now: Date): RevocationStatus | null {
  const hash = HASH_OF[crl.signatureAlgorithm.algorithmId];
  if (!hash) return null;
  let ok: boolean;
  try {
    ok = cryptoVerify(hash, Buffer.from(crl.tbsView), issuer.publicKey, Buffer.from(crl.signatureValue.valueBlock.valueHexView));
  } catch {
    ok = false;
  }
  if (!ok) return null;
  if (crl.nextUpdate && crl.nextUpdate.value < now) return null;
  const revoked = (crl.revokedCertificates ?? []).some(
    (r) => Buffer.from(r.userCertificate.valueBlock.valueHexView).toString('hex').toUpperCase().replace(/^0+/, '') === serial,
  );
  return revoked ? 'REVOKED' : 'GOOD';
}

/**
 * The CRLs held locally (those of the CAs this deployment runs, DER) that belong to `issuer`: same issuer
 * name and same key identifier (authorityKeyIdentifier = the issuer's subjectKeyIdentifier).
 */
function localFor(issuer: X509Certificate, crls: readonly Uint8Array[]): pkijs.CertificateRevocationList[] {
  const iss = pkijsLib().Certificate.fromBER(new Uint8Array(issuer.raw));
  const kid = keyIdOf(iss);
  const out: pkijs.CertificateRevocationList[] = [];
  for (const der of crls) {
    let crl: pkijs.CertificateRevocationList;
    try {
      crl = pkijsLib().CertificateRevocationList.fromBER(new Uint8Array(der));
    } catch {
      continue;
    }
    if (!crl.issuer.isEqual(iss.subject)) continue;
    if (!kid || crlKeyId(crl) !== kid) continue;
    out.push(crl);
  }
  return out;
}

/**
 * Status of `cert` from its issuer's CRL: first the CRLs held locally for that issuer (`localCrls`: the CAs
 * this deployment runs), then the certificate's distribution points over HTTP. Every CRL must verify against
 * the issuer's key and not be stale; NOT_CHECKED when no CRL qualifies.
 */
export async function crlStatus(
  cert: X509Certificate,
  issuer: X509Certificate,
  opts: { timeoutMs?: number; now?: Date; localCrls?: readonly Uint8Array[] } = {},
): Promise<RevocationStatus> {
  const now = opts.now ?? new Date();
  const serial = cert.serialNumber.toUpperCase().replace(/^0+/, '');
  for (const crl of localFor(issuer, opts.localCrls ?? [])) {
    const s = evidence(crl, serial, issuer, now);
    if (s) return s;
  }
  for (const url of crlUrls(cert)) {
    const crl = await fetchCrl(url, opts.timeoutMs ?? 3000);
    if (!crl) continue;
    const s = evidence(crl, serial, issuer, now);
    if (s) return s;
  }
  return 'NOT_CHECKED';
}
