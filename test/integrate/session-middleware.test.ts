/**
 * Issue 8, item 7: a third-party SessionMiddleware subclass (an installed package, here on
 * PYTHONPATH outside the project, so static reading cannot follow it) in a MIDDLEWARE tuple
 * that an `if` rebuilds as `(*MIDDLEWARE[:i], "x", *MIDDLEWARE[i:])`. init asks the project's
 * Python (a real Django 4.2 virtualenv) and adds no second session middleware.
 */
import assert from 'node:assert/strict';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, gitInit, stateDir } from '../helpers/cli.js';
import { copyFixture, snapshotTree, VENVS } from '../helpers/django.js';
import { inDjango, KEYS } from './conventions-helpers.js';

describe('SessionMiddleware subclasses', () => {
  it('a third-party subclass in a rebuilt tuple counts: no Django SessionMiddleware added, now or on a second run', async () => {
    const repo = copyFixture('middleware-rebuild');
    const site = join(repo, 'site');
    symlinkSync(VENVS.dj42, join(site, '.venv'));
    gitInit(repo);
    const env = { AUTHKIT_DJANGO_STATE_DIR: stateDir(), PYTHONPATH: join(repo, 'vendor') };
    const before = readFileSync(join(site, 'proj', 'settings.py'), 'utf8');
    const first = await cli(['init', '--yes', '--json', '--no-install', '--no-verify', ...KEYS], { cwd: site, env });
    assert.equal(first.code, 0, first.stderr + first.stdout);
    const report = JSON.parse(first.stdout) as { changes: { id: string; status: string }[] };
    assert.equal(report.changes.find((c) => c.id === 'settings.session-middleware')?.status, 'skipped');
    const after = readFileSync(join(site, 'proj', 'settings.py'), 'utf8');
    assert.doesNotMatch(after, /django\.contrib\.sessions\.middleware\.SessionMiddleware/);
    const tuple = (text: string) => /^MIDDLEWARE = \([^)]*\)$/m.exec(text)?.[0];
    // The tuple gains only the authkit app's middleware, after AuthenticationMiddleware.
    const auth = '    "django.contrib.auth.middleware.AuthenticationMiddleware",\n';
    assert.equal(tuple(after), tuple(before)!.replace(auth, `${auth}    "proj.authkit.middleware.AuthKitMiddleware",\n`));
    assert.ok(after.includes(before.slice(before.indexOf('if DEBUG:')).replace(/\n$/, '') + '\n\n# WorkOS AuthKit: credentials come from the environment (the .env file in development).\nWORKOS_API_KEY = os.environ.get("WORKOS_API_KEY", "")\nWORKOS_CLIENT_ID = os.environ.get("WORKOS_CLIENT_ID", "")\n'));
    const p = { dir: site, env: {}, before: snapshotTree(site) };
    const classes = inDjango(p, 'proj.settings', 'from django.conf import settings\nprint(sum("Session" in m for m in settings.MIDDLEWARE))', VENVS.dj42, { PYTHONPATH: join(repo, 'vendor') });
    assert.equal(classes.trim(), '1');
    const tree = snapshotTree(repo);
    const second = await cli(['init', '--yes', '--json', '--no-install', '--no-verify'], { cwd: site, env });
    assert.deepEqual((JSON.parse(second.stdout) as { files: unknown[] }).files, []);
    assert.deepEqual(snapshotTree(repo), tree);
  });

  it('without the package importable the project\'s Python cannot confirm it, and Django\'s own is added once (then the literal counts)', async () => {
    const repo = copyFixture('middleware-rebuild');
    const site = join(repo, 'site');
    symlinkSync(VENVS.dj42, join(site, '.venv'));
    gitInit(repo);
    const env = { AUTHKIT_DJANGO_STATE_DIR: stateDir() };
    await cli(['init', '--yes', '--json', '--no-install', '--no-verify', ...KEYS], { cwd: site, env });
    const after = readFileSync(join(site, 'proj', 'settings.py'), 'utf8');
    assert.equal((after.match(/django\.contrib\.sessions\.middleware\.SessionMiddleware/g) ?? []).length, 1);
    const second = await cli(['init', '--yes', '--json', '--no-install', '--no-verify'], { cwd: site, env });
    assert.deepEqual((JSON.parse(second.stdout) as { files: unknown[] }).files, []);
  });
});
