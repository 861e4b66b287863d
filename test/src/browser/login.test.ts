/**
 * Browser test of the web client against the real API (fresh demo database): Vietnamese login page,
 * wrong password / lock-out / offline errors, the application shell by role, accessibility (axe-core),
 * the language switch and logout. Screenshots go to test/.artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type BrowserContext, type Page } from 'playwright-core';
import { PDFDocument } from 'pdf-lib';
import { gql, loginToken } from '../support/gql';
import { browserSuite, PDF_FRAME_STUB, PLAYWRIGHT_DISABLED_FEATURES, screenshot, seriousA11yViolations } from '../support/browser';
import { WEB_DIST } from '../support/web-build';

const suite = browserSuite();

const PASSWORD = 'congvan2026';

const NAV_VI = ['Văn bản đến', 'Văn bản đi', 'Việc cần xử lý', 'Phòng họp', 'Lưu trữ & tra cứu', 'Thống kê', 'Quản trị'];
const ROLE_LABEL_VI: Record<string, string> = {
  VAN_THU: 'Văn thư',
  CHUYEN_VIEN: 'Chuyên viên',
  TRUONG_PHONG: 'Trưởng phòng',
  LANH_DAO: 'Lãnh đạo',
  LUU_TRU: 'Lưu trữ viên',
  QUAN_TRI: 'Quản trị hệ thống',
};

interface Me {
  fullName: string;
  title: string | null;
  roles: string[];
  agency: { name: string };
}



/** The signed-in user as the API describes them (what the header must show). */
async function meOf(username: string): Promise<Me> {
  const token = await loginToken(suite.server.url, username, PASSWORD);
  const r = await gql<{ me: Me }>(suite.server.url, '{ me { fullName title roles agency { name } } }', {}, { token });
  if (!r.data?.me) throw new Error(`me failed: ${JSON.stringify(r.errors)}`);
  return r.data.me;
}


async function newPage(): Promise<{ context: BrowserContext; page: Page; pageErrors: Error[] }> {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000); // fail fast instead of the 30 s default
  const pageErrors: Error[] = [];
  page.on('pageerror', (e) => pageErrors.push(e));
  return { context, page, pageErrors };
}

/** Fills and submits the login form; unless `noResponse`, returns once the API has answered the login. */
async function signIn(page: Page, username: string, password: string, opts: { noResponse?: boolean } = {}): Promise<void> {
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  const answered = opts.noResponse
    ? Promise.resolve()
    : page.waitForResponse((r) => r.url() === `${suite.server.url}/graphql` && (r.request().postData() ?? '').includes('"operationName":"Login"'));
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await answered;
}

const navLinks = (page: Page, name = 'Chức năng chính') => page.getByRole('navigation', { name }).getByRole('link');
const htmlLang = (page: Page) => page.evaluate(() => (globalThis as unknown as { document: { documentElement: { lang: string } } }).document.documentElement.lang);


