/**
 * Where the WorkOS routes go (src/integrate/urls.ts), for each placement the check before
 * writing may ask for, and what static reading decides on its own: a list rebuilt later
 * is not the one to add to; a home route is not added beside a variable-prefix include;
 * facts from the project's own Python (what serves "/", the template folders) win; a
 * one-line list is never made longer than the file's lines; our imports never join the
 * project's import lines.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { before, describe, test } from 'node:test';
import { discover } from '../../src/discover/index.js';
import type { IntegrationOptions } from '../../src/integrate/context.js';
import { planIntegration, type IntegrationPlan } from '../../src/integrate/index.js';
import { loadPythonParser } from '../../src/python/parser.js';
import { tempDir } from '../helpers/django.js';
import { pythonSyntaxErrors } from '../helpers/python-ast.js';
import { onlyAddsLines } from '../helpers/lines.js';

before(async () => {
  await loadPythonParser();
});

const SETTINGS = `from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
INSTALLED_APPS = ["django.contrib.sessions"]
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
ROOT_URLCONF = "site_conf.urls"
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True}]
`;
const WRAPPED = `from django.conf import settings
from django.urls import include, path

from site_conf import views

urlpatterns = [
    path("", views.index, name="index"),
]

urlpatterns = [
    path(settings.URL_PREFIX, include((urlpatterns, "site"), namespace="site")),
]
`;

async function plan(urls: string, options: Partial<IntegrationOptions> = {}, extra: Record<string, string> = {}): Promise<{ root: string; result: IntegrationPlan }> {
  const root = tempDir('authkit-placement-');
  const files: Record<string, string> = {
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")\n',
    'site_conf/__init__.py': '',
    'site_conf/settings.py': SETTINGS,
    'site_conf/urls.py': urls,
    ...extra,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const model = await discover(root, { env: {}, probeInterpreter: false });
  return { root, result: planIntegration(model, { apiKey: 'sk_test_placement000', clientId: 'client_p', replaceExistingEnvValues: false, ...options }) };
}

const urlsAfter = (root: string, result: IntegrationPlan) => result.changes.find((c) => c.file === join(root, 'site_conf', 'urls.py'))?.after;
const routes = (result: IntegrationPlan) => result.outcomes.find((o) => o.id === 'urls.routes')!;

describe('route placement', () => {
  test('a list rebuilt later: the routes go into the final list, the first is untouched', async () => {
    const { root, result } = await plan(WRAPPED);
    const text = urlsAfter(root, result)!;
    assert.ok(text.includes('urlpatterns = [\n    path("", views.index, name="index"),\n]\n'), text);
    assert.match(text, /namespace="site"\)\),\n {4}path\("auth\/login\/", authkit_views\.login, name="workos_login"\),/);
    assert.match(routes(result).summary, /final urlpatterns list/);
    assert.deepEqual(pythonSyntaxErrors([text]), [null]);
  });

  test('append: urlpatterns += [...] after the last assignment, in the file\'s indentation', async () => {
    const { root, result } = await plan(WRAPPED, { urlPlacement: 'append' });
    const text = urlsAfter(root, result)!;
    assert.ok(
      text.endsWith(']\n\nurlpatterns += [\n    path("auth/login/", authkit_views.login, name="workos_login"),\n    path("auth/callback/", authkit_views.callback, name="workos_callback"),\n    path("auth/logout/", authkit_views.logout, name="workos_logout"),\n    path("auth/me/", authkit_views.me, name="workos_me"),\n    path("auth/organization/", authkit_views.organization, name="workos_organization"),\n]\n'),
      text,
    );
    assert.deepEqual(pythonSyntaxErrors([text]), [null]);
  });

  test('a list that is not rebuilt: default placement stays the first list', async () => {
    const urls = 'from django.urls import path\n\nurlpatterns = [\n    path("a/", lambda r: None),\n]\n\nif True:\n    urlpatterns += []\n';
    const { root, result } = await plan(urls);
    assert.match(urlsAfter(root, result)!, /path\("a\/", lambda r: None\),\n {4}path\("auth\/login\/"/);
  });

  test('manual: nothing written to urls.py; the reason and the snippet are given', async () => {
    const { root, result } = await plan(WRAPPED, { urlPlacement: 'manual', urlManualReason: 'every placement namespaced the routes' });
    assert.equal(urlsAfter(root, result), undefined);
    const step = routes(result);
    assert.equal(step.status, 'manual');
    assert.equal(step.reason, 'every placement namespaced the routes');
    // Pasted as it is, it runs: the imports its routes use come first.
    assert.match(step.snippet ?? '', /^from django\.urls import path\nfrom \S+ import views as authkit_views\n\nurlpatterns \+= \[\n {4}path\('auth\/login\/'/);
  });
});

// Shaped like a project that namespaces its own pages in a one-line list, then adds
// un-namespaced ones in a closing block.
const ONE_LINE_WRAP = `from django.urls import include, path

from site_conf import views

urlpatterns = [
    path("", views.index, name="index"),
]
urlpatterns = [path("", include((urlpatterns, "site")))]

# Outside the namespace.
urlpatterns += [
    path("signin/", views.signin, name="signin"),
]
`;
const ONE_LINE_FINAL = `from django.urls import include, path

from site_conf import views

urlpatterns = [
    path("", views.index, name="index"),
]
urlpatterns = [path("", include((urlpatterns, "site")))]
`;

const longest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));

describe('one-line lists keep the file\'s line length', () => {
  test('the final list is one line and a urlpatterns += [...] block closes the file: the routes join that block', async () => {
    const { root, result } = await plan(ONE_LINE_WRAP);
    const text = urlsAfter(root, result)!;
    assert.ok(onlyAddsLines(ONE_LINE_WRAP, text), text);
    assert.ok(text.includes('urlpatterns = [path("", include((urlpatterns, "site")))]\n'), text);
    assert.match(text, /name="signin"\),\n {4}path\("auth\/login\/", authkit_views\.login, name="workos_login"\),\n {4}path\("auth\/callback\/"/);
    assert.ok(longest(text) <= 88, text);
    assert.match(routes(result).summary, /urlpatterns \+= \[\.\.\.\] list after the last assignment/);
    assert.deepEqual(pythonSyntaxErrors([text]), [null]);
  });

  test('the final list is one line, nothing after it: a block of our own after it; final-list lays that list out one per line', async () => {
    const { root, result } = await plan(ONE_LINE_FINAL);
    const text = urlsAfter(root, result)!;
    assert.ok(onlyAddsLines(ONE_LINE_FINAL, text), text);
    assert.ok(text.includes('urlpatterns = [path("", include((urlpatterns, "site")))]\n\nurlpatterns += [\n    path("auth/login/"'), text);
    assert.ok(longest(text) <= 88, text);

    const spread = await plan(ONE_LINE_FINAL, { urlPlacement: 'final-list' });
    const laid = urlsAfter(spread.root, spread.result)!;
    assert.ok(
      laid.includes(
        'urlpatterns = [\n    path("auth/login/", authkit_views.login, name="workos_login"),\n    path("auth/callback/", authkit_views.callback, name="workos_callback"),\n    path("auth/logout/", authkit_views.logout, name="workos_logout"),\n    path("auth/me/", authkit_views.me, name="workos_me"),\n    path("auth/organization/", authkit_views.organization, name="workos_organization"),\n    path("", include((urlpatterns, "site"))),\n]\n',
      ),
      laid,
    );
    assert.ok(longest(laid) <= 88, laid);
    assert.deepEqual(pythonSyntaxErrors([laid]), [null]);
  });

  test('a one-line first list: its line is left alone, the routes go in a block after it', async () => {
    const urls = 'from django.urls import path\n\nfrom site_conf import views\n\nurlpatterns = [path("", views.index, name="index"), path("about/", views.about)]\n';
    const { root, result } = await plan(urls);
    const text = urlsAfter(root, result)!;
    assert.ok(onlyAddsLines(urls, text), text);
    assert.ok(text.endsWith('views.about)]\n\nurlpatterns += [\n    path("auth/login/", authkit_views.login, name="workos_login"),\n    path("auth/callback/", authkit_views.callback, name="workos_callback"),\n    path("auth/logout/", authkit_views.logout, name="workos_logout"),\n    path("auth/me/", authkit_views.me, name="workos_me"),\n    path("auth/organization/", authkit_views.organization, name="workos_organization"),\n]\n'), text);
  });

  test('a one-line first list with a catch-all: laid out one per line, the routes before the catch-all', async () => {
    const urls = "from django.urls import include, path\n\nurlpatterns = [path('admin/', include('a.urls')), path('', include('cms.urls'))]\n";
    const { root, result } = await plan(urls);
    const text = urlsAfter(root, result)!;
    assert.ok(text.includes("urlpatterns = [\n    path('admin/', include('a.urls')),\n    path('auth/login/', authkit_views.login, name='workos_login'),\n"), text);
    assert.ok(text.includes("    path('auth/me/', authkit_views.me, name='workos_me'),\n    path('auth/organization/', authkit_views.organization, name='workos_organization'),\n    path('', include('cms.urls')),\n]\n"), text);
    assert.ok(longest(text) <= 88, text);
  });

  test('urlpatterns = [] becomes a list of one route per line', async () => {
    const urls = 'from django.urls import path\n\nurlpatterns = []\n';
    const { root, result } = await plan(urls, { projectFacts: { homeServed: true, homeView: 'x.y', templateDirs: [] } });
    const text = urlsAfter(root, result)!;
    assert.ok(text.endsWith("urlpatterns = [\n    path('auth/login/', authkit_views.login, name='workos_login'),\n    path('auth/callback/', authkit_views.callback, name='workos_callback'),\n    path('auth/logout/', authkit_views.logout, name='workos_logout'),\n    path('auth/me/', authkit_views.me, name='workos_me'),\n    path('auth/organization/', authkit_views.organization, name='workos_organization'),\n]\n"), text);
  });

  test('a file that already has long lines keeps its one-line list one line', async () => {
    const long = `# ${'x'.repeat(400)}\n`;
    const urls = `${long}from django.urls import path\n\nurlpatterns = [path("a/", lambda r: None)]\n`;
    const { root, result } = await plan(urls, { projectFacts: { homeServed: true, homeView: 'x.y', templateDirs: [] } });
    const text = urlsAfter(root, result)!;
    assert.match(text, /^urlpatterns = \[path\("a\/", lambda r: None\), path\("auth\/login\/".*name="workos_organization"\)\]$/m);
  });

  test('append with a closing multi-line urlpatterns += [...]: the routes join it', async () => {
    const urls = 'from django.urls import path\n\nurlpatterns = [\n    path("a/", lambda r: None),\n]\nurlpatterns += [\n    path("b/", lambda r: None),\n]\n';
    const { root, result } = await plan(urls, { urlPlacement: 'append', projectFacts: { homeServed: true, homeView: 'x.y', templateDirs: [] } });
    const text = urlsAfter(root, result)!;
    assert.ok(text.endsWith('urlpatterns += [\n    path("b/", lambda r: None),\n    path("auth/login/", authkit_views.login, name="workos_login"),\n    path("auth/callback/", authkit_views.callback, name="workos_callback"),\n    path("auth/logout/", authkit_views.logout, name="workos_logout"),\n    path("auth/me/", authkit_views.me, name="workos_me"),\n    path("auth/organization/", authkit_views.organization, name="workos_organization"),\n]\n'), text);
  });
});

describe('imports of our views modules', () => {
  test('`from . import views` stays byte for byte; ours is a line of its own after it, aliased on a clash', async () => {
    const urls = 'from django.contrib.auth import views as authkit_views\nfrom django.urls import path\n\nfrom . import views\n\nurlpatterns = [\n    path("members/", views.members),\n    path("pw/", authkit_views.PasswordChangeView.as_view()),\n]\n';
    const { root, result } = await plan(urls, { projectFacts: { homeServed: false, homeView: null, templateDirs: [] } });
    const text = urlsAfter(root, result)!;
    assert.ok(text.startsWith('from django.contrib.auth import views as authkit_views\nfrom django.urls import path\n\nfrom . import views\nfrom . import home_views\nfrom .authkit import views as workos_authkit_views\n\nurlpatterns'), text);
    assert.match(text, /path\("auth\/login\/", workos_authkit_views\.login, name="workos_login"\)/);
    assert.match(text, /path\("", home_views\.home, name="home"\)/);
  });

  test('`from pkg import views` (the views folder is not the urls package) stays as it was', async () => {
    const settings = SETTINGS.replace('ROOT_URLCONF = "site_conf.urls"', 'ROOT_URLCONF = "site_conf.routing.main"');
    const urls = 'from django.urls import path\n\nfrom site_conf import views\n\nurlpatterns = [\n    path("members/", views.members),\n]\n';
    const { root, result } = await plan('', { projectFacts: { homeServed: true, homeView: 'x.y', templateDirs: [] } }, {
      'site_conf/settings.py': settings,
      'site_conf/routing/__init__.py': '',
      'site_conf/routing/main.py': urls,
    });
    const text = result.changes.find((c) => c.file === join(root, 'site_conf', 'routing', 'main.py'))!.after;
    assert.ok(text.startsWith('from django.urls import path\n\nfrom site_conf import views\nfrom site_conf.authkit import views as authkit_views\n\nurlpatterns'), text);
  });

  test('a top-level urls module: `import views` stays, `import home_views` and `from authkit import views as authkit_views` follow the project\'s imports', async () => {
    const root = tempDir('authkit-toplevel-');
    const files: Record<string, string> = {
      'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n',
      'settings.py': SETTINGS.replace('"site_conf.urls"', '"urls"'),
      'views.py': 'def members(request):\n    return None\n',
      'urls.py': 'from django.urls import path\n\nimport views\n\nurlpatterns = [\n    path("members/", views.members),\n]\n',
    };
    for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
    const model = await discover(root, { env: {}, probeInterpreter: false });
    const result = planIntegration(model, { apiKey: 'sk_test_placement000', clientId: 'client_p', replaceExistingEnvValues: false, projectFacts: { homeServed: false, homeView: null, templateDirs: [] } });
    const text = result.changes.find((c) => c.file === join(root, 'urls.py'))!.after;
    assert.ok(text.startsWith('from django.urls import path\n\nimport views\n\nimport home_views\nfrom authkit import views as authkit_views\n\nurlpatterns'), text);
  });
});

describe('home page decisions', () => {
  test('static reading: a variable-prefix include may serve /, so no home route is added', async () => {
    const urls = 'from django.conf import settings\nfrom django.urls import include, path\n\nurlpatterns = [\n    path(settings.SITE_PREFIX, include("pages.urls")),\n]\n';
    const { root, result } = await plan(urls);
    assert.doesNotMatch(urlsAfter(root, result)!, /home_views/);
    assert.ok(!result.changes.some((c) => c.file.endsWith('home.html')));
  });

  test("the project's resolver says / is served (i18n): no home route, whatever static reading found", async () => {
    const urls = 'from django.urls import path\n\nurlpatterns = [\n    path("admin/", lambda r: None),\n]\n';
    const served = await plan(urls, { projectFacts: { homeServed: true, homeView: 'pages.views.index', templateDirs: [] } });
    assert.doesNotMatch(urlsAfter(served.root, served.result)!, /home_views/);
    const free = await plan(urls, { projectFacts: { homeServed: false, homeView: null, templateDirs: [] } });
    assert.match(urlsAfter(free.root, free.result)!, /path\("", home_views\.home, name="home"\)/);
  });

  test('skipHomeReason (the check found a takeover): no home page, the reason in the note', async () => {
    const urls = 'from django.urls import path\n\nurlpatterns = [\n    path("admin/", lambda r: None),\n]\n';
    const { root, result } = await plan(urls, { skipHomeReason: 'a home route would take over /' });
    assert.doesNotMatch(urlsAfter(root, result)!, /home_views/);
    assert.match(result.outcomes.find((o) => o.id === 'home.snippet')!.note ?? '', /^a home route would take over \//);
  });

  test('home.html goes to the existing template folder the loaded settings name; DIRS is not edited', async () => {
    const urls = 'from django.urls import path\n\nurlpatterns = []\n';
    const root0 = tempDir('authkit-tpl-');
    const folder = join(root0, 'shared_templates');
    mkdirSync(folder);
    const { root, result } = await plan(urls, { projectFacts: { homeServed: false, homeView: null, templateDirs: [folder] } });
    assert.ok(result.changes.some((c) => c.file === join(folder, 'home.html')), result.changes.map((c) => c.file).join(', '));
    assert.ok(!result.outcomes.some((o) => o.id === 'home.template-dirs'));
    assert.equal(result.changes.find((c) => c.file === join(root, 'site_conf', 'settings.py'))?.after.includes('templates'), false);
  });
});
