/**
 * The invariant on fixtures shaped like the real projects that `init` broke (issue 8):
 * each is copied, committed, loaded with real Django (4.2 and 5.2), integrated with the
 * built command line, and loaded again. What the project did must not change: every
 * setting, every URL name's path and view, the status of "/" (and "/en/" under
 * i18n_patterns). Our routes must work, and a second run must plan nothing.
 *
 * Before/after are read with the snapshot the tool itself uses (python/...snapshot.py)
 * but compared here field by field, and the HTTP statuses come from Django's own test
 * client in a small script, so a wrong comparison in src/invariant cannot hide a change.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { takeSnapshot, type Snapshot } from '../../src/invariant/snapshot.js';
import { cli, gitInit, stateDir } from '../helpers/cli.js';
import { copyFixture, fixturesDir, VENVS } from '../helpers/django.js';
import { onlyAddsLines } from '../helpers/lines.js';

const run = promisify(execFile);
const KEYS = ['--api-key', 'sk_test_invariant0000', '--client-id', 'client_invariant'];
const LINES = [
  { venv: 'dj42', dir: VENVS.dj42 },
  { venv: 'dj52', dir: VENVS.dj52 },
] as const;

function pythonOf(venv: string): string {
  return join(venv, 'bin', 'python');
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('WORKOS_') && k !== 'DJANGO_SETTINGS_MODULE' && k !== 'VIRTUAL_ENV') env[k] = v;
  return env;
}

async function snapshot(dir: string, venv: string, settingsModule: string): Promise<Snapshot> {
  const shot = await takeSnapshot(
    { python: { command: [pythonOf(venv)], source: 'venv', venv, exists: true }, settingsModule },
    { cwd: dir, env: cleanEnv(), secrets: [] },
  );
  assert.ok(shot.loaded, `the fixture must load: ${shot.error}`);
  return shot;
}

// Plain Django: the test client's answer for each path, and reverse() of each name.
// Sessions in signed cookies, so the login view can store its state without a migrated database.
const PROBE = `
import json, os, sys
sys.path.insert(0, os.getcwd())
import django
django.setup()
from django.conf import settings
settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
from django.urls import NoReverseMatch, reverse
client = Client()
out = {"status": {}, "reverse": {}}
for path in json.loads(sys.argv[1]):
    try:
        response = client.get(path)
        out["status"][path] = [response.status_code, response.get("Location")]
    except Exception as exc:
        out["status"][path] = ["error", type(exc).__name__ + ": " + str(exc)[:200]]
for name in json.loads(sys.argv[2]):
    try:
        out["reverse"][name] = reverse(name)
    except NoReverseMatch:
        out["reverse"][name] = None
print(json.dumps(out))
`;

interface Probe {
  status: Record<string, [number | 'error', string | null]>;
  reverse: Record<string, string | null>;
}

async function probe(dir: string, venv: string, settingsModule: string, paths: string[], names: string[]): Promise<Probe> {
  const { stdout } = await run(pythonOf(venv), ['-c', PROBE, JSON.stringify(paths), JSON.stringify(names)], {
    cwd: dir,
    env: { ...cleanEnv(), DJANGO_SETTINGS_MODULE: settingsModule, PYTHONDONTWRITEBYTECODE: '1' },
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Probe;
}

/** Every setting as before, but LOGIN_URL may go from Django's default to our login (the app's Django auth). */
function assertSameSettings(before: Snapshot, after: Snapshot, message: string): void {
  const loginUrlOurs = before.defaults.LOGIN_URL === 'default' && after.defaults.LOGIN_URL === 'ours';
  const settingsOf = (s: Snapshot) => Object.fromEntries(Object.entries(s.settings).filter(([name]) => !(loginUrlOurs && name === 'LOGIN_URL')));
  assert.deepEqual(settingsOf(after), settingsOf(before), message);
}

/** Every setting, URL name and "/" as before; only planned additions to the lists. */
function assertSameBehaviour(before: Snapshot, after: Snapshot, homeAdded: boolean): void {
  assertSameSettings(before, after, 'every setting keeps its value');
  for (const [name, list] of Object.entries(before.lists)) {
    assert.deepEqual(after.lists[name]!.filter((entry) => list.includes(entry)), list, `${name}: nothing removed or moved`);
  }
  assert.ok(before.urls && after.urls, 'the urlconf loads before and after');
  for (const [name, route] of Object.entries(before.urls.routes)) {
    assert.deepEqual(after.urls.routes[name], route, `URL name ${name} reverses and resolves as before`);
  }
  if (!homeAdded) assert.deepEqual(after.urls.home, before.urls.home, '/ is served as before');
}


