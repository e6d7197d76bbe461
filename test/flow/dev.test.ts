// `authkit-django dev` as a person runs it (dist/cli.js in a child process): the emulator
// and the project's runserver start, the printed URL serves the site, Ctrl+C (or SIGTERM)
// stops both with nothing left behind; a busy port, an unmigrated database and a missing
// Django are each explained; --token-ttl shortens the emulator's access tokens.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { HttpBrowser } from '../../src/flow/http-client.js';
import { freePort, isListening } from '../../src/flow/ports.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/django.js';
import { assertMatchesSchema } from '../helpers/schemas.js';
import { EMULATOR_API_KEY, PROJECT_API_KEY, banner, envWith, installedWithoutEmulator, readyStartProject, runserversFor, startDev, venvs, waitFor, type DevRun } from './support.js';

let ready: string;

function copyOfReady(): string {
  const dir = join(tempDir('authkit-dev-'), 'mysite');
  cpSync(ready, dir, { recursive: true });
  return dir;
}

function assertNoSecrets(run: DevRun): void {
  for (const secret of [PROJECT_API_KEY, EMULATOR_API_KEY]) {
    assert.ok(!run.stdout().includes(secret) && !run.stderr().includes(secret), `${secret} was printed`);
  }
}

async function occupy(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen({ port, host: '127.0.0.1', exclusive: true }, resolve));
  return server;
}

before(async () => {
  ready = await readyStartProject('5.2', venvs.dj52);
});

