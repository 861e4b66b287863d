/**
 * Browser test (en-US browser, issue 9): the văn thư registers three documents, submits one to the leader (it
 * leaves "chờ vào sổ") and annuls another; in "Sổ văn bản đến" they find the submitted one by number range and
 * by a date range typed dd/mm/yyyy (24/11/2026 — a date an en-US reading would refuse), the dates in the table
 * read dd/mm/yyyy and the annulled line is struck through with "hủy: lý do"; the inbox search, started from the
 * "chờ vào sổ" box, finds the submitted document in another person's box and says so.
 */
import { type Page } from 'playwright-core';
import { gql, loginToken } from '../support/gql';
import { browserSuite } from '../support/browser';
import { User } from '../../../server/src/modules/identity/entities/user.entity';

const suite = browserSuite();



interface Registered {
  id: string;
  incomingNumber: number;
}

async function register(token: string, subject: string, symbol: string, receivedAt: string): Promise<Registered> {
  const r = await gql<{ registerIncoming: Registered }>(
    suite.server.url,
    'mutation($i: RegisterIncomingInput!){ registerIncoming(input:$i){ id incomingNumber } }',
    { i: { issuerName: 'Sở Văn hóa, Thể thao và Du lịch tỉnh Bắc Giang', symbol, issuedDate: '2026-11-20', typeName: 'Công văn', subject, receivedAt } },
    { token },
  );
  expect(r.errors).toBeUndefined();
  return r.data!.registerIncoming;
}

/** The register's lines (tbody rows with a number) as their cell texts. */
async function lines(page: Page): Promise<string[][]> {
  const rows = page.locator('tr.register-row');
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++) out.push((await rows.nth(i).locator('td').allInnerTexts()).map((s) => s.trim()));
  return out;
}

