/**
 * Browser steps of the exchange walks (issue 13), shared by exchange-two-deployments.test.ts and
 * exchange-agency-assignment.test.ts: what each user does on the pages, through the UI only. `base` is the
 * origin of the deployment the page is signed in to.
 */
import { PDFDocument } from 'pdf-lib';
import type { Locator, Page } from 'playwright-core';
import { approveIfAsked, dialogNamed, documentLoaded, screenshot } from '../support/browser';
import { until } from '../support/until';

/** A one-page PDF with no text layer (the thể thức check has nothing to read), unique by its title. */
export async function draftPdf(tag: string): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const doc = await PDFDocument.create();
  doc.addPage([595, 842]);
  doc.setTitle(`${tag} ${Date.now()} ${Math.random()}`);
  return { name: 'cong-van.pdf', mimeType: 'application/pdf', buffer: Buffer.from(await doc.save()) };
}

/** The option label of the first <select> in `scope` that starts with `prefix`, once the list has loaded it. */
export async function optionStartingWith(select: Locator, prefix: string): Promise<string> {
  const texts = await until(`an option "${prefix}…"`, () => select.locator('option').allInnerTexts(), (ts) => ts.some((o) => o.trim().startsWith(prefix)), 20_000);
  return texts.find((o) => o.trim().startsWith(prefix))!.trim();
}

/** The edXML status code shown in the sender's "Nơi nhận" row of `name` (the page is not reloaded). */
export function recipientCode(page: Page, name: string | RegExp): Promise<string> {
  const row = page.getByRole('region', { name: 'Nơi nhận' }).getByRole('row', { name });
  return row.locator('td').nth(1).innerText().then((s) => s.trim());
}

/** Waits until the sender's row of `name` shows `code`, with nobody reloading the page. */
export async function waitForRecipientCode(page: Page, name: string | RegExp, code: string): Promise<void> {
  await until(`status ${code} for ${String(name)}`, () => recipientCode(page, name).catch(() => ''), (c) => c === code);
}

export interface IssuingPages {
  drafter: Page;
  deputy: Page;
  leader: Page;
  clerk: Page;
}

/**
 * A công văn drafted by the chuyên viên to the recipient found by `search` in the Nơi nhận picker (checkbox
 * `recipient`), approved by the trưởng phòng and the lãnh đạo, signed, issued by the văn thư. Returns the
 * document's URL (the văn thư's page is left on it).
 */
