// End to end in Debian's Chromium, on a project whose home page is its own (the own-login
// fixture: "/" shows "Acme dashboard" and a "Log in" link to the project's older
// /accounts/login/). After a real `init` (Django 5.2 + workos 10.x from .venvs/dj52, never
// migrated), the site runs the way `verify --flow` runs it: WorkOS's emulator and
// `manage.py testserver` on a throwaway database. The browser then goes the flow's way:
// our login route -> the emulator -> our callback -> the project's own home page, untouched
// -> auth/me/ shows the user -> a frontend's logout (fetch POST with the CSRF cookie) ->
// auth/me/ answers 401. The project's database file never appears.
import assert from 'node:assert/strict';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { discover } from '../../src/discover/index.js';
import { loadEmulator } from '../../src/flow/emulator-loader.js';
import { startLocalSite, type LocalSite } from '../../src/flow/local-site.js';
import { fixturesDir, tempDir } from '../helpers/django.js';
import { envWith, initProject, venvs } from '../flow/support.js';
import { freshBrowser } from './support.js';

let dir: string;
let site: LocalSite;
let context: BrowserContext;

before(async () => {
  dir = join(tempDir('authkit-e2e-own-home-'), 'own-login');
  cpSync(join(fixturesDir, 'flow', 'own-login'), dir, { recursive: true });
  await initProject(dir, venvs.dj52);
  const env = envWith(venvs.dj52);
  const model = await discover(dir, { env });
  site = await startLocalSite(model, { loaded: await loadEmulator({ projectRoot: dir, env }), env, database: 'throwaway' });
  context = await freshBrowser();
});

after(async () => {
  await context?.close();
  await site?.stop();
});

test("sign in and out through our routes; the project's home page stays its own", async () => {
  const origin = site.server.url;
  const email = site.emulator.user.email;
  const page = await context.newPage();

  await page.goto(`${origin}/auth/login/`);
  await page.waitForURL((url) => url.origin === origin && url.pathname === '/');
  // The project's own page, with its own login link: init did not replace it.
  await page.getByRole('heading', { name: 'Acme dashboard' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'Log in' }).getAttribute('href'), '/accounts/login/');

  const me = await page.goto(`${origin}/auth/me/`);
  assert.equal(me?.status(), 200);
  const body = (await me!.json()) as { user: { email: string; id: string } };
  assert.equal(body.user.email, email);
  assert.match(body.user.id, /^user_/);

  // What a frontend does: the token from the cookie auth/me/ set, sent as X-CSRFToken.
  // (Page code as text: it runs in the browser, where document exists.)
  const status = await page.evaluate<string>(`(async () => {
    const token = document.cookie.split('; ').find((c) => c.startsWith('csrftoken='))?.split('=')[1] ?? '';
    const answer = await fetch('/auth/logout/', { method: 'POST', headers: { 'X-CSRFToken': token }, redirect: 'manual', credentials: 'same-origin' });
    return answer.type === 'opaqueredirect' ? 'redirect' : String(answer.status);
  })()`);
  assert.equal(status, 'redirect');

  const after = await page.goto(`${origin}/auth/me/`);
  assert.equal(after?.status(), 401);
  assert.deepEqual(await after!.json(), { user: null });
  assert.equal(existsSync(join(dir, 'db.sqlite3')), false, 'the project database was never created');
  await page.close();
});

test('a logout POST without the CSRF token is refused (403) and keeps the user signed in', async () => {
  const origin = site.server.url;
  const page = await context.newPage();
  await page.goto(`${origin}/auth/login/`);
  await page.waitForURL((url) => url.origin === origin && url.pathname === '/');
  const status = await page.evaluate(async () => (await fetch('/auth/logout/', { method: 'POST', redirect: 'manual' })).status);
  assert.equal(status, 403);
  const me = await page.goto(`${origin}/auth/me/`);
  assert.equal(me?.status(), 200);
  await page.close();
});
