/**
 * The deployment's own CA answers revocation (issue 12): the demo issuing CA, whose key this deployment holds,
 * issues real CRLs (signed with its key, thisUpdate/nextUpdate, authorityKeyIdentifier, cRLNumber) kept in
 * signing_crl and published at GET /pki/crl/<issuer key id>.crl. A signature by a demo certificate verifies as
 * GOOD ("Hợp lệ"); after the quản trị revokes the certificate it is REVOKED and blocks registration; a tampered
 * local CRL is ignored (NOT_CHECKED). A peer without our local CRLs gets the same answer over HTTP from the
 * distribution point. Real services, real PostgreSQL, a real HTTP server.
 */
import { X509Certificate } from 'node:crypto';
import { PDFDocument } from 'pdf-lib';
import * as pkijs from 'pkijs';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { issueEndEntity, pemToDers, subjectKeyId } from '../../../server/src/modules/signing/crypto/certificates';
import { crlStatus } from '../../../server/src/modules/signing/revocation';
import { SigningCredential, SigningCrl } from '../../../server/src/modules/signing/signing.entities';
import { AppError } from '../../../server/src/shared/errors';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';
import { appErrorOf } from '../support/errors';

let s: TestServer;
const em = () => s.runtime.rt.orm.em.fork();
const services = () => s.runtime.rt.services;
let snv: Agency;

async function pdf(tag: string): Promise<Uint8Array> {
  const d = await PDFDocument.create();
  d.addPage([595, 842]);
  d.setTitle(tag);
  return d.save();
}

async function signedBySnv(tag: string): Promise<Uint8Array> {
  return services().signing.signAsAgency(em(), snv.id, await pdf(tag), { reason: 'Phát hành', placement: null });
}

const refusal = (p: Promise<unknown>): Promise<AppError> => appErrorOf(p, 'not refused');

async function demoCaKeyId(): Promise<string> {
  const [ca] = await services().signing.ca.operated(em());
  return ca.keyId;
}

beforeAll(async () => {
  s = await startTestServer({ workers: 'none' });
  snv = await em().findOneOrFail(Agency, { code: '000.00.02.H27' });
}, 180_000);
afterAll(async () => {
  await s?.stop();
});

