// End to end in Debian's Chromium: a session outlives its access tokens. A Django 5.2
// `startproject` after a real `init` and `migrate` runs under `authkit-django dev
// --token-ttl 8`, so the relay in front of WorkOS's emulator signs access tokens that
// live 8 seconds (the generated middleware refreshes when a quarter of that is left).
// The browser signs in on the generated home page, then reloads it as the tokens
// expire: it stays signed in, and the relay's request counter shows each refresh as
// exactly one call to WorkOS's authenticate endpoint (a refresh_token grant) and no
// other call while a token is valid. Then it signs out: WorkOS's logout, and signed out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext } from 'playwright-core';
import { freePort } from '../../src/flow/ports.js';
import { banner, readyStartProject, sleep, startDev, stopDev, venvs, type DevRun } from '../flow/support.js';
import { expectLoggedOut, freshBrowser, logIn, logOut, welcome } from './support.js';

const TTL_SECONDS = 8;
const EMAIL = 'test.user@example.com';

let run: DevRun;
let site: URL;
let relay: URL;
let context: BrowserContext;

before(async () => {
  const dir = await readyStartProject('5.2', venvs.dj52);
  run = startDev([dir, '--port', String(await freePort()), '--emulator-port', String(await freePort()), '--token-ttl', String(TTL_SECONDS)]);
  ({ site, emulator: relay } = await banner(run));
  context = await freshBrowser();
});

after(async () => {
  await context?.close();
  if (run) await stopDev(run);
});

/** What reached WorkOS through the relay since the last reset, by "METHOD /path". */
async function workosCalls(): Promise<Record<string, number>> {
  const answer = await fetch(new URL('/__authkit/requests', relay));
  assert.equal(answer.status, 200);
  return ((await answer.json()) as { requests: Record<string, number> }).requests;
}

async function resetCalls(): Promise<void> {
  assert.equal((await fetch(new URL('/__authkit/requests/reset', relay), { method: 'POST' })).status, 200);
}

const refreshes = (calls: Record<string, number>) => calls['POST /user_management/authenticate'] ?? 0;
const others = (calls: Record<string, number>) =>
  Object.entries(calls)
    .filter(([key]) => key !== 'POST /user_management/authenticate')
    .reduce((sum, [, n]) => sum + n, 0);

test('signed in past several access-token lifetimes: each expiry is one silent refresh, then sign-out', async () => {
  const page = await context.newPage();
  assert.equal((await page.goto(new URL('/', site).href))?.status(), 200);
  await expectLoggedOut(page, EMAIL);
  await logIn(page, EMAIL);

  // While the first token is fresh: page loads make no call to WorkOS at all (its
  // signing keys were fetched once, at the first signed-in request, above).
  await resetCalls();
  for (let i = 0; i < 3; i++) {
    assert.equal((await page.reload())?.status(), 200);
    await welcome(page, EMAIL).waitFor();
  }
  assert.deepEqual(await workosCalls(), {}, 'a valid token made a call to WorkOS');

  // Three lifetimes later (past the first token's exp plus the 10 s leeway), one reload
  // per lifetime: each finds its token due and refreshes it once, silently.
  for (let round = 1; round <= 3; round++) {
    await sleep((TTL_SECONDS - 1) * 1000);
    const reloaded = await page.reload();
    assert.equal(reloaded?.status(), 200);
    await welcome(page, EMAIL).waitFor();
    const calls = await workosCalls();
    assert.equal(refreshes(calls), round, `after ${round} lifetime(s): ${JSON.stringify(calls)}`);
    assert.equal(others(calls), 0, `unexpected calls: ${JSON.stringify(calls)}`);
  }
  const me = await page.goto(new URL('/auth/me/', site).href);
  assert.equal(me?.status(), 200);
  assert.equal(((await me!.json()) as { user: { email: string } }).user.email, EMAIL);

  await page.goto(new URL('/', site).href);
  await logOut(page, site, EMAIL);
  assert.equal((await workosCalls())['GET /user_management/sessions/logout'], 1, 'WorkOS logout was not visited');
  await page.close();
});
