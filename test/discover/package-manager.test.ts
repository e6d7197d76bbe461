/**
 * Package-manager detection: one copy of the minimal fixture per case, with the
 * dependency files a project of that kind has, in manage.py's folder or at the
 * repository root above it.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { discover } from '../../src/discover/index.js';
import { jsonReport } from '../../src/discover/report.js';
import { copyFixture, fixturesDir, tempDir } from '../helpers/django.js';

/** The minimal project with extra files; `nested` puts manage.py in backend/ below a git root. */
function project(files: Record<string, string>, nested = false): { root: string; dir: string } {
  let root: string;
  let dir: string;
  if (nested) {
    root = join(tempDir('authkit-pm-'), 'repo');
    dir = join(root, 'backend');
    cpSync(join(fixturesDir, 'minimal'), dir, { recursive: true });
    mkdirSync(join(root, '.git'));
  } else {
    dir = copyFixture('minimal');
    root = dir;
  }
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return { root, dir };
}

async function report(dir: string) {
  return jsonReport(await discover(dir, { env: { PATH: '' } })) as Record<string, any>;
}

const POETRY_PYPROJECT = '[tool.poetry]\nname = "x"\nversion = "0.1.0"\n\n[tool.poetry.dependencies]\npython = "^3.12"\ndjango = { version = "^5.2", extras = ["argon2"] }\n';

describe('package manager', () => {
  it('uv.lock -> uv', async () => {
    const { dir } = project({ 'uv.lock': 'version = 1\n', 'pyproject.toml': '[project]\nname = "x"\ndependencies = ["Django>=5.2"]\n' });
    const json = await report(dir);
    assert.equal(json.packageManager, 'uv');
    assert.deepEqual(json.packageManagerFiles, ['uv.lock', 'pyproject.toml']);
    assert.equal(json.requirementsFile, null);
    // The lock names no django package: the pyproject requirement is the pin.
    assert.deepEqual(json.django, { version: '>=5.2', source: 'pinned', file: 'pyproject.toml' });
  });

  it('pyproject with [tool.poetry] -> poetry, even without a lock', async () => {
    const { dir } = project({ 'pyproject.toml': POETRY_PYPROJECT });
    const json = await report(dir);
    assert.equal(json.packageManager, 'poetry');
    assert.deepEqual(json.packageManagerFiles, ['pyproject.toml']);
    assert.deepEqual(json.django, { version: '^5.2', source: 'pinned', file: 'pyproject.toml' });
    assert.deepEqual(json.python.command, ['poetry', 'run', 'python']);
  });

  it('poetry.lock alone -> poetry, and its exact version wins over the pyproject range', async () => {
    const { dir } = project({
      'poetry.lock': '[[package]]\nname = "Django"\nversion = "5.2.3"\n\n[[package]]\nname = "asgiref"\nversion = "3.8.1"\n',
      'pyproject.toml': POETRY_PYPROJECT,
    });
    const json = await report(dir);
    assert.equal(json.packageManager, 'poetry');
    assert.deepEqual(json.packageManagerFiles, ['poetry.lock', 'pyproject.toml']);
    assert.deepEqual(json.django, { version: '5.2.3', source: 'pinned', file: 'poetry.lock' });
  });

  it('Pipfile -> pipenv, Pipfile.lock gives the exact version', async () => {
    const { dir } = project({
      Pipfile: '[packages]\ndjango = "*"\n',
      'Pipfile.lock': JSON.stringify({ default: { django: { version: '==4.2.30' } }, develop: {} }),
    });
    const json = await report(dir);
    assert.equal(json.packageManager, 'pipenv');
    assert.deepEqual(json.packageManagerFiles, ['Pipfile', 'Pipfile.lock']);
    assert.deepEqual(json.django, { version: '4.2.30', source: 'pinned', file: 'Pipfile.lock' });
  });

  it('requirements.txt -> pip, appending to it', async () => {
    const { dir } = project({ 'requirements.txt': 'django[argon2]>=4.2,<5.0 ; python_version >= "3.10"\n' });
    const json = await report(dir);
    assert.equal(json.packageManager, 'pip');
    assert.equal(json.requirementsFile, 'requirements.txt');
    assert.deepEqual(json.django, { version: '>=4.2,<5.0', source: 'pinned', file: 'requirements.txt' });
  });

  it('requirements/ folder -> pip with base.txt, not dev.txt, and says so', async () => {
    const { dir } = project({
      'requirements/dev.txt': '-r base.txt\npytest\n',
      'requirements/base.txt': 'Django==5.2.19\n',
      'requirements/test.txt': '-r base.txt\n',
    });
    const json = await report(dir);
    assert.equal(json.packageManager, 'pip');
    assert.equal(json.requirementsFile, 'requirements/base.txt');
    assert.deepEqual(json.packageManagerFiles, ['requirements/base.txt']);
    assert.match(json.packageManagerReason, /base\.txt is the base file/);
  });

  it('requirements/ folder without a base-like name -> the file that is not an extra', async () => {
    const { dir } = project({
      'requirements/dev.txt': '-r app.txt\n',
      'requirements/app.txt': 'Django==5.2.19\n',
      'requirements/production.txt': '-r app.txt\ngunicorn\n',
    });
    const json = await report(dir);
    assert.equal(json.requirementsFile, 'requirements/app.txt');
  });

  it('a pyproject that only configures tools decides nothing: pip without a file', async () => {
    const { dir } = project({ 'pyproject.toml': '[tool.ruff]\nline-length = 100\n\n[tool.black]\ntarget-version = ["py312"]\n' });
    const json = await report(dir);
    assert.equal(json.packageManager, 'pip');
    assert.deepEqual(json.packageManagerFiles, []);
    assert.equal(json.requirementsFile, null);
    assert.equal(json.django, null);
    assert.deepEqual(json.python.command, ['python3']);
  });

  it('the lockfile at the repository root counts when manage.py is in backend/', async () => {
    const { root } = project({ 'uv.lock': '[[package]]\nname = "django"\nversion = "5.2.19"\n' }, true);
    const json = await report(root);
    assert.equal(json.managePy, 'backend/manage.py');
    assert.equal(json.packageManager, 'uv');
    assert.equal(json.packageManagerRoot, '.');
    assert.deepEqual(json.django, { version: '5.2.19', source: 'pinned', file: 'uv.lock' });
  });

  it("files in manage.py's folder win over the root's", async () => {
    const { root } = project({ 'uv.lock': 'version = 1\n', 'backend/requirements.txt': 'django\n' }, true);
    const json = await report(root);
    assert.equal(json.packageManager, 'pip');
    assert.equal(json.requirementsFile, 'backend/requirements.txt');
  });
});
