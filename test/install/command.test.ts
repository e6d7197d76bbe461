// The install command for each manager: pure, so plain inputs and exact outputs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { PackageManagerInfo, PackageManagerName, ProjectModel, PythonInfo } from '../../src/discover/model.js';
import { installCommand } from '../../src/install/command.js';

const root = '/srv/acme';
// The specs come from src/install/packages.ts, written out here so a change there shows.
const SPECS = ['workos>=5.13.0,<11', 'pyjwt>=2.0,<3', 'python-dotenv>=1.0,<2'];
const QUOTED = SPECS.map((s) => `'${s}'`).join(' ');

function model(name: PackageManagerName, files: string[], python?: Partial<PythonInfo>): Pick<ProjectModel, 'packageManager' | 'python'> {
  const packageManager: PackageManagerInfo = {
    name,
    files: files.map((file) => join(root, file)),
    root,
    requirementsFile: name === 'pip' ? join(root, 'requirements.txt') : null,
    reason: 'test',
  };
  return {
    packageManager,
    python: { command: [join(root, '.venv/bin/python')], source: 'venv', venv: join(root, '.venv'), exists: true, ...python },
  };
}

describe('installCommand', () => {
  test('uv: uv add in the lockfile folder; pyproject.toml and uv.lock change', () => {
    const command = installCommand(model('uv', ['uv.lock']));
    assert.deepEqual(command.argv, ['uv', 'add', ...SPECS]);
    assert.equal(command.cwd, root);
    assert.deepEqual(command.modifies, [join(root, 'pyproject.toml'), join(root, 'uv.lock')]);
    assert.equal(command.retry, `cd /srv/acme && uv add ${QUOTED}`);
    assert.equal(command.evidence, 'uv.lock found');
    assert.equal(command.overridden, false);
  });

  test('poetry: poetry add; pyproject.toml and poetry.lock change', () => {
    const command = installCommand(model('poetry', ['pyproject.toml']));
    assert.deepEqual(command.argv, ['poetry', 'add', ...SPECS]);
    assert.deepEqual(command.modifies, [join(root, 'pyproject.toml'), join(root, 'poetry.lock')]);
    assert.equal(command.evidence, 'pyproject.toml found');
  });

  test('pipenv: pipenv install; Pipfile and Pipfile.lock change', () => {
    const command = installCommand(model('pipenv', ['Pipfile']));
    assert.deepEqual(command.argv, ['pipenv', 'install', ...SPECS]);
    assert.deepEqual(command.modifies, [join(root, 'Pipfile'), join(root, 'Pipfile.lock')]);
  });

  test("pip: the project's Python runs pip; the tool rewrites no project file (the requirements edit is planned)", () => {
    const command = installCommand(model('pip', ['requirements.txt']));
    assert.deepEqual(command.argv, ['/srv/acme/.venv/bin/python', '-m', 'pip', 'install', ...SPECS]);
    assert.deepEqual(command.modifies, []);
    assert.equal(command.retry, `cd /srv/acme && /srv/acme/.venv/bin/python -m pip install ${QUOTED}`);
  });

  test('pip through a multi-word Python command', () => {
    const command = installCommand(model('pip', [], { command: ['uv', 'run', 'python'], source: 'package-manager', venv: null }));
    assert.deepEqual(command.argv, ['uv', 'run', 'python', '-m', 'pip', 'install', ...SPECS]);
  });

  test('--package-manager overrides the detected one and says so', () => {
    const command = installCommand(model('uv', ['uv.lock']), { packageManager: 'pip' });
    assert.equal(command.manager, 'pip');
    assert.equal(command.overridden, true);
    assert.equal(command.evidence, '--package-manager pip given');
    assert.deepEqual(command.argv.slice(1), ['-m', 'pip', 'install', ...SPECS]);
    assert.deepEqual(command.modifies, []);
  });

  test('--package-manager naming the detected one is no override', () => {
    const command = installCommand(model('poetry', ['pyproject.toml']), { packageManager: 'poetry' });
    assert.equal(command.overridden, false);
    assert.equal(command.evidence, 'pyproject.toml found');
  });

  test('other packages can be named (the failure tests use this)', () => {
    assert.deepEqual(installCommand(model('uv', ['uv.lock']), { packages: ['nope'] }).argv, ['uv', 'add', 'nope']);
  });

  test("uv: an activated virtualenv other than the project's .venv is used with --active", () => {
    const active = installCommand(model('uv', ['uv.lock'], { source: 'VIRTUAL_ENV', venv: '/home/me/.virtualenvs/acme' }));
    assert.deepEqual(active.argv, ['uv', 'add', '--active', ...SPECS]);
    const own = installCommand(model('uv', ['uv.lock'], { source: 'VIRTUAL_ENV', venv: join(root, '.venv') }));
    assert.deepEqual(own.argv, ['uv', 'add', ...SPECS]);
  });

  test('the retry line quotes paths with spaces and quotes', () => {
    const odd = "/home/me/My Projects/it's";
    const base = model('uv', ['uv.lock']);
    const command = installCommand({ ...base, packageManager: { ...base.packageManager, root: odd } });
    assert.equal(command.retry, `cd '/home/me/My Projects/it'\\''s' && uv add 'workos>=5.13.0,<11' 'pyjwt>=2.0,<3' 'python-dotenv>=1.0,<2'`);
    assert.equal(command.cwd, odd);
  });
});
