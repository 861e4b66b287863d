/**
 * Browser test (en-US browser, Vietnamese UI): the draft form (Soạn dự thảo / Sửa dự thảo) on the urql data
 * layer with react-hook-form + the shared zod rules (schema/validation/draft.ts). An empty form is refused at
 * its fields with the server's Vietnamese messages; a draft is created with its file (a GraphQL multipart
 * request through the urql client); then it is edited with a new version of the file. The server's record is
 * checked through the API.
 */
import { type Page } from 'playwright-core';
import { gql, loginToken } from '../support/gql';
import { uniquePdf } from '../integration/documents-incoming-helpers';
import { browserSuite } from '../support/browser';

const suite = browserSuite();



interface DraftData {
  document: { subject: string; copies: number | null; typeCode: string | null; files: { kind: string; version: number; fileName: string }[] };
}
const DRAFT = 'query($id: ID!) { document(id: $id) { subject copies typeCode files { kind version fileName } } }';

const fieldError = (page: Page, text: string) => page.locator('.doc-field__error', { hasText: text });

test('the chuyên viên creates a draft with its file, then saves a new version', async () => {
  const page = await suite.signIn('chuyenvien');
  await page.goto(`${suite.server.url}/outgoing/new`);
  await page.getByRole('heading', { level: 1, name: 'Soạn dự thảo' }).waitFor();

  // Nothing filled: refused at the fields, nothing sent.
  await page.getByLabel('Số bản').fill('0');
  await page.getByRole('button', { name: 'Tạo dự thảo' }).click();
  await fieldError(page, 'Chưa chọn loại văn bản.').waitFor();
  await fieldError(page, 'Trích yếu nội dung không được để trống.').waitFor();
  await fieldError(page, 'Số lượng bản phải là số nguyên dương.').waitFor();
  await fieldError(page, 'Vui lòng tải lên tệp dự thảo.').waitFor();
  expect(page.url()).toBe(`${suite.server.url}/outgoing/new`);

  await page.getByLabel('Loại văn bản').selectOption('code:KH');
  await page.getByLabel('Trích yếu nội dung').fill('  Kế hoạch chuyển đổi số năm 2027  ');
  await page.getByLabel('Số bản').fill('3');
  await page.getByLabel('Tệp dự thảo').setInputFiles({ name: 'Kế hoạch.pdf', mimeType: 'application/pdf', buffer: uniquePdf() });
  await page.getByRole('button', { name: 'Tạo dự thảo' }).click();
  await page.waitForURL((u) => /^\/outgoing\/documents\/[0-9a-f-]{36}$/.test(u.pathname));
  const id = new URL(page.url()).pathname.split('/').pop()!;

  const token = await loginToken(suite.server.url, 'chuyenvien');
  const created = await gql<DraftData>(suite.server.url, DRAFT, { id }, { token });
  expect(created.errors).toBeUndefined();
  expect(created.data!.document).toMatchObject({ subject: 'Kế hoạch chuyển đổi số năm 2027', copies: 3, typeCode: 'KH' });
  expect(created.data!.document.files.map((f) => [f.kind, f.version, f.fileName])).toEqual([['DRAFT', 1, 'Kế hoạch.pdf']]);

  // Sửa dự thảo: the form comes filled from the draft; a new subject and a new version of the file.
  await page.goto(`${suite.server.url}/outgoing/documents/${id}/edit`);
  await page.getByRole('heading', { level: 1, name: 'Sửa dự thảo' }).waitFor();
  const subject = page.getByLabel('Trích yếu nội dung');
  expect(await subject.inputValue()).toBe('Kế hoạch chuyển đổi số năm 2027');
  expect(await page.getByLabel('Số bản').inputValue()).toBe('3');
  await subject.fill('Kế hoạch chuyển đổi số năm 2027 (sửa đổi)');
  await page.getByLabel('Phiên bản mới của dự thảo').setInputFiles({ name: 'Kế hoạch sửa.pdf', mimeType: 'application/pdf', buffer: uniquePdf() });
  await page.getByRole('button', { name: 'Lưu dự thảo' }).click();
  await page.waitForURL((u) => u.pathname === `/outgoing/documents/${id}`);

  const saved = await gql<DraftData>(suite.server.url, DRAFT, { id }, { token });
  expect(saved.data!.document.subject).toBe('Kế hoạch chuyển đổi số năm 2027 (sửa đổi)');
  expect(saved.data!.document.files.filter((f) => f.kind === 'DRAFT').map((f) => [f.version, f.fileName])).toEqual([
    [1, 'Kế hoạch.pdf'],
    [2, 'Kế hoạch sửa.pdf'],
  ]);
  expect(suite.pageErrors).toEqual([]);
}, 120_000);
