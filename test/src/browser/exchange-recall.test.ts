/**
 * Browser test (issue 13): lấy lại and thay thế through the real exchange (the test server runs the exchange
 * workers). UBND tỉnh issues công văn to Sở Nội vụ; its văn thư asks to take it back (13) on the document page;
 * Sở Nội vụ's văn thư agrees (15) on its incoming record, which shows "đã được lấy lại" and is locked; the sender
 * sees the answer. Then a document is replaced by another issued one: its page shows "đã bị thay thế" with the
 * note. Screenshots in test/.artifacts.
 */
import { PDFDocument } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { browserSuite, screenshot, seriousA11yViolations } from '../support/browser';
import { giveToAgency } from './exchange-steps';
import { Agency } from '../../../server/src/modules/identity/entities/agency.entity';
import { Document } from '../../../server/src/modules/documents/entities/document.entity';
import { Recipient } from '../../../server/src/modules/documents/entities/misc.entities';
import { BusinessActionRow } from '../../../server/src/modules/exchange/business/business.entities';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { Assignment } from '../../../server/src/modules/documents/entities/assignment.entity';
import { approveSignAndIssue } from '../support/issuing';
import { until } from '../support/until';

const suite = browserSuite();
const rt = () => suite.server.runtime.rt;
const em = () => rt().orm.em.fork();
const as = (u: string) => suite.server.runtime.as(u);

async function pdfFile(tag: string): Promise<File> {
  const d = await PDFDocument.create();
  d.addPage([595, 842]);
  d.setTitle(tag);
  return new File([Buffer.from(await d.save())], 'cong-van.pdf', { type: 'application/pdf' });
}

async function issueToSnv(subject: string): Promise<Document> {
  const out = rt().services.outgoing;
  const snv = await em().findOneOrFail(Agency, { code: '000.00.02.H27' });
  const d = await out.createDraft(await as('chuyenvien'), { typeName: 'Công văn', subject, recipientAgencyIds: [snv.id], files: [await pdfFile(`${subject}-${Math.random()}`)] });
  const issued = await approveSignAndIssue(suite.server.runtime, d.id);
  await until('delivery to Sở Nội vụ', async () => (await em().findOne(Recipient, { document: issued.id, agency: snv.id }))?.statusCode === '01', 30_000);
  return issued;
}

async function openDocument(page: Page, path: string, subject: string) {
  await page.goto(new URL(path, suite.server.url).toString());
  await page.getByRole('heading', { level: 1 }).waitFor();
  await page.getByText(subject).first().waitFor();
}

test('lấy lại: the sender asks, the recipient agrees, its record is withdrawn and locked; the sender sees the answer', async () => {
  const subject = 'V/v rà soát biên chế (lấy lại)';
  const doc = await issueToSnv(subject);
  const snvRec = await em().findOneOrFail(Recipient, { document: doc.id, agency: { code: '000.00.02.H27' } });
  const incomingId = await until('the incoming record', async () => (await em().findOne(Recipient, { id: snvRec.id }))?.deliveredDocument?.id ?? null, 30_000);

  // the sender's văn thư: "Lấy lại văn bản" with a reason
  const sender = await suite.signIn('vanthu');
  await openDocument(sender, `/outgoing/documents/${doc.id}`, subject);
  const section = sender.getByTestId('exchange-business');
  await section.getByRole('button', { name: 'Lấy lại văn bản' }).click();
  const dialog = sender.getByRole('dialog', { name: 'Lấy lại văn bản đã gửi' });
  await dialog.getByRole('button', { name: 'Gửi yêu cầu lấy lại' }).click();
  await dialog.getByText('Vui lòng nêu lý do.').waitFor();
  await dialog.getByLabel('Lý do').fill('Văn bản gửi nhầm nơi nhận');
  await dialog.getByRole('button', { name: 'Gửi yêu cầu lấy lại' }).click();
  await dialog.waitFor({ state: 'detached' });
  await section.locator('[data-kind="RECALL"][data-state="REQUESTED"]').waitFor();
  await screenshot(sender, 'exchange-recall-1-requested');

  // the recipient's văn thư sees the request on its incoming record and agrees
  await until('the 13 at Sở Nội vụ', async () => (await em().count(BusinessActionRow, { document: incomingId, side: 'RECEIVER', state: 'PENDING' })) > 0, 30_000);
  const receiver = await suite.signIn('snv.vanthu');
  await openDocument(receiver, `/incoming/documents/${incomingId}`, subject);
  const rsection = receiver.getByTestId('exchange-business');
  await rsection.getByText('Văn bản gửi nhầm nơi nhận').waitFor();
  await rsection.getByRole('button', { name: 'Trả lời yêu cầu lấy lại' }).click();
  const answer = receiver.getByRole('dialog', { name: 'Trả lời yêu cầu lấy lại' });
  await answer.getByRole('radio', { name: /Đồng ý cho lấy lại/ }).check();
  expect(await seriousA11yViolations(receiver)).toEqual([]);
  await answer.getByRole('button', { name: 'Gửi trả lời' }).click();
  await answer.waitFor({ state: 'detached' });
  const banner = rsection.getByTestId('withdrawn-banner');
  await banner.getByText('Văn bản đã được lấy lại').waitFor();
  await banner.getByText(/số vẫn giữ trong sổ/).waitFor();
  // locked: no action buttons left on the record
  expect(await receiver.getByRole('button', { name: 'Trình lãnh đạo' }).count()).toBe(0);
  expect(await rsection.getByRole('button').count()).toBe(0);
  await screenshot(receiver, 'exchange-recall-2-accepted');

  // the sender's open page shows the answer per recipient (15) live, without a reload
  await until('the 15 at the sender', async () => (await em().findOne(Recipient, { id: snvRec.id }))?.statusCode === '15', 30_000);
  await sender.getByTestId('exchange-business').locator('[data-kind="RECALL"][data-state="ACCEPTED"]').waitFor({ timeout: 30_000 });
  await screenshot(sender, 'exchange-recall-3-sender-sees-answer');
  expect(suite.pageErrors).toEqual([]);
}, 240_000);

