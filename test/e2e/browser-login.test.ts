// End to end, as a person does it: a real Django project, a real `authkit-django init --yes`
// (the package manager installs workos and python-dotenv from PyPI), `migrate`, then
// `authkit-django dev` and Debian's Chromium clicking through the generated home page:
// Log in -> signed in with the seeded user's email -> reload -> Log out -> Log in again.
//
// The matrix: Django 4.2 and 5.2 `startproject` projects, the split-settings and src/
// layout fixtures; pip + requirements.txt and uv; the newest workos from PyPI and the last
// 5.x (5.46.0), which must pass with byte-identical generated code.
//
// Speed: the four projects are prepared concurrently (tool caches shared with the other
// install tests, warm after the first run); each browser round takes a few seconds.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { appendFileSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { freePort, isListening } from '../../src/flow/ports.js';
import { appTemplateFiles } from '../../src/integrate/app-layout.js';
import { cli, type CliResult } from '../helpers/cli.js';
import { copyFixture, copyOfStartProject, DJANGO_VERSIONS } from '../helpers/django.js';
import { runTool, toolEnv, toolsBin } from '../helpers/tools.js';
import type { BrowserContext } from 'playwright-core';
import { banner, PROJECT_API_KEY, runserversFor, startDev, stopDev } from '../flow/support.js';
import { freshBrowser, loginRound } from './support.js';

const execFileAsync = promisify(execFile);
const EMAIL = 'test.user@example.com';

/** The tools on PATH, their caches shared; no virtualenv active: each project has its own .venv. */
function env(): NodeJS.ProcessEnv {
  // VIRTUAL_ENV empty, not absent: the cli helper starts from this process's environment.
  return { ...toolEnv({ NO_COLOR: '1', PYTHONDONTWRITEBYTECODE: '1' }), VIRTUAL_ENV: '' };
}

interface Case {
  name: string;
  slug: string;
  manager: 'pip' | 'uv';
  /** Which workos line the project ends up with. */
  sdk: 'newest' | '5.46.0';
  /** Makes the project (and its environment) as its owner would have it before init. */
  prepare: () => Promise<{ root: string; projectDir: string }>;
}

async function pipVenv(root: string, requirements: string[]): Promise<void> {
  writeFileSync(join(root, 'requirements.txt'), `${requirements.join('\n')}\n`);
  await runTool([join(toolsBin, 'virtualenv'), '--quiet', '--no-periodic-update', join(root, '.venv')], root, env());
  await runTool([join(root, '.venv', 'bin', 'python'), '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', 'requirements.txt'], root, env());
}

async function uvProject(root: string, django: string): Promise<void> {
  writeFileSync(join(root, 'pyproject.toml'), `[project]\nname = "mysite"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = []\n`);
  await runTool(['uv', 'add', '--quiet', `django==${django}`], root, env());
}

/** What the layout fixtures leave out because discovery does not need it, and a running site does. */
const RUNNABLE = {
  // In a django-split-settings component, __file__ is the settings package's __init__.py.
  splitSettings: [
    '',
    '# Completed for the end-to-end tests: what a runnable project also has.',
    'from pathlib import Path',
    '',
    'BASE_DIR = Path(__file__).resolve().parents[2]',
    'DEBUG = True',
    'MIDDLEWARE += ["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]',
    'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}',
    'TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True, "OPTIONS": {}}]',
    '',
  ].join('\n'),
  srcLayout: [
    '',
    '# Completed for the end-to-end tests: what a runnable project also has.',
    'from pathlib import Path',
    '',
    'BASE_DIR = Path(__file__).resolve().parent.parent',
    'DEBUG = True',
    'MIDDLEWARE += ["django.middleware.csrf.CsrfViewMiddleware"]',
    'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}',
    'TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [], "APP_DIRS": True, "OPTIONS": {}}]',
    '',
  ].join('\n'),
};

