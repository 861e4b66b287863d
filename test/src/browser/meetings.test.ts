/**
 * Browser test of issue 11 (phòng họp không giấy), tried as new users would, each in their own browser context:
 * the secretary (vanthu) creates the meeting, builds the agenda (one item with an uploaded PDF) and publishes
 * it; two members (truongphong, chuyenvien) read the document, keep a private note and record their positions
 * beforehand; the chair (lanhdao) sees them live. During the meeting: check-in, the item nobody objected to
 * passed without debate, the current item, the speakers list with its countdown, a named vote whose tally
 * appears live on all four screens, the result on closing; the secretary's minutes, the chair's conclusion with
 * a task; after: the draft Thông báo kết luận in the outgoing flow, the biên bản PDF and the results CSV; the
 * Lịch công tác tuần shows the meeting. No page reloads anywhere: every screen follows meetingEvents.
 */
import { type Page } from 'playwright-core';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { formatVnDate } from '../../../schema/validation/dates';
import { browserSuite, screenshot, seriousA11yViolations } from '../support/browser';

const suite = browserSuite();

/** Today in Hà Nội (UTC+7), `YYYY-MM-DD`. */
const todayVN = () => new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 10);
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const TITLE = 'Họp giao ban chuyển đổi số tháng 12';
const ITEM1 = 'Kế hoạch chuyển đổi số năm 2027';
const ITEM2 = 'Báo cáo thu ngân sách 11 tháng';
const OPINION = 'Đề nghị bổ sung chỉ tiêu dịch vụ công trực tuyến toàn trình.';

async function samplePdf(): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= 2; i++) pdf.addPage([595, 842]).drawText(`Ke hoach chuyen doi so 2027 - trang ${i}`, { x: 60, y: 760, size: 14, font });
  return Buffer.from(await pdf.save());
}

const item = (page: Page, order: number) => page.getByTestId(`agenda-item-${order}`);
const tally = (page: Page) => page.getByRole('region', { name: 'Phiên họp đang diễn ra' }).getByTestId('vote-tally');

