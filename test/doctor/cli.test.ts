// `authkit-django doctor` as a command: bad input, the human report, --fix without a
// terminal, and `undo` after --fix. Real startproject projects (Django 5.2, .venvs/dj52).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { cli, stateDir } from '../helpers/cli.js';
import { snapshotTree, tempDir } from '../helpers/django.js';
import { activeVenv, caseOf, doctor, edit, fullVenv, initedProject, problems } from './support.js';

const venv = fullVenv('5.2');
const SESSION_MIDDLEWARE = "    'django.contrib.sessions.middleware.SessionMiddleware',\n";
const contents = (dir: string) => [...snapshotTree(dir)].filter(([path]) => !path.startsWith('.git/')).map(([path, state]) => [path, typeof state === 'string' ? state : state.sha256]);

describe('the doctor command', { concurrency: 3 }, () => {
  before(() => initedProject('5.2'));

  test('not a Django project: the same clear message as init, exit 1', async () => {
    const empty = tempDir('authkit-not-django-');
    const viaInit = await cli(['init', '--dry-run', empty]);
    const viaDoctor = await cli(['doctor', empty]);
    assert.equal(viaDoctor.code, 1);
    assert.equal(viaDoctor.code, viaInit.code);
    assert.equal(viaDoctor.stderr, viaInit.stderr);
    assert.match(viaDoctor.stderr, /manage\.py/);
    assert.equal(viaDoctor.stdout, '');

    const json = await cli(['doctor', '--json', empty]);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.stdout) as { ok: boolean; error: { message: string } | null; checks: unknown[] };
    assert.equal(report.ok, false);
    assert.equal(report.error?.message, viaInit.stderr.split('\n')[0]!.replace(/^authkit-django: /, ''));
    assert.deepEqual(report.checks, []);
  });

  test('the human report: each check with its reason; a failure with file:line and the fix', async () => {
    const dir = await caseOf('5.2');
    edit(join(dir, 'mysite', 'settings.py'), SESSION_MIDDLEWARE, '');
    const { code, stdout } = await cli(['doctor', '--offline', dir], { env: activeVenv(venv) });
    assert.equal(code, 4);
    const lines = stdout.split('\n');
    const at = lines.findIndex((l) => l.includes('[sessions-setup]'));
    assert.match(lines[at]!, /^ {2}✗ django\.contrib\.sessions\.middleware\.SessionMiddleware is not in MIDDLEWARE/);
    assert.match(lines[at + 1]!, /^ {6}at mysite\/settings\.py:\d+$/);
    assert.equal(lines[at + 2], "      fix: doctor --fix: add 'django.contrib.sessions.middleware.SessionMiddleware' to MIDDLEWARE in mysite/settings.py");
    assert.match(stdout, /✓ .* \[packages\]/);
    assert.match(stdout, /- not checked while sessions-setup fails: fix that first \[login-redirect\]/);
    assert.match(stdout, /1 of them can be repaired with: authkit-django doctor --fix/);
  });

  test('--fix without --yes and without a terminal: refuses, changes nothing, exit 2', async () => {
    const dir = await caseOf('5.2');
    edit(join(dir, 'mysite', 'settings.py'), SESSION_MIDDLEWARE, '');
    const before = contents(dir);
    const run = await doctor(dir, venv, ['--offline', '--fix']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /Pass --yes/);
    assert.equal(run.json.fix?.applied, false);
    assert.match(run.json.fix?.reason ?? '', /pass --yes/);
    assert.deepEqual(contents(dir), before);
  });

  test('undo after doctor --fix restores every file byte for byte', async () => {
    const dir = await caseOf('5.2');
    edit(join(dir, 'mysite', 'settings.py'), SESSION_MIDDLEWARE, '');
    edit(join(dir, '.gitignore'), '.env\n', '');
    const broken = contents(dir);
    const state = stateDir();
    const fixed = await cli(['doctor', '--json', '--offline', '--fix', '--yes', dir], { env: activeVenv(venv, { AUTHKIT_DJANGO_STATE_DIR: state }) });
    assert.equal(fixed.code, 0, fixed.stderr);
    const report = JSON.parse(fixed.stdout) as { fix: { rounds: { changes: { path: string }[] }[] } };
    assert.deepEqual(report.fix.rounds[0]!.changes.map((c) => c.path).sort(), ['.gitignore', 'mysite/settings.py']);
    assert.match(readFileSync(join(dir, '.gitignore'), 'utf8'), /^\.env$/m);
    assert.notDeepEqual(contents(dir), broken);

    const undone = await cli(['undo', '--yes', dir], { env: activeVenv(venv, { AUTHKIT_DJANGO_STATE_DIR: state }) });
    assert.equal(undone.code, 0, undone.stderr);
    assert.deepEqual(contents(dir), broken);
    const again = await doctor(dir, venv, ['--offline']);
    assert.deepEqual(problems(again.json.checks), { 'env-gitignore': 'fail', 'sessions-setup': 'fail' });
  });
});
