/**
 * Upgrades of projects integrated by an earlier authkit-django. The earlier texts are the
 * ones shipped in upgrades/ (collected from this repository's history): a generated file
 * holding one of them is replaced by this version's text; one changed by hand is kept,
 * with a three-way view; the earlier auth_views.py layout becomes the app, its module
 * re-exporting the app's views. Plans only, plus one check that upgrades/ is complete.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { discover } from '../../src/discover/index.js';
import type { IntegrationOptions } from '../../src/integrate/context.js';
import { earlierTexts, isEarlierText } from '../../src/integrate/earlier-versions.js';
import { templateText } from '../../src/integrate/generated-file.js';
import { planIntegration, type IntegrationPlan } from '../../src/integrate/index.js';
import { loadPythonParser } from '../../src/python/parser.js';
import { packagePath } from '../../src/util/package-root.js';
import { tempDir } from '../helpers/django.js';
import { pythonSyntaxErrors } from '../helpers/python-ast.js';

before(async () => {
  await loadPythonParser();
});

const SETTINGS = `from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]

ROOT_URLCONF = "site_conf.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
    },
]
`;
// The earlier layout as init wrote it: the four routes to auth_views, the home page.
const EARLIER_URLS = `from django.urls import path

from . import auth_views, home_views

urlpatterns = [
    path("auth/login/", auth_views.login, name="workos_login"),
    path("auth/callback/", auth_views.callback, name="workos_callback"),
    path("auth/logout/", auth_views.logout, name="workos_logout"),
    path("auth/me/", auth_views.me, name="workos_me"),
    path("", home_views.home, name="home"),
]
`;
const OPTIONS: IntegrationOptions = { apiKey: 'sk_test_upgrade00000', clientId: 'client_upgrade', replaceExistingEnvValues: false };

type Files = Record<string, string>;

/** The newest earlier text of a template (upgrades/ lists them by digest: any will do, all are ours). */
const earliest = (template: string): string => {
  const texts = earlierTexts(template);
  assert.ok(texts.length > 0, `upgrades/ has no earlier text of ${template}`);
  return texts[0]!;
};

async function plan(files: Files): Promise<{ root: string; result: IntegrationPlan }> {
  const root = tempDir('authkit-upgrade-');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const model = await discover(root, { env: {}, probeInterpreter: false });
  return { root, result: planIntegration(model, OPTIONS) };
}

function earlierProject(overrides: Files = {}): Files {
  return {
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")\n',
    'site_conf/__init__.py': '',
    'site_conf/settings.py': SETTINGS,
    'site_conf/urls.py': EARLIER_URLS,
    'site_conf/auth_views.py': earliest('auth_views.py'),
    'site_conf/home_views.py': earliest('home_views.py'),
    'templates/home.html': earliest('home.html'),
    ...overrides,
  };
}

const after = (root: string, result: IntegrationPlan, path: string) => result.changes.find((c) => c.file === join(root, path))?.after;
const outcomeFor = (root: string, result: IntegrationPlan, path: string) => result.outcomes.find((o) => o.file === join(root, path));

