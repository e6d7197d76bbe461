/**
 * Each integration change on small inline projects: "adds it", "already there: no-op",
 * "unusual layout" and "refuses safely". Projects are written to a temp folder, read by
 * the real discovery, and planned (nothing is applied here: the plan's file contents and
 * step outcomes are what is checked).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { discover } from '../../src/discover/index.js';
import type { IntegrationOptions } from '../../src/integrate/context.js';
import { planIntegration, type IntegrationPlan } from '../../src/integrate/index.js';
import { EditRefused } from '../../src/python/checked-edit.js';
import { loadPythonParser } from '../../src/python/parser.js';
import { tempDir } from '../helpers/django.js';
import { pythonSyntaxErrors } from '../helpers/python-ast.js';

before(async () => {
  await loadPythonParser();
});

const MANAGE = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")\n';
const SETTINGS = `from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
]

ROOT_URLCONF = "site_conf.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
    },
]
`;
const URLS = 'from django.contrib import admin\nfrom django.urls import path\n\nurlpatterns = [\n    path("admin/", admin.site.urls),\n]\n';
const OPTIONS: IntegrationOptions = { apiKey: 'sk_test_steps0000000', clientId: 'client_steps', replaceExistingEnvValues: false };

type Files = Record<string, string>;

/** Writes a project (manage.py, site_conf/{__init__,settings,urls}.py unless overridden) and plans it. */
async function plan(files: Files = {}, options: Partial<IntegrationOptions> = {}): Promise<{ root: string; result: IntegrationPlan }> {
  const root = tempDir('authkit-steps-');
  const all: Files = {
    'manage.py': MANAGE,
    'site_conf/__init__.py': '',
    'site_conf/settings.py': SETTINGS,
    'site_conf/urls.py': URLS,
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    if (text === null) continue;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const model = await discover(root, { env: {}, probeInterpreter: false });
  return { root, result: planIntegration(model, { ...OPTIONS, ...options }) };
}

function after(root: string, result: IntegrationPlan, path: string): string | undefined {
  return result.changes.find((c) => c.file === join(root, path))?.after;
}

function outcome(result: IntegrationPlan, id: string) {
  const found = result.outcomes.find((o) => o.id === id);
  assert.ok(found, `no outcome ${id} in ${result.outcomes.map((o) => o.id).join(', ')}`);
  return found;
}

function assertValidPython(...sources: (string | undefined)[]): void {
  const list = sources.filter((s): s is string => s !== undefined);
  assert.deepEqual(pythonSyntaxErrors(list), list.map(() => null));
}

describe('settings: sessions app', () => {
  test('adds it after contenttypes', async () => {
    const settings = SETTINGS.replace('    "django.contrib.sessions",\n', '');
    const { root, result } = await plan({ 'site_conf/settings.py': settings });
    assert.equal(outcome(result, 'settings.sessions-app').status, 'change');
    assert.match(after(root, result, 'site_conf/settings.py')!, /"django\.contrib\.contenttypes",\n {4}"django\.contrib\.sessions",\n {4}"site_conf\.authkit",\n\]/);
  });

  test('already there: no-op', async () => {
    const { result } = await plan();
    assert.equal(outcome(result, 'settings.sessions-app').status, 'done');
  });

  test("unusual layout: DJANGO_APPS + LOCAL_APPS gets Django's sessions app in the Django part, the authkit app in the local one", async () => {
    const settings = SETTINGS.replace(
      /INSTALLED_APPS = \[[^\]]*\]/,
      'DJANGO_APPS = [\n    "django.contrib.auth",\n    "django.contrib.contenttypes",\n]\nLOCAL_APPS = ["blog"]\nINSTALLED_APPS = DJANGO_APPS + LOCAL_APPS',
    );
    const { root, result } = await plan({ 'site_conf/settings.py': settings });
    assert.equal(outcome(result, 'settings.sessions-app').status, 'change');
    const text = after(root, result, 'site_conf/settings.py')!;
    assert.match(text, /DJANGO_APPS = \[\n {4}"django\.contrib\.auth",\n {4}"django\.contrib\.contenttypes",\n {4}"django\.contrib\.sessions",\n\]/);
    assert.match(text, /LOCAL_APPS = \["blog", "site_conf\.authkit"\]/);
    // Both parts are settings too: the check before writing allows exactly these additions.
    assert.deepEqual(result.planned?.listAdditions.LOCAL_APPS, ['site_conf.authkit']);
    assert.deepEqual(result.planned?.listAdditions.DJANGO_APPS, ['django.contrib.sessions']);
  });

  test('a one-line list stays on its line, long or not: edits only insert', async () => {
    const settings = `${SETTINGS}\nAUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]\n`;
    const { root, result } = await plan({ 'site_conf/settings.py': settings });
    assert.equal(outcome(result, 'settings.authkit-backend').status, 'change');
    assert.match(after(root, result, 'site_conf/settings.py')!, /^AUTHENTICATION_BACKENDS = \["django\.contrib\.auth\.backends\.ModelBackend", "site_conf\.authkit\.backends\.WorkOSBackend"\]$/m);
  });

  test("LOGIN_URL goes beside the project's LOGIN_REDIRECT_URL, not at the end", async () => {
    const settings = SETTINGS.replace(/\n$/, '') + '\n\nLOGIN_REDIRECT_URL = "/"\n\nTIME_ZONE = "UTC"\n';
    const { root, result } = await plan({ 'site_conf/settings.py': settings });
    assert.equal(outcome(result, 'settings.login-url').status, 'change');
    const text = after(root, result, 'site_conf/settings.py')!;
    assert.match(text, /\nLOGIN_REDIRECT_URL = "\/"\n# WorkOS AuthKit: @login_required sends visitors to the WorkOS login\.\nLOGIN_URL = "workos_login"\n\nTIME_ZONE = "UTC"\n/);
    assert.equal(text.match(/LOGIN_URL = /g)?.length, 1);
  });

  test('a one-line list the entry still fits stays on its line', async () => {
    const settings = `${SETTINGS}\nAUTHENTICATION_BACKENDS = ["a.B"]\n`;
    const { root, result } = await plan({ 'site_conf/settings.py': settings });
    assert.match(after(root, result, 'site_conf/settings.py')!, /^AUTHENTICATION_BACKENDS = \["a\.B", "site_conf\.authkit\.backends\.WorkOSBackend"\]$/m);
  });

  test('refuses safely: INSTALLED_APPS built by a function becomes a manual step with its line', async () => {
    const settings = SETTINGS.replace(/INSTALLED_APPS = \[[^\]]*\]/, 'def apps():\n    return ["django.contrib.auth"]\n\n\nINSTALLED_APPS = apps()');
    const { result } = await plan({ 'site_conf/settings.py': settings });
    const step = outcome(result, 'settings.sessions-app');
    assert.equal(step.status, 'manual');
    assert.equal(step.line, settings.split('\n').findIndex((l) => l.startsWith('INSTALLED_APPS')) + 1);
    assert.match(step.snippet ?? '', /INSTALLED_APPS \+= \['django\.contrib\.sessions'\]/);
  });
});