describe("the deployment's own CA", () => {
  it('a signature by a demo certificate is GOOD (intact, trusted, not revoked); the CRL is published and names its issuer', async () => {
    const [sig] = await services().signing.verifyPdf(await signedBySnv(`good ${Math.random()}`));
    expect([sig.valid, sig.trusted, sig.revocation, sig.errors]).toEqual([true, true, 'GOOD', []]);

    const kid = await demoCaKeyId();
    const res = await fetch(`${s.url}/pki/crl/${kid}.crl`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/pkix-crl');
    const crl = pkijs.CertificateRevocationList.fromBER(new Uint8Array(await res.arrayBuffer()));
    const aki = crl.crlExtensions?.extensions.find((e) => e.extnID === '2.5.29.35')?.parsedValue as pkijs.AuthorityKeyIdentifier;
    expect(Buffer.from(aki.keyIdentifier!.valueBlock.valueHexView).toString('hex')).toBe(kid);
    expect(crl.nextUpdate!.value.getTime()).toBeGreaterThan(Date.now());
    expect((await fetch(`${s.url}/pki/crl/00112233.crl`)).status).toBe(404);

    // The demo certificates name that URL (PUBLIC_URL of the deployment that issued them) as distribution point.
    const cred = await em().findOneOrFail(SigningCredential, { agency: snv.id, kind: 'AGENCY', active: true });
    expect(Buffer.from(pemToDers(cred.certificatePem)[0]).includes(Buffer.from(`/pki/crl/${kid}.crl`))).toBe(true);
  });

  it('a peer without our local CRLs gets the answer from the distribution point over HTTP', async () => {
    const [ca] = await services().signing.ca.operated(em());
    const leaf = issueEndEntity(ca.material, [], { kind: 'PERSONAL', cn: 'Người ký ở xa', o: 'X', crlUrl: services().signing.ca.crlUrl(ca.keyId) });
    expect(services().signing.ca.crlUrl(ca.keyId)).toBe(`${s.url}/pki/crl/${ca.keyId}.crl`);
    const issuer = new X509Certificate(ca.material.certDer);
    expect(await crlStatus(new X509Certificate(leaf.chain[0]), issuer)).toBe('GOOD');
  });

  it('a tampered local CRL is ignored: NOT_CHECKED, never GOOD', async () => {
    const kid = await demoCaKeyId();
    const row = await em().findOneOrFail(SigningCrl, { issuerKeyId: kid });
    const original = Buffer.from(row.der);
    const bad = Buffer.from(original);
    bad[bad.length - 10] ^= 0xff; // a byte of the signature value
    await em().getConnection().execute('update signing_crl set der = ? where issuer_key_id = ?', [bad, kid]);
    try {
      const [sig] = await services().signing.verifyPdf(await signedBySnv(`tampered ${Math.random()}`));
      expect([sig.valid, sig.trusted, sig.revocation]).toEqual([true, true, 'NOT_CHECKED']);
    } finally {
      await em().getConnection().execute('update signing_crl set der = ? where issuer_key_id = ?', [original, kid]);
    }
  });

  it('the quản trị revokes the certificate: its signatures are REVOKED and block registration; audited; CRL re-issued', async () => {
    const signed = await signedBySnv(`revoked ${Math.random()}`);
    const cred = await em().findOneOrFail(SigningCredential, { agency: snv.id, kind: 'AGENCY', active: true });
    const before = await em().findOneOrFail(SigningCrl, { issuerKeyId: await demoCaKeyId() });

    // Only the quản trị of the credential's own agency.
    expect((await refusal(services().signing.ca.revokeCredential(await s.runtime.as('snv.vanthu'), cred.id, 'Mất khóa'))).code).toBe('FORBIDDEN');
    expect((await refusal(services().signing.ca.revokeCredential(await s.runtime.as('quantri'), cred.id, 'Mất khóa'))).code).toBe('NOT_FOUND');

    await services().signing.ca.revokeCredential(await s.runtime.as('snv.quantri'), cred.id, 'Lộ khóa bí mật');
    expect((await em().findOneOrFail(SigningCredential, { id: cred.id })).active).toBe(false);
    const after = await em().findOneOrFail(SigningCrl, { issuerKeyId: before.issuerKeyId });
    expect(after.crlNumber).toBe(before.crlNumber + 1);
    const audit = await em().findOne(AuditEvent, { action: 'signing.certificate_revoke', targetId: cred.id });
    expect(audit?.agencyId).toBe(snv.id);
    expect((await refusal(services().signing.ca.revokeCredential(await s.runtime.as('snv.quantri'), cred.id, null))).extra?.field).toBe('id');

    const [sig] = await services().signing.verifyPdf(signed);
    expect([sig.valid, sig.trusted, sig.revocation]).toEqual([true, true, 'REVOKED']);
    expect(sig.errors).toContain('Chứng thư số đã bị thu hồi.');

    // The published CRL lists the serial: a peer checking over HTTP sees it too.
    const crl = pkijs.CertificateRevocationList.fromBER(new Uint8Array(await (await fetch(`${s.url}/pki/crl/${before.issuerKeyId}.crl`)).arrayBuffer()));
    const serials = (crl.revokedCertificates ?? []).map((r) => Buffer.from(r.userCertificate.valueBlock.valueHexView).toString('hex').toUpperCase().replace(/^0+/, ''));
    expect(serials).toContain(new X509Certificate(pemToDers(cred.certificatePem)[0]).serialNumber.toUpperCase().replace(/^0+/, ''));
    expect(subjectKeyId(pemToDers(cred.certificatePem)[1])).toBe(before.issuerKeyId);

    // Vào sổ of a PDF signed with the revoked certificate is refused at the file, with the reason.
    const ubnd = await em().findOneOrFail(Agency, { code: '000.00.00.H27' });
    const e = await refusal(services().signing.assertRegistrable(em(), ubnd.id, [new File([Buffer.from(signed)], 'thu-hoi.pdf', { type: 'application/pdf' })], []));
    expect(e.code).toBe('BAD_USER_INPUT');
    expect(e.extra?.field).toBe('files');
    expect(e.message).toContain('đã bị thu hồi');
  });

  it('over GraphQL: revokeSigningCredential by the quản trị; a second revocation is refused at the field', async () => {
    const lanhdao = await em().findOneOrFail(SigningCredential, { agency: snv.id, kind: 'PERSONAL', active: true });
    const M = 'mutation($id: ID!, $r: String) { revokeSigningCredential(id: $id, reason: $r) { id active } }';
    const vanthu = await loginToken(s.url, 'snv.vanthu');
    expect((await gql(s.url, M, { id: lanhdao.id, r: 'x' }, { token: vanthu })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const token = await loginToken(s.url, 'snv.quantri');
    const r = await gql<{ revokeSigningCredential: { id: string; active: boolean } }>(s.url, M, { id: lanhdao.id, r: 'Thôi giữ chức vụ' }, { token });
    expect(r.errors).toBeUndefined();
    expect(r.data?.revokeSigningCredential).toEqual({ id: lanhdao.id, active: false });
    const again = await gql(s.url, M, { id: lanhdao.id }, { token });
    expect(again.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(again.errors?.[0]?.message).toBe('Chứng thư số này đã bị thu hồi.');
  });
});
