/**
 * The authkit app package: where it goes and under which dotted path (flat layout, project
 * package, src layout, --views), the settings it comes with (INSTALLED_APPS, MIDDLEWARE,
 * AUTHENTICATION_BACKENDS, LOGIN_URL, --no-django-auth), a second plan planning nothing,
 * and projects whose urlconf already routes the WorkOS names (their own views, or the
 * earlier auth_views.py layout, which is kept). Plans only; nothing is applied here.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { before, describe, test } from 'node:test';
import { discover } from '../../src/discover/index.js';
import { appDottedPath, appTemplateFiles } from '../../src/integrate/app-layout.js';
import type { IntegrationOptions } from '../../src/integrate/context.js';
import { templateText } from '../../src/integrate/generated-file.js';
import { planIntegration, type IntegrationPlan } from '../../src/integrate/index.js';
import { loadPythonParser } from '../../src/python/parser.js';
import { tempDir } from '../helpers/django.js';
import { pythonSyntaxErrors } from '../helpers/python-ast.js';

before(async () => {
  await loadPythonParser();
});

const SETTINGS = `INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "site_conf.urls"
`;
const URLS = 'from django.urls import path\n\nurlpatterns = [\n    path("", lambda r: None),\n]\n';
const OPTIONS: IntegrationOptions = { apiKey: 'sk_test_layout000000', clientId: 'client_layout', replaceExistingEnvValues: false };
const manage = (module: string) => `import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "${module}")\n`;

type Files = Record<string, string>;

function write(root: string, files: Files): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

async function plan(files: Files, options: Partial<IntegrationOptions> = {}, cwd = ''): Promise<{ root: string; result: IntegrationPlan }> {
  const root = tempDir('authkit-app-');
  write(root, files);
  const model = await discover(join(root, cwd), { env: {}, probeInterpreter: false });
  return { root, result: planIntegration(model, { ...OPTIONS, ...options }) };
}

const PACKAGE: Files = { 'manage.py': manage('site_conf.settings'), 'site_conf/__init__.py': '', 'site_conf/settings.py': SETTINGS, 'site_conf/urls.py': URLS };

function after(root: string, result: IntegrationPlan, path: string): string | undefined {
  return result.changes.find((c) => c.file === join(root, path))?.after;
}

/** A planned file inside an `authkit` folder (the temp folders' names hold the word too). */
const inApp = (change: { file: string }) => change.file.split(sep).includes('authkit');

function outcome(result: IntegrationPlan, id: string) {
  const found = result.outcomes.find((o) => o.id === id);
  assert.ok(found, `no outcome ${id} in ${result.outcomes.map((o) => o.id).join(', ')}`);
  return found;
}

