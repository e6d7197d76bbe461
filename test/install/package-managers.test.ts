// Installs workos and python-dotenv with each real package manager (uv, poetry, pipenv from
// .venvs/tools, pip in a fresh venv) into a small real Django project made by startproject,
// then asks the project's interpreter whether both import. Needs PyPI (the machine reaches it).
//
// Speed: the four run concurrently; every tool's cache lives in one folder under the temp dir
// that survives runs (uv, pip, poetry and pipenv caches are warm after the first run), while
// the projects and their virtualenvs are fresh temp folders removed at the end.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { PackageManagerInfo, ProjectModel, PythonInfo } from '../../src/discover/model.js';
import { planRequirements } from '../../src/integrate/requirements.js';
import { type ImportReport, checkImports } from '../../src/install/check-imports.js';
import { installCommand } from '../../src/install/command.js';
import { installPackages } from '../../src/install/install.js';
import { repoRoot } from '../helpers/django.js';
import { POETRY_SIMPLE_INDEX, runTool, toolCacheRoot, toolEnv, toolsBin } from '../helpers/tools.js';

const djangoAdmin = join(repoRoot, '.venvs', 'bare52', 'bin', 'django-admin');
const cacheRoot = toolCacheRoot;
const testEnv = () => toolEnv();

/** stderr for the progress line: collected, so a failure can show it. */
function progressSink(): { write: (chunk: string) => boolean; text: () => string } {
  const chunks: string[] = [];
  return {
    write: (chunk: string) => {
      chunks.push(String(chunk));
      return true;
    },
    text: () => chunks.join(''),
  };
}

let work: string;
let template: string;
const env = testEnv();

async function run(argv: string[], cwd: string): Promise<void> {
  await runTool(argv, cwd, env);
}

/** A copy of the project startproject made once (`mysite` package plus manage.py) in `dir`. */
function startproject(dir: string): void {
  cpSync(template, dir, { recursive: true });
}

function project(packageManager: PackageManagerInfo, python: PythonInfo): Pick<ProjectModel, 'packageManager' | 'python'> {
  return { packageManager, python };
}

async function installAndCheck(
  t: TestContext,
  model: Pick<ProjectModel, 'packageManager' | 'python'>,
): Promise<ImportReport> {
  const command = installCommand(model);
  const stderr = progressSink();
  const result = await installPackages(command, model, { stderr, env });
  assert.equal(result.ok, true, `${result.message}\n--- progress ---\n${stderr.text()}`);
  assert.equal(result.status, 'installed');
  assert.equal(result.exitCode, 0);
  assert.equal(result.message, null);
  // Not a TTY: one plain line.
  assert.match(stderr.text(), /^installing workos, pyjwt and python-dotenv with \w+ \.\.\. done in \d+\.\d s\n$/);

  const checkStarted = Date.now();
  const report = await checkImports(model.python, model.packageManager.root, { env });
  const checkMs = Date.now() - checkStarted;
  assert.equal(report.error, null);
  assert.deepEqual(
    report.imports.map((entry) => [entry.module, entry.ok, entry.error]),
    [
      ['workos', true, null],
      ['jwt', true, null],
      ['dotenv', true, null],
    ],
  );
  assert.equal(report.ok, true);
  assert.match(report.workosVersion ?? '', /^\d+\.\d+\.\d+/);
  t.diagnostic(`${command.manager}: install ${(result.durationMs / 1000).toFixed(1)} s, import check ${(checkMs / 1000).toFixed(1)} s`);
  return report;
}

before(async () => {
  mkdirSync(cacheRoot, { recursive: true });
  work = mkdtempSync(join(tmpdir(), 'authkit-django-install-'));
  template = join(work, 'startproject');
  mkdirSync(template);
  await run([djangoAdmin, 'startproject', 'mysite', template], template);
});