describe('settings: SessionMiddleware', () => {
  test('adds it right after SecurityMiddleware', async () => {
    const settings = SETTINGS.replace('    "django.contrib.sessions.middleware.SessionMiddleware",\n', '    "django.middleware.common.CommonMiddleware",\n');
    const { root, result } = await plan({ 'site_conf/settings.py': settings });
    assert.match(
      after(root, result, 'site_conf/settings.py')!,
      /"django\.middleware\.security\.SecurityMiddleware",\n {4}"django\.contrib\.sessions\.middleware\.SessionMiddleware",\n {4}"site_conf\.authkit\.middleware\.AuthKitMiddleware",\n {4}"django\.middleware\.common\.CommonMiddleware",/,
    );
  });

  test('unusual layout: a tuple without SecurityMiddleware gets it first, single quotes kept', async () => {
    const settings = SETTINGS.replace(/MIDDLEWARE = \[[^\]]*\]/, "MIDDLEWARE = (\n    'django.middleware.common.CommonMiddleware',\n)");
    const { root, result } = await plan({ 'site_conf/settings.py': settings });
    assert.match(after(root, result, 'site_conf/settings.py')!, /MIDDLEWARE = \(\n {4}'django\.contrib\.sessions\.middleware\.SessionMiddleware',\n {4}'site_conf\.authkit\.middleware\.AuthKitMiddleware',\n {4}'django\.middleware\.common\.CommonMiddleware',\n\)/);
  });

  test('a project subclass of SessionMiddleware counts as there', async () => {
    const settings = SETTINGS.replace('"django.contrib.sessions.middleware.SessionMiddleware"', '"site_conf.middleware.Sessions"');
    const { result } = await plan({
      'site_conf/settings.py': settings,
      'site_conf/middleware.py': 'from django.contrib.sessions.middleware import SessionMiddleware\n\n\nclass Sessions(SessionMiddleware):\n    pass\n',
    });
    assert.equal(outcome(result, 'settings.session-middleware').status, 'done');
  });
});

