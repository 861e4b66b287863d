/**
 * Browser test of "Vào sổ văn bản đến" (issues 8 + 9) in an en-US browser (New York time zone), against the
 * real API:
 *   a paper document without a scan, its dates typed dd/mm/yyyy (an impossible 31/02 refused at the field in
 *   Vietnamese; a symbol the server refuses shown at its field), is saved with the right ngày ban hành and ngày đến;
 *   a duplicate (same issuer, số ký hiệu, ngày ban hành) is caught before numbering — the register is unchanged —
 *   then registered with "Vẫn vào sổ", taking the next number;
 *   a Mật document is registered without any file (the scan part is gone) with its circulation marking, and
 *   shows up in the secret register.
 */
import { type Page } from 'playwright-core';
import { gql, loginToken } from '../support/gql';
import { LocalDays } from '../support/local-days';
import { browserSuite, screenshot, seriousA11yViolations } from '../support/browser';

const suite = browserSuite();

let page: Page;
let token: string;

/** Today in Vietnam as YYYY-MM-DD parts. */
function vnToday(): { y: number; m: number; d: number } {
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date()).split('-').map(Number);
  return { y, m, d };
}
/** A past date `monthsBack` months ago on day `day` (> 12: an en-US reading as month/day would be impossible). */
function pastDate(monthsBack: number, day: number): { iso: string; typed: string } {
  const t = vnToday();
  const at = new Date(Date.UTC(t.y, t.m - 1 - monthsBack, day));
  const [y, m, d] = [at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate()];
  const p = (n: number) => String(n).padStart(2, '0');
  return { iso: `${y}-${p(m)}-${p(d)}`, typed: `${p(d)}/${p(m)}/${y}` };
}
const YEAR = vnToday().y;

async function api<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await gql<T>(suite.server.url, query, variables, { token });
  if (r.errors?.length) throw new Error(JSON.stringify(r.errors));
  return r.data as T;
}

/** Numbers drawn in the ordinary incoming register of this year. */
async function registerCount(secret = false): Promise<number> {
  const r = await api<{ registerEntries: { totalCount: number } }>(
    'query($y: Int!, $s: Boolean){ registerEntries(direction: INCOMING, year: $y, secret: $s, first: 1){ totalCount } }',
    { y: YEAR, s: secret },
  );
  return r.registerEntries.totalCount;
}

/** The text of the error and hints linked to a field. */
async function descriptionOf(label: string): Promise<string> {
  const ids = ((await page.getByLabel(label).first().getAttribute('aria-describedby')) ?? '').split(' ').filter(Boolean);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
  return texts.join(' ');
}

const shot = (name: string) => screenshot(page, `registration-${name}`);

async function openRegisterPage(): Promise<void> {
  await page.goto(`${suite.server.url}/incoming/register`);
  await page.getByRole('heading', { level: 1, name: 'Vào sổ văn bản đến' }).waitFor();
  await page.getByLabel('Loại văn bản').locator('option', { hasText: 'Công văn' }).waitFor({ state: 'attached' });
}

/** Registers the form and returns the new document's id and số đến. */
async function registerAndRead(): Promise<{ id: string; number: number }> {
  await page.getByRole('button', { name: 'Vào sổ', exact: true }).click();
  const result = page.getByRole('status').filter({ hasText: 'Đã vào sổ văn bản đến' });
  await result.waitFor();
  const number = Number(/Số đến:\s*(\d+)/.exec(await result.innerText())?.[1]);
  const href = (await page.getByRole('link', { name: 'Mở văn bản để trình lãnh đạo' }).getAttribute('href'))!;
  return { id: href.split('/').pop()!, number };
}

beforeAll(async () => {
  page = await suite.signIn('vanthu'); // en-US, New York
  token = await loginToken(suite.server.url, 'vanthu');
}, 300_000);

