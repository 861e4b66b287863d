/**
 * Issue 13 "Done when", in the browser: two demo deployments — UBND tỉnh Bắc Ninh (H27, the demo) and UBND tỉnh
 * Nghệ An (H41, the second demo data set) — each a real API server with its own database and its exchange
 * workers, paired as `CONGVAN_DEMO_PEER_URL` pairs them (DEMO peers, the public demo secret) and nothing
 * synced by hand: the directories and the demo CA come as a new user's first steps need them.
 *
 *   H27: chuyên viên drafts a công văn to "Sở Nội vụ tỉnh Nghệ An" picked in Nơi nhận (the directory lists
 *        H41's agencies with their codes), trưởng phòng and lãnh đạo approve, lãnh đạo signs, văn thư issues;
 *   H41: Sở Nội vụ's văn thư finds it in "Chờ vào sổ" and registers it (03), submits it; the lãnh đạo writes a
 *        bút phê (04); the chuyên viên reports progress (05) and completes (06);
 *   H27: the văn thư's open page shows 01, 03, 04, 05, 06 in the recipient row as they come, without reload.
 * Then: the document is replaced (type 3) by a second one, and H41 sees its record replaced with the link to
 * the replacing document; the second is taken back (13), H41's văn thư agrees (15), H27 sees 15.
 * Finally the admin "Liên thông" page lists the peer with its directory. Screenshots in test/.artifacts.
 */
import type { Browser, Page } from 'playwright-core';
import { User } from '../../../server/src/modules/identity/entities/user.entity';
import { DEMO_PEER_SECRET } from '../../../server/src/modules/exchange/peers/peers.service';
import { seedDemo } from '../../../server/src/seed/demo';
import { DEMO_PEER_AGENCIES } from '../../../server/src/seed/demo-peer-data';
import { dialogNamed, documentLoaded, launchChromium, screenshot, seriousA11yViolations, signedInPage, type BrowserTracking } from '../support/browser';
import { startTestServer, type TestServer } from '../support/server';
import { ensureWebBuilt } from '../support/web-build';
import { annotateToPerson, complete, draftPdf, issueThroughUi, recipientCode, registerFromInbox, reportProgress, submitToLeader, waitForRecipientCode } from './exchange-steps';
import { approveSignAndIssue } from '../support/issuing';

let h27: TestServer;
let h41: TestServer;
let browser: Browser;
const track: BrowserTracking = { contexts: [], pageErrors: [] };
const SNV41 = /Sở Nội vụ tỉnh Nghệ An/;
const SNV41_CODE = '000.00.02.H41';

const signIn = (server: TestServer, username: string) => signedInPage(browser, server.url, username, track);
const shot = (page: Page, name: string) => screenshot(page, `exchange-2dep-${name}`);
/** A công văn from H27 to the peer agency `code`, drafted, approved, signed and issued through the services. */
async function issueByServices(subject: string, code: string): Promise<string> {
  const out = h27.runtime.rt.services.outgoing;
  const as = (u: string) => h27.runtime.as(u);
  const { buffer, name, mimeType } = await draftPdf(subject);
  const draft = await out.createDraft(await as('chuyenvien'), { typeName: 'Công văn', subject, recipientAgencyCodes: [code], files: [new File([new Uint8Array(buffer)], name, { type: mimeType })] });
  return (await approveSignAndIssue(h27.runtime, draft.id)).id;
}
const fullName = async (server: TestServer, username: string) => (await server.runtime.rt.orm.em.fork().findOneOrFail(User, { username })).fullName;

beforeAll(async () => {
  await ensureWebBuilt();
  [h27, h41] = await Promise.all([startTestServer(), startTestServer({ demo: false })]);
  await seedDemo(h41.runtime.system(), { agencies: DEMO_PEER_AGENCIES });
  // What CONGVAN_DEMO_PEER_URL does on each side (PeersService.applyEnv): the other demo deployment as a DEMO peer.
  await h27.runtime.rt.services.peers.upsertPeer(null, { code: '000.00.00.H41', name: 'UBND tỉnh Nghệ An', url: h41.url, secret: DEMO_PEER_SECRET, keyId: 'demo' }, 'DEMO');
  await h41.runtime.rt.services.peers.upsertPeer(null, { code: '000.00.00.H27', name: 'UBND tỉnh Bắc Ninh', url: h27.url, secret: DEMO_PEER_SECRET, keyId: 'demo' }, 'DEMO');
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  for (const c of track.contexts) await c.close().catch(() => undefined);
  await browser?.close();
  await h27?.stop();
  await h41?.stop();
});

