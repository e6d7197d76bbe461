/**
 * A failed install must not leave a broken project behind: the code init wrote imports
 * workos, jwt and dotenv, so when the project's Python cannot import them after the package
 * manager failed, this run's files are put back byte for byte (exit 4, the reason named).
 * Real pip in a real Django-only virtualenv (bare52), with an index that cannot be reached,
 * so nothing is installed into it.
 */
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, gitInit, stateDir } from '../helpers/cli.js';
import { copyFixture, snapshotTree, VENVS } from '../helpers/django.js';

const KEYS = ['--api-key', 'sk_test_rollback000', '--client-id', 'client_rollback'];
const UNREACHABLE = { PIP_INDEX_URL: 'http://127.0.0.1:9/simple/', PIP_RETRIES: '0', PIP_TIMEOUT: '2', PIP_NO_CACHE_DIR: '1' };

/** Path -> sha256 of every file outside .git (mtimes change when bytes are put back). */
function contents(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, entry] of snapshotTree(dir)) {
    if (!path.startsWith('.git/') && typeof entry === 'object') out[path] = (entry as { sha256: string }).sha256;
  }
  return out;
}

describe('a failed install rolls the code changes back', () => {
  it('pip cannot reach its index: exit 4, pip\'s own error, every file as it was, the journal empty', async () => {
    const dir = copyFixture('minimal');
    writeFileSync(join(dir, 'requirements.txt'), 'Django>=4.2\n');
    writeFileSync(join(dir, '.gitignore'), '.venv\n');
    symlinkSync(VENVS.bare52, join(dir, '.venv'));
    gitInit(dir);
    const before = contents(dir);
    const env = { AUTHKIT_DJANGO_STATE_DIR: stateDir(), ...UNREACHABLE };
    const run = await cli(['init', '--yes', '--json', ...KEYS], { cwd: dir, env });
    assert.equal(run.code, 4, run.stderr);
    const report = JSON.parse(run.stdout) as { applied: boolean; install: { status: string; rolledBack?: boolean } };
    assert.equal(report.install.status, 'failed');
    assert.equal(report.install.rolledBack, true);
    assert.equal(report.applied, false);
    assert.match(run.stderr, /rolled back, so the project works as it did/);
    assert.doesNotMatch(run.stderr + run.stdout, /sk_test_rollback/);
    assert.deepEqual(contents(dir), before, 'the bytes differ from before init');
    const undo = await cli(['undo', '--yes'], { cwd: dir, env });
    assert.equal(undo.code, 1);
    assert.match(undo.stderr, /nothing to undo/);
  });
});
