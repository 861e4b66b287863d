/**
 * Browser test (en-US browser, issue 12): Quản trị → Chứng thư số. A document signed by the leader and issued
 * by the văn thư shows (to the văn thư) the leader's signature "Chưa bị thu hồi"; the quản trị revokes the leader's certificate
 * ("Thu hồi", a reason, then the confirmation); the list shows "Đã thu hồi ngày dd/mm/yyyy: lý do" and no more
 * button; the same document page then shows that signature "Đã bị thu hồi" / "Chứng thư số đã bị thu hồi".
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { browserSuite } from '../support/browser';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { derToPem, issueEndEntity, pemToDers } from '../../../server/src/modules/signing/crypto/certificates';
import { TrustAnchor } from '../../../server/src/modules/signing/signing.entities';
import { approveSignAndIssue } from '../support/issuing';

const suite = browserSuite();

async function blankPdf(): Promise<File> {
  const p = await PDFDocument.create();
  p.addPage([595, 842]);
  p.setTitle(`revoke-ui ${Math.random()}`);
  return new File([Buffer.from(await p.save())], 'du-thao.pdf', { type: 'application/pdf' });
}

test('the quản trị revokes the leader’s certificate; the issued document then shows the signature as revoked', async () => {
  const rt = suite.server.runtime;
  const out = rt.rt.services.outgoing;
  const dr = await out.createDraft(await rt.as('chuyenvien'), { typeCode: 'TB', subject: 'Thông báo thử thu hồi chứng thư số trên giao diện', recipientAgencyIds: [], files: [await blankPdf()] });
  await approveSignAndIssue(rt, dr.id);
  const leader = await rt.rt.orm.em.fork().findOneOrFail(User, { username: 'lanhdao' });

  // The văn thư opens the issued document; the quản trị manages the certificates.
  const clerk = await suite.signIn('vanthu');
  const docUrl = `${suite.server.url}/outgoing/documents/${dr.id}`;
  await clerk.goto(docUrl);
  const personal = clerk.getByTestId('file-signature').filter({ hasText: 'Chữ ký của người có thẩm quyền' }).first();
  await personal.waitFor({ timeout: 30_000 });
  await personal.getByText('Chưa bị thu hồi', { exact: true }).waitFor();

  const page = await suite.signIn('quantri');
  await page.goto(`${suite.server.url}/admin/certificates`);
  await page.getByRole('link', { name: 'Chứng thư số' }).waitFor();
  const table = page.getByTestId('agency-certificates');
  const row = table.locator('tr', { hasText: leader.fullName }).first();
  await row.waitFor();
  await row.getByRole('button', { name: `Thu hồi: ${leader.fullName}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Thu hồi chứng thư số' });
  await dialog.getByText(`Thu hồi chứng thư số của ${leader.fullName}`).waitFor();
  // A reason over 500 characters is refused at the field (the rule the server enforces too).
  await dialog.getByLabel('Lý do thu hồi').fill('x'.repeat(501));
  await dialog.getByRole('button', { name: 'Xác nhận thu hồi' }).click();
  await dialog.getByText('Lý do thu hồi tối đa 500 ký tự.').waitFor();
  await dialog.getByLabel('Lý do thu hồi').fill('Mất thiết bị ký số');
  await dialog.getByRole('button', { name: 'Xác nhận thu hồi' }).click();
  await page.getByRole('status').filter({ hasText: `Đã thu hồi chứng thư số của ${leader.fullName}.` }).waitFor();
  const state = row.getByTestId('certificate-state');
  await state.filter({ hasText: /^Đã thu hồi ngày \d{2}\/\d{2}\/\d{4}: Mất thiết bị ký số$/ }).waitFor();
  expect(await row.getByRole('button', { name: /Thu hồi/ }).count()).toBe(0);

  // The document's signature now reads revoked.
  await clerk.goto(docUrl);
  const after = clerk.getByTestId('file-signature').filter({ hasText: 'Chữ ký của người có thẩm quyền' }).first();
  await after.waitFor({ timeout: 30_000 });
  await after.getByText('Đã bị thu hồi', { exact: true }).waitFor();
  await after.getByText('Chứng thư số đã bị thu hồi', { exact: true }).waitFor();
  expect(await after.getByText('Chưa bị thu hồi').count()).toBe(0);
  expect(suite.pageErrors).toEqual([]);
}, 240_000);

test('a user installs a PKCS#12 on Chứng thư số: the file fields speak Vietnamese in an en-US browser, name the file chosen', async () => {
  // a PKCS#12 from the deployment's demo issuing CA, made by OpenSSL as a user's would be
  const rt = suite.server.runtime.rt;
  const anchor = await rt.orm.em.fork().findOneOrFail(TrustAnchor, { issuingCertificatePem: { $ne: null } }, { populate: ['issuingKeyEncrypted'] });
  const ca = { certDer: pemToDers(anchor.issuingCertificatePem!)[0], privateKeyPem: rt.services.signing.keystore.open(anchor.issuingKeyEncrypted!).toString() };
  const k = issueEndEntity(ca, [pemToDers(anchor.certificatePem)[0]], { kind: 'PERSONAL', cn: 'Lê Thị Thu Hương', o: 'UBND tỉnh Bắc Ninh' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cv-p12-'));
  fs.writeFileSync(path.join(dir, 'k.pem'), k.privateKeyPem);
  fs.writeFileSync(path.join(dir, 'c.pem'), derToPem(k.chain[0]));
  const p12 = path.join(dir, 'chu-ky-so.p12');
  execFileSync('openssl', ['pkcs12', '-export', '-inkey', path.join(dir, 'k.pem'), '-in', path.join(dir, 'c.pem'), '-out', p12, '-passout', 'pass:Mk@2026']);

  const page = await suite.signIn('truongphong');
  await page.goto(`${suite.server.url}/account/certificates`);
  const form = page.locator('form').filter({ hasText: 'Tệp PKCS#12' });
  // the page's own buttons, not the browser's "Choose File / No file chosen"
  await form.getByText('Chưa chọn tệp.').first().waitFor();
  expect(await form.locator('input[type=file]:not(.doc-files-input__native)').count()).toBe(0);
  expect(await form.getByText('Chọn tệp…').count()).toBe(2);
  await form.locator('input[type=file][accept*=".p12"]').setInputFiles(p12);
  await form.getByText('chu-ky-so.p12').waitFor();
  await page.getByLabel('Mật khẩu của tệp').fill('Mk@2026');
  await page.getByRole('button', { name: 'Lưu chứng thư' }).click();
  await page.getByText('Đã lưu chứng thư số của Lê Thị Thu Hương.').waitFor();
  await page.getByTestId('my-certificates').getByText('Lê Thị Thu Hương').waitFor();
  // saved: the field is empty again
  expect(await form.getByText('chu-ky-so.p12').count()).toBe(0);
  fs.rmSync(dir, { recursive: true, force: true });
  expect(suite.pageErrors).toEqual([]);
});
