/**
 * Browser test (en-US browser, issue 12): Quản trị → Chứng thư số. A document signed by the leader and issued
 * by the văn thư shows (to the văn thư) the leader's signature "Chưa bị thu hồi"; the quản trị revokes the leader's certificate
 * ("Thu hồi", a reason, then the confirmation); the list shows "Đã thu hồi ngày dd/mm/yyyy: lý do" and no more
 * button; the same document page then shows that signature "Đã bị thu hồi" / "Chứng thư số đã bị thu hồi".
 */
import { PDFDocument } from 'pdf-lib';
import { browserSuite } from '../support/browser';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
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