describe('web client: login and application shell', () => {
  let context: BrowserContext;
  let page: Page;
  let pageErrors: Error[];
  let vanthu: Me;

  beforeAll(async () => {
    vanthu = await meOf('vanthu');
    ({ context, page, pageErrors } = await newPage());
  });
  afterAll(async () => {
    await context?.close();
  });

  test('the client served is the production build (no React development runtime)', async () => {
    // Built from a jest process, NODE_ENV=test used to reach Vite, which then bundled React's development build
    // (jsxDEV, dev checks): every page cost several times the CPU, and the browser suites crawled on 2 cores.
    const scripts = fs.readdirSync(path.join(WEB_DIST, 'assets')).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const dev = scripts.filter((f) => /\bjsxDEV\b|react-dom\.development/.test(fs.readFileSync(path.join(WEB_DIST, 'assets', f), 'utf8')));
    expect(dev).toEqual([]);
  });

  test('the test browser runs no hidden omnibox popups, and keeps the features playwright-core disables', async () => {
    // Every context used to start two WebUI omnibox popup renderers (≈ 5 % of a core each, idle): see browser.ts.
    const cdp = await suite.browser.newBrowserCDPSession();
    const { targetInfos } = await cdp.send('Target.getTargets');
    await cdp.detach();
    expect(targetInfos.filter((t) => t.url.startsWith('chrome://omnibox-popup'))).toEqual([]);
    // Chromium keeps only the last --disable-features: ours repeats playwright-core's own list, which must not drift
    const bundle = fs.readFileSync(require.resolve('playwright-core/lib/coreBundle'), 'utf8');
    const list = /disabledFeatures = \[([\s\S]*?)\]\.filter/.exec(bundle);
    expect(list).not.toBeNull();
    const theirs = [...list![1].matchAll(/^\s*"([A-Za-z0-9]+)",?\s*$/gm)].map((m) => m[1]);
    expect(theirs.length).toBeGreaterThan(5);
    expect(PLAYWRIGHT_DISABLED_FEATURES).toEqual(expect.arrayContaining(theirs));
  });

  test('a signed-in test page shows a PDF iframe as one line of text, fetched from the server (not through the PDF viewer)', async () => {
    // Chromium's PDF viewer more than doubled the documents walk (see showPdfFramesAsText); the request still goes out
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]).drawText('Cong van', { x: 60, y: 780 });
    const bytes = Buffer.from(await doc.save());
    const { storage } = suite.server.runtime.rt.services;
    const { key } = await storage.put(bytes, { contentType: 'application/pdf' });
    const url = await storage.presignedGetUrl(key, { contentType: 'application/pdf', disposition: 'inline', fileName: 'cong-van.pdf' });
    const shown = await suite.signIn('vanthu');
    const served = shown.waitForResponse((r) => r.url() === url);
    await shown.evaluate(`{ const f = document.createElement('iframe'); f.id = 'pdf-frame'; f.src = ${JSON.stringify(url)}; document.body.append(f); }`);
    expect((await served).status()).toBe(200);
    expect(await shown.frameLocator('#pdf-frame').locator('body').innerText()).toBe(PDF_FRAME_STUB(bytes.length));
    await shown.context().close();
  });

  test('a signed-in test page keeps the HTTP cache: the web client is not fetched again at each page load', async () => {
    // a Playwright route on the context (how the PDF frames were first replaced) turns the cache off for every request
    const shown = await suite.signIn('vanthu');
    const assetsOfThisDocument = () =>
      shown.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .filter((e) => new URL(e.name).pathname.startsWith('/assets/'))
          .map((e) => ({ name: e.name, transferSize: (e as PerformanceResourceTiming).transferSize })),
      );
    await shown.goto(`${suite.server.url}/incoming`);
    await shown.getByRole('main').waitFor();
    // what the first visit has fetched (a part loaded on demand after the first paint may still be on its way: a
    // request cut short by the next navigation is not cached, and is not counted)
    const fetched = new Set((await assetsOfThisDocument()).map((a) => a.name));
    await shown.goto(`${suite.server.url}/incoming`);
    await shown.getByRole('main').waitFor();
    // the second visit's document: every script and style fetched before came from the cache (immutable, hashed names)
    const again = (await assetsOfThisDocument()).filter((a) => fetched.has(a.name));
    expect(again.length).toBeGreaterThan(0);
    expect(again.filter((a) => a.transferSize > 0)).toEqual([]);
    await shown.context().close();
  });

  test('the web client goes out compressed, as the browser asks; GraphQL goes out as it is', async () => {
    const entry = /src="(\/assets\/[^"]+\.js)"/.exec(fs.readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8'))![1];
    const { context, page } = await newPage();
    const script = page.waitForResponse((r) => new URL(r.url()).pathname === entry);
    await page.goto(`${suite.server.url}/login`);
    const served = await script;
    expect(['br', 'gzip']).toContain(served.headers()['content-encoding']);
    // what the browser decoded is the whole built file
    expect((await served.body()).equals(fs.readFileSync(path.join(WEB_DIST, entry)))).toBe(true);
    await context.close();
    const api = await fetch(`${suite.server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip, br' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(api.status).toBe(200);
    expect(api.headers.get('content-encoding')).toBeNull();
  });

  test('an anonymous visitor gets the Vietnamese login page, which passes axe', async () => {
    await page.goto(`${suite.server.url}/incoming`);
    await page.waitForURL(`${suite.server.url}/login`);
    await page.getByRole('heading', { level: 1, name: 'Đăng nhập hệ thống' }).waitFor();
    expect(await htmlLang(page)).toBe('vi');
    expect(await page.title()).toBe('Đăng nhập · Công Văn');
    expect(await page.getByRole('banner').innerText()).toContain('Công Văn');
    await expect(page.getByLabel('Tên đăng nhập').getAttribute('autocomplete')).resolves.toBe('username');
    await expect(page.getByLabel('Mật khẩu').getAttribute('type')).resolves.toBe('password');
    expect(await page.getByRole('button', { name: 'Đăng nhập', exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole('group', { name: 'Ngôn ngữ' }).getByRole('button', { name: 'Tiếng Việt' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByRole('main').count()).toBe(1);

    await screenshot(page, 'login');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test('empty fields and a wrong password show Vietnamese errors', async () => {
    await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.getByRole('alert').getByText('Vui lòng nhập tên đăng nhập và mật khẩu.').waitFor();

    await signIn(page, 'vanthu', 'mat-khau-sai');
    await page.getByRole('alert').getByText('Tên đăng nhập hoặc mật khẩu không đúng.').waitFor();
    expect(page.url()).toBe(`${suite.server.url}/login`);
    expect(await page.getByLabel('Mật khẩu').inputValue()).toBe(''); // cleared for the next try
    expect(await page.getByLabel('Mật khẩu').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'login-error');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test('a network failure shows the Vietnamese connection error', async () => {
    await context.setOffline(true);
    try {
      await signIn(page, 'vanthu', PASSWORD, { noResponse: true });
      await page.getByRole('alert').getByText('Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.').waitFor();
      expect(page.url()).toBe(`${suite.server.url}/login`);
    } finally {
      await context.setOffline(false);
    }
  });

  test('văn thư signs in and sees the shell: navigation for the role, name, title, agency, roles', async () => {
    await signIn(page, 'vanthu', PASSWORD);
    // Back to the page first asked for (/incoming), not to the start page.
    await page.waitForURL(`${suite.server.url}/incoming`);
    await page.getByRole('heading', { level: 1, name: 'Văn bản đến' }).waitFor();
    expect(await page.title()).toBe('Văn bản đến · Công Văn');

    // Landmarks.
    expect(await page.getByRole('banner').count()).toBe(1);
    expect(await page.getByRole('navigation', { name: 'Chức năng chính' }).count()).toBe(1);
    expect(await page.getByRole('main').count()).toBe(1);

    // Navigation: every area except Quản trị (QUAN_TRI only), in product order; the current one is marked.
    expect(vanthu.roles).not.toContain('QUAN_TRI');
    expect(await navLinks(page).allInnerTexts()).toEqual(NAV_VI.filter((n) => n !== 'Quản trị'));
    expect(await navLinks(page).filter({ hasText: 'Văn bản đến' }).getAttribute('aria-current')).toBe('page');

    // Header: the user as the API knows them.
    const header = page.getByRole('banner');
    const headerText = await header.innerText();
    expect(headerText).toContain(vanthu.fullName);
    expect(headerText).toContain(vanthu.agency.name);
    if (vanthu.title) expect(headerText).toContain(vanthu.title);
    // Each role shows once: as the title (chức vụ) when the title says it, else as a badge.
    for (const r of vanthu.roles) expect(headerText.split(ROLE_LABEL_VI[r]).length - 1).toBe(1);
    expect(await header.getByRole('button', { name: 'Đăng xuất' }).isVisible()).toBe(true);

    // The session is the httpOnly cookie: nothing readable by scripts, nothing stored.
    const stored = await page.evaluate(() => {
      const g = globalThis as unknown as { document: { cookie: string }; localStorage: { length: number; key(i: number): string | null }; sessionStorage: { length: number } };
      const keys: string[] = [];
      for (let i = 0; i < g.localStorage.length; i++) keys.push(g.localStorage.key(i) ?? '');
      return { cookie: g.document.cookie, localKeys: keys, session: g.sessionStorage.length };
    });
    expect(stored.cookie).not.toContain('cv_session');
    expect(stored.localKeys.filter((k) => k !== 'congvan.lang')).toEqual([]);
    expect(stored.session).toBe(0);
    const cookies = await context.cookies(suite.server.url);
    expect(cookies.find((c) => c.name === 'cv_session')?.httpOnly).toBe(true);

    await screenshot(page, 'shell');
    expect(await seriousA11yViolations(page)).toEqual([]);
  });

  test('every area route opens with a heading; Quản trị is refused to a văn thư', async () => {
    for (const name of NAV_VI.filter((n) => n !== 'Quản trị')) {
      await navLinks(page).filter({ hasText: name }).click();
      await page.getByRole('heading', { level: 1, name }).waitFor();
      // Every area is built: none says "coming soon" any more.
      expect(await page.getByRole('main').innerText()).not.toContain('Chức năng đang được xây dựng');
    }
    await page.goto(`${suite.server.url}/admin`);
    await page.getByRole('heading', { level: 1, name: 'Không có quyền truy cập' }).waitFor();
    await page.goto(`${suite.server.url}/khong-co-trang-nay`);
    await page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' }).waitFor();
  });

  test('the language switch changes labels and lang, and is remembered', async () => {
    await page.goto(`${suite.server.url}/`);
    await page.waitForURL(`${suite.server.url}/tasks`);
    await navLinks(page).filter({ hasText: 'Văn bản đến' }).click();
    await page.getByRole('group', { name: 'Ngôn ngữ' }).getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { level: 1, name: 'Incoming documents' }).waitFor();
    expect(await htmlLang(page)).toBe('en');
    expect(await navLinks(page, 'Main functions').first().innerText()).toBe('Incoming documents');
    expect(await page.getByRole('banner').getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);
    expect(await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'English' }).getAttribute('aria-pressed')).toBe('true');
    await screenshot(page, 'shell-en');
    expect(await seriousA11yViolations(page)).toEqual([]);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Incoming documents' }).waitFor();
    expect(await htmlLang(page)).toBe('en');

    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('heading', { level: 1, name: 'Văn bản đến' }).waitFor();
    expect(await htmlLang(page)).toBe('vi');
  });

  test('logout returns to the login page and ends the session on the server', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL(`${suite.server.url}/login`);
    await page.getByRole('heading', { level: 1, name: 'Đăng nhập hệ thống' }).waitFor();
    expect((await context.cookies(suite.server.url)).find((c) => c.name === 'cv_session')).toBeUndefined();
    // A protected address now leads back to the login page.
    await page.goto(`${suite.server.url}/tasks`);
    await page.waitForURL(`${suite.server.url}/login`);
    expect(pageErrors).toEqual([]);
  });
});

describe('web client: administrator and lock-out', () => {
  test('quản trị sees all 7 areas including Quản trị', async () => {
    const quantri = await meOf('quantri');
    const { context, page, pageErrors } = await newPage();
    try {
      await page.goto(suite.server.url);
      await page.waitForURL(`${suite.server.url}/login`);
      await signIn(page, 'quantri', PASSWORD);
      await page.getByRole('navigation', { name: 'Chức năng chính' }).waitFor();
      expect(await navLinks(page).allInnerTexts()).toEqual(NAV_VI);
      expect((await page.getByRole('banner').innerText()).split(ROLE_LABEL_VI.QUAN_TRI).length - 1).toBe(1); // the role once
      expect(await page.getByRole('banner').innerText()).toContain(quantri.fullName);
      await navLinks(page).filter({ hasText: 'Quản trị' }).click();
      await page.getByRole('heading', { level: 1, name: 'Quản trị' }).waitFor();
      // Quản trị opens on its first tab (Người dùng)
      await page.waitForURL(`${suite.server.url}/admin/users`);
      await screenshot(page, 'shell-admin');
      expect(pageErrors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('too many wrong passwords lock the account, with a Vietnamese message', async () => {
    const max = suite.server.runtime.config.loginMaxFailures;
    const { context, page } = await newPage();
    try {
      await page.goto(`${suite.server.url}/login`);
      for (let i = 0; i < max; i++) {
        await signIn(page, 'luutru', `sai-${i}`);
        await page.getByRole('alert').getByText('Tên đăng nhập hoặc mật khẩu không đúng.').waitFor();
      }
      // Even the right password is refused while locked.
      await signIn(page, 'luutru', PASSWORD);
      await page.getByRole('alert').getByText(/Tài khoản tạm khóa do đăng nhập sai nhiều lần/).waitFor();
      expect(page.url()).toBe(`${suite.server.url}/login`);
      await screenshot(page, 'login-locked');
    } finally {
      await context.close();
    }
  });
});
