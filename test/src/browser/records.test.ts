/**
 * Browser test: hồ sơ (issue 10). The văn thư opens the Danh mục hồ sơ, adds a hồ sơ (a duplicate notation is
 * refused at its field by the server), finds a registered document by words typed without diacritics, files it,
 * closes and transfers the hồ sơ (buttons from the server's allowed actions); then the hồ sơ says it is immutable,
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

  await page.getByRole('toolbar').getByRole('button', { name: 'Kết thúc hồ sơ' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Kết thúc hồ sơ' }).click();
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
  expect([doc.state, doc.archivedAt !== null]).toEqual(['REGISTERED', true]);
  // The archivist now sees it; another agency's archivist does not.
  const archivist = await loginToken(url, 'luutru');
  const seen = await gql<{ document: { id: string; archivedAt: string | null } }>(url, 'query($id: ID!){ document(id: $id){ id archivedAt } }', { id: docId }, { token: archivist });
  expect(seen.data?.document.archivedAt).toBeTruthy();
  const other = await gql(url, 'query($id: ID!){ document(id: $id){ id } }', { id: docId }, { token: await loginToken(url, 'snv.luutru') });
  expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  expect(suite.pageErrors).toEqual([]);
}, 180_000);
