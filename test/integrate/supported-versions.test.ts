/**
 * `init` refuses, before writing anything, a project on a Django older than the generated
 * code supports (item 3 of issue 8), and (item 12) a workos SDK older than the calls the
 * generated views make, when --no-install leaves that SDK in place.
 */
import assert from 'node:assert/strict';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { MIN_DJANGO, unsupportedDjango } from '../../src/discover/django-version.js';
import { cli, gitInit, stateDir } from '../helpers/cli.js';
import { copyFixture, snapshotTree, VENVS } from '../helpers/django.js';
import { MIN_WORKOS } from '../../src/install/packages.js';

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

describe('the oldest workos SDK the generated views use', () => {
  const run = (dir: string, args: string[]) => cli(['init', '--yes', ...args, ...KEYS], { cwd: dir, env: { AUTHKIT_DJANGO_STATE_DIR: stateDir() } });

  it('init --no-install refuses a real virtualenv with workos 5.12.1, naming it and the minimum, writing nothing', async () => {
    const dir = copyFixture('minimal');
    symlinkSync(VENVS.sdkold, join(dir, '.venv'));
    gitInit(dir);
    const before = snapshotTree(dir);
    const result = await run(dir, ['--no-install', '--no-verify']);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /installed workos 5\.12\.1 is older than 5\.13\.0/);
    assert.deepEqual(snapshotTree(dir), before);
  });

  it('lets workos 5.13.0 (the minimum, a real virtualenv) through and declares the range in a loose requirements file', async () => {
    assert.equal(MIN_WORKOS, '5.13.0');
    const dir = copyFixture('minimal');
    writeFileSync(join(dir, 'requirements.txt'), 'Django>=4.2\n');
    symlinkSync(VENVS.sdkmin, join(dir, '.venv'));
    gitInit(dir);
    const result = await run(dir, ['--no-install', '--no-verify']);
    assert.notEqual(result.code, 1, result.stderr);
    assert.equal(readFileSync(join(dir, 'requirements.txt'), 'utf8'), 'Django>=4.2\nworkos>=5.13.0,<11\npyjwt>=2.0,<3\npython-dotenv>=1.0,<2\n');
  });

  it('pins with == the installed versions in a fully pinned file', async () => {
    const dir = copyFixture('minimal');
    writeFileSync(join(dir, 'requirements.txt'), 'Django==4.2.30\nsqlparse==0.5.3\n');
    symlinkSync(VENVS.sdkmin, join(dir, '.venv'));
    gitInit(dir);
    const result = await run(dir, ['--no-install', '--no-verify']);
    assert.notEqual(result.code, 1, result.stderr);
    assert.equal(readFileSync(join(dir, 'requirements.txt'), 'utf8'), 'Django==4.2.30\npyjwt==2.9.0\npython-dotenv==1.2.4\nsqlparse==0.5.3\nworkos==5.13.0\n');
  });
});
