// doctor on integrations written by hand (test/fixtures/doctor, laid over a real
// `django-admin startproject`): the views are found by the WorkOS calls they make, under
// their own URL names and anywhere in the project, and judged like ours. The project's
// Python is .venvs/dj42|dj52 (Django + the real workos SDK).
import assert from 'node:assert/strict';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { execFile } from 'node:child_process';
import { gitInit } from '../helpers/cli.js';
import { copyOfStartProject, fixturesDir, snapshotTree, type DjangoLine } from '../helpers/django.js';
import { API_KEY, CLIENT_ID, check, doctor, fullVenv, python, problems } from './support.js';

const run = promisify(execFile);

/** startproject + one of test/fixtures/doctor laid over it + .env, committed and migrated. */
async function handwritten(line: DjangoLine, fixture: string): Promise<string> {
  const dir = await copyOfStartProject(line);
  const source = join(fixturesDir, 'doctor', fixture);
  cpSync(source, dir, { recursive: true });
  const settings = join(dir, 'mysite', 'settings.py');
  writeFileSync(settings, readFileSync(settings, 'utf8') + readFileSync(join(dir, 'settings-append.py'), 'utf8'));
  rmSync(join(dir, 'settings-append.py'));
  writeFileSync(join(dir, '.env'), `WORKOS_API_KEY=${API_KEY}\nWORKOS_CLIENT_ID=${CLIENT_ID}\n`);
  writeFileSync(join(dir, '.gitignore'), '.env\n');
  gitInit(dir);
  await run(python(fullVenv(line)), ['manage.py', 'migrate', '--noinput', '-v', '0'], { cwd: dir, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  return dir;
}

const gitless = (dir: string) => [...snapshotTree(dir)].filter(([path]) => !path.startsWith('.git/') && path !== '.git');

describe('doctor on a hand-written integration', { concurrency: 3 }, () => {
  for (const line of ['4.2', '5.2'] as DjangoLine[]) {
    test(`the procedure followed literally (Django ${line}): state, the SDK user in the session, logout by GET`, async () => {
      const dir = await handwritten(line, 'handwritten-procedure');
      const { code, json } = await doctor(dir, fullVenv(line), ['--offline']);
      assert.deepEqual(problems(json.checks), {
        'callback-method': 'warn',
        'logout-method': 'warn',
        'callback-state': 'warn',
        'session-user': 'fail',
      });
      assert.equal(code, 4);

      // The views were recognised under the procedure's names, in views.py, not auth_views.py.
      assert.match(check(json.checks, 'url-names').message, /callback -> \/auth\/callback\//);
      const state = check(json.checks, 'callback-state');
      assert.match(state.message, /login view mysite\.views\.login .* sends no state/);
      assert.match(state.message, /never compares the state/);
      const user = check(json.checks, 'session-user');
      assert.match(user.message, /request\.session\['user'\]/);
      assert.equal(user.file, 'mysite/views.py');
      assert.equal(user.line, 32, 'the line of request.session["user"] = auth_response.user');
      assert.match(check(json.checks, 'logout-method').message, /GET \/auth\/logout\/ signs the user out/);
      assert.match(check(json.checks, 'callback-method').message, /without a code fails with 500/);
      assert.equal(check(json.checks, 'generated-files').status, 'skip', 'nothing of ours to compare');
      assert.equal(check(json.checks, 'sdk-calls').status, 'pass');
    });
  }

  test('--fix on it changes nothing: none of it is a fix without judgment', async () => {
    const dir = await handwritten('5.2', 'handwritten-procedure');
    const before = gitless(dir);
    const { json } = await doctor(dir, fullVenv('5.2'), ['--offline', '--fix', '--yes']);
    assert.equal(json.fix?.applied, false);
    assert.equal(json.checks.filter((c) => c.fixable).length, 0);
    assert.deepEqual(gitless(dir), before);
  });

  test('a callback that reads the code from request.POST', async () => {
    const dir = await handwritten('5.2', 'handwritten-procedure');
    const views = join(dir, 'mysite', 'views.py');
    writeFileSync(views, readFileSync(views, 'utf8').replace('code = request.GET.get("code")', 'code = request.POST.get("code")'));
    const { json } = await doctor(dir, fullVenv('5.2'), ['--offline']);
    const method = check(json.checks, 'callback-method');
    assert.equal(method.status, 'fail');
    assert.match(method.message, /reads request\.POST, but WorkOS sends code and state in the query string of a GET/);
    assert.deepEqual([method.file, method.line], ['mysite/views.py', 29]);
  });

  test('views in another package, other URL names, a redirect URI on the wrong port', async () => {
    const dir = await handwritten('5.2', 'handwritten-accounts');
    const { code, json } = await doctor(dir, fullVenv('5.2'), ['--offline']);
    assert.deepEqual(problems(json.checks), { 'redirect-uri': 'fail' });
    assert.equal(code, 4);
    const names = check(json.checks, 'url-names').message;
    assert.match(names, /login -> \/accounts\/sign-in\/ \(accounts\.views\.SignInView, URL name 'sign-in'\)/);
    assert.match(names, /callback -> \/accounts\/workos\/return\/ \(accounts\.views\.workos_return/);
    assert.match(names, /logout -> \/accounts\/sign-out\//);
    const redirect = check(json.checks, 'redirect-uri');
    assert.match(redirect.message, /sends redirect_uri http:\/\/localhost:3000\/accounts\/workos\/return\/, but WORKOS_REDIRECT_URI is http:\/\/localhost:8000\/accounts\/workos\/return\/ \(port 3000 instead of 8000\)/);
    assert.equal(redirect.file, 'accounts/views.py');
    // Its state check and its session data are right, and logout is POST only.
    for (const id of ['callback-state', 'session-user', 'logout-method', 'callback-method']) assert.equal(check(json.checks, id).status, 'pass', id);
  });
});
