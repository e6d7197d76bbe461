// The project checks on real Django 5.2 projects from `django-admin startproject`,
// integrated with the real generated views and run in .venvs/dj52 (Django 5.2 + the
// real workos SDK). One startproject is shared; each case works on its own copy.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runProjectChecks } from '../../src/verify/run-project-checks.js';
import type { CheckResult, ProjectChecksReport } from '../../src/verify/types.js';
import {
  appendToFile,
  cleanEnv,
  copyProject,
  editFile,
  integrate,
  lineContaining,
  listTree,
  migrate,
  projectFor,
  startproject,
  venvPython,
  writeEnvFile,
} from './django-project.js';

// Obviously fake credentials shaped like WorkOS's (the emulator's client id).
// The API key's middle part is not `test`/`live`, so only the exact-value masking can
// hide it: the generic sk_test_ pattern would not catch it.
const FAKE_API_KEY = 'sk_fake_authkit_verify_0123456789abcdef';
const CLIENT_ID = 'client_emulate';

const PYTHON = venvPython('dj52');
const ALL_CHECKS = [
  'import-django',
  'import-workos',
  'import-dotenv',
  'settings',
  'api-key',
  'client-id',
  'sessions-setup',
  'django-check',
  'url-names',
  'login-redirect',
  'sessions-table',
  'redirect-uri',
];

let root: string;
let base: string;
let counter = 0;

/** A fresh integrated copy of the shared startproject. */
function project(options: Parameters<typeof integrate>[1] = { dotenv: true }): string {
  const dir = copyProject(base, join(root, `case${++counter}`));
  integrate(dir, options);
  return dir;
}

function check(report: ProjectChecksReport, id: string): CheckResult {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `no ${id} check in the report`);
  return found;
}

function assertNoSecret(report: ProjectChecksReport): void {
  assert.equal(JSON.stringify(report).includes(FAKE_API_KEY), false, 'the API key reached the report');
}

async function run(dir: string, env: Record<string, string> = {}): Promise<ProjectChecksReport> {
  const report = await runProjectChecks(projectFor(dir, PYTHON), { env: cleanEnv(env) });
  assertNoSecret(report);
  return report;
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'authkit-verify-'));
  base = startproject('52', join(root, 'base'));
});

