/**
 * Discovery on hand-written project layouts (test/fixtures), each copied to a temp
 * folder first. PATH is emptied so no interpreter is asked for Django's version: these
 * tests are about files; test/discover/django-version.test.ts covers the interpreter.
 */
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { discover } from '../../src/discover/index.js';
import { jsonReport } from '../../src/discover/report.js';
import { copyFixture, tempDir } from '../helpers/django.js';

const noPython = { PATH: '' };

async function inspectJson(dir: string, options: { project?: string; settings?: string } = {}) {
  const model = await discover(dir, { ...options, env: noPython });
  return { model, json: jsonReport(model) as Record<string, any> };
}

const codes = (json: Record<string, any>): string[] => json.problems.map((p: { code: string }) => p.code);

describe('settings package with base.py and dev.py', () => {
  it('follows dev.py into base.py, edits base.py, and reports the union of apps', async () => {
    const dir = copyFixture('settings-package');
    const { json } = await inspectJson(dir);
    assert.equal(json.managePy, 'manage.py');
    assert.equal(json.settingsModule, 'shop.settings.dev');
    assert.equal(json.settingsModuleSource, 'manage.py');
    assert.equal(json.settingsFile, 'shop/settings/base.py');
    assert.deepEqual(json.settingsFiles, ['shop/settings/dev.py', 'shop/settings/base.py']);
    assert.deepEqual(json.installedApps, [
      'django.contrib.auth',
      'django.contrib.contenttypes',
      'django.contrib.sessions',
      'shop.catalog',
      'debug_toolbar',
    ]);
    assert.deepEqual(json.middleware, [
      'debug_toolbar.middleware.DebugToolbarMiddleware',
      'django.contrib.sessions.middleware.SessionMiddleware',
      'django.middleware.common.CommonMiddleware',
    ]);
    assert.deepEqual(json.settingPlaces.INSTALLED_APPS, { file: 'shop/settings/base.py', line: 7 });
    assert.equal(json.rootUrlconf, 'shop.urls');
    assert.equal(json.urlsFile, 'shop/urls.py');
    assert.equal(json.projectPackage, 'shop');
    assert.deepEqual(json.sessions, { app: true, middleware: true });
    assert.deepEqual(json.templates.dirs, ['BASE_DIR / "templates"']);
    assert.equal(json.templates.appDirs, true);
    assert.deepEqual(json.problems, []);
  });

  it('reads --settings instead of the module manage.py names', async () => {
    const dir = copyFixture('settings-package');
    const { json } = await inspectJson(dir, { settings: 'shop.settings.production' });
    assert.equal(json.settingsModule, 'shop.settings.production');
    assert.equal(json.settingsModuleSource, '--settings');
    assert.ok(!json.installedApps.includes('debug_toolbar'));
    assert.equal(json.settingsFile, 'shop/settings/base.py');
  });
});

describe('cookiecutter-style config/settings', () => {
  it('sums DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS and finds allauth and AUTH_USER_MODEL', async () => {
    const dir = copyFixture('cookiecutter');
    const { json } = await inspectJson(dir);
    assert.equal(json.settingsModule, 'config.settings.local');
    assert.equal(json.settingsFile, 'config/settings/base.py');
    assert.deepEqual(json.settingsFiles, ['config/settings/local.py', 'config/settings/base.py']);
    assert.equal(json.installedApps.length, 7 + 4 + 1 + 1);
    assert.deepEqual(json.installedApps.slice(-6), [
      'crispy_forms',
      'allauth',
      'allauth.account',
      'allauth.mfa',
      'my_site.users',
      'django_extensions',
    ]);
    assert.equal(json.settingPlaces.INSTALLED_APPS.line, 30);
    assert.equal(json.projectPackage, 'config');
    assert.equal(json.urlsFile, 'config/urls.py');
    assert.deepEqual(json.templates.dirs, ['str(APPS_DIR / "templates")']);
    assert.equal(json.templates.appDirs, false);
    const kinds = json.existingAuth.map((a: { kind: string }) => a.kind);
    assert.deepEqual(kinds, ['django-allauth', 'AUTH_USER_MODEL']);
    assert.equal(json.existingAuth[1].evidence, "AUTH_USER_MODEL = 'users.User'");
    assert.equal(json.existingAuth[1].file, 'config/settings/base.py');
    assert.equal(json.packageManager, 'pip');
    assert.equal(json.requirementsFile, 'requirements/base.txt');
    assert.deepEqual(json.django, { version: '5.2.19', source: 'pinned', file: 'requirements/base.txt' });
    assert.deepEqual(json.problems, []);
  });
});