test('a paper document without a scan, dates typed dd/mm/yyyy, is saved with the right dates', async () => {
  const issued = pastDate(2, 13);
  const arrived = pastDate(1, 14);
  const opened = new LocalDays();
  await openRegisterPage();
  await page.getByLabel('Cơ quan ban hành').fill('UBND xã Trung Kênh');
  await page.getByLabel('Số, ký hiệu').fill('45/UBND-VP');
  await page.getByLabel('Loại văn bản').selectOption({ label: 'Công văn' });
  // An impossible date, and no trích yếu.
  await page.getByLabel('Ngày ban hành').fill('31/02/2026');
  await page.getByRole('button', { name: 'Vào sổ', exact: true }).click();
  await page.getByText('Ngày ban hành không hợp lệ, nhập theo dạng dd/mm/yyyy.').waitFor();
  expect(await descriptionOf('Ngày ban hành')).toContain('Ngày ban hành không hợp lệ, nhập theo dạng dd/mm/yyyy.');
  expect(await descriptionOf('Trích yếu nội dung')).toContain('Chưa nhập trích yếu nội dung văn bản.');
  // Neither a scan nor "văn bản giấy": the form asks for one of them.
  await page.getByText('Vui lòng đính kèm bản quét văn bản, hoặc chọn "Văn bản giấy, không có bản quét".').waitFor();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shot('errors');

  await page.getByLabel('Ngày ban hành').fill(issued.typed);
  await page.getByLabel('Trích yếu nội dung').fill('V/v kiểm tra sổ đăng ký văn bản giấy');
  await page.getByLabel('Văn bản giấy, không có bản quét').check();
  // The ngày đến defaults to today in Việt Nam (the browser is in New York); the paper arrived earlier.
  expect(opened.all().map((iso) => iso.split('-').reverse().join('/'))).toContain(await page.getByLabel('Ngày đến').inputValue());
  await page.getByLabel('Ngày đến').fill(arrived.typed);
  // A rule only the server knows (the symbol's shape against the agency's types): its message lands at the field.
  await page.getByLabel('Số, ký hiệu').fill('số năm');
  await page.getByRole('button', { name: 'Vào sổ', exact: true }).click();
  await page.getByText('Số, ký hiệu "số năm" không đúng dạng', { exact: false }).waitFor();
  expect(await descriptionOf('Số, ký hiệu')).toContain('không đúng dạng');
  expect(await page.getByLabel('Số, ký hiệu').getAttribute('aria-invalid')).toBe('true');
  await page.getByLabel('Số, ký hiệu').fill('45/UBND-VP');
  const { id } = await registerAndRead();
  await page.getByRole('status').getByText(`Đến ${arrived.typed}`).waitFor();

  const r = await api<{ document: { issuedDate: string; receivedDate: string; files: unknown[]; symbol: string } }>(
    'query($id: ID!){ document(id: $id){ id issuedDate receivedDate symbol files { id } } }',
    { id },
  );
  expect(r.document.issuedDate).toBe(issued.iso);
  const receivedInVietnam = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(r.document.receivedDate));
  expect(receivedInVietnam).toBe(arrived.iso);
  expect(r.document.files).toEqual([]);
  expect(r.document.symbol).toBe('45/UBND-VP');
}, 120_000);

