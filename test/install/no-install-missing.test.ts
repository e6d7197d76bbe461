/**
 * `init --no-install` installs nothing, so the code it writes must import in the project's
 * Python as it is. Where Django imports there but workos, pyjwt or (for a settings file that
 * gets our load_dotenv) python-dotenv do not, every page and manage.py command would fail
 * after the write: init refuses first, names what is missing and the command that installs
 * it, and writes nothing. Real virtualenvs from .venvs (bare52: Django 5.2 only).
 */
import assert from 'node:assert/strict';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, gitInit, stateDir } from '../helpers/cli.js';
import { copyFixture, snapshotTree, VENVS } from '../helpers/django.js';
import { runTool, toolEnv } from '../helpers/tools.js';

const KEYS = ['--api-key', 'sk_test_missing0000', '--client-id', 'client_missing'];

function project(fixture: string, venv: string): string {
  const dir = copyFixture(fixture);
  symlinkSync(venv, join(dir, '.venv'));
  gitInit(dir);
  return dir;
}

const init = (dir: string, extra: string[] = []) =>
  cli(['init', '--yes', '--no-install', '--no-verify', ...extra, ...KEYS], { cwd: dir, env: { AUTHKIT_DJANGO_STATE_DIR: stateDir() } });

describe('init --no-install where the packages the edits import are not installed', () => {
  it('refuses with exit 1, naming workos, pyjwt and python-dotenv and the pip command, and writes nothing', async () => {
    const dir = project('minimal', VENVS.bare52);
    const before = snapshotTree(dir);
    const run = await init(dir);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /workos, pyjwt and python-dotenv are not installed for .*\.venv\/bin\/python/);
    assert.match(run.stderr, /generated views .* and the settings \(load_dotenv\)/);
    assert.match(run.stderr, /-m pip install 'workos>=5\.13\.0,<11' 'pyjwt>=2\.0,<3' 'python-dotenv>=1\.0,<2'/);
    assert.match(run.stderr, /nothing was written/);
    assert.doesNotMatch(run.stderr, /sk_test_missing/);
    assert.deepEqual(snapshotTree(dir), before);
  });

  it('does not ask for python-dotenv where the settings read .env with python-decouple', async () => {
    const dir = project('decouple', VENVS.bare52);
    const run = await init(dir, ['--json']);
    assert.equal(run.code, 1, run.stderr);
    const error = (JSON.parse(run.stdout) as { error: { message: string } }).error.message;
    assert.match(error, /workos and pyjwt are not installed/);
    assert.doesNotMatch(error, /dotenv/);
  });

  it('lets the same project through once its virtualenv has the packages (dj52)', async () => {
    const dir = project('minimal', VENVS.dj52);
    const run = await init(dir);
    // 3: the minimal fixture has no TEMPLATES, so the home page is left as a step by hand.
    assert.ok(run.code === 0 || run.code === 3, run.stderr);
    assert.doesNotMatch(run.stderr, /not installed/);
    assert.match(readFileSync(join(dir, 'mini', 'settings.py'), 'utf8'), /load_dotenv/);
  });

  it('a uv project run from an activated virtualenv elsewhere: uv run would not install into it, so it refuses too', async () => {
    const dir = copyFixture('minimal');
    writeFileSync(join(dir, 'pyproject.toml'), '[project]\nname = "mini"\nversion = "0.1.0"\nrequires-python = ">=3.10"\ndependencies = ["django>=4.2"]\n');
    const env = toolEnv({ AUTHKIT_DJANGO_STATE_DIR: stateDir(), NO_COLOR: '1' });
    await runTool(['uv', 'lock', '--quiet'], dir, env);
    gitInit(dir);
    const before = snapshotTree(dir);
    const run = await cli(['init', '--yes', '--no-install', '--no-verify', ...KEYS], { cwd: dir, env: { ...env, VIRTUAL_ENV: VENVS.bare52 } });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /workos, pyjwt and python-dotenv are not installed for .*bare52\/bin\/python/);
    assert.deepEqual(snapshotTree(dir), before);
  });
});
