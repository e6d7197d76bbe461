/**
 * Issue 8, item 6: `init --no-install` on a uv or poetry project still declares the
 * packages, with the real tool (`uv add --no-sync`, `poetry add --lock`: pyproject.toml and
 * the lockfile change, the environment does not), and on a pipenv project reports the
 * manual step (pipenv cannot record without installing). Needs PyPI for the resolution.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, gitInit, stateDir } from '../helpers/cli.js';
import { copyFixture } from '../helpers/django.js';
import { POETRY_SIMPLE_INDEX, runTool, toolEnv } from '../helpers/tools.js';
import { installedVersion } from '../../src/install/installed-version.js';

const KEYS = ['--api-key', 'sk_test_declare000', '--client-id', 'client_declare'];

describe('--no-install still declares the dependencies', () => {
  it('uv: uv add --no-sync records them in pyproject.toml and uv.lock, installs nothing; a second run does nothing', async () => {
    const dir = copyFixture('minimal');
    writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "mini"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = ["django>=4.2"]\n');
    writeFileSync(join(dir, '.gitignore'), '.venv/\n');
    const env = toolEnv({ AUTHKIT_DJANGO_STATE_DIR: stateDir(), NO_COLOR: '1' });
    await runTool(['uv', 'lock', '--quiet'], dir, env);
    gitInit(dir);
    const first = await cli(['init', '--yes', '--json', '--no-install', '--no-verify', ...KEYS], { cwd: dir, env });
    const report = JSON.parse(first.stdout) as { install: { status: string; command?: string } };
    assert.equal(report.install.status, 'declared', first.stderr);
    assert.match(report.install.command ?? '', /uv add --no-sync/);
    const pyproject = readFileSync(join(dir, 'pyproject.toml'), 'utf8');
    assert.match(pyproject, /"workos>=5\.13\.0,<11"/);
    assert.match(pyproject, /"pyjwt>=2\.0,<3"/);
    assert.match(readFileSync(join(dir, 'uv.lock'), 'utf8'), /name = "workos"/);
    // uv may make an empty .venv for the project's Python; nothing is installed in it.
    assert.equal(existsSync(join(dir, '.venv')) ? installedVersion(join(dir, '.venv'), 'workos') : null, null, 'workos was installed');
    const second = await cli(['init', '--yes', '--json', '--no-install', '--no-verify'], { cwd: dir, env });
    assert.equal((JSON.parse(second.stdout) as { install: { status: string } }).install.status, 'skipped');
  });

  it('poetry: poetry add --lock records them in pyproject.toml and poetry.lock, installs nothing; a second run does nothing', async () => {
    const dir = copyFixture('minimal');
    writeFileSync(
      join(dir, 'pyproject.toml'),
      ['[tool.poetry]', 'name = "mini"', 'version = "0.1.0"', 'description = ""', 'authors = []', 'package-mode = false', '', '[tool.poetry.dependencies]', 'python = ">=3.10,<4"', 'django = ">=4.2"', '', ...POETRY_SIMPLE_INDEX, ''].join('\n'),
    );
    writeFileSync(join(dir, '.gitignore'), '.venv/\n');
    const env = toolEnv({ AUTHKIT_DJANGO_STATE_DIR: stateDir(), NO_COLOR: '1' });
    await runTool(['poetry', 'lock'], dir, env);
    gitInit(dir);
    const first = await cli(['init', '--yes', '--json', '--no-install', '--no-verify', ...KEYS], { cwd: dir, env });
    const report = JSON.parse(first.stdout) as { install: { status: string; command?: string } };
    assert.equal(report.install.status, 'declared', first.stderr);
    assert.match(report.install.command ?? '', /poetry add --lock/);
    const pyproject = readFileSync(join(dir, 'pyproject.toml'), 'utf8');
    assert.match(pyproject, /^workos = ">=5\.13\.0,<11"$/m);
    assert.match(pyproject, /^pyjwt = ">=2\.0,<3"$/m);
    assert.match(readFileSync(join(dir, 'poetry.lock'), 'utf8'), /^name = "workos"$/m);
    assert.equal(existsSync(join(dir, '.venv')) ? installedVersion(join(dir, '.venv'), 'workos') : null, null, 'workos was installed');
    const second = await cli(['init', '--yes', '--json', '--no-install', '--no-verify'], { cwd: dir, env });
    assert.equal((JSON.parse(second.stdout) as { install: { status: string } }).install.status, 'skipped');
  });

  it('pipenv: a manual step with the exact command, exit 3', async () => {
    const dir = copyFixture('minimal');
    writeFileSync(join(dir, 'Pipfile'), '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n[packages]\ndjango = ">=4.2"\n');
    gitInit(dir);
    const env = toolEnv({ AUTHKIT_DJANGO_STATE_DIR: stateDir(), NO_COLOR: '1' });
    const first = await cli(['init', '--yes', '--json', '--no-install', '--no-verify', ...KEYS], { cwd: dir, env });
    assert.equal(first.code, 3, first.stderr);
    const report = JSON.parse(first.stdout) as { changes: { id: string; status: string; snippet?: string }[] };
    const step = report.changes.find((c) => c.id === 'dependencies');
    assert.equal(step?.status, 'manual');
    assert.match(step?.snippet ?? '', /pipenv install 'workos>=5\.13\.0,<11' 'pyjwt>=2\.0,<3' 'python-dotenv>=1\.0,<2'$/);
    assert.doesNotMatch(readFileSync(join(dir, 'Pipfile'), 'utf8'), /workos/);
  });
});
