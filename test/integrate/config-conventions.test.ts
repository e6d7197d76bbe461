/**
 * Issue 8, items 5, 10 and 14 (second bullet): the keys reach the settings the way the
 * project already reads its configuration (django-environ, python-decouple, environs), a
 * secret never goes into a file git tracks, adding a loader changes no other setting, a
 * loader under an `if` does not count, and python-dotenv is not declared where it is not
 * used. Each result is loaded in real Django 4.2 and 5.2 with the real libraries.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli } from '../helpers/cli.js';
import { repoRoot, VENVS } from '../helpers/django.js';
import { assertSecondRunPlansNothing, assertSnapshots, init, inDjango, KEYS, project } from './conventions-helpers.js';

const PROBE = [
  'from django.conf import settings',
  'print(settings.WORKOS_API_KEY, settings.WORKOS_CLIENT_ID, settings.DEBUG, settings.SECRET_KEY)',
].join('\n');
const KEY_VALUES = 'sk_test_fixture0000 client_fixture';

function read(dir: string, path: string): string {
  return readFileSync(join(dir, path), 'utf8');
}

function tracked(dir: string): string[] {
  return spawnSync('git', ['ls-files'], { cwd: dir, encoding: 'utf8' }).stdout.trim().split('\n');
}

describe('the project\'s configuration library', () => {
  it('django-environ with a committed .env it never reads: keys go to an untracked .env.workos, DEBUG and SECRET_KEY stay', async () => {
    const p = project('environ-tracked-env');
    const before = [VENVS.dj42, VENVS.dj52].map((venv) => inDjango(p, 'proj.settings', 'from django.conf import settings\nprint(settings.DEBUG, settings.SECRET_KEY)', venv));
    const first = await init(p, KEYS);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    assert.doesNotMatch(read(p.dir, '.env'), /WORKOS/, 'a secret was written into the tracked .env');
    assert.ok(!tracked(p.dir).includes('.env.workos'));
    assert.match(read(p.dir, 'proj/settings.py'), /^env\.read_env\(BASE_DIR \/ "\.env\.workos"\)$/m);
    assert.match(read(p.dir, 'proj/settings.py'), /^WORKOS_API_KEY = env\("WORKOS_API_KEY", default=""\)$/m);
    assert.doesNotMatch(read(p.dir, 'requirements.txt'), /dotenv/);
    assertSnapshots(p, 'environ-tracked-env', ['proj/settings.py', '.gitignore', 'requirements.txt']);
    [VENVS.dj42, VENVS.dj52].forEach((venv, i) => {
      const [debugAndSecret] = [before[i]!.trim()];
      assert.equal(inDjango(p, 'proj.settings', PROBE, venv).trim(), `${KEY_VALUES} ${debugAndSecret}`);
    });
    assert.equal(before[0]!.trim(), 'False production-secret-from-the-environment');
    // Every later reader of the credentials (init's prompts, verify, doctor) finds them there.
    const seen = JSON.parse((await cli(['inspect', '--json'], { cwd: p.dir, env: p.env })).stdout) as { env: { file: string; hasApiKey: boolean; hasClientId: boolean } };
    assert.deepEqual([seen.env.file, seen.env.hasApiKey, seen.env.hasClientId], ['.env.workos', true, true]);
    await assertSecondRunPlansNothing(p);
  });

  it('django-environ reading .env only under `if DJANGO_READ_DOT_ENV_FILE`: that loader does not count; the keys go into .env.workos, read always, and production still reads no .env', async () => {
    const p = project('environ-conditional');
    const first = await init(p, KEYS);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const report = JSON.parse(first.stdout) as { changes: { id: string; status: string }[] };
    assert.equal(report.changes.find((c) => c.id === 'settings.load-dotenv')?.status, 'changed');
    // Not the project's .env, which production leaves unread: a file of the keys alone, read always.
    assert.match(read(p.dir, 'proj/settings.py'), /^env\.read_env\(BASE_DIR \/ "\.env\.workos"\)$/m);
    assert.match(read(p.dir, 'proj/settings.py'), /^if READ_DOT_ENV_FILE:\n.*\n    env\.read_env\(str\(BASE_DIR \/ "\.env"\)\)$/m);
    assert.equal(existsSync(join(p.dir, '.env')), false);
    assert.match(read(p.dir, '.env.workos'), /^WORKOS_API_KEY=/m);
    assert.match(read(p.dir, '.gitignore'), /^\.env\.workos$/m);
    assertSnapshots(p, 'environ-conditional', ['proj/settings.py', 'requirements.txt']);
    for (const venv of [VENVS.dj42, VENVS.dj52]) assert.equal(inDjango(p, 'proj.settings', PROBE, venv).trim(), `${KEY_VALUES} False fixture-only`);
    await assertSecondRunPlansNothing(p);
  });

  it('python-decouple: config() reads the new .env by itself; keys read with config(), no loader, no python-dotenv', async () => {
    const p = project('decouple');
    const first = await init(p, KEYS);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const settings = read(p.dir, 'proj/settings.py');
    assert.doesNotMatch(settings, /dotenv|read_env/);
    assert.match(settings, /^WORKOS_API_KEY = config\("WORKOS_API_KEY", default=""\)$/m);
    assertSnapshots(p, 'decouple', ['proj/settings.py', 'requirements.txt']);
    // verify's import check does not ask for python-dotenv where the settings never use it.
    const dotenvCheck = `sys.path.insert(0, ${JSON.stringify(join(repoRoot, 'python'))})\nfrom authkit_django_checks.installed import check_import_dotenv\nprint(check_import_dotenv(None)["status"])`;
    assert.equal(inDjango(p, 'proj.settings', dotenvCheck).trim(), 'skip');
    for (const venv of [VENVS.dj42, VENVS.dj52]) assert.equal(inDjango(p, 'proj.settings', PROBE, venv).trim(), `${KEY_VALUES} False fixture-only`);
    await assertSecondRunPlansNothing(p);
  });

  it('environs with env.read_env(): already loads .env; keys read with env.str()', async () => {
    const p = project('environs');
    const first = await init(p, KEYS);
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const settings = read(p.dir, 'proj/settings.py');
    assert.equal((settings.match(/read_env/g) ?? []).length, 1);
    assert.match(settings, /^WORKOS_API_KEY = env\.str\("WORKOS_API_KEY", default=""\)$/m);
    assertSnapshots(p, 'environs', ['proj/settings.py', 'requirements.txt']);
    for (const venv of [VENVS.dj42, VENVS.dj52]) assert.equal(inDjango(p, 'proj.settings', PROBE, venv).trim(), `${KEY_VALUES} False fixture-only`);
    await assertSecondRunPlansNothing(p);
  });
});