const CASES: Case[] = [
  {
    name: 'Django 4.2 startproject, pip + requirements.txt, newest workos',
    slug: 'dj42-pip',
    manager: 'pip',
    sdk: 'newest',
    prepare: async () => {
      const root = await copyOfStartProject('4.2');
      await pipVenv(root, [`Django==${DJANGO_VERSIONS['4.2']}`]);
      return { root, projectDir: root };
    },
  },
  {
    name: 'Django 5.2 startproject, uv, newest workos',
    slug: 'dj52-uv',
    manager: 'uv',
    sdk: 'newest',
    prepare: async () => {
      const root = await copyOfStartProject('5.2');
      await uvProject(root, DJANGO_VERSIONS['5.2']);
      return { root, projectDir: root };
    },
  },
  {
    name: 'Django 5.2 startproject, pip + requirements.txt pinning workos 5.46.0',
    slug: 'dj52-pip-workos5',
    manager: 'pip',
    sdk: '5.46.0',
    prepare: async () => {
      const root = await copyOfStartProject('5.2');
      // Both packages pinned and installed already: init finds them and installs nothing.
      await pipVenv(root, [`Django==${DJANGO_VERSIONS['5.2']}`, 'workos==5.46.0', 'python-dotenv']);
      return { root, projectDir: root };
    },
  },
  {
    name: 'split-settings fixture, pip + requirements.txt, newest workos',
    slug: 'split-settings-pip',
    manager: 'pip',
    sdk: 'newest',
    prepare: async () => {
      const root = copyFixture('split-settings');
      // The fixture's apps_extra.py extends INSTALLED_APPS, which works only when glob
      // happens to list apps.py first (split-settings does not sort): left out here.
      rmSync(join(root, 'app', 'settings', 'components', 'apps_extra.py'));
      appendFileSync(join(root, 'app', 'settings', 'components', 'common.py'), RUNNABLE.splitSettings);
      await pipVenv(root, [`Django==${DJANGO_VERSIONS['5.2']}`, 'django-split-settings']);
      return { root, projectDir: root };
    },
  },
  {
    name: 'src/ layout fixture (uv at the repository root), newest workos',
    slug: 'src-layout-uv',
    manager: 'uv',
    sdk: 'newest',
    prepare: async () => {
      // A repository (.git at the root): init is pointed at the root and finds src/manage.py.
      const root = copyFixture('src-layout', { git: true });
      // The fixture asks for Python 3.12 and carries a hand-written lockfile; this machine
      // has 3.11, so the copy asks for 3.10+ and gets a real lock.
      const pyproject = join(root, 'pyproject.toml');
      writeFileSync(pyproject, readFileSync(pyproject, 'utf8').replace('>=3.12', '>=3.10'));
      rmSync(join(root, 'uv.lock'));
      await runTool(['uv', 'lock', '--quiet'], root, env());
      appendFileSync(join(root, 'src', 'webapp', 'settings.py'), RUNNABLE.srcLayout);
      return { root, projectDir: join(root, 'src') };
    },
  },
];

interface Prepared {
  root: string;
  projectDir: string;
  init: CliResult;
  workosVersion: string;
}

const prepared = new Map<string, Prepared>();
const failures = new Map<string, Error>();

async function prepare(c: Case): Promise<void> {
  const { root, projectDir } = await c.prepare();
  const init = await cli(['init', '--yes', '--api-key', PROJECT_API_KEY, '--client-id', 'client_project', root], { env: env() });
  const python = join(root, '.venv', 'bin', 'python');
  await execFileAsync(python, ['manage.py', 'migrate', '--noinput', '-v', '0'], { cwd: projectDir, env: env() });
  const { stdout } = await execFileAsync(python, ['-c', 'from importlib.metadata import version; print(version("workos"))'], { env: env() });
  prepared.set(c.slug, { root, projectDir, init, workosVersion: stdout.trim() });
}

before(async () => {
  await Promise.all(CASES.map((c) => prepare(c).catch((error: Error) => failures.set(c.slug, error))));
});

function get(c: Case): Prepared {
  const failure = failures.get(c.slug);
  if (failure) throw failure;
  const p = prepared.get(c.slug);
  assert.ok(p, `${c.slug} was not prepared`);
  return p;
}