describe('the earlier auth_views.py layout', () => {
  test('unchanged: it becomes the app, auth_views.py re-exports the views, the routes stay as they are', async () => {
    const { root, result } = await plan(earlierProject());
    const shim = after(root, result, 'site_conf/auth_views.py');
    assert.ok(shim, 'auth_views.py is not planned');
    assert.match(shim, /^from site_conf\.authkit\.views import callback, login, logout, me, organization$/m);
    assert.deepEqual(pythonSyntaxErrors([shim]), [null]);
    assert.equal(result.outcomes.find((o) => o.id === 'views.upgrade')?.status, 'change');
    assert.equal(result.outcomes.find((o) => o.id === 'views.app')?.status, 'create');
    // The four routes are left as they are (they reach the same functions through the shim).
    const urls = after(root, result, 'site_conf/urls.py') ?? '';
    assert.match(urls, /path\("auth\/login\/", auth_views\.login, name="workos_login"\)/);
    assert.match(urls, /name="workos_organization"/);
    assert.match(after(root, result, 'site_conf/settings.py') ?? '', /"site_conf\.authkit",/);
    assert.deepEqual(result.planned?.viewsMoved?.['site_conf.auth_views.login'], 'site_conf.authkit.views.login');
    // The home page's files, unchanged since generated, are upgraded to this version's.
    assert.equal(after(root, result, 'templates/home.html'), templateText('home.html'));
    assert.equal(after(root, result, 'site_conf/home_views.py'), templateText('home_views.py'));
  });

  test('changed by hand: the earlier layout is kept, nothing of the app is planned', async () => {
    const changed = earliest('auth_views.py').replace('Start the sign-in again.', 'Please start again.');
    assert.notEqual(changed, earliest('auth_views.py'), 'the test edit did not apply');
    const { root, result } = await plan(earlierProject({ 'site_conf/auth_views.py': changed }));
    const views = result.outcomes.find((o) => o.id === 'views.auth');
    assert.equal(views?.status, 'done');
    assert.match(views?.summary ?? '', /earlier layout is kept.*changed by hand/);
    assert.equal(after(root, result, 'site_conf/auth_views.py'), undefined);
    assert.ok(!result.changes.some((c) => c.file.includes(join('site_conf', 'authkit'))));
    // Without the app, the home page (which loads its template tags) is not upgraded either.
    assert.equal(after(root, result, 'templates/home.html'), undefined);
  });
});

describe('generated files changed by hand', () => {
  test('a hand-changed home.html is kept and gets a three-way view', async () => {
    const mine = earliest('home.html').replace('<title>Home</title>', '<title>My site</title>');
    const { root, result } = await plan(earlierProject({ 'templates/home.html': mine }));
    assert.equal(after(root, result, 'templates/home.html'), undefined);
    const kept = outcomeFor(root, result, 'templates/home.html');
    assert.equal(kept?.status, 'done');
    assert.match(kept?.summary ?? '', /changed by hand .*not upgraded/);
    const view = kept?.snippet ?? '';
    const [upstream, yours] = view.split('what you changed in');
    // What this version adds, against the text the file started as...
    assert.match(upstream!, /^\+.*\{% authkit_impersonation_banner %\}/m);
    assert.doesNotMatch(upstream!, /My site/);
    // ...and what its user changed.
    assert.match(yours!, /^-\s*<title>Home<\/title>$/m);
    assert.match(yours!, /^\+\s*<title>My site<\/title>$/m);
  });

  test('isEarlierText: every shipped earlier text is one, this version is not, CRLF checkouts still are', () => {
    for (const template of ['auth_views.py', 'home.html', 'home_views.py']) {
      for (const text of earlierTexts(template)) {
        assert.ok(isEarlierText(template, text));
        assert.ok(isEarlierText(template, text.replace(/\n/g, '\r\n')));
      }
    }
    assert.equal(isEarlierText('home.html', templateText('home.html')), false);
    assert.equal(isEarlierText('home.html', `${earliest('home.html')}\n`), false);
  });
});

describe('upgrades/', () => {
  test('holds every earlier text of every template in the history of this checkout', () => {
    const dirs = readdirSync(packagePath('upgrades'));
    assert.ok(dirs.includes('auth_views.py'));
    // HEAD, not main: CI runs on a clone whose branch may be named otherwise.
    const out = execFileSync(process.execPath, [packagePath('scripts', 'collect-earlier-templates.mjs'), '--check', 'HEAD'], { encoding: 'utf8' });
    assert.equal(out.trim(), '');
  });

  test('no earlier text is the current template (it would be "replaced" by itself)', () => {
    for (const template of ['home.html', 'home_views.py']) {
      for (const name of readdirSync(packagePath('upgrades', template))) {
        assert.notEqual(readFileSync(packagePath('upgrades', template, name), 'utf8'), templateText(template));
      }
    }
  });
});