describe('the app package and its dotted path', () => {
  test('the file list comes from templates/authkit, subfolders included, no caches', () => {
    const files = appTemplateFiles();
    for (const f of ['__init__.py', 'apps.py', 'views.py', 'middleware.py', 'backends.py', 'migrations/__init__.py', 'migrations/0001_initial.py', 'templatetags/authkit.py']) {
      assert.ok(files.includes(f), `${f} missing from ${files.join(', ')}`);
    }
    assert.ok(!files.some((f) => f.includes('__pycache__') || f.endsWith('.pyc')));
  });

  test('project package: every file into site_conf/authkit/, P = site_conf.authkit', async () => {
    const { root, result } = await plan(PACKAGE);
    for (const rel of appTemplateFiles()) {
      assert.equal(after(root, result, join('site_conf', 'authkit', rel)), templateText(`authkit/${rel}`), rel);
    }
    assert.equal(outcome(result, 'views.app').status, 'create');
    assert.match(outcome(result, 'views.app').note ?? '', /manage\.py migrate/);
    const settings = after(root, result, 'site_conf/settings.py')!;
    assert.match(settings, /"django\.contrib\.sessions",\n {4}"site_conf\.authkit",\n\]/);
    assert.match(settings, /"django\.contrib\.auth\.middleware\.AuthenticationMiddleware",\n {4}"site_conf\.authkit\.middleware\.AuthKitMiddleware",\n {4}"django\.middleware\.common\.CommonMiddleware",/);
    assert.match(after(root, result, 'site_conf/urls.py')!, /^from \.authkit import views as authkit_views$/m);
    assert.deepEqual(pythonSyntaxErrors([settings]), [null]);
  });

  test('flat layout (settings and urls beside manage.py): P = authkit', async () => {
    const { root, result } = await plan({ 'manage.py': manage('settings'), 'settings.py': SETTINGS.replace('"site_conf.urls"', '"urls"'), 'urls.py': URLS });
    assert.ok(after(root, result, 'authkit/views.py'));
    assert.match(after(root, result, 'settings.py')!, /"django\.contrib\.sessions",\n {4}"authkit",\n\]/);
    assert.match(after(root, result, 'settings.py')!, /"authkit\.backends\.WorkOSBackend"/);
    assert.match(after(root, result, 'urls.py')!, /^from authkit import views as authkit_views$/m);
  });

  test('src layout: manage.py in src/ is the folder on sys.path, P = webapp.authkit', async () => {
    const files: Files = {
      'pyproject.toml': '[project]\nname = "webapp"\n',
      'src/manage.py': manage('webapp.settings'),
      'src/webapp/__init__.py': '',
      'src/webapp/settings.py': SETTINGS.replace('"site_conf.urls"', '"webapp.urls"'),
      'src/webapp/urls.py': URLS,
    };
    const { root, result } = await plan(files);
    assert.ok(after(root, result, 'src/webapp/authkit/apps.py'));
    assert.match(after(root, result, 'src/webapp/settings.py')!, /"webapp\.authkit",\n\]/);
    assert.match(after(root, result, 'src/webapp/settings.py')!, /"webapp\.authkit\.middleware\.AuthKitMiddleware"/);
    assert.deepEqual(appDottedPath(join(root, 'src'), join(root, 'src', 'webapp')), { dotted: 'webapp.authkit' });
  });

  test('--views DIR: P follows the folder (accounts.sub.authkit); settings and urls agree', async () => {
    const root = tempDir('authkit-app-views-');
    write(root, { ...PACKAGE, 'accounts/__init__.py': '', 'accounts/sub/__init__.py': '' });
    const model = await discover(root, { env: {}, probeInterpreter: false });
    const views = planIntegration(model, { ...OPTIONS, viewsDir: join(root, 'accounts', 'sub') });
    assert.ok(after(root, views, 'accounts/sub/authkit/views.py'));
    assert.match(after(root, views, 'site_conf/settings.py')!, /"accounts\.sub\.authkit",\n\]/);
    assert.match(after(root, views, 'site_conf/settings.py')!, /"accounts\.sub\.authkit\.backends\.WorkOSBackend"/);
    assert.match(after(root, views, 'site_conf/urls.py')!, /^from accounts\.sub\.authkit import views as authkit_views$/m);
  });

  test('refuses safely: P cannot be determined (outside manage.py\'s folder, a folder name that is no identifier)', async () => {
    const outside = tempDir('authkit-app-outside-');
    const { root } = await plan(PACKAGE);
    const model = await discover(root, { env: {}, probeInterpreter: false });
    for (const dir of [outside, join(root, 'my-views')]) {
      const result = planIntegration(model, { ...OPTIONS, viewsDir: dir });
      const step = outcome(result, 'views.app');
      assert.equal(step.status, 'manual', dir);
      assert.match(step.summary, /import path of the authkit app/);
      assert.match(step.snippet ?? '', /--views/);
      assert.ok(!result.changes.some(inApp), 'no app file planned');
      assert.ok(!result.outcomes.some((o) => o.id.startsWith('settings.authkit')), 'no app setting planned');
      assert.equal(outcome(result, 'urls.routes').status, 'manual');
    }
  });
});