function longestLine(text: string): number {
  return Math.max(...text.split('\n').map((l) => l.length));
}

const OUR_NAMES = ['workos_login', 'workos_callback', 'workos_logout', 'workos_me', 'workos_organization'];

interface Case {
  fixture: string;
  settings: string;
  code: number;
  /** Paths whose status must not change. */
  paths: string[];
  /** A home page is added (/ resolved to nothing). */
  homeAdded: boolean;
  /** The routes cannot be placed safely: a manual step. */
  routesManual?: boolean;
  check?: (root: string, json: Record<string, unknown>) => void;
}

const CASES: Case[] = [
  {
    // Failure 1: "/" is LocaleMiddleware's redirect to /en/; the project's home page is under i18n_patterns.
    fixture: 'i18n-home',
    settings: 'intl.settings',
    code: 0,
    paths: ['/', '/en/', '/fr/about/'],
    homeAdded: false,
    check: (root) => assert.doesNotMatch(readFileSync(join(root, 'intl', 'urls.py'), 'utf8'), /home_views/),
  },
  {
    // Failure 2: the list is rebuilt under a context-path prefix inside a namespaced include.
    fixture: 'wrapped-urls',
    settings: 'portal.settings',
    code: 0,
    paths: ['/portal/', '/portal/reports/'],
    homeAdded: true,
  },
  {
    // Failure 14 (dead home): "/" is served through path(settings.SITE_PREFIX, include(...)).
    fixture: 'variable-prefix',
    settings: 'front.settings',
    code: 0,
    paths: ['/'],
    homeAdded: false,
    check: (root) => {
      assert.ok(!existsSync(join(root, 'front', 'home_views.py')), 'no home view that would never be served');
      assert.ok(!existsSync(join(root, 'templates', 'home.html')));
    },
  },
  {
    // Failure 9 and 14 (host): DIRS names site_templates/ through a helper; ALLOWED_HOSTS rejects localhost.
    fixture: 'template-folder',
    settings: 'hosted.settings',
    // The integration is fine, but its ALLOWED_HOSTS refuses localhost, and WorkOS's emulator
    // only sends the browser back to localhost: the login flow cannot be proven here (exit 4).
    code: 4,
    paths: ['/admin/login/'],
    homeAdded: true,
    check: (root, json) => {
      assert.ok(existsSync(join(root, 'site_templates', 'home.html')), 'home.html goes to the folder DIRS names');
      assert.ok(!existsSync(join(root, 'templates')), 'no second template folder');
      assert.doesNotMatch(readFileSync(join(root, 'hosted', 'settings.py'), 'utf8'), /"templates"|'templates'/);
      const dashboard = (json.verify as { dashboard?: { redirectUri: string; host?: string; hostNote?: string } }).dashboard;
      assert.equal(dashboard?.redirectUri, 'http://example.test:8000/auth/callback/');
      assert.equal(dashboard?.host, 'example.test:8000');
      assert.match(dashboard?.hostNote ?? '', /ALLOWED_HOSTS does not accept localhost/);
      const flow = json.flow as { status: string; report?: { steps: { id: string; status: string; reason: string }[] } };
      assert.equal(flow.status, 'failed');
      const runserver = flow.report?.steps.find((s) => s.id === 'runserver');
      assert.match(runserver?.reason ?? '', /ALLOWED_HOSTS accepts neither localhost nor 127\.0\.0\.1/);
    },
  },
  {
    // The pages are namespaced in a one-line list; a closing urlpatterns += [...] block adds
    // un-namespaced ones. The routes join that block: no line is spliced into, none grows.
    fixture: 'oneline-wrap',
    settings: 'hub.settings',
    code: 0,
    paths: ['/', '/signin/'],
    homeAdded: false,
    check: (root) => {
      const before = readFileSync(join(fixturesDir, 'oneline-wrap', 'hub', 'urls.py'), 'utf8');
      const after = readFileSync(join(root, 'hub', 'urls.py'), 'utf8');
      assert.ok(onlyAddsLines(before, after), after);
      assert.ok(longestLine(after) <= Math.max(88, longestLine(before)), after);
      assert.match(after, /name="signin"\),\n {4}path\("auth\/login\/", authkit_views\.login, name="workos_login"\),/);
    },
  },
  {
    // App-level urls with `from . import views` and Django's auth views imported as auth_views:
    // our import is a line of its own (aliased), the project's import lines stay byte for byte.
    fixture: 'app-urls',
    settings: 'club.settings',
    code: 0,
    paths: ['/members/', '/password/'],
    homeAdded: true,
    check: (root) => {
      const before = readFileSync(join(fixturesDir, 'app-urls', 'club', 'urls.py'), 'utf8');
      const after = readFileSync(join(root, 'club', 'urls.py'), 'utf8');
      assert.ok(onlyAddsLines(before, after), after);
      assert.match(after, /^from \. import views\nfrom \. import home_views\nfrom \.authkit import views as authkit_views\n/m);
      assert.match(after, /path\("auth\/login\/", authkit_views\.login, name="workos_login"\)/);
    },
  },
  {
    // Every placement would break or namespace the routes: a manual step, the urlconf untouched.
    fixture: 'mounted-urls',
    settings: 'mounted.settings',
    code: 3,
    paths: ['/'],
    homeAdded: false,
    routesManual: true,
    check: (root, json) => {
      assert.equal(readFileSync(join(root, 'mounted', 'urls.py'), 'utf8'), readFileSync(join(fixturesDir, 'mounted-urls', 'mounted', 'urls.py'), 'utf8'));
      const changes = json.changes as { id: string; status: string; reason?: string }[];
      const routes = changes.find((c) => c.id === 'urls.routes');
      assert.equal(routes?.status, 'manual');
      assert.match(routes?.reason ?? '', /TypeError/);
    },
  },
];

