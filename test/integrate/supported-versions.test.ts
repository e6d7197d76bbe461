/**
 * `init` refuses, before writing anything, a project on a Django older than the generated
 * code supports (item 3 of issue 8), and (item 12) a workos SDK older than the calls the
 * generated views make, when --no-install leaves that SDK in place.
 */
import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MIN_DJANGO, unsupportedDjango } from '../../src/discover/django-version.js';
import { cli, gitInit, stateDir } from '../helpers/cli.js';
import { copyFixture, snapshotTree } from '../helpers/django.js';

const KEYS = ['--api-key', 'sk_test_fixture0000', '--client-id', 'client_fixture'];

describe('the supported Django range', () => {
  it('reads versions and requirements that only allow older Django as unsupported', () => {
    assert.equal(MIN_DJANGO, '4.2');
    for (const old of ['2.2.28', '3.2.25', '4.1.13', '==3.2.*', '~=3.2', '>=3.2,<4', '<4.2', '<=4.1.9', '===4.0', '~=4.1.3']) {
      assert.notEqual(unsupportedDjango(old), null, old);
    }
    for (const ok of ['4.2', '4.2.30', '5.2.19', '6.0a1', '>=4.2,<5', '==4.*', '~=4.1', '<5', '>=3.2', '<=4.2.0']) {
      assert.equal(unsupportedDjango(ok), null, ok);
    }
  });

  it('refuses a project pinned to Django 3.2 with exit 1 and one sentence naming the version, writing nothing', async () => {
    const dir = copyFixture('minimal');
    writeFileSync(join(dir, 'requirements.txt'), 'Django==3.2.25\n');
    gitInit(dir);
    const before = snapshotTree(dir);
    const run = await cli(['init', '--yes', '--no-install', '--no-verify', ...KEYS], { cwd: dir, env: { AUTHKIT_DJANGO_STATE_DIR: stateDir(), PATH: process.env.PATH } });
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /Django 3\.2\.25 \(required in requirements\.txt\).*supports Django 4\.2 and later/);
    assert.deepEqual(snapshotTree(dir), before);
  });

  it('lets the oldest supported line through: a real bare42 virtualenv (Django 4.2.30)', async () => {
    const dir = copyFixture('minimal');
    writeFileSync(join(dir, 'requirements.txt'), 'Django>=4.2\n');
    symlinkSync(join(process.cwd(), '.venvs', 'bare42'), join(dir, '.venv'));
    gitInit(dir);
    const run = await cli(['init', '--yes', '--dry-run', ...KEYS], { cwd: dir, env: { AUTHKIT_DJANGO_STATE_DIR: stateDir() } });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /Django 4\.2\.30/);
  });
});
