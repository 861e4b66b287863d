/**
 * Browser test of the administration pages (issue 8), as a new administrator would use them, in an en-US
 * browser: quantri creates a unit and a user with the chuyên viên role, resets the user's password, sets the
 * numbering policy "dùng chung, riêng Quyết định", adds a holiday, a second sổ văn bản đến (which the văn thư
 * then picks when registering), switches a document type off and shortens the approval chain; the new user signs in with the
 * temporary password, is kept on "Đổi mật khẩu" until they choose a new one, and then works.
 */
import { type Browser, type BrowserContext } from 'playwright-core';
import { AgencySettings } from '../../../server/src/modules/documents/entities/misc.entities';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { launchChromium, signedInPage } from '../support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { ensureWebBuilt } from '../support/web-build';

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  await ensureWebBuilt();
  server = await startTestServer();
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
});

const em = () => server.runtime.rt.services.orm.em.fork();

test('a page opened directly (a bookmark, a reload) has the shared styles, whatever page came before', async () => {
  const admin = await signedInPage(browser, server.url, 'quantri', { contexts, pageErrors });
  // a full load of the users page: no page of the documents area has been shown in this document
  await admin.goto(`${server.url}/admin/users`);
  await admin.getByRole('cell', { name: 'vanthu', exact: true }).waitFor();
  const styles = await admin.evaluate(() => {
    const style = (sel: string) => getComputedStyle(document.querySelector(sel)!);
    return { filters: style('.inbox__filters').display, table: style('.doc-table').borderCollapse, header: style('.doc-table th').textAlign };
  });
  expect(styles).toEqual({ filters: 'flex', table: 'collapse', header: 'left' });
  await admin.context().close();
});