const SUBJECT = 'V/v phối hợp rà soát thủ tục hành chính liên thông hai tỉnh';
const SUBJECT_2 = 'V/v phối hợp rà soát thủ tục hành chính liên thông hai tỉnh (bản thay thế)';
let issuing: { drafter: Page; deputy: Page; leader: Page; clerk: Page };
let watcher: Page; // H27's văn thư, on the first document's page the whole time
let vt41: Page;
let doc1Url = '';
let in1Url = '';

describe('two deployments in the browser', () => {
  test('H27 issues a công văn to Sở Nội vụ tỉnh Nghệ An picked from the directory; it is delivered (01)', async () => {
    const [drafter, deputy, leader, clerk] = await Promise.all(['chuyenvien', 'truongphong', 'lanhdao', 'vanthu'].map((u) => signIn(h27, u)));
    issuing = { drafter, deputy, leader, clerk };
    doc1Url = await issueThroughUi(issuing, h27.url, {
      subject: SUBJECT,
      search: 'nghe an',
      recipient: SNV41,
      // the peer's agencies, with their mã định danh and their system
      expectInPicker: [/Sở Nội vụ tỉnh Nghệ An \(000\.00\.02\.H41 — hệ thống UBND tỉnh Nghệ An\)/, /Sở Tài chính tỉnh Nghệ An \(000\.00\.03\.H41/],
    });
    watcher = await signIn(h27, 'vanthu');
    await watcher.goto(doc1Url);
    await documentLoaded(watcher);
    const row = watcher.getByRole('region', { name: 'Nơi nhận' }).getByRole('row', { name: SNV41 });
    expect(await row.innerText()).toContain('000.00.02.H41');
    await waitForRecipientCode(watcher, SNV41, '01');
    expect(await row.innerText()).toMatch(/Đã gửi đến/);
    await shot(watcher, '1-delivered');
  }, 300_000);

  test('H41: Sở Nội vụ registers (03), the leader writes a bút phê (04), the officer reports (05) and completes (06); H27 sees each without reload', async () => {
    const [ld41, cv41] = await Promise.all([signIn(h41, 'snv.lanhdao'), signIn(h41, 'snv.chuyenvien')]);
    vt41 = await signIn(h41, 'snv.vanthu');
    in1Url = await registerFromInbox(vt41, h41.url, SUBJECT);
    await waitForRecipientCode(watcher, SNV41, '03');
    expect(await watcher.getByRole('region', { name: 'Nơi nhận' }).getByRole('row', { name: SNV41 }).innerText()).toMatch(/Số đến: \d+/);

    await submitToLeader(vt41, in1Url, await fullName(h41, 'snv.lanhdao'));
    await annotateToPerson(ld41, in1Url, await fullName(h41, 'snv.chuyenvien'), 'Giao Phòng Tổ chức - Biên chế tham mưu, báo cáo UBND tỉnh Bắc Ninh.');
    await waitForRecipientCode(watcher, SNV41, '04');

    await reportProgress(cv41, in1Url, 'Đã rà soát 12 thủ tục, đang tổng hợp.');
    await waitForRecipientCode(watcher, SNV41, '05');
    await complete(cv41, in1Url);
    await waitForRecipientCode(watcher, SNV41, '06');
    await shot(cv41, '2-receiver-completed');
    await shot(watcher, '3-sender-sees-06');
    expect(await seriousA11yViolations(watcher)).toEqual([]);
  }, 300_000);

  test('thay thế: H27 replaces the document by a second one; H41 sees its record replaced, with the replacing document', async () => {
    // the second document is issued through the services: the UI issuing walk is the first test's (repeating it
    // took this test from 16 to 58 s alone); what is walked here is the replacement
    const doc2Id = await issueByServices(SUBJECT_2, SNV41_CODE);
    await issuing.clerk.goto(`${h27.url}/outgoing/documents/${doc2Id}`);
    await documentLoaded(issuing.clerk);
    await waitForRecipientCode(issuing.clerk, SNV41, '01');
    const symbol2 = (await issuing.clerk.getByRole('heading', { level: 1 }).innerText()).replace(/^Công văn\s+/, '').trim();

    await watcher.goto(doc1Url);
    await documentLoaded(watcher);
    const section = watcher.getByTestId('exchange-business');
    await section.getByRole('button', { name: 'Thay thế' }).click();
    const dialog = dialogNamed(watcher, 'Thay thế văn bản');
    const select = dialog.getByLabel('Văn bản thay thế');
    await select.locator(`option[value="${doc2Id}"]`).waitFor({ state: 'attached' });
    await select.selectOption(doc2Id);
    await dialog.getByLabel('Lý do').fill('Bổ sung danh mục thủ tục còn thiếu');
    await dialog.getByRole('button', { name: 'Thay thế', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await section.getByTestId('withdrawn-banner').getByText('Văn bản đã bị thay thế').waitFor();

    // H41: the văn thư's open page (the record) shows it replaced and locked, with the reason and a link to the
    // replacing document — without reload
    expect(vt41.url()).toBe(in1Url);
    const rsection = vt41.getByTestId('exchange-business');
    await rsection.getByTestId('withdrawn-banner').getByText('Văn bản đã bị thay thế').waitFor({ timeout: 60_000 });
    await rsection.getByRole('link', { name: symbol2 }).waitFor({ timeout: 60_000 });
    expect(await rsection.innerText()).toContain('Bổ sung danh mục thủ tục còn thiếu');
    expect(await vt41.getByRole('button', { name: 'Trình lãnh đạo' }).count()).toBe(0);
    await shot(vt41, '4-receiver-replaced');
    // the replacing document, from the link
    await rsection.getByRole('link', { name: symbol2 }).click();
    await vt41.getByText(SUBJECT_2).first().waitFor();
  }, 300_000);

  test('lấy lại: H27 asks to take the second document back (13); H41 agrees (15); H27 sees 15', async () => {
    const page = issuing.clerk; // on the second document's page
    const section = page.getByTestId('exchange-business');
    await section.getByRole('button', { name: 'Lấy lại văn bản' }).click();
    const dialog = dialogNamed(page, 'Lấy lại văn bản đã gửi');
    await dialog.getByLabel('Lý do').fill('Gửi nhầm bản chưa có phụ lục');
    await dialog.getByRole('button', { name: 'Gửi yêu cầu lấy lại' }).click();
    await dialog.waitFor({ state: 'detached' });
    await section.locator('[data-kind="RECALL"][data-state="REQUESTED"]').waitFor();

    // H41: vt41 is on the second document's record (opened from the replacement link); the request shows up there
    const rsection = vt41.getByTestId('exchange-business');
    await rsection.getByRole('button', { name: 'Trả lời yêu cầu lấy lại' }).waitFor({ timeout: 60_000 });
    await rsection.getByText('Gửi nhầm bản chưa có phụ lục').waitFor();
    await rsection.getByRole('button', { name: 'Trả lời yêu cầu lấy lại' }).click();
    const answer = dialogNamed(vt41, 'Trả lời yêu cầu lấy lại');
    await answer.getByRole('radio', { name: /Đồng ý cho lấy lại/ }).check();
    await answer.getByRole('button', { name: 'Gửi trả lời' }).click();
    await answer.waitFor({ state: 'detached' });
    await rsection.getByTestId('withdrawn-banner').getByText('Văn bản đã được lấy lại').waitFor();

    // H27: the answer comes back by itself, in the recipient row and in the request's state
    await waitForRecipientCode(page, SNV41, '15');
    expect(await recipientCode(page, SNV41)).toBe('15');
    await section.locator('[data-kind="RECALL"][data-state="ACCEPTED"]').waitFor({ timeout: 60_000 });
    await shot(page, '5-sender-sees-15');
  }, 240_000);

  test('the admin "Liên thông" page lists the peer with its directory', async () => {
    const admin = await signIn(h27, 'quantri');
    await admin.goto(`${h27.url}/admin/peers`);
    const table = admin.getByTestId('exchange-peers');
    const row = table.getByRole('row', { name: /000\.00\.00\.H41/ });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('UBND tỉnh Nghệ An');
    expect(text).toContain(h41.url);
    expect((await row.locator('td').nth(3).innerText()).trim()).toBe(String(DEMO_PEER_AGENCIES.length));
    expect(text).not.toMatch(/Lỗi:/);
    expect(await seriousA11yViolations(admin)).toEqual([]);
    await shot(admin, '6-admin-peers');
    expect(track.pageErrors).toEqual([]);
  }, 120_000);
});