describe('manage.py below the repository root', () => {
  it('src/: finds manage.py from the root, uses the root uv.lock, runs from src/ too', async () => {
    const dir = copyFixture('src-layout', { git: true });
    const { json } = await inspectJson(dir);
    assert.equal(json.managePy, 'src/manage.py');
    assert.equal(json.projectRoot, 'src');
    assert.equal(json.repoRoot, '.');
    assert.equal(json.isGitRepo, true);
    assert.equal(json.settingsFile, 'src/webapp/settings.py');
    assert.equal(json.settingsModuleSource, 'src/manage.py');
    assert.equal(json.packageManager, 'uv');
    assert.deepEqual(json.packageManagerFiles, ['uv.lock', 'pyproject.toml']);
    assert.deepEqual(json.python.command, ['uv', 'run', 'python']);
    assert.deepEqual(json.django, { version: '5.2.4', source: 'pinned', file: 'uv.lock' });
    assert.equal(json.env.file, 'src/.env');

    const fromSrc = await inspectJson(join(dir, 'src', 'webapp'));
    assert.equal(fromSrc.json.managePy, '../manage.py');
    assert.equal(fromSrc.json.packageManager, 'uv');
  });

  it('backend/: skips node_modules and virtualenvs, uses Poetry at the root, works from frontend/', async () => {
    const dir = copyFixture('monorepo', { git: true });
    // What git cannot hold in test/fixtures: a package with a template manage.py, a virtualenv.
    mkdirSync(join(dir, 'frontend', 'node_modules', 'some-pkg'), { recursive: true });
    writeFileSync(join(dir, 'frontend', 'node_modules', 'some-pkg', 'manage.py'), 'print("not a project")\n');
    mkdirSync(join(dir, 'env', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'env', 'pyvenv.cfg'), 'home = /usr/bin\n');
    writeFileSync(join(dir, 'env', 'lib', 'manage.py'), '');
    const { json } = await inspectJson(dir);
    assert.equal(json.managePy, 'backend/manage.py');
    assert.deepEqual(json.candidates, []);
    assert.equal(json.packageManager, 'poetry');
    assert.deepEqual(json.packageManagerFiles, ['poetry.lock', 'pyproject.toml']);
    assert.equal(json.packageManagerRoot, '.');
    assert.deepEqual(json.django, { version: '4.2.23', source: 'pinned', file: 'poetry.lock' });
    // env/ holds pyvenv.cfg: it is the repository's virtualenv, whatever its name.
    assert.equal(json.python.source, 'venv');
    assert.equal(json.python.venv, 'env');
    assert.deepEqual(json.python.command, ['env/bin/python']);

    const fromFrontend = await inspectJson(join(dir, 'frontend'));
    assert.equal(fromFrontend.json.managePy, '../backend/manage.py');
  });
});

describe('flat settings.py and urls.py next to manage.py', () => {
  it('resolves DJANGO_SETTINGS_MODULE=settings and ROOT_URLCONF=urls at the root', async () => {
    const dir = copyFixture('flat');
    const { json } = await inspectJson(dir);
    assert.equal(json.settingsModule, 'settings');
    assert.equal(json.settingsFile, 'settings.py');
    assert.equal(json.urlsFile, 'urls.py');
    assert.equal(json.projectPackage, '.');
    assert.deepEqual(json.sessions, { app: false, middleware: false });
    assert.equal(json.templates.appDirs, false);
    assert.deepEqual(json.templates.dirs, ['"templates"']);
    assert.equal(json.packageManager, 'pipenv');
    assert.deepEqual(json.packageManagerFiles, ['Pipfile']);
    assert.deepEqual(json.django, { version: '4.2.30', source: 'pinned', file: 'Pipfile' });
  });
});

