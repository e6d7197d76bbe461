// doctor on real projects: `django-admin startproject` (Django 4.2 and 5.2 from PyPI),
// integrated by the real `authkit-django init`, migrated and committed, then broken in
// exactly one way per case. doctor must name that failure and only that one; `--fix --yes`
// must repair the fixable ones so that a second doctor and `manage.py check` pass; for the
// others, --fix must leave every file as it was. The project's Python is .venvs/dj42|dj52
// (Django + the real workos SDK + python-dotenv). One init per Django line, copied per case.
import assert from 'node:assert/strict';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { snapshotTree, type DjangoLine } from '../helpers/django.js';
import {
  API_KEY,
  append,
  caseOf,
  check,
  doctor,
  edit,
  fullVenv,
  gitCommit,
  initedProject,
  manageCheck,
  problems,
} from './support.js';

interface Break {
  name: string;
  /** The one finding doctor must report (id -> status), and nothing else. */
  expect: Record<string, 'fail' | 'warn'>;
  fixable: boolean;
  apply: (dir: string) => void | Promise<void>;
}

const settings = (dir: string) => join(dir, 'mysite', 'settings.py');
const urls = (dir: string) => join(dir, 'mysite', 'urls.py');

const BREAKS: Break[] = [
  {
    name: 'SessionMiddleware removed',
    expect: { 'sessions-setup': 'fail' },
    fixable: true,
    apply: (dir) => edit(settings(dir), "    'django.contrib.sessions.middleware.SessionMiddleware',\n", ''),
  },
  {
    name: 'the sessions app removed',
    expect: { 'sessions-setup': 'fail' },
    fixable: true,
    apply: (dir) => edit(settings(dir), "    'django.contrib.sessions',\n", ''),
  },
  {
    name: 'load_dotenv removed',
    expect: { 'env-loaded': 'fail' },
    fixable: true,
    apply: (dir) => edit(settings(dir), "load_dotenv(BASE_DIR / '.env')\n", ''),
  },
  {
    name: 'WORKOS_CLIENT_ID setting removed',
    expect: { 'client-id': 'fail' },
    fixable: true,
    apply: (dir) => edit(settings(dir), "WORKOS_CLIENT_ID = os.environ.get('WORKOS_CLIENT_ID', '')\n", ''),
  },
  {
    name: '.env no longer in .gitignore',
    expect: { 'env-gitignore': 'fail' },
    fixable: true,
    apply: (dir) => writeFileSync(join(dir, '.gitignore'), ''),
  },
  {
    name: 'the three auth routes removed',
    expect: { 'url-names': 'fail' },
    fixable: true,
    apply: (dir) => edit(urls(dir), /    path\('auth\/login\/'[^\n]*\n    path\('auth\/callback\/'[^\n]*\n    path\('auth\/logout\/'[^\n]*\n/, ''),
  },
  {
    name: 'the database was never migrated',
    expect: { 'sessions-table': 'warn' },
    fixable: true,
    apply: (dir) => rmSync(join(dir, 'db.sqlite3')),
  },
  {
    name: 'SessionMiddleware after AuthenticationMiddleware',
    expect: { 'middleware-order': 'fail' },
    fixable: false,
    apply: (dir) => {
      edit(settings(dir), "    'django.contrib.sessions.middleware.SessionMiddleware',\n", '');
      edit(
        settings(dir),
        "    'django.contrib.auth.middleware.AuthenticationMiddleware',\n",
        "    'django.contrib.auth.middleware.AuthenticationMiddleware',\n    'django.contrib.sessions.middleware.SessionMiddleware',\n",
      );
    },
  },
  {
    name: 'WORKOS_API_KEY missing from .env',
    expect: { 'env-file': 'fail' },
    fixable: false,
    apply: (dir) => edit(join(dir, '.env'), /WORKOS_API_KEY=[^\n]*\n/, ''),
  },
  {
    name: 'WORKOS_CLIENT_ID with a wrong prefix',
    expect: { 'env-file': 'fail' },
    fixable: false,
    apply: (dir) => edit(join(dir, '.env'), /WORKOS_CLIENT_ID=[^\n]*/, 'WORKOS_CLIENT_ID=project_doctor_fixture'),
  },
  {
    name: 'load_dotenv loads another path',
    expect: { 'env-loaded': 'fail' },
    fixable: false,
    apply: (dir) => edit(settings(dir), "load_dotenv(BASE_DIR / '.env')", "load_dotenv(BASE_DIR / 'config' / '.env')"),
  },
  {
    name: 'WORKOS_REDIRECT_URI without the trailing slash',
    expect: { 'redirect-uri': 'warn' },
    fixable: false,
    apply: (dir) => append(settings(dir), "WORKOS_REDIRECT_URI = 'http://localhost:8000/auth/callback'\n"),
  },
  {
    name: 'the callback routed through require_POST',
    expect: { 'callback-method': 'fail' },
    fixable: false,
    apply: (dir) => {
      edit(urls(dir), 'from django.urls import path\n', 'from django.urls import path\nfrom django.views.decorators.http import require_POST\n');
      edit(urls(dir), "path('auth/callback/', authkit_views.callback,", "path('auth/callback/', require_POST(authkit_views.callback),");
    },
  },
  {
    name: 'logout routed to a view that answers GET',
    expect: { 'logout-method': 'warn' },
    fixable: false,
    apply: (dir) => {
      edit(urls(dir), 'from django.urls import path\n', 'from django.shortcuts import redirect\nfrom django.urls import path\n');
      edit(urls(dir), "path('auth/logout/', authkit_views.logout,", "path('auth/logout/', logout_by_get,");
      edit(urls(dir), 'urlpatterns = [', 'def logout_by_get(request):\n    request.session.flush()\n    return redirect("/")\n\n\nurlpatterns = [');
    },
  },
  {
    name: 'a generated file edited by hand',
    expect: { 'generated-files': 'warn' },
    fixable: false,
    apply: (dir) => edit(join(dir, 'mysite', 'authkit', 'views.py'), '"Sign-in could not be completed",', '"Sign-in failed",'),
  },
  {
    name: 'the template folder moved away',
    expect: { 'template-dirs': 'fail' },
    fixable: false,
    apply: (dir) => renameSync(join(dir, 'templates'), join(dir, 'old_templates')),
  },
  {
    name: 'sessions kept in signed cookies',
    expect: { 'session-engine': 'warn' },
    fixable: false,
    apply: (dir) => append(settings(dir), "SESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'\n"),
  },
  {
    name: 'SESSION_COOKIE_SAMESITE Strict',
    expect: { 'session-engine': 'fail' },
    fixable: false,
    apply: (dir) => append(settings(dir), "SESSION_COOKIE_SAMESITE = 'Strict'\n"),
  },
  {
    name: 'manage.py check fails',
    expect: { 'django-check': 'fail' },
    fixable: false,
    apply: (dir) => append(settings(dir), 'CACHES = {}\n'),
  },
  {
    name: 'an invalid URL pattern',
    expect: { 'django-check': 'fail' },
    fixable: false,
    apply: (dir) => edit(urls(dir), "    path('admin/', admin.site.urls),\n", "    path('admin/', admin.site.urls),\n    'not-a-pattern',\n"),
  },
  {
    name: 'an API key committed to git',
    expect: { 'secrets-in-git': 'warn' },
    fixable: false,
    apply: async (dir) => {
      writeFileSync(join(dir, 'mysite', 'example_settings.py'), `WORKOS_API_KEY = "${API_KEY}"\n`);
      await gitCommit(dir, 'example settings');
    },
  },
  {
    name: 'code calling the SDK the way workos 5 did',
    expect: { 'sdk-calls': 'fail' },
    fixable: false,
    apply: (dir) =>
      writeFileSync(
        join(dir, 'mysite', 'legacy_auth.py'),
        [
          'from workos import WorkOSClient',
          '',
          '',
          'def sealed_sign_in(code, password):',
          '    client = WorkOSClient(api_key="sk_test_x", client_id="client_x")',
          '    return client.user_management.authenticate_with_code(',
          '        code=code, session={"seal_session": True, "cookie_password": password}',
          '    )',
          '',
        ].join('\n'),
      ),
  },
];

/** Every file below dir except git's own bookkeeping, which reading commands may refresh. */
function projectFiles(dir: string) {
  return [...snapshotTree(dir)].filter(([path]) => !path.startsWith('.git/') && path !== '.git');
}

for (const line of ['4.2', '5.2'] as DjangoLine[]) {
  const venv = fullVenv(line);

  describe(`doctor on an init'ed Django ${line} startproject`, { concurrency: 3 }, () => {
    before(() => initedProject(line));

    test('finds nothing wrong with the project as init left it', async () => {
      const dir = await caseOf(line);
      const { code, json } = await doctor(dir, venv, ['--offline']);
      assert.deepEqual(problems(json.checks), {});
      assert.equal(code, 0);
      assert.equal(json.ok, true);
      assert.equal(check(json.checks, 'credentials').status, 'skip', '--offline skips the call to WorkOS');
      // Every check ran and was judged: only the offline ones (the key, the signing keys) are skipped.
      assert.deepEqual(json.checks.filter((c) => c.status === 'skip').map((c) => c.id), ['credentials', 'jwks']);
    });

    for (const broken of BREAKS) {
      test(`${broken.name}: reported alone${broken.fixable ? ', and --fix repairs it' : '; --fix changes nothing'}`, async () => {
        const dir = await caseOf(line);
        await broken.apply(dir);
        const before = projectFiles(dir);

        const fixRun = await doctor(dir, venv, ['--offline', '--fix', '--yes']);
        assert.ok(!fixRun.stdout.includes(API_KEY) && !fixRun.stderr.includes(API_KEY), 'the API key is never printed');
        const found = fixRun.json.fix?.before ?? [];
        assert.deepEqual(problems(found), broken.expect, found.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.message}`).join('\n'));
        for (const [id] of Object.entries(broken.expect)) {
          const finding = check(found, id);
          assert.ok(finding.fix, `${id} says how to fix it`);
          assert.equal(finding.fixable, broken.fixable, `${id}: fixable`);
          if (broken.fixable) assert.match(finding.fix!, /^doctor --fix: /);
        }

        if (broken.fixable) {
          assert.equal(fixRun.json.fix?.applied, true);
          assert.deepEqual(problems(fixRun.json.checks), {}, 'the check after --fix passes');
          assert.equal(fixRun.code, 0, fixRun.stderr);
          const again = await doctor(dir, venv, ['--offline']);
          assert.deepEqual(problems(again.json.checks), {}, 'a second doctor passes');
          assert.equal(again.code, 0);
          const django = await manageCheck(dir, venv);
          assert.equal(django.code, 0, django.output);
        } else {
          assert.equal(fixRun.json.fix?.applied, false);
          assert.deepEqual(projectFiles(dir), before, 'doctor --fix changed nothing');
          const failing = Object.values(broken.expect).includes('fail');
          assert.equal(fixRun.code, failing ? 4 : 0, 'exit 4 when a check fails, 0 for warnings');
        }
      });
    }
  });
}
