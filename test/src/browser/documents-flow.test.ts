/**
 * Browser test of the documents flows (issue 3) against the real API on a fresh demo database, one browser
 * context per user:
 *   văn thư registers a paper document (scan dev01.pdf) → submits it to the lãnh đạo → lãnh đạo annotates
 *   (chủ trì: phòng Kinh tế, with a deadline) → trưởng phòng KT re-assigns to the chuyên viên → chuyên viên
 *   reports progress and completes;
 *   chuyên viên drafts a reply → trưởng phòng approves → lãnh đạo approves and signs → văn thư issues →
 *   Sở Nội vụ's văn thư finds it in "Chờ vào sổ" and registers it → the sender sees status 03 (đã tiếp nhận).
 * axe-core (no serious/critical violations) runs on the main pages and dialogs. Screenshots go to test/.artifacts/.
 */
import { type Page } from 'playwright-core';
import { gql, loginToken } from '../support/gql';
import { scanPath } from '../../fixtures';
import { browserSuite, screenshot, seriousA11yViolations, approveIfAsked, dialogNamed, documentLoaded } from '../support/browser';
import { until } from '../support/until';

const suite = browserSuite();

const SCAN = scanPath('dev01.pdf');
const PASSWORD = 'congvan2026';

const shot = (page: Page, name: string) => screenshot(page, `documents-${name}`);

/** A signed-in page for `username` in its own browser context. */
function signedIn(username: string): Promise<Page> {
  return suite.signIn(username);
}

async function userId(username: string): Promise<{ id: string; fullName: string }> {
  const token = await loginToken(suite.server.url, username, PASSWORD);
  const r = await gql<{ me: { id: string; fullName: string } }>(suite.server.url, '{ me { id fullName } }', {}, { token });
  return r.data!.me;
}

/** The count shown next to a box in the "Hộp văn bản" navigation (the counts arrive after the list: once it shows one). */
async function boxCount(page: Page, box: string): Promise<number> {
  const link = page.getByRole('navigation', { name: 'Hộp văn bản' }).getByRole('link', { name: new RegExp(`^${box}`) });
  await link.waitFor();
  const m = await until(`a count on "${box}"`, async () => /(\d+)/.exec(await link.innerText()), 20_000);
  return Number(m[1]);
}

/** Opens `box` on the tasks page and the document whose trích yếu is `subject`. */
async function openFromBox(page: Page, box: string, subject: string): Promise<void> {
  await page.goto(`${suite.server.url}/tasks`);
  await page.getByRole('navigation', { name: 'Hộp văn bản' }).getByRole('link', { name: new RegExp(`^${box}`) }).click();
  await page.getByRole('link', { name: subject }).click();
  await documentLoaded(page);
}

const dialog = dialogNamed;

/** The label of the first <select>'s option starting with `prefix`, once the (asynchronously loaded) list has it. */
async function optionStartingWith(d: ReturnType<typeof dialog>, prefix: string): Promise<string> {
  const has = (texts: string[]) => texts.find((o) => o.startsWith(prefix));
  return has(await until(`an option "${prefix}…"`, () => d.locator('select').first().locator('option').allInnerTexts(), (texts) => Boolean(has(texts)), 20_000))!;
}

const SUBJECT_IN = 'V/v báo cáo tình hình thực hiện cải cách hành chính năm 2026';
const SUBJECT_OUT = 'V/v cung cấp số liệu cải cách hành chính năm 2026';

let vanthu: Page;
let lanhdao: Page;
let truongphong: Page;
let chuyenvien: Page;
let snvVanthu: Page;
let incomingUrl = '';
let outgoingUrl = '';

beforeAll(async () => {
  [vanthu, lanhdao, truongphong, chuyenvien, snvVanthu] = await Promise.all(
    ['vanthu', 'lanhdao', 'truongphong', 'chuyenvien', 'snv.vanthu'].map((u) => signedIn(u)),
  );
}, 240_000);

