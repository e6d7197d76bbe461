/**
 * pip check and pip freeze around an install (issue 8, item 6): read from a real virtualenv
 * (sdkmin, only read), and the comparison that shows upgrades and a broken environment.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compareStates, describeChange, distributionsIn, environmentState, parseFreeze } from '../../src/install/environment-state.js';
import { tempDir, VENVS } from '../helpers/django.js';

describe('the environment around an install', () => {
  it('reads pip freeze and pip check from the real sdkmin virtualenv', async () => {
    const python = { command: [join(VENVS.sdkmin, 'bin', 'python')], source: 'venv' as const, venv: VENVS.sdkmin, exists: true };
    const state = await environmentState(python, tempDir(), process.env);
    assert.ok(state);
    assert.equal(state.packages.get('workos')?.version, '5.13.0');
    assert.equal(state.packages.get('django')?.version, '4.2.30');
    assert.equal(state.consistent, true, state.problems);
  });

  it('reads the versions from the .dist-info folders exactly as pip freeze --all lists them (real dj52 and workos5)', () => {
    for (const venv of [VENVS.dj52, VENVS.workos5]) {
      const freeze = spawnSync(join(venv, 'bin', 'python'), ['-m', 'pip', 'freeze', '--all', '--disable-pip-version-check'], { encoding: 'utf8' });
      assert.equal(freeze.status, 0, freeze.stderr);
      const fromPip = [...parseFreeze(freeze.stdout)].map(([key, p]) => `${key}==${p.version}`).sort();
      const fromFolders = [...distributionsIn(venv)].map(([key, p]) => `${key}==${p.version}`).sort();
      assert.deepEqual(fromFolders, fromPip);
    }
  });

  it('gives no state for a Python without pip, so nothing is claimed', async () => {
    const python = { command: ['/nonexistent/python'], source: 'venv' as const, venv: '/nonexistent', exists: false };
    assert.equal(await environmentState(python, tempDir(), process.env), null);
  });

  it('shows packages that were installed and changed version, and a pip check that broke', () => {
    const before = { packages: parseFreeze('cryptography==42.0.5\nDjango==4.2.30\n-e git+https://x#egg=y\n'), consistent: true, problems: '' };
    const after = { packages: parseFreeze('cryptography==44.0.3\nDjango==4.2.30\nworkos==10.8.0\n'), consistent: false, problems: 'pyopenssl 24.1.0 has requirement cryptography<43' };
    const change = compareStates(before, after);
    assert.deepEqual(change.changed, [{ name: 'cryptography', from: '42.0.5', to: '44.0.3' }]);
    assert.deepEqual(change.added, [{ name: 'workos', version: '10.8.0' }]);
    assert.equal(change.broke, true);
    assert.match(describeChange(change).join('\n'), /cryptography 42\.0\.5 -> 44\.0\.3/);
    assert.equal(compareStates({ ...before, consistent: false }, after).broke, false, 'already inconsistent before: not ours to blame');
  });
});
