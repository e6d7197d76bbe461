// `authkit-django verify --flow` as a user runs it (dist/cli.js), on real startproject
// projects after a real `init`, with the real workos SDK (10.x and 5.x virtualenvs) and
// WorkOS's emulator: the passing flow in both forms, and projects broken on purpose so
// that each kind of failure is seen to fail, with its reason, and leaves no process behind.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { cli, cliPath } from '../helpers/cli.js';
import { isListening } from '../../src/flow/ports.js';
import { snapshotTree, tempDir } from '../helpers/django.js';
import {
  EMULATOR_API_KEY,
  PROJECT_API_KEY,
  envWith,
  installedWithoutEmulator,
  readyStartProject,
  runserversFor,
  venvs,
  waitFor,
} from './support.js';

const STEP_IDS = [
  'emulator',
  'runserver',
  'login-redirect',
  'authorize',
  'callback',
  'signed-in',
  'home-logged-in',
  'logout',
  'workos-logout',
  'signed-out',
  'home-after-logout',
  'logout-get-refused',
];

interface FlowStepJson {
  id: string;
  status: string;
  reason: string;
  httpStatus: number | null;
  location: string | null;
  detail: string | null;
}

interface VerifyJson {
  ok: boolean;
  exitCode: number;
  checks: { workos: string | null; django: string | null } | null;
  flow: { ok: boolean; blocked: string | null; site: string | null; steps: FlowStepJson[] } | null;
  error: { message: string; hint: string | null } | null;
}

let ready52: string;

/** A fresh copy of the ready 5.2 project (init'ed and migrated), free to break. */
function copyOfReady(): string {
  const dir = join(tempDir('authkit-flow-'), 'mysite');
  cpSync(ready52, dir, { recursive: true });
  return dir;
}

async function verifyFlow(dir: string, venv: string, json = true) {
  const result = await cli(['verify', '--flow', ...(json ? ['--json'] : []), dir], { env: envWith(venv) });
  for (const secret of [PROJECT_API_KEY, EMULATOR_API_KEY]) {
    assert.ok(!result.stdout.includes(secret) && !result.stderr.includes(secret), `${secret} was printed`);
  }
  assert.deepEqual(runserversFor(dir), [], 'runserver outlived verify --flow');
  const report = json ? (JSON.parse(result.stdout) as VerifyJson) : null;
  return { ...result, report };
}

function step(report: VerifyJson | null, id: string): FlowStepJson {
  const found = report?.flow?.steps.find((s) => s.id === id);
  assert.ok(found, `no step ${id}`);
  return found;
}

before(async () => {
  ready52 = await readyStartProject('5.2', venvs.dj52);
});

describe('verify --flow passes', { concurrency: 2 }, () => {
  test('Django 5.2 + workos 10.x: every step passes, one JSON object, the project untouched', async () => {
    const dir = copyOfReady();
    const before = snapshotTree(dir);
    const { code, report } = await verifyFlow(dir, venvs.dj52);
    assert.equal(code, 0, JSON.stringify(report?.flow?.steps.filter((s) => s.status !== 'pass'), null, 2));
    assert.equal(report!.ok, true);
    assert.equal(report!.exitCode, 0);
    assert.deepEqual(report!.flow!.steps.map((s) => [s.id, s.status]), STEP_IDS.map((id) => [id, 'pass']));
    assert.match(report!.flow!.site ?? '', /^http:\/\/localhost:\d+$/);
    assert.match(step(report, 'login-redirect').reason, /^GET \/auth\/login\/ -> 302 to the emulator's \/user_management\/authorize \(state, client_id=client_emulate, redirect_uri=http:\/\/localhost:\d+\/auth\/callback\/\)/);
    assert.equal(step(report, 'logout').httpStatus, 302);
    assert.match(step(report, 'logout').location ?? '', /\/user_management\/sessions\/logout\?session_id=/);
    assert.equal(step(report, 'logout-get-refused').httpStatus, 405);
    // The sessions went to testserver's throwaway database: not one byte changes, db.sqlite3 included.
    assert.deepEqual(snapshotTree(dir), before);
  });

  test('the same project, human output: one line per step and a verdict', async () => {
    const { code, stdout } = await verifyFlow(copyOfReady(), venvs.dj52, false);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /✓ home page shows "Welcome, <email>" and a logout button \[home-logged-in\]\n {6}GET \/ -> 200: "Welcome, test\.user@example\.com"/);
    assert.match(stdout, /the login flow works: 12 passed in \d+\.\d s/);
    assert.match(stdout, /manage\.py testserver \(a throwaway test database, every migration applied\)/);
  });

  test('workos 5.46.0: the same generated code passes', async () => {
    const { code, report } = await verifyFlow(copyOfReady(), venvs.workos5);
    assert.equal(report!.checks!.workos, '5.46.0');
    assert.equal(code, 0, JSON.stringify(report?.flow?.steps.filter((s) => s.status !== 'pass'), null, 2));
  });

  test('Django 4.2', async () => {
    const dir = await readyStartProject('4.2', venvs.dj42);
    const { code, report } = await verifyFlow(dir, venvs.dj42);
    assert.match(report!.checks!.django ?? '', /^4\.2\./);
    assert.equal(code, 0, JSON.stringify(report?.flow?.steps.filter((s) => s.status !== 'pass'), null, 2));
  });
});