test('the văn thư finds a submitted document in the register (number range, dd/mm/yyyy dates) and through the search across boxes', async () => {
  const clerk = await loginToken(suite.server.url, 'vanthu');
  const leader = await suite.server.runtime.rt.services.orm.em.fork().findOneOrFail(User, { username: 'lanhdao' });
  const tag = Date.now().toString(36);
  const first = await register(clerk, `Lễ hội mùa xuân ${tag} thứ nhất`, `101/SVHTTDL-${tag}`, '2026-11-23T02:00:00Z');
  const submittedSubject = `Tổ chức giải bóng chuyền ${tag}`;
  const submitted = await register(clerk, submittedSubject, `102/SVHTTDL-${tag}`, '2026-11-24T02:00:00Z');
  const annulled = await register(clerk, `Văn bản vào sổ nhầm ${tag}`, `103/SVHTTDL-${tag}`, '2026-11-25T02:00:00Z');
  expect([first, submitted, annulled].map((d) => d.incomingNumber)).toEqual([first.incomingNumber, first.incomingNumber + 1, first.incomingNumber + 2]);
  const sub = await gql(suite.server.url, 'mutation($d: ID!, $l: ID!) { submitForAnnotation(documentId: $d, leaderId: $l) { id } }', { d: submitted.id, l: leader.id }, { token: clerk });
  expect(sub.errors).toBeUndefined();
  const page = await suite.signIn('vanthu');

  // Hủy vào sổ from the document page (the button comes from allowedActions: ANNUL): the number is kept.
  await page.goto(`${suite.server.url}/incoming/documents/${annulled.id}`);
  await page.getByRole('button', { name: 'Hủy vào sổ', exact: true }).click();
  const annulDialog = page.getByRole('dialog', { name: 'Hủy vào sổ văn bản đến' });
  await annulDialog.getByLabel('Lý do hủy').fill('Trùng văn bản');
  await annulDialog.getByRole('button', { name: 'Hủy vào sổ', exact: true }).click();
  await page.locator('[data-annulled]', { hasText: `Số đến ${annulled.incomingNumber} — hủy: Trùng văn bản` }).waitFor();
  const after = await gql<{ document: { status: string; incomingNumber: number } }>(suite.server.url, 'query($d: ID!) { document(id: $d) { status incomingNumber } }', { d: annulled.id }, { token: clerk });
  expect(after.data!.document).toEqual({ status: 'ANNULLED', incomingNumber: annulled.incomingNumber });

  await page.goto(`${suite.server.url}/incoming?box=TO_REGISTER`);
  await page.getByRole('link', { name: 'Sổ văn bản đến', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/incoming/registers');
  await page.getByRole('heading', { name: /^Sổ văn bản đến \d{4}/ }).waitFor();

  // by number range: exactly the submitted one, its received date as dd/mm/yyyy
  await page.getByLabel('Từ số', { exact: true }).fill(String(submitted.incomingNumber));
  await page.getByLabel('Đến số', { exact: true }).fill(String(submitted.incomingNumber));
  await page.getByRole('button', { name: 'Lọc', exact: true }).click();
  await page.locator('tr.register-row', { hasText: submittedSubject }).waitFor();
  await page.locator('.inbox__total', { hasText: /\b1 văn bản$/ }).waitFor();
  const byNumber = await lines(page);
  expect(byNumber).toHaveLength(1);
  expect(byNumber[0].slice(0, 5)).toEqual([String(submitted.incomingNumber), '24/11/2026', 'Sở Văn hóa, Thể thao và Du lịch tỉnh Bắc Giang', `102/SVHTTDL-${tag}`, '20/11/2026']);
  expect(byNumber[0][6]).toBe('Chờ bút phê');

  // by a received-date range typed dd/mm/yyyy (digits only: the field groups them)
  await page.getByRole('button', { name: 'Xóa bộ lọc', exact: true }).click();
  await page.getByLabel('Ngày đến từ', { exact: true }).pressSequentially('24112026');
  await page.getByLabel('Ngày đến đến ngày', { exact: true }).fill('25/11/2026');
  expect(await page.getByLabel('Ngày đến từ', { exact: true }).inputValue()).toBe('24/11/2026');
  await page.getByRole('button', { name: 'Lọc', exact: true }).click();
  await page.locator('tr.register-row', { hasText: submittedSubject }).waitFor();
  await page.locator('tr.register-row', { hasText: first.id ? `Lễ hội mùa xuân ${tag}` : '' }).waitFor({ state: 'detached' });
  const byDate = await lines(page);
  const ours = byDate.filter((cells) => cells.join(' ').includes(tag));
  expect(ours.map((c) => c[0])).toEqual([String(submitted.incomingNumber), String(annulled.incomingNumber)]);
  for (const cells of byDate) expect(['24/11/2026', '25/11/2026']).toContain(cells[1]);
  // the annulled line keeps its number, struck through, with the reason
  const struck = page.locator('tr.register-row--annulled', { hasText: `Văn bản vào sổ nhầm ${tag}` });
  await struck.locator('s', { hasText: new RegExp(`^${annulled.incomingNumber}$`) }).waitFor();
  await struck.getByText('hủy: Trùng văn bản').waitFor();

  // a bad date stays at its field, in Vietnamese
  await page.getByLabel('Ngày đến đến ngày', { exact: true }).fill('31/02/2026');
  await page.getByRole('button', { name: 'Lọc', exact: true }).click();
  await page.getByText('Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy.').waitFor();

  // the link opens the document
  await page.locator('tr.register-row', { hasText: submittedSubject }).getByRole('link').click();
  await page.waitForURL((u) => u.pathname === `/incoming/documents/${submitted.id}`);

  // the inbox search, from "chờ vào sổ", spans every box: the submitted one is with the leader now
  await page.goto(`${suite.server.url}/incoming?box=TO_REGISTER`);
  await page.getByLabel(/^Tìm theo số/).fill(`giai bong chuyen ${tag}`);
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  await page.getByRole('heading', { name: 'Kết quả tìm trong mọi hộp' }).waitFor();
  const result = page.locator('.doc-row', { hasText: submittedSubject });
  await result.waitFor();
  await result.getByText('Không ở hộp nào của bạn').waitFor();
  await result.getByText('Chờ bút phê').waitFor();
  await result.getByText('Số đến', { exact: false }).first().waitFor();
  // by its số đến too
  // (with words of the subject that carry no digit: the base-36 tag may contain the number's digits)
  await page.getByLabel(/^Tìm theo số/).fill(`${submitted.incomingNumber} bóng chuyền`);
  await page.getByRole('button', { name: 'Tìm', exact: true }).click();
  // the new results replace the old ones once fetched: wait for exactly one row, the submitted document
  await page.waitForFunction(() => document.querySelectorAll('.doc-row').length === 1);
  await page.locator('.doc-row', { hasText: submittedSubject }).waitFor();
  expect(await page.locator('.doc-row').count()).toBe(1);
  expect(suite.pageErrors).toEqual([]);
}, 240_000);
