/**
 * Ký số (issue 12) over the real API and database, demo province: the demo CA's certificates (seeded in the
 * template), the server-key path (leader + agency), the USB-token path (prepare → the "token" signs the hash
 * → complete → the issuing flow takes the signed PDF), DocumentFile.signatures cached per sha256, a P12
 * made by OpenSSL uploaded, untrusted and tampered files flagged.
 */
import { execFileSync } from 'node:child_process';
import { constants, createHash, createPrivateKey, privateEncrypt } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { createDemoCa, derToPem, issueEndEntity, pemToDers, type CaMaterial } from '../../../server/src/modules/signing/crypto/certificates';
import { signPdfWithKey } from '../../../server/src/modules/signing/pdf/local-signer';
import { FileSignatureCheck, SigningSession, TrustAnchor } from '../../../server/src/modules/signing/signing.entities';
import { startTestServer, type TestServer } from '../support/server';
import { gql, loginToken } from '../support/gql';

let s: TestServer;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'signing-it-'));
const services = () => s.runtime.rt.services;
const em = () => s.runtime.rt.orm.em.fork();

async function pdf(tag: string): Promise<Uint8Array> {
  const d = await PDFDocument.create();
  d.addPage([595, 842]);
  d.setTitle(tag);
  return d.save();
}

/** The demo issuing CA (its key sealed in the database by the seed) to issue more certificates in tests. */
async function demoIssuingCa(): Promise<{ ca: CaMaterial; root: Buffer }> {
  const a = await em().findOneOrFail(TrustAnchor, { issuingCertificatePem: { $ne: null } }, { populate: ['issuingKeyEncrypted'] });
  return {
    ca: { certDer: pemToDers(a.issuingCertificatePem!)[0], privateKeyPem: services().signing.keystore.open(a.issuingKeyEncrypted!).toString() },
    root: pemToDers(a.certificatePem)[0],
  };
}

/** A draft (văn bản đi) by chuyenvien with `bytes` as its file; returns the document and file ids. */
async function draftWith(bytes: Uint8Array, name = 'du-thao.pdf'): Promise<{ documentId: string; fileId: string }> {
  const doc = await services().outgoing.createDraft(await s.runtime.as('chuyenvien'), {
    typeCode: 'QĐ',
    subject: `Công văn thử ký số ${Math.random()}`,
    files: [new File([Buffer.from(bytes)], name, { type: 'application/pdf' })],
  });
  const [r] = await em().getConnection().execute<{ id: string }[]>('select id from document_file where document_id = ? order by created_at desc limit 1', [doc.id]);
  return { documentId: doc.id, fileId: r.id };
}

const FILE_SIGS = `query($id: ID!) { document(id: $id) { id files { id signatures { index kind signerName organization valid trusted revocation signedAt reason coversWholeFile errors } } } }`;