test('quantri creates a unit and a chuyên viên, resets the password, sets numbering and a holiday; the new user must change the password and then works', async () => {
  const admin = await signedInPage(browser, server.url, 'quantri', { contexts, pageErrors });
  await admin.getByRole('link', { name: 'Quản trị' }).first().click();
  await admin.waitForURL((u) => u.pathname === '/admin/users');

  // Đơn vị: add "Phòng Chuyển đổi số".
  await admin.getByRole('navigation', { name: 'Các mục quản trị' }).getByRole('link', { name: 'Đơn vị' }).click();
  const unitForm = admin.getByRole('form', { name: 'Thêm đơn vị' });
  await unitForm.getByRole('button', { name: 'Thêm đơn vị' }).click();
  await unitForm.getByText('Vui lòng nhập tên đơn vị.').waitFor(); // validated in Vietnamese before any request
  await unitForm.getByLabel('Tên đơn vị').fill('Phòng Chuyển đổi số');
  await unitForm.getByLabel('Tên viết tắt').fill('CĐS');
  await unitForm.getByRole('button', { name: 'Thêm đơn vị' }).click();
  await admin.getByRole('status').filter({ hasText: 'Đã thêm đơn vị Phòng Chuyển đổi số.' }).waitFor();
  await admin.getByRole('cell', { name: 'Phòng Chuyển đổi số', exact: true }).waitFor();

  // Người dùng: create a chuyên viên in that unit.
  await admin.getByRole('navigation', { name: 'Các mục quản trị' }).getByRole('link', { name: 'Người dùng' }).click();
  await admin.getByRole('button', { name: 'Thêm người dùng' }).click();
  const dialog = admin.getByRole('dialog', { name: 'Thêm người dùng' });
  await dialog.getByLabel('Tên đăng nhập').fill('Tran Minh');
  await dialog.getByLabel('Mật khẩu ban đầu').fill('BanDau2026!');
  await dialog.getByLabel('Họ và tên').fill('Trần Văn Minh');
  await dialog.getByLabel('Chức vụ').fill('Chuyên viên Chuyển đổi số');
  await dialog.getByRole('button', { name: 'Tạo người dùng' }).click();
  await dialog.getByText('Tên đăng nhập chỉ gồm chữ thường không dấu, số và . _ - (2–100 ký tự).').waitFor();
  await dialog.getByText('Người dùng phải có ít nhất một vai trò.').waitFor();
  await dialog.getByLabel('Tên đăng nhập').fill('tran.minh');
  await dialog.getByLabel('Đơn vị').selectOption({ label: 'Phòng Chuyển đổi số' });
  await dialog.getByRole('checkbox', { name: 'Chuyên viên' }).check();
  await dialog.getByRole('button', { name: 'Tạo người dùng' }).click();
  await admin.getByRole('status').filter({ hasText: 'Đã tạo người dùng Trần Văn Minh (tran.minh).' }).waitFor();
  await admin.getByLabel('Tìm theo họ tên hoặc tên đăng nhập').fill('tran.minh');
  const row = admin.getByRole('row').filter({ hasText: 'tran.minh' });
  await row.getByRole('cell', { name: 'Phòng Chuyển đổi số', exact: true }).waitFor();
  await row.getByRole('cell', { name: 'Chuyên viên', exact: true }).waitFor();

  // Đặt lại mật khẩu: the temporary password is shown once.
  await row.getByRole('button', { name: 'Đặt lại mật khẩu: Trần Văn Minh' }).click();
  const pwDialog = admin.getByRole('dialog', { name: 'Đặt lại mật khẩu: Trần Văn Minh' });
  const temporary = (await pwDialog.getByTestId('temporary-password').textContent())!.trim();
  expect(temporary).toMatch(/^\S{10,}$/);
  await pwDialog.getByRole('button', { name: 'Đã ghi lại, đóng' }).click();
  await row.getByText('Phải đổi mật khẩu').waitFor();

  // Cấu hình văn bản: "dùng chung, riêng Quyết định" and a holiday of this year.
  await admin.getByRole('navigation', { name: 'Các mục quản trị' }).getByRole('link', { name: 'Cấu hình văn bản' }).click();
  await admin.getByRole('radio', { name: 'Dùng chung, riêng Quyết định có hệ thống số riêng' }).check();
  await admin.getByRole('button', { name: 'Lưu cách cấp số' }).click();
  await admin.getByRole('status').filter({ hasText: 'Đã lưu cách cấp số văn bản đi.' }).waitFor();
  const year = Number(new Date(Date.now() + 7 * 3600_000).toISOString().slice(0, 4));
  // Pre-filled: Quốc khánh is in the list before anything is saved.
  await admin.getByRole('cell', { name: `02/09/${year}`, exact: true }).waitFor();
  const addForm = admin.getByRole('form', { name: 'Thêm ngày nghỉ' });
  await addForm.getByPlaceholder('dd/mm/yyyy').fill(`31/12/${year + 1}`);
  await addForm.getByLabel('Tên ngày nghỉ').fill('Nghỉ tổng kết năm');
  await addForm.getByRole('button', { name: 'Thêm ngày nghỉ' }).click();
  await addForm.getByText(`Ngày nghỉ phải thuộc năm ${year}.`).waitFor();
  await addForm.getByPlaceholder('dd/mm/yyyy').fill(`31/12/${year}`);
  await addForm.getByRole('button', { name: 'Thêm ngày nghỉ' }).click();
  await admin.getByRole('row').filter({ hasText: 'Nghỉ tổng kết năm' }).getByRole('cell', { name: `31/12/${year}`, exact: true }).waitFor();
  await admin.getByRole('button', { name: `Lưu ngày nghỉ năm ${year}` }).click();
  await admin.getByRole('status').filter({ hasText: `Đã lưu ngày nghỉ năm ${year}.` }).waitFor();

  // Sổ văn bản đến: a second register "Sổ đơn thư" (its own số đến); a duplicate code is refused first.
  const registers = admin.getByRole('form', { name: 'Sổ văn bản đến' });
  await registers.getByRole('button', { name: 'Thêm sổ' }).click();
  await registers.getByLabel('Tên sổ 2').fill('Sổ đơn thư');
  await registers.getByRole('button', { name: 'Lưu sổ văn bản đến' }).click();
  await registers.getByText('Chỉ có một sổ văn bản đến chung.').waitFor();
  await registers.getByLabel('Mã sổ 2').fill('don_thu');
  await registers.getByRole('button', { name: 'Lưu sổ văn bản đến' }).click();
  await registers.getByRole('status').filter({ hasText: 'Đã lưu sổ văn bản đến.' }).waitFor();
  // Loại văn bản: stop offering "Bản ghi nhớ"; Quy trình duyệt: lãnh đạo only.
  const types = admin.getByRole('form', { name: 'Loại văn bản' });
  await types.getByRole('checkbox', { name: 'Đang dùng: Bản ghi nhớ' }).uncheck();
  await types.getByRole('button', { name: 'Lưu loại văn bản' }).click();
  await types.getByRole('status').filter({ hasText: 'Đã lưu loại văn bản.' }).waitFor();
  const chain = admin.getByRole('form', { name: 'Quy trình duyệt mặc định' });
  await chain.getByRole('button', { name: 'Xóa bước 1' }).click();
  await chain.getByRole('button', { name: 'Lưu quy trình duyệt' }).click();
  await chain.getByRole('status').filter({ hasText: 'Đã lưu quy trình duyệt.' }).waitFor();

  const quantri = await em().findOneOrFail(User, { username: 'quantri' }, { populate: ['agency'] });
  const settings = await em().findOneOrFail(AgencySettings, { agency: quantri.agency.id });
  expect(settings.outgoingNumbering).toBe('SHARED_QD');
  expect(settings.holidays).toContain(`${year}-12-31|Nghỉ tổng kết năm`);
  expect(settings.incomingRegisters).toEqual([
    { key: 'INCOMING', name: 'Sổ văn bản đến', active: true },
    { key: 'INCOMING:DON_THU', name: 'Sổ đơn thư', active: true },
  ]);
  expect(settings.documentTypes).toContainEqual({ key: 'BAN_GHI_NHO', active: false });
  expect(settings.approvalChain).toEqual([{ kind: 'ROLE', role: 'LANH_DAO', scope: 'AGENCY', label: 'Lãnh đạo' }]);

  // The văn thư now picks the register when registering.
  const clerk = await signedInPage(browser, server.url, 'vanthu', { contexts, pageErrors });
  await clerk.goto(`${server.url}/incoming/register`);
  const picker = clerk.getByLabel(/^Sổ văn bản đến/);
  await picker.selectOption({ label: 'Sổ đơn thư' });
  expect(await picker.inputValue()).toBe('INCOMING:DON_THU');

  // The new user: sign in with the temporary password → kept on "Đổi mật khẩu".
  const user = await signedInPage(browser, server.url, 'tran.minh', { contexts, pageErrors }, temporary);
  await user.waitForURL((u) => u.pathname === '/account/password');
  await user.getByText('Vui lòng đặt mật khẩu mới trước khi tiếp tục.').waitFor();
  await user.goto(`${server.url}/tasks`);
  await user.waitForURL((u) => u.pathname === '/account/password');
  await user.getByLabel('Mật khẩu hiện tại').fill(temporary);
  await user.getByLabel(/^Mật khẩu mới/).fill('ngan');
  await user.getByLabel('Nhập lại mật khẩu mới').fill('ngan');
  await user.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  await user.getByText('Mật khẩu phải có ít nhất 10 ký tự.').waitFor();
  await user.getByLabel(/^Mật khẩu mới/).fill('Sen hồng 2026!');
  await user.getByLabel('Nhập lại mật khẩu mới').fill('Sen hồng 2026!');
  await user.getByRole('button', { name: 'Đổi mật khẩu' }).click();
  // Then works: the application opens on Việc cần xử lý, with the user's name in the header.
  await user.waitForURL((u) => u.pathname === '/tasks');
  await user.getByRole('heading', { level: 1, name: 'Việc cần xử lý' }).waitFor();
  await user.getByText('Trần Văn Minh').first().waitFor();
  const saved = await em().findOneOrFail(User, { username: 'tran.minh' }, { populate: ['unit'] });
  expect(saved).toMatchObject({ mustChangePassword: false, roles: ['CHUYEN_VIEN'], title: 'Chuyên viên Chuyển đổi số' });
  expect(saved.unit!.name).toBe('Phòng Chuyển đổi số');
  expect(pageErrors).toEqual([]);
}, 240_000);