describe('tuples and a project SessionMiddleware subclass', () => {
  it('reads tuple entries and recognises the subclass through two levels of project classes', async () => {
    const dir = copyFixture('tuples');
    const { json } = await inspectJson(dir);
    assert.deepEqual(json.installedApps, ['django.contrib.auth', 'django.contrib.contenttypes', 'django.contrib.sessions', 'blog']);
    assert.deepEqual(json.middleware, [
      'django.middleware.common.CommonMiddleware',
      'blog.middleware.TrackingSessionMiddleware',
      'django.contrib.auth.middleware.AuthenticationMiddleware',
    ]);
    assert.deepEqual(json.sessions, { app: true, middleware: true });
    assert.equal(json.templates.backend, 'django.template.backends.django.DjangoTemplates');
    assert.equal(json.templates.appDirs, false);
    assert.deepEqual(json.existingAuth, [
      { kind: 'django.contrib.auth.urls', evidence: "include('django.contrib.auth.urls')", file: 'blog/urls.py', line: 4 },
    ]);
    assert.equal(json.packageManager, 'pip');
    assert.equal(json.requirementsFile, 'requirements.txt');
    assert.deepEqual(json.django, { version: '4.2.30', source: 'pinned', file: 'requirements.txt' });
  });

  it('a middleware class that is not a SessionMiddleware does not count', async () => {
    const dir = copyFixture('tuples');
    writeFileSync(
      join(dir, 'blog', 'middleware.py'),
      'class TrackingSessionMiddleware:\n    def __init__(self, get_response):\n        self.get_response = get_response\n',
    );
    const { json } = await inspectJson(dir);
    assert.equal(json.sessions.middleware, false);
  });
});

describe('settings module named only in .env', () => {
  it('reads DJANGO_SETTINGS_MODULE from .env and reports the WorkOS keys without their values', async () => {
    const dir = copyFixture('env-only');
    const { json } = await inspectJson(dir);
    assert.equal(json.settingsModule, 'site_conf.settings');
    assert.equal(json.settingsModuleSource, '.env');
    assert.equal(json.settingsFile, 'site_conf/settings.py');
    assert.deepEqual(json.env, {
      file: '.env',
      exists: true,
      hasApiKey: true,
      hasClientId: true,
      apiKeyPrefixOk: true,
      clientIdPrefixOk: true,
    });
    assert.deepEqual(
      json.existingAuth.map((a: { kind: string }) => a.kind),
      ['workos'],
    );
    const text = JSON.stringify(json);
    assert.ok(!text.includes('sk_test_fixtureonly'), 'the API key value must never be reported');
    assert.ok(!text.includes('client_fixtureonly'), 'the client id value is not reported either');
  });
});

describe('urls package and a module inside it', () => {
  it('ROOT_URLCONF = "portal.urls.www" resolves to the submodule', async () => {
    const dir = copyFixture('urls-package');
    const { json } = await inspectJson(dir);
    assert.equal(json.rootUrlconf, 'portal.urls.www');
    assert.equal(json.urlsFile, 'portal/urls/www.py');
    assert.equal(json.projectPackage, 'portal');
  });

  it('ROOT_URLCONF = "portal.urls" resolves to the package __init__.py', async () => {
    const dir = copyFixture('urls-package');
    const { json } = await inspectJson(dir, { settings: 'portal.settings_api' });
    assert.equal(json.rootUrlconf, 'portal.urls');
    assert.equal(json.urlsFile, 'portal/urls/__init__.py');
    assert.equal(json.settingsFile, 'portal/settings.py');
    assert.deepEqual(json.settingsFiles, ['portal/settings_api.py', 'portal/settings.py']);
  });
});