for (const line of LINES) {
  describe(`init keeps what the project does (Django ${line.venv})`, () => {
    for (const c of CASES) {
      test(c.fixture, async () => {
        const root = copyFixture(c.fixture);
        gitInit(root);
        const env = { AUTHKIT_DJANGO_STATE_DIR: stateDir(), VIRTUAL_ENV: line.dir };
        const before = await snapshot(root, line.dir, c.settings);
        const pathsToProbe = [...c.paths, '/', '/auth/login/'];
        const probeBefore = await probe(root, line.dir, c.settings, pathsToProbe, OUR_NAMES);

        const first = await cli(['init', '--yes', '--no-install', '--json', ...KEYS], { cwd: root, env });
        const json = JSON.parse(first.stdout) as Record<string, unknown>;
        // A fixture whose database was never migrated leaves `migrate` to the user (exit 3).
        if (json.migrate !== null) assert.match(String(json.migrate), /manage\.py migrate/);
        assert.equal(first.code, c.code === 0 && json.migrate !== null ? 3 : c.code, first.stdout);
        assert.equal((json.invariant as { status: string }).status, 'passed', JSON.stringify(json.invariant));

        const after = await snapshot(root, line.dir, c.settings);
        assertSameBehaviour(before, after, c.homeAdded);
        const probeAfter = await probe(root, line.dir, c.settings, pathsToProbe, OUR_NAMES);
        // With LOGIN_URL ours (the project had none), @login_required sends visitors to our login instead of Django's default.
        const loginMoved = (answer: [number | 'error', string | null] | undefined) =>
          after.defaults.LOGIN_URL === 'ours' && answer?.[0] === 302 && answer[1]?.startsWith('/accounts/login/?') ? [302, answer[1].replace('/accounts/login/', '/auth/login/')] : answer;
        for (const path of c.paths) assert.deepEqual(probeAfter.status[path], loginMoved(probeBefore.status[path]), `GET ${path} answers as before`);
        if (c.homeAdded) {
          assert.equal(probeBefore.status['/']![0], 404);
          assert.equal(probeAfter.status['/']![0], 200, 'the home page added at / is served');
        } else {
          assert.deepEqual(probeAfter.status['/'], probeBefore.status['/'], 'GET / answers as before');
        }
        if (c.routesManual) {
          for (const name of OUR_NAMES) assert.equal(probeAfter.reverse[name], null);
        } else {
          for (const name of OUR_NAMES) assert.equal(probeAfter.reverse[name], `/auth/${name.slice('workos_'.length)}/`, `reverse("${name}") works un-namespaced`);
          assert.equal(probeAfter.status['/auth/login/']![0], 302, `GET /auth/login/ redirects to WorkOS: ${probeAfter.status['/auth/login/']}`);
          assert.match(probeAfter.status['/auth/login/']![1] ?? '', /^https:\/\/api\.workos\.com\/user_management\/authorize/);
        }
        c.check?.(root, json);

        const second = await cli(['init', '--dry-run', '--json', ...KEYS], { cwd: root, env });
        const again = JSON.parse(second.stdout) as { files: unknown[] };
        assert.deepEqual(again.files, [], 'a second run plans nothing');
      });
    }
  });
}