describe('verify --flow fails when it should', { concurrency: 2 }, () => {
  test('no database at all: the flow passes on the throwaway one and creates no file', async () => {
    const dir = copyOfReady();
    rmSync(join(dir, 'db.sqlite3'));
    const { code, report, stderr } = await verifyFlow(dir, venvs.dj52);
    assert.equal(code, 0, stderr);
    assert.equal(report!.flow!.blocked, null);
    assert.equal(existsSync(join(dir, 'db.sqlite3')), false);
  });

  test('home page without the welcome line: that step fails with its reason, the rest is skipped', async () => {
    const dir = copyOfReady();
    const template = join(dir, 'templates', 'home.html');
    writeFileSync(template, readFileSync(template, 'utf8').replace('Welcome, {{ workos_user.email }}', 'Hello'));
    const { code, report } = await verifyFlow(dir, venvs.dj52);
    assert.equal(code, 4);
    const failed = step(report, 'home-logged-in');
    assert.equal(failed.status, 'fail');
    assert.equal(failed.reason, 'GET / -> 200 but the page does not show "Welcome, test.user@example.com"');
    assert.deepEqual(report!.flow!.steps.slice(STEP_IDS.indexOf('home-logged-in') + 1).map((s) => s.status), ['skip', 'skip', 'skip', 'skip', 'skip']);
  });

  test('logout that accepts GET: the refusal step fails', async () => {
    const dir = copyOfReady();
    const views = join(dir, 'mysite', 'authkit', 'views.py');
    const text = readFileSync(views, 'utf8');
    assert.ok(text.includes('@require_POST\ndef logout'));
    writeFileSync(
      views,
      // A decorator expression needs no import (Python 3.9+), whatever the file imports.
      text.replace('@require_POST\ndef logout', '@__import__("django.views.decorators.http", fromlist=["_"]).require_http_methods(["GET", "POST"])\ndef logout'),
    );
    const { code, report } = await verifyFlow(dir, venvs.dj52);
    assert.equal(code, 4);
    const failed = step(report, 'logout-get-refused');
    assert.equal(failed.status, 'fail');
    assert.match(failed.reason, /^GET \/auth\/logout\/ -> 302 to \/; logout must accept POST only \(405\)$/);
  });

  test("a 500 in the callback: the status, the page and Django's traceback", async () => {
    const dir = copyOfReady();
    const views = join(dir, 'mysite', 'authkit', 'views.py');
    const text = readFileSync(views, 'utf8');
    const definition = /^def callback\(.*\n/m;
    assert.match(text, definition);
    writeFileSync(views, text.replace(definition, (line) => `${line}    raise RuntimeError("broken on purpose")\n`));
    const { code, report } = await verifyFlow(dir, venvs.dj52);
    assert.equal(code, 4);
    const failed = step(report, 'callback');
    assert.equal(failed.status, 'fail');
    assert.equal(failed.httpStatus, 500);
    assert.match(failed.reason, /^GET \/auth\/callback\/\?code=.* -> 500 \(expected a redirect after signing in\).*Django's traceback is below$/);
    assert.match(failed.detail ?? '', /^Traceback \(most recent call last\):[\s\S]*RuntimeError: broken on purpose$/);
  });

  test('a project whose ALLOWED_HOSTS rejects localhost: the runserver step says so', async () => {
    const dir = copyOfReady();
    const settings = join(dir, 'mysite', 'settings.py');
    writeFileSync(settings, readFileSync(settings, 'utf8').replace('ALLOWED_HOSTS = []', "ALLOWED_HOSTS = ['shop.example.com']"));
    const { code, report } = await verifyFlow(dir, venvs.dj52);
    assert.equal(code, 4);
    assert.equal(step(report, 'emulator').status, 'pass');
    const failed = step(report, 'runserver');
    assert.equal(failed.status, 'fail');
    assert.match(failed.reason, /ALLOWED_HOSTS accepts neither localhost nor 127\.0\.0\.1.*Add 'localhost' to ALLOWED_HOSTS/);
    assert.equal(step(report, 'login-redirect').status, 'skip');
  });
});

describe('verify --flow without the emulator, and interrupted', () => {
  test('emulator not installed anywhere: exit 1 with the command that gets it (human and --json)', async () => {
    const pkg = installedWithoutEmulator();
    const dir = copyOfReady();
    // An empty global npm folder.
    const env = { ...envWith(venvs.dj52), npm_config_prefix: tempDir('authkit-npm-prefix-'), AUTHKIT_DJANGO_CACHE_DIR: tempDir('authkit-cache-') };
    const cliArgs = (extra: string[]) => [join(pkg, 'dist', 'cli.js'), 'verify', '--flow', ...extra, dir];
    const human = spawnSync(process.execPath, cliArgs([]), { env, encoding: 'utf8' });
    assert.equal(human.status, 1, human.stderr);
    assert.equal(human.stdout, '');
    assert.match(human.stderr, /authkit-django: WorkOS's emulator is not installed/);
    assert.ok(human.stderr.includes(`npm install --prefix ${join(env.AUTHKIT_DJANGO_CACHE_DIR, 'emulator')} --no-save --no-audit --no-fund workos@0.14.0`), human.stderr);
    const json = spawnSync(process.execPath, cliArgs(['--json']), { env, encoding: 'utf8' });
    assert.equal(json.status, 1);
    const report = JSON.parse(json.stdout) as VerifyJson;
    assert.equal(report.ok, false);
    assert.equal(report.exitCode, 1);
    assert.match(report.error!.message, /emulator is not installed/);
    assert.deepEqual(runserversFor(dir), []);
  });

  test('Ctrl+C while the flow runs: exit 130, runserver stopped, its port closed', async () => {
    const dir = copyOfReady();
    // A home page that takes a long time, so the signal lands while the flow waits on it.
    const views = join(dir, 'mysite', 'home_views.py');
    const definition = /^def home\(.*\n/m;
    assert.match(readFileSync(views, 'utf8'), definition);
    writeFileSync(views, readFileSync(views, 'utf8').replace(definition, (line) => `${line}    __import__("time").sleep(60)\n`));
    const child = spawn(process.execPath, [cliPath, 'verify', '--flow', dir], { env: envWith(venvs.dj52), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const [server] = await waitFor('runserver to start', () => {
      const found = runserversFor(dir);
      return found.length > 0 ? found : null;
    });
    const port = Number(/127\.0\.0\.1:(\d+)/.exec(server!.command)?.[1]);
    await waitFor('runserver to listen', () => isListening(port));
    child.kill('SIGINT');
    assert.equal(await exited, 130, stdout);
    assert.deepEqual(runserversFor(dir), []);
    assert.equal(await isListening(port), false);
  });
});

describe('verify without --flow: the project checks only', () => {
  test('a ready project: exit 0, the checks in the JSON, no flow, nothing started', async () => {
    const dir = copyOfReady();
    const result = await cli(['verify', '--json', dir], { env: envWith(venvs.dj52) });
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as VerifyJson & { checks: { summary: { fail: number; pass: number } } };
    assert.equal(report.ok, true);
    assert.equal(report.flow, null);
    assert.equal(report.checks!.summary.fail, 0);
    assert.ok(report.checks!.summary.pass >= 10);
    assert.doesNotMatch(result.stdout + result.stderr, new RegExp(PROJECT_API_KEY));
  });

  test('credentials missing: the failing checks and exit 4', async () => {
    const dir = copyOfReady();
    rmSync(join(dir, '.env'));
    const result = await cli(['verify', dir], { env: envWith(venvs.dj52) });
    assert.equal(result.code, 4);
    assert.match(result.stdout, /✗ settings\.WORKOS_API_KEY is empty.*\[api-key\]/);
    assert.doesNotMatch(result.stdout, /Login flow/);
  });
});