describe('star imports inside try/except ImportError', () => {
  it('follows the absolute and relative imports, the optional local module, and ignores the missing one', async () => {
    const dir = copyFixture('try-except');
    const { json } = await inspectJson(dir);
    assert.equal(json.settingsModule, 'proj.settings');
    assert.equal(json.settingsFile, 'proj/settings/common.py');
    assert.deepEqual(json.settingsFiles, [
      'proj/settings/__init__.py',
      'proj/settings/common.py',
      'proj/settings/local.py',
    ]);
    assert.deepEqual(json.installedApps, ['django.contrib.contenttypes', 'django.contrib.sessions', 'django_extensions']);
    assert.deepEqual(json.middleware, ['django.contrib.sessions.middleware.SessionMiddleware']);
    assert.equal(json.projectPackage, 'proj');
    assert.deepEqual(json.problems, []);
  });

  it('a missing module imported outside try is a problem with its line', async () => {
    const dir = copyFixture('try-except');
    writeFileSync(join(dir, 'proj', 'settings', '__init__.py'), 'from proj.settings.common import *\nfrom .gone import *\n');
    const { json } = await inspectJson(dir);
    assert.deepEqual(json.problems, [
      {
        code: 'settings-import-missing',
        message: '`from .gone import *` names a module that is not in the project',
        file: 'proj/settings/__init__.py',
        line: 2,
      },
    ]);
  });
});

describe('django-split-settings', () => {
  it('runs include()d files in one namespace, with globs and optional()', async () => {
    const dir = copyFixture('split-settings');
    const { json } = await inspectJson(dir);
    assert.equal(json.settingsFile, 'app/settings/components/apps.py');
    assert.deepEqual(json.settingsFiles, [
      'app/settings/__init__.py',
      'app/settings/components/common.py',
      'app/settings/components/apps.py',
      'app/settings/components/apps_extra.py',
    ]);
    assert.deepEqual(json.installedApps, ['django.contrib.contenttypes', 'django.contrib.sessions', 'app.billing']);
    assert.equal(json.urlsFile, 'app/urls.py');
    assert.equal(json.projectPackage, 'app');
    assert.deepEqual(json.problems, []);
  });

  it('a missing required file is a problem; a missing optional() one is not', async () => {
    const dir = copyFixture('split-settings');
    writeFileSync(
      join(dir, 'app', 'settings', '__init__.py'),
      'from split_settings.tools import include, optional\n\ninclude("components/*.py", optional("nope.py"), "missing.py")\n',
    );
    const { json } = await inspectJson(dir);
    assert.deepEqual(
      json.problems.map((p: { code: string; line: number }) => [p.code, p.line]),
      [['settings-import-missing', 3]],
    );
    assert.ok(json.installedApps.includes('app.billing'));
  });
});

describe('two manage.py files', () => {
  it('picks the first by path, lists the other, and --project chooses', async () => {
    const dir = copyFixture('two-projects', { git: true });
    const { json } = await inspectJson(dir);
    assert.equal(json.managePy, 'alpha/manage.py');
    assert.deepEqual(json.candidates, ['beta/manage.py']);
    assert.equal(json.settingsModule, 'alpha_site.settings');

    const chosen = await inspectJson(dir, { project: join(dir, 'beta') });
    assert.equal(chosen.json.managePy, 'beta/manage.py');
    assert.equal(chosen.json.settingsFile, 'beta/beta_site/settings.py');

    const byFile = await inspectJson(dir, { project: join(dir, 'beta', 'manage.py') });
    assert.equal(byFile.json.managePy, 'beta/manage.py');
  });

  it('a symlinked manage.py stands for its target and is not listed again as a candidate', async () => {
    const dir = copyFixture('two-projects', { git: true });
    symlinkSync(join('beta', 'manage.py'), join(dir, 'manage.py'));
    const { json } = await inspectJson(dir);
    assert.equal(json.managePy, 'beta/manage.py');
    assert.deepEqual(json.candidates, ['alpha/manage.py']);
    assert.equal(json.settingsModule, 'beta_site.settings');
  });

  it('a link among the candidates to a file already listed is listed once', async () => {
    const dir = copyFixture('two-projects', { git: true });
    mkdirSync(join(dir, 'gamma'));
    symlinkSync(join('..', 'beta', 'manage.py'), join(dir, 'gamma', 'manage.py'));
    const { json } = await inspectJson(dir);
    assert.equal(json.managePy, 'alpha/manage.py');
    assert.deepEqual(json.candidates, ['beta/manage.py']);
  });

  it('--project that names no manage.py is a clear error', async () => {
    const dir = copyFixture('two-projects');
    await assert.rejects(discover(dir, { project: join(dir, 'nowhere'), env: noPython }), /--project .*nowhere: no manage\.py there\./);
  });
});

