/**
 * Revocation by CRL over real HTTP (a local server plays the CA's distribution point): GOOD and REVOKED only
 * on a CRL signed by the issuer and not stale; unreachable or stale → NOT_CHECKED.
 */
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PDFDocument } from 'pdf-lib';
import { createCrl, createDemoCa, issueEndEntity } from './crypto/certificates';
import { signPdfWithKey } from './pdf/local-signer';
import { verifyPdfSignatures } from './pdf/verify';
import { crlStatus } from './revocation';

const ca = createDemoCa('CRL');
let crl: Uint8Array = new Uint8Array();
let hits = 0;
const server = http.createServer((req, res) => {
  hits++;
  if (req.url?.startsWith('/issuing.crl')) res.end(crl);
  else res.writeHead(404).end();
});
let base = '';
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function signedBy(k: ReturnType<typeof issueEndEntity>): Promise<Uint8Array> {
  const d = await PDFDocument.create();
  d.addPage();
  return signPdfWithKey(await d.save(), { kind: 'PERSONAL', reason: 'Thử thu hồi' }, { privateKeyPem: k.privateKeyPem, chain: k.chain.slice(0, 2) });
}

describe('CRL revocation', () => {
  it('GOOD for a listed CA CRL without the certificate, REVOKED once it is listed; shown in the verification', async () => {
    const good = issueEndEntity(ca.issuing, [ca.root.certDer], { kind: 'PERSONAL', cn: 'Còn hiệu lực', o: 'X', crlUrl: `${base}/issuing.crl` });
    const bad = issueEndEntity(ca.issuing, [ca.root.certDer], { kind: 'PERSONAL', cn: 'Bị thu hồi', o: 'X', crlUrl: `${base}/issuing.crl?v=2` });
    const now = new Date();
    crl = createCrl(ca.issuing, [bad.chain[0]], now, new Date(now.getTime() + 86400_000));
    const trust = { anchors: [ca.root.certDer], revocation: crlStatus };
    // The leaf's own status:
    const issuer = new X509Certificate(ca.issuing.certDer);
    expect(await crlStatus(new X509Certificate(good.chain[0]), issuer)).toBe('GOOD');
    expect(await crlStatus(new X509Certificate(bad.chain[0]), issuer)).toBe('REVOKED');
    expect(hits).toBeGreaterThan(0);
    const [g] = await verifyPdfSignatures(await signedBy(good), trust);
    const [r] = await verifyPdfSignatures(await signedBy(bad), trust);
    // The issuing CA's own status cannot be checked (no distribution point): the chain stays NOT_CHECKED, never GOOD.
    expect(g.revocation).toBe('NOT_CHECKED');
    expect(r.revocation).toBe('REVOKED');
    expect(r.errors).toContain('Chứng thư số đã bị thu hồi.');
  });

  it('NOT_CHECKED when the distribution point does not answer, has no CRL, or the CRL is stale or signed by another CA', async () => {
    const issuer = new X509Certificate(ca.issuing.certDer);
    const unreachable = issueEndEntity(ca.issuing, [ca.root.certDer], { kind: 'PERSONAL', cn: 'A', o: 'X', crlUrl: 'http://127.0.0.1:9/none.crl' });
    expect(await crlStatus(new X509Certificate(unreachable.chain[0]), issuer, { timeoutMs: 500 })).toBe('NOT_CHECKED');
    const missing = issueEndEntity(ca.issuing, [ca.root.certDer], { kind: 'PERSONAL', cn: 'B', o: 'X', crlUrl: `${base}/missing.crl` });
    expect(await crlStatus(new X509Certificate(missing.chain[0]), issuer)).toBe('NOT_CHECKED');
    const now = new Date();
    crl = createCrl(ca.issuing, [], new Date(now.getTime() - 3 * 86400_000), new Date(now.getTime() - 86400_000));
    const stale = issueEndEntity(ca.issuing, [ca.root.certDer], { kind: 'PERSONAL', cn: 'C', o: 'X', crlUrl: `${base}/issuing.crl?v=stale` });
    expect(await crlStatus(new X509Certificate(stale.chain[0]), issuer)).toBe('NOT_CHECKED');
    const other = createDemoCa('Khác');
    crl = createCrl(other.issuing, [], now, new Date(now.getTime() + 86400_000));
    const forged = issueEndEntity(ca.issuing, [ca.root.certDer], { kind: 'PERSONAL', cn: 'D', o: 'X', crlUrl: `${base}/issuing.crl?v=forged` });
    expect(await crlStatus(new X509Certificate(forged.chain[0]), issuer)).toBe('NOT_CHECKED');
    const none = issueEndEntity(ca.issuing, [ca.root.certDer], { kind: 'PERSONAL', cn: 'E', o: 'X' });
    expect(await crlStatus(new X509Certificate(none.chain[0]), issuer)).toBe('NOT_CHECKED');
  });
});
