/**
 * Thu hồi chứng thư số (issue 12) from the operator's CLI and what it does to documents already signed: the
 * leader signs and the văn thư issues a document (real services, real PostgreSQL, real HTTP server); its bản gốc
 * shows both signatures GOOD in `DocumentFile.signatures`. The quản trị sees the agency's certificates
 * (`agencySigningCredentials`: holder, canRevoke); `npm run -s cli -- signing revoke <serial> --reason …`
 * (a real process on the same database and keystore) revokes the leader's certificate: the same file's PERSONAL
 * signature then reads REVOKED ("Chứng thư số đã bị thu hồi."), the agency's stays GOOD; the credential shows
 * when and why, can no longer be revoked, and the audit event says it came from the CLI.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { PDFDocument } from 'pdf-lib';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { SigningCredential } from '../../../server/src/modules/signing/signing.entities';
import { gql, loginToken } from '../support/gql';
import { startTestServer, type TestServer } from '../support/server';
import { approveSignAndIssue } from '../support/issuing';

const run = promisify(execFile);
let s: TestServer;
const em = () => s.runtime.rt.orm.em.fork();
const out = () => s.runtime.rt.services.outgoing;

async function blankPdf(): Promise<File> {
  const p = await PDFDocument.create();
  p.addPage([595, 842]);
  p.setTitle(`revoke ${Math.random()}`);
  return new File([Buffer.from(await p.save())], 'du-thao.pdf', { type: 'application/pdf' });
}

/** The CLI as the operator runs it, on the test server's database and data directory (its keystore). */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('npx', ['tsx', 'server/src/bin/cli.ts', ...args], {
      cwd: process.cwd(),
      env: { ...process.env, DATABASE_URL: s.runtime.db.url, CONGVAN_DATA_DIR: s.runtime.dataDir, NODE_ENV: 'test', LOG_LEVEL: 'warn' },
      timeout: 120_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const x = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof x.code === 'number' ? x.code : 1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
  }
}

interface Sig {
  kind: string;
  signerName: string;
  valid: boolean;
  trusted: boolean;
  revocation: string;
  errors: string[];
}
const FILES = 'query($id: ID!) { document(id: $id) { files { kind signatures { kind signerName valid trusted revocation errors } } } }';
async function mainSignatures(token: string, id: string): Promise<Sig[]> {
  const r = await gql<{ document: { files: { kind: string; signatures: Sig[] }[] } }>(s.url, FILES, { id }, { token });
  expect(r.errors).toBeUndefined();
  return r.data!.document.files.find((f) => f.kind === 'MAIN')!.signatures;
}

const CREDS = 'query($all: Boolean) { agencySigningCredentials(includeInactive: $all) { id kind holderName serialNumber active revokedAt revocationReason canRevoke } }';
interface Cred {
  id: string;
  kind: string;
  holderName: string | null;
  serialNumber: string;
  active: boolean;
  revokedAt: string | null;
  revocationReason: string | null;
  canRevoke: boolean;
}

beforeAll(async () => {
  s = await startTestServer({ workers: 'none' });
}, 180_000);
afterAll(async () => {
  await s?.stop();
});

it('a certificate revoked with the CLI: signatures made with it read REVOKED in DocumentFile.signatures', async () => {
  const as = (u: string) => s.runtime.as(u);
  const dr = await out().createDraft(await as('chuyenvien'), { typeCode: 'TB', subject: 'Thông báo thử thu hồi chứng thư số', recipientAgencyIds: [], files: [await blankPdf()] });
  const issued = await approveSignAndIssue(s.runtime, dr.id);
  expect(issued.state).toBe('ISSUED');

  const vanthu = await loginToken(s.url, 'vanthu');
  const before = await mainSignatures(vanthu, issued.id);
  expect(before.map((x) => [x.kind, x.valid, x.trusted, x.revocation])).toEqual([
    ['PERSONAL', true, true, 'GOOD'],
    ['AGENCY', true, true, 'GOOD'],
  ]);

  // The quản trị sees the agency's certificates; the văn thư may not list them.
  const quantri = await loginToken(s.url, 'quantri');
  expect((await gql(s.url, CREDS, {}, { token: vanthu })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  const list = await gql<{ agencySigningCredentials: Cred[] }>(s.url, CREDS, {}, { token: quantri });
  expect(list.errors).toBeUndefined();
  const leader = await em().findOneOrFail(User, { username: 'lanhdao' });
  const cred = await em().findOneOrFail(SigningCredential, { user: leader.id, kind: 'PERSONAL', active: true });
  const row = list.data!.agencySigningCredentials.find((c) => c.id === cred.id)!;
  expect(row).toMatchObject({ kind: 'PERSONAL', holderName: leader.fullName, active: true, revokedAt: null, canRevoke: true });
  expect(list.data!.agencySigningCredentials.some((c) => c.kind === 'AGENCY' && c.holderName === null)).toBe(true);

  // An unknown serial: a clear refusal, nothing revoked.
  const unknown = await cli(['signing', 'revoke', 'DEADBEEF00', '--reason', 'Thử']);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toContain('Không tìm thấy chứng thư số');
  // Without a reason: the usage.
  expect((await cli(['signing', 'revoke', cred.serialNumber])).code).toBe(2);

  // By serial (with colons, as openssl prints it), with the reason.
  const colons = cred.serialNumber.match(/.{1,2}/g)!.join(':');
  const r = await cli(['signing', 'revoke', colons, '--reason', 'Lộ khóa bí mật']);
  expect(r.stderr).toBe(r.code === 0 ? r.stderr : 'CLI failed');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`Đã thu hồi chứng thư số`);
  expect(r.stdout).toContain(leader.fullName);

  // The same file, asked again: the leader's signature is REVOKED, with the reason; the agency's stays GOOD.
  const after = await mainSignatures(vanthu, issued.id);
  expect(after.map((x) => [x.kind, x.valid, x.trusted, x.revocation])).toEqual([
    ['PERSONAL', true, true, 'REVOKED'],
    ['AGENCY', true, true, 'GOOD'],
  ]);
  expect(after[0].errors).toContain('Chứng thư số đã bị thu hồi.');

  const all = await gql<{ agencySigningCredentials: Cred[] }>(s.url, CREDS, { all: true }, { token: quantri });
  const revoked = all.data!.agencySigningCredentials.find((c) => c.id === cred.id)!;
  expect(revoked).toMatchObject({ active: false, revocationReason: 'Lộ khóa bí mật', canRevoke: false });
  expect(revoked.revokedAt).toBeTruthy();
  const audit = await em().findOneOrFail(AuditEvent, { action: 'signing.certificate_revoke', targetId: cred.id });
  expect(audit.data).toMatchObject({ reason: 'Lộ khóa bí mật', via: 'cli' });
  // The list shows it as revoked.
  const listed = await cli(['signing', 'list', '--agency', '000.00.00.H27']);
  expect(listed.code).toBe(0);
  expect(listed.stdout.split('\n').find((l) => l.startsWith(cred.id))).toContain('ĐÃ THU HỒI');
}, 300_000);
