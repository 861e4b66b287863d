/**
 * Debian's Chromium for the browser tests (playwright-core drives it; no browser download). The flags keep it
 * off the network this machine does not have (background networking, component updates, sync).
 */
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

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
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => track.pageErrors.push(`${username}: ${e.message}`));
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return page;
}
