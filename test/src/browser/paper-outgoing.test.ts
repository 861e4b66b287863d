/**
 * Browser test (en-US browser, issue 12): "Vào sổ văn bản giấy" — the văn thư registers in Sổ văn bản đi a
 * paper document signed outside the system, with its PDF scan. The button comes from the server
 * (Query.paperOutgoingAllowed: a chuyên viên does not see it); the form checks the shared rules at the fields
 * (schema/validation/paper-outgoing.ts), the ngày ký is typed dd/mm/yyyy, a server refusal (a scan that is not
 * a PDF or an image) shows at the scan field; once registered, the register lists the document with its number.
 */
import { type Page } from 'playwright-core';
import { uniquePdf } from '../integration/documents-incoming-helpers';
import { browserSuite } from '../support/browser';

const suite = browserSuite();

/** Today in Hà Nội as dd/mm/yyyy. */
function todayVnText(): string {
  const p = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit', year: 'numeric' }).format(new Date());
  return p; // en-GB gives dd/mm/yyyy
}

async function openDialog(page: Page) {
  await page.getByRole('button', { name: 'Vào sổ văn bản giấy' }).click();
  return page.getByRole('dialog', { name: 'Vào sổ văn bản đi đã ký trên giấy' });
}

test('the văn thư registers a paper document with its scan and sees it in Sổ văn bản đi with its number', async () => {
  const page = await suite.signIn('vanthu');
  await page.goto(`${suite.server.url}/outgoing/registers`);
  const dialog = await openDialog(page);

  // Empty form: the shared rules at the fields, nothing sent.
  await dialog.getByLabel('Ngày ký').fill('');
  await dialog.getByRole('button', { name: 'Vào sổ', exact: true }).click();
  await dialog.getByText('Chưa chọn loại văn bản (hoặc loại không có trong danh mục).').waitFor();
  await dialog.getByText('Trích yếu nội dung không được để trống.').waitFor();
  await dialog.getByText('Chưa nhập người ký.').waitFor();
  await dialog.getByText('Chưa chọn tệp bản quét văn bản đã ký.').waitFor();

  const tag = Date.now().toString(36);
  const subject = `Báo cáo kết quả kiểm tra công tác văn thư năm 2026 ${tag}`;
  await dialog.getByLabel('Loại văn bản').selectOption({ label: 'Báo cáo (BC)' });
  await dialog.getByLabel('Trích yếu nội dung').fill(subject);
  await dialog.getByLabel(/^Người ký/).fill('Phạm Quốc Hùng');
  await dialog.getByLabel('Chức vụ người ký').fill('Phó Chủ tịch');
  // A date after today is refused at the field (typed dd/mm/yyyy in an en-US browser).
  await dialog.getByLabel('Ngày ký').fill('31/12/2099');
  await dialog.getByLabel('Nơi nhận').fill('Văn phòng Chính phủ\nBộ Nội vụ');
  // A scan that is neither a PDF nor an image: the server refuses it, at the scan field.
  await dialog.getByLabel('Bản quét văn bản đã ký').setInputFiles({ name: 'ban-quet.pdf', mimeType: 'application/pdf', buffer: Buffer.from('not a pdf at all') });
  await dialog.getByRole('button', { name: 'Vào sổ', exact: true }).click();
  await dialog.getByText('Ngày ký không được sau hôm nay.').waitFor();
  const today = todayVnText();
  await dialog.getByLabel('Ngày ký').fill(today);
  await dialog.getByRole('button', { name: 'Vào sổ', exact: true }).click();
  const scanError = dialog.locator('.doc-field__error').filter({ hasText: /ban-quet\.pdf/ });
  await scanError.waitFor();

  await dialog.getByRole('button', { name: /ban-quet\.pdf/ }).click();
  await dialog.getByLabel('Bản quét văn bản đã ký').setInputFiles({ name: 'ban-quet.pdf', mimeType: 'application/pdf', buffer: uniquePdf(tag) });
  await dialog.getByRole('button', { name: 'Vào sổ', exact: true }).click();
  const notice = page.getByTestId('paper-outgoing-notice');
  await notice.waitFor();
  const symbol = /số (\d+\/BC-UBND)\./.exec(await notice.innerText())?.[1];
  expect(symbol).toBeTruthy();
  const number = Number(symbol!.split('/')[0]);

  // The register lists it, with its number, symbol, date dd/mm/yyyy and the signer.
  const row = page.locator('tr.register-row', { hasText: subject });
  await row.waitFor();
  expect(await row.getAttribute('data-number')).toBe(String(number));
  const cells = (await row.locator('td').allInnerTexts()).map((s) => s.trim());
  expect(cells[0]).toBe(String(number));
  // number, symbol, date, "Loại: trích yếu", unit, Người ký with the authority (default for a UBND deputy), state
  expect(cells).toEqual(expect.arrayContaining([symbol, today, `Báo cáo: ${subject}`, 'KT. CHỦ TỊCH — Phó Chủ tịch Phạm Quốc Hùng']));

  // The document page opens from the notice: issued, the scan as its file.
  await notice.getByRole('link', { name: 'Mở văn bản' }).click();
  await page.waitForURL((u) => /^\/outgoing\/documents\/[0-9a-f-]{36}$/.test(u.pathname));
  await page.getByText(symbol!).first().waitFor();
  expect(suite.pageErrors).toEqual([]);
}, 180_000);

test('a chuyên viên does not see the action (the server says who may)', async () => {
  const page = await suite.signIn('chuyenvien');
  await page.goto(`${suite.server.url}/outgoing`);
  await page.getByRole('link', { name: 'Soạn dự thảo' }).waitFor();
  expect(await page.getByRole('button', { name: 'Vào sổ văn bản giấy' }).count()).toBe(0);
}, 60_000);