beforeAll(async () => {
  s = await startTestServer();
});
afterAll(async () => {
  await s?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('demo PKI and server-held keys', () => {
  it('the demo province has a trust anchor, an agency certificate per agency and a personal one per leader', async () => {
    const e = em();
    const lanhdao = await e.findOneOrFail(User, { username: 'lanhdao' });
    const chuyenvien = await e.findOneOrFail(User, { username: 'chuyenvien' });
    expect(await services().signing.hasPersonalKey(e, lanhdao.id)).toBe('SERVER_KEY');
    expect(await services().signing.hasPersonalKey(e, chuyenvien.id)).toBeNull();
    expect(await e.count(TrustAnchor, {})).toBe(1);
    const agencies = await e.count(Agency, {});
    const [{ n }] = await e.getConnection().execute<{ n: string }[]>(`select count(*) as n from signing_credential where kind = 'AGENCY' and active`);
    expect(Number(n)).toBe(agencies);
  });

  it('leader then agency sign (server keys): two valid, trusted signatures; pdfsig agrees', async () => {
    const e = em();
    const lanhdao = await e.findOneOrFail(User, { username: 'lanhdao' });
    const ubnd = await e.findOneOrFail(Agency, { code: '000.00.00.H27' });
    const personal = await services().signing.signAsUser(e, lanhdao.id, await pdf('a'), {
      reason: 'Ký duyệt',
      placement: { page: 0, rect: { x: 340, y: 200, width: 160, height: 60 } },
    });
    const numbered = await services().signing.stampText(personal, [{ page: 0, x: 80, y: 760, text: 'Số: 7/UBND-VP' }]);
    const issued = await services().signing.signAsAgency(e, ubnd.id, numbered, {
      reason: 'Phát hành',
      placement: { page: 0, rect: { x: 300, y: 190, width: 230, height: 80 }, text: [ubnd.name, 'Thời gian ký: 2026-12-06T09:00:00+07:00'] },
    });
    const sigs = await services().signing.verifyPdf(issued);
    expect(sigs.map((x) => [x.kind, x.signerName, x.valid, x.trusted, x.revocation])).toEqual([
      // The demo CA is run by this deployment: its own CRL answers revocation.
      ['PERSONAL', lanhdao.fullName, true, true, 'GOOD'],
      ['AGENCY', ubnd.name, true, true, 'GOOD'],
    ]);
    expect(services().signing.blockingProblem(sigs)).toBeNull();
    const f = path.join(tmp, 'issued.pdf');
    fs.writeFileSync(f, issued);
    const out = execFileSync('pdfsig', [f], { encoding: 'utf8' });
    expect(out.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(2);
  });

  it('a user without a personal certificate gets a Vietnamese BAD_USER_INPUT', async () => {
    const e = em();
    const chuyenvien = await e.findOneOrFail(User, { username: 'chuyenvien' });
    await expect(services().signing.signAsUser(e, chuyenvien.id, await pdf('b'), {})).rejects.toMatchObject({ code: 'BAD_USER_INPUT', extra: { field: 'certificate' } });
  });
});

describe('DocumentFile.signatures over GraphQL', () => {
  it('shows a signed file as valid and trusted, a tampered one as invalid, an untrusted CA as untrusted; cached per sha256', async () => {
    const e = em();
    const lanhdao = await e.findOneOrFail(User, { username: 'lanhdao' });
    const signed = await services().signing.signAsUser(e, lanhdao.id, await pdf('c'), { reason: 'Ký duyệt' });
    const good = await draftWith(signed);
    const tampered = Buffer.from(signed);
    tampered[Buffer.from(signed).indexOf('/Title') + 8] ^= 1;
    const bad = await draftWith(tampered);
    const other = createDemoCa('Không tin cậy');
    const stranger = issueEndEntity(other.issuing, [other.root.certDer], { kind: 'PERSONAL', cn: 'Người Lạ', o: 'Nơi khác' });
    const untrusted = await draftWith(await signPdfWithKey(await pdf('d'), { kind: 'PERSONAL', reason: 'Thử' }, { ...stranger, chain: stranger.chain.slice(0, 2) }));

    const token = await loginToken(s.url, 'chuyenvien');
    const q = async (id: string) => {
      const r = await gql<{ document: { files: { signatures: Record<string, unknown>[] }[] } }>(s.url, FILE_SIGS, { id }, { token });
      expect(r.errors).toBeUndefined();
      return r.data!.document.files[0].signatures;
    };
    expect(await q(good.documentId)).toEqual([
      expect.objectContaining({ kind: 'PERSONAL', signerName: lanhdao.fullName, valid: true, trusted: true, revocation: 'GOOD', reason: 'Ký duyệt', coversWholeFile: true, errors: [] }),
    ]);
    const [b] = await q(bad.documentId);
    expect(b).toMatchObject({ valid: false });
    expect((b.errors as string[]).join(' ')).toMatch(/đã bị thay đổi/);
    const [u] = await q(untrusted.documentId);
    expect(u).toMatchObject({ valid: true, trusted: false, signerName: 'Người Lạ' });
    expect(services().signing.blockingProblem([u as never])).toMatch(/^Chữ ký số của "Người Lạ" không hợp lệ: Chứng thư số không thuộc tổ chức chứng thực được tin cậy/);

    // The receiver's check before registering (nothing stored): Mutation.verifyPdfSignatures on an upload.
    const f = new FormData();
    f.append('operations', JSON.stringify({ query: 'mutation($f: Upload!) { verifyPdfSignatures(file: $f) { kind valid trusted errors } }', variables: { f: null } }));
    f.append('map', JSON.stringify({ 0: ['variables.f'] }));
    f.append('0', new Blob([tampered]), 'nhan.pdf');
    const r = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: f });
    const body = (await r.json()) as { data?: { verifyPdfSignatures: { valid: boolean; errors: string[] }[] }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data!.verifyPdfSignatures).toEqual([expect.objectContaining({ kind: 'PERSONAL', valid: false })]);
    const sha = createHash('sha256').update(signed).digest('hex');
    expect(await em().findOne(FileSignatureCheck, { sha256: sha })).toBeTruthy();
  });
});

describe('USB-token path: prepareSignature → token signs the hash → completeSignature', () => {
  it('embeds the token signature; the flow takes the signed PDF once; a wrong signature is refused', async () => {
    const { ca, root } = await demoIssuingCa();
    const lanhdao = await em().findOneOrFail(User, { username: 'lanhdao' }, { populate: ['agency'] });
    // The "token": a key that never reaches the server; only its certificate chain is sent.
    const tokenKey = issueEndEntity(ca, [root], { kind: 'PERSONAL', cn: lanhdao.fullName, o: lanhdao.agency.name });
    const chainPem = tokenKey.chain.slice(0, 2).map(derToPem).join('');
    const token = await loginToken(s.url, 'lanhdao');
    const reg = await gql<{ registerTokenCertificate: { source: string; kind: string } }>(
      s.url,
      'mutation($p: String!) { registerTokenCertificate(certificatesPem: $p) { id source kind subject } }',
      { p: chainPem },
      { token },
    );
    expect(reg.errors).toBeUndefined();
    expect(reg.data!.registerTokenCertificate).toMatchObject({ source: 'TOKEN', kind: 'PERSONAL' });
    expect(await services().signing.hasPersonalKey(em(), lanhdao.id)).toBe('TOKEN');

    const { documentId, fileId } = await draftWith(await pdf('e'));
    const prep = await gql<{ prepareSignature: { sessionId: string; digestBase64: string; signedAttributesBase64: string } }>(
      s.url,
      'mutation($f: ID!) { prepareSignature(fileId: $f) { sessionId digestBase64 digestAlgorithm signedAttributesBase64 expiresAt } }',
      { f: fileId },
      { token },
    );
    expect(prep.errors).toBeUndefined();
    const { sessionId, digestBase64, signedAttributesBase64 } = prep.data!.prepareSignature;
    expect(createHash('sha256').update(Buffer.from(signedAttributesBase64, 'base64')).digest('base64')).toBe(digestBase64);
    // Token "sign hash": PKCS#1 v1.5 type-1 padding over DigestInfo(SHA-256, digest).
    const digestInfo = Buffer.concat([Buffer.from('3031300d060960864801650304020105000420', 'hex'), Buffer.from(digestBase64, 'base64')]);
    const signature = privateEncrypt({ key: createPrivateKey(tokenKey.privateKeyPem), padding: constants.RSA_PKCS1_PADDING }, digestInfo);

    const complete = (sig: Buffer) =>
      gql<{ completeSignature: { status: string; signedSha256: string; fileId: string } }>(
        s.url,
        'mutation($s: ID!, $g: String!, $p: String!) { completeSignature(sessionId: $s, signatureBase64: $g, certificatesPem: $p) { id status fileId documentId signedSha256 } }',
        { s: sessionId, g: sig.toString('base64'), p: chainPem },
        { token },
      );
    const wrong = Buffer.from(signature);
    wrong[10] ^= 0xff;
    const refused = await complete(wrong);
    expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'signatureBase64' } });

    const done = await complete(signature);
    expect(done.errors).toBeUndefined();
    expect(done.data!.completeSignature).toMatchObject({ status: 'COMPLETED', fileId });

    const e = em();
    const taken = await e.transactional((tx) => services().signing.takeCompletedSession(tx, sessionId, lanhdao.id));
    expect(taken).toMatchObject({ fileId, documentId, sha256: done.data!.completeSignature.signedSha256 });
    const sigs = await services().signing.verifyPdf(taken.pdf);
    expect(sigs).toEqual([expect.objectContaining({ kind: 'PERSONAL', valid: true, trusted: true, signerName: lanhdao.fullName })]);
    expect((await em().findOneOrFail(SigningSession, { id: sessionId })).status).toBe('CONSUMED');
    await expect(em().transactional((tx) => services().signing.takeCompletedSession(tx, sessionId, lanhdao.id))).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(await em().count(AuditEvent, { action: { $in: ['signature.prepare', 'signature.complete', 'signing.credential.register_token'] } })).toBe(3);
  });

  it('another user cannot prepare on a file they cannot see', async () => {
    const { fileId } = await draftWith(await pdf('f'));
    const token = await loginToken(s.url, 'snv.lanhdao');
    const r = await gql(s.url, 'mutation($f: ID!) { prepareSignature(fileId: $f) { sessionId } }', { f: fileId }, { token });
    expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('uploadSigningCertificate (PKCS#12 made by OpenSSL)', () => {
  it('stores the key encrypted at rest and signs with it', async () => {
    const { ca, root } = await demoIssuingCa();
    const k = issueEndEntity(ca, [root], { kind: 'PERSONAL', cn: 'Trần Thị Trưởng Phòng', o: 'UBND tỉnh Bắc Ninh' });
    fs.writeFileSync(path.join(tmp, 'k.pem'), k.privateKeyPem);
    fs.writeFileSync(path.join(tmp, 'c.pem'), derToPem(k.chain[0]));
    fs.writeFileSync(path.join(tmp, 'ca.pem'), derToPem(k.chain[1]));
    const p12File = path.join(tmp, 'tp.p12');
    execFileSync('openssl', ['pkcs12', '-export', '-inkey', path.join(tmp, 'k.pem'), '-in', path.join(tmp, 'c.pem'), '-certfile', path.join(tmp, 'ca.pem'), '-out', p12File, '-passout', 'pass:Mk@2026']);
    const token = await loginToken(s.url, 'truongphong');
    const upload = async (password: string) => {
      const f = new FormData();
      f.append('operations', JSON.stringify({ query: 'mutation($f: Upload!, $p: String!) { uploadSigningCertificate(file: $f, password: $p) { id kind source subject hasImage } }', variables: { f: null, p: password } }));
      f.append('map', JSON.stringify({ 0: ['variables.f'] }));
      f.append('0', new Blob([fs.readFileSync(p12File)]), 'tp.p12');
      const r = await fetch(`${s.url}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: f });
      return (await r.json()) as { data?: { uploadSigningCertificate: Record<string, unknown> }; errors?: { message: string; extensions: Record<string, unknown> }[] };
    };
    const wrong = await upload('sai');
    expect(wrong.errors?.[0]).toMatchObject({ message: 'Mật khẩu tệp PKCS#12 không đúng.', extensions: { code: 'BAD_USER_INPUT', field: 'password' } });
    const ok = await upload('Mk@2026');
    expect(ok.errors).toBeUndefined();
    expect(ok.data!.uploadSigningCertificate).toMatchObject({ kind: 'PERSONAL', source: 'SERVER_KEY', hasImage: false });
    // Encrypted at rest: the stored blob contains neither the PKCS#12 nor the key in clear.
    const [row] = await em().getConnection().execute<{ encrypted_key: Buffer }[]>(`select encrypted_key from signing_credential where id = ?`, [ok.data!.uploadSigningCertificate.id]);
    expect(row.encrypted_key.subarray(0, 4).toString()).toBe('CVK1');
    expect(row.encrypted_key.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
    const tp = await em().findOneOrFail(User, { username: 'truongphong' });
    const signed = await services().signing.signAsUser(em(), tp.id, await pdf('g'), { reason: 'Ký nháy' });
    expect(await services().signing.verifyPdf(signed)).toEqual([expect.objectContaining({ signerName: 'Trần Thị Trưởng Phòng', valid: true, trusted: true })]);
  });
});
