// End to end, the ways a login must NOT succeed, in Chromium against a real runserver and
// WorkOS's emulator, with both SDK lines (workos 10.x from .venvs/dj52, 5.46.0 from
// .venvs/workos5) running the same generated code: a tampered state in the callback URL,
// the emulator gone while the callback talks to it, and logout by GET.
//
// One startproject project (init + migrate) serves every case; each case gets its own
// emulator, runserver and browser profile.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { stopAll } from '../../src/flow/cleanup.js';
import { loadEmulator, type LoadedEmulator } from '../../src/flow/emulator-loader.js';
import { startLocalSite, type LocalSite } from '../../src/flow/local-site.js';
import { envWith, readyStartProject, runserversFor, venvPython, venvs } from '../flow/support.js';
import { expectLoggedOut, freshBrowser, logIn, responseTo, welcome } from './support.js';

const EMAIL = 'test.user@example.com';
const SDK_LINES = [
  { name: 'workos 10.x', venv: venvs.dj52 },
  { name: 'workos 5.46.0', venv: venvs.workos5 },
];

let dir: string;
let loaded: LoadedEmulator;

before(async () => {
  loaded = await loadEmulator({ globalRoot: null });
  dir = await readyStartProject('5.2', venvs.dj52);
});

after(async () => {
  await stopAll();
  assert.deepEqual(runserversFor(dir), []);
});

/** The project running on `venv` against a fresh emulator, a fresh browser, and the home page open. */
async function withSite(venv: string, body: (site: LocalSite, page: Page) => Promise<void>): Promise<void> {
  const site = await startLocalSite(
    { projectRoot: dir, managePy: join(dir, 'manage.py'), python: { command: [venvPython(venv)], source: 'VIRTUAL_ENV', venv, exists: true }, settingsModule: 'mysite.settings' },
    { loaded, env: envWith(venv) },
  );
  let browser: BrowserContext | null = null;
  try {
    browser = await freshBrowser();
    const page = await browser.newPage();
    await page.goto(`${site.server.url}/`);
    await expectLoggedOut(page, EMAIL);
    await body(site, page);
  } catch (error) {
    // Django's side of the story helps more than the browser's.
    (error as Error).message += `\n--- runserver output ---\n${site.server.output().slice(-3000)}`;
    throw error;
  } finally {
    await browser?.close();
    await site.stop();
  }
}

/**
 * Starts a sign-in in the browser but stops it at WorkOS: the browser keeps the session
 * (with the pending state) that /auth/login/ set, and the callback URL WorkOS would send
 * it to is returned instead of followed. (Playwright routes only the first request of a
 * redirect chain, so the chain is cut there.)
 */
async function callbackUrlFor(page: Page, site: LocalSite): Promise<URL> {
  let authorize: string | null = null;
  await page.route(
    (url) => url.pathname === '/auth/login/',
    async (route) => {
      const login = await route.fetch({ maxRedirects: 0 });
      authorize = login.headers().location ?? null;
      await route.fulfill({ status: 200, headers: { ...login.headers(), 'content-type': 'text/html' }, body: '<p>stopped before WorkOS</p>' });
    },
  );
  await page.getByRole('link', { name: 'Log in' }).click();
  await page.getByText('stopped before WorkOS').waitFor();
  await page.unrouteAll();
  assert.ok(authorize, 'the login view did not redirect');
  const authorizeUrl = new URL(authorize);
  assert.equal(authorizeUrl.origin, site.emulator.url);
  const answer = await fetch(authorizeUrl, { redirect: 'manual' });
  assert.equal(answer.status, 302);
  const callback = new URL(answer.headers.get('location')!);
  assert.equal(callback.pathname, '/auth/callback/');
  assert.ok(callback.searchParams.get('code') && callback.searchParams.get('state'));
  return callback;
}

/** Opens `url` and returns the HTTP status, also for answers Chromium shows as its own error page. */
async function statusOf(page: Page, url: URL | string): Promise<number> {
  const path = new URL(url).pathname;
  const response = await responseTo(page, path, () => page.goto(String(url)).catch(() => null));
  return response.status();
}

for (const line of SDK_LINES) {
  describe(`negative cases, ${line.name}`, () => {
    test('a tampered state in the callback URL: 400 page, still logged out', async () => {
      await withSite(line.venv, async (site, page) => {
        const callback = await callbackUrlFor(page, site);
        callback.searchParams.set('state', `${callback.searchParams.get('state')}x`);
        assert.equal(await statusOf(page, callback), 400);
        await page.getByRole('heading', { name: 'Sign-in could not be completed' }).waitFor();
        assert.match(await page.content(), /does not match this browser session/);

        await page.goto(`${site.server.url}/`);
        await expectLoggedOut(page, EMAIL);
      });
    });

    test('the untampered callback URL still works (the control for the test above)', async () => {
      await withSite(line.venv, async (site, page) => {
        const callback = await callbackUrlFor(page, site);
        await page.goto(callback.href);
        await welcome(page, EMAIL).waitFor();
      });
    });

    test('the emulator stops while the callback needs it: a clear error page, not a 500', async () => {
      await withSite(line.venv, async (site, page) => {
        const callback = await callbackUrlFor(page, site);
        // WorkOS sent the browser back; now it is gone before the code is exchanged.
        await site.emulator.stop();
        assert.equal(await statusOf(page, callback), 502);
        await page.getByRole('heading', { name: 'WorkOS could not be reached' }).waitFor();
        assert.doesNotMatch(await page.content(), /Traceback|Server Error \(500\)|Exception Value/);
        assert.doesNotMatch(site.server.output(), /"GET \/auth\/callback\/[^"]*" 500/);

        await page.goto(`${site.server.url}/`);
        await expectLoggedOut(page, EMAIL);
      });
    });

    test('logout by GET is refused (405) and the user stays signed in', async () => {
      await withSite(line.venv, async (site, page) => {
        await logIn(page, EMAIL);
        // As a link or an image elsewhere would: another tab, the same browser session.
        const other = await page.context().newPage();
        assert.equal(await statusOf(other, `${site.server.url}/auth/logout/`), 405);
        await other.close();

        await page.reload();
        await welcome(page, EMAIL).waitFor();
        await page.getByRole('button', { name: 'Log out' }).waitFor();
      });
    });
  });
}