test('thay thế: the văn thư picks the replacing issued document; the page shows the document replaced, with the note', async () => {
  const original = await issueToSnv('V/v phân bổ kinh phí (bản đầu)');
  const replacing = await issueToSnv('V/v phân bổ kinh phí (bản thay thế)');
  const page = await suite.signIn('vanthu');
  await openDocument(page, `/outgoing/documents/${original.id}`, 'V/v phân bổ kinh phí (bản đầu)');
  const section = page.getByTestId('exchange-business');
  await section.getByRole('button', { name: 'Thay thế' }).click();
  const dialog = page.getByRole('dialog', { name: 'Thay thế văn bản' });
  const select = dialog.getByLabel('Văn bản thay thế');
  await select.locator(`option[value="${replacing.id}"]`).waitFor({ state: 'attached' });
  await select.selectOption(replacing.id);
  await dialog.getByLabel('Lý do').fill('Sai số liệu phân bổ');
  await screenshot(page, 'exchange-replace-1-dialog');
  await dialog.getByRole('button', { name: 'Thay thế', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  const banner = section.getByTestId('withdrawn-banner');
  await banner.getByText('Văn bản đã bị thay thế').waitFor();
  await banner.getByText(new RegExp(`bằng văn bản ${replacing.symbol!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`)).waitFor();
  await section.getByRole('link', { name: replacing.symbol! }).waitFor();
  await screenshot(page, 'exchange-replace-2-replaced');
  // the recipient's record of the original is marked replaced too
  const snvRec = await em().findOneOrFail(Recipient, { document: original.id, agency: { code: '000.00.02.H27' } });
  await until('the replacement at Sở Nội vụ', async () => {
    const id = (await em().findOne(Recipient, { id: snvRec.id }))?.deliveredDocument?.id;
    return id ? (await em().findOne(Document, { id }))?.withdrawnKind === 'REPLACED' : false;
  }, 30_000);
  expect(suite.pageErrors).toEqual([]);
}, 240_000);

test('giao cơ quan khác: the leader names Sở Tài chính chủ trì in the bút phê; its completion (06) completes the document', async () => {
  const services = rt().services;
  const subject = 'V/v rà soát dự toán (giao Sở Tài chính)';
  const vt = await as('vanthu');
  const doc = await services.incoming.registerIncoming(vt, { issuerName: 'Bộ Tài chính', symbol: `${Math.floor(Math.random() * 9000) + 100}/BTC-NSNN`, issuedDate: '2026-11-20', typeName: 'Công văn', subject });
  const leader = await em().findOneOrFail(User, { username: 'lanhdao' });
  await services.incoming.submitForAnnotation(vt, doc.id, leader.id);

  const page = await suite.signIn('lanhdao');
  await openDocument(page, `/incoming/documents/${doc.id}`, subject);
  await page.getByRole('button', { name: 'Bút phê', exact: true }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Bút phê' });
  await giveToAgency(dialog, 'Giao Sở Tài chính chủ trì, báo cáo UBND tỉnh', '000.00.03.H27');
  await screenshot(page, 'exchange-agency-1-annotate');
  await dialog.getByRole('button', { name: 'Bút phê', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
  const list = page.getByTestId('agency-assignments');
  await list.getByText('Sở Tài chính', { exact: false }).first().waitFor();

  // Sở Tài chính handles it (its văn thư registers, its leader assigns, its officer completes), through the exchange
  const stc = await em().findOneOrFail(Agency, { code: '000.00.03.H27' });
  const rec = await until('delivery to Sở Tài chính', async () => {
    const r = await em().findOne(Recipient, { document: doc.id, agencyCode: stc.code });
    return r?.deliveredDocument ? r : null;
  }, 30_000);
  const stcDocId = rec.deliveredDocument!.id;
  await services.incoming.registerIncoming(await as('stc.vanthu'), { documentId: stcDocId });
  const [stcLd, stcCv] = await Promise.all([em().findOneOrFail(User, { username: 'stc.lanhdao' }), em().findOneOrFail(User, { username: 'stc.chuyenvien' })]);
  await services.incoming.submitForAnnotation(await as('stc.vanthu'), stcDocId, stcLd.id);
  await services.incoming.annotate(await as('stc.lanhdao'), stcDocId, { lead: { userId: stcCv.id } });
  const asg = await em().findOneOrFail(Assignment, { document: stcDocId, active: true });
  await services.incoming.completeAssignment(await as('stc.chuyenvien'), asg.id, 'Đã báo cáo');
  await until('the 06 completing the document', async () => (await em().findOne(Document, { id: doc.id }))?.state === 'DONE', 30_000);
  await page.reload();
  await page.getByTestId('agency-assignments').locator('[data-state="DONE"]').waitFor();
  await screenshot(page, 'exchange-agency-2-done');
  expect(suite.pageErrors).toEqual([]);
}, 240_000);
