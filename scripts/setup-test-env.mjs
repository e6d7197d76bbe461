// Installs what the test suite needs and is not an npm package: Python virtualenvs with
// the pinned Django, workos and tool versions from PyPI, and Debian's Chromium.
// Idempotent: a venv whose stamp matches its pinned requirements is left alone.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venvs = join(root, '.venvs');

/** Exact versions the suite runs against (newest of each line on PyPI when pinned). */
export const PINS = {
  django42: 'Django==4.2.30',
  django52: 'Django==5.2.19',
  workosNewest: 'workos==10.8.0',
  workos5: 'workos==5.46.0',
  // The oldest SDK the generated views support (src/install/packages.ts MIN_WORKOS), and the
  // release just before it, which init --no-install must refuse.
  workosMin: 'workos==5.13.0',
  workosTooOld: 'workos==5.12.1',
  dotenv: 'python-dotenv==1.2.4',
  pytest: 'pytest==9.2.0',
  // The configuration libraries whose conventions init follows (settings loaded in dj42 / dj52).
  environ: 'django-environ==0.14.0',
  decouple: 'python-decouple==3.8',
  environs: 'environs==15.2.0',
  ruff: 'ruff==0.17.6',
  uv: 'uv==0.13.9',
  poetry: 'poetry==2.5.1',
  pipenv: 'pipenv==2026.10.3',
  // Django's type stubs, for pyright over the generated app (models, managers).
  djangoStubs: 'django-stubs==5.2.8',
};

const ENVS = {
  // Tools the tests call: package managers, linters, the test runner for Python tests.
  tools: [PINS.uv, PINS.poetry, PINS.pipenv, PINS.ruff, PINS.pytest],
  // A Django 4.2 project environment with the newest SDK.
  dj42: [PINS.django42, PINS.workosNewest, PINS.dotenv, PINS.pytest, PINS.environ, PINS.decouple, PINS.environs],
  // A Django 5.2 project environment with the newest SDK.
  dj52: [PINS.django52, PINS.workosNewest, PINS.dotenv, PINS.pytest, PINS.environ, PINS.decouple, PINS.environs],
  // The last 5.x SDK (pydantic models), with Django 5.2.
  workos5: [PINS.django52, PINS.workos5, PINS.dotenv, PINS.pytest],
  // The oldest supported pair: Django 4.2 with the oldest supported SDK.
  sdkmin: [PINS.django42, PINS.workosMin, PINS.dotenv, PINS.pytest],
  // An SDK older than the minimum, for the refusal (only read, never run).
  sdkold: [PINS.django42, PINS.workosTooOld],
  // Bare Django for startproject runs and for projects that do not have the SDK yet.
  bare42: [PINS.django42],
  bare52: [PINS.django52],
};

function log(message) {
  process.stderr.write(`[setup] ${message}\n`);
}

function ensureVenv(name, requirements) {
  const dir = join(venvs, name);
  const stamp = join(dir, '.authkit-django-stamp');
  const want = requirements.join('\n');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) return;
  log(`creating .venvs/${name}: ${requirements.join(' ')}`);
  rmSync(dir, { recursive: true, force: true });
  execFileSync('python3', ['-m', 'venv', dir], { stdio: 'inherit' });
  execFileSync(join(dir, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', ...requirements], { stdio: 'inherit' });
  writeFileSync(stamp, want);
}

/**
 * Django's type stubs where test/python/pyrightconfig.json looks (stubPath), laid out as
 * the `django` package pyright resolves; kept out of the project venvs, whose installed
 * distributions other tests compare.
 */
function ensureDjangoStubs() {
  const dir = join(venvs, 'typings');
  const stamp = join(dir, '.authkit-django-stamp');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === PINS.djangoStubs) return;
  log(`installing ${PINS.djangoStubs} into .venvs/typings`);
  rmSync(dir, { recursive: true, force: true });
  const download = join(dir, 'download');
  execFileSync(join(venvs, 'tools', 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--no-deps', '--target', download, PINS.djangoStubs], { stdio: 'inherit' });
  renameSync(join(download, 'django-stubs'), join(dir, 'django'));
  rmSync(download, { recursive: true, force: true });
  writeFileSync(stamp, PINS.djangoStubs);
}

function ensureChromium() {
  if (existsSync('/usr/bin/chromium')) return;
  log('installing Debian chromium (apt-get)');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const run = (args) => execFileSync(sudo[0] ?? args[0], sudo.length ? args : args.slice(1), { stdio: 'inherit' });
  run(['apt-get', 'update', '-qq']);
  run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium']);
}

mkdirSync(venvs, { recursive: true });
for (const [name, reqs] of Object.entries(ENVS)) ensureVenv(name, reqs);
ensureDjangoStubs();
if (!process.argv.includes('--no-browser')) ensureChromium();
log('test environment ready');