describe('what the check before writing prevents (Django 5.2)', () => {
  const venv = VENVS.dj52;
  test('i18n_patterns: without the check, static reading would take over /', async () => {
    const root = copyFixture('i18n-home');
    gitInit(root);
    const before = await probe(root, venv, 'intl.settings', ['/'], []);
    assert.equal(before.status['/']![0], 302);
    const result = await cli(['init', '--yes', '--no-install', '--no-verify', '--json', ...KEYS], { cwd: root, env: { AUTHKIT_DJANGO_STATE_DIR: stateDir(), VIRTUAL_ENV: venv } });
    const json = JSON.parse(result.stdout) as { invariant: { status: string; reason: string } };
    assert.deepEqual([json.invariant.status, json.invariant.reason], ['skipped', '--no-verify']);
    const after = await probe(root, venv, 'intl.settings', ['/'], []);
    assert.equal(after.status['/']![0], 200, 'the static plan puts a home page over the redirect: the case the check exists for');
  });

  test('a namespacing urlconf: without the check, the static plan breaks every page', async () => {
    const root = copyFixture('mounted-urls');
    gitInit(root);
    const result = await cli(['init', '--yes', '--no-install', '--no-verify', '--json', ...KEYS], { cwd: root, env: { AUTHKIT_DJANGO_STATE_DIR: stateDir(), VIRTUAL_ENV: venv } });
    assert.notEqual(result.code, 1, result.stderr);
    const after = await probe(root, venv, 'mounted.settings', ['/'], []);
    assert.equal(after.status['/']![0], 'error', 'the urlconf the static plan writes does not load');
  });

  test('a .env loader that would change DEBUG: the write is held back, the setting named', async () => {
    const root = copyFixture('blog-site');
    // Development defaults the settings never loaded (failure 5): loading them flips DEBUG.
    writeFileSync(join(root, '.gitignore'), '.env\n');
    gitInit(root);
    writeFileSync(join(root, '.env'), 'DJANGO_DEBUG=0\n');
    const env = { AUTHKIT_DJANGO_STATE_DIR: stateDir(), VIRTUAL_ENV: venv };
    const before = await snapshot(root, venv, 'journal.settings');
    const result = await cli(['init', '--yes', '--no-install', '--json', ...KEYS], { cwd: root, env });
    const json = JSON.parse(result.stdout) as { invariant: { status: string; differences: { subject: string; file: string | null; line: number | null }[] }; files: unknown[]; applied: boolean };
    const after = await snapshot(root, venv, 'journal.settings');
    assertSameSettings(before, after, 'DEBUG and every other setting as before');
    if (json.applied) return; // a loader that keeps the settings as they were is fine too
    assert.equal(result.code, 3);
    assert.equal(json.invariant.status, 'failed');
    const debug = json.invariant.differences.find((d) => d.subject === 'DEBUG');
    assert.ok(debug, JSON.stringify(json.invariant.differences));
    assert.equal(debug.file, 'journal/settings.py');
    assert.ok((debug.line ?? 0) > 0);
    assert.doesNotMatch(readFileSync(join(root, 'journal', 'settings.py'), 'utf8'), /WORKOS/, 'nothing was written');
  });

  test('doctor --fix: a route repair that would break the urlconf is held back, the rest is done', async () => {
    const root = copyFixture('mounted-urls');
    gitInit(root);
    const env = { AUTHKIT_DJANGO_STATE_DIR: stateDir(), VIRTUAL_ENV: venv };
    assert.equal((await cli(['init', '--yes', '--no-install', ...KEYS], { cwd: root, env })).code, 3);
    const urls = readFileSync(join(root, 'mounted', 'urls.py'), 'utf8');
    const result = await cli(['doctor', '--fix', '--yes', '--offline', '--json'], { cwd: root, env });
    const json = JSON.parse(result.stdout) as { fix: { checks: { status: string; differences: { message: string }[] }[]; rounds: { commands: { command: string }[] }[] } };
    const held = json.fix.checks.find((c) => c.status === 'failed');
    assert.ok(held, JSON.stringify(json.fix.checks));
    assert.match(held.differences[0]!.message, /does not load: TypeError/);
    assert.equal(readFileSync(join(root, 'mounted', 'urls.py'), 'utf8'), urls, 'urls.py untouched');
    assert.ok(json.fix.rounds.some((r) => r.commands.some((c) => /migrate/.test(c.command))), 'the migrate repair still ran');
    assert.ok(json.fix.checks.length <= 2, 'the held-back repair is not tried round after round');
  });

  test('when the project cannot be loaded, the static checks are used and say so', async () => {
    const root = copyFixture('wrapped-urls');
    gitInit(root);
    // Settings that need an environment variable the shell running init does not have.
    const settings = join(root, 'portal', 'settings.py');
    const text = readFileSync(settings, 'utf8');
    writeFileSync(settings, `import os\n${text.replace('SECRET_KEY = "fixture-only-not-secret"', 'SECRET_KEY = os.environ["PORTAL_SECRET_KEY"]')}`);
    const result = await cli(['init', '--dry-run', '--json', ...KEYS], {
      cwd: root,
      env: { AUTHKIT_DJANGO_STATE_DIR: stateDir(), VIRTUAL_ENV: venv },
    });
    const json = JSON.parse(result.stdout) as { invariant: { status: string; reason: string } };
    assert.equal(json.invariant.status, 'static', JSON.stringify(json.invariant));
    assert.match(json.invariant.reason, /could not load the project .*static reading only/);
  });
});

