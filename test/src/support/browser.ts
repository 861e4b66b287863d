/**
 * Debian's Chromium for the browser tests (playwright-core drives it; no browser download). The flags keep it
 * off the network this machine does not have (background networking, component updates, sync).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from './server';
import { ensureWebBuilt } from './web-build';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * The features playwright-core 1.65.1 disables itself (chromiumSwitches.ts): Chromium keeps only the LAST
 * `--disable-features` of its command line, so ours must repeat them (login.test.ts checks they still match).
 */
export const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
];

/**
 * Chromium 156's headless mode is the full browser: every window (every browser context) preloads two WebUI
 * omnibox popups (chrome://omnibox-popup.top-chrome), each a renderer of its own that costs ≈ 1.4 CPU-s to start
 * and ≈ 5 % of a core while idle — a walk with ten signed-in users kept half a core busy with address-bar
 * popups nobody sees. Measured: six idle contexts 3.3 CPU-s per 10 s with them, 0.1 without.
 */
export const OMNIBOX_POPUP_FEATURES = ['WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...OMNIBOX_POPUP_FEATURES].join(',')}`,
    ],
  });
}

/** The text a test context shows in an iframe instead of a PDF (see showPdfFramesAsText). */
export const PDF_FRAME_STUB = (bytes: number) => `Tệp PDF (${bytes} byte) — không hiển thị trong kiểm thử`;

/**
 * In test contexts a PDF that a page shows in an iframe (a stored file: `/files/…`) is shown as one line of text with
 * its size instead of through Chromium's PDF viewer. The viewer is an extension renderer rasterising every page with
 * PDFium, again at each visit, each axe run and each full-page screenshot: measured on the documents walk under CI
 * load, 338 s with it, 151 s without (axe 56 → 18 s, screenshots 32 → 10 s). What the tests check of a shown file —
 * the iframe, its signed URL, the bytes and headers the server answers (fetched from Node) — is unchanged; how
 * Chromium draws a PDF is Chromium's, not ours to test.
 *
 * Chromium fetches the file itself; only the response of a frame's document under `/files/` is held (CDP's Fetch
 * domain, response stage) and, when it is a PDF, replaced. Not `context.route`: any Playwright route makes every
 * request of the context a round trip through the test process and turns the HTTP cache off, so each page load
 * fetched the whole web client again.
 */
export async function showPdfFramesAsText(page: Page): Promise<void> {
  if (stubbedPages.has(page)) return;
  stubbedPages.add(page);
  const cdp = await page.context().newCDPSession(page);
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const mainFrame = frameTree.frame.id;
  cdp.on('Fetch.requestPaused', (e) => {
    const type = e.responseHeaders?.find((h) => h.name.toLowerCase() === 'content-type')?.value ?? '';
    const stub = async () => {
      if (e.frameId === mainFrame || !type.startsWith('application/pdf')) return cdp.send('Fetch.continueRequest', { requestId: e.requestId });
      const { body, base64Encoded } = await cdp.send('Fetch.getResponseBody', { requestId: e.requestId });
      const bytes = Buffer.from(body, base64Encoded ? 'base64' : 'utf8').length;
      const html = `<!doctype html><html lang="vi"><head><title>Tệp PDF</title></head><body style="font:14px sans-serif;color:#444">${PDF_FRAME_STUB(bytes)}</body></html>`;
      await cdp.send('Fetch.fulfillRequest', {
        requestId: e.requestId,
        responseCode: e.responseStatusCode ?? 200,
        responseHeaders: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }],
        body: Buffer.from(html).toString('base64'),
      });
    };
    // the page or its context closed while the file was on its way: nobody shows it
    stub().catch(() => undefined);
  });
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*/files/*', resourceType: 'Document', requestStage: 'Response' }] });
}

const stubbedPages = new WeakSet<Page>();

/** What a browser test keeps to close and check at the end: its contexts, and every uncaught page error. */
export interface BrowserTracking {
  contexts: BrowserContext[];
  pageErrors: string[];
}

/**
 * A page in its own browser context, signed in through the login form as `username` (Vietnamese UI).
 * `locale` is the browser's (default en-US, as most office machines ship: the UI must not depend on it).
 */
