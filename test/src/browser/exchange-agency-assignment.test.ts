/**
 * Giao cơ quan khác (issue 13 "Done when": a bút phê sends a document to a Sở, which completes it), every step
 * in the browser, inside one deployment (through the same exchange messages as between deployments):
 *   UBND tỉnh's văn thư registers a paper công văn from Bộ Tài chính and submits it to the lãnh đạo;
 *   the lãnh đạo's bút phê names "Sở Tài chính" chủ trì (an agency, picked from the exchange directory);
 *   Sở Tài chính's văn thư finds it in "Chờ vào sổ", registers it, submits it; its lãnh đạo assigns it to a
 *   chuyên viên, who completes it;
 *   UBND tỉnh's record shows the agency's assignment done and the document "Hoàn thành".
 */
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { browserSuite, dialogNamed, documentLoaded, screenshot } from '../support/browser';
import { annotateToPerson, complete, draftPdf, giveToAgency, registerFromInbox, submitToLeader } from './exchange-steps';

const suite = browserSuite();
const fullName = async (username: string) => (await suite.server.runtime.rt.orm.em.fork().findOneOrFail(User, { username })).fullName;

const SUBJECT = 'V/v rà soát dự toán ngân sách năm 2027 (giao Sở Tài chính chủ trì)';

test('the lãnh đạo gives the document to Sở Tài chính chủ trì; the Sở registers, assigns and completes it; the assignment completes', async () => {
  const base = suite.server.url;
  const [vanthu, lanhdao, stcVt, stcLd, stcCv] = await Promise.all(['vanthu', 'lanhdao', 'stc.vanthu', 'stc.lanhdao', 'stc.chuyenvien'].map((u) => suite.signIn(u)));

  // UBND tỉnh's văn thư registers the paper document with its scan
  await vanthu.goto(`${base}/incoming`);
  await vanthu.getByRole('link', { name: 'Vào sổ văn bản đến' }).click();
  await vanthu.getByRole('heading', { level: 1, name: 'Vào sổ văn bản đến' }).waitFor();
  await vanthu.getByLabel('Cơ quan ban hành').fill('Bộ Tài chính');
  await vanthu.getByLabel('Số, ký hiệu').fill(`${100 + Math.floor(Math.random() * 9000)}/BTC-NSNN`);
  await vanthu.getByLabel('Ngày ban hành').fill('20/11/2026');
  await vanthu.getByLabel('Loại văn bản').selectOption({ label: 'Công văn' });
  await vanthu.getByLabel('Trích yếu nội dung').fill(SUBJECT);
  await vanthu.locator('input[type=file]').setInputFiles(await draftPdf('BTC'));
  await vanthu.getByRole('button', { name: 'Vào sổ', exact: true }).click();
  await vanthu.getByRole('status').filter({ hasText: 'Đã vào sổ văn bản đến' }).waitFor();
  const url = new URL((await vanthu.getByRole('link', { name: 'Mở văn bản để trình lãnh đạo' }).getAttribute('href'))!, base).toString();
  await submitToLeader(vanthu, url, await fullName('lanhdao'));

  // the lãnh đạo: "Giao Sở Tài chính chủ trì" — the agency from the directory, as chủ trì
  await lanhdao.goto(url);
  await documentLoaded(lanhdao);
  await lanhdao.getByRole('button', { name: 'Bút phê', exact: true }).first().click();
  const dialog = dialogNamed(lanhdao, 'Bút phê');
  await giveToAgency(dialog, 'Giao Sở Tài chính chủ trì, báo cáo UBND tỉnh trước ngày 15/12/2026.', '000.00.03.H27');
  await dialog.getByRole('button', { name: 'Bút phê', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  const list = lanhdao.getByTestId('agency-assignments');
  await list.getByText('Sở Tài chính', { exact: false }).first().waitFor();
  await screenshot(lanhdao, 'exchange-agency-browser-1-annotated');

  // Sở Tài chính: văn thư registers it from "Chờ vào sổ" and submits it; its lãnh đạo assigns; the officer completes
  const stcUrl = await registerFromInbox(stcVt, base, SUBJECT);
  await submitToLeader(stcVt, stcUrl, await fullName('stc.lanhdao'));
  await annotateToPerson(stcLd, stcUrl, await fullName('stc.chuyenvien'), 'Giao Phòng Quản lý ngân sách xử lý.');
  await complete(stcCv, stcUrl);
  await screenshot(stcCv, 'exchange-agency-browser-2-so-completed');

  // UBND tỉnh: the lead agency's completion (06) completes its assignment and the document — on the leader's
  // open page, without reload
  await lanhdao.locator('.doc-markings').getByText('Hoàn thành').waitFor({ timeout: 60_000 });
  await lanhdao.getByTestId('agency-assignments').locator('[data-state="DONE"]').waitFor({ timeout: 60_000 });
  expect(await lanhdao.getByTestId('agency-assignments').innerText()).toMatch(/Sở Tài chính[\s\S]*Chủ trì[\s\S]*Hoàn thành/);
  await screenshot(lanhdao, 'exchange-agency-browser-3-done');
  expect(suite.pageErrors).toEqual([]);
}, 240_000);