/** Every generated file (the authkit app's, home_views.py, home.html) of a project, by its name in the app or its file name. */
function generatedFiles(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, inApp: string | null): void => {
    for (const name of readdirSync(dir)) {
      if (name === '.venv' || name === '.git' || name === '__pycache__') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path, inApp !== null ? `${inApp}${name}/` : name === 'authkit' ? 'authkit/' : null);
      else if (inApp !== null) out.set(`${inApp}${name}`, readFileSync(path, 'utf8'));
      else if (['home_views.py', 'home.html'].includes(name)) out.set(name, readFileSync(path, 'utf8'));
    }
  };
  walk(root, null);
  return out;
}

/**
 * Failures these tests found in code other than the flow's, reported and awaiting a fix:
 * the tests run and show the failure, marked TODO so the suite stays usable meanwhile.
 */

describe('init --yes with the real package manager', () => {
  for (const c of CASES) {
    test(`${c.name}: applies, installs, its checks pass`, () => {
      const p = get(c);
      // Exit 3: migrate is left to the user (the test runs it right after init).
      assert.equal(p.init.code, 3, `${p.init.stdout}\n${p.init.stderr}`);
      assert.match(p.init.stdout, /To do: create the database tables sign-in needs: (\S+ )*\S*python manage\.py migrate/);
      assert.match(p.init.stdout, /Applied: /);
      assert.doesNotMatch(p.init.stdout + p.init.stderr, new RegExp(PROJECT_API_KEY));
      if (c.sdk === '5.46.0') assert.match(p.init.stdout, /workos 5\.46\.0 and python-dotenv are installed already/);
      else assert.match(p.init.stderr, new RegExp(`installing workos, pyjwt and python-dotenv with ${c.manager} \\.\\.\\. done`));
    });
  }

  test('SDK lines: the newest workos from PyPI where init installed it, 5.46.0 where it was pinned', (t) => {
    const versions = CASES.map((c) => [c.slug, get(c).workosVersion] as const);
    t.diagnostic(versions.map(([slug, v]) => `${slug}: workos ${v}`).join(', '));
    const newest = versions.filter(([slug]) => CASES.find((c) => c.slug === slug)!.sdk === 'newest').map(([, v]) => v);
    assert.equal(new Set(newest).size, 1, 'the fresh installs disagree on the newest workos');
    assert.ok(Number(newest[0]!.split('.')[0]) >= 6, `newest workos is ${newest[0]}`);
    assert.equal(get(CASES.find((c) => c.sdk === '5.46.0')!).workosVersion, '5.46.0');
  });

  test('the generated code is the same, byte for byte, in every project and for both SDK lines', () => {
    const [first, ...rest] = CASES.map((c) => ({ slug: c.slug, files: generatedFiles(get(c).root) }));
    assert.deepEqual([...first!.files.keys()].sort(), [...appTemplateFiles().map((f) => `authkit/${f}`), 'home.html', 'home_views.py'].sort());
    for (const other of rest) {
      for (const [name, text] of first!.files) assert.equal(other.files.get(name), text, `${name} differs between ${first!.slug} and ${other.slug}`);
    }
  });
});

describe('in Chromium, through authkit-django dev', () => {
  for (const c of CASES) {
    test(`${c.name}: log in, reload, log out, log in again; nothing left running`, async () => {
      const p = get(c);
      const run = startDev([p.root, '--port', String(await freePort())], env());
      let browser: BrowserContext | null = null;
      try {
        browser = await freshBrowser();
        const { site, emulator } = await banner(run);
        await loginRound(browser, site, EMAIL, `${c.slug}-logged-in`);
        assert.match(run.stderr(), /"GET \/auth\/callback\/\?code=[^"]* HTTP\/1\.1" 302/);
        assert.match(run.stderr(), /"POST \/auth\/logout\/ HTTP\/1\.1" 302/);
        run.child.kill('SIGINT');
        assert.equal(await run.exited, 0, run.stderr());
        assert.deepEqual(runserversFor(p.projectDir), []);
        assert.equal(await isListening(Number(site.port)), false);
        assert.equal(await isListening(Number(emulator.port)), false);
        assert.doesNotMatch(run.stdout() + run.stderr(), new RegExp(PROJECT_API_KEY));
      } finally {
        await browser?.close();
        await stopDev(run);
      }
    });
  }
});

after(() => {
  for (const p of prepared.values()) assert.deepEqual(runserversFor(p.projectDir), [], relative(p.root, p.projectDir));
});