after(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('a correct integration', () => {
  let dir: string;
  before(() => {
    dir = project({ dotenv: true });
    writeEnvFile(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID });
    migrate(dir, PYTHON, cleanEnv());
  });

  test('passes every check and reports the dashboard values', async () => {
    const report = await run(dir);
    assert.equal(report.ran, true);
    assert.deepEqual(
      report.checks.map((c) => c.id),
      ALL_CHECKS,
    );
    const notPassing = report.checks.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`);
    assert.deepEqual(notPassing, []);
    assert.equal(report.django, '5.2.19');
    assert.match(report.workos ?? '', /^\d+\.\d+\.\d+$/);
    assert.match(check(report, 'import-workos').message, new RegExp(`workos ${report.workos} .*${PYTHON}`));
    assert.match(check(report, 'api-key').message, /is set \(sk_…\)/);
    assert.deepEqual(report.dashboard, {
      redirectUri: 'http://localhost:8000/auth/callback/',
      signInEndpoint: 'http://localhost:8000/auth/login/',
      logoutRedirect: 'http://localhost:8000/',
      host: 'localhost:8000',
    });
  });

  test('checks the real redirect, and follows the client id in .env', async () => {
    const first = check(await run(dir), 'login-redirect');
    assert.equal(first.status, 'pass');
    const location = new URL(first.detail!.replace(/^Location: /, ''));
    assert.equal(`${location.origin}${location.pathname}`, 'https://api.workos.com/user_management/authorize');
    assert.equal(location.searchParams.get('client_id'), CLIENT_ID);
    assert.equal(location.searchParams.get('redirect_uri'), 'http://testserver/auth/callback/');
    assert.equal(location.searchParams.get('provider'), 'authkit');
    assert.equal(location.searchParams.get('response_type'), 'code');
    assert.ok(location.searchParams.get('state'));

    writeEnvFile(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: 'client_01FAKEOTHERENVIRONMENT' });
    try {
      const second = check(await run(dir), 'login-redirect');
      assert.equal(second.status, 'pass', second.message);
      assert.match(second.message, /client_id=client_01FAKEOTHERENVIRONMENT/);
      assert.match(second.detail ?? '', /client_id=client_01FAKEOTHERENVIRONMENT/);
    } finally {
      writeEnvFile(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID });
    }
  });

  test('expects WORKOS_BASE_URL from the environment', async () => {
    const report = await run(dir, { WORKOS_BASE_URL: 'http://localhost:8787/' });
    const login = check(report, 'login-redirect');
    assert.equal(login.status, 'pass', login.message);
    assert.match(login.detail ?? '', /^Location: http:\/\/localhost:8787\/user_management\/authorize\?/);
  });

  test('leaves the project exactly as it was (no __pycache__, no database file)', async () => {
    const before = listTree(dir);
    await run(dir);
    assert.deepEqual(listTree(dir), before);
  });

  test("the migrated database stays byte-identical, for verify's checks and doctor's", async () => {
    const database = join(dir, 'db.sqlite3');
    const bytes = readFileSync(database);
    const modified = statSync(database).mtimeMs;
    await run(dir);
    await run(dir, { AUTHKIT_DJANGO_DOCTOR: '1' });
    assert.ok(readFileSync(database).equals(bytes), 'db.sqlite3 changed');
    assert.equal(statSync(database).mtimeMs, modified);
  });

  test("the flow's facts come from Django: our routes reversed, the CSRF cookie and header", async () => {
    const report = await run(dir);
    const facts = report.flowFacts!;
    assert.equal(facts.error, null);
    assert.deepEqual(facts.routes.workos_login, { path: '/auth/login/', name: 'workos_login' });
    assert.deepEqual(facts.routes.workos_callback, { path: '/auth/callback/', name: 'workos_callback' });
    assert.deepEqual(facts.routes.workos_logout, { path: '/auth/logout/', name: 'workos_logout' });
    assert.deepEqual(facts.csrf, { cookieName: 'csrftoken', header: 'X-CSRFTOKEN', useSessions: false });
  });
});

describe('the login redirect is compared with the settings', () => {
  test('a login view that sends another client id fails, naming client_id', async () => {
    const dir = project();
    // A hand-edited view: the real one, with its Location rewritten afterwards.
    appendToFile(
      join(dir, 'mysite', 'authkit', 'views.py'),
      [
        '',
        '_generated_login = login',
        '',
        'def login(request):',
        '    response = _generated_login(request)',
        "    response['Location'] = response['Location'].replace('client_id=client_emulate', 'client_id=client_someoneelse')",
        '    return response',
        '',
      ].join('\n'),
    );
    const login = check(await run(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID }), 'login-redirect');
    assert.equal(login.status, 'fail');
    assert.match(login.message, /client_id is 'client_someoneelse', expected 'client_emulate'/);
    assert.doesNotMatch(login.message, /state/);
  });

  test('a login view that does not keep the state in the session fails, naming the state', async () => {
    const dir = project();
    appendToFile(
      join(dir, 'mysite', 'authkit', 'views.py'),
      [
        '',
        '_generated_login = login',
        '',
        'def login(request):',
        '    response = _generated_login(request)',
        "    request.session.pop('workos_pending_login', None)",
        '    return response',
        '',
      ].join('\n'),
    );
    const login = check(await run(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID }), 'login-redirect');
    assert.equal(login.status, 'fail');
    assert.match(login.message, /state parameter is not stored in the session/);
  });

  test('WORKOS_REDIRECT_URI is what the redirect and the dashboard use', async () => {
    const dir = project();
    appendToFile(join(dir, 'mysite', 'settings.py'), "WORKOS_REDIRECT_URI = 'https://app.example.com/auth/callback/'\n");
    const report = await run(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID });
    const login = check(report, 'login-redirect');
    assert.equal(login.status, 'pass', login.message);
    assert.match(login.message, /redirect_uri=https:\/\/app\.example\.com\/auth\/callback\//);
    assert.equal(check(report, 'redirect-uri').status, 'pass');
    assert.deepEqual(report.dashboard, {
      redirectUri: 'https://app.example.com/auth/callback/',
      signInEndpoint: 'https://app.example.com/auth/login/',
      logoutRedirect: 'https://app.example.com/',
      host: 'app.example.com',
    });
  });

  test('a WORKOS_REDIRECT_URI that does not lead to the callback route fails', async () => {
    const dir = project();
    appendToFile(join(dir, 'mysite', 'settings.py'), "WORKOS_REDIRECT_URI = 'http://localhost:8000/auth/callback'\n");
    const report = await run(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID });
    const redirect = check(report, 'redirect-uri');
    assert.equal(redirect.status, 'fail');
    assert.match(redirect.message, /http:\/\/localhost:8000\/auth\/callback does not lead to the callback view \(\/auth\/callback\/\)/);
    assert.equal(redirect.file, join(dir, 'mysite', 'settings.py'));
  });
});

describe('credentials', () => {
  test('a missing API key fails api-key, naming the setting', async () => {
    const dir = project();
    writeEnvFile(dir, { WORKOS_CLIENT_ID: CLIENT_ID });
    const report = await run(dir);
    const apiKey = check(report, 'api-key');
    assert.equal(apiKey.status, 'fail');
    assert.match(apiKey.message, /settings\.WORKOS_API_KEY is empty/);
    assert.match(apiKey.fix ?? '', /WORKOS_API_KEY=sk_/);
    assert.equal(check(report, 'client-id').status, 'pass');
    // The generated view refuses to run without a key, and the check says what it answered.
    const login = check(report, 'login-redirect');
    assert.equal(login.status, 'fail');
    assert.match(login.message, /answered 503.*WORKOS_API_KEY is not set/);
  });

  test('a settings file without WORKOS_API_KEY at all says it is not defined', async () => {
    const dir = project();
    editFile(join(dir, 'mysite', 'settings.py'), "WORKOS_API_KEY = os.environ.get('WORKOS_API_KEY', '')\n", '');
    const apiKey = check(await run(dir, { WORKOS_CLIENT_ID: CLIENT_ID }), 'api-key');
    assert.equal(apiKey.status, 'fail');
    assert.match(apiKey.message, /settings\.WORKOS_API_KEY is not defined/);
    assert.equal(apiKey.file, join(dir, 'mysite', 'settings.py'));
  });

  test('an API key with the wrong prefix fails without showing it', async () => {
    const dir = project();
    const wrong = 'pk_fake_authkit_verify_0123456789abcdef';
    writeEnvFile(dir, { WORKOS_API_KEY: wrong, WORKOS_CLIENT_ID: CLIENT_ID });
    const report = await run(dir);
    const apiKey = check(report, 'api-key');
    assert.equal(apiKey.status, 'fail');
    assert.match(apiKey.message, /WORKOS_API_KEY does not start with sk_/);
    assert.equal(JSON.stringify(report).includes(wrong), false, 'the wrong key reached the report');
  });

  test('swapped values: the API key in WORKOS_CLIENT_ID is reported and never shown', async () => {
    const dir = project();
    // The key sits in .env only: the wrapper does not know it, so the Python side must mask it.
    writeEnvFile(dir, { WORKOS_API_KEY: CLIENT_ID, WORKOS_CLIENT_ID: FAKE_API_KEY });
    const report = await run(dir); // run() asserts the key is absent from everything
    assert.match(check(report, 'client-id').message, /does not start with client_ \(it looks like the API key\)/);
    assert.match(check(report, 'api-key').message, /does not start with sk_ \(it looks like the client id\)/);
  });

  test('an error message that carries the key shows it masked', async () => {
    const dir = project();
    // The key is in .env only, so the wrapper cannot know it: the Python side masks it.
    writeEnvFile(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID });
    appendToFile(join(dir, 'mysite', 'settings.py'), "raise RuntimeError('cannot use ' + WORKOS_API_KEY)\n");
    const settings = check(await run(dir), 'settings'); // run() asserts the key is absent
    assert.equal(settings.status, 'fail');
    assert.match(settings.message, /RuntimeError: cannot use sk_… \(mysite\/settings\.py:\d+\)/);
  });

  test('a settings module that prints the key keeps stdout clean and the key hidden', async () => {
    const dir = project();
    writeEnvFile(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID });
    appendToFile(join(dir, 'mysite', 'settings.py'), "print('loaded key', WORKOS_API_KEY)\n");
    const report = await run(dir);
    assert.equal(report.ran, true);
    assert.equal(check(report, 'api-key').status, 'pass');
  });
});

describe('broken projects', () => {
  test('a urls.py without the callback route fails url-names, naming the missing name', async () => {
    const dir = project({ dotenv: true, routes: ['login', 'logout'] });
    const report = await run(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID });
    const urls = check(report, 'url-names');
    assert.equal(urls.status, 'fail');
    assert.match(urls.message, /URL name workos_callback not found in ROOT_URLCONF mysite\.urls/);
    assert.match(urls.message, /found: workos_login -> \/auth\/login\/, workos_logout -> \/auth\/logout\//);
    assert.equal(urls.file, join(dir, 'mysite', 'urls.py'));
    assert.equal(check(report, 'login-redirect').status, 'skip');
    assert.equal(check(report, 'api-key').status, 'pass');
  });

  test('a settings file that raises at import is one failing check with file:line; the rest still report', async () => {
    const dir = project();
    const settings = join(dir, 'mysite', 'settings.py');
    appendToFile(settings, "raise RuntimeError('the settings need SOME_SERVICE_URL')\n");
    const line = lineContaining(settings, 'raise RuntimeError');
    const report = await run(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID });
    assert.deepEqual(
      report.checks.map((c) => c.id),
      ALL_CHECKS,
    );
    const failing = report.checks.filter((c) => c.status === 'fail');
    assert.deepEqual(
      failing.map((c) => c.id),
      ['settings'],
    );
    const settingsCheck = failing[0]!;
    assert.match(settingsCheck.message, /RuntimeError: the settings need SOME_SERVICE_URL \(mysite\/settings\.py:\d+\)/);
    assert.equal(settingsCheck.file, settings);
    assert.equal(settingsCheck.line, line);
    assert.equal(check(report, 'import-workos').status, 'pass');
    assert.equal(check(report, 'import-dotenv').status, 'pass');
    assert.equal(check(report, 'api-key').status, 'skip');
  });

  test('a syntax error in the settings points at its line', async () => {
    const dir = project();
    const settings = join(dir, 'mysite', 'settings.py');
    appendToFile(settings, 'BROKEN = (1,\n');
    const line = lineContaining(settings, 'BROKEN = (1,');
    const settingsCheck = check(await run(dir), 'settings');
    assert.equal(settingsCheck.status, 'fail');
    assert.match(settingsCheck.message, /SyntaxError: '\(' was never closed \(mysite\/settings\.py:\d+\)/);
    assert.equal(settingsCheck.file, settings);
    assert.equal(settingsCheck.line, line);
  });

  test('a login view that crashes fails only login-redirect, with the file and line', async () => {
    const dir = project();
    const views = join(dir, 'mysite', 'authkit', 'views.py');
    appendToFile(views, ['', 'def login(request):', "    raise ValueError('broken on purpose')", ''].join('\n'));
    const report = await run(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID });
    const login = check(report, 'login-redirect');
    assert.equal(login.status, 'fail');
    assert.match(login.message, /ValueError: broken on purpose \(mysite\/authkit\/views\.py:\d+\)/);
    assert.equal(login.file, views);
    assert.equal(login.line, lineContaining(views, "raise ValueError('broken on purpose')"));
    const others = report.checks.filter((c) => c.id !== 'login-redirect' && c.id !== 'sessions-table');
    assert.deepEqual(
      others.filter((c) => c.status !== 'pass').map((c) => c.id),
      [],
    );
  });

  test('a login view behind LoginRequiredMiddleware is reported as redirecting within the site', async () => {
    const dir = project();
    const settings = join(dir, 'mysite', 'settings.py');
    editFile(
      settings,
      "    'django.contrib.auth.middleware.AuthenticationMiddleware',\n",
      "    'django.contrib.auth.middleware.AuthenticationMiddleware',\n    'django.contrib.auth.middleware.LoginRequiredMiddleware',\n",
    );
    // Only this view is made to need a login, so the test does not depend on whether
    // the generated views are marked login_not_required.
    appendToFile(
      join(dir, 'mysite', 'authkit', 'views.py'),
      ['', '_generated_login = login', '', 'def login(request):', '    return _generated_login(request)', ''].join('\n'),
    );
    const login = check(await run(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID }), 'login-redirect');
    assert.equal(login.status, 'fail');
    // LOGIN_URL is the sign-in route itself here (init sets it when the project has none).
    assert.match(login.message, /redirects within the site to \/auth\/login\/\?next=\/auth\/login\/, not to WorkOS/);
  });

  test('a login view that calls out over the network is stopped and reported', async () => {
    const dir = project();
    appendToFile(
      join(dir, 'mysite', 'authkit', 'views.py'),
      [
        '',
        '_generated_login = login',
        '',
        'def login(request):',
        '    import urllib.request',
        "    urllib.request.urlopen('https://api.workos.com/health', timeout=5)",
        '    return _generated_login(request)',
        '',
      ].join('\n'),
    );
    const login = check(await run(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID }), 'login-redirect');
    assert.equal(login.status, 'fail');
    assert.match(login.message, /tried to look up api\.workos\.com; verification never uses the network/);
  });

  test('a project that forces HTTPS is checked over HTTPS', async () => {
    const dir = project();
    appendToFile(join(dir, 'mysite', 'settings.py'), 'SECURE_SSL_REDIRECT = True\n');
    const login = check(await run(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID }), 'login-redirect');
    assert.equal(login.status, 'pass', login.message);
    assert.match(login.message, /redirect_uri=https:\/\/testserver\/auth\/callback\//);
  });

  test('an unmigrated database: sessions-table warns, login-redirect still passes, no database file appears', async () => {
    const dir = project();
    const report = await run(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID });
    const sessions = check(report, 'sessions-table');
    assert.equal(sessions.status, 'warn');
    // The project's own interpreter (here the venv outside the project, so absolute), never a bare python.
    const command = `${PYTHON} manage.py migrate`;
    assert.match(sessions.message, new RegExp(`django_session table and authkit's migration \\(0001_initial\\) are missing from the database: run ${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    assert.equal(sessions.fix, command);
    assert.equal(check(report, 'login-redirect').status, 'pass');
    assert.equal(existsSync(join(dir, 'db.sqlite3')), false);
  });

  test('a database that exists but was never migrated also warns', async () => {
    const dir = project();
    // An empty SQLite file: what a project has after something connected once.
    writeFileSync(join(dir, 'db.sqlite3'), '');
    const sessions = check(await run(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID }), 'sessions-table');
    assert.equal(sessions.status, 'warn');
    assert.match(sessions.message, /migrate/);
  });

  test("Django system check errors fail django-check with Django's own message", async () => {
    const dir = project();
    // A real system check error: STATIC_ROOT listed in STATICFILES_DIRS (staticfiles.E002).
    appendToFile(join(dir, 'mysite', 'settings.py'), "STATICFILES_DIRS = ['/tmp/x', '/tmp/x']\nSTATIC_ROOT = '/tmp/x'\n");
    const django = check(await run(dir, { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: CLIENT_ID }), 'django-check');
    assert.equal(django.status, 'fail');
    assert.match(django.message, /python manage\.py check reports errors: \?: \(staticfiles\.E002\)/);
    assert.match(django.detail ?? '', /staticfiles\.E002/);
  });

  test('a settings module that hangs is stopped after the timeout, naming the interpreter', async () => {
    const dir = project();
    appendToFile(join(dir, 'mysite', 'settings.py'), 'import time\ntime.sleep(120)\n');
    const report = await runProjectChecks(projectFor(dir, PYTHON), { env: cleanEnv(), timeoutMs: 3000 });
    assert.equal(report.ran, false);
    assert.equal(report.checks.length, 1);
    assert.equal(report.checks[0]!.status, 'fail');
    assert.match(report.checks[0]!.message, new RegExp(`did not finish within 3 s .*\\(${PYTHON}\\)`));
  });
});