export async function signedInPage(
  browser: Browser,
  baseUrl: string,
  username: string,
  track: BrowserTracking,
  password = 'congvan2026',
  locale = 'en-US',
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale, timezoneId: 'America/New_York' });
  track.contexts.push(context);
  // a page the context opens later (a link to a new tab) too
  context.on('page', (p) => void showPdfFramesAsText(p).catch(() => undefined));
  const page = await context.newPage();
  await showPdfFramesAsText(page);
  // a budget for a wait that succeeds, not a timing assertion: on a loaded 2-core CI machine (load 7–8, every suite
  // ≈ 1.8× slower) a page that navigates or a list that refreshes took more than 15 s now and then
  page.setDefaultTimeout(45_000);
  page.on('pageerror', (e) => track.pageErrors.push(`${username}: ${e.message}`));
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}

/** An axe-core violation of impact serious or critical, as the tests report it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

const AXE_SCRIPT = require.resolve('axe-core/axe.min.js');

/** axe-core's violations of impact serious or critical on the page's current state. */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => typeof (globalThis as { axe?: unknown }).axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ path: AXE_SCRIPT });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Where browser tests put their screenshots (test/.artifacts, ignored by git). */
export const ARTIFACTS_DIR = path.resolve(__dirname, '../../.artifacts');

/** A full-page screenshot from the top, named `<name>.png` in ARTIFACTS_DIR. */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(ARTIFACTS_DIR, `${name}.png`), fullPage: true });
}

/** What `browserSuite` gives a test file; `server` and `browser` are set once its beforeAll has run. */
export interface BrowserSuite extends BrowserTracking {
  server: TestServer;
  browser: Browser;
  /** A page in its own context, signed in as `username` (see signedInPage). */
  signIn(username: string, opts?: { password?: string; locale?: string }): Promise<Page>;
  /** Fetches a file URL the page shows (signed path and query) from Node, on the test server's origin. */
  fetchSigned(href: string): Promise<Response>;
}

/**
 * The set-up every browser test file shares: the web client built, a test server (`server` options), Debian's
 * Chromium; at the end every context, the browser and the server are closed. Registers jest's beforeAll/afterAll;
 * a test file's own beforeAll, registered after this call, runs after it.
 */
export function browserSuite(opts: { server?: Parameters<typeof startTestServer>[0] } = {}): BrowserSuite {
  const suite = {
    contexts: [],
    pageErrors: [],
    signIn: (username: string, o: { password?: string; locale?: string } = {}) => signedInPage(suite.browser, suite.server.url, username, suite, o.password, o.locale),
    fetchSigned: (href: string) => {
      const u = new URL(href, suite.server.url);
      return fetch(new URL(u.pathname + u.search, suite.server.url));
    },
  } as unknown as BrowserSuite;
  // A walk is a dozen UI waits of up to 45 s each (signedInPage); jest's default 60 s per test cut walks short on a
  // loaded CI machine (documents-flow "reports progress and completes", 6 Dec). A budget, not a timing assertion.
  jest.setTimeout(180_000);
  beforeAll(async () => {
    await ensureWebBuilt();
    suite.server = await startTestServer(opts.server);
    suite.browser = await launchChromium();
  }, 240_000);
  afterAll(async () => {
    for (const c of suite.contexts) await c.close().catch(() => undefined);
    await suite.browser?.close();
    await suite.server?.stop();
  });
  return suite;
}

/** The document page's dialog named `name`. */
export const dialogNamed = (page: Page, name: string) => page.getByRole('dialog', { name });

/** The document page has loaded (its markings are shown). */
export const documentLoaded = (page: Page) => page.locator('.doc-markings').waitFor();

/** On an outgoing document: "Duyệt" when the chain still waits for this leader (then "Đã duyệt."); nothing otherwise. */
export async function approveIfAsked(page: Page): Promise<void> {
  if (!(await page.getByRole('button', { name: 'Duyệt', exact: true }).count())) return;
  await page.getByRole('button', { name: 'Duyệt', exact: true }).click();
  await dialogNamed(page, 'Duyệt').getByRole('button', { name: 'Duyệt' }).click();
  await page.getByText('Đã duyệt.').first().waitFor();
}
