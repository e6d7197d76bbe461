// The project checks with different project interpreters: Django 4.2 (.venvs/dj42),
// the last 5.x SDK (.venvs/workos5), a venv without the SDK (.venvs/bare52), a Python
// without Django, and interpreters that do not exist. Projects come from the real
// `django-admin startproject` and are integrated with the real generated views.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runProjectChecks } from '../../src/verify/run-project-checks.js';
import type { CheckResult, ProjectChecksReport } from '../../src/verify/types.js';
import { cleanEnv, copyProject, integrate, projectFor, startproject, venvPython } from './django-project.js';

const FAKE_API_KEY = 'sk_test_authkitverifyfake0123456789';
const CREDENTIALS = { WORKOS_API_KEY: FAKE_API_KEY, WORKOS_CLIENT_ID: 'client_emulate' };

let root: string;
let base42: string;
let base52: string;
let counter = 0;

function check(report: ProjectChecksReport, id: string): CheckResult {
  const found = report.checks.find((c) => c.id === id);
  assert.ok(found, `no ${id} check in the report`);
  return found;
}

function statuses(report: ProjectChecksReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
}

/** An integrated copy that reads its credentials from the environment (no dotenv needed). */
function project(base: string): string {
  const dir = copyProject(base, join(root, `case${++counter}`));
  integrate(dir, { dotenv: false });
  return dir;
}

before(() => {
  root = mkdtempSync(join(tmpdir(), 'authkit-verify-py-'));
  base42 = startproject('42', join(root, 'base42'));
  base52 = startproject('52', join(root, 'base52'));
});

after(() => {
  rmSync(root, { recursive: true, force: true });
});

test('Django 4.2 with the newest SDK: everything passes but the unmigrated sessions table (dotenv unused, so skipped)', async () => {
  const dir = project(base42);
  const report = await runProjectChecks(projectFor(dir, venvPython('dj42')), { env: cleanEnv(CREDENTIALS) });
  assert.equal(JSON.stringify(report).includes(FAKE_API_KEY), false, 'the API key reached the report');
  assert.equal(report.django, '4.2.30');
  const notPassing = report.checks.filter((c) => c.status !== 'pass').map((c) => c.id);
  // The settings read the environment, never dotenv: python-dotenv is not needed there.
  assert.deepEqual(notPassing, ['import-dotenv', 'sessions-table']);
  const dotenv = check(report, 'import-dotenv');
  assert.equal(dotenv.status, 'skip', dotenv.message);
  assert.match(dotenv.message, /python-dotenv is not needed/);
  assert.equal(check(report, 'sessions-table').status, 'warn');
});

test('the last 5.x SDK builds the same redirect', async () => {
  const dir = project(base52);
  const report = await runProjectChecks(projectFor(dir, venvPython('workos5')), { env: cleanEnv(CREDENTIALS) });
  assert.match(report.workos ?? '', /^5\./);
  const login = check(report, 'login-redirect');
  assert.equal(login.status, 'pass', login.message);
  assert.match(login.detail ?? '', /client_id=client_emulate/);
});

test('a project venv without workos: import-workos fails naming the interpreter', async () => {
  const dir = project(base52);
  const python = venvPython('bare52');
  const report = await runProjectChecks(projectFor(dir, python), { env: cleanEnv(CREDENTIALS) });
  assert.equal(report.ran, true);
  const workos = check(report, 'import-workos');
  assert.equal(workos.status, 'fail');
  assert.match(workos.message, new RegExp(`workos is not installed for ${python}: ModuleNotFoundError: No module named 'workos'`));
  assert.match(workos.fix ?? '', /install workos/);
  // These settings never use dotenv, so its absence from the venv is no failure.
  assert.equal(check(report, 'import-dotenv').status, 'skip');
  // Settings load without the SDK; the URL configuration imports the views, which need it.
  assert.equal(check(report, 'settings').status, 'pass');
  const urls = check(report, 'url-names');
  assert.equal(urls.status, 'fail');
  assert.match(urls.message, /No module named/);
  assert.match(urls.message, /mysite\/(authkit\/views|urls)\.py:\d+/);
});