describe('settings: load_dotenv and the WorkOS settings', () => {
  test('adds the imports, load_dotenv after BASE_DIR and the keys at the end', async () => {
    const { root, result } = await plan();
    const text = after(root, result, 'site_conf/settings.py')!;
    assert.match(text, /^import os\nfrom pathlib import Path\n\nfrom dotenv import load_dotenv\n\nBASE_DIR = Path\(__file__\)\.resolve\(\)\.parent\.parent\n\nload_dotenv\(BASE_DIR \/ "\.env"\)\n/);
    assert.match(text, /\nWORKOS_API_KEY = os\.environ\.get\("WORKOS_API_KEY", ""\)\nWORKOS_CLIENT_ID = os\.environ\.get\("WORKOS_CLIENT_ID", ""\)\n\n# WorkOS AuthKit: Django's default backend/);
    assertValidPython(text);
  });

  test('already there: load_dotenv in another file of the chain and the keys set -> nothing', async () => {
    const settings = `import os\n\nfrom dotenv import load_dotenv\n\n${SETTINGS}\nload_dotenv()\nWORKOS_API_KEY = os.environ["WORKOS_API_KEY"]\nWORKOS_CLIENT_ID = os.environ["WORKOS_CLIENT_ID"]\n`;
    const { result } = await plan({ 'site_conf/settings.py': settings });
    for (const id of ['settings.load-dotenv', 'settings.workos_api_key', 'settings.workos_client_id']) assert.equal(outcome(result, id).status, 'done', id);
  });

  test('unusual layout: the keys go before a trailing local-settings import; os.path BASE_DIR', async () => {
    const settings = `import os\n\nBASE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))\n${SETTINGS.split('\n').slice(3).join('\n')}\ntry:\n    from .local import *  # noqa\nexcept ImportError:\n    pass\n`;
    const { root, result } = await plan({ 'site_conf/settings.py': settings });
    const text = after(root, result, 'site_conf/settings.py')!;
    assert.match(text, /load_dotenv\(os\.path\.join\(BASE_DIR, "\.env"\)\)/);
    // The app's settings too: the local settings keep the last word.
    assert.match(text, /WORKOS_CLIENT_ID = os\.environ\.get\("WORKOS_CLIENT_ID", ""\)\n\n# WorkOS AuthKit: Django's default backend[^]*\nLOGIN_URL = "workos_login"\n\ntry:\n {4}from \.local import \*/);
    assertValidPython(text);
  });

  test('unusual layout: load_dotenv imported below BASE_DIR: the added load goes below that import', async () => {
    const settings = SETTINGS.replace('BASE_DIR = Path(__file__).resolve().parent.parent\n', 'BASE_DIR = Path(__file__).resolve().parent.parent\n\nimport os\nfrom dotenv import load_dotenv\n');
    const { root, result } = await plan({ 'site_conf/settings.py': settings });
    const text = after(root, result, 'site_conf/settings.py')!;
    assert.match(text, /\nfrom dotenv import load_dotenv\n\nload_dotenv\(BASE_DIR \/ "\.env"\)\n/);
    assert.equal((text.match(/^from dotenv import load_dotenv$/gm) ?? []).length, 1);
    assertValidPython(text);
  });

  test('unusual layout: os imported only below a trailing local-settings import: the keys go below it', async () => {
    const settings = `${SETTINGS}\ntry:\n    from .local import *  # noqa\nexcept ImportError:\n    pass\n\nimport os\n`;
    const { root, result } = await plan({ 'site_conf/settings.py': settings });
    const text = after(root, result, 'site_conf/settings.py')!;
    assert.match(text, /\nimport os\n\n# WorkOS AuthKit: credentials come from the environment \(the \.env file in development\)\.\nWORKOS_API_KEY = os\.environ\.get/);
    assertValidPython(text);
  });

  test('refuses safely: a settings file with a syntax error stops the plan, naming the line', async () => {
    await assert.rejects(
      plan({ 'site_conf/settings.py': `${SETTINGS}\nDEBUG = (\n` }),
      (error: unknown) => error instanceof EditRefused && /syntax error at line/.test(error.message),
    );
  });
});

describe('.env', () => {
  test('merges: lines, comments and order kept; CRLF kept (a .env the settings load already)', async () => {
    const env = '# local\r\nDEBUG=1\r\nexport OTHER="x"\r\n';
    const loads = `from dotenv import load_dotenv\n\nload_dotenv()\n${SETTINGS}`;
    const { root, result } = await plan({ '.env': env, 'site_conf/settings.py': loads });
    assert.equal(after(root, result, '.env'), `${env}\r\n# WorkOS AuthKit\r\nWORKOS_API_KEY=sk_test_steps0000000\r\nWORKOS_CLIENT_ID=client_steps\r\n`);
  });

  test('already there with the same values: no-op', async () => {
    const { root, result } = await plan({ '.env': 'WORKOS_API_KEY=sk_test_steps0000000\nWORKOS_CLIENT_ID="client_steps"\n' });
    assert.equal(after(root, result, '.env'), undefined);
    assert.equal(outcome(result, 'env.workos_api_key').status, 'done');
  });

  test('a different existing value is kept unless replacing was asked for; quoting kept when replaced', async () => {
    const files = { '.env': "export WORKOS_API_KEY='sk_test_other000000'\nWORKOS_CLIENT_ID=client_steps\n" };
    const kept = await plan(files);
    assert.equal(after(kept.root, kept.result, '.env'), undefined);
    assert.match(outcome(kept.result, 'env.workos_api_key').note ?? '', /kept the existing value/);
    const replaced = await plan(files, { replaceExistingEnvValues: true });
    assert.equal(after(replaced.root, replaced.result, '.env'), "export WORKOS_API_KEY='sk_test_steps0000000'\nWORKOS_CLIENT_ID=client_steps\n");
  });

  test('no value given: a manual step, and nothing in the plan shows a value', async () => {
    const { result } = await plan({}, { apiKey: undefined, clientId: undefined });
    assert.equal(outcome(result, 'env.workos_api_key').status, 'manual');
    assert.doesNotMatch(JSON.stringify(result.outcomes), /sk_test_steps/);
  });
});

describe('.gitignore', () => {
  test('adds .env in a git repository that does not ignore it, and not when it does', async () => {
    const root = tempDir('authkit-steps-git-');
    spawnSync('git', ['init', '-q'], { cwd: root });
    for (const [path, text] of Object.entries({ 'manage.py': MANAGE, 'site_conf/__init__.py': '', 'site_conf/settings.py': SETTINGS, 'site_conf/urls.py': URLS, '.gitignore': 'node_modules/' })) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const model = await discover(root, { env: {}, probeInterpreter: false });
    const first = planIntegration(model, OPTIONS);
    assert.equal(first.changes.find((c) => c.file === join(root, '.gitignore'))?.after, 'node_modules/\n.env\n');
    writeFileSync(join(root, '.gitignore'), 'node_modules/\n*.env\n.env\n');
    const second = planIntegration(await discover(root, { env: {}, probeInterpreter: false }), OPTIONS);
    assert.equal(outcome(second, 'gitignore.env').status, 'done');
  });
});

describe('urls', () => {
  test('adds the routes, path import and views import', async () => {
    const { root, result } = await plan();
    const text = after(root, result, 'site_conf/urls.py')!;
    assert.equal(
      text,
      'from django.contrib import admin\nfrom django.urls import path\n\nfrom . import home_views\nfrom .authkit import views as authkit_views\n\nurlpatterns = [\n    path("admin/", admin.site.urls),\n    path("auth/login/", authkit_views.login, name="workos_login"),\n    path("auth/callback/", authkit_views.callback, name="workos_callback"),\n    path("auth/logout/", authkit_views.logout, name="workos_logout"),\n    path("auth/me/", authkit_views.me, name="workos_me"),\n    path("auth/organization/", authkit_views.organization, name="workos_organization"),\n    path("", home_views.home, name="home"),\n]\n',
    );
  });

  test('routes go before a catch-all include, a missing path import joins the existing one', async () => {
    const urls = 'from django.urls import include, re_path\n\nurlpatterns = [\n    re_path(r"^api/", include("api.urls")),\n    re_path(r"^", include("cms.urls")),\n]\n';
    const { root, result } = await plan({ 'site_conf/urls.py': urls });
    const text = after(root, result, 'site_conf/urls.py')!;
    assert.match(text, /^from django\.urls import include, path, re_path\n/);
    assert.match(text, /include\("api\.urls"\)\),\n {4}path\("auth\/login\/"[^\n]*\n[^\n]*\n[^\n]*workos_logout"\),\n[^\n]*workos_me"\),\n[^\n]*workos_organization"\),\n {4}re_path\(r"\^", include\("cms\.urls"\)\),/);
    // "/" may be served by the CMS include, which cannot be read: the home page is left alone.
    assert.equal(outcome(result, 'home.snippet').status, 'done');
    assertValidPython(text);
  });

  test('unusual layout: auth/ taken by another system -> auth/workos/; authkit_views name taken -> an alias', async () => {
    const urls = 'from django.contrib.auth import views as authkit_views\nfrom django.urls import include, path\n\nurlpatterns = [\n    path("auth/", include("django.contrib.auth.urls")),\n    path("login/", authkit_views.LoginView.as_view()),\n]\n';
    const { root, result } = await plan({ 'site_conf/urls.py': urls });
    const text = after(root, result, 'site_conf/urls.py')!;
    assert.match(text, /^from \.authkit import views as workos_authkit_views$/m);
    assert.match(text, /path\("auth\/workos\/login\/", workos_authkit_views\.login, name="workos_login"\)/);
    assert.match(outcome(result, 'urls.routes').note ?? '', /auth\/workos\//);
  });

  test('already routed by name (partial): only the missing routes are added', async () => {
    const urls = 'from django.urls import path\n\nfrom . import auth_views\n\nurlpatterns = [\n    path("auth/login/", auth_views.login, name="workos_login"),\n    path("", auth_views.login),\n]\n';
    const { root, result } = await plan({ 'site_conf/urls.py': urls });
    const text = after(root, result, 'site_conf/urls.py')!;
    assert.equal((text.match(/workos_login/g) ?? []).length, 1);
    assert.match(text, /name="workos_login"\),\n {4}path\("auth\/callback\/", authkit_views\.callback, name="workos_callback"\),\n {4}path\("auth\/logout\/", authkit_views\.logout, name="workos_logout"\),\n {4}path\("auth\/me\/", authkit_views\.me, name="workos_me"\),\n {4}path\("auth\/organization\/", authkit_views\.organization, name="workos_organization"\),\n {4}path\("", auth_views\.login\),/);
  });

  test('refuses safely: urlpatterns = i18n_patterns(...) alone is a manual step', async () => {
    const urls = 'from django.conf.urls.i18n import i18n_patterns\nfrom django.urls import path\n\nurlpatterns = i18n_patterns(path("about/", lambda r: None))\n';
    const { root, result } = await plan({ 'site_conf/urls.py': urls });
    assert.equal(outcome(result, 'urls.routes').status, 'manual');
    assert.equal(outcome(result, 'urls.routes').line, 4);
    assert.equal(after(root, result, 'site_conf/urls.py'), undefined);
  });
});

describe('generated files and the home page', () => {
  test('an authkit/ package that is not ours is never overwritten: one manual step, --views the way out', async () => {
    const { root, result } = await plan({ 'site_conf/authkit/__init__.py': '', 'site_conf/authkit/views.py': 'def login(request):\n    pass\n' });
    const step = outcome(result, 'views.app');
    assert.equal(step.status, 'manual');
    assert.match(step.summary, /site_conf\/authkit\/ already exists and is not authkit-django's/);
    assert.match(step.snippet ?? '', /--views/);
    assert.equal(after(root, result, 'site_conf/authkit/views.py'), undefined);
    assert.equal(outcome(result, 'urls.routes').status, 'manual');
    // No app, so none of its settings either.
    assert.ok(!result.outcomes.some((o) => o.id === 'settings.authkit-app'));
  });

  test('a module authkit.py beside the urls is never shadowed: one manual step', async () => {
    const { result } = await plan({ 'site_conf/authkit.py': 'X = 1\n' });
    assert.equal(outcome(result, 'views.app').status, 'manual');
    assert.equal(result.changes.filter((c) => c.file.includes(`${join('site_conf', 'authkit')}`)).length, 0);
  });

  test('home: an existing DIRS entry is used as it is', async () => {
    const settings = SETTINGS.replace('"DIRS": []', '"DIRS": [BASE_DIR / "site_templates"]');
    const { root, result } = await plan({ 'site_conf/settings.py': settings });
    assert.ok(result.changes.some((c) => c.file === join(root, 'site_templates', 'home.html')));
    assert.doesNotMatch(after(root, result, 'site_conf/settings.py')!, /"templates"/);
  });

  test('home: BASE_DIR assigned only below TEMPLATES is not used inside it', async () => {
    const settings = SETTINGS.replace('BASE_DIR = Path(__file__).resolve().parent.parent\n', '') + '\nBASE_DIR = Path(__file__).resolve().parent.parent\n';
    const { root, result } = await plan({ 'site_conf/settings.py': settings });
    const text = after(root, result, 'site_conf/settings.py')!;
    assert.match(text, /"DIRS": \[Path\(__file__\)\.resolve\(\)\.parents\[1\] \/ "templates"\]/);
    assertValidPython(text);
  });

  test('home: refuses safely when the path it would add reads a name imported only below TEMPLATES', async () => {
    const settings = SETTINGS.replace('from pathlib import Path\n\nBASE_DIR = Path(__file__).resolve().parent.parent\n', '') + '\nfrom pathlib import Path\n';
    const { result } = await plan({ 'site_conf/settings.py': settings });
    const step = outcome(result, 'home.template-dirs');
    assert.equal(step.status, 'manual');
    assert.match(step.reason ?? '', /bound only below TEMPLATES/);
  });

  test('home: an app included at "" that serves "" is the home page: left alone, snippet offered', async () => {
    const urls = 'from django.urls import include, path\n\nurlpatterns = [\n    path("", include("pages.urls")),\n]\n';
    const { result } = await plan({
      'site_conf/urls.py': urls,
      'pages/__init__.py': '',
      'pages/urls.py': 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [path("", views.index)]\n',
    });
    const home = outcome(result, 'home.snippet');
    assert.match(home.snippet ?? '', /workos_logout/);
    assert.ok(!result.outcomes.some((o) => o.id === 'home.view'));
  });
});

describe('options', () => {
  test('--redirect-uri: set once in settings; the same value again is a no-op; another value is left to the user', async () => {
    const uri = 'https://shop.example.com/auth/callback/';
    const first = await plan({}, { redirectUri: uri });
    const text = after(first.root, first.result, 'site_conf/settings.py')!;
    assert.match(text, /WORKOS_CLIENT_ID = os\.environ\.get\("WORKOS_CLIENT_ID", ""\)\nWORKOS_REDIRECT_URI = "https:\/\/shop\.example\.com\/auth\/callback\/"\n\n# WorkOS AuthKit: Django's default backend/);
    const same = await plan({ 'site_conf/settings.py': `${SETTINGS}\nWORKOS_REDIRECT_URI = "${uri}"\n` }, { redirectUri: uri });
    assert.equal(outcome(same.result, 'settings.workos_redirect_uri').status, 'done');
    const other = await plan({ 'site_conf/settings.py': `${SETTINGS}\nWORKOS_REDIRECT_URI = "https://old.example.com/cb/"\n` }, { redirectUri: uri });
    const step = outcome(other.result, 'settings.workos_redirect_uri');
    assert.equal(step.status, 'manual');
    assert.doesNotMatch(after(other.root, other.result, 'site_conf/settings.py') ?? '', /shop\.example\.com/);
  });

  test('--views: the views go to the folder named, and urls.py imports them from there', async () => {
    const root = tempDir('authkit-steps-views-');
    for (const [path, text] of Object.entries({ 'manage.py': MANAGE, 'site_conf/__init__.py': '', 'site_conf/settings.py': SETTINGS, 'site_conf/urls.py': URLS, 'accounts/__init__.py': '' })) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const model = await discover(root, { env: {}, probeInterpreter: false });
    const result = planIntegration(model, { ...OPTIONS, viewsDir: join(root, 'accounts') });
    assert.ok(result.changes.some((c) => c.file === join(root, 'accounts', 'authkit', 'views.py')));
    assert.match(after(root, result, 'site_conf/urls.py')!, /^from accounts import home_views$/m);
    assert.match(after(root, result, 'site_conf/urls.py')!, /^from accounts\.authkit import views as authkit_views$/m);
    assert.match(after(root, result, 'site_conf/settings.py')!, /"accounts\.authkit",\n\]/);
  });
});

describe('.env that the settings do not load', () => {
  test('has other keys: ours go to a new .env.workos, loaded on its own; the .env is left alone', async () => {
    const { root, result } = await plan({ '.env': 'DEBUG=1\nSECRET_KEY=dev\n' });
    assert.equal(after(root, result, '.env'), undefined);
    assert.match(after(root, result, '.env.workos') ?? '', /^# WorkOS AuthKit\nWORKOS_API_KEY=/);
    assert.match(after(root, result, 'site_conf/settings.py') ?? '', /load_dotenv\(BASE_DIR \/ "\.env\.workos"\)/);
  });
});
