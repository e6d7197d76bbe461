/**
 * The whole `init` (plan, apply, install with the real tool, verify) on projects made by
 * `django-admin startproject` from Django 4.2 and 5.2, one per package manager. Then: the
 * project's own Python runs `manage.py check` and imports workos; a second init changes
 * no byte; undo gives back the tree as it was (lockfiles included). Needs PyPI.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cli, gitInit, stateDir } from '../helpers/cli.js';
import { copyOfStartProject, DJANGO_VERSIONS, type DjangoLine } from '../helpers/django.js';
import { POETRY_SIMPLE_INDEX, runTool, toolEnv, toolsBin } from '../helpers/tools.js';

const KEYS = ['--api-key', 'sk_test_pm00000000', '--client-id', 'client_pm'];

/** Hashes of the files git sees (tracked or not, ignored ones left out: the virtualenv). */
function visibleFiles(dir: string): Map<string, string> {
  const list = spawnSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: dir, encoding: 'utf8' });
  const out = new Map<string, string>();
  for (const path of list.stdout.split('\n').filter(Boolean).sort()) {
    try {
      out.set(path, createHash('sha256').update(readFileSync(join(dir, path))).digest('hex'));
    } catch {
      out.set(path, 'missing');
    }
  }
  return out;
}

interface Setup {
  manager: 'uv' | 'poetry' | 'pipenv' | 'pip';
  django: DjangoLine;
  /** Makes the project's environment; returns the interpreter that runs it. */
  prepare: (dir: string, env: NodeJS.ProcessEnv) => Promise<string[]>;
  /** The manager's file that must list the packages after init. */
  declares: string;
}

const SETUPS: Setup[] = [
  {
    manager: 'uv',
    django: '5.2',
    declares: 'pyproject.toml',
    prepare: async (dir, env) => {
      writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "mysite"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = []\n');
      await runTool(['uv', 'add', '--quiet', `django==${DJANGO_VERSIONS['5.2']}`], dir, env);
      return [join(dir, '.venv', 'bin', 'python')];
    },
  },
  {
    manager: 'poetry',
    django: '4.2',
    declares: 'pyproject.toml',
    prepare: async (dir, env) => {
      writeFileSync(
        join(dir, 'pyproject.toml'),
        ['[tool.poetry]', 'name = "mysite"', 'version = "0.1.0"', 'description = ""', 'authors = []', 'package-mode = false', '', '[tool.poetry.dependencies]', 'python = ">=3.10,<4"', '', ...POETRY_SIMPLE_INDEX, ''].join('\n'),
      );
      await runTool(['poetry', 'add', '--quiet', `django==${DJANGO_VERSIONS['4.2']}`], dir, env);
      return [join(dir, '.venv', 'bin', 'python')];
    },
  },
  {
    manager: 'pipenv',
    django: '5.2',
    declares: 'Pipfile',
    prepare: async (dir, env) => {
      writeFileSync(join(dir, 'Pipfile'), '[[source]]\nurl = "https://pypi.org/simple"\nverify_ssl = true\nname = "pypi"\n\n[packages]\n\n[dev-packages]\n');
      await runTool(['pipenv', 'install', '--quiet', `django==${DJANGO_VERSIONS['5.2']}`], dir, env);
      return [join(dir, '.venv', 'bin', 'python')];
    },
  },
  {
    manager: 'pip',
    django: '4.2',
    declares: 'requirements.txt',
    prepare: async (dir, env) => {
      writeFileSync(join(dir, 'requirements.txt'), `Django==${DJANGO_VERSIONS['4.2']}\n`);
      await runTool([join(toolsBin, 'virtualenv'), '--quiet', '--no-periodic-update', join(dir, '.venv')], dir, env);
      await runTool([join(dir, '.venv', 'bin', 'python'), '-m', 'pip', 'install', '--quiet', '-r', 'requirements.txt'], dir, env);
      return [join(dir, '.venv', 'bin', 'python')];
    },
  },
];

describe('init with each real package manager', { concurrency: 4 }, () => {
  for (const setup of SETUPS) {
    test(`${setup.manager}, Django ${setup.django}`, async () => {
      const dir = await copyOfStartProject(setup.django);
      const env = toolEnv({ AUTHKIT_DJANGO_STATE_DIR: stateDir(), NO_COLOR: '1' });
      const python = await setup.prepare(dir, env);
      writeFileSync(join(dir, '.gitignore'), '.venv/\n__pycache__/\ndb.sqlite3\n');
      gitInit(dir);
      const before = visibleFiles(dir);

      const first = await cli(['init', '--yes', '--json', ...KEYS], { cwd: dir, env });
      // Never migrated: the sessions table is a step left to the user (exit 3), named with
      // the project's own interpreter, never a bare python.
      assert.equal(first.code, 3, `exit ${first.code}\n${first.stderr}\n${first.stdout}`);
      assert.equal((JSON.parse(first.stdout) as { migrate: string | null }).migrate, '.venv/bin/python manage.py migrate');
      assert.doesNotMatch(first.stdout + first.stderr, /sk_test_pm00000000/, 'the API key leaked into the output');
      const report = JSON.parse(first.stdout) as {
        project: { packageManager: string };
        install: { status: string; manager: string };
        verify: { status: string; checks: { id: string; status: string; message: string }[] };
      };
      assert.equal(report.project.packageManager, setup.manager);
      assert.equal(report.install.status, 'installed');
      assert.equal(report.install.manager, setup.manager);
      assert.equal(report.verify.status, 'passed', JSON.stringify(report.verify.checks, null, 2));
      const byId = new Map(report.verify.checks.map((c) => [c.id, c]));
      for (const id of ['import-workos', 'import-dotenv', 'api-key', 'client-id', 'django-check', 'url-names', 'login-redirect']) {
        assert.equal(byId.get(id)?.status, 'pass', `${id}: ${byId.get(id)?.message}`);
      }
      assert.match(readFileSync(join(dir, setup.declares), 'utf8'), /workos/);
      assert.match(readFileSync(join(dir, setup.declares), 'utf8'), /python-dotenv/);

      // The project's own Python, independently of our checks.
      const check = spawnSync(python[0]!, ['manage.py', 'check'], { cwd: dir, encoding: 'utf8', env: { ...env, PYTHONDONTWRITEBYTECODE: '1' } });
      assert.equal(check.status, 0, check.stderr);
      const imports = spawnSync(python[0]!, ['-c', 'import workos, dotenv; print(workos.__name__)'], { cwd: dir, encoding: 'utf8' });
      assert.equal(imports.stdout.trim(), 'workos', imports.stderr);

      // Second run: nothing planned, nothing installed, no byte changed.
      const applied = visibleFiles(dir);
      const second = await cli(['init', '--yes', '--json', '--no-verify'], { cwd: dir, env });
      assert.equal(second.code, 0, second.stderr);
      const secondReport = JSON.parse(second.stdout) as { files: unknown[]; install: { status: string } };
      assert.deepEqual(secondReport.files, []);
      assert.equal(secondReport.install.status, 'skipped');
      assert.deepEqual(visibleFiles(dir), applied, 'the second run changed files');

      // Undo: the tree as before init, the package manager's files included.
      const undo = await cli(['undo', '--yes'], { cwd: dir, env });
      assert.equal(undo.code, 0, undo.stderr);
      assert.deepEqual(visibleFiles(dir), before, 'undo did not restore every file');
    });
  }
});
