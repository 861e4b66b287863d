/**
 * Browser test: hồ sơ (issue 10). The văn thư opens the Danh mục hồ sơ, adds a hồ sơ (a duplicate notation is
 * refused at its field by the server), finds a registered document by words typed without diacritics, files it,
 * files a second document from its own page ("Đưa vào hồ sơ", Document.recordActions), closes the hồ sơ; the
 * transfer is refused while a document is still in handling (the message names it); once its handling ends the
 * hồ sơ is transferred (buttons from the server's allowed actions); then the hồ sơ says it is immutable,
 * offers no more filing, and the API refuses to change the document (CONFLICT, reason ARCHIVED). The archivist
 * then sees the document.
 */
import { gql, loginToken } from '../support/gql';
import { browserSuite } from '../support/browser';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { searchIndexJob, SEARCH_INDEX_JOB } from '../../../server/src/modules/search/search.jobs';

const suite = browserSuite();

test('the văn thư adds a hồ sơ, files a document found without diacritics, closes and transfers it; then it cannot change', async () => {
  const { url, runtime } = suite.server;
  const clerk = await loginToken(url, 'vanthu');
  const subject = 'Kế hoạch kiểm kê tài sản công năm 2026 của văn phòng';
  const reg = await gql<{ registerIncoming: { id: string } }>(
    url,
    'mutation($i: RegisterIncomingInput!){ registerIncoming(input:$i){ id } }',
    { i: { issuerName: 'Sở Tài chính', symbol: '71/KH-STC', issuedDate: '2026-11-20', typeName: 'Kế hoạch', subject } },
    { token: clerk },
  );
  expect(reg.errors).toBeUndefined();
  const docId = reg.data!.registerIncoming.id;
  const reg2 = await gql<{ registerIncoming: { id: string } }>(
    url,
    'mutation($i: RegisterIncomingInput!){ registerIncoming(input:$i){ id } }',
    { i: { issuerName: 'Sở Tài chính', symbol: '72/BC-STC', issuedDate: '2026-11-21', typeName: 'Báo cáo', subject: 'Báo cáo quyết toán ngân sách quý IV' } },
    { token: clerk },
  );
  expect(reg2.errors).toBeUndefined();
  const doc2 = reg2.data!.registerIncoming.id;
  /** The leader ends a document's handling ("để biết"). */
  const settle = async (id: string) => {
    const lanhdao = await runtime.rt.orm.em.fork().findOneOrFail(User, { username: 'lanhdao' });
    const s1 = await gql(url, 'mutation($d: ID!, $l: ID!) { submitForAnnotation(documentId: $d, leaderId: $l) { id } }', { d: id, l: lanhdao.id }, { token: clerk });
    expect(s1.errors).toBeUndefined();
    const s2 = await gql(url, 'mutation($d: ID!, $i: AnnotateInput!) { annotate(documentId: $d, input: $i) { id } }', { d: id, i: { forInfo: true, instruction: 'Để biết, lưu hồ sơ' } }, { token: await loginToken(url, 'lanhdao') });
    expect(s2.errors).toBeUndefined();
  };
  await settle(doc2);
  // The worker's search.index jobs, run here with the real handler.
  const em = runtime.rt.orm.em.fork();
  for (const j of await em.execute<{ id: string; data: { documentId: string } }[]>(`select id, data from pgboss.job where name = ? and state = 'created'`, [SEARCH_INDEX_JOB])) {
    await searchIndexJob.handler(j.data, { services: runtime.rt.services, engines: {}, newScope: () => runtime.system(), jobId: j.id });
    await em.execute(`update pgboss.job set state = 'completed' where id = ?`, [j.id]);
  }
  // A hồ sơ already in the list: its notation cannot be taken twice.
  const existing = await gql(url, 'mutation($i: CreateRecordInput!){ createRecord(input:$i){ id } }', { i: { year: 2026, fileNotation: '05.VP', title: 'Hồ sơ có sẵn', retentionYears: 10 } }, { token: clerk });
  expect(existing.errors).toBeUndefined();

  const page = await suite.signIn('vanthu');
  await page.goto(`${url}/archive/records?year=2026`);
  await page.getByRole('heading', { level: 1, name: 'Danh mục hồ sơ' }).waitFor();
  await page.getByRole('link', { name: '05.VP' }).waitFor();
  // opened directly (no register page before it): the catalogue is drawn as a register table
  const table = await page.locator('table.register-table').evaluate((t) => ({ collapse: getComputedStyle(t).borderCollapse, header: getComputedStyle(t.querySelector('th')!).textAlign }));
  expect(table).toEqual({ collapse: 'collapse', header: 'left' });
  await page.getByRole('button', { name: 'Thêm hồ sơ' }).first().click();
  const form = page.getByRole('region', { name: 'Thêm hồ sơ vào danh mục' });
  await form.getByLabel('Số và ký hiệu hồ sơ').fill('05.VP');
  await form.getByLabel('Tiêu đề hồ sơ').fill('Hồ sơ kiểm kê tài sản công năm 2026');
  await form.getByLabel('Thời hạn bảo quản').selectOption({ label: '20 năm' });
  await form.getByRole('button', { name: 'Thêm hồ sơ' }).click();
  await form.getByText('Số và ký hiệu hồ sơ 05.VP đã có trong danh mục năm 2026.').waitFor();
  await form.getByLabel('Số và ký hiệu hồ sơ').fill('06.VP');
  await form.getByRole('button', { name: 'Thêm hồ sơ' }).click();
  await page.getByText('Đã thêm hồ sơ 06.VP.').waitFor();
  await page.getByRole('link', { name: '06.VP' }).click();

  await page.getByRole('heading', { level: 1, name: /06\.VP — Hồ sơ kiểm kê tài sản công năm 2026/ }).waitFor();
  await page.getByText('Hồ sơ chưa có văn bản nào.').waitFor();
  const filing = page.getByRole('region', { name: 'Lập hồ sơ: thêm văn bản' });
  await filing.getByLabel('Tìm văn bản').fill('kiem ke tai san');
  await filing.getByRole('button', { name: 'Tìm', exact: true }).click();
  await filing.getByRole('button', { name: 'Thêm vào hồ sơ' }).click();
  const docs = page.getByRole('region', { name: /Văn bản trong hồ sơ/ });
  await docs.getByRole('link', { name: '71/KH-STC' }).waitFor();
  expect(await docs.getByRole('link', { name: '71/KH-STC' }).getAttribute('href')).toBe(`/archive/documents/${docId}`);

  // The second document, filed from its own page
  const recordUrl = page.url();
  await page.goto(`${url}/archive/documents/${doc2}`);
  const section = page.getByRole('region', { name: 'Hồ sơ', exact: true });
  await section.getByText('Văn bản chưa được lập hồ sơ.').waitFor();
  await section.getByRole('button', { name: 'Đưa vào hồ sơ' }).click();
  await section.getByLabel('Hồ sơ đang mở').selectOption({ label: '06.VP — Hồ sơ kiểm kê tài sản công năm 2026 (2026)' });
  await section.getByRole('button', { name: 'Đưa vào hồ sơ' }).click();
  await page.getByText('Đã đưa văn bản vào hồ sơ 06.VP.').first().waitFor();
  await section.getByRole('link', { name: '06.VP — Hồ sơ kiểm kê tài sản công năm 2026' }).waitFor();
  await section.getByRole('button', { name: 'Đưa ra khỏi hồ sơ' }).waitFor();
  await page.goto(recordUrl);
  await docs.getByRole('link', { name: '72/BC-STC' }).waitFor();

  await page.getByRole('toolbar').getByRole('button', { name: 'Kết thúc hồ sơ' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Kết thúc hồ sơ' }).click();
  // 71/KH-STC is still in handling: the transfer is refused and says which document
  await page.getByRole('toolbar').getByRole('button', { name: 'Nộp lưu' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Nộp lưu' }).click();
  await page.getByRole('dialog').getByText(/chưa xử lý xong — 71\/KH-STC \(hồ sơ 06\.VP\)/).waitFor();
  expect((await runtime.rt.orm.em.fork().findOneOrFail(Document, { id: doc2 })).archivedAt).toBeNull();
  await page.keyboard.press('Escape');
  await page.getByRole('dialog').waitFor({ state: 'detached' });
  await settle(docId);
  await page.getByRole('toolbar').getByRole('button', { name: 'Nộp lưu' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Nộp lưu' }).click();
  await page.getByText('Hồ sơ đã nộp lưu: văn bản và tệp trong hồ sơ không thể thay đổi hay xóa.').waitFor();
  expect(await page.getByRole('toolbar').getByRole('button', { name: 'Nộp lưu' }).count()).toBe(0);
  expect(await page.getByRole('region', { name: 'Lập hồ sơ: thêm văn bản' }).count()).toBe(0);
  await page.getByText('Đã nộp lưu', { exact: true }).first().waitFor();

  // Immutable: the API refuses to change the document, with a typed error, and nothing changed.
  const leader = await em.findOneOrFail(User, { username: 'lanhdao' });
  const sub = await gql(url, 'mutation($d: ID!, $l: ID!) { submitForAnnotation(documentId: $d, leaderId: $l) { id } }', { d: docId, l: leader.id }, { token: clerk });
  expect(sub.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ARCHIVED' });
  const doc = await runtime.rt.orm.em.fork().findOneOrFail(Document, { id: docId });
  expect([doc.state, doc.archivedAt !== null]).toEqual(['FOR_INFO', true]);
  // The archivist now sees it; another agency's archivist does not.
  const archivist = await loginToken(url, 'luutru');
  const seen = await gql<{ document: { id: string; archivedAt: string | null } }>(url, 'query($id: ID!){ document(id: $id){ id archivedAt } }', { id: docId }, { token: archivist });
  expect(seen.data?.document.archivedAt).toBeTruthy();
  const other = await gql(url, 'query($id: ID!){ document(id: $id){ id } }', { id: docId }, { token: await loginToken(url, 'snv.luutru') });
  expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  expect(suite.pageErrors).toEqual([]);
}, 180_000);

test('the archivist adjusts the retention table for the agency (bảng thời hạn bảo quản); the văn thư may only read it', async () => {
  const { url } = suite.server;
  const page = await suite.signIn('luutru');
  await page.goto(`${url}/archive/retention`);
  await page.getByRole('heading', { level: 1, name: 'Bảng thời hạn bảo quản' }).waitFor();
  await page.getByRole('button', { name: 'Sửa mục 50' }).click();
  const form = page.getByRole('region', { name: 'Thêm hoặc điều chỉnh mục' });
  expect(await form.getByLabel('Mã mục').inputValue()).toBe('50');
  await form.getByLabel('Thời hạn (năm)').fill('0');
  await form.getByRole('button', { name: 'Lưu mục' }).click();
  await form.getByText('Thời hạn từ 1 đến 200 năm, hoặc Vĩnh viễn.').waitFor();
  await form.getByLabel('Thời hạn (năm)').fill('60');
  await form.getByLabel('Nhóm hồ sơ, tài liệu').fill('Hồ sơ đề án, dự án của cơ quan');
  await form.getByRole('button', { name: 'Lưu mục' }).click();
  await page.getByText('Đã lưu mục 50.').waitFor();
  const row = page.getByRole('row', { name: /Hồ sơ đề án, dự án của cơ quan/ });
  await row.getByText('Của cơ quan', { exact: true }).waitFor();
  await row.getByText('60 năm').waitFor();
  await page.getByRole('button', { name: 'Xóa mục 50 của cơ quan' }).waitFor();
  expect(suite.pageErrors).toEqual([]);

  const clerk = await suite.signIn('vanthu');
  await clerk.goto(`${url}/archive/retention`);
  await clerk.getByRole('row', { name: /Hồ sơ đề án, dự án của cơ quan/ }).waitFor();
  expect(await clerk.getByRole('region', { name: 'Thêm hoặc điều chỉnh mục' }).count()).toBe(0);
  expect(await clerk.getByRole('button', { name: 'Sửa mục 50' }).count()).toBe(0);
}, 120_000);