describe('the settings the app comes with', () => {
  test('AUTHENTICATION_BACKENDS not defined: added with ModelBackend first; LOGIN_URL not defined: ours', async () => {
    const { root, result } = await plan(PACKAGE);
    const settings = after(root, result, 'site_conf/settings.py')!;
    assert.match(settings, /\nAUTHENTICATION_BACKENDS = \[\n {4}"django\.contrib\.auth\.backends\.ModelBackend",\n {4}"site_conf\.authkit\.backends\.WorkOSBackend",\n\]\nLOGIN_URL = "workos_login"\n$/);
    assert.equal(outcome(result, 'settings.authkit-backend').status, 'change');
    assert.equal(outcome(result, 'settings.login-url').status, 'change');
    assert.deepEqual(result.planned?.listAdditions.AUTHENTICATION_BACKENDS, ['site_conf.authkit.backends.WorkOSBackend']);
    assert.deepEqual(result.planned?.defaultsReplaced, { LOGIN_URL: 'workos_login' });
  });

  test('AUTHENTICATION_BACKENDS defined (a tuple, single quotes): ours appended, theirs kept; LOGIN_URL of theirs kept with a note', async () => {
    const settings = `${SETTINGS}\nAUTHENTICATION_BACKENDS = (\n    'allauth.account.auth_backends.AuthenticationBackend',\n)\nLOGIN_URL = '/accounts/login/'\n`;
    const { root, result } = await plan({ ...PACKAGE, 'site_conf/settings.py': settings });
    const text = after(root, result, 'site_conf/settings.py')!;
    assert.match(text, /AUTHENTICATION_BACKENDS = \(\n {4}'allauth\.account\.auth_backends\.AuthenticationBackend',\n {4}'site_conf\.authkit\.backends\.WorkOSBackend',\n\)\n/);
    assert.doesNotMatch(text, /ModelBackend/);
    assert.equal((text.match(/LOGIN_URL/g) ?? []).length, 1);
    const login = outcome(result, 'settings.login-url');
    assert.equal(login.status, 'done');
    assert.match(login.note ?? '', /LOGIN_URL = "workos_login"/);
    assert.equal(result.planned?.defaultsReplaced.LOGIN_URL, undefined);
  });

  test('refuses safely: AUTHENTICATION_BACKENDS built by a function is a manual step with the snippet', async () => {
    const settings = `${SETTINGS}\n\ndef backends():\n    return ["x.Backend"]\n\n\nAUTHENTICATION_BACKENDS = backends()\n`;
    const { root, result } = await plan({ ...PACKAGE, 'site_conf/settings.py': settings });
    const step = outcome(result, 'settings.authkit-backend');
    assert.equal(step.status, 'manual');
    assert.match(step.snippet ?? '', /AUTHENTICATION_BACKENDS \+= \['site_conf\.authkit\.backends\.WorkOSBackend'\]/);
    assert.doesNotMatch(after(root, result, 'site_conf/settings.py')!, /WorkOSBackend/);
  });

  test('without AuthenticationMiddleware the middleware goes right after SessionMiddleware', async () => {
    const settings = SETTINGS.replace('    "django.contrib.auth.middleware.AuthenticationMiddleware",\n', '');
    const { root, result } = await plan({ ...PACKAGE, 'site_conf/settings.py': settings });
    assert.match(after(root, result, 'site_conf/settings.py')!, /SessionMiddleware",\n {4}"site_conf\.authkit\.middleware\.AuthKitMiddleware",\n {4}"django\.middleware\.common/);
  });

  test('--no-django-auth: the app and its middleware, no backend, no LOGIN_URL', async () => {
    const { root, result } = await plan(PACKAGE, { djangoAuth: false });
    const text = after(root, result, 'site_conf/settings.py')!;
    assert.match(text, /"site_conf\.authkit"/);
    assert.match(text, /AuthKitMiddleware/);
    assert.doesNotMatch(text, /AUTHENTICATION_BACKENDS|LOGIN_URL/);
    assert.match(outcome(result, 'settings.django-auth').summary, /--no-django-auth/);
  });

  test('django.contrib.auth not installed: no backend, no LOGIN_URL', async () => {
    const settings = SETTINGS.replace('    "django.contrib.auth",\n', '');
    const { root, result } = await plan({ ...PACKAGE, 'site_conf/settings.py': settings });
    assert.doesNotMatch(after(root, result, 'site_conf/settings.py')!, /AUTHENTICATION_BACKENDS|LOGIN_URL/);
  });

  test('a second plan after the first is written plans nothing', async () => {
    const settings = `${SETTINGS}\nAUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]\n`;
    const { root, result } = await plan({ ...PACKAGE, 'site_conf/settings.py': settings });
    for (const change of result.changes) {
      mkdirSync(dirname(change.file), { recursive: true });
      writeFileSync(change.file, change.after);
    }
    const model = await discover(root, { env: {}, probeInterpreter: false });
    const second = planIntegration(model, OPTIONS);
    assert.deepEqual(second.changes.map((c) => c.file), []);
    for (const id of ['views.app', 'settings.authkit-app', 'settings.authkit-middleware', 'settings.authkit-backend', 'settings.login-url', 'urls.routes']) {
      assert.equal(outcome(second, id).status, 'done', id);
    }
  });
});

describe('projects that route the WorkOS names already', () => {
  const routed = (module: string) =>
    `from django.urls import path\n\nfrom . import ${module}\n\nurlpatterns = [\n    path("auth/login/", ${module}.login, name="workos_login"),\n    path("auth/callback/", ${module}.callback, name="workos_callback"),\n    path("auth/logout/", ${module}.logout, name="workos_logout"),\n    path("auth/me/", ${module}.me, name="workos_me"),\n    path("", ${module}.login),\n]\n`;

  test('the earlier layout (our auth_views.py routed) is kept: no app, no new settings, no new route', async () => {
    const earlier = '"""Login views generated by authkit-django."""\n\n\ndef login(request):\n    pass\n';
    const { root, result } = await plan({ ...PACKAGE, 'site_conf/urls.py': routed('auth_views'), 'site_conf/auth_views.py': earlier });
    const views = outcome(result, 'views.auth');
    assert.equal(views.status, 'done');
    assert.match(views.summary, /earlier layout is kept/);
    assert.ok(!result.changes.some(inApp));
    assert.ok(!result.outcomes.some((o) => o.id.startsWith('settings.authkit') || o.id === 'settings.login-url'));
    assert.equal(after(root, result, 'site_conf/urls.py'), undefined);
    assert.doesNotMatch(after(root, result, 'site_conf/settings.py') ?? '', /authkit|LOGIN_URL|AUTHENTICATION_BACKENDS/);
  });

  test('hand-written views of the project: done as they are, no app', async () => {
    const own = 'def login(request):\n    pass\n';
    const { result } = await plan({ ...PACKAGE, 'site_conf/urls.py': routed('accounts_views'), 'site_conf/accounts_views.py': own });
    assert.equal(outcome(result, 'views.auth').status, 'done');
    assert.match(outcome(result, 'views.auth').summary, /views of its own/);
    assert.ok(!result.changes.some(inApp));
    assert.equal(outcome(result, 'urls.routes').status, 'done');
  });
});
