/**
 * The browser for the end-to-end tests: Debian's Chromium driven by playwright-core, a
 * fresh profile (user-data-dir) per case, and the login/logout round a person makes on
 * the home page authkit-django generates.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Response } from 'playwright-core';
import { repoRoot, tempDir } from '../helpers/django.js';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const artifactsDir = join(repoRoot, 'test-artifacts', 'e2e');

/** A browser with a profile nobody used before (no cookies, no cache). */
export async function freshBrowser(): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(tempDir('authkit-chromium-profile-'), {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 900, height: 600 },
  });
  context.setDefaultTimeout(30_000);
  return context;
}

export function welcome(page: Page, email: string) {
  return page.getByRole('heading', { name: `Welcome, ${email}` });
}

/** Home shows the login link and nobody is signed in. */
export async function expectLoggedOut(page: Page, email: string): Promise<void> {
  await page.getByRole('link', { name: 'Log in' }).waitFor();
  assert.equal(await welcome(page, email).count(), 0, 'still signed in');
  assert.equal(await page.getByRole('button', { name: 'Log out' }).count(), 0);
}

/** Clicks "Log in" on the home page and waits to be back, signed in. */
export async function logIn(page: Page, email: string): Promise<void> {
  await page.getByRole('link', { name: 'Log in' }).click();
  await welcome(page, email).waitFor();
  await page.getByRole('button', { name: 'Log out' }).waitFor();
}

export async function logOut(page: Page, site: URL, email: string): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL((url) => url.origin === site.origin && url.pathname === '/');
  await expectLoggedOut(page, email);
}

/**
 * The whole round on the home page: logged out -> Log in -> signed in (screenshot) ->
 * reload, still signed in -> Log out -> logged out -> Log in again -> Log out.
 */
export async function loginRound(context: BrowserContext, site: URL, email: string, screenshotName: string): Promise<void> {
  const page = await context.newPage();
  const home = await page.goto(new URL('/', site).href);
  assert.equal(home?.status(), 200);
  await expectLoggedOut(page, email);

  await logIn(page, email);
  assert.equal(new URL(page.url()).origin, site.origin);
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${screenshotName}.png`), fullPage: true });

  const reloaded = await page.reload();
  assert.equal(reloaded?.status(), 200);
  await welcome(page, email).waitFor();

  await logOut(page, site, email);
  await logIn(page, email);
  await logOut(page, site, email);
  await page.close();
}

/** The response of the first request whose URL path is `path`, once the action has run. */
export async function responseTo(page: Page, path: string, action: () => Promise<unknown>): Promise<Response> {
  const [response] = await Promise.all([page.waitForResponse((r) => new URL(r.url()).pathname === path), action()]);
  return response;
}