test('a meeting with a chair, two members and a secretary, live on every screen', async () => {
  const day = addDays(todayVN(), 2);
  const secretary = await suite.signIn('vanthu');

  // --- before: the secretary creates the meeting --------------------------------------------------------
  await secretary.goto(`${suite.server.url}/meetings`);
  // the page's two actions stand apart
  const calendarBox = (await secretary.getByRole('link', { name: 'Lịch công tác tuần' }).boundingBox())!;
  const createBox = (await secretary.getByRole('link', { name: 'Tạo cuộc họp' }).boundingBox())!;
  expect(createBox.x - (calendarBox.x + calendarBox.width)).toBeGreaterThanOrEqual(6);
  await secretary.getByRole('link', { name: 'Tạo cuộc họp' }).click();
  await secretary.getByLabel('Tên cuộc họp').fill(TITLE);
  await secretary.getByLabel('Ngày họp').fill(formatVnDate(day));
  await secretary.getByLabel('Giờ bắt đầu').fill('08:00');
  await secretary.getByLabel('Giờ kết thúc').fill('10:30');
  await secretary.getByLabel('Địa điểm').fill('Phòng họp số 1');
  await secretary.getByLabel('Chủ trì').selectOption({ label: 'Phạm Quốc Hùng — Phó Chủ tịch' });
  const members = secretary.getByRole('group', { name: 'Thành viên' });
  await members.getByRole('checkbox', { name: /^Lê Thị Thu Hương/ }).check();
  await members.getByRole('checkbox', { name: /^Trần Văn Minh/ }).check();
  // A guest from another agency, found by the people picker (accents not needed): name, title and agency only.
  await secretary.getByRole('searchbox', { name: 'Tìm khách mời ở các cơ quan, đơn vị khác' }).fill('so noi vu');
  const found = secretary.getByRole('list', { name: 'Kết quả tìm khách mời' }).getByRole('listitem').filter({ hasText: 'Sở Nội vụ' }).first();
  const guestName = ((await found.locator('span').textContent()) ?? '').split(' — ')[0];
  await found.getByRole('button', { name: 'Mời' }).click();
  await found.getByRole('button', { name: 'Đã mời' }).waitFor();
  await secretary.getByRole('list', { name: 'Khách mời đã chọn' }).getByText(guestName, { exact: false }).waitFor();
  expect(await seriousA11yViolations(secretary)).toEqual([]);
  await secretary.getByRole('button', { name: 'Tạo cuộc họp', exact: true }).click();
  await secretary.waitForURL(/\/meetings\/(?!new$)[^/]+$/);
  const meetingUrl = secretary.url();
  await secretary.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  // the breadcrumb above the title, as on every other page
  const crumb = secretary.getByRole('navigation', { name: 'Đường dẫn' });
  expect(await crumb.innerText()).toBe(`Phòng họp › ${TITLE}`);
  expect(await crumb.evaluate((nav) => !!(nav.compareDocumentPosition(document.querySelector('main h1')!) & Node.DOCUMENT_POSITION_FOLLOWING))).toBe(true);
  expect(await secretary.getByTestId('meeting-status').textContent()).toBe('Đang chuẩn bị');
  // Times are Hà Nội time whatever the browser's zone (this browser runs in New York).
  await secretary.getByText(`08:00–10:30 ngày ${formatVnDate(day)} · Phòng họp số 1`).waitFor();
  // The guest is among the participants, with their agency.
  await secretary.getByRole('region', { name: 'Thành phần dự họp' }).getByRole('listitem').filter({ hasText: guestName }).filter({ hasText: 'Khách mời, Sở Nội vụ' }).waitFor();

  // The agenda: two items, a PDF uploaded to the first.
  const addForm = secretary.getByRole('form', { name: 'Thêm nội dung họp' });
  await addForm.getByLabel('Nội dung').fill(ITEM1);
  await addForm.getByLabel('Người trình bày').selectOption({ label: 'Lê Thị Thu Hương (KT)' });
  await addForm.getByLabel('Thời lượng (phút)').fill('30');
  await addForm.getByRole('button', { name: 'Thêm nội dung' }).click();
  await item(secretary, 1).getByRole('heading', { name: `1. ${ITEM1}` }).waitFor();
  await addForm.getByLabel('Nội dung').fill(ITEM2);
  await addForm.getByRole('button', { name: 'Thêm nội dung' }).click();
  await item(secretary, 2).getByRole('heading', { name: `2. ${ITEM2}` }).waitFor();
  await item(secretary, 1).getByText('Đính kèm tài liệu').click();
  await item(secretary, 1).getByLabel('Hoặc tải tệp lên').setInputFiles({ name: 'ke-hoach-cds-2027.pdf', mimeType: 'application/pdf', buffer: await samplePdf() });
  await item(secretary, 1).getByRole('button', { name: 'Tải lên ke-hoach-cds-2027.pdf' }).click();
  await item(secretary, 1).getByRole('button', { name: /^Đọc tài liệu / }).waitFor();

  await secretary.getByRole('button', { name: 'Công bố và gửi giấy mời' }).click();
  await secretary.getByTestId('meeting-status').filter({ hasText: 'Đã gửi giấy mời' }).waitFor();

  // --- the others open it from their list ---------------------------------------------------------------
  const open = async (username: string) => {
    const page = await suite.signIn(username);
    await page.goto(`${suite.server.url}/meetings`);
    await page.getByRole('link', { name: TITLE }).click();
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    await page.getByTestId('live-state').filter({ hasText: 'Đang cập nhật trực tiếp' }).waitFor();
    return page;
  };
  const chair = await open('lanhdao');
  const m1 = await open('truongphong');
  // The invitation is in the member's bell (written when the meeting was published).
  await m1.getByRole('button', { name: /^Thông báo: \d+ chưa đọc$/ }).click();
  await m1.getByRole('region', { name: 'Thông báo' }).getByText(new RegExp(`^Mời họp: ${TITLE}`)).waitFor();
  await m1.getByRole('button', { name: /^Thông báo: \d+ chưa đọc$/ }).click();
  const m2 = await open('chuyenvien');
  await secretary.getByTestId('live-state').filter({ hasText: 'Đang cập nhật trực tiếp' }).waitFor();
  expect(secretary.url()).toBe(meetingUrl);
  expect(chair.url()).toBe(meetingUrl);

  // A member reads the document in the browser and keeps a private note.
  await item(m1, 1).getByRole('button', { name: /^Đọc tài liệu / }).click();
  const frame = item(m1, 1).locator('iframe.mtg-doc-frame');
  await frame.waitFor();
  // served to be shown in the page (inline), not downloaded
  const shown = await m1.request.get(new URL((await frame.getAttribute('src'))!, suite.server.url).toString());
  expect(shown.ok()).toBe(true);
  expect(shown.headers()['content-type']).toBe('application/pdf');
  const shownDisposition = shown.headers()['content-disposition']; // checked at the end
  await item(m1, 1).getByLabel('Ghi chú cá nhân').fill('Hỏi về kinh phí năm 2027');
  await item(m1, 1).getByRole('button', { name: 'Lưu ghi chú' }).click();
  await item(m1, 1).getByText('Đã lưu ghi chú.').waitFor();

  // Positions before the meeting; the chair sees them appear live.
  await item(m1, 1).getByRole('radio', { name: 'Xin phát biểu' }).check();
  await item(m1, 1).getByRole('textbox', { name: 'Ý kiến', exact: true }).fill(OPINION);
  await item(m1, 1).getByRole('button', { name: 'Gửi ý kiến' }).click();
  await item(m1, 1).getByText('Đã ghi nhận ý kiến.').waitFor();
  await item(m2, 1).getByRole('radio', { name: 'Đồng ý' }).check();
  await item(m2, 1).getByRole('button', { name: 'Gửi ý kiến' }).click();
  await item(m2, 1).getByText('Đã ghi nhận ý kiến.').waitFor();
  await item(m2, 2).getByRole('radio', { name: 'Đồng ý' }).check();
  await item(m2, 2).getByRole('button', { name: 'Gửi ý kiến' }).click();
  await item(m2, 2).getByText('Đã ghi nhận ý kiến.').waitFor();

  const positions = chair.getByRole('table', { name: `Ý kiến các thành viên về nội dung: ${ITEM1}` });
  await positions.getByRole('row', { name: new RegExp(`Lê Thị Thu Hương Xin phát biểu ${OPINION}`) }).waitFor();
  await positions.getByRole('row', { name: /Trần Văn Minh Đồng ý/ }).waitFor();
  // Members see only the counts, never the others' positions.
  expect(await m2.getByRole('table', { name: /Ý kiến các thành viên/ }).count()).toBe(0);
  await m2.getByTestId('position-summary-1').filter({ hasText: 'đồng ý: 1, có ý kiến khác: 0, xin phát biểu: 1' }).waitFor();
  // The private note is the member's own.
  await item(m2, 1).getByRole('button', { name: /^Đọc tài liệu / }).click();
  expect(await item(m2, 1).getByLabel('Ghi chú cá nhân').inputValue()).toBe('');

  // --- during ---------------------------------------------------------------------------------------------
  await secretary.getByRole('button', { name: 'Khai mạc cuộc họp' }).click();
  for (const p of [secretary, chair, m1, m2]) await p.getByTestId('meeting-status').filter({ hasText: 'Đang họp' }).waitFor();

  // Check-in: the members themselves, the chair by the secretary; the quorum appears on the chair's screen.
  await m1.getByRole('button', { name: 'Điểm danh', exact: true }).click();
  await m2.getByRole('button', { name: 'Điểm danh', exact: true }).click();
  await secretary.getByRole('button', { name: 'Điểm danh cho Phạm Quốc Hùng' }).click();
  await chair.getByTestId('attendance-summary').filter({ hasText: 'thành viên biểu quyết có mặt 3/3' }).waitFor();
  await chair.getByTestId('attendance-summary').filter({ hasText: 'Đủ số lượng để biểu quyết' }).waitFor();

  // The item nobody objected to passes without debate, in one action.
  const pass = chair.getByRole('region', { name: 'Thông qua không thảo luận' });
  expect(await pass.getByRole('checkbox').count()).toBe(1);
  await pass.getByRole('checkbox', { name: `2. ${ITEM2}` }).waitFor();
  await pass.getByRole('button', { name: 'Thông qua 1 nội dung' }).click();
  await item(m1, 2).getByText('Thông qua không thảo luận').waitFor();

  // The chair moves to item 1: every screen follows.
  await item(chair, 1).getByRole('button', { name: 'Chuyển sang nội dung 1' }).click();
  for (const p of [secretary, m1, m2]) await p.getByTestId('current-item').filter({ hasText: `1. ${ITEM1}` }).waitFor();

  // Speakers: a member asks to speak, the chair gives the floor; the countdown shows on every screen.
  await m1.getByRole('button', { name: 'Đăng ký phát biểu' }).click();
  await chair.getByRole('list', { name: 'Danh sách chờ phát biểu' }).getByText('Lê Thị Thu Hương').waitFor();
  await chair.getByRole('button', { name: 'Mời người tiếp theo' }).click();
  for (const p of [secretary, chair, m1, m2]) {
    const speaker = p.getByTestId('current-speaker');
    await speaker.filter({ hasText: 'Lê Thị Thu Hương' }).waitFor();
    expect(await speaker.textContent()).toMatch(/\d+:\d\d$/);
  }

  // The live room passes axe (serious/critical) on a member's screen.
  await screenshot(m1, 'meetings-live-member');
  expect(await seriousA11yViolations(m1)).toEqual([]);

  // A named vote: the tally appears live on all four screens.
  await chair.getByRole('button', { name: 'Bắt đầu biểu quyết' }).click();
  for (const p of [m1, m2]) await p.getByRole('group', { name: 'Biểu quyết của đồng chí' }).waitFor();
  await m1.getByRole('group', { name: 'Biểu quyết của đồng chí' }).getByRole('button', { name: 'Đồng ý', exact: true }).click();
  await m2.getByRole('group', { name: 'Biểu quyết của đồng chí' }).getByRole('button', { name: 'Không biểu quyết' }).click();
  await chair.getByRole('group', { name: 'Biểu quyết của đồng chí' }).getByRole('button', { name: 'Đồng ý', exact: true }).click();
  const final = /Đồng ý\s*2\s*Không đồng ý\s*0\s*Không biểu quyết\s*1\s*Chưa biểu quyết\s*0/;
  for (const p of [secretary, chair, m1, m2]) await tally(p).filter({ hasText: final }).waitFor();
  await m2.getByText('Đồng chí đã biểu quyết: Không biểu quyết').waitFor();
  expect(await secretary.getByRole('group', { name: 'Biểu quyết của đồng chí' }).count()).toBe(0); // the secretary does not vote
  // A member loses the connection while the vote closes: on reconnecting, the first event (a snapshot) catches up.
  await m2.context().setOffline(true);
  await chair.getByRole('button', { name: 'Kết thúc biểu quyết' }).click();
  for (const p of [secretary, chair, m1]) await p.getByRole('region', { name: 'Phiên họp đang diễn ra' }).getByText('Kết quả: Thông qua').waitFor();
  await m2.context().setOffline(false);
  await m2.getByRole('region', { name: 'Phiên họp đang diễn ra' }).getByText('Kết quả: Thông qua').waitFor({ timeout: 45_000 });

  // Minutes by the secretary; the conclusion with a task by the chair, seen live by the members.
  await item(secretary, 1).getByLabel('Biên bản nội dung 1').fill('Đồng chí Hương trình bày Kế hoạch; các thành viên thống nhất.');
  await item(secretary, 1).getByRole('button', { name: 'Lưu biên bản' }).click();
  await item(secretary, 1).getByText('Đã lưu biên bản.').waitFor();
  const conclude = item(chair, 1).getByRole('form', { name: 'Kết luận nội dung 1' });
  await conclude.getByLabel('Kết luận nội dung 1').fill('Thống nhất thông qua Kế hoạch; Phòng Kinh tế hoàn thiện, trình ký trước ngày 20/12/2026.');
  await conclude.getByRole('button', { name: 'Thêm nhiệm vụ' }).click();
  await conclude.getByLabel('Nội dung nhiệm vụ').fill('Hoàn thiện Kế hoạch chuyển đổi số năm 2027');
  await conclude.getByLabel('Giao cho').selectOption({ label: 'Lê Thị Thu Hương' });
  await conclude.getByLabel('Hạn hoàn thành').fill(formatVnDate(addDays(day, 14)));
  await conclude.getByRole('button', { name: 'Lưu kết luận' }).click();
  await m2.getByTestId('conclusion-1').filter({ hasText: 'Thống nhất thông qua Kế hoạch' }).waitFor();
  await item(m1, 1).getByText(`Hoàn thiện Kế hoạch chuyển đổi số năm 2027 — Lê Thị Thu Hương, hạn ${formatVnDate(addDays(day, 14))}`).waitFor();

  await chair.getByRole('button', { name: 'Bế mạc cuộc họp' }).click();
  await chair.getByRole('group', { name: 'Kết thúc cuộc họp?' }).getByRole('button', { name: 'Bế mạc' }).click();
  for (const p of [secretary, m1, m2]) await p.getByTestId('meeting-status').filter({ hasText: 'Đã kết thúc' }).waitFor();

  // --- after: biên bản PDF, results CSV, the draft Thông báo kết luận ----------------------------------------
  const after = chair.getByRole('region', { name: 'Kết luận và văn bản sau cuộc họp' });
  await after.getByRole('button', { name: 'Biên bản cuộc họp (PDF)' }).click();
  const minutesLink = after.getByRole('link', { name: /^Tải .+\.pdf$/ });
  const minutesPdf = await chair.request.get((await minutesLink.getAttribute('href'))!);
  expect(minutesPdf.ok()).toBe(true);
  expect((await minutesPdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
  await after.getByRole('button', { name: 'Kết quả biểu quyết (CSV)' }).click();
  const csvLink = after.getByRole('link', { name: /^Tải .+\.csv$/ });
  const csv = await chair.request.get((await csvLink.getAttribute('href'))!);
  expect(csv.ok()).toBe(true);
  expect((await csv.body()).toString('utf8')).toContain(ITEM1);

  await after.getByRole('button', { name: 'Tạo dự thảo Thông báo kết luận' }).click();
  await chair.waitForURL(/\/outgoing\/documents\/[^/]+$/);
  await chair.getByText(`Thông báo kết luận cuộc họp: ${TITLE}`).first().waitFor();

  // --- Lịch công tác tuần shows the meeting -------------------------------------------------------------------
  await secretary.goto(`${suite.server.url}/meetings/calendar`);
  await secretary.getByLabel('Tuần có ngày').fill(formatVnDate(day));
  await secretary.getByRole('button', { name: 'Xem', exact: true }).click();
  const row = secretary.getByTestId('calendar-entry').filter({ hasText: TITLE });
  await row.waitFor();
  expect(await row.textContent()).toContain('08:00–10:30');
  expect(await row.textContent()).toContain('Phạm Quốc Hùng');
  await screenshot(secretary, 'meetings-calendar');
  expect(await seriousA11yViolations(secretary)).toEqual([]);
  await row.getByRole('link', { name: TITLE }).click();
  await secretary.waitForURL(meetingUrl);

  // The task concluded in the meeting is on the assignee's meetings page.
  await m1.goto(`${suite.server.url}/meetings`);
  const tasks = m1.getByRole('region', { name: 'Nhiệm vụ được giao từ cuộc họp' });
  await tasks.getByText('Hoàn thiện Kế hoạch chuyển đổi số năm 2027').waitFor();
  await tasks.getByRole('link', { name: TITLE }).waitFor();

  // The lobby display: a link with a display token, opened without signing in.
  await secretary.goto(`${suite.server.url}/meetings/calendar`);
  await secretary.getByText('Màn hình sảnh', { exact: true }).click();
  await secretary.getByRole('button', { name: 'Tạo đường dẫn màn hình sảnh' }).click();
  const displayUrl = await secretary.getByTestId('display-link').getAttribute('href');
  expect(displayUrl).toMatch(/\/display\/.+/);
  const lobbyContext = await suite.browser.newContext({ locale: 'en-US' });
  suite.contexts.push(lobbyContext);
  const lobby = await lobbyContext.newPage();
  lobby.on('pageerror', (e) => suite.pageErrors.push(`lobby: ${e.message}`));
  await lobby.goto(displayUrl!);
  await lobby.getByRole('heading', { level: 1, name: 'Lịch họp hôm nay' }).waitFor();
  expect(lobby.url()).toBe(displayUrl);
  expect(await lobby.getByRole('alert').count()).toBe(0);
  await screenshot(lobby, 'meetings-lobby');
  expect(await seriousA11yViolations(lobby)).toEqual([]);
  await screenshot(chair, 'meetings-draft-notice');

  expect(suite.pageErrors).toEqual([]);
  // The meeting document is served to be shown in the page's viewer (inline), not downloaded.
  expect(shownDisposition).toMatch(/^inline/);
}, 300_000);