describe("the project's own test suite passes and fails the same after init", () => {
  const RESULT = /^(test\w*) \(([\w.]+)\)\s*\.\.\.\s*(ok|FAIL|ERROR|skipped.*)$/gm;
  async function testResults(root: string, venv: string): Promise<Map<string, string>> {
    let output: string;
    try {
      const r = await run(pythonOf(venv), ['manage.py', 'test', 'blog', '-v', '2', '--noinput'], { cwd: root, env: { ...cleanEnv(), PYTHONDONTWRITEBYTECODE: '1' } });
      output = r.stderr;
    } catch (error) {
      output = (error as { stderr?: string }).stderr ?? '';
    }
    const results = new Map<string, string>();
    // Django 4.2 prints "test_x (app.tests.Case)", 5.x "test_x (app.tests.Case.test_x)".
    for (const m of output.matchAll(RESULT)) results.set(m[2]!.endsWith(`.${m[1]}`) ? m[2]! : `${m[2]}.${m[1]}`, m[3]!);
    return results;
  }
  for (const line of LINES) {
    test(`blog-site (Django ${line.venv})`, async () => {
      const root = copyFixture('blog-site');
      gitInit(root);
      const before = await testResults(root, line.dir);
      assert.ok(before.size >= 6, `the fixture's tests ran: ${[...before]}`);
      assert.ok([...before.values()].includes('FAIL') && [...before.values()].includes('ok'), 'a pass and a known failure, so a change either way shows');
      const result = await cli(['init', '--yes', '--no-install', ...KEYS], { cwd: root, env: { AUTHKIT_DJANGO_STATE_DIR: stateDir(), VIRTUAL_ENV: line.dir } });
      assert.ok([0, 3].includes(result.code), result.stderr);
      assert.match(readFileSync(join(root, 'journal', 'urls.py'), 'utf8'), /workos_login/, 'init did integrate the project');
      const after = await testResults(root, line.dir);
      assert.deepEqual(Object.fromEntries(after), Object.fromEntries(before));
    });
  }
});
