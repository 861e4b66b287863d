/**
 * Browser test (en-US browser, Vietnamese UI): Thống kê for each role's scope. A document is assigned to the
 * Phòng Kinh tế (the trưởng phòng's unit) and another one to the chuyên viên; then
 * - the trưởng phòng opens Thống kê and sees the unit's figures (as the API computes them for the unit), the
 *   unit's row only, no permission error and no "Thử lại"; only the sổ theo dõi can be exported;
 * - the chuyên viên sees their own work (no unit table, no register export), and for a period with nothing
 *   due, typed as dd/mm/yyyy, the rate reads "—", not "0%".
 */
import { type Page } from 'playwright-core';
import { gql, loginToken } from '../support/gql';
import { browserSuite } from '../support/browser';
import { VN_TIME_ZONE, localDateOf } from '../../../server/src/modules/documents/domain';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { Unit } from '../../../server/src/modules/identity/entities/unit.entity';

const suite = browserSuite();


const percent = (x: number | null) => (x == null ? '—' : `${Math.round(x * 100)}%`);

async function assignNew(subject: string, lead: { unitId?: string; userId?: string }, deadline: string): Promise<void> {
  const em = suite.server.runtime.rt.services.orm.em.fork();
  const leader = await em.findOneOrFail(User, { username: 'lanhdao' });
  const clerk = await loginToken(suite.server.url, 'vanthu');
  const reg = await gql<{ registerIncoming: { id: string } }>(
    suite.server.url,
    'mutation($i: RegisterIncomingInput!){ registerIncoming(input:$i){ id } }',
    { i: { issuerName: 'Sở Tài chính tỉnh Bắc Ninh', symbol: `${Math.floor(Math.random() * 900) + 100}/STC-NS`, issuedDate: '2026-11-20', typeName: 'Công văn', subject } },
    { token: clerk },
  );
  expect(reg.errors).toBeUndefined();
  const id = reg.data!.registerIncoming.id;
  const sub = await gql(suite.server.url, 'mutation($d: ID!, $l: ID!) { submitForAnnotation(documentId: $d, leaderId: $l) { id } }', { d: id, l: leader.id }, { token: clerk });
  expect(sub.errors).toBeUndefined();
  const ann = await gql(
    suite.server.url,
    'mutation($d: ID!, $i: AnnotateInput!) { annotate(documentId: $d, input: $i) { id } }',
    { d: id, i: { instruction: 'Đề nghị xử lý, báo cáo kết quả.', lead: { ...lead, deadline } } },
    { token: await loginToken(suite.server.url, 'lanhdao') },
  );
  expect(ann.errors).toBeUndefined();
}

/** The KPI card whose label is `label`: its value. */
const kpi = (page: Page, label: string) => page.locator('.doc-kpi').filter({ has: page.locator('.doc-kpi__label', { hasText: new RegExp(`^${label}$`) }) }).locator('.doc-kpi__value');

beforeAll(async () => {
  const em = suite.server.runtime.rt.services.orm.em.fork();
  const kt = await em.findOneOrFail(Unit, { abbr: 'KT', agency: { code: '000.00.00.H27' } });
  const chuyenvien = await em.findOneOrFail(User, { username: 'chuyenvien' });
  await assignNew('V/v rà soát dự toán ngân sách năm 2027 (thử thống kê đơn vị)', { unitId: kt.id }, '2027-12-31');
  await assignNew('V/v báo cáo tiến độ giải ngân vốn đầu tư công (thử thống kê cá nhân)', { userId: chuyenvien.id }, '2027-12-31');
}, 240_000);

function period(): { from: string; to: string } {
  const today = localDateOf(new Date(), VN_TIME_ZONE);
  return { from: `${today.slice(0, 4)}-01-01`, to: today };
}