test('settings that load .env with python-dotenv, in a venv without it: import-dotenv fails', async () => {
  const dir = copyProject(base52, join(root, `case${++counter}`));
  integrate(dir, { dotenv: true });
  const python = venvPython('bare52');
  const report = await runProjectChecks(projectFor(dir, python), { env: cleanEnv(CREDENTIALS) });
  const dotenv = check(report, 'import-dotenv');
  assert.equal(dotenv.status, 'fail', dotenv.message);
  assert.match(dotenv.message, new RegExp(`dotenv is not installed for ${python}`));
  assert.match(dotenv.fix ?? '', /install python-dotenv/);
});

test('a Python without Django: import-django fails naming the interpreter, nothing crashes', async () => {
  const venv = join(root, 'no-django');
  execFileSync('python3', ['-m', 'venv', '--without-pip', venv], { stdio: 'pipe' });
  const python = join(venv, 'bin', 'python');
  const dir = project(base52);
  const report = await runProjectChecks(projectFor(dir, python), { env: cleanEnv(CREDENTIALS) });
  assert.equal(report.ran, true);
  const django = check(report, 'import-django');
  assert.equal(django.status, 'fail');
  assert.match(django.message, new RegExp(`Django is not importable by ${python}`));
  assert.deepEqual(statuses(report), {
    'import-django': 'fail',
    'import-workos': 'fail',
    'import-dotenv': 'skip', // the settings never use dotenv
    settings: 'skip',
    'api-key': 'skip',
    'client-id': 'skip',
    'sessions-setup': 'skip',
    'django-check': 'skip',
    'url-names': 'skip',
    'login-redirect': 'skip',
    'sessions-table': 'skip',
    'redirect-uri': 'skip',
  });
});

test('an interpreter that does not exist: one clear failure naming it', async () => {
  const dir = project(base52);
  const python = join(root, 'gone', '.venv', 'bin', 'python');
  const report = await runProjectChecks(projectFor(dir, python), { env: cleanEnv(CREDENTIALS) });
  assert.equal(report.ran, false);
  assert.deepEqual(
    report.checks.map((c) => [c.id, c.status]),
    [['python', 'fail']],
  );
  assert.equal(report.checks[0]!.message, `cannot run the project's Python (${python}): ${python} does not exist`);
});

test('a Python command that is not on PATH: one clear failure naming it', async () => {
  const dir = project(base52);
  const model = {
    ...projectFor(dir, 'unused'),
    python: { command: ['authkit-no-such-python', 'run', 'python'], source: 'package-manager' as const, venv: null, exists: false },
  };
  const report = await runProjectChecks(model, { env: cleanEnv(CREDENTIALS) });
  assert.equal(report.ran, false);
  assert.match(report.checks[0]!.message, /authkit-no-such-python run python\): authkit-no-such-python is not on PATH/);
});

test('a checks script that crashes: one failure with the end of its stderr, secrets from .env masked', async () => {
  const dir = project(base52);
  const fromDotenv = 'sk_fake_only_in_dotenv_0123456789';
  writeFileSync(join(dir, '.env'), `WORKOS_API_KEY="${fromDotenv}"\nWORKOS_CLIENT_ID=client_emulate\n`);
  // Stands in for a checks script that breaks (a Python too old to run it, a bug):
  // the real script always reports, so a broken one has to be written for the test.
  const script = join(root, 'crashing_checks.py');
  writeFileSync(script, `import sys\nsys.stderr.write("loaded ${fromDotenv}\\n")\nraise SystemExit(3)\n`);
  const python = venvPython('dj52');
  const report = await runProjectChecks(projectFor(dir, python), { env: cleanEnv(), script });
  assert.equal(report.ran, false);
  assert.equal(report.checks[0]!.message, `the checks gave no report (${python}, exit code 3)`);
  assert.equal(report.checks[0]!.detail, 'loaded sk_…');
  assert.equal(JSON.stringify(report).includes(fromDotenv), false, 'the key reached the report');
});