describe('documents: incoming flow in the browser', () => {
  test('văn thư registers a paper document with its scan and sees the số đến', async () => {
    await vanthu.goto(`${suite.server.url}/tasks`);
    await vanthu.getByRole('heading', { level: 1, name: 'Việc cần xử lý' }).waitFor();
    expect(await boxCount(vanthu, 'Chờ vào sổ')).toBe(0);
    expect(await seriousA11yViolations(vanthu)).toEqual([]);

    await vanthu.goto(`${suite.server.url}/incoming`);
    await vanthu.getByRole('link', { name: 'Vào sổ văn bản đến' }).click();
    await vanthu.getByRole('heading', { level: 1, name: 'Vào sổ văn bản đến' }).waitFor();
    // Required fields are checked, with Vietnamese errors next to the fields.
    await vanthu.getByRole('button', { name: 'Vào sổ', exact: true }).click();
    await vanthu.getByText('Chưa nhập trích yếu nội dung văn bản.').waitFor();
    expect(await vanthu.getByLabel('Trích yếu nội dung').getAttribute('aria-invalid')).toBe('true');
    expect(await seriousA11yViolations(vanthu)).toEqual([]);

    await vanthu.getByLabel('Cơ quan ban hành').fill('Sở Nội vụ tỉnh Bắc Ninh');
    await vanthu.getByText('Cơ quan trong hệ thống (mã định danh 000.00.02.H27).').waitFor();
    await vanthu.getByLabel('Số, ký hiệu').fill('125/SNV-CCHC');
    await vanthu.getByLabel('Ngày ban hành').fill('20/11/2026'); // dd/mm/yyyy whatever the browser's locale
    await vanthu.getByLabel('Loại văn bản').selectOption({ label: 'Công văn' });
    await vanthu.getByLabel('Trích yếu nội dung').fill(SUBJECT_IN);
    await vanthu.getByLabel('Người ký', { exact: true }).fill('Lê Văn Hòa');
    await vanthu.getByLabel('Thẩm quyền, chức vụ người ký').fill('Giám đốc');
    await vanthu.getByLabel('Mức độ khẩn').selectOption('KHAN');
    await vanthu.locator('input[type=file]').setInputFiles(SCAN);
    await vanthu.getByText('dev01.pdf').waitFor();
    await vanthu.getByRole('button', { name: 'Vào sổ', exact: true }).click();

    const result = vanthu.getByRole('status').filter({ hasText: 'Đã vào sổ văn bản đến' });
    await result.waitFor();
    expect(await result.innerText()).toMatch(/Số đến:\s*1\s*\/\s*\d{4}/);
    await shot(vanthu, 'registered');
    incomingUrl = new URL((await vanthu.getByRole('link', { name: 'Mở văn bản để trình lãnh đạo' }).getAttribute('href'))!, suite.server.url).toString();
  });

  test('the document page shows the scan, the fields and the history', async () => {
    await vanthu.goto(incomingUrl);
    await vanthu.getByRole('heading', { level: 1, name: 'Công văn 125/SNV-CCHC' }).waitFor();
    const frame = vanthu.locator('iframe[title="Nội dung tệp dev01.pdf"]');
    await frame.waitFor();
    const src = (await frame.getAttribute('src'))!;
    // opened at the frame's width without the thumbnail pane (PDF open parameters in the fragment)
    expect(new URL(src, suite.server.url).hash).toBe('#view=FitH&navpanes=0&zoom=page-width&pagemode=none');
    const pdf = await suite.fetchSigned(src);
    expect(pdf.status).toBe(200);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const facts = await vanthu.getByRole('region', { name: 'Thông tin văn bản' }).innerText();
    expect(facts).toContain('Sở Nội vụ tỉnh Bắc Ninh');
    expect(facts).toContain('20/11/2026');
    expect(await vanthu.getByRole('region', { name: 'Lịch sử xử lý' }).innerText()).toContain('Vào sổ văn bản đến');
    expect(await seriousA11yViolations(vanthu)).toEqual([]);
  });

  test('văn thư submits it to the lãnh đạo (Trình)', async () => {
    const leader = await userId('lanhdao');
    await vanthu.goto(incomingUrl);
    await documentLoaded(vanthu);
    await vanthu.getByRole('button', { name: 'Trình lãnh đạo' }).click();
    const d = dialog(vanthu, 'Trình lãnh đạo');
    await d.waitFor();
    expect(await seriousA11yViolations(vanthu)).toEqual([]);
    await d.locator('select').first().selectOption({ label: await optionStartingWith(d, leader.fullName) });
    await d.getByRole('button', { name: 'Trình lãnh đạo' }).click();
    await vanthu.getByText('Đã trình lãnh đạo.').first().waitFor();
  });

  test('lãnh đạo finds it in "Chờ bút phê" and annotates: chủ trì phòng Kinh tế, with a deadline', async () => {
    await lanhdao.goto(`${suite.server.url}/tasks`);
    expect(await until('one document in Chờ bút phê for lanhdao', () => boxCount(lanhdao, 'Chờ bút phê'), (n) => n === 1, 10_000)).toBe(1);
    await openFromBox(lanhdao, 'Chờ bút phê', SUBJECT_IN);
    await lanhdao.getByRole('button', { name: 'Bút phê' }).click();
    const d = dialog(lanhdao, 'Bút phê');
    await d.waitFor();
    await d.getByLabel('Ý kiến chỉ đạo').fill('Giao Phòng Kinh tế chủ trì, tham mưu báo cáo trước ngày 05/12/2026.');
    await d.getByLabel('Đơn vị hoặc người chủ trì').selectOption({ label: 'Phòng Kinh tế (KT)' });
    await d.getByLabel('Thời hạn giải quyết').fill('05/12/2099');
    // the chủ trì and its deadline side by side from the top (the chủ trì's label had sunk to the row's bottom)
    const labelTop = async (text: string) => (await d.locator('label').filter({ hasText: text }).first().boundingBox())!.y;
    expect(Math.abs((await labelTop('Đơn vị hoặc người chủ trì')) - (await labelTop('Thời hạn giải quyết')))).toBeLessThan(2);
    await shot(lanhdao, 'annotate-dialog');
    expect(await seriousA11yViolations(lanhdao)).toEqual([]);
    await d.getByRole('button', { name: 'Bút phê' }).click();
    await lanhdao.getByText('Đã ghi bút phê và chuyển xử lý.').first().waitFor();
    await d.waitFor({ state: 'detached' });

    const stamp = await lanhdao.getByRole('region', { name: 'Ý kiến chỉ đạo (bút phê)' }).innerText();
    expect(stamp).toContain('ĐẾN');
    expect(stamp).toMatch(/Chủ trì: Phòng Kinh tế \(KT\) — hạn 05\/12\/2099/i);
    expect(stamp).toContain('Giao Phòng Kinh tế chủ trì');
    // Focus went back to the page, not lost (the dialog returned it to its opener or the page).
    expect(await lanhdao.evaluate(() => document.activeElement?.tagName)).not.toBe('DIALOG');
    await shot(lanhdao, 'annotated');
    expect(await seriousA11yViolations(lanhdao)).toEqual([]);
  });

  test('trưởng phòng KT sees it in "Cần xử lý" and re-assigns it to the chuyên viên', async () => {
    const staff = await userId('chuyenvien');
    await truongphong.goto(`${suite.server.url}/tasks`);
    expect(await until('one document in Cần xử lý for truongphong', () => boxCount(truongphong, 'Cần xử lý'), (n) => n === 1, 10_000)).toBe(1);
    await openFromBox(truongphong, 'Cần xử lý', SUBJECT_IN);
    await truongphong.getByRole('button', { name: 'Giao xử lý' }).click();
    const d = dialog(truongphong, 'Giao xử lý');
    await d.waitFor();
    await d.locator('select').first().selectOption({ label: await optionStartingWith(d, staff.fullName) });
    // the unit's deadline, typed dd/mm/yyyy, earlier than the leader's 05/12/2099
    await d.getByLabel('Thời hạn giải quyết').fill('30/11/2099');
    await d.getByRole('button', { name: 'Giao xử lý' }).click();
    await truongphong.getByText('Đã giao xử lý.').first().waitFor();

    // The bút phê chain is kept: the leader's line with its deadline, and under it the person with theirs.
    const chain = truongphong.locator('[data-chain]');
    await chain.getByText(staff.fullName, { exact: false }).first().waitFor();
    const text = await chain.innerText();
    expect(text).toMatch(/Chủ trì: Phòng Kinh tế \(KT\) — hạn 05\/12\/2099/i);
    expect(text).toMatch(/hạn 30\/11\/2099/i);
    expect(text).toContain(staff.fullName);
  });

  test('chuyên viên reports progress and completes; the document is "Hoàn thành"', async () => {
    await chuyenvien.goto(`${suite.server.url}/tasks`);
    expect(await until('one document in Cần xử lý for chuyenvien', () => boxCount(chuyenvien, 'Cần xử lý'), (n) => n === 1, 10_000)).toBe(1);
    await openFromBox(chuyenvien, 'Cần xử lý', SUBJECT_IN);
    await chuyenvien.getByRole('button', { name: 'Cập nhật tiến độ' }).click();
    const p = dialog(chuyenvien, 'Cập nhật tiến độ');
    // a long report with an address in it: the assignments table wraps it and keeps its buttons in view
    await p
      .getByLabel('Nội dung tiến độ')
      .fill('Đã tổng hợp số liệu các đơn vị. Bảng tổng hợp: https://congvan.bacninh.gov.vn/tai-lieu/bao-cao-tong-hop-so-lieu-cac-don-vi-quy-IV-nam-2026-theo-ke-hoach-so-05-KH-UBND.xlsx');
    await p.getByRole('button', { name: 'Cập nhật tiến độ' }).click();
    await chuyenvien.getByText('Đã cập nhật tiến độ.').first().waitFor();
    const wrap = chuyenvien.getByRole('region', { name: 'Phân công xử lý' }).locator('.doc-table-wrap');
    await wrap.getByText('Bảng tổng hợp').waitFor();
    await shot(chuyenvien, 'progress-reported');
    expect(await wrap.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);

    await chuyenvien.getByRole('button', { name: 'Hoàn thành' }).click();
    const c = dialog(chuyenvien, 'Hoàn thành');
    await c.getByRole('button', { name: 'Hoàn thành' }).click();
    await chuyenvien.getByText('Đã hoàn thành.').first().waitFor();
    await chuyenvien.locator('.doc-markings').getByText('Hoàn thành').waitFor();
    const assignments = await chuyenvien.getByRole('region', { name: 'Phân công xử lý' }).innerText();
    expect(assignments).toContain('Đã tổng hợp số liệu các đơn vị.');
    await shot(chuyenvien, 'completed');
    expect(await seriousA11yViolations(chuyenvien)).toEqual([]);
  });
});