test('a trưởng phòng sees the unit’s statistics, no permission error', async () => {
  const expected = await suite.server.runtime.rt.services.statistics.statistics(await suite.server.runtime.as('truongphong'), period());
  expect(expected.scope).toBe('UNIT');
  expect(expected.incoming).toBeGreaterThanOrEqual(1);

  const page = await suite.signIn('truongphong');
  await page.getByRole('navigation', { name: 'Chức năng chính' }).getByRole('link', { name: 'Thống kê' }).click();
  await page.waitForURL((u) => u.pathname === '/reports');
  await page.getByText(/Phạm vi: Đơn vị của tôi/).waitFor();
  await page.getByRole('heading', { name: `Số liệu của ${expected.units[0].unit.name}` }).waitFor();

  expect(await kpi(page, 'Văn bản đến giao đơn vị').innerText()).toBe(String(expected.incoming));
  expect(await kpi(page, 'Đang xử lý, trong hạn').innerText()).toBe(String(expected.openOnTime));
  expect(await page.getByTestId('on-time-rate').innerText()).toBe(`Giải quyết đúng hạn ${percent(expected.onTimeRate)}`);
  // the headline and the five counts on one row (1280 px), none left alone on a second
  const tops = await page.locator('.doc-kpis > .doc-kpi').evaluateAll((cards) => cards.map((c) => Math.round(c.getBoundingClientRect().top)));
  expect(tops).toHaveLength(6);
  expect(new Set(tops).size).toBe(1);
  // Only the unit's own row.
  const rows = page.locator('#units-table tbody tr');
  expect(await rows.count()).toBe(1);
  expect(await rows.first().getByRole('rowheader').innerText()).toContain('(KT)');
  expect(await rows.first().locator('td').first().innerText()).toBe(String(expected.units[0].assigned));

  expect(await page.getByRole('alert').filter({ hasText: /quyền/ }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Thử lại' }).count()).toBe(0);
  // A trưởng phòng prints only the sổ theo dõi giải quyết of their unit.
  const registers = page.getByLabel('Sổ', { exact: true });
  expect(await registers.locator('option').allInnerTexts()).toEqual(['Sổ theo dõi giải quyết văn bản đến']);
  expect(suite.pageErrors).toEqual([]);
}, 120_000);

test('a chuyên viên sees their own work; a period with nothing due, typed dd/mm/yyyy, reads "—", not "0%"', async () => {
  const expected = await suite.server.runtime.rt.services.statistics.statistics(await suite.server.runtime.as('chuyenvien'), period());
  expect(expected.scope).toBe('SELF');
  expect(expected.incoming).toBeGreaterThanOrEqual(1);

  const page = await suite.signIn('chuyenvien');
  await page.goto(`${suite.server.url}/reports`);
  await page.getByText(/Phạm vi: Công việc của tôi/).waitFor();
  await page.getByRole('heading', { name: 'Số liệu công việc của tôi' }).waitFor();
  expect(await kpi(page, 'Văn bản đến giao tôi').innerText()).toBe(String(expected.incoming));
  expect(await page.getByTestId('on-time-rate').innerText()).toBe(`Giải quyết đúng hạn ${percent(expected.onTimeRate)}`);
  expect(await page.getByRole('heading', { name: 'Theo đơn vị' }).count()).toBe(0);
  expect(await page.getByRole('heading', { name: 'Xuất sổ đăng ký' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Thử lại' }).count()).toBe(0);

  // 2020: nothing assigned, nothing due. Typed day first in an en-US browser.
  const from = page.getByLabel('Từ ngày');
  const to = page.getByLabel('Đến ngày');
  await from.fill('01/02/2020');
  await to.fill('31/12/2020');
  await page.getByRole('button', { name: 'Xem thống kê' }).click();
  await page.getByText(/01\/02\/2020 – 31\/12\/2020/).waitFor();
  expect(await page.getByTestId('on-time-rate').innerText()).toBe('Giải quyết đúng hạn —');
  await page.getByText('Chưa có văn bản nào đến hạn giải quyết trong kỳ.').waitFor();
  expect(await kpi(page, 'Văn bản đến giao tôi').innerText()).toBe('0');
  expect(await page.getByText('0%').count()).toBe(0);

  // A period in the wrong order is refused at the field, in Vietnamese.
  await from.fill('31/12/2020');
  await to.fill('01/01/2020');
  await page.getByRole('button', { name: 'Xem thống kê' }).click();
  await page.getByText('"Từ ngày" phải trước hoặc bằng "đến ngày".').waitFor();
  expect(suite.pageErrors).toEqual([]);
}, 120_000);