describe('decoy settings folders', () => {
  it('skips a `settings` app and a `settings/` folder without INSTALLED_APPS', async () => {
    const dir = copyFixture('decoy-settings');
    const { json } = await inspectJson(dir);
    assert.equal(json.settingsModule, 'conf.settings');
    assert.equal(json.settingsModuleSource, 'search');
    assert.equal(json.settingsFile, 'conf/settings.py');
    assert.equal(json.urlsFile, 'conf/urls.py');
    assert.deepEqual(codes(json), ['settings-module-guessed']);
  });
});

describe('values that cannot be read statically', () => {
  it('reports computed parts with file and line and keeps the literal entries', async () => {
    const dir = copyFixture('dynamic');
    const { json } = await inspectJson(dir);
    assert.deepEqual(json.installedApps, ['django.contrib.contenttypes', 'django.contrib.sessions']);
    assert.deepEqual(json.middleware, ['django.contrib.sessions.middleware.SessionMiddleware']);
    assert.equal(json.rootUrlconf, null);
    assert.equal(json.urlsFile, null);
    assert.deepEqual(
      json.problems.map((p: { code: string; file: string; line: number }) => [p.code, p.file, p.line]),
      [
        ['root-urlconf-computed', 'dyn/settings.py', 22],
        ['installed-apps-dynamic', 'dyn/settings.py', 15],
        ['middleware-dynamic', 'dyn/settings.py', 19],
      ],
    );
    assert.match(json.problems[0].message, /ROOT_URLCONF is computed \(f"\{PROJECT\}\.urls"\)/);
  });
});

describe('settings evaluated for the names discovery reads', () => {
  /** A project whose settings package is written out here: files under `proj/settings/`. */
  function settingsPackage(files: Record<string, string>): string {
    const dir = tempDir();
    writeFileSync(
      join(dir, 'manage.py'),
      "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'proj.settings')\n",
    );
    mkdirSync(join(dir, 'proj', 'settings'), { recursive: true });
    writeFileSync(join(dir, 'proj', '__init__.py'), '');
    writeFileSync(join(dir, 'proj', 'urls.py'), 'urlpatterns = []\n');
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'proj', 'settings', name), text);
    return dir;
  }

  it('follows a name a later module needs from a module that already ran (the walk runs again)', async () => {
    const dir = settingsPackage({
      '__init__.py': 'from .base import *\nfrom .local import *\n',
      'base.py': "EXTRA = ['extra.app']\nOTHER = 1\nINSTALLED_APPS = ['django.contrib.sessions']\nROOT_URLCONF = 'proj.urls'\n",
      'local.py': 'from .base import *\nINSTALLED_APPS += EXTRA\n',
    });
    const { json } = await inspectJson(dir);
    assert.deepEqual(json.installedApps, ['django.contrib.sessions', 'extra.app']);
    assert.deepEqual(codes(json), []);
  });

  it('follows names through chains of assignments, and split-settings include() of a computed list', async () => {
    const dir = settingsPackage({
      '__init__.py': "from split_settings.tools import include\nPARTS = ['base.py']\nMORE = PARTS + ['apps.py']\ninclude(*MORE)\n",
      'base.py': "DJANGO_APPS = ['django.contrib.sessions']\nROOT_URLCONF = 'proj.urls'\n",
      'apps.py': "LOCAL = ['proj']\nAPPS = DJANGO_APPS + LOCAL\nINSTALLED_APPS = APPS\n",
    });
    const { json } = await inspectJson(dir);
    assert.deepEqual(json.installedApps, ['django.contrib.sessions', 'proj']);
    assert.deepEqual(codes(json), []);
  });
});