export async function issueThroughUi(
  p: IssuingPages,
  base: string,
  opts: { subject: string; search: string; recipient: RegExp; expectInPicker?: RegExp[] },
): Promise<string> {
  const cv = p.drafter;
  await cv.goto(`${base}/outgoing`);
  await cv.getByRole('link', { name: 'Soạn dự thảo' }).click();
  await cv.getByRole('heading', { level: 1, name: 'Soạn dự thảo' }).waitFor();
  await cv.getByLabel('Loại văn bản').selectOption({ label: 'Công văn' });
  await cv.getByLabel('Trích yếu nội dung').fill(opts.subject);
  await cv.getByLabel('Tìm cơ quan trong hệ thống').fill(opts.search);
  const box = cv.getByRole('checkbox', { name: opts.recipient });
  await box.waitFor({ timeout: 30_000 });
  for (const re of opts.expectInPicker ?? []) await cv.getByRole('checkbox', { name: re }).waitFor();
  await box.check();
  await cv.locator('input[type=file]').setInputFiles(await draftPdf(opts.subject));
  await cv.getByText('cong-van.pdf').first().waitFor();
  await cv.getByRole('button', { name: 'Tạo dự thảo' }).click();
  await cv.waitForURL(/\/outgoing\/documents\/[^/]+$/);
  const url = cv.url();
  await cv.getByRole('button', { name: 'Trình duyệt' }).click();
  await dialogNamed(cv, 'Trình duyệt').getByRole('button', { name: 'Trình duyệt' }).click();
  await cv.getByText('Đã trình duyệt dự thảo.').first().waitFor();

  await p.deputy.goto(url);
  await documentLoaded(p.deputy);
  await p.deputy.getByRole('button', { name: 'Duyệt', exact: true }).waitFor();
  await approveIfAsked(p.deputy);

  await p.leader.goto(url);
  await documentLoaded(p.leader);
  await approveIfAsked(p.leader);
  await p.leader.getByRole('button', { name: 'Ký ban hành' }).click();
  await dialogNamed(p.leader, 'Ký ban hành').getByRole('button', { name: 'Ký ban hành' }).click();
  await p.leader.getByText('Đã ký.').first().waitFor({ timeout: 120_000 });

  await p.clerk.goto(url);
  await documentLoaded(p.clerk);
  await p.clerk.getByRole('button', { name: 'Phát hành' }).click();
  await dialogNamed(p.clerk, 'Phát hành').getByRole('button', { name: 'Phát hành' }).click();
  await p.clerk
    .getByText(/Đã phát hành văn bản \d+\//)
    .first()
    .waitFor({ timeout: 120_000 })
    .catch(async (e: Error) => {
      // say what the page shows instead (an error in the dialog, a notice)
      throw new Error(`${e.message}\n--- page shows:\n${(await p.clerk.locator('main').innerText().catch(() => '')).slice(0, 3000)}`);
    });
  return url;
}

/**
 * The văn thư of the receiving agency: "Chờ vào sổ" on the tasks page (waits for the document to arrive),
 * opens it and registers it (Vào sổ → Xác nhận vào sổ). Returns the incoming record's URL.
 */
export async function registerFromInbox(page: Page, base: string, subject: string): Promise<string> {
  await until(
    `"${subject}" in Chờ vào sổ`,
    async () => {
      await page.goto(`${base}/tasks`);
      await page.getByRole('navigation', { name: 'Hộp văn bản' }).getByRole('link', { name: /^Chờ vào sổ/ }).click();
      return page.getByRole('link', { name: subject }).waitFor({ timeout: 5_000 }).then(
        () => true,
        () => false,
      );
    },
    (v) => v,
  );
  await page.getByRole('link', { name: subject }).click();
  await documentLoaded(page);
  const url = page.url();
  await page.locator('.doc-markings').getByText('Chờ vào sổ').waitFor();
  await page.getByRole('link', { name: 'Vào sổ', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Tiếp nhận văn bản điện tử' }).waitFor();
  await until('the prefilled form', () => page.getByLabel('Trích yếu nội dung').inputValue(), (v) => v.trim() !== '', 20_000);
  await page.getByRole('button', { name: 'Xác nhận vào sổ' }).click();
  await page.getByRole('status').filter({ hasText: 'Đã vào sổ văn bản đến' }).waitFor();
  return url;
}

/** The văn thư submits the incoming record to the leader named `leaderName` (Trình lãnh đạo). */
export async function submitToLeader(page: Page, url: string, leaderName: string): Promise<void> {
  await page.goto(url);
  await documentLoaded(page);
  await page.getByRole('button', { name: 'Trình lãnh đạo' }).click();
  const d = dialogNamed(page, 'Trình lãnh đạo');
  const select = d.locator('select').first();
  await select.selectOption({ label: await optionStartingWith(select, leaderName) });
  await d.getByRole('button', { name: 'Trình lãnh đạo' }).click();
  await page.getByText('Đã trình lãnh đạo.').first().waitFor();
}

/** The leader writes the bút phê: `instruction`, chủ trì = the person `leadName`. */
export async function annotateToPerson(page: Page, url: string, leadName: string, instruction: string): Promise<void> {
  await page.goto(url);
  await documentLoaded(page);
  await page.getByRole('button', { name: 'Bút phê', exact: true }).first().click();
  const d = dialogNamed(page, 'Bút phê');
  await d.getByLabel('Ý kiến chỉ đạo').fill(instruction);
  const target = d.getByLabel('Đơn vị hoặc người chủ trì');
  await target.selectOption({ label: await optionStartingWith(target, leadName) });
  await d.getByRole('button', { name: 'Bút phê', exact: true }).click();
  await page.getByText('Đã ghi bút phê và chuyển xử lý.').first().waitFor();
  await d.waitFor({ state: 'detached' });
}

/** The chuyên viên reports progress (Cập nhật tiến độ). */
export async function reportProgress(page: Page, url: string, text: string): Promise<void> {
  await page.goto(url);
  await documentLoaded(page);
  await page.getByRole('button', { name: 'Cập nhật tiến độ' }).click();
  const p = dialogNamed(page, 'Cập nhật tiến độ');
  await p.getByLabel('Nội dung tiến độ').fill(text);
  await p.getByRole('button', { name: 'Cập nhật tiến độ' }).click();
  await page.getByText('Đã cập nhật tiến độ.').first().waitFor();
}

/** The chuyên viên completes their assignment (Hoàn thành); the page is the document's. */
export async function complete(page: Page, url: string): Promise<void> {
  if (page.url() !== url) {
    await page.goto(url);
    await documentLoaded(page);
  }
  await page
    .getByRole('button', { name: 'Hoàn thành' })
    .click()
    .catch(async (e: Error) => {
      await screenshot(page, 'exchange-steps-complete-failed');
      throw e;
    });
  await dialogNamed(page, 'Hoàn thành').getByRole('button', { name: 'Hoàn thành' }).click();
  await page.getByText('Đã hoàn thành.').first().waitFor();
}

/** In an open "Bút phê" dialog: writes the instruction and names one agency (by its code) as chủ trì (LEAD). */
export async function giveToAgency(dialog: Locator, opinion: string, agencyCode: string): Promise<void> {
  await dialog.getByLabel('Ý kiến chỉ đạo').fill(opinion);
  const agencies = dialog.getByTestId('agency-assignees');
  await agencies.getByRole('button', { name: 'Thêm cơ quan' }).click();
  const select = agencies.getByRole('combobox', { name: /^Cơ quan 1/ });
  await select.locator(`option[value="${agencyCode}"]`).waitFor({ state: 'attached' });
  await select.selectOption(agencyCode);
  await agencies.getByLabel('Vai trò').selectOption('LEAD');
}