after(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('installing with the real package managers', { concurrency: 4 }, () => {
  test('uv: lockfile at the repository root, manage.py in src/', async (t) => {
    const root = join(work, 'uv-project');
    startproject(join(root, 'src'));
    writeFileSync(
      join(root, 'pyproject.toml'),
      '[project]\nname = "mysite"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = ["django>=4.2"]\n',
    );
    await run(['uv', 'lock'], root);

    const model = project(
      { name: 'uv', files: [join(root, 'uv.lock')], root, requirementsFile: null, reason: 'uv.lock' },
      // No .venv yet: discovery hands over `uv run python`, which makes it on first use.
      { command: ['uv', 'run', 'python'], source: 'package-manager', venv: null, exists: true },
    );
    assert.deepEqual(installCommand(model).modifies, [join(root, 'pyproject.toml'), join(root, 'uv.lock')]);
    await installAndCheck(t, model);

    const pyproject = readFileSync(join(root, 'pyproject.toml'), 'utf8');
    assert.match(pyproject, /"workos>=5\.13\.0,<11"/);
    assert.match(pyproject, /"pyjwt>=2\.0,<3"/);
    assert.match(pyproject, /"python-dotenv>=1\.0,<2"/);
    const lock = readFileSync(join(root, 'uv.lock'), 'utf8');
    assert.match(lock, /^name = "workos"$/m);
    assert.match(lock, /^name = "python-dotenv"$/m);
  });

  test('poetry: pyproject.toml with [tool.poetry] and poetry.lock', async (t) => {
    const root = join(work, 'poetry-project');
    startproject(root);
    // This machine reaches PyPI's simple index only, not the JSON API poetry uses for its
    // default source: name the simple index explicitly (as projects with a mirror do).
    writeFileSync(
      join(root, 'pyproject.toml'),
      [
        '[tool.poetry]',
        'name = "mysite"',
        'version = "0.1.0"',
        'description = ""',
        'authors = []',
        'package-mode = false',
        '',
        '[tool.poetry.dependencies]',
        'python = ">=3.10,<4"',
        '',
        ...POETRY_SIMPLE_INDEX,
        '',
        '[build-system]',
        'requires = ["poetry-core"]',
        'build-backend = "poetry.core.masonry.api"',
        '',
      ].join('\n'),
    );
    await run(['poetry', 'lock'], root);

    const model = project(
      { name: 'poetry', files: [join(root, 'pyproject.toml')], root, requirementsFile: null, reason: '[tool.poetry]' },
      { command: ['poetry', 'run', 'python'], source: 'package-manager', venv: null, exists: true },
    );
    assert.deepEqual(installCommand(model).modifies, [join(root, 'pyproject.toml'), join(root, 'poetry.lock')]);
    await installAndCheck(t, model);

    const pyproject = readFileSync(join(root, 'pyproject.toml'), 'utf8');
    assert.match(pyproject, /^workos = ">=5\.13\.0,<11"$/m);
    assert.match(pyproject, /^pyjwt = ">=2\.0,<3"$/m);
    assert.match(pyproject, /^python-dotenv = ">=1\.0,<2"$/m);
    const lock = readFileSync(join(root, 'poetry.lock'), 'utf8');
    assert.match(lock, /^name = "workos"$/m);
    assert.match(lock, /^name = "python-dotenv"$/m);
  });

  test('pipenv: Pipfile project', async (t) => {
    const root = join(work, 'pipenv-project');
    startproject(root);
    writeFileSync(
      join(root, 'Pipfile'),
      '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n[packages]\n\n[dev-packages]\n',
    );

    const model = project(
      { name: 'pipenv', files: [join(root, 'Pipfile')], root, requirementsFile: null, reason: 'Pipfile' },
      { command: ['pipenv', 'run', 'python'], source: 'package-manager', venv: null, exists: true },
    );
    assert.deepEqual(installCommand(model).modifies, [join(root, 'Pipfile'), join(root, 'Pipfile.lock')]);
    await installAndCheck(t, model);

    const pipfile = readFileSync(join(root, 'Pipfile'), 'utf8');
    // pipenv writes the specifiers in its own (sorted) order.
    assert.match(pipfile, /^workos = "<11,>=5\.13\.0"$/m);
    assert.match(pipfile, /^pyjwt = "<3,>=2\.0"$/m);
    assert.match(pipfile, /^python-dotenv = "<2,>=1\.0"$/m);
    const lock = JSON.parse(readFileSync(join(root, 'Pipfile.lock'), 'utf8')) as { default: Record<string, unknown> };
    assert.ok('workos' in lock.default, 'Pipfile.lock lists workos');
    assert.ok('python-dotenv' in lock.default, 'Pipfile.lock lists python-dotenv');
  });

  test('pip: a virtualenv and requirements.txt', async (t) => {
    const root = join(work, 'pip-project');
    startproject(root);
    const requirements = join(root, 'requirements.txt');
    writeFileSync(requirements, 'Django>=4.2\n');
    // virtualenv (a second faster than `python -m venv`) makes a standard venv with pip in it.
    await run([join(toolsBin, 'virtualenv'), '--quiet', '--no-periodic-update', join(root, '.venv')], root);
    const python = join(root, '.venv', 'bin', 'python');

    const model = project(
      { name: 'pip', files: [requirements], root, requirementsFile: requirements, reason: 'requirements.txt' },
      { command: [python], source: 'venv', venv: join(root, '.venv'), exists: true },
    );
    // What init does for pip: the plan appends the names to the file, then pip installs them.
    const plan = planRequirements(readFileSync(requirements, 'utf8'), ['workos', 'python-dotenv']);
    writeFileSync(requirements, plan.text);
    assert.deepEqual(installCommand(model).modifies, []);
    assert.deepEqual(installCommand(model).argv, [python, '-m', 'pip', 'install', 'workos>=5.13.0,<11', 'pyjwt>=2.0,<3', 'python-dotenv>=1.0,<2']);
    const report = await installAndCheck(t, model);

    assert.equal(readFileSync(requirements, 'utf8'), 'Django>=4.2\nworkos\npython-dotenv\n');
    assert.equal(report.executable, python, "the venv's own interpreter answered");
  });
});
