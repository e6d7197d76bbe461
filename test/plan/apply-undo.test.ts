/**
 * The only code that writes project files, and its undo: all files or none, pre-images
 * journaled first, modes kept, refusals that leave everything as it was.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { applyChanges } from '../../src/plan/apply.js';
import { Journal } from '../../src/plan/journal.js';
import { performUndo, planUndo } from '../../src/plan/undo.js';
import { UserError } from '../../src/util/errors.js';
import { tempDir } from '../helpers/django.js';

function project(): { root: string; env: NodeJS.ProcessEnv } {
  const root = tempDir('authkit-apply-');
  writeFileSync(join(root, 'settings.py'), 'A = 1\r\n');
  writeFileSync(join(root, 'manage.py'), '#!/usr/bin/env python\n');
  chmodSync(join(root, 'manage.py'), 0o755);
  return { root, env: { AUTHKIT_DJANGO_STATE_DIR: tempDir('authkit-apply-state-') } };
}

describe('apply', () => {
  test('writes every change, keeps modes, gives .env 0600, journals the pre-images', () => {
    const { root, env } = project();
    const { entry } = applyChanges(
      root,
      [
        { file: join(root, 'settings.py'), before: 'A = 1\r\n', after: 'A = 1\r\nB = 2\r\n' },
        { file: join(root, 'manage.py'), before: '#!/usr/bin/env python\n', after: '#!/usr/bin/env python\n# x\n' },
        { file: join(root, 'deep', 'er', 'new.py'), before: null, after: 'X = 1\n' },
        { file: join(root, '.env'), before: null, after: 'WORKOS_API_KEY=sk_test_x\n', mode: 0o600 },
      ],
      'init',
      env,
    );
    assert.equal(readFileSync(join(root, 'settings.py'), 'utf8'), 'A = 1\r\nB = 2\r\n');
    assert.equal(statSync(join(root, 'manage.py')).mode & 0o777, 0o755);
    assert.equal(statSync(join(root, '.env')).mode & 0o777, 0o600);
    assert.equal(entry.state, 'applied');
    assert.deepEqual(entry.createdDirs, [join(root, 'deep'), join(root, 'deep', 'er')]);
    assert.equal(Journal.open(root, env).last()?.id, entry.id);
    assert.equal(statSync(Journal.open(root, env).path).mode & 0o777, 0o600, 'the journal holds pre-images: owner only');
  });

  test('a write that fails puts back what was already written and leaves no journal entry', () => {
    const { root, env } = project();
    writeFileSync(join(root, 'blocker'), 'a file where a folder would have to be');
    assert.throws(
      () =>
        applyChanges(
          root,
          [
            { file: join(root, 'settings.py'), before: 'A = 1\r\n', after: 'A = 2\r\n' },
            { file: join(root, 'blocker', 'new.py'), before: null, after: 'X = 1\n' },
          ],
          'init',
          env,
        ),
      (error: unknown) => error instanceof UserError && /every file was put back/.test(error.message),
    );
    assert.equal(readFileSync(join(root, 'settings.py'), 'utf8'), 'A = 1\r\n');
    assert.equal(Journal.open(root, env).last(), undefined);
  });

  test('refuses when a file changed after the plan was made; nothing is written', () => {
    const { root, env } = project();
    assert.throws(
      () => applyChanges(root, [{ file: join(root, 'settings.py'), before: 'A = 0\r\n', after: 'A = 2\r\n' }], 'init', env),
      /changed while the plan was being made/,
    );
    assert.equal(readFileSync(join(root, 'settings.py'), 'utf8'), 'A = 1\r\n');
  });
});

describe('undo', () => {
  test('restores bytes and modes, deletes created files and the folders made for them', () => {
    const { root, env } = project();
    applyChanges(
      root,
      [
        { file: join(root, 'settings.py'), before: 'A = 1\r\n', after: 'A = 2\r\n' },
        { file: join(root, 'deep', 'new.py'), before: null, after: 'X = 1\n' },
      ],
      'init',
      env,
    );
    performUndo(planUndo(root, env));
    assert.equal(readFileSync(join(root, 'settings.py'), 'utf8'), 'A = 1\r\n');
    assert.equal(existsSync(join(root, 'deep')), false);
    assert.throws(() => planUndo(root, env), /nothing to undo/);
  });

  test('refuses, naming the file, when a file changed since; restores nothing', () => {
    const { root, env } = project();
    applyChanges(
      root,
      [
        { file: join(root, 'settings.py'), before: 'A = 1\r\n', after: 'A = 2\r\n' },
        { file: join(root, 'manage.py'), before: '#!/usr/bin/env python\n', after: '#!/usr/bin/env python\n# y\n' },
      ],
      'init',
      env,
    );
    writeFileSync(join(root, 'settings.py'), 'A = 2\r\nMINE = True\r\n');
    assert.throws(() => planUndo(root, env), (error: unknown) => error instanceof UserError && error.message.includes(join(root, 'settings.py')));
    assert.equal(readFileSync(join(root, 'manage.py'), 'utf8'), '#!/usr/bin/env python\n# y\n');
  });

  test('recovers from an apply that stopped part-way (journal still "applying")', () => {
    const { root, env } = project();
    mkdirSync(join(root, 'pkg'));
    const { entry, journal } = applyChanges(
      root,
      [
        { file: join(root, 'settings.py'), before: 'A = 1\r\n', after: 'A = 2\r\n' },
        { file: join(root, 'pkg', 'new.py'), before: null, after: 'X = 1\n' },
      ],
      'init',
      env,
    );
    // What a crash after the first file leaves: the entry not marked done, the second file not written.
    entry.state = 'applying';
    journal.save();
    rmSync(join(root, 'pkg', 'new.py'));
    const crashed = planUndo(root, env);
    assert.equal(crashed.entry.state, 'applying');
    assert.deepEqual(crashed.files.map((f) => f.action), ['restore', 'unchanged']);
    performUndo(crashed);
    assert.equal(readFileSync(join(root, 'settings.py'), 'utf8'), 'A = 1\r\n');
    assert.equal(Journal.open(root, env).last(), undefined);
  });
});