describe('dev', () => {
  test('busy port: says so, serves on the next one; a login works; Ctrl+C stops both, nothing left', async () => {
    const dir = copyOfReady();
    const port = await freePort();
    const blocker = await occupy(port);
    const run = startDev([dir, '--port', String(port)]);
    try {
      const { site, emulator } = await banner(run);
      assert.notEqual(Number(site.port), port);
      assert.match(run.stdout(), new RegExp(`! port ${port} is in use; using ${site.port}`));
      assert.match(run.stdout(), /the project's \.env is not changed/);

      // The printed URL serves the project, signed in through the emulator.
      const browser = new HttpBrowser();
      const home = await browser.get(new URL('/', site));
      assert.equal(home.status, 200);
      assert.match(home.body, /Log in/);
      const login = await browser.get(new URL('/auth/login/', site));
      assert.equal(login.location?.origin, emulator.origin);
      const callback = await browser.get(login.location!);
      const signedIn = await browser.get(callback.location!);
      assert.equal(signedIn.status, 302);
      assert.match((await browser.get(new URL('/', site))).body, /Welcome, test\.user@example\.com/);
      // Django's request log reaches the terminal (stderr), without readiness probes.
      await waitFor('the request log', () => run.stderr().includes('"GET /auth/login/ HTTP/1.1" 302'));
      assert.ok(!run.stderr().includes('.authkit-django-ready'));

      assert.equal(runserversFor(dir).length, 1);
      run.child.kill('SIGINT');
      assert.equal(await run.exited, 0, run.stderr());
      assert.match(run.stderr(), /Stopping manage\.py runserver and the emulator/);
      assert.deepEqual(runserversFor(dir), []);
      assert.equal(await isListening(Number(site.port)), false);
      assert.equal(await isListening(Number(emulator.port)), false);
      assertNoSecrets(run);
    } finally {
      run.child.kill('SIGKILL');
      blocker.close();
    }
  });

  test('SIGTERM stops both too', async () => {
    const dir = copyOfReady();
    const run = startDev([dir, '--port', String(await freePort()), '--emulator-port', String(await freePort()), '--token-ttl', '30']);
    try {
      const { site, emulator } = await banner(run);
      assert.match(run.stdout(), new RegExp(`access tokens expire 30s after they are issued \\(re-signed by the relay; its key: ${emulator.origin}/sso/jwks/client_emulate\\)`));
      run.child.kill('SIGTERM');
      assert.equal(await run.exited, 0);
      assert.deepEqual(runserversFor(dir), []);
      assert.equal(await isListening(Number(site.port)), false);
      assert.equal(await isListening(Number(emulator.port)), false);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  test('--token-ttl --json: the ready line carries tokenTtl; the site signs in with the relay-signed tokens', async () => {
    const dir = copyOfReady();
    const run = startDev([dir, '--port', String(await freePort()), '--token-ttl', '20', '--json']);
    try {
      await waitFor('the ready line', () => run.stdout().includes('\n') || run.child.exitCode !== null, 60_000);
      const ready = JSON.parse(run.stdout().split('\n')[0]!) as { site: string; loginUrl: string; emulator: string; tokenTtl: number };
      assertMatchesSchema('dev', ready);
      assert.equal(ready.tokenTtl, 20);
      const jwks = (await (await fetch(new URL('/sso/jwks/client_emulate', ready.emulator))).json()) as { keys: { kid: string }[] };
      assert.match(jwks.keys[0]!.kid, /^authkit_django_relay_/);

      const browser = new HttpBrowser();
      const login = await browser.get(new URL(ready.loginUrl));
      const callback = await browser.get(login.location!);
      const signedIn = await browser.get(callback.location!);
      assert.equal(signedIn.status, 302, signedIn.body);
      assert.match((await browser.get(new URL(ready.site))).body, /Welcome, test\.user@example\.com/);
      run.child.kill('SIGINT');
      assert.equal(await run.exited, 0, run.stderr());
      assertNoSecrets(run);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  test('--token-ttl that is not a whole number of seconds: exit 2 before anything starts', async () => {
    for (const [command, value] of [['dev', '0'], ['dev', '10s'], ['emulator', '-5'], ['emulator', '2.5']] as const) {
      const result = await cli([command, `--token-ttl=${value}`], { env: envWith(venvs.dj52) });
      assert.equal(result.code, 2, `${command} ${value}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`--token-ttl must be a whole number of seconds, 1 or more; got "${value.replace('.', '\\.')}"`));
      assert.equal(result.stdout, '');
    }
    const json = await cli(['emulator', '--json', '--token-ttl', 'soon']);
    assert.equal(json.code, 2);
    assert.match((JSON.parse(json.stdout) as { error: { message: string } }).error.message, /--token-ttl must be a whole number/);
  });

  test('unmigrated database: not started, says to migrate, nothing left running', async () => {
    const dir = copyOfReady();
    rmSync(join(dir, 'db.sqlite3'));
    const run = startDev([dir, '--port', String(await freePort())]);
    assert.equal(await run.exited, 1);
    assert.match(run.stderr(), /Not started:.* lacks the tables a sign-in is stored in/);
    // The project's own interpreter, not a bare python; and no dashboard values: dev runs on the emulator.
    assert.ok(run.stderr().includes(`Run ${join(venvs.dj52, 'bin', 'python')} manage.py migrate in `), run.stderr());
    assert.match(run.stderr(), /mysite \(or start dev with --migrate\)/);
    assert.doesNotMatch(run.stderr(), /Register in the WorkOS dashboard/);
    assert.equal(existsSync(join(dir, 'db.sqlite3')), false);
    assert.deepEqual(runserversFor(dir), []);
  });

  test('--migrate: migrates first, then serves', async (t) => {
    const help = await cli(['dev', '--help']);
    if (!help.stdout.includes('--migrate')) {
      t.skip('the dev command line does not declare --migrate yet (src/main.ts)');
      return;
    }
    const dir = copyOfReady();
    rmSync(join(dir, 'db.sqlite3'));
    const run = startDev([dir, '--migrate', '--port', String(await freePort())]);
    try {
      const { site } = await banner(run);
      assert.match(run.stderr(), /Applying sessions\.0001_initial\.\.\. OK/);
      assert.equal(existsSync(join(dir, 'db.sqlite3')), true);
      assert.equal((await new HttpBrowser().get(new URL('/', site))).status, 200);
      run.child.kill('SIGINT');
      assert.equal(await run.exited, 0);
      assert.deepEqual(runserversFor(dir), []);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  test("Django not installed in the project's environment: the checks name the interpreter", async () => {
    const dir = copyOfReady();
    const run = startDev([dir, '--port', String(await freePort())], envWith(venvs.tools));
    assert.equal(await run.exited, 1);
    assert.match(run.stderr(), new RegExp(`✗ .*Django.*${join(venvs.tools, 'bin', 'python').replace(/[.]/g, '\\.')}`));
    assert.match(run.stderr(), /Not started:/);
    assert.deepEqual(runserversFor(dir), []);
  });

  test('emulator not installed: exit 1, how to get it, nothing started', async () => {
    const pkg = installedWithoutEmulator();
    const dir = copyOfReady();
    const env = { ...envWith(venvs.dj52), npm_config_prefix: tempDir('authkit-npm-prefix-'), AUTHKIT_DJANGO_CACHE_DIR: tempDir('authkit-cache-') };
    const result = spawnSync(process.execPath, [join(pkg, 'dist', 'cli.js'), 'dev', dir], { env, encoding: 'utf8', timeout: 60_000 });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /WorkOS's emulator is not installed/);
    assert.ok(result.stderr.includes(`npm install --prefix ${join(env.AUTHKIT_DJANGO_CACHE_DIR, 'emulator')} --no-save --no-audit --no-fund workos@0.14.0`), result.stderr);
    assert.match(result.stderr, /npm install --global workos@0\.14\.0/);
    assert.deepEqual(runserversFor(dir), []);
  });

  test('a bad --port is a usage error', async () => {
    const result = await cli(['dev', copyOfReady(), '--port', '70000']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--port must be a port number from 1 to 65535; got "70000"/);
  });
});
