/**
 * manage.py that gives `manage.py test` its own settings and otherwise reads the module from
 * the .env through decouple (fixture test-settings-argv): discovery chooses the settings the
 * project runs with (proj.settings.local, from the .env), init edits the shared base.py, and
 * both the local and the test settings load afterwards in real Django 4.2 and 5.2.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { VENVS } from '../helpers/django.js';
import { assertSecondRunPlansNothing, assertSnapshots, changedFiles, init, inDjango, KEYS, project } from './conventions-helpers.js';

const PROBE = 'from django.conf import settings\nprint(settings.SETTINGS_MODULE, settings.WORKOS_API_KEY, settings.WORKOS_CLIENT_ID)';
const KEY_VALUES = 'sk_test_fixture0000 client_fixture';

describe('settings for the test runner chosen in manage.py', () => {
  it('inspect and init use the .env\'s proj.settings.local; edits land in base.py; the test settings still load', async () => {
    const p = project('test-settings-argv', (dir) => writeFileSync(join(dir, '.env'), 'DJANGO_SETTINGS_MODULE=proj.settings.local\n'));
    const seen = JSON.parse((await cli(['inspect', '--json'], { cwd: p.dir, env: p.env })).stdout) as { settingsModule: string; settingsModuleSource: string; settingsFile: string };
    assert.deepEqual([seen.settingsModule, seen.settingsModuleSource, seen.settingsFile], ['proj.settings.local', '.env', 'proj/settings/base.py']);

    // The check before writing loads the chosen settings in the project's Python.
    const dry = await cli(['init', '--dry-run', '--json', '--no-install', ...KEYS], { cwd: p.dir, env: { ...p.env, VIRTUAL_ENV: VENVS.dj52 } });
    assert.equal((JSON.parse(dry.stdout) as { invariant: { status: string } }).invariant.status, 'passed', dry.stdout);

    const first = await init(p, KEYS);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.equal((JSON.parse(first.stdout) as { project: { settingsModule: string } }).project.settingsModule, 'proj.settings.local');
    assert.ok(!changedFiles(p).some((f) => /settings\/(local|test)\.py$/.test(f)), `local.py or test.py was edited: ${changedFiles(p).join(', ')}`);
    assert.match(readFileSync(join(p.dir, 'proj/settings/base.py'), 'utf8'), /^WORKOS_API_KEY = config\("WORKOS_API_KEY", default=""\)$/m);
    assertSnapshots(p, 'test-settings-argv', ['proj/settings/base.py', '.env', 'requirements.txt']);
    for (const venv of [VENVS.dj42, VENVS.dj52]) {
      assert.equal(inDjango(p, 'proj.settings.local', PROBE, venv).trim(), `proj.settings.local ${KEY_VALUES}`);
      assert.equal(inDjango(p, 'proj.settings.test', PROBE, venv).trim(), `proj.settings.test ${KEY_VALUES}`);
    }
    // manage.py itself: `check` runs on the local settings, `test` on the test settings.
    const manage = (...args: string[]) =>
      spawnSync(join(VENVS.dj52, 'bin', 'python'), ['manage.py', ...args], { cwd: p.dir, env: { PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' }, encoding: 'utf8' });
    const check = manage('diffsettings', '--output', 'unified');
    assert.equal(check.status, 0, check.stderr);
    assert.match(check.stdout, /^\+ DEBUG = True$/m, 'manage.py did not run on proj.settings.local');
    const test = manage('test');
    assert.equal(test.status, 0, test.stderr);
    assert.match(test.stderr, /Ran 0 tests/);
    await assertSecondRunPlansNothing(p);
  });
});
