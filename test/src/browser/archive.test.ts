/**
 * Browser test of issue 10, as a new user would try it: the archivist (luutru) imports a folder of paper scans
 * (`npm run cli -- import DIR --agency CODE`, its code path run in this process with the real OCR), then in the
 * browser finds each scan by a phrase typed without diacritics (the header's search box), by a sentence of its body
 * and by its symbol (the search page), opens a hit at its page with the words highlighted on the scan, files it into
 * a hồ sơ, transfers the hồ sơ and cannot alter the document afterwards; another agency's archivist finds none of it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { importScans } from '../../../server/src/bin/import-scans';
import { browserSuite, screenshot } from '../support/browser';
import { gql, loginToken } from '../support/gql';
import { SCANS_DIR } from '../../fixtures';

jest.setTimeout(600_000);

const AGENCY = '000.00.00.H27'; // UBND tỉnh Bắc Ninh

const suite = browserSuite({ server: { env: { OCR_CONCURRENCY: '2' } } });
const ids: Record<string, string> = {};

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'congvan-archive-browser-'));
  try {
    fs.mkdirSync(path.join(dir, 'hop-01'));
    fs.copyFileSync(path.join(SCANS_DIR, 'dev03.p1.jpg'), path.join(dir, 'hop-01', 'ke-hoach-166.jpg'));
    fs.copyFileSync(path.join(SCANS_DIR, 'dev09.pdf'), path.join(dir, 'quyet-dinh-764.pdf'));
    const t = suite.server.runtime;
    const code = await importScans(t.config, t.db.url, [dir, '--agency', AGENCY, '--quiet']);
    expect(code).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const rows = await suite.server.runtime.rt.orm.em.fork().execute<{ id: string; symbol: string }[]>(`select id, symbol from document where direction = 'ARCHIVE'`);
  for (const r of rows) ids[r.symbol] = r.id;
  expect(Object.keys(ids).sort()).toEqual(['166/KH-UBND', '764/QĐ-UBND']);
}, 600_000);

/** Searches from the search page's own box and waits for the result count. */
async function searchOnPage(page: Page, query: string): Promise<void> {
  const form = page.getByRole('search', { name: 'Lưu trữ & tra cứu' });
  await form.getByRole('searchbox', { name: 'Từ khóa' }).fill(query);
  await form.getByRole('button', { name: 'Tìm kiếm', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/archive' && u.searchParams.get('q') === query);
  await page.locator('.search-count').filter({ hasText: /Tìm thấy|Không tìm thấy/ }).waitFor();
}

const hitLinks = (page: Page) => page.locator('.search-hit__title a');

test('the archivist finds each imported scan, opens it at the highlighted hit, files it, transfers the hồ sơ; another agency finds nothing', async () => {
  const page = await suite.signIn('luutru');
  // the landing page is shown (its redirect done) before the header box is used
  await page.getByRole('heading', { level: 1 }).first().waitFor();

  // 1. A phrase typed without diacritics, in the header's search box
  const header = page.getByRole('search', { name: 'Tìm văn bản' });
  await header.getByRole('searchbox').fill('tuyen truyen cai cach hanh chinh nam 2023');
  await header.getByRole('searchbox').press('Enter');
  await page.waitForURL((u) => u.pathname === '/archive', { waitUntil: 'commit' });
  await page.getByRole('heading', { name: 'Lưu trữ & tra cứu' }).waitFor();
  const first = hitLinks(page).filter({ hasText: '166/KH-UBND' });
  await first.waitFor();
  expect(await hitLinks(page).count()).toBe(1);
  // the snippet highlights the words with their diacritics, as marks (not injected HTML)
  const marks = await page.locator('.search-hit mark').allTextContents();
  expect(marks.map((m) => m.toLowerCase())).toEqual(expect.arrayContaining(['tuyên', 'truyền']));
  await page.getByText('Chưa kiểm tra').first().waitFor(); // OCR-read metadata, not yet confirmed
  await screenshot(page, 'archive-search');

  // 2. A sentence of its body (typed with diacritics and punctuation)
  await searchOnPage(page, 'thực hành tiết kiệm, chống lãng phí');
  await hitLinks(page).filter({ hasText: '166/KH-UBND' }).waitFor();

  // 3. Its symbol, as written
  await searchOnPage(page, '764/QĐ-UBND');
  await hitLinks(page).filter({ hasText: '764/QĐ-UBND' }).waitFor();
  expect(await hitLinks(page).count()).toBe(1);
  // a facet narrows to the digitised archive
  await page.getByRole('button', { name: /Tài liệu lưu trữ số hóa/ }).click();
  await page.waitForURL((u) => u.searchParams.get('direction') === 'ARCHIVE');
  await hitLinks(page).filter({ hasText: '764/QĐ-UBND' }).waitFor();

  // 4. Opening a hit: the document at the page of the hit, the words highlighted on the scan
  await searchOnPage(page, 'tuyen truyen cai cach hanh chinh');
  await hitLinks(page).filter({ hasText: '166/KH-UBND' }).click();
  await page.waitForURL((u) => u.pathname === `/archive/documents/${ids['166/KH-UBND']}` && u.searchParams.get('page') === '1');
  const hitView = page.getByRole('region', { name: 'Vị trí tìm thấy trên bản quét' });
  await hitView.getByText('Trang 1/1').waitFor();
  const boxes = hitView.locator('.hit-view__box');
  await boxes.first().waitFor();
  expect(await boxes.count()).toBeGreaterThanOrEqual(4);
  const boxWords = (await boxes.allTextContents()).map((w) => w.toLowerCase());
  expect(boxWords).toEqual(expect.arrayContaining(['tuyên', 'truyền']));
  const img = hitView.getByRole('img', { name: 'Trang 1 của bản quét' });
  await img.evaluate((el) => {
    const i = el as HTMLImageElement;
    return i.complete ? null : new Promise((resolve) => i.addEventListener('load', () => resolve(null), { once: true }));
  });
  expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
  await screenshot(page, 'archive-hit');

  // 5. File it into a hồ sơ and transfer the hồ sơ, in the records pages (Danh mục hồ sơ)
  await page.goto(`${suite.server.url}/archive`);
  await page.getByRole('link', { name: 'Danh mục hồ sơ' }).click();
  await page.waitForURL((u) => u.pathname === '/archive/records');
  await page.getByRole('button', { name: 'Thêm hồ sơ' }).first().click();
  const create = page.getByRole('region', { name: 'Thêm hồ sơ vào danh mục' });
  await create.getByLabel('Năm').fill('2026');
  await create.getByLabel('Số và ký hiệu hồ sơ').fill('LT.01');
  await create.getByLabel('Tiêu đề hồ sơ').fill('Kế hoạch tuyên truyền cải cách hành chính');
  await create.getByRole('button', { name: 'Thêm hồ sơ' }).click();
  await page.getByRole('link', { name: 'LT.01' }).click();
  await page.waitForURL((u) => /^\/archive\/records\/[0-9a-f-]{36}$/.test(u.pathname));
  const recordId = new URL(page.url()).pathname.split('/').pop()!;
  const filing = page.getByRole('region', { name: 'Lập hồ sơ: thêm văn bản' });
  await filing.getByRole('searchbox').fill('166/KH-UBND');
  await filing.getByRole('button', { name: 'Tìm', exact: true }).click();
  await filing.getByRole('button', { name: 'Thêm vào hồ sơ' }).click();
  const filed = page.getByRole('region', { name: /Văn bản trong hồ sơ/ });
  await filed.getByText('166/KH-UBND').waitFor();
  // the archivist has checked the metadata OCR read: confirmed, then frozen
  await filed.getByRole('button', { name: 'Xác nhận đã kiểm tra' }).click();
  await filed.getByText('Chưa kiểm tra').waitFor({ state: 'detached' });
  for (const action of ['Kết thúc hồ sơ', 'Nộp lưu']) {
    await page.getByRole('button', { name: action, exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: action, exact: true }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
  }
  await page.getByText('Hồ sơ đã nộp lưu: văn bản và tệp trong hồ sơ không thể thay đổi hay xóa.').waitFor();
  expect(await page.getByRole('button', { name: 'Rút khỏi hồ sơ' }).count()).toBe(0);
  await screenshot(page, 'archive-record');
  const token = await loginToken(suite.server.url, 'luutru');
  const api = async <T>(query: string, variables: Record<string, unknown>) => gql<T>(suite.server.url, query, variables, { token });

  // the search now narrows to the hồ sơ, and shows it on the hit
  await page.goto(`${suite.server.url}/archive?q=${encodeURIComponent('166/KH-UBND')}&record=${recordId}`);
  await hitLinks(page).filter({ hasText: '166/KH-UBND' }).waitFor();
  await page.getByText(/Hồ sơ: LT\.01/).waitFor();

  // 6. It cannot be altered afterwards: taken out of the hồ sơ, filed elsewhere, its metadata changed — all refused
  const other = await api<{ createRecord: { id: string } }>('mutation($i: CreateRecordInput!) { createRecord(input: $i) { id } }', {
    i: { year: 2026, fileNotation: 'LT.02', title: 'Hồ sơ khác', retentionYears: 10 },
  });
  for (const [q, v] of [
    ['mutation($r: ID!, $d: ID!) { unfileDocument(recordId: $r, documentId: $d) { id } }', { r: recordId, d: ids['166/KH-UBND'] }],
    ['mutation($r: ID!, $d: ID!) { fileDocument(recordId: $r, documentId: $d) { id } }', { r: other.data!.createRecord.id, d: ids['166/KH-UBND'] }],
    ['mutation($i: UpdateArchiveMetadataInput!) { updateArchiveMetadata(input: $i) { document { id } } }', { i: { documentId: ids['166/KH-UBND'], document: { subject: 'Sửa sau khi nộp lưu' } } }],
  ] as const) {
    const r = await api(q, v);
    expect(r.errors?.[0]?.extensions?.code).toMatch(/CONFLICT|FORBIDDEN/);
  }
  const [doc] = await suite.server.runtime.rt.orm.em.fork().execute<{ subject: string; record_id: string }[]>(`select subject, record_id from document where id = ?`, [ids['166/KH-UBND']]);
  expect(doc.record_id).toBe(recordId);
  expect(doc.subject).not.toBe('Sửa sau khi nộp lưu');

  // 7. Another agency's archivist finds none of it, and cannot open it
  const outsider = await suite.signIn('snv.luutru');
  for (const q of ['166/KH-UBND', 'tuyen truyen cai cach hanh chinh nam 2023', '764/QĐ-UBND']) {
    await outsider.goto(`${suite.server.url}/archive?q=${encodeURIComponent(q)}`);
    await outsider.getByText('Không tìm thấy văn bản nào.').waitFor();
    expect(await hitLinks(outsider).count()).toBe(0);
  }
  await outsider.goto(`${suite.server.url}/archive/documents/${ids['166/KH-UBND']}?q=tuyen`);
  await outsider.getByRole('alert').filter({ hasText: /không tồn tại/ }).first().waitFor();
  expect(await outsider.locator('.hit-view__box').count()).toBe(0);

  expect(suite.pageErrors).toEqual([]);
});