describe('documents: outgoing flow in the browser', () => {
  test('chuyên viên drafts a reply to Sở Nội vụ and submits it for approval', async () => {
    await chuyenvien.goto(`${suite.server.url}/outgoing`);
    await chuyenvien.getByRole('link', { name: 'Soạn dự thảo' }).click();
    await chuyenvien.getByRole('heading', { level: 1, name: 'Soạn dự thảo' }).waitFor();
    await chuyenvien.getByLabel('Loại văn bản').selectOption({ label: 'Công văn' });
    await chuyenvien.getByLabel('Trích yếu nội dung').fill(SUBJECT_OUT);
    await chuyenvien.getByLabel('Mức độ khẩn').selectOption('HOA_TOC');
    await chuyenvien.getByLabel('Tìm cơ quan trong hệ thống').fill('noi vu'); // no diacritics
    await chuyenvien.getByRole('checkbox', { name: /Sở Nội vụ tỉnh Bắc Ninh/ }).check();
    await chuyenvien.locator('input[type=file]').setInputFiles(SCAN);
    expect(await seriousA11yViolations(chuyenvien)).toEqual([]);
    await chuyenvien.getByRole('button', { name: 'Tạo dự thảo' }).click();
    await chuyenvien.waitForURL(/\/outgoing\/documents\/[^/]+$/);
    outgoingUrl = chuyenvien.url();
    await chuyenvien.locator('.doc-markings').getByText('Dự thảo').waitFor();

    await chuyenvien.getByRole('button', { name: 'Trình duyệt' }).click();
    await dialog(chuyenvien, 'Trình duyệt').getByRole('button', { name: 'Trình duyệt' }).click();
    await chuyenvien.getByText('Đã trình duyệt dự thảo.').first().waitFor();
  });

  test('trưởng phòng finds it in "Chờ duyệt" (Hỏa tốc) and approves with a comment', async () => {
    await truongphong.goto(`${suite.server.url}/tasks`);
    expect(await until('one document in Chờ duyệt for truongphong', () => boxCount(truongphong, 'Chờ duyệt'), (n) => n === 1, 10_000)).toBe(1);
    await truongphong.getByRole('navigation', { name: 'Hộp văn bản' }).getByRole('link', { name: /^Chờ duyệt/ }).click();
    const row = truongphong.locator('.doc-row', { hasText: SUBJECT_OUT });
    expect(await row.locator('.doc-badge--urgency-hoa_toc').innerText()).toBe('Hỏa tốc');
    await row.getByRole('link', { name: SUBJECT_OUT }).click();
    await truongphong.getByRole('button', { name: 'Duyệt', exact: true }).click();
    const d = dialog(truongphong, 'Duyệt');
    await d.getByLabel('Ý kiến (không bắt buộc)').fill('Đồng ý, trình lãnh đạo ký.');
    await d.getByRole('button', { name: 'Duyệt' }).click();
    await truongphong.getByText('Đã duyệt.').first().waitFor();
    expect(await truongphong.getByRole('region', { name: 'Ý kiến trình duyệt' }).innerText()).toContain('Đồng ý, trình lãnh đạo ký.');
  });

  test('lãnh đạo approves and signs', async () => {
    await lanhdao.goto(outgoingUrl);
    await documentLoaded(lanhdao);
    await approveIfAsked(lanhdao);
    await lanhdao.getByRole('button', { name: 'Ký ban hành' }).click();
    expect(await seriousA11yViolations(lanhdao)).toEqual([]);
    await dialog(lanhdao, 'Ký ban hành').getByRole('button', { name: 'Ký ban hành' }).click();
    await lanhdao.getByText('Đã ký.').first().waitFor();
    await lanhdao.locator('.doc-markings').getByText('Chờ phát hành').waitFor();
  });

  test('văn thư finds it in "Chờ phát hành" and issues it: number, date, delivered (01)', async () => {
    await vanthu.goto(`${suite.server.url}/tasks`);
    expect(await until('one document in Chờ phát hành for vanthu', () => boxCount(vanthu, 'Chờ phát hành'), (n) => n === 1, 10_000)).toBe(1);
    await openFromBox(vanthu, 'Chờ phát hành', SUBJECT_OUT);
    await vanthu.getByRole('button', { name: 'Phát hành' }).click();
    const d = dialog(vanthu, 'Phát hành');
    expect(await d.innerText()).toContain('Sở Nội vụ tỉnh Bắc Ninh');
    await d.getByRole('button', { name: 'Phát hành' }).click();
    await vanthu.getByText(/Đã phát hành văn bản \d+\/UBND/).first().waitFor();
    await vanthu.getByRole('heading', { level: 1, name: /^Công văn \d+\/UBND-KT$/ }).waitFor();
    const recipients = vanthu.getByRole('region', { name: 'Nơi nhận' });
    const row = recipients.getByRole('row', { name: /Sở Nội vụ tỉnh Bắc Ninh/ });
    // Delivered through the exchange by the workers; the page updates by itself when the 01 comes back.
    // (generous: two jobs each way through the real workers on a loaded CI machine — not a timing assertion)
    expect(await until('Đã gửi đến, 01 Đã đến', () => row.innerText(), (text) => /Đã gửi đến\s+01\s+Đã đến/.test(text), 60_000)).toMatch(/Đã gửi đến\s+01\s+Đã đến/);
    await shot(vanthu, 'issued');
    expect(await seriousA11yViolations(vanthu)).toEqual([]);
  }, 180_000);

  test('Sở Nội vụ\'s văn thư finds it in "Chờ vào sổ" and registers it (prefilled)', async () => {
    await snvVanthu.goto(`${suite.server.url}/tasks`);
    expect(await until('one document in Chờ vào sổ for snvVanthu', () => boxCount(snvVanthu, 'Chờ vào sổ'), (n) => n === 1, 10_000)).toBe(1);
    await openFromBox(snvVanthu, 'Chờ vào sổ', SUBJECT_OUT);
    await snvVanthu.locator('.doc-markings').getByText('Chờ vào sổ').waitFor();
    await snvVanthu.getByRole('link', { name: 'Vào sổ', exact: true }).click();
    await snvVanthu.getByRole('heading', { level: 1, name: 'Tiếp nhận văn bản điện tử' }).waitFor();
    expect(await until('the trích yếu prefilled', () => snvVanthu.getByLabel('Trích yếu nội dung').inputValue(), (v) => v === SUBJECT_OUT, 10_000)).toBe(SUBJECT_OUT);
    expect(await snvVanthu.getByLabel('Cơ quan ban hành').inputValue()).toBe('Ủy ban nhân dân tỉnh Bắc Ninh');
    expect(await snvVanthu.getByLabel('Mức độ khẩn').inputValue()).toBe('HOA_TOC');
    expect(await seriousA11yViolations(snvVanthu)).toEqual([]);
    await snvVanthu.getByRole('button', { name: 'Xác nhận vào sổ' }).click();
    const result = snvVanthu.getByRole('status').filter({ hasText: 'Đã vào sổ văn bản đến' });
    await result.waitFor();
    expect(await result.innerText()).toMatch(/Số đến:\s*1\s*\//);
    await shot(snvVanthu, 'recipient-registered');
  });

  test('the sender sees the recipient status 03 (đã tiếp nhận) with the số đến', async () => {
    await vanthu.goto(outgoingUrl);
    await documentLoaded(vanthu);
    const row = vanthu.getByRole('region', { name: 'Nơi nhận' }).getByRole('row', { name: /Sở Nội vụ tỉnh Bắc Ninh/ });
    expect(await until('03 Đã tiếp nhận', () => row.innerText(), (t) => /03\s+Đã tiếp nhận/.test(t), 10_000)).toMatch(/03\s+Đã tiếp nhận/);
    expect(await row.innerText()).toContain('Số đến: 1');
    await shot(vanthu, 'recipient-status');
  });

  test('Thống kê shows the headline and exports the incoming register', async () => {
    await lanhdao.goto(`${suite.server.url}/reports`);
    await lanhdao.getByText(/^Giải quyết đúng hạn (\d+%|—)$/).waitFor();
    expect(await seriousA11yViolations(lanhdao)).toEqual([]);
    await lanhdao.getByRole('button', { name: 'Xuất sổ' }).click();
    const link = lanhdao.getByRole('link', { name: /^Tải về Sổ đăng ký văn bản đến/ });
    await link.waitFor();
    const res = await suite.fetchSigned((await link.getAttribute('href'))!);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    await shot(lanhdao, 'reports');
  });

  test('Thống kê answers a trưởng phòng with their unit and a chuyên viên with their own work, no error', async () => {
    await truongphong.goto(`${suite.server.url}/reports`);
    await truongphong.getByText(/Phạm vi: Đơn vị của tôi/).waitFor();
    await chuyenvien.goto(`${suite.server.url}/reports`);
    await chuyenvien.getByText(/Phạm vi: Công việc của tôi/).waitFor();
    expect(await chuyenvien.getByText(/^Giải quyết đúng hạn (\d+%|—)$/).count()).toBe(1);
    expect(await chuyenvien.getByRole('button', { name: 'Thử lại' }).count()).toBe(0);
  });

  test('no uncaught errors in any page', () => {
    expect(suite.pageErrors).toEqual([]);
  });
});