test('a duplicate is caught before numbering; "Vẫn vào sổ" then registers it with the next number', async () => {
  const issued = pastDate(1, 20);
  const subject = 'V/v hướng dẫn quyết toán ngân sách (trùng)';
  const first = await api<{ registerIncoming: { id: string; incomingNumber: number } }>(
    'mutation($i: RegisterIncomingInput!){ registerIncoming(input: $i){ id incomingNumber } }',
    { i: { issuerName: 'Bộ Tài chính', symbol: '1234/BTC-NSNN', issuedDate: issued.iso, typeName: 'Công văn', subject } },
  );
  const before = await registerCount();

  await openRegisterPage();
  await page.getByLabel('Cơ quan ban hành').fill('Bộ Tài chính');
  await page.getByLabel('Số, ký hiệu').fill('1234/BTC-NSNN');
  await page.getByLabel('Ngày ban hành').fill(issued.typed);
  await page.getByLabel('Loại văn bản').selectOption({ label: 'Công văn' });
  await page.getByLabel('Trích yếu nội dung').fill(subject);
  await page.getByLabel('Văn bản giấy, không có bản quét').check();
  await page.getByRole('button', { name: 'Vào sổ', exact: true }).click();

  const notice = page.getByRole('alertdialog', { name: 'Văn bản này có thể đã được vào sổ' });
  await notice.waitFor();
  const existing = notice.getByRole('link', { name: new RegExp(`Số đến ${first.registerIncoming.incomingNumber}/${YEAR}`) });
  await existing.waitFor();
  expect(await existing.getAttribute('href')).toBe(`/incoming/documents/${first.registerIncoming.id}`);
  // No number was drawn.
  expect(await registerCount()).toBe(before);
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shot('duplicate');

  // "Hủy" closes the notice and leaves the form as it was; registering again asks again.
  await notice.getByRole('button', { name: 'Hủy' }).click();
  await notice.waitFor({ state: 'detached' });
  expect(await page.getByLabel('Trích yếu nội dung').inputValue()).toBe(subject);
  await page.getByRole('button', { name: 'Vào sổ', exact: true }).click();
  await notice.waitFor();
  expect(await registerCount()).toBe(before);

  await notice.getByRole('button', { name: 'Vẫn vào sổ' }).click();
  const result = page.getByRole('status').filter({ hasText: 'Đã vào sổ văn bản đến' });
  await result.waitFor();
  const number = Number(/Số đến:\s*(\d+)/.exec(await result.innerText())?.[1]);
  expect(await registerCount()).toBe(before + 1);
  // Numbers are consecutive: the one the refused attempts did not use.
  expect(number).toBe(before + 1);
  // The result still warns about the earlier registration.
  await result.getByText(new RegExp(`số đến ${first.registerIncoming.incomingNumber}/${YEAR}`)).waitFor();
}, 120_000);

test('a Mật document is registered without any file, with its circulation marking, into the secret register', async () => {
  const secretBefore = await registerCount(true);
  const ordinaryBefore = await registerCount();
  await openRegisterPage();
  await page.getByLabel('Tải bản quét lên để số hóa').waitFor();
  await page.getByLabel('Độ mật').selectOption('MAT');
  // The scan part is gone, with the reason.
  await page.getByText('Văn bản mật chỉ vào sổ thông tin, bản giấy được chuyển tay.', { exact: false }).waitFor();
  expect(await page.getByLabel('Tải bản quét lên để số hóa').count()).toBe(0);
  expect(await page.locator('input[type="file"]').count()).toBe(0);
  expect(await page.getByLabel('Văn bản giấy, không có bản quét').count()).toBe(0);

  await page.getByLabel('Cơ quan ban hành').fill('Công an tỉnh Bắc Ninh');
  await page.getByLabel('Số, ký hiệu').fill('77/CAT-PV01');
  await page.getByLabel('Loại văn bản').selectOption({ label: 'Công văn' });
  await page.getByLabel('Trích yếu nội dung').fill('V/v bảo vệ bí mật nhà nước (mật)');
  await page.getByLabel('XEM XONG TRẢ LẠI').check();
  const readers = page.getByRole('group', { name: 'Người được xem văn bản mật' });
  await readers.getByRole('checkbox').first().check();
  expect(await seriousA11yViolations(page)).toEqual([]);
  await shot('secret');
  const { id, number } = await registerAndRead();

  expect(await registerCount(true)).toBe(secretBefore + 1);
  expect(await registerCount()).toBe(ordinaryBefore);
  const r = await api<{ registerEntries: { edges: { number: number; node: { id: string; secrecy: string; circulation: string[]; files: unknown[] } }[] } }>(
    'query($y: Int!){ registerEntries(direction: INCOMING, year: $y, secret: true, first: 100){ edges { number node { id secrecy circulation files { id } } } } }',
    { y: YEAR },
  );
  const entry = r.registerEntries.edges.find((e) => e.node.id === id);
  expect(entry).toBeDefined();
  expect(entry!.number).toBe(number);
  expect(entry!.node).toMatchObject({ secrecy: 'MAT', circulation: ['XEM_XONG_TRA_LAI'], files: [] });
  expect(suite.pageErrors).toEqual([]);
}, 120_000);
