/**
 * Django's version: read from a real virtualenv's site-packages, asked of a real
 * interpreter found on PATH (one subprocess), or taken from the pins when neither can
 * tell.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { versionFromTuple } from '../../src/discover/django-version.js';
import { discover } from '../../src/discover/index.js';
import { bareVenv, copyFixture, DJANGO_VERSIONS, tempDir } from '../helpers/django.js';

/** A folder with an executable `python3` script that runs `body`. */
function pathWithPython(body: string): string {
  const bin = tempDir('authkit-bin-');
  writeFileSync(join(bin, 'python3'), `#!/bin/sh\n${body}\n`);
  chmodSync(join(bin, 'python3'), 0o755);
  return bin;
}

describe('Django version', () => {
  it("reads it from a .venv in the project (here a link to the real bare42 virtualenv), running nothing", async () => {
    const dir = copyFixture('minimal');
    symlinkSync(bareVenv('4.2'), join(dir, '.venv'));
    const model = await discover(dir, { env: { PATH: '' } });
    assert.equal(model.python.source, 'venv');
    assert.equal(model.python.venv, join(dir, '.venv'));
    assert.equal(model.python.exists, true);
    assert.deepEqual(model.django, { version: DJANGO_VERSIONS['4.2'], source: 'installed' });
  });

  it('asks the interpreter on PATH when there is no virtualenv', async () => {
    const dir = copyFixture('minimal');
    writeFileSync(join(dir, 'requirements.txt'), 'Django==4.2.1\n');
    const bin = pathWithPython(`exec "${join(bareVenv('5.2'), 'bin', 'python')}" "$@"`);
    const model = await discover(dir, { env: { PATH: bin } });
    assert.equal(model.python.source, 'system');
    assert.equal(model.python.exists, true);
    assert.deepEqual(model.django, { version: DJANGO_VERSIONS['5.2'], source: 'installed' });
  });

  it('falls back to the pin when the interpreter cannot tell', async () => {
    const dir = copyFixture('minimal');
    writeFileSync(join(dir, 'requirements.txt'), 'Django==4.2.1\n');
    const bin = pathWithPython('echo "ModuleNotFoundError: No module named django" >&2; exit 1');
    const model = await discover(dir, { env: { PATH: bin } });
    assert.deepEqual(model.django, { version: '4.2.1', source: 'pinned', file: join(dir, 'requirements.txt') });
  });

  it('is null with neither an interpreter nor a pin', async () => {
    const dir = copyFixture('minimal');
    const model = await discover(dir, { env: { PATH: '' } });
    assert.equal(model.django, null);
    assert.equal(model.python.exists, false);
  });

  it('an active virtualenv that does not exist is reported as missing', async () => {
    const dir = copyFixture('minimal');
    const gone = join(tempDir(), 'gone-venv');
    mkdirSync(join(dir, '.venv'));
    const model = await discover(dir, { env: { PATH: '', VIRTUAL_ENV: gone } });
    assert.equal(model.python.source, 'VIRTUAL_ENV');
    assert.equal(model.python.exists, false);
    assert.deepEqual(model.python.command, [join(gone, 'bin', 'python')]);
  });

  it('formats VERSION tuples the way django.get_version() does', () => {
    assert.equal(versionFromTuple('VERSION = (5, 2, 19, "final", 0)\n'), '5.2.19');
    assert.equal(versionFromTuple('VERSION = (5, 2, 0, "final", 0)\n'), '5.2');
    assert.equal(versionFromTuple("VERSION = (6, 0, 0, 'alpha', 1)\n"), '6.0a1');
    assert.equal(versionFromTuple("VERSION = (4, 2, 0, 'rc', 2)\n"), '4.2rc2');
    assert.equal(versionFromTuple('__version__ = "1.0"\n'), null);
  });
});
